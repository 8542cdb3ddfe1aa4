"""The ORM cache of a record carried from one transaction to another.

A PBX request reads its connection once (``crm.telephony.connection._find_by_key``)
and journals the request, then processes it in another transaction (after committing
the journal row, or in a cursor of its own): the values the request already has are
put into the cache of the processing transaction instead of being read again.
"""


def cache_values(record, values):
    """Put ``values`` (field name: value as the database gives it) into the ORM cache
    of ``record``, replacing what it had; returns the record."""
    record.ensure_one()
    record.invalidate_recordset(list(values))
    cache = record.env.cache
    for name, value in values.items():
        cache.insert_missing(record, record._fields[name], [value])
    return record


def cached_values(record):
    """The values of the stored fields of ``record`` (and of the computed fields it
    has in cache) that its cache has, as ``cache_values`` takes them."""
    record.ensure_one()
    cache = record.env.cache
    return {
        name: cache.get(record, field)
        for name, field in record._fields.items()
        if name != "id"
        and not field.translate
        and (field.column_type or not field.store)
        and cache.contains(record, field)
    }
