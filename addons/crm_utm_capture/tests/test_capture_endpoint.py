from odoo.tests import tagged

from .common import ORIGIN, CaptureHttpCase


@tagged("post_install", "-at_install")
class TestCaptureEndpoint(CaptureHttpCase):
    def test_urlencoded_form_creates_lead_with_utm_tags(self):
        response = self.post_form(
            {
                "name": "Ivan Petrov",
                "phone": "8 (999) 123-45-67",
                "utm_source": "yandex",
                "utm_medium": "cpc",
                "utm_campaign": "spring_sale",
                "utm_term": "buy crm",
                "utm_content": "banner_top",
            }
        )
        self.assertEqual(response.status_code, 201)
        lead = self.lead_of(response)
        self.assertEqual(lead.contact_name, "Ivan Petrov")
        self.assertEqual(lead.source_id.name, "yandex")
        self.assertEqual(lead.medium_id.name, "cpc")
        self.assertEqual(lead.campaign_id.name, "spring_sale")
        self.assertEqual(lead.utm_term, "buy crm")
        self.assertEqual(lead.utm_content, "banner_top")

    def test_multipart_form_creates_lead(self):
        response = self.post_form(
            {"name": "Olga", "email": "olga@example.com", "utm_source": "vk"},
            files={"attachment": ("brief.txt", b"hello", "text/plain")},
        )
        self.assertEqual(response.status_code, 201)
        lead = self.lead_of(response)
        self.assertEqual(lead.email_from, "olga@example.com")
        self.assertEqual(lead.source_id.name, "vk")

    def test_json_body_creates_lead(self):
        response = self.post_json(
            {"name": "Anna", "email": "anna@example.com", "company": "Roga i Kopyta"}
        )
        self.assertEqual(response.status_code, 201)
        lead = self.lead_of(response)
        self.assertEqual(lead.partner_name, "Roga i Kopyta")
        self.assertEqual(lead.team_id, self.team)
        self.assertEqual(lead.user_id, self.salesperson)

    def test_new_lead_lands_in_the_first_stage_of_a_plain_team(self):
        response = self.post_json({"email": "stage@example.com"})
        first_stage = self.env["crm.lead"]._stage_find(team_id=self.team.id)
        self.assertEqual(self.lead_of(response).stage_id, first_stage)

    def test_site_stage_wins_over_the_team_default(self):
        stage = self.env["crm.stage"].create({"name": "Web inbox", "sequence": 900})
        self.site.stage_id = stage
        response = self.post_json({"email": "inbox@example.com"})
        self.assertEqual(self.lead_of(response).stage_id, stage)

    def test_russian_phone_is_normalized_to_e164(self):
        response = self.post_json({"phone": "8 (999) 123-45-67"})
        lead = self.lead_of(response)
        self.assertEqual(lead.phone, "+79991234567")
        self.assertFalse(lead.phone_invalid)

    def test_invalid_phone_is_kept_as_typed_and_flagged(self):
        response = self.post_json({"phone": "12-34", "email": "typo@example.com"})
        lead = self.lead_of(response)
        self.assertEqual(lead.phone, "12-34")
        self.assertTrue(lead.phone_invalid)

    def test_click_ids_and_landing_page_are_kept_on_the_touchpoint(self):
        response = self.post_json(
            {
                "email": "click@example.com",
                "gclid": "G-123",
                "landing_url": "https://shop.example.com/?utm_source=google&yclid=Y-9",
                "referrer": "https://www.google.com/",
            }
        )
        touchpoint = self.lead_of(response).touchpoint_ids
        self.assertEqual(touchpoint.gclid, "G-123")
        self.assertEqual(touchpoint.yclid, "Y-9")
        self.assertEqual(touchpoint.source_id.name, "google")
        self.assertEqual(touchpoint.referrer, "https://www.google.com/")
        self.assertEqual(touchpoint.channel, "form")

    def test_extra_fields_are_kept_on_the_lead(self):
        response = self.post_json({"email": "extra@example.com", "budget": "100k", "city": "Kazan"})
        self.assertEqual(self.lead_of(response).capture_extra, {"budget": "100k", "city": "Kazan"})

    def test_missing_contact_is_a_400_with_field_errors(self):
        response = self.post_json({"name": "Nobody"})
        self.assertEqual(response.status_code, 400)
        self.assertEqual([error["field"] for error in response.json()["errors"]], ["phone"])

    def test_invalid_email_is_a_400(self):
        response = self.post_json({"email": "not an address"})
        self.assertEqual(response.status_code, 400)
        self.assertIn("email", [error["field"] for error in response.json()["errors"]])

    def test_malformed_json_is_a_400_in_json(self):
        response = self.post_json(b"{not json")
        self.assertEqual(response.status_code, 400)
        self.assertEqual(response.json()["errors"][0]["field"], "body")

    def test_unknown_key_is_404(self):
        response = self.post_json({"email": "x@example.com"}, key="no-such-site")
        self.assertEqual(response.status_code, 404)

    def test_archived_site_is_404(self):
        self.site.active = False
        response = self.post_json({"email": "x@example.com"})
        self.assertEqual(response.status_code, 404)

    def test_disallowed_origin_is_403(self):
        response = self.post_json(
            {"email": "x@example.com"}, headers={"Origin": "https://evil.example.net"}
        )
        self.assertEqual(response.status_code, 403)

    def test_cors_preflight_allows_the_site_origin(self):
        response = self.opener.options(
            self.base_url() + self.capture_url(),
            headers={"Origin": ORIGIN, "Access-Control-Request-Method": "POST"},
            timeout=12,
        )
        self.assertEqual(response.status_code, 204)
        self.assertEqual(response.headers["Access-Control-Allow-Origin"], ORIGIN)
        self.assertIn("POST", response.headers["Access-Control-Allow-Methods"])

    def test_cors_preflight_refuses_other_origins(self):
        response = self.opener.options(
            self.base_url() + self.capture_url(),
            headers={"Origin": "https://evil.example.net"},
            timeout=12,
        )
        self.assertEqual(response.status_code, 403)

    def test_response_allows_the_site_origin(self):
        response = self.post_json({"email": "cors@example.com"})
        self.assertEqual(response.headers["Access-Control-Allow-Origin"], ORIGIN)

    def test_submission_is_journaled_with_its_fields_and_the_start_of_its_body(self):
        response = self.post_json({"email": "journal@example.com", "message": "y" * 10000})
        submission = self.submission_of(response)
        self.assertEqual(submission.state, "done")
        self.assertEqual(submission.payload["email"], "journal@example.com")
        self.assertIn("journal@example.com", submission.raw_body)
        self.assertEqual(len(submission.raw_body), 4096)

    def test_unknown_utm_values_are_kept_as_text_without_creating_records(self):
        sources = self.env["utm.source"].search_count([])
        response = self.post_json(
            {"email": "text@example.com", "utm_source": "brand-new-network", "utm_medium": "cpc"}
        )
        lead = self.lead_of(response)
        self.assertEqual(self.env["utm.source"].search_count([]), sources)
        self.assertFalse(lead.source_id)
        self.assertEqual(lead.touchpoint_ids.source_text, "brand-new-network")
        self.assertEqual(lead.medium_id.name, "cpc")

    def test_a_wildcard_never_matches_an_existing_source(self):
        response = self.post_json({"email": "wild@example.com", "utm_source": "yan%"})
        lead = self.lead_of(response)
        self.assertFalse(lead.source_id)
        self.assertEqual(lead.touchpoint_ids.source_text, "yan%")

    def test_utm_cookies_of_the_request_never_create_records(self):
        sources = self.env["utm.source"].search_count([])
        # in the browser session's cookies: 19.0 ignores test requests without its own
        self.opener.cookies.set("odoo_utm_source", "cookie-network")
        self.opener.cookies.set("odoo_utm_campaign", "cookie-camp")
        response = self.post_json({"email": "cookie@example.com"})
        lead = self.lead_of(response)
        self.assertEqual(self.env["utm.source"].search_count([]), sources)
        self.assertFalse(lead.source_id or lead.campaign_id)

    def test_oversize_body_is_413_and_leaves_nothing_behind(self):
        self.site.max_body_bytes = 1000
        response = self.post_json({"email": "big@example.com", "message": "x" * 5000})
        self.assertEqual(response.status_code, 413)
        self.assertEqual(response.json(), {"error": "payload_too_large"})
        self.assertFalse(self.submissions())

    def test_javascript_snippet_is_served_to_any_website(self):
        response = self.url_open("/crm_utm_capture/static/src/js/crm_utm_capture.js")
        self.assertEqual(response.status_code, 200)
        self.assertIn("_utm_loaded_at", response.text)

    def test_body_over_the_hard_cap_is_a_json_413(self):
        response = self.post_form({"email": "huge@example.com", "message": "x" * (2 << 20)})
        self.assertEqual(response.status_code, 413)
        self.assertEqual(response.json(), {"error": "payload_too_large"})
        self.assertFalse(self.submissions())

    def test_chunked_body_over_the_limit_is_a_413_without_reading_it_all(self):
        self.site.max_body_bytes = 1000

        def chunks():
            yield b'{"email": "chunked@example.com", "message": "'
            for _i in range(64):
                yield b"x" * 1024
            yield b'"}'

        # a generator body is sent with Transfer-Encoding: chunked, no Content-Length
        response = self.post_json(chunks())
        self.assertEqual(response.status_code, 413)
        self.assertFalse(self.submissions())

    def test_chunked_body_within_the_limit_creates_a_lead(self):
        response = self.post_json(iter([b'{"email": "chunks@', b'example.com"}']))
        self.assertEqual(response.status_code, 201)
        self.assertEqual(self.lead_of(response).email_from, "chunks@example.com")

    def test_get_is_a_json_405(self):
        response = self.url_open(self.capture_url(), headers={"Origin": ORIGIN})
        self.assertEqual(response.status_code, 405)
        self.assertEqual(response.json(), {"error": "method_not_allowed"})

    def test_query_string_tags_complete_a_json_body(self):
        response = self.url_open(
            self.capture_url() + "?utm_source=newsletter&utm_medium=email",
            data='{"email": "query@example.com", "utm_medium": "cpc"}',
            headers={"Origin": ORIGIN, "Content-Type": "application/json"},
        )
        lead = self.lead_of(response)
        self.assertEqual(lead.source_id.name.lower(), "newsletter")
        self.assertEqual(lead.medium_id.name, "cpc")
