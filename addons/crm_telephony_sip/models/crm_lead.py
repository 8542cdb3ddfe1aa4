from markupsafe import Markup

from odoo import _, api, fields, models


class CrmLead(models.Model):
    _name = "crm.lead"
    # callers are found by phone_sanitized (E.164, from mail.thread.phone)
    _inherit = ["crm.lead", "crm.phone.lookup.mixin", "crm.telephony.dial.mixin"]
    _telephony_call_field = "lead_id"

    telephony_call_ids = fields.One2many(
        "crm.telephony.call", "lead_id", "Phone calls", groups="sales_team.group_sale_salesman"
    )
    telephony_call_count = fields.Integer("Calls", compute="_compute_telephony_call_count")
    first_contact_at = fields.Datetime(
        "First contact",
        copy=False,
        index=True,
        help="When the deal was first contacted by phone: the first attempted or answered call.",
    )

    def _telephony_calls_context(self):
        return dict(super()._telephony_calls_context(), default_lead_id=self.id)

    def _telephony_no_number_message(self):
        return _("This deal has no phone number.")

    @api.model
    def _telephony_create_deals(self, vals_list):
        """Create the deals of missed calls from unknown numbers, each with one line in
        its chatter.

        Odoo posts a creation message to notify a new deal's followers (about ten
        queries: author, reply-to address, recipients...). A deal nobody follows (no
        salesperson, no follower of its team: a missed call's deal waits in the inbox)
        has nobody to notify: it gets a log of the same text instead. Scoring reads the
        won stages and first stage from the cache of ``crm.stage``, and a cron the new
        deal wakes (enrichment) is not woken again while a wake-up is due (see
        ``ir.cron._trigger_list``), as for a deal from the capture of a web form.
        """
        leads = self._with_cheap_creation().create(vals_list).with_env(self.env)
        followed = leads.filtered("message_follower_ids")
        for lead in followed:
            lead.sudo().message_post(
                subtype_id=lead._creation_subtype().id,
                author_id=self.env.user.partner_id.id,
                body=Markup('<div summary="o_mail_notification"><p>%s</p></div>')
                % lead._creation_message(),
            )
        quiet = leads - followed
        if quiet:
            quiet._message_log_batch(
                {lead.id: Markup("<p>%s</p>") % lead._creation_message() for lead in quiet},
                author_id=self.env["ir.model.data"]._xmlid_to_res_id("base.partner_root"),
                email_from=False,  # a log is not e-mailed: no sender address to compute
            )
        return leads
