{
    "name": "CRM Quality Review",
    "summary": "The quality reviewer's audit queue: lost-deal call-backs and call-script audits",
    "version": "3.0.0",
    "category": "Sales/CRM",
    "website": "https://github.com/crm-regulation/crm-regulation",
    "author": "CRM Regulation Suite",
    "maintainers": ["crm-regulation"],
    "license": "LGPL-3",
    "development_status": "Alpha",
    "depends": ["crm_regulation", "survey"],
    "data": [
        "security/crm_quality_review_security.xml",
        "security/ir.model.access.csv",
        "data/crm_regulation_rule_data.xml",
        "data/crm_quality_script_data.xml",
        "data/survey_data.xml",
        "data/ir_cron_data.xml",
        "views/crm_quality_review_views.xml",
        "views/crm_quality_review_batch_views.xml",
        "views/crm_quality_menus.xml",
        "series/load.xml",
    ],
    "demo": [
        "demo/res_users_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "crm_quality_review/static/tests/tours/*.js",
        ],
    },
    "uninstall_hook": "uninstall_hook",
    "installable": True,
}
