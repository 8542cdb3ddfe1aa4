from odoo import fields, models


class SurveyUserInput(models.Model):
    _inherit = "survey.user_input"

    quality_review_ids = fields.One2many(
        "crm.quality.review", "survey_answer_id", string="Quality reviews"
    )
