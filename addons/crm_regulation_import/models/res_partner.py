from odoo import fields, models
from odoo.tools import SQL


class ResPartner(models.Model):
    _inherit = "res.partner"

    import_external_id = fields.Char(
        "Import key",
        readonly=True,
        copy=False,
        help="The source and the row's ID in it: importing the same client list again "
        "finds the contact instead of creating it twice.",
    )

    def init(self):
        result = super().init()
        self.env.cr.execute(
            SQL(
                """CREATE UNIQUE INDEX IF NOT EXISTS res_partner_import_external_id_uniq
                   ON res_partner (import_external_id) WHERE import_external_id IS NOT NULL"""
            )
        )
        return result
