import json
from email.message import EmailMessage

from odoo.tests import HttpCase, new_test_user, tagged

ORIGIN = "https://regulated.example.com"


@tagged("post_install", "-at_install")
class TestRegulationInquiries(HttpCase):
    """In one database a team follows the regulation and another does not: captured
    inquiries of the first land in its inbox stages, the second keeps Odoo's behaviour."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.salesperson = new_test_user(
            cls.env, login="capture_reg_sales", groups="sales_team.group_sale_salesman"
        )
        cls.regulated = cls.env["crm.team"].create(
            {"name": "Regulated inquiries", "use_regulation": True}
        )
        cls.plain = cls.env["crm.team"].create({"name": "Plain inquiries"})
        cls.site = cls.env["crm.capture.site"].create(
            {
                "name": "Regulated site",
                "allowed_origins": ORIGIN,
                "team_id": cls.regulated.id,
                "user_id": cls.salesperson.id,
                "rate_limit_window": 0,
            }
        )
        cls.message_count = 0

    def post(self, payload):
        return self.url_open(
            f"/crm/capture/{self.site.key}",
            data=json.dumps(payload),
            headers={"Origin": ORIGIN, "Content-Type": "application/json"},
        )

    def submission_of(self, response):
        return self.env["crm.capture.submission"].search(
            [("name", "=", response.json()["reference"])]
        )

    def receive(self, team, sender, body="Hello, I need a quote."):
        type(self).message_count += 1
        message = EmailMessage()
        message["From"] = sender
        message["To"] = "sales@example.com"
        message["Subject"] = f"Question {self.message_count}"
        message["Message-ID"] = f"<capture-reg-{self.message_count}@example.com>"
        message.set_content(body)
        lead_id = self.env["mail.thread"].message_process(
            "crm.lead", message.as_bytes(), custom_values={"team_id": team.id}
        )
        return self.env["crm.lead"].browse(lead_id)

    def test_inquiry_with_a_salesperson_is_a_new_lead(self):
        lead = self.submission_of(self.post({"email": "new@example.com"})).lead_id
        self.assertEqual(lead.stage_id, self.env.ref("crm_regulation.stage_new"))

    def test_inquiry_nobody_is_assigned_to_lands_in_unsorted(self):
        self.site.user_id = False
        lead = self.submission_of(self.post({"email": "nobody@example.com"})).lead_id
        self.assertEqual(lead.stage_id, self.env.ref("crm_regulation.stage_unsorted"))

    def test_plain_team_inquiry_lands_in_odoo_first_stage(self):
        self.site.team_id = self.plain
        lead = self.submission_of(self.post({"email": "plain@example.com"})).lead_id
        self.assertFalse(lead.stage_id.regulation_code)

    def test_email_to_a_regulation_team_nobody_is_assigned_to_lands_in_unsorted(self):
        lead = self.receive(self.regulated, "Ivan <ivan.reg@example.com>")
        self.assertEqual(lead.stage_id, self.env.ref("crm_regulation.stage_unsorted"))

    def test_regulation_team_adds_a_repeat_email_to_the_open_deal(self):
        first = self.receive(self.regulated, "Olga <olga.reg@example.com>")
        second = self.receive(self.regulated, "Olga <olga.reg@example.com>", "Any news?")
        self.assertEqual(second, first)

    def test_plain_team_gets_a_new_lead_for_a_second_email_as_in_odoo(self):
        first = self.receive(self.plain, "Petr <petr.plain@example.com>")
        second = self.receive(self.plain, "Petr <petr.plain@example.com>", "Another topic")
        self.assertNotEqual(second, first)
        self.assertEqual(second.email_normalized, "petr.plain@example.com")
        self.assertFalse(second.stage_id.regulation_code)

    def test_dedupe_follows_the_team_into_and_out_of_the_regulation(self):
        self.assertTrue(self.regulated.inquiry_dedupe)
        self.assertFalse(self.plain.inquiry_dedupe)
        self.plain.use_regulation = True
        self.regulated.use_regulation = False
        self.assertTrue(self.plain.inquiry_dedupe)
        self.assertFalse(self.regulated.inquiry_dedupe)

    def test_inquiry_that_cannot_be_recorded_is_kept_and_retried_once_fixed(self):
        # a stage whose gate (budget known, R11) no fresh inquiry meets
        self.site.stage_id = self.env.ref("crm_regulation.stage_qualified")
        with self.assertLogs("odoo.addons.crm_utm_capture", level="ERROR"):
            response = self.post({"email": "gated@example.com"})
        self.assertEqual(response.status_code, 202)
        submission = self.submission_of(response)
        self.assertEqual((submission.state, submission.attempts), ("error", 1))
        self.assertIn("budget", submission.failure)
        self.site.stage_id = False
        submission.action_retry()
        self.assertEqual(submission.state, "done")
        self.assertEqual(submission.lead_id.stage_id, self.env.ref("crm_regulation.stage_new"))
