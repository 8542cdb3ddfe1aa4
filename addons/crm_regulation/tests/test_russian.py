from odoo.exceptions import UserError

from .common import RegulationCase

SPEC_RUSSIAN_STAGES = {
    "unsorted": "Неразобранное",
    "new": "Новый лид",
    "in_work": "Принято в работу",
    "qualified": "Квалификация пройдена",
    "proposal_sent": "КП отправлено",
    "proposal_agreed": "КП согласовано",
    "contract_sent": "Счёт+договор отправлен",
    "contract_agreed": "Счёт+договор согласован",
    "prepayment": "Предоплата получена",
    "final_payment": "Доплата получена",
    "won": "Успешно реализовано",
}


class TestRussian(RegulationCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("ru_RU")
        cls.env["ir.module.module"]._load_module_terms(
            ["crm_regulation"], ["ru_RU"], overwrite=True
        )

    def test_stages_carry_the_spec_russian_names(self):
        for code, name in SPEC_RUSSIAN_STAGES.items():
            self.assertEqual(self.stage[code].with_context(lang="ru_RU").name, name)

    def test_gate_error_speaks_the_users_language(self):
        self.salesman.lang = "ru_RU"
        deal = self.make_deal().with_user(self.salesman).with_context(lang="ru_RU")
        with self.assertRaises(UserError) as error:
            deal.write({"stage_id": self.stage["qualified"].id})
        self.assertEqual(
            str(error.exception),
            "Нельзя перевести «ACME — 40 chairs» на этап «Квалификация пройдена»: "
            "заполните бюджет (ожидаемую выручку)",
        )
