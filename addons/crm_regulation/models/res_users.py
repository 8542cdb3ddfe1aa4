from odoo import api, models
from odoo.exceptions import AccessError


class ResUsers(models.Model):
    _inherit = "res.users"

    @api.model
    def _check_regulation_manager(self, message):
        """Refuse with ``message`` unless the current user is a regulation manager (or
        the code runs as superuser): the one check behind every manager-only action."""
        if not (self.env.su or self.env.user.has_group("crm_regulation.group_regulation_manager")):
            raise AccessError(message)
