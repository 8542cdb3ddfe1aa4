import logging

from odoo import _, api, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

UNIQUE_INDEX = "crm_tag_name_normalized_uniq"
# Settings → CRM → Regulation; on unless set to "False" (tags are shared by every team
# and company: one choice for the whole database).
UNIQUE_TAG_NAMES_PARAM = "crm_regulation.unique_tag_names"
NORMALIZED_NAME = SQL("lower(btrim(name->>'en_US'))")


class CrmTag(models.Model):
    """Tag names are unique regardless of case and surrounding spaces, unless Settings
    say otherwise."""

    _inherit = "crm.tag"

    def init(self):
        self._create_unique_name_index()

    @api.model
    def _unique_names(self):
        param = self.env["ir.config_parameter"].sudo().get_param(UNIQUE_TAG_NAMES_PARAM)
        return param != "False"

    def _create_unique_name_index(self):
        """Enforce uniqueness in the database once no duplicates are left (and drop it
        when Settings turn uniqueness off).

        A database that already has duplicates keeps working: the index is created by
        the merge action, after the duplicates are merged.
        """
        cr = self.env.cr
        cr.execute(SQL("SELECT 1 FROM pg_indexes WHERE indexname = %s", UNIQUE_INDEX))
        exists = bool(cr.rowcount)
        if not self._unique_names():
            if exists:
                cr.execute(SQL("DROP INDEX %s", SQL.identifier(UNIQUE_INDEX)))
            return
        if exists:
            return
        cr.execute(
            SQL("SELECT 1 FROM crm_tag GROUP BY %s HAVING count(*) > 1 LIMIT 1", NORMALIZED_NAME)
        )
        if cr.rowcount:
            _logger.info("crm.tag has duplicate names: merge them to enforce unique tags")
            return
        cr.execute(
            SQL(
                "CREATE UNIQUE INDEX %s ON crm_tag (%s)",
                SQL.identifier(UNIQUE_INDEX),
                NORMALIZED_NAME,
            )
        )

    @api.model_create_multi
    def create(self, vals_list):
        names = []
        for vals in vals_list:
            if isinstance(vals.get("name"), str):
                vals["name"] = vals["name"].strip()
                names.append(vals["name"])
        self._check_names_available(names)
        return super().create(vals_list)

    def write(self, vals):
        if isinstance(vals.get("name"), str):
            vals["name"] = vals["name"].strip()
            self._check_names_available([vals["name"]] * len(self), exclude=self)
        return super().write(vals)

    @api.model
    def _check_names_available(self, names, exclude=None):
        """Name the clash before the database index refuses it with a raw error."""
        if not self._unique_names():
            return
        normalized = [name.strip().lower() for name in names]
        if len(set(normalized)) < len(normalized):
            raise ValidationError(_("The same tag is given twice: %s", ", ".join(names)))
        if not names:
            return
        self.flush_model(["name"])
        self.env.cr.execute(
            SQL(
                """SELECT name->>'en_US' FROM crm_tag
                    WHERE lower(btrim(name->>'en_US')) = ANY(%s)
                      AND NOT id = ANY(%s) LIMIT 1""",
                normalized,
                (exclude or self.browse()).ids,
            )
        )
        row = self.env.cr.fetchone()
        if row:
            raise ValidationError(_("The tag '%s' already exists.", row[0]))

    @api.model
    def action_merge_duplicate_tags(self):
        """Merge tags whose names differ only by case or spaces into the oldest one."""
        self.env["res.users"]._check_regulation_manager(
            _("Only a regulation manager may merge duplicate tags.")
        )
        self.env.flush_all()
        cr = self.env.cr
        cr.execute(
            SQL(
                """CREATE TEMP TABLE crm_tag_merge ON COMMIT DROP AS
                   SELECT id AS duplicate_id,
                          min(id) OVER (PARTITION BY %s) AS keep_id
                     FROM crm_tag""",
                NORMALIZED_NAME,
            )
        )
        cr.execute(SQL("DELETE FROM crm_tag_merge WHERE duplicate_id = keep_id"))
        merged = cr.rowcount and self._merge_rows()
        cr.execute(SQL("DROP TABLE crm_tag_merge"))
        self.env.invalidate_all()
        self._create_unique_name_index()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": _("%s duplicate tags merged.", merged),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    def _merge_rows(self):
        """Move every link to a duplicate (deals, and any other model's tags) onto the
        tag kept, then delete the duplicates through the ORM."""
        cr = self.env.cr
        cr.execute(SQL("SELECT duplicate_id FROM crm_tag_merge"))
        duplicates = self.browse([row[0] for row in cr.fetchall()])
        for field in self._fields_linking_tags():
            if field.type == "many2many":
                cr.execute(self._relink_many2many_query(field))
            else:
                cr.execute(self._relink_many2one_query(field))
        self.env.invalidate_all()
        duplicates.sudo().unlink()
        return len(duplicates)

    @api.model
    def _fields_linking_tags(self):
        """The stored many2many and many2one fields of every model pointing to tags."""
        return [
            field
            for model in self.env.registry.values()
            if not model._abstract and model._auto
            for field in model._fields.values()
            if field.comodel_name == self._name
            and field.store
            and not field.company_dependent
            and field.type in ("many2many", "many2one")
            and (field.type == "many2one" or field.relation)
        ]

    @api.model
    def _relink_many2many_query(self, field):
        return SQL(
            """INSERT INTO %(table)s (%(owner)s, %(tag)s)
               SELECT rel.%(owner)s, merge.keep_id
                 FROM %(table)s rel
                 JOIN crm_tag_merge merge ON merge.duplicate_id = rel.%(tag)s
               ON CONFLICT DO NOTHING""",
            table=SQL.identifier(field.relation),
            owner=SQL.identifier(field.column1),
            tag=SQL.identifier(field.column2),
        )

    @api.model
    def _relink_many2one_query(self, field):
        return SQL(
            """UPDATE %(table)s SET %(column)s = merge.keep_id
                 FROM crm_tag_merge merge WHERE %(table)s.%(column)s = merge.duplicate_id""",
            table=SQL.identifier(self.env[field.model_name]._table),
            column=SQL.identifier(field.name),
        )
