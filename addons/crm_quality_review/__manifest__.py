{
    "name": "CRM Quality Review",
    "summary": "The quality reviewer's audit queue: lost-deal call-backs and call-script audits",
    "version": "18.0.1.0.0",
    "category": "Sales/CRM",
    "website": "https://github.com/crm-regulation/crm-regulation",
    "author": "CRM Regulation Suite",
    "maintainers": ["crm-regulation"],
    "license": "LGPL-3",
    "development_status": "Alpha",
    "depends": ["crm_regulation"],
    "data": [
        "security/crm_quality_review_security.xml",
        "security/ir.model.access.csv",
    ],
    "demo": [
        "demo/res_users_demo.xml",
    ],
    "installable": True,
}
