from odoo.tests import Form, HttpCase, TransactionCase, new_test_user, tagged


class TestTelephonyConnectionForm(TransactionCase):
    """Configuration → PBX connections → New works for a sales manager."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = new_test_user(
            cls.env, login="tel_form_manager", groups="sales_team.group_sale_manager"
        )

    def test_new_connection_form_opens_with_a_fresh_key_and_saves(self):
        Connection = self.env["crm.telephony.connection"].with_user(self.manager)
        form = Form(Connection)
        self.assertTrue(form.key, "the new form already carries a connection key")
        self.assertGreaterEqual(len(form.key), 32)
        form.name = "Reception PBX"
        connection = form.save()
        self.assertEqual(connection.name, "Reception PBX")
        self.assertEqual(connection.endpoint_path, f"/crm_telephony/{connection.key}/event")

    def test_two_new_connections_get_different_keys(self):
        Connection = self.env["crm.telephony.connection"].with_user(self.manager)
        first, second = Form(Connection), Form(Connection)
        self.assertNotEqual(first.key, second.key)


@tagged("post_install", "-at_install")
class TestTelephonyConnectionTour(HttpCase):
    def test_manager_creates_a_pbx_connection_from_the_menu(self):
        self.start_tour(
            "/odoo/action-crm_telephony_sip.crm_telephony_connection_action",
            "crm_telephony_sip_new_connection",
            login="admin",
        )
        connection = self.env["crm.telephony.connection"].search([("name", "=", "Tour PBX")])
        self.assertTrue(connection.key)
