from .common import RegulationCase, make_violation


class TestViolationBanner(RegulationCase):
    """A salesperson opening a deal with an open violation sees what clears it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.r13 = cls.env.ref("crm_regulation.rule_r13")
        cls.r13.escalation_hours = 24

    def violation(self, deal, state="open"):
        return make_violation(self.r13, deal, state=state)

    def test_deal_shows_the_banner_with_how_to_fix(self):
        deal = self.make_deal()
        self.violation(deal)
        seen = deal.with_user(self.salesman)
        self.assertIn("No note after the last call", self.r13.how_to_fix)
        self.assertIn(self.r13.how_to_fix, seen.regulation_violation_banner)
        self.assertIn(self.r13.name, seen.regulation_violation_banner)
        self.assertIn("clear before", seen.regulation_violation_banner)

    def test_smart_button_counts_open_violations_only(self):
        deal = self.make_deal()
        self.violation(deal)
        resolved = self.make_deal(name="ACME — resolved")
        self.violation(resolved, state="resolved")
        seen = deal.with_user(self.salesman)
        self.assertEqual(seen.regulation_open_violation_count, 1)
        self.assertEqual(resolved.with_user(self.salesman).regulation_open_violation_count, 0)
        self.assertFalse(resolved.with_user(self.salesman).regulation_violation_banner)
        action = seen.action_view_regulation_violations()
        violations = self.env[action["res_model"]].with_user(self.salesman).search(action["domain"])
        self.assertEqual(violations.lead_id, deal)

    def test_violation_form_has_a_deadline(self):
        """Detected 5 January 2026 at 09:00, escalated after 24 hours."""
        violation = self.violation(self.make_deal())
        self.assertEqual(str(violation.deadline), "2026-01-06 09:00:00")
        violation.state = "resolved"
        self.assertFalse(violation.deadline)

    def test_banner_speaks_russian(self):
        self.env["res.lang"]._activate_lang("ru_RU")
        self.env["ir.module.module"]._load_module_terms(
            ["crm_regulation"], ["ru_RU"], overwrite=True
        )
        deal = self.make_deal()
        self.violation(deal)
        self.salesman.lang = "ru_RU"
        banner = (
            deal.with_user(self.salesman).with_context(lang="ru_RU").regulation_violation_banner
        )
        self.assertIn("Нет заметки после последнего звонка или КП", banner)
        self.assertIn("устранить до", banner)
