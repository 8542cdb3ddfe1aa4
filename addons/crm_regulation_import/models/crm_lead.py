from odoo import fields, models
from odoo.tools import SQL


class CrmLead(models.Model):
    _inherit = "crm.lead"

    import_job_id = fields.Many2one(
        "crm.regulation.import.job",
        string="Imported by",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="set null",
    )
    import_external_id = fields.Char(
        "Import key",
        readonly=True,
        copy=False,
        help="The source and the row's ID in it (e.g. amocrm_deals:1234): importing the "
        "same export again finds the deal instead of creating it twice.",
    )
    import_contacted = fields.Boolean(
        "Contacted before the import",
        readonly=True,
        copy=False,
        help="The deal had passed its first contact in the old system: the import counts "
        "as its first contact (rule R02).",
    )

    def init(self):
        result = super().init()
        self.env.cr.execute(
            SQL(
                """CREATE UNIQUE INDEX IF NOT EXISTS crm_lead_import_external_id_uniq
                   ON crm_lead (import_external_id) WHERE import_external_id IS NOT NULL"""
            )
        )
        return result

    def _regulation_contact_moments(self):
        """A deal imported past its first contact was contacted in the old system."""
        return SQL(
            """%s UNION ALL
               SELECT lead.id AS lead_id, lead.regulation_start_at AS contact_at
                 FROM crm_lead lead
                WHERE lead.import_contacted AND lead.regulation_start_at IS NOT NULL""",
            super()._regulation_contact_moments(),
        )
