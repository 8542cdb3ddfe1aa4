from odoo import api, fields, models

TOUCH_UTM_FIELDS = ("source_id", "medium_id", "campaign_id", "utm_term", "utm_content")


class CrmTouchpoint(models.Model):
    """One inquiry of a customer: through which channel, when, and with which UTM tags
    and click ids."""

    _name = "crm.touchpoint"
    _inherit = ["utm.mixin"]
    _description = "Lead touchpoint"
    _order = "touched_at desc, id desc"
    _rec_name = "lead_id"

    lead_id = fields.Many2one("crm.lead", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="lead_id.company_id", store=True)
    channel = fields.Selection(
        [("form", "Web form"), ("email", "E-mail"), ("call", "Call"), ("messenger", "Messenger")],
        required=True,
        default="form",
    )
    touched_at = fields.Datetime("Time", required=True, default=fields.Datetime.now, index=True)
    is_first_touch = fields.Boolean(
        "First touch", readonly=True, help="This inquiry created the lead."
    )
    site_id = fields.Many2one("crm.capture.site", index="btree_not_null", ondelete="set null")
    submission_id = fields.Many2one(
        "crm.capture.submission", index="btree_not_null", ondelete="set null"
    )
    gclid = fields.Char("Google click id")
    yclid = fields.Char("Yandex click id")
    fbclid = fields.Char("Facebook click id")
    landing_url = fields.Char("Landing page")
    referrer = fields.Char()

    @api.model
    def _utm_values(self, inquiry):
        """The UTM fields of a touchpoint (or lead) for inquiry values: source, medium
        and campaign found or created by name, all five always set so that no UTM
        cookie of the current request leaks in."""
        mixin = self.env["utm.mixin"]
        values = {}
        for fname, model, key in (
            ("source_id", "utm.source", "utm_source"),
            ("medium_id", "utm.medium", "utm_medium"),
            ("campaign_id", "utm.campaign", "utm_campaign"),
        ):
            name = (inquiry.get(key) or "").strip()
            values[fname] = mixin._find_or_create_record(model, name).id if name else False
        values["utm_term"] = inquiry.get("utm_term") or False
        values["utm_content"] = inquiry.get("utm_content") or False
        return values

    @api.model
    def _values_from_inquiry(self, inquiry, lead, site=None, submission=None):
        values = {
            "lead_id": lead.id,
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

    def _has_utm(self):
        self.ensure_one()
        return any(self[fname] for fname in TOUCH_UTM_FIELDS)
