from odoo.exceptions import AccessError, ValidationError
from odoo.tools import mute_logger

from .common import RegulationCase


class TestUniqueTags(RegulationCase):
    def test_tag_differing_only_by_case_and_spaces_is_refused(self):
        self.env["crm.tag"].create({"name": "Wholesale"})
        with self.assertRaises(ValidationError), mute_logger("odoo.sql_db"):
            self.env["crm.tag"].create({"name": "  wholesale "})

    def test_tag_names_are_stored_trimmed(self):
        tag = self.env["crm.tag"].create({"name": "  Retail  "})
        self.assertEqual(tag.name, "Retail")

    def test_merge_keeps_the_oldest_tag_and_relinks_deals(self):
        self.env.cr.execute("DROP INDEX IF EXISTS crm_tag_name_normalized_uniq")
        keep = self.env["crm.tag"].create({"name": "VIP"})
        self.env.cr.execute(
            'INSERT INTO crm_tag (name, color) VALUES (\'{"en_US": "vip "}\', 1) RETURNING id'
        )
        duplicate = self.env["crm.tag"].browse(self.env.cr.fetchone()[0])
        deal = self.make_deal(tag_ids=[(6, 0, duplicate.ids)])
        self.env["crm.tag"].action_merge_duplicate_tags()
        self.assertFalse(duplicate.exists())
        self.assertEqual(deal.tag_ids, keep)
        self.env.cr.execute(
            "SELECT 1 FROM pg_indexes WHERE indexname = 'crm_tag_name_normalized_uniq'"
        )
        self.assertTrue(self.env.cr.rowcount, "uniqueness enforced by the database after the merge")

    def test_only_a_regulation_manager_merges_tags(self):
        with self.assertRaises(AccessError):
            self.env["crm.tag"].with_user(self.salesman).action_merge_duplicate_tags()
