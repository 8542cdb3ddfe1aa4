from odoo import _, models
from odoo.exceptions import AccessError

# What makes a message on a deal a contact with the customer, and when (rule R02, the
# notes of R13): set when it is posted, never changed afterwards.
CONTACT_FIELDS = {"date", "message_type", "subtype_id", "mail_activity_type_id", "author_id"}


class MailMessage(models.Model):
    _inherit = "mail.message"

    def write(self, vals):
        if (
            CONTACT_FIELDS.intersection(vals)
            and not self.env.is_system()
            and any(message.model == "crm.lead" for message in self)
        ):
            raise AccessError(
                _(
                    "The date and kind of a message on a deal are evidence for the "
                    "regulation: they cannot be changed."
                )
            )
        return super().write(vals)
