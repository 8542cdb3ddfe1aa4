import functools
import logging
import re
import secrets

from odoo import api, fields, models
from odoo.tools import SQL

from odoo.addons.crm_phone_base.tools.compat import sql_constraints

from ..adapters import get_adapter
from ..adapters.common import TelephonyError, check_ip_allowed
from ..tools import cache_values

_logger = logging.getLogger(__name__)

PROVIDERS = [
    ("generic", "Generic JSON (Standard Webhooks)"),
    ("onlinepbx", "OnlinePBX"),
    ("zadarma", "Zadarma"),
    ("mango", "Mango Office"),
    ("asterisk", "Asterisk / FreePBX CDR"),
    ("grandstream", "Grandstream UCM CDR"),
]


def _default_key():
    """A random URL-safe key that does not start with '-' (a command line would take it
    for an option)."""
    key = secrets.token_urlsafe(32)
    while key.startswith("-"):
        key = secrets.token_urlsafe(32)
    return key


def _body_text(body):
    """A request body as text: UTF-8, or byte for byte as Latin-1 (a cp1251 CDR can be
    recovered from the journal)."""
    try:
        return body.decode()
    except UnicodeDecodeError:
        return body.decode("latin-1")


def _tz_get(self):
    return [(tz, tz) for tz in self.env["res.partner"]._fields["tz"].get_values(self.env)]


