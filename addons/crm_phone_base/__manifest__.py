{
    "name": "CRM Phone Base",
    "summary": "Shared base of telephony, lead capture and imports: one phone-number "
    "normaliser, bounded reading of public endpoints' request bodies",
    "version": "1.3.0",
    "category": "Sales/CRM",
    "website": "https://github.com/crm-regulation/crm-regulation",
    "author": "CRM Regulation Suite",
    "maintainers": ["crm-regulation"],
    "license": "LGPL-3",
    "development_status": "Alpha",
    "depends": ["crm", "phone_validation"],
    "external_dependencies": {"python": ["phonenumbers"]},
    "data": [],
    "post_load": "post_load",
    "installable": True,
}
