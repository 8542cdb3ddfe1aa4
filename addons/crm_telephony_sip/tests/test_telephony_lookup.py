from odoo.tests import TransactionCase


class TestTelephonyCallerLookup(TransactionCase):
    """Callers are found through crm_phone_base's lookup, many numbers at once."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_client = cls.env["res.partner"].create(
            {"name": "Lookup LLC", "is_company": True}
        )
        cls.employee = cls.env["res.partner"].create(
            {"name": "Anna Lookup", "parent_id": cls.company_client.id, "phone": "+79161110001"}
        )
        cls.company_deal = cls.env["crm.lead"].create(
            {"name": "Lookup LLC deal", "type": "opportunity", "partner_id": cls.company_client.id}
        )
        cls.phone_deal = cls.env["crm.lead"].create(
            {"name": "Deal by phone", "type": "opportunity", "phone": "+79161110002"}
        )

    def test_find_by_phone_answers_many_numbers_in_one_query(self):
        Partner = self.env["res.partner"]
        Partner._find_by_phone(["+79160000000"])  # warm the caches (access rules)
        self.env.flush_all()
        self.env.invalidate_all()
        with self.assertQueryCount(1):
            found = Partner._find_by_phone(["+79161110001", "+79169999999", False])
        self.assertEqual(found, {"+79161110001": self.employee})

    def test_client_of_a_number_is_the_deal_with_it_or_the_contacts_company_deal(self):
        clients = self.env["crm.telephony.call"]._find_clients(
            ["+79161110001", "+79161110002", "+79169999999"], self.env.company
        )
        self.assertEqual(clients["+79161110001"], (self.employee, self.company_deal))
        self.assertEqual(clients["+79161110002"][1], self.phone_deal)
        self.assertNotIn("+79169999999", clients)
