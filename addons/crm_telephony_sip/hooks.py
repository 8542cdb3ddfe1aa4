def uninstall_hook(env):
    """Pending "call summary" to-dos would keep their activity type (and so the addon)
    from being removed: they go with the addon."""
    summary_type = env.ref(
        "crm_telephony_sip.mail_activity_type_call_summary", raise_if_not_found=False
    )
    if summary_type:
        env["mail.activity"].search([("activity_type_id", "=", summary_type.id)]).unlink()
