from odoo.exceptions import AccessError
from odoo.tests import tagged

from odoo.addons.crm_telephony_sip.models.crm_telephony_connection import PROVIDERS
from odoo.addons.crm_telephony_sip.tools.sample_request import BUILDERS

from .common import SECRET, TelephonyCase

CREDENTIALS = {
    "generic": {"secret": SECRET},
    "onlinepbx": {"api_domain": "example.onpbx.ru"},
    "zadarma": {"secret": "zadarma-api-secret", "api_key": "zd-key", "tz": "Europe/Moscow"},
    "mango": {"api_key": "mango-vpbx-key", "secret": "mango-salt"},
    "asterisk": {"secret": SECRET, "tz": "Europe/Moscow"},
    "grandstream": {"secret": SECRET, "tz": "Europe/Moscow"},
}


class TestTelephonyTestEvent(TelephonyCase):
    """ "Send a test event" on a PBX connection goes through the endpoint's processing."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin = cls.env.ref("base.user_admin")

    def send_test_event(self, connection, user=None):
        action = connection.with_user(user or self.admin).action_send_test_event()
        self.env.invalidate_all()
        return action

    def journaled_tests(self, connection):
        return self.env["crm.telephony.event"].search(
            [("connection_id", "=", connection.id), ("is_test", "=", True)]
        )

    def test_admin_test_event_is_journaled_as_a_test_and_notified(self):
        deals_before = self.env["crm.lead"].with_context(active_test=False).search_count([])
        action = self.send_test_event(self.connection)
        self.assertEqual(action["tag"], "display_notification")
        self.assertEqual(action["params"]["type"], "success", action["params"]["message"])
        event = self.journaled_tests(self.connection)
        self.assertEqual(len(event), 1)
        self.assertEqual(event.state, "done")
        call = event.call_ids
        self.assertEqual(call.status, "answered")
        self.assertEqual(call.user_id, self.salesman, "answered by the first extension")
        self.assertTrue(call.provider_call_id.startswith("crm-test-"))
        self.assertIn("Test call", call.summary)
        self.assertIn(call.provider_call_id, action["params"]["message"])
        self.assertFalse(call.lead_id)
        self.assertEqual(
            self.env["crm.lead"].with_context(active_test=False).search_count([]),
            deals_before,
            "a test event opens no deal",
        )

    def test_every_provider_test_event_gives_a_call(self):
        for provider, values in CREDENTIALS.items():
            with self.subTest(provider=provider):
                connection = self.env["crm.telephony.connection"].create(
                    {"name": f"Test {provider}", "provider": provider, **values}
                )
                action = self.send_test_event(connection)
                self.assertEqual(action["params"]["type"], "success", action["params"]["message"])
                self.assertEqual(self.journaled_tests(connection).call_ids.status, "answered")

    def test_every_provider_has_a_test_request_and_setup_steps(self):
        providers = {code for code, _label in PROVIDERS}
        self.assertEqual(providers, set(BUILDERS))
        self.assertEqual(providers, set(CREDENTIALS))
        arch = self.env.ref("crm_telephony_sip.crm_telephony_connection_view_form").arch
        for provider in providers:
            self.assertIn(f'name="setup_{provider}"', arch)

    def test_refused_test_event_says_why(self):
        mango = self.env["crm.telephony.connection"].create(
            {"name": "Mango without credentials", "provider": "mango"}
        )
        action = self.send_test_event(mango)
        self.assertEqual(action["params"]["type"], "danger")
        self.assertIn("HTTP 401", action["params"]["message"])
        self.assertEqual(self.journaled_tests(mango).state, "rejected")

    def test_test_event_comes_from_an_allowed_address(self):
        self.connection.ip_allowlist = "203.0.113.0/24, 198.51.100.7"
        self.send_test_event(self.connection)
        event = self.journaled_tests(self.connection)
        self.assertEqual(event.state, "done")
        self.assertEqual(event.remote_addr, "203.0.113.1")

    def test_salesperson_cannot_send_a_test_event(self):
        with self.assertRaises(AccessError):
            self.connection.with_user(self.salesman).action_send_test_event()
        self.assertFalse(self.journaled_tests(self.connection))

    def test_endpoint_url_is_the_full_address_the_pbx_calls(self):
        base_url = self.connection.get_base_url()
        key = self.connection.key
        self.assertEqual(self.connection.endpoint_url, f"{base_url}/crm_telephony/{key}/event")
        self.connection.provider = "mango"
        self.assertEqual(
            self.connection.endpoint_url,
            f"{base_url}/crm_telephony/{key}",
            "Mango appends /events/<kind> itself",
        )


@tagged("post_install", "-at_install")
class TestTelephonyTestEventTour(TelephonyCase):
    def test_admin_copies_the_url_and_sends_a_test_event_in_the_browser(self):
        self.start_tour(
            f"/odoo/action-crm_telephony_sip.crm_telephony_connection_action/{self.connection.id}",
            "crm_telephony_sip_test_event",
            login="admin",
        )
        event = self.env["crm.telephony.event"].search(
            [("connection_id", "=", self.connection.id), ("is_test", "=", True)]
        )
        self.assertEqual(event.state, "done")

    def test_salesperson_sees_no_test_button_nor_url(self):
        self.start_tour(
            f"/odoo/action-crm_telephony_sip.crm_telephony_connection_action/{self.connection.id}",
            "crm_telephony_sip_connection_salesman",
            login=self.salesman.login,
        )
