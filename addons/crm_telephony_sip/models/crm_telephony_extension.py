from odoo import fields, models

from odoo.addons.crm_phone_base.tools.compat import sql_constraints


@sql_constraints
class CrmTelephonyExtension(models.Model):
    _name = "crm.telephony.extension"
    _description = "PBX extension of a salesperson"
    _order = "connection_id, extension"
    _rec_name = "extension"

    connection_id = fields.Many2one(
        "crm.telephony.connection", required=True, ondelete="cascade", index=True
    )
    extension = fields.Char(required=True, help="The internal number on the PBX, e.g. 101.")
    user_id = fields.Many2one("res.users", "Salesperson", required=True, ondelete="cascade")

    _sql_constraints = [
        (
            "extension_uniq",
            "unique(connection_id, extension)",
            "An extension is mapped once per PBX connection.",
        ),
    ]
