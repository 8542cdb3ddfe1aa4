import multiprocessing

from odoo.tests import BaseCase, tagged

from ..tools.email_body import MAX_LINE_CHARS, MAX_TEXT_CHARS, parse_email_body

# Far above what the linear parser needs (milliseconds) and far below what the old
# quadratic label expression took (2.3 s for 32k spaces through the mail gateway, about
# 40 minutes for a 1 MB line): the limit only stops a run that would never end.
GENEROUS_SECONDS = 60


def _parse_in_child(body, connection):
    connection.send(parse_email_body(body))
    connection.close()


def parse_within(body, seconds=GENEROUS_SECONDS):
    """parse_email_body(body) in a child process, or None when it runs past ``seconds``
    (the child is then killed, so that a regression fails the test instead of hanging)."""
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_parse_in_child, args=(body, sender), daemon=True)
    child.start()
    result = receiver.recv() if receiver.poll(seconds) else None
    child.kill()
    child.join()
    return result


@tagged("post_install", "-at_install")
class TestEmailBodyLimits(BaseCase):
    """The e-mail parser sees hostile text: it must finish in linear time."""

    def test_label_followed_by_32k_spaces_is_parsed(self):
        result = parse_within("Name:" + " " * 32_000 + "x\nPhone: +7 999 000-11-22\n")
        self.assertEqual(result, {"phone": "+7 999 000-11-22"})

    def test_one_megabyte_line_is_parsed(self):
        result = parse_within("utm_medium: cpc\nutm_source: " + "a " * 500_000)
        self.assertEqual(result["utm_medium"], "cpc")
        self.assertLessEqual(len(result["utm_source"]), MAX_LINE_CHARS)

    def test_megabyte_of_unclosed_links_and_cells_is_parsed(self):
        body = '<p href="' * 60_000 + "</td>  <td" * 60_000 + "utm_source=" * 60_000
        self.assertIsNotNone(parse_within(body))

    def test_nothing_past_the_text_cap_is_read(self):
        body = "x" * MAX_TEXT_CHARS + "\nutm_source: late\n"
        self.assertNotIn("utm_source", parse_email_body(body))

    def test_only_the_start_of_a_long_line_is_read(self):
        value = parse_email_body("Company: " + "c" * (10 * MAX_LINE_CHARS))["company"]
        self.assertLess(len(value), MAX_LINE_CHARS)
