import base64
import re
from pathlib import Path

from odoo.tests import new_test_user

from odoo.addons.crm_phone_base.tools.compat import PHONE_FIELDS
from odoo.addons.crm_regulation.tests.rule_common import RuleCase

DATA = Path(__file__).parent / "data"


class ImportCase(RuleCase):
    """A round-the-clock regulation team, two salespeople named as the files name them,
    and an import manager."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        groups = "sales_team.group_sale_salesman"
        cls.anna = new_test_user(cls.env, login="kovaleva", name="Анна Ковалева", groups=groups)
        cls.igor = new_test_user(cls.env, login="smirnov", name="Игорь Смирнов", groups=groups)
        cls.importer = new_test_user(
            cls.env, login="import_manager", groups="sales_team.group_sale_manager"
        )
        cls.team.member_ids = [(4, cls.anna.id), (4, cls.igor.id)]
        cls.env.company.country_id = cls.env.ref("base.ru")
        cls.rub = cls.env.ref("base.RUB")
        cls.env.company.currency_id = cls.rub
        usd, eur = cls.env.ref("base.USD"), cls.env.ref("base.EUR")
        (usd | eur).active = True
        cls.env["res.currency.rate"].search(
            [("currency_id", "in", (usd | eur | cls.rub).ids)]
        ).unlink()
        # Rates are "units of the currency per 1 company currency": 1 USD = 90 RUB.
        cls.env["res.currency.rate"].create(
            [
                {"currency_id": usd.id, "rate": 1 / 90, "name": "2020-01-01"},
                {"currency_id": eur.id, "rate": 1 / 100, "name": "2020-01-01"},
                {"currency_id": cls.rub.id, "rate": 1, "name": "2020-01-01"},
            ]
        )

    @classmethod
    def import_fixture(cls, name, dry_run=False, **options):
        content = base64.b64encode((DATA / name).read_bytes()).decode()
        jobs = cls.env["crm.regulation.import.job"].with_user(cls.importer)
        jobs = jobs.with_context(lang=cls.importer.lang)  # as the web client and RPC pass it
        return jobs.import_file(name, content, dict(options, team=cls.team.id, dry_run=dry_run))

    def job_of(self, result):
        return self.env["crm.regulation.import.job"].browse(result["job_id"])

    def deal(self, key):
        return (
            self.env["crm.lead"]
            .with_context(active_test=False)
            .search([("import_external_id", "=", key)])
        )

    @staticmethod
    def second_phone(deal):
        """A deal's second number: its mobile (18.0), else the first of the description's
        "Phones:" (19.0 has no mobile)."""
        if len(PHONE_FIELDS) > 1:
            return deal[PHONE_FIELDS[1]]
        found = re.search(r"Phones: (\+\d+)", str(deal.description or ""))
        return found and found.group(1)

    def assert_no_violation_after_the_import(self, leads):
        self.env.flush_all()
        for rule in self.rules.values():
            if rule.detection == "engine" and rule.active:
                rule._detect()
        violations = self.env["crm.regulation.violation"].search([("lead_id", "in", leads.ids)])
        self.assertFalse(violations, violations.mapped(lambda v: (v.rule_id.code, v.lead_id.name)))
