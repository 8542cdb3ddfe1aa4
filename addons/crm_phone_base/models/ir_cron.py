from odoo import fields, models
from odoo.tools import SQL

# Context key set while an inquiry is recorded or a missed call opens a deal: a cron with
# a wake-up already due is not woken again (see IrCron._trigger_list)
COALESCE_CRON_TRIGGERS = "crm_capture_coalesce_cron_triggers"
# Cursor cache key: {cron id: whether a wake-up is due}, as checked by IrCron.exists
DUE_TRIGGERS_KEY = "crm_capture_due_cron_triggers"


class IrCron(models.Model):
    _inherit = "ir.cron"

    def _trigger_list(self, at_list):
        """While an inquiry is recorded or a missed call opens a deal (context key
        ``COALESCE_CRON_TRIGGERS``), an immediate trigger of a cron that already has
        one due is left out.

        ``crm_iap_enrich`` triggers its enrichment cron for every new lead: a trigger
        row and, after the commit, a connection to the ``postgres`` database to wake the
        cron workers, per inquiry. The trigger already due runs the job, which enriches
        every lead created within the hour; a lead created while the job runs waits for
        the next run, as it does with Odoo's own trigger (deleted when that run ends).
        With enrichment set to manual, crm_iap_enrich triggers nothing at all.
        """
        if (
            self.env.context.get(COALESCE_CRON_TRIGGERS)
            and at_list
            and max(at_list) <= fields.Datetime.now()
            and self._has_due_trigger()
        ):
            return self.env["ir.cron.trigger"]
        return super()._trigger_list(at_list)

    def exists(self):
        """While a lead is created so, the look-up of a cron (``env.ref`` of
        ``crm_iap_enrich`` before it triggers its cron) also says whether a wake-up of
        it is due: one query for both (see ``_has_due_trigger``)."""
        if (
            not self.env.context.get(COALESCE_CRON_TRIGGERS)
            or not self.ids
            or len(self.ids) != len(self._ids)  # new records: Odoo's answer
        ):
            return super().exists()
        self.env.cr.execute(
            SQL(
                """SELECT cron.id, EXISTS(SELECT 1 FROM ir_cron_trigger trigger
                                           WHERE trigger.cron_id = cron.id
                                             AND trigger.call_at <= %s)
                     FROM ir_cron cron WHERE cron.id IN %s""",
                fields.Datetime.now(),
                tuple(self.ids),
            )
        )
        due = dict(self.env.cr.fetchall())
        self.env.cr.cache.setdefault(DUE_TRIGGERS_KEY, {}).update(due)
        return self.browse([cron_id for cron_id in self._ids if cron_id in due])

    def _has_due_trigger(self):
        self.ensure_one()
        known = self.env.cr.cache.get(DUE_TRIGGERS_KEY, {})
        if self.id in known:
            return known.pop(self.id)
        self.env.cr.execute(
            SQL(
                "SELECT 1 FROM ir_cron_trigger WHERE cron_id = %s AND call_at <= %s LIMIT 1",
                self.id,
                fields.Datetime.now(),
            )
        )
        return bool(self.env.cr.fetchone())
