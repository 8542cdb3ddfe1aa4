from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, new_test_user

from odoo.addons.crm_phone_base.tools.compat import GROUP_ALL_IMPLIED


class TestReviewerCallAccess(TransactionCase):
    """Reviewers read the call log because this addon says so, and only this addon:
    installing or uninstalling the quality review or the telephony addon, in any order,
    takes this addon (and the access) with it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.reviewer = new_test_user(
            cls.env, login="qa_call_reviewer", groups="crm_quality_review.group_quality_reviewer"
        )
        connection = cls.env["crm.telephony.connection"].create(
            {"name": "Access PBX", "provider": "generic"}
        )
        cls.call = cls.env["crm.telephony.call"].create(
            {
                "connection_id": connection.id,
                "provider_call_id": "qa-access-1",
                "direction": "inbound",
                "status": "answered",
                "client_number": "+79990001122",
            }
        )

    def test_reviewer_reads_the_call_log(self):
        self.assertEqual(self.call.with_user(self.reviewer).status, "answered")

    def test_reviewer_cannot_change_a_call(self):
        with self.assertRaises(AccessError):
            self.call.with_user(self.reviewer).write({"status": "no_answer"})

    def test_the_reviewers_call_access_belongs_to_this_addon_only(self):
        reviewer_group = self.env.ref("crm_quality_review.group_quality_reviewer")
        accesses = self.env["ir.model.access"].search(
            [
                ("model_id.model", "=", "crm.telephony.call"),
                ("group_id", "in", (reviewer_group | reviewer_group[GROUP_ALL_IMPLIED]).ids),
            ]
        )
        owners = self.env["ir.model.data"].search(
            [("model", "=", "ir.model.access"), ("res_id", "in", accesses.ids)]
        )
        self.assertEqual(set(owners.mapped("module")), {"crm_quality_review_telephony"})
        self.assertEqual(len(owners), len(accesses), "no access line without an owner")
