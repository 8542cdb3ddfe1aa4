from odoo.tools import SQL


def post_init_hook(env):
    """Audits drawn before this addon existed kept their call as a bare id
    (``call_res_id``, a column crm_quality_review 18.0.3 no longer reads): link them."""
    env.cr.execute(
        SQL(
            """SELECT 1 FROM information_schema.columns
                WHERE table_name = 'crm_quality_review' AND column_name = 'call_res_id'"""
        )
    )
    if not env.cr.fetchone():
        return
    env.cr.execute(
        SQL(
            """UPDATE crm_quality_review review SET call_id = review.call_res_id
                WHERE review.call_id IS NULL
                  AND EXISTS (SELECT 1 FROM crm_telephony_call call
                               WHERE call.id = review.call_res_id)"""
        )
    )
