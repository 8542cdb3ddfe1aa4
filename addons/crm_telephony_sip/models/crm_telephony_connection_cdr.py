import json
import logging
from datetime import timedelta

import pytz

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..adapters.common import RequestData, TelephonyError, parse_datetime
from ..adapters.grandstream import UcmClient, UcmError, item_rows

_logger = logging.getLogger(__name__)

#: CDR items asked per cdrapi request (the UCM API allows up to 1000).
UCM_PAGE = 200
#: How far back each poll looks again: a UCM writes a CDR when the call is torn down,
#: so a call that ended just before the previous poll may appear after it.
UCM_OVERLAP = timedelta(minutes=15)
#: What the first poll of a connection fetches.
UCM_FIRST_POLL = timedelta(days=1)
UCM_MAX_PAGES = 50


class CrmTelephonyConnection(models.Model):
    """CDR settings of a connection (Asterisk / FreePBX) and the Grandstream UCM
    poller: the UCM's CDR API is pulled on a schedule, with a cursor on the connection
    (the end time of the last call fetched, and the calls already fetched in the
    overlap window) so nothing is fetched twice or missed across restarts."""

    _inherit = "crm.telephony.connection"

    cdr_usegmtime = fields.Boolean(
        "PBX writes UTC times",
        help="Asterisk/FreePBX: on when cdr.conf has usegmtime=yes in its [csv] section "
        "(the shipped cdr.conf.sample turns it on; Asterisk's default is off: local "
        "time, read in the connection's time zone).",
    )
    ucm_url = fields.Char(
        "UCM address",
        groups="sales_team.group_sale_manager",
        help="Grandstream UCM: the HTTPS API address, e.g. https://192.168.1.10:8089. "
        "Enable the API under Value-added Features > API Configuration > HTTPS API "
        "Settings (New) and allow this server's IP address.",
    )
    ucm_user = fields.Char(
        "UCM API user", groups="sales_team.group_sale_manager", help="Usually cdrapi."
    )
    ucm_password = fields.Char("UCM API password", groups="sales_team.group_sale_manager")
    ucm_verify_tls = fields.Boolean(
        "Check the UCM certificate",
        default=True,
        groups="sales_team.group_sale_manager",
        help="Turn off only for a UCM that still uses its self-signed certificate.",
    )
    ucm_cursor_at = fields.Datetime(
        "Calls fetched until",
        readonly=True,
        copy=False,
        help="The end time of the last call fetched from the UCM.",
    )
    ucm_cursor_keys = fields.Text(
        "Calls already fetched", readonly=True, copy=False, groups="base.group_system"
    )
    ucm_last_error = fields.Char("Last polling error", readonly=True, copy=False)

    # ------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------

    def action_ucm_test_connection(self):
        self.ensure_one()
        try:
            self.sudo()._ucm_client().login()
        except UcmError as exc:
            raise UserError(
                _(
                    "The UCM did not accept the connection: %(reason)s Check the address, "
                    "the API user and password, and that the UCM allows this server's IP "
                    "address.",
                    reason=exc.reason,
                )
            ) from exc
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": _("The UCM accepted the API user."),
                "sticky": False,
            },
        }

    # ------------------------------------------------------------
    # Grandstream UCM polling
    # ------------------------------------------------------------

    def _ucm_client(self):
        self.ensure_one()
        if not (self.ucm_url and self.ucm_user and self.ucm_password):
            raise UcmError(_("The UCM address, API user and password are required."))
        return UcmClient(self.ucm_url, self.ucm_user, self.ucm_password, self.ucm_verify_tls)

    @api.model
    def _cron_poll_grandstream(self):
        connections = self.sudo().search(
            [("provider", "=", "grandstream"), ("ucm_url", "!=", False)]
        )
        for connection in connections:
            try:
                connection._grandstream_poll()
            except UcmError as exc:
                _logger.info("Polling the UCM of connection %s failed: %s", connection.id, exc)
                connection.ucm_last_error = exc.reason[:250]
        return True

    def _grandstream_poll(self):
        """Fetch the calls that ended since the cursor, journal and process them, and
        move the cursor.

        :returns: the number of CDR items journaled
        """
        self.ensure_one()
        client = self._ucm_client()
        client.login()
        now = fields.Datetime.now()
        cursor = self.ucm_cursor_at or (now - UCM_FIRST_POLL)
        since = cursor - UCM_OVERLAP
        seen = json.loads(self.ucm_cursor_keys or "{}")
        fresh, newest = [], cursor
        for page in range(UCM_MAX_PAGES):
            items = client.cdr_page(self._ucm_time(since), page * UCM_PAGE, UCM_PAGE)
            for item in items:
                key, ended = self._ucm_item_key(item)
                if not key or key in seen:
                    continue
                seen[key] = fields.Datetime.to_string(ended or now)
                fresh.append(item)
                newest = max(newest, ended or newest)
            if len(items) < UCM_PAGE:
                break
        if fresh:
            self._ucm_process(fresh)
        horizon = fields.Datetime.to_string(newest - UCM_OVERLAP)
        self.write(
            {
                "ucm_cursor_at": newest,
                "ucm_cursor_keys": json.dumps(
                    {key: end for key, end in seen.items() if end >= horizon}, sort_keys=True
                ),
                "ucm_last_error": False,
            }
        )
        return len(fresh)

    def _ucm_time(self, moment):
        """A UTC moment as the UCM's ``startTime``: local time with its offset."""
        local = pytz.utc.localize(moment).astimezone(pytz.timezone(self.tz or "UTC"))
        offset = local.strftime("%z")
        return local.strftime("%Y-%m-%dT%H:%M:%S") + f"{offset[:3]}:{offset[3:]}"

    def _ucm_item_key(self, item):
        """(the call's session or uniqueid, its end as naive UTC) of a cdr_root item."""
        try:
            rows = item_rows(item)
        except TelephonyError:
            return None, None
        main = rows[0]
        key = main.get("session") or main.get("uniqueid")
        ends = []
        for row in rows:
            try:
                ends.append(parse_datetime(row.get("end"), self.tz))
            except TelephonyError:
                continue
        return (str(key) if key else None), max(filter(None, ends), default=None)

    def _ucm_process(self, items):
        """Journal the fetched items as one request, then process it like a pushed
        one: a failure stays in the journal for the retry cron."""
        payload = json.dumps({"cdr_root": items}, sort_keys=True)
        data = RequestData(
            method="GET",
            headers={"User-Agent": "crm_telephony_sip UCM poller"},
            remote_addr=(self.ucm_url or "")[:64],
            path="cdrapi",
        )
        event = self.env["crm.telephony.event"].sudo()._journal(self, data, payload, attempts=1)
        return event._process_now(counted=True)
