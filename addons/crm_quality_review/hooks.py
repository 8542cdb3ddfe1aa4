from odoo.tools import SQL


def uninstall_hook(env):
    """Fines of past months stay: the quality rules that recorded violations outlive the
    addon (switched off, no longer owned by it), so uninstalling deletes none of them.
    The audits' checklists go with the addon, before the scripts they tick (which they
    keep from being deleted while the addon runs)."""
    env.cr.execute(SQL("DELETE FROM crm_quality_review_check"))
    env.cr.execute(
        SQL(
            """WITH kept AS (
                   DELETE FROM ir_model_data data
                    WHERE data.module = 'crm_quality_review'
                      AND data.model = 'crm.regulation.rule'
                      AND EXISTS (SELECT 1 FROM crm_regulation_violation violation
                                   WHERE violation.rule_id = data.res_id)
                RETURNING data.res_id)
               UPDATE crm_regulation_rule SET active = FALSE
                WHERE id IN (SELECT res_id FROM kept)"""
        )
    )
