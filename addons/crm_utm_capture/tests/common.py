import json

from odoo.tests import HttpCase, new_test_user

ORIGIN = "https://shop.example.com"


class CaptureHttpCase(HttpCase):
    """A capture site and helpers that post to it over real HTTP."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.salesperson = new_test_user(
            cls.env,
            login="utm_capture_sales",
            name="Sam Seller",
            groups="sales_team.group_sale_salesman",
        )
        cls.team = cls.env["crm.team"].create({"name": "Web inquiries"})
        cls.site = cls.env["crm.capture.site"].create(
            {
                "name": "Shop",
                "allowed_origins": ORIGIN,
                "team_id": cls.team.id,
                "user_id": cls.salesperson.id,
                "country_id": cls.env.ref("base.ru").id,
            }
        )
        cls.Lead = cls.env["crm.lead"].with_context(active_test=False)

    def capture_url(self, key=None):
        return f"/crm/capture/{key or self.site.key}"

    def post_form(self, data, key=None, headers=None, files=None):
        return self.url_open(
            self.capture_url(key),
            data=data,
            files=files,
            headers={"Origin": ORIGIN, **(headers or {})},
        )

    def post_json(self, payload, key=None, headers=None):
        body = payload if isinstance(payload, bytes | str) else json.dumps(payload)
        return self.url_open(
            self.capture_url(key),
            data=body,
            headers={"Origin": ORIGIN, "Content-Type": "application/json", **(headers or {})},
        )

    def lead_of(self, response):
        """The lead recorded for a capture response."""
        reference = response.json()["reference"]
        submission = self.env["crm.capture.submission"].search([("name", "=", reference)])
        return submission.lead_id
