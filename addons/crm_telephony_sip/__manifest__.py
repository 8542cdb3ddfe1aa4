{
    "name": "CRM Telephony (SIP PBX)",
    "summary": "Calls from SIP PBXes and softphones into the CRM: call log, "
    "recordings, missed calls",
    "version": "18.0.2.0.0",
    "category": "Sales/CRM",
    "website": "https://github.com/crm-regulation/crm-regulation",
    "author": "CRM Regulation Suite",
    "maintainers": ["crm-regulation"],
    "license": "LGPL-3",
    "development_status": "Alpha",
    "depends": ["crm", "crm_phone_base", "mail", "phone_validation", "utm"],
    "external_dependencies": {"python": ["phonenumbers", "requests"]},
    "data": [
        "security/crm_telephony_sip_security.xml",
        "security/ir.model.access.csv",
        "data/ir_cron_data.xml",
        "data/ir_cron_grandstream_data.xml",
        "data/mail_activity_type_data.xml",
        "views/crm_telephony_call_views.xml",
        "views/crm_telephony_connection_views.xml",
        "views/crm_telephony_connection_cdr_views.xml",
        "views/crm_telephony_event_views.xml",
        "views/crm_lead_views.xml",
        "views/res_partner_views.xml",
        "views/crm_telephony_menus.xml",
    ],
    "demo": ["demo/crm_telephony_demo.xml"],
    "assets": {
        "web.assets_backend": [
            "crm_telephony_sip/static/src/components/**/*",
        ],
        "web.assets_tests": [
            "crm_telephony_sip/static/tests/tours/**/*",
        ],
    },
    "uninstall_hook": "uninstall_hook",
    "installable": True,
}
