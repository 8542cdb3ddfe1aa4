from odoo.tests import TransactionCase, new_test_user

from odoo.addons.crm_regulation.models.crm_stage import REGULATION_STAGE_CODES


def make_violation(rule, deal, detected_at="2026-01-05 09:00:00", state="open", **values):
    """A violation of ``rule`` on ``deal``, charged to the deal's salesperson, team and
    company; current unless resolved."""
    vals = {
        "rule_id": rule.id,
        "lead_id": deal.id,
        "lead_name": deal.name,
        "user_id": deal.user_id.id,
        "team_id": deal.team_id.id,
        "company_id": (deal.company_id or deal.env.company).id,
        "detected_at": detected_at,
        "state": state,
        "is_current": state != "resolved",
    }
    vals.update(values)
    return deal.env["crm.regulation.violation"].create(vals)


class RegulationCase(TransactionCase):
    """A team on the regulation pipeline, a salesperson, a manager and helpers."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=False))
        cls.stage = {
            code: cls.env.ref(f"crm_regulation.stage_{code}")
            for code, _name in REGULATION_STAGE_CODES
        }
        cls.salesman = new_test_user(
            cls.env, login="reg_salesman", groups="sales_team.group_sale_salesman"
        )
        cls.manager = new_test_user(
            cls.env,
            login="reg_manager",
            groups="sales_team.group_sale_salesman_all_leads,"
            "crm_regulation.group_regulation_manager",
        )
        cls.team = cls.env["crm.team"].create(
            {
                "name": "Regulated team",
                "use_regulation": True,
                "member_ids": [(6, 0, (cls.salesman | cls.manager).ids)],
            }
        )
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "ACME LLC",
                "is_company": True,
                "vat": "7707083893",
                "street": "Tverskaya 7",
            }
        )

    def make_deal(self, name="ACME — 40 chairs", stage="in_work", user=None, **values):
        vals = {
            "name": name,
            "type": "opportunity",
            "team_id": self.team.id,
            "user_id": (user or self.salesman).id,
            "stage_id": self.stage[stage].id,
        }
        vals.update(values)
        return self.env["crm.lead"].create(vals)

    def attach(self, deal, document_type, name="scan.pdf"):
        return self.env["ir.attachment"].create(
            {
                "name": name,
                "res_model": "crm.lead",
                "res_id": deal.id,
                "raw": b"%PDF-1.4 scan",
                "regulation_document_type": document_type,
            }
        )

    def note(self, deal, body="Customer agreed to the proposal."):
        return deal.message_post(body=body, message_type="comment", subtype_xmlid="mail.mt_note")

    def ready_for_contract_agreed(self, deal):
        """Fill in everything the gates up to Invoice and contract agreed ask for."""
        deal.write({"expected_revenue": 100000, "partner_id": self.customer.id})
        self.note(deal)
        self.attach(deal, "contract")
        return deal
