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

    def test_deal_named_after_the_standard_is_accepted(self):
        self.assertTrue(self.make_deal(name="Lesnaya — shelving"))

    def test_deal_breaking_the_standard_is_refused_on_create(self):
        with self.assertRaises(ValidationError) as error:
            self.make_deal(name="chairs")
        self.assertIn("ACME — 40 chairs", str(error.exception))

    def test_renaming_against_the_standard_is_refused(self):
        deal = self.make_deal(name="Lesnaya — shelving")
        with self.assertRaises(ValidationError):
            deal.write({"name": "shelving"})

    def test_invalid_pattern_cannot_be_saved(self):
        with self.assertRaises(ValidationError):
            self.env.company.regulation_deal_name_pattern = "(unclosed"
