from odoo.exceptions import ValidationError

from .common import RegulationCase


class TestNamingStandard(RegulationCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.write(
            {
                "regulation_deal_name_pattern": r".+ — .+",
                "regulation_deal_name_example": "ACME — 40 chairs",
            }
        )

    def make_deal(self, name="ACME — 40 chairs", stage="in_work", user=None, **values):
        # Salespeople name deals; deals the system makes itself (sudo) are exempt.
        return super().make_deal(name, stage, user, **values).with_user(self.salesman)

    def create_as_salesman(self, name):
        return (
            self.env["crm.lead"]
            .with_user(self.salesman)
            .create({"name": name, "type": "opportunity", "team_id": self.team.id})
        )

    def test_deal_named_after_the_standard_is_accepted(self):
        self.assertTrue(self.create_as_salesman("Lesnaya — shelving"))

    def test_deal_breaking_the_standard_is_refused_on_create(self):
        with self.assertRaises(ValidationError) as error:
            self.create_as_salesman("chairs")
        self.assertIn("ACME — 40 chairs", str(error.exception))

    def test_renaming_against_the_standard_is_refused(self):
        deal = self.make_deal(name="Lesnaya — shelving")
        with self.assertRaises(ValidationError):
            deal.write({"name": "shelving"})

    def test_deals_made_by_the_system_are_exempt(self):
        self.assertTrue(self.env["crm.lead"].sudo().create({"name": "Missed call +7 999"}))

    def test_invalid_pattern_cannot_be_saved(self):
        with self.assertRaises(ValidationError):
            self.env.company.regulation_deal_name_pattern = "(unclosed"
