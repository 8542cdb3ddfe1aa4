"""Shared pytest hooks: a warning logged by our addons during a test fails that test."""

import logging

import pytest

from odoo.tools import config

# Odoo's test framework logs an error when imported outside test mode, and pytest-odoo
# imports it before it turns test mode on: import it first, in test mode.
config["test_enable"] = True
import odoo.tests.common  # noqa: E402, F401

config["test_enable"] = False

OUR_LOGGERS = tuple(
    f"odoo.addons.{name}"
    for name in ("crm_regulation", "crm_telephony_sip", "crm_utm_capture", "crm_quality_review")
)


class _OurWarnings(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.WARNING)
        self.records = []

    def emit(self, record):
        if record.name.startswith(OUR_LOGGERS):
            self.records.append(record)


@pytest.fixture(autouse=True)
def fail_on_our_warnings():
    handler = _OurWarnings()
    root = logging.getLogger()
    root.addHandler(handler)
    yield
    root.removeHandler(handler)
    if handler.records:
        messages = "\n".join(f"{r.name}: {r.getMessage()}" for r in handler.records)
        pytest.fail(f"our code logged warnings:\n{messages}")


@pytest.fixture(scope="session", autouse=True)
def load_static_paths_once():
    """Read the addons' manifests for static files before the HTTP threads do.

    Python 3.11 can fail with "AST constructor recursion depth mismatch" when several
    threads parse at once; the first browser requests of a tour are such threads.
    """
    try:
        from odoo.http import root
    except ImportError:
        return
    if not hasattr(type(root), "statics"):  # 19.0: manifests cached one by one
        from odoo.modules.module import Manifest

        Manifest.all_addon_manifests()
        return
    root.statics  # noqa: B018 - a lazy property: computing it is the point
