{
    "name": "CRM Telephony - Regulation",
    "summary": "Calls in the regulation rules: first contacts, missed calls called back, "
    "call summaries, missed-call deals in Unsorted",
    "version": "1.0.0",
    "category": "Sales/CRM",
    "website": "https://github.com/crm-regulation/crm-regulation",
    "author": "CRM Regulation Suite",
    "maintainers": ["crm-regulation"],
    "license": "LGPL-3",
    "development_status": "Alpha",
    "depends": ["crm_telephony_sip", "crm_regulation"],
    "auto_install": True,
    "installable": True,
}
