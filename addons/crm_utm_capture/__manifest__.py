{
    "name": "CRM UTM Capture",
    "summary": "Web-form and e-mail lead capture with UTM tags, dedupe and attribution",
    "version": "18.0.1.0.0",
    "category": "Sales/CRM",
    "website": "https://github.com/crm-regulation/crm-regulation",
    "author": "CRM Regulation Suite",
    "maintainers": ["crm-regulation"],
    "license": "LGPL-3",
    "development_status": "Alpha",
    "depends": ["crm_regulation"],
    "external_dependencies": {"python": ["phonenumbers"]},
    "data": [
        "security/ir.model.access.csv",
    ],
    "demo": [],
    "installable": True,
}
