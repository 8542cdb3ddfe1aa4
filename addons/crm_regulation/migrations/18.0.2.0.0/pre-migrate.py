"""Rule IDs became text (addons add rules without extending a selection): forget the
selection values the rule ID and the violations' copy of it had."""

from odoo.tools import SQL


def migrate(cr, version):
    cr.execute(
        SQL(
            """WITH fields AS (
                   SELECT id FROM ir_model_fields
                    WHERE (model, name) IN (('crm.regulation.rule', 'code'),
                                            ('crm.regulation.violation', 'rule_code'))
               ), values AS (
                   DELETE FROM ir_model_fields_selection
                    WHERE field_id IN (SELECT id FROM fields)
                RETURNING id)
               DELETE FROM ir_model_data
                WHERE model = 'ir.model.fields.selection'
                  AND res_id IN (SELECT id FROM values)"""
        )
    )
