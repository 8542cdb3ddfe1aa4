import json

from odoo.tests import HttpCase, new_test_user

ORIGIN = "https://shop.example.com"
# UTM records the marketing team created; anything else sent is kept as text only
KNOWN_UTM = {
    "utm.source": ["yandex", "google", "vk", "newsletter", "facebook"],
    "utm.medium": ["cpc", "social"],
    "utm.campaign": ["spring_sale", "brand"],
}


def create_known_utm(env):
    for model, names in KNOWN_UTM.items():
        Model = env[model].with_context(active_test=False)
        existing = {name.lower() for name in Model.search([]).mapped("name")}
        Model.create([{Model._rec_name: name} for name in names if name not in existing])


class CaptureHttpCase(HttpCase):
    """A capture site and helpers that post to it over real HTTP."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        create_known_utm(cls.env)
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
        # a dict is sent as JSON; bytes, text or an iterator of bytes (chunked) as is
        body = json.dumps(payload) if isinstance(payload, dict | list) else payload
        return self.url_open(
            self.capture_url(key),
            data=body,
            headers={"Origin": ORIGIN, "Content-Type": "application/json", **(headers or {})},
        )

    def submission_of(self, response):
        """The journal entry of a capture response."""
        reference = response.json()["reference"]
        return self.env["crm.capture.submission"].search([("name", "=", reference)])

    def lead_of(self, response):
        """The lead recorded for a capture response."""
        return self.submission_of(response).lead_id

    def submissions(self):
        return self.env["crm.capture.submission"].search([("site_id", "=", self.site.id)])
