from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from odoo.addons.crm_phone_base.tools.compat import set_cached

from ..tools.utm import RECORD_DIMENSIONS, TEXT_DIMENSIONS, UTM_DIMENSIONS


class CrmTouchpoint(models.Model):
    """One inquiry of a customer: through which channel, when, and with which UTM tags
    and click ids."""

    _name = "crm.touchpoint"
    _inherit = ["utm.mixin"]
    _description = "Lead touchpoint"
    _order = "touched_at desc, id desc"
    _rec_name = "lead_id"

    lead_id = fields.Many2one("crm.lead", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(
        "res.company",
        compute="_compute_company_id",
        store=True,
        precompute=True,
        index=True,
    )
    channel = fields.Selection(
        [("form", "Web form"), ("email", "E-mail"), ("call", "Call"), ("messenger", "Messenger")],
        required=True,
        default="form",
    )
    touched_at = fields.Datetime("Time", required=True, default=fields.Datetime.now, index=True)
    is_first_touch = fields.Boolean(
        "First touch", readonly=True, help="This inquiry created the lead."
    )
    is_appended = fields.Boolean(
        "Added to an existing deal",
        readonly=True,
        help="A later inquiry with the phone or e-mail of this deal. Anyone who knows them "
        "can send one, so it does not change the deal: use it as the deal's last touch "
        "once the customer confirms it.",
    )
    site_id = fields.Many2one("crm.capture.site", index="btree_not_null", ondelete="set null")
    submission_id = fields.Many2one(
        "crm.capture.submission", index="btree_not_null", ondelete="set null"
    )
    # What was sent for a record dimension that no record of that name matches:
    # anonymous input never creates sources, media or campaigns.
    source_text = fields.Char(
        "Unknown source", help="The utm_source sent, when no UTM source has this name."
    )
    medium_text = fields.Char(
        "Unknown medium", help="The utm_medium sent, when no UTM medium has this name."
    )
    campaign_text = fields.Char(
        "Unknown campaign", help="The utm_campaign sent, when no UTM campaign has this name."
    )
    has_unknown_utm = fields.Boolean(
        "Unknown UTM values", compute="_compute_has_unknown_utm", search="_search_has_unknown_utm"
    )
    gclid = fields.Char("Google click id")
    yclid = fields.Char("Yandex click id")
    fbclid = fields.Char("Facebook click id")
    landing_url = fields.Char("Landing page")
    referrer = fields.Char()

    @api.depends("lead_id.company_id")
    def _compute_company_id(self):
        # the lead's company; captures pass it in, so that the lead is not read back
        for touchpoint in self:
            touchpoint.company_id = touchpoint.lead_id.company_id

    @api.depends(*[dimension.text_field for dimension in RECORD_DIMENSIONS])
    def _compute_has_unknown_utm(self):
        for touchpoint in self:
            touchpoint.has_unknown_utm = any(
                touchpoint[dimension.text_field] for dimension in RECORD_DIMENSIONS
            )

    def _search_has_unknown_utm(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(_("Operation not supported"))
        domain = ["|"] * (len(RECORD_DIMENSIONS) - 1) + [
            (dimension.text_field, "!=", False) for dimension in RECORD_DIMENSIONS
        ]
        return domain if (operator == "=") == value else ["!"] + domain

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_create_utm_records(self):
        """Create the sources, media and campaigns these touchpoints name but that do not
        exist yet, then link every touchpoint that names them (and the first touch of
        their deals). Done by a sales manager: anonymous input never creates them, and
        the links are written in bulk across every deal."""
        if not self.env.user.has_group("sales_team.group_sale_manager"):
            raise AccessError(_("Only sales managers create sources, media and campaigns here."))
        for dimension in RECORD_DIMENSIONS:
            Model = self.env[dimension.model]
            names = {name.strip() for name in self.mapped(dimension.text_field) if name}
            for name in sorted(names):
                record_id = self._utm_ids_by_dimension({dimension: name}).get(dimension)
                if not record_id:
                    record_id = Model.create({Model._rec_name: name}).id
                self._link_unknown_utm(dimension, name, record_id)
        return True

    def action_use_as_last_touch(self):
        """The customer confirmed this inquiry: it becomes the deal's last touch."""
        for touchpoint in self:
            touchpoint.lead_id.write(touchpoint._last_touch_values())
            touchpoint.is_appended = False
        return True

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------

    @api.model
    def _utm_values(self, inquiry, found=None):
        """The UTM fields of a touchpoint (or lead) for inquiry values: a source, medium
        or campaign only when a record of that name exists (one query for the three),
        the name sent kept as text otherwise. All dimensions are always set, so that
        no UTM cookie of the current request leaks in through Odoo's defaults.

        :param found: ``{dimension: record id}`` when the caller looked the names up
            already (see ``_utm_lookups``)
        """
        wanted = self._utm_names(inquiry)
        if found is None:
            found = self._utm_ids_by_dimension({dim: name for dim, name in wanted.items() if name})
        values = {}
        for dimension, name in wanted.items():
            values[dimension.field] = found.get(dimension, False)
            values[dimension.text_field] = name if name and dimension not in found else False
        for dimension in TEXT_DIMENSIONS:
            values[dimension.field] = inquiry.get(dimension.param) or False
        return values

    @api.model
    def _utm_names(self, inquiry):
        """{dimension: name sent (stripped, maybe empty)} of the record dimensions."""
        return {
            dimension: (inquiry.get(dimension.param) or "").strip()
            for dimension in RECORD_DIMENSIONS
        }

    @api.model
    def _utm_lookups(self, names):
        """One scalar sub-select of the record id per {dimension: name}, for a caller
        that runs them in a statement of its own."""
        return [
            SQL(
                "(SELECT id FROM %s WHERE lower(name) = lower(%s) ORDER BY id LIMIT 1)",
                SQL.identifier(self.env[dimension.model]._table),
                name,
            )
            for dimension, name in names.items()
        ]

    @api.model
    def _utm_ids_by_dimension(self, names):
        """{dimension: record id} for {dimension: name}, in one query."""
        if not names:
            return {}
        self.env.cr.execute(SQL("SELECT %s", SQL(", ").join(self._utm_lookups(names))))
        row = self.env.cr.fetchone()
        return {dim: record_id for dim, record_id in zip(names, row, strict=True) if record_id}

    @api.model
    def _create_recording(self, values, submission, is_duplicate):
        """Create a touchpoint and mark ``submission`` recorded on its deal, in one
        statement (``WITH`` the insert, the journal row's update). The touchpoint is
        inserted as the ORM would, from ``values`` (all its own fields but the dates),
        and left in the cache: reading it costs nothing."""
        now = self.env.cr.now()
        values = {"touched_at": now, **values}
        columns = list(values)
        row = [self._column_value(fname, values[fname]) for fname in columns]
        log_access = [self.env.uid, now, self.env.uid, now]
        submission.flush_recordset()
        self.env.cr.execute(
            SQL(
                """
                WITH touchpoint AS (
                    INSERT INTO %(table)s (%(columns)s, create_uid, create_date, write_uid,
                                           write_date)
                    VALUES (%(row)s) RETURNING id
                )
                UPDATE %(journal)s
                   SET state = 'done', lead_id = %(lead)s, is_duplicate = %(duplicate)s,
                       failure = NULL, write_uid = %(uid)s, write_date = %(now)s
                  FROM touchpoint
                 WHERE %(journal)s.id = %(submission)s
             RETURNING touchpoint.id
                """,
                table=SQL.identifier(self._table),
                columns=SQL(", ").join(SQL.identifier(fname) for fname in columns),
                row=SQL(", ").join(row + log_access),
                journal=SQL.identifier(submission._table),
                lead=values["lead_id"],
                duplicate=bool(is_duplicate),
                uid=self.env.uid,
                now=now,
                submission=submission.id,
            )
        )
        touchpoint = self.browse(self.env.cr.fetchone()[0])
        set_cached(touchpoint, {**values, "create_date": now, "write_date": now})
        submission.invalidate_recordset(
            ["state", "lead_id", "is_duplicate", "failure", "write_uid", "write_date"]
        )
        return touchpoint

    @api.model
    def _column_value(self, fname, value):
        field = self._fields[fname]
        if field.type == "boolean":
            return bool(value)
        return None if value is False else value

    @api.model
    def _values_from_inquiry(self, inquiry, lead, site=None, submission=None, company=None):
        """:param company: the lead's company when the caller knows it (saves a read)"""
        values = {
            "lead_id": lead.id,
            "company_id": (company or lead.company_id).id,
            "channel": inquiry.get("channel") or "form",
            "site_id": site.id if site else False,
            "submission_id": submission.id if submission else False,
            "gclid": inquiry.get("gclid") or False,
            "yclid": inquiry.get("yclid") or False,
            "fbclid": inquiry.get("fbclid") or False,
            "landing_url": inquiry.get("landing_url") or False,
            "referrer": inquiry.get("referrer") or False,
        }
        values.update(inquiry.get("utm_values") or self._utm_values(inquiry))
        return values

    def _last_touch_values(self):
        """The deal's last-touch fields for this touchpoint."""
        self.ensure_one()
        return {
            dimension.last_field: self[dimension.field].id
            if dimension.model
            else self[dimension.field]
            for dimension in UTM_DIMENSIONS
        }

    def _link_unknown_utm(self, dimension, name, record_id):
        """Point the touchpoints that name ``name`` to its record, and the deals whose
        first touch it was (when they have no such record yet)."""
        text_column = SQL.identifier(dimension.text_field)
        self.env.cr.execute(
            SQL(
                """
                WITH linked AS (
                    UPDATE crm_touchpoint SET %(field)s = %(id)s, %(text)s = NULL
                     WHERE lower(%(text)s) = lower(%(name)s)
                 RETURNING lead_id, is_first_touch
                )
                UPDATE crm_lead lead SET %(field)s = %(id)s,
                       %(last)s = COALESCE(lead.%(last)s, %(id)s)
                  FROM linked
                 WHERE linked.lead_id = lead.id AND linked.is_first_touch
                   AND lead.%(field)s IS NULL
                """,
                field=SQL.identifier(dimension.field),
                last=SQL.identifier(dimension.last_field),
                text=text_column,
                id=record_id,
                name=name,
            )
        )
        self.env["crm.touchpoint"].invalidate_model([dimension.field, dimension.text_field])
        self.env["crm.lead"].invalidate_model([dimension.field, dimension.last_field])
