from odoo import fields, models

DOCUMENT_TYPES = [
    ("contract", "Contract"),
    ("invoice", "Invoice"),
    ("proposal", "Proposal"),
    ("messenger", "Messenger screenshot"),
    ("other", "Other"),
]


class IrAttachment(models.Model):
    _inherit = "ir.attachment"

    regulation_document_type = fields.Selection(
        DOCUMENT_TYPES,
        string="Document type",
        index="btree_not_null",
        help="Lets stage gates tell a contract scan from any other file.",
    )
