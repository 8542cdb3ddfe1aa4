from odoo.tools import SQL


def uninstall_hook(env):
    """Keep the regulation stages that still hold deals, as ordinary stages.

    Deleting them would be refused (deals point to them) or would lose the deals'
    stage; dropping their external ids lets the uninstall remove only what is unused.
    The violations go with the engine: their rules, which they keep from being deleted
    while the engine runs, can then be removed.
    """
    env.cr.execute(SQL("DELETE FROM crm_regulation_violation"))
    env.cr.execute(
        SQL(
            """DELETE FROM ir_model_data data
                WHERE data.module = 'crm_regulation' AND data.model = 'crm.stage'
                  AND EXISTS (SELECT 1 FROM crm_lead lead WHERE lead.stage_id = data.res_id)"""
        )
    )
