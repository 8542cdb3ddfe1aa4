from lxml import etree

from odoo.tests import TransactionCase


class TestReadableConfiguration(TransactionCase):
    def test_gate_shows_field_labels_instead_of_paths(self):
        gate = self.env["crm.stage.gate"].create(
            {
                "name": "the customer's tax ID",
                "stage_id": self.env.ref("crm_regulation.stage_qualified").id,
                "gate_type": "field",
                "field_paths": "partner_id.vat|partner_name",
            }
        )
        customer = self.env["crm.lead"]._fields["partner_id"].string  # 19.0: "Contact"
        self.assertEqual(gate.field_labels, f"{customer} → Tax ID or Company Name")

    def test_gate_list_shows_the_labels(self):
        arch = self.env["crm.stage.gate"].get_views([(False, "list")])["views"]["list"]["arch"]
        columns = [node.get("name") for node in etree.fromstring(arch).iter("field")]
        self.assertIn("field_labels", columns)

    def test_settings_rule_table_is_full_width_with_fine_and_severity(self):
        arch = self.env["res.config.settings"].get_views([(False, "form")])["views"]["form"]["arch"]
        setting = etree.fromstring(arch).xpath("//setting[@id='crm_regulation_rules']")[0]
        self.assertIn("col-lg-12", setting.get("class"))
        columns = {node.get("name"): node for node in setting.iter("field")}
        for name, heading in (("fine_amount", "Fine"), ("severity", "Severity")):
            self.assertEqual(columns[name].get("string"), heading)
            self.assertNotEqual(columns[name].get("optional"), "hide")
