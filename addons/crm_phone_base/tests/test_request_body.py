import io

from odoo.tests import BaseCase, tagged

from odoo.addons.crm_phone_base.tools.request_body import BodyTooLarge, drain, read_bounded


class Trickle(io.RawIOBase):
    """A stream that returns at most ``step`` bytes per read, like a socket."""

    def __init__(self, data, step=7):
        self.data, self.step, self.read_bytes = data, step, 0

    def readable(self):
        return True

    def readinto(self, buffer):
        chunk = self.data[self.read_bytes : self.read_bytes + min(self.step, len(buffer))]
        buffer[: len(chunk)] = chunk
        self.read_bytes += len(chunk)
        return len(chunk)


@tagged("post_install", "-at_install")
class TestRequestBody(BaseCase):
    def test_body_within_the_limit_is_read_whole_from_short_reads(self):
        self.assertEqual(read_bounded(Trickle(b"x" * 100), 100), b"x" * 100)

    def test_body_over_the_limit_stops_one_byte_past_it(self):
        stream = Trickle(b"x" * 10_000_000, step=65536)
        with self.assertRaises(BodyTooLarge):
            read_bounded(stream, 1000)
        self.assertEqual(stream.read_bytes, 1001)

    def test_drain_reads_at_most_its_bound(self):
        stream = Trickle(b"x" * 10_000_000, step=65536)
        self.assertFalse(drain(stream, limit=1_000_000))
        self.assertLess(stream.read_bytes, 1_100_000)
        self.assertTrue(drain(Trickle(b"short"), limit=1_000_000))
