{
    "name": "CRM Quality Review - Telephony",
    "summary": "Call-script audits of recorded calls: the review's call, the sampling of "
    "answered calls, reviewers' read access to the call log",
    "version": "1.0.0",
    "category": "Sales/CRM",
    "website": "https://github.com/crm-regulation/crm-regulation",
    "author": "CRM Regulation Suite",
    "maintainers": ["crm-regulation"],
    "license": "LGPL-3",
    "development_status": "Alpha",
    "depends": ["crm_quality_review", "crm_telephony_sip"],
    "data": [
        "security/crm_quality_review_telephony_security.xml",
        "security/ir.model.access.csv",
        "views/crm_quality_review_views.xml",
    ],
    "auto_install": True,
    "post_init_hook": "post_init_hook",
    "installable": True,
}
