"""Grandstream UCM CDR: the JSON of its ``cdrapi`` (``{"cdr_root": [...]}``), whose
items are rows or ``{"main_cdr": row, "sub_cdr_1": row, ...}``; rows carry the
Asterisk fields plus ``session``, ``channel_ext``, ``dstchannel_ext``, ``userfield``
(``Inbound`` / ``Outbound`` / ``Internal``) and ``recordfiles``.

Rows of one call are grouped by ``session`` (else ``uniqueid``). Requests are signed
like the generic adapter when the connection has a secret.
"""

import json

from .asterisk import CdrRowsMixin, is_extension
from .common import BadRequest
from .generic import GenericAdapter

USERFIELD_DIRECTIONS = {"inbound": "inbound", "outbound": "outbound", "internal": "internal"}


class GrandstreamAdapter(CdrRowsMixin, GenericAdapter):
    provider = "grandstream"
    group_keys = ("session", "uniqueid")

    def parse(self, connection, payload, received_at=None):
        try:
            body = json.loads(payload)
        except ValueError as exc:
            raise BadRequest("The body is not valid JSON.") from exc
        items = body.get("cdr_root") if isinstance(body, dict) else None
        if not isinstance(items, list) or not items:
            raise BadRequest('Expected {"cdr_root": [...]}.')
        rows = []
        for item in items:
            if not isinstance(item, dict):
                raise BadRequest("Each cdr_root item must be an object.")
            if "main_cdr" in item:
                rows += [item["main_cdr"]] + [
                    value for key, value in sorted(item.items()) if key.startswith("sub_cdr")
                ]
            else:
                rows.append(item)
        rows = [self._normalize(row) for row in rows if isinstance(row, dict)]
        return self._rows_to_events(connection, rows)

    @staticmethod
    def _normalize(row):
        row = dict(row)
        files = [f for f in (row.get("recordfiles") or "").replace(",", "@").split("@") if f]
        if files:
            row["recordingfile"] = files[0]
        return row

    def _direction(self, first):
        direction = USERFIELD_DIRECTIONS.get((first.get("userfield") or "").lower())
        return direction or super()._direction(first)

    def _row_agent(self, row):
        extension = row.get("dstchannel_ext")
        return extension if is_extension(extension) else super()._row_agent(row)
