{
    "name": "CRM Regulation Import",
    "summary": "Import deals and contacts from amoCRM, Bitrix24, 1C and Excel exports "
    "without fining anyone for the past",
    "version": "1.0.0",
    "category": "Sales/CRM",
    "website": "https://github.com/crm-regulation/crm-regulation",
    "author": "CRM Regulation Suite",
    "maintainers": ["crm-regulation"],
    "license": "LGPL-3",
    "development_status": "Alpha",
    "depends": ["crm_regulation", "crm_phone_base"],
    "external_dependencies": {"python": ["openpyxl"]},
    "data": [
        "security/ir.model.access.csv",
        "data/ir_cron_data.xml",
        "views/crm_regulation_import_job_views.xml",
    ],
    "installable": True,
}
