from odoo import api, models


class ResGroups(models.Model):
    _inherit = "res.groups"

    @api.model
    def _regulation_grant_read(self, group_xmlid, model_name):
        """Give a group read access to a model of another addon, once both are installed.

        For addons that work together without depending on each other (the quality
        department reads the call log); each calls it from its data, so whichever is
        installed last grants the access.
        """
        group = self.env.ref(group_xmlid, raise_if_not_found=False)
        model = self.env["ir.model"]._get(model_name)
        if not group or not model:
            return False
        access = self.env["ir.model.access"].sudo()
        if access.search_count([("model_id", "=", model.id), ("group_id", "=", group.id)]):
            return False
        granted = access.create(
            {
                "name": f"{model_name} read for {group_xmlid}",
                "model_id": model.id,
                "group_id": group.id,
                "perm_read": True,
            }
        )
        # Owned by the group's addon: uninstalling it removes the access before the group.
        module, group_name = group_xmlid.split(".")
        self.env["ir.model.data"].sudo().create(
            {
                "module": module,
                "name": f"access_{model_name.replace('.', '_')}_{group_name}",
                "model": "ir.model.access",
                "res_id": granted.id,
                "noupdate": True,
            }
        )
        return True
