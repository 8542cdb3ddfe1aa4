from odoo.tools import SQL

from odoo.addons.crm_phone_base.tools import db_list_cache


def post_load():
    """PBX webhooks take the database list from crm_phone_base's short-lived cache when a
    db filter is set (see crm_phone_base/tools/db_list_cache.py)."""
    db_list_cache.register_public_prefix("/crm_telephony/")


def uninstall_hook(env):
    """Pending "call summary" to-dos would keep their activity type (and so the addon)
    from being removed: they go with the addon."""
    summary_type = env.ref(
        "crm_telephony_sip.mail_activity_type_call_summary", raise_if_not_found=False
    )
    if summary_type:
        env["mail.activity"].search([("activity_type_id", "=", summary_type.id)]).unlink()
    # Calls point to their PBX connection: the shipped demo connection stays while it
    # has calls (its table goes with the addon anyway), so it is not deleted by id.
    env.cr.execute(
        SQL(
            """DELETE FROM ir_model_data data
            WHERE data.module = 'crm_telephony_sip' AND data.model = 'crm.telephony.connection'
              AND EXISTS (SELECT 1 FROM crm_telephony_call call
                           WHERE call.connection_id = data.res_id)"""
        )
    )
