from odoo import api, models


class CrmPhoneLookupMixin(models.AbstractModel):
    """Caller lookup that models opt into (as OCA ``base_phone``): a model that
    inherits this mixin and names its indexed E.164 field in ``_phone_lookup_field``
    answers :meth:`_find_by_phone` for many numbers in one query."""

    _name = "crm.phone.lookup.mixin"
    _description = "Records found by their phone number"
    _phone_lookup_field = "phone_sanitized"

    @api.model
    def _find_by_phone(self, numbers, domain=None, order="id"):
        """The record of each number: the first by ``order`` whose phone is that number.

        :param numbers: E.164 numbers (``parse_phone(...).e164``)
        :param domain: what else the records must match (company, open deals...)
        :returns: {E.164 number: record} for the numbers found
        """
        numbers = sorted({number for number in numbers if number})
        if not numbers:
            return {}
        field = self._phone_lookup_field
        records = self.search_fetch(
            [(field, "in", numbers)] + list(domain or []), [field], order=order
        )
        found = {}
        for record in records:
            found.setdefault(record[field], record)
        return found
