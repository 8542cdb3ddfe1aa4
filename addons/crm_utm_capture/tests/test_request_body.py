from werkzeug.datastructures import MultiDict

from odoo.tests import BaseCase, tagged

from ..tools.request_body import parse_body


@tagged("post_install", "-at_install")
class TestRequestBody(BaseCase):
    def test_urlencoded_body_wins_over_the_query_string(self):
        payload, error = parse_body(
            b"email=a%40example.com&utm_medium=cpc",
            "application/x-www-form-urlencoded",
            {},
            MultiDict([("utm_source", "newsletter"), ("utm_medium", "email")]),
        )
        self.assertIsNone(error)
        self.assertEqual(
            payload, {"email": "a@example.com", "utm_source": "newsletter", "utm_medium": "cpc"}
        )

    def test_repeated_form_field_keeps_every_value(self):
        payload, _error = parse_body(
            b"tag=a&tag=b", "application/x-www-form-urlencoded", {}, MultiDict()
        )
        self.assertEqual(payload, {"tag": ["a", "b"]})

    def test_multipart_keeps_fields_and_file_names_only(self):
        body = (
            b'--xyz\r\nContent-Disposition: form-data; name="email"\r\n\r\nm@example.com\r\n'
            b'--xyz\r\nContent-Disposition: form-data; name="brief"; filename="brief.txt"\r\n'
            b"Content-Type: text/plain\r\n\r\nsecret content\r\n--xyz--\r\n"
        )
        payload, _error = parse_body(body, "multipart/form-data", {"boundary": "xyz"}, MultiDict())
        self.assertEqual(payload, {"email": "m@example.com", "brief": "brief.txt"})

    def test_multipart_with_too_many_parts_is_refused(self):
        part = b'--xyz\r\nContent-Disposition: form-data; name="f"\r\n\r\nv\r\n'
        payload, error = parse_body(
            part * 5000 + b"--xyz--\r\n", "multipart/form-data", {"boundary": "xyz"}, MultiDict()
        )
        self.assertIsNone(payload)
        self.assertTrue(error)

    def test_json_array_is_refused(self):
        payload, error = parse_body(b"[1, 2]", "application/json", {}, MultiDict())
        self.assertIsNone(payload)
        self.assertIn("object", error)

    def test_deeply_nested_json_is_refused_not_crashing(self):
        payload, _error = parse_body(b"[" * 100_000, "application/json", {}, MultiDict())
        self.assertIsNone(payload)
