from odoo import fields, models


class CrmTeam(models.Model):
    _inherit = "crm.team"

    inquiry_dedupe = fields.Boolean(
        "Repeat e-mails join the open deal",
        help="An e-mail to the team's alias from a contact (sender, or phone and e-mail of "
        "an e-mailed form) who has an open deal is added to that deal instead of opening "
        "a new lead. Off: Odoo's own behaviour, a new lead for every new e-mail thread.",
    )
