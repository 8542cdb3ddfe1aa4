from odoo import fields, models

FIELD_LABELS = [
    ("external_id", "Row ID in the source"),
    ("deal", "Deal title"),
    ("contact", "Contact person"),
    ("company", "Company"),
    ("phone", "Phone (several)"),
    ("email", "E-mail (several)"),
    ("status", "Stage"),
    ("pipeline", "Pipeline"),
    ("amount", "Amount"),
    ("currency", "Currency"),
    ("salesperson", "Salesperson"),
    ("created", "Created on"),
    ("closed", "Closed on"),
    ("lost_reason", "Lost reason"),
    ("tags", "Tags"),
    ("source", "Source"),
    ("utm_source", "UTM source"),
    ("utm_medium", "UTM medium"),
    ("utm_campaign", "UTM campaign"),
    ("notes", "Notes"),
    ("vat", "Tax ID (INN)"),
    ("kpp", "KPP"),
    ("street", "Address"),
    ("city", "City"),
    ("position", "Job position"),
    ("website", "Website"),
]


class CrmRegulationImportColumn(models.Model):
    _name = "crm.regulation.import.column"
    _description = "Import: what a column of the file fills in"
    _order = "job_id, column_index"

    job_id = fields.Many2one(
        "crm.regulation.import.job", required=True, ondelete="cascade", index=True
    )
    column_index = fields.Integer("Column", required=True, readonly=True)
    header = fields.Char(readonly=True)
    target = fields.Selection(
        FIELD_LABELS, string="Imported as", help="Empty: the column is not imported."
    )
    sample = fields.Char(readonly=True, help="The first value of the column.")
