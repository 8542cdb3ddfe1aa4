from odoo.tests import BaseCase, TransactionCase

from odoo.addons.crm_phone_base.tools import parse_phone, parse_phones


class TestParsePhone(BaseCase):
    """Numbers as Russian customers, PBXes and spreadsheets write them."""

    def test_a_russian_number_with_the_trunk_prefix_becomes_e164(self):
        self.assertEqual(parse_phone("8 (912) 345-67-89", "RU").e164, "+79123456789")

    def test_an_international_number_needs_no_region(self):
        self.assertEqual(parse_phone("+44 20 7946 0958").e164, "+442079460958")

    def test_digits_without_a_plus_are_read_as_international(self):
        # PBXes send caller ids like 79123456789 without the plus.
        self.assertEqual(parse_phone("79123456789").e164, "+79123456789")

    def test_sip_and_tel_uris_are_read(self):
        self.assertEqual(parse_phone("sip:+79123456789@pbx.example.com").e164, "+79123456789")
        self.assertEqual(parse_phone("tel:+79123456789").e164, "+79123456789")

    def test_an_extension_is_internal_not_a_customer(self):
        phone = parse_phone("sip:101@pbx.example.com")
        self.assertTrue(phone.is_internal)
        self.assertFalse(phone.valid)

    def test_the_extension_after_a_number_is_kept_apart(self):
        phone = parse_phone("+7 (495) 123-45-67 доб. 105", "RU")
        self.assertEqual((phone.e164, phone.extension), ("+74951234567", "105"))
        self.assertEqual(parse_phone("+1 212 555 0100 ext. 7").extension, "7")

    def test_garbage_is_kept_as_written_and_not_valid(self):
        phone = parse_phone("call me maybe", "RU")
        self.assertFalse(phone.valid)
        self.assertEqual(phone.display, "call me maybe")

    def test_an_invalid_number_is_not_valid(self):
        self.assertFalse(parse_phone("+7 000 000 00 00").valid)

    def test_nothing_is_nothing(self):
        self.assertEqual(parse_phone(None).raw, "")
        self.assertFalse(parse_phone("").valid)

    def test_a_huge_text_is_cut_before_parsing(self):
        self.assertLessEqual(len(parse_phone("9" * 100_000).raw), 64)


class TestParsePhones(BaseCase):
    def test_two_numbers_in_one_cell_are_two_phones(self):
        phones = parse_phones("+7 (912) 345-67-89, 8 (495) 123-45-67", "RU")
        self.assertEqual([p.e164 for p in phones], ["+79123456789", "+74951234567"])

    def test_the_same_number_twice_is_one_phone(self):
        phones = parse_phones("8 912 345 67 89; +7 912 345-67-89", "RU")
        self.assertEqual(len(phones), 1)

    def test_russian_or_separates_numbers(self):
        phones = parse_phones("+79123456789 или +74951234567")
        self.assertEqual(len(phones), 2)


class TestCountryRecord(TransactionCase):
    def test_a_country_record_gives_the_region(self):
        russia = self.env.ref("base.ru")
        self.assertEqual(parse_phone("8 912 345 67 89", russia).e164, "+79123456789")