@sql_constraints
class CrmTelephonyConnection(models.Model):
    _name = "crm.telephony.connection"
    _description = "PBX connection"
    _order = "name, id"

    name = fields.Char(required=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    provider = fields.Selection(PROVIDERS, required=True, default="generic")
    key = fields.Char(
        "Connection key",
        required=True,
        copy=False,
        default=lambda self: _default_key(),
        groups="sales_team.group_sale_manager",
        help="The long random secret in the endpoint URL that identifies this connection.",
    )
    endpoint_path = fields.Char(
        compute="_compute_endpoint_path", groups="sales_team.group_sale_manager"
    )
    secret = fields.Char(
        groups="sales_team.group_sale_manager",
        help="Signing secret: Standard Webhooks secret (generic), API secret (Zadarma), "
        "salt (Mango Office).",
    )
    api_key = fields.Char(
        "API key",
        groups="sales_team.group_sale_manager",
        help="The provider's API key, used to fetch recordings.",
    )
    api_url = fields.Char(
        "API URL",
        groups="sales_team.group_sale_manager",
        help="Overrides the provider's API address (for a self-hosted or test API).",
    )
    api_domain = fields.Char(
        "Account domain",
        groups="sales_team.group_sale_manager",
        help="OnlinePBX: the PBX domain, e.g. example.onpbx.ru.",
    )
    recording_base_url = fields.Char(
        "Recordings base URL",
        help="Asterisk/FreePBX and Grandstream: where the recording files are served, "
        "e.g. https://pbx.example.com/monitor (FreePBX files go in their YYYY/MM/DD "
        "folder).",
    )
    ip_allowlist = fields.Char(
        "Allowed IP addresses",
        groups="sales_team.group_sale_manager",
        help="Addresses or networks (CIDR) separated by spaces or commas. Empty: any.",
    )
    country_id = fields.Many2one(
        "res.country",
        "Default country",
        help="Country of numbers dialled without a country code. Default: the company's.",
    )
    tz = fields.Selection(
        _tz_get,
        "Time zone",
        default="UTC",
        help="Time zone of the dates the PBX sends without an offset.",
    )
    recording_mode = fields.Selection(
        [("link", "Store the link"), ("on_demand", "Fetch on demand")],
        default="link",
        required=True,
        help="Links that expire are resolved through the provider's API when a user presses play.",
    )
    default_country_code = fields.Char(
        compute="_compute_default_country_code",
        help="ISO code of the country of numbers dialled without a country code.",
    )
    extension_ids = fields.One2many("crm.telephony.extension", "connection_id", "Extensions")
    call_count = fields.Integer(compute="_compute_call_count")
    event_count = fields.Integer("Requests", compute="_compute_event_count")

    _sql_constraints = [
        ("key_uniq", "unique(key)", "The connection key must be unique."),
    ]

    def _compute_endpoint_path(self):
        for connection in self:
            connection.endpoint_path = f"/crm_telephony/{connection.key}/event"

    @api.depends("country_id", "company_id")
    def _compute_default_country_code(self):
        for connection in self:
            connection.default_country_code = connection._default_country().code

    def _compute_call_count(self):
        counts = dict(
            self.env["crm.telephony.call"]._read_group(
                [("connection_id", "in", self.ids)], ["connection_id"], ["__count"]
            )
        )
        for connection in self:
            connection.call_count = counts.get(connection, 0)

    def _compute_event_count(self):
        if not self.env["crm.telephony.event"].has_access("read"):
            self.event_count = 0
            return
        counts = dict(
            self.env["crm.telephony.event"]._read_group(
                [("connection_id", "in", self.ids)], ["connection_id"], ["__count"]
            )
        )
        for connection in self:
            connection.event_count = counts.get(connection, 0)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if not vals.get("key"):
                vals["key"] = _default_key()
        return super().create(vals_list)

    def action_regenerate_key(self):
        for connection in self:
            connection.key = _default_key()
        return True

    def action_view_calls(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_telephony_sip.crm_telephony_call_action"
        )
        action["domain"] = [("connection_id", "=", self.id)]
        action["context"] = {}
        return action

    def action_view_events(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_telephony_sip.crm_telephony_event_action"
        )
        action["domain"] = [("connection_id", "=", self.id)]
        return action

    # ------------------------------------------------------------
    # Receiving events
    # ------------------------------------------------------------

    def _adapter(self):
        self.ensure_one()
        return get_adapter(self.provider)

    def _default_country(self):
        self.ensure_one()
        return self.country_id or self.company_id.country_id

    @api.model
    def _find_by_key(self, key):
        """The active connection of a key, with its fields and its default country's
        code read by one query (``tools.cached_values`` carries them to another
        transaction)."""
        if not key or len(key) > 128:
            return self.browse()
        names, statement = self._key_statement()
        self.env.cr.execute(SQL(statement, key))
        row = self.env.cr.fetchone()
        if not row:
            return self.browse()
        values = dict(zip(names, row[:-1], strict=True))
        values["default_country_code"] = row[-1]
        return cache_values(self.browse(values.pop("id")), values)

    @api.model
    def _key_statement(self):
        """(column names, SQL code) of ``_find_by_key``'s query, its one parameter
        the key: the same for every request, built once per process."""
        cls = type(self)
        if "_key_statement_built" not in cls.__dict__:
            columns = [
                field.name
                for field in self._fields.values()
                if field.store and field.column_type and not field.translate
            ]
            statement = SQL(
                """SELECT %(columns)s, COALESCE(own.code, company_country.code)
                     FROM %(table)s connection
                     JOIN res_company company ON company.id = connection.company_id
                     JOIN res_partner partner ON partner.id = company.partner_id
                LEFT JOIN res_country own ON own.id = connection.country_id
                LEFT JOIN res_country company_country ON company_country.id = partner.country_id
                    WHERE connection.key = %(key)s AND connection.active""",
                columns=SQL(", ").join(
                    SQL("connection.%s", SQL.identifier(name)) for name in columns
                ),
                table=SQL.identifier(self._table),
                key=None,
            )
            cls._key_statement_built = (columns, statement.code)
        return cls._key_statement_built

    def _telephony_receive(self, data, in_request=False):
        """Handle one PBX request to this connection (found by its key, see
        ``_find_by_key``): check the sender's address, answer a URL check, authenticate
        the request, journal it, then process it. Nothing is stored for a sender
        outside the allow-list; a request that fails authentication is journaled as
        refused, a body the adapter cannot read as malformed (its bytes kept, as
        Latin-1 when it is not UTF-8).

        :param data: an ``adapters.common.RequestData``
        :param in_request: the current transaction is the PBX request's own (the
            endpoint's): the journal row is written by it and committed at once, then
            the request is processed in the same cursor (``crm.telephony.event.
            _process_in_request``). Otherwise the journal row and the processing have
            transactions of their own, and the caller's transaction is left alone.
        :returns: (HTTP status, JSON-able dict, or a str for a plain-text answer)
        """
        connection = self.sudo()
        connection.ensure_one()
        try:
            check_ip_allowed(connection, data)
        except TelephonyError as exc:
            return exc.status, {"error": exc.reason}
        adapter = connection._adapter()
        echo = adapter.handshake(connection, data)
        if echo is not None:
            return 200, echo
        Event = self.env["crm.telephony.event"].sudo()
        journal = (
            functools.partial(Event._journal_in, self.env.cr) if in_request else Event._journal
        )
        try:
            payload = adapter.payload(data)
        except TelephonyError as exc:
            journal(connection, data, _body_text(data.body), "invalid", exc.reason)
            return exc.status, {"error": exc.reason}
        try:
            adapter.authenticate(connection, data)
        except TelephonyError as exc:
            event = journal(connection, data, payload, "rejected", exc.reason)
            _logger.info("Telephony request %s refused: %s", event.id, exc.reason)
            return exc.status, {"error": exc.reason}
        event = journal(connection, data, payload, attempts=1)
        if in_request:
            return event._process_in_request()
        return event._process_now(counted=True)

    def _user_for(self, extension=None, email=None):
        """The salesperson behind an extension of this PBX, or an e-mail address."""
        self.ensure_one()
        if extension:
            mapping = self.extension_ids.filtered(lambda ext: ext.extension == str(extension))
            if mapping:
                return mapping[0].user_id
        if email:
            # exactly this address (any case, no wildcards), among the internal users of
            # the connection's company: a PBX payload never names a portal user
            exact = re.sub(r"([\\%_])", r"\\\1", email.strip())
            return self.env["res.users"].search(
                [
                    ("share", "=", False),
                    ("company_ids", "in", self.company_id.id),
                    "|",
                    ("login", "=ilike", exact),
                    ("email", "=ilike", exact),
                ],
                limit=1,
            )
        return self.env["res.users"]
