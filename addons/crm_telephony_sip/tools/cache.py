"""The ORM cache of a record carried from one transaction to another.

A PBX request reads its connection once (``crm.telephony.connection._find_by_key``),
journals the request in a transaction of its own and processes it in another: the
values the request already has are put into the cache of the processing transaction
instead of being read again.
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


def cache_copy(record, env):
    """``record`` in ``env`` with the values of its stored fields (and of the computed
    fields it has in cache) that ``record`` has in its own cache."""
    record.ensure_one()
    cache = record.env.cache
    values = {
        name: cache.get(record, field)
        for name, field in record._fields.items()
        if name != "id"
        and not field.translate
        and (field.column_type or not field.store)
        and cache.contains(record, field)
    }
    return cache_values(record.with_env(env), values)
