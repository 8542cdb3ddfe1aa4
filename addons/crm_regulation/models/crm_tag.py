import logging

from odoo import _, api, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

UNIQUE_INDEX = "crm_tag_name_normalized_uniq"
NORMALIZED_NAME = SQL("lower(btrim(name->>'en_US'))")


class CrmTag(models.Model):
    """Tag names are unique regardless of case and surrounding spaces."""

    _inherit = "crm.tag"

    def init(self):
        self._create_unique_name_index()

    def _create_unique_name_index(self):
        """Enforce uniqueness in the database once no duplicates are left.

        A database that already has duplicates keeps working: the index is created by
        the merge action, after the duplicates are merged.
        """
        cr = self.env.cr
        cr.execute(SQL("SELECT 1 FROM pg_indexes WHERE indexname = %s", UNIQUE_INDEX))
        if cr.rowcount:
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
        self.flush_model()
        self.env["crm.lead"].flush_model(["tag_ids"])
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
        cr = self.env.cr
        cr.execute(SQL("SELECT count(*) FROM crm_tag_merge"))
        merged = cr.fetchone()[0]
        cr.execute(
            SQL(
                """INSERT INTO crm_tag_rel (lead_id, tag_id)
                   SELECT rel.lead_id, merge.keep_id
                     FROM crm_tag_rel rel
                     JOIN crm_tag_merge merge ON merge.duplicate_id = rel.tag_id
                   ON CONFLICT DO NOTHING"""
            )
        )
        cr.execute(SQL("DELETE FROM crm_tag WHERE id IN (SELECT duplicate_id FROM crm_tag_merge)"))
        return merged
