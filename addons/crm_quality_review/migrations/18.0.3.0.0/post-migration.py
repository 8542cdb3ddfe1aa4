from odoo.tools import SQL


def migrate(cr, version):
    """Reviewers' read access to the call log was created at run time by whichever of
    this addon and the telephony addon installed last, owned by this addon; it now
    belongs to the glue addon crm_quality_review_telephony. The old line goes, so that
    uninstalling the glue addon takes the access with it. (Audits keep their call in
    the old ``call_res_id`` column: the glue addon links them when it installs.)"""
    cr.execute(
        SQL(
            """WITH gone AS (
                   DELETE FROM ir_model_data
                    WHERE module = 'crm_quality_review' AND model = 'ir.model.access'
                      AND name = 'access_crm_telephony_call_group_quality_reviewer'
                RETURNING res_id)
               DELETE FROM ir_model_access WHERE id IN (SELECT res_id FROM gone)"""
        )
    )
