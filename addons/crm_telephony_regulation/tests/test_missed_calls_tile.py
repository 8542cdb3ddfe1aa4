from datetime import timedelta

from odoo import fields
from odoo.tests import TransactionCase, new_test_user


class TestMissedCallsTile(TransactionCase):
    """The dashboard tile "Missed calls not called back" counts exactly the calls it
    opens, on a company of its own with a fixed set of calls."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env["res.company"].create({"name": "Missed Calls Ltd"})
        cls.manager = new_test_user(
            cls.env,
            login="missed_tile_manager",
            groups="sales_team.group_sale_manager,crm_regulation.group_regulation_manager",
            company_id=cls.company.id,
            company_ids=[(6, 0, cls.company.ids)],
        )
        cls.seller = new_test_user(
            cls.env,
            login="missed_tile_seller",
            groups="sales_team.group_sale_salesman",
            company_id=cls.company.id,
            company_ids=[(6, 0, cls.company.ids)],
        )
        Team = cls.env["crm.team"]
        cls.team = Team.create(
            {"name": "Regulated", "use_regulation": True, "company_id": cls.company.id}
        )
        cls.plain_team = Team.create(
            {"name": "Plain", "use_regulation": False, "company_id": cls.company.id}
        )
        cls.won = cls.env["crm.stage"].search([("is_won", "=", True)], limit=1)
        cls.now = fields.Datetime.now()

    def deal(self, name, team=None, **values):
        return self.env["crm.lead"].create(
            {
                "name": name,
                "type": "opportunity",
                "team_id": (team or self.team).id,
                "user_id": self.seller.id,
                "company_id": self.company.id,
                **values,
            }
        )

    def call(self, lead, status="no_answer", days_ago=1, **values):
        self.call_seq = getattr(self, "call_seq", 0) + 1
        return self.env["crm.telephony.call"].create(
            {
                "provider_call_id": f"tile-{self.call_seq}",
                "company_id": lead.company_id.id,
                "direction": "inbound",
                "client_number": f"+7916555{self.call_seq:04d}",
                "status": status,
                "started_at": self.now - timedelta(days=days_ago),
                "lead_id": lead.id,
                **values,
            }
        )

    def open_tile(self):
        Tile = self.env["crm.regulation.dashboard.tile"].with_user(self.manager)
        action = Tile.action_open_dashboard()
        tiles = {tile.code: tile for tile in Tile.search(action["domain"])}
        return tiles["missed_calls"]

    def records_behind(self, tile):
        action = tile.action_open()
        self.assertEqual(action["res_model"], "crm.telephony.call")
        return self.env[action["res_model"]].with_user(self.manager).search(action["domain"])

    def test_tile_counts_and_opens_the_missed_calls_waiting_for_a_call_back(self):
        waiting = self.call(self.deal("Waiting 1")) | self.call(
            self.deal("Waiting 2"), status="busy", days_ago=29
        )
        # not counted: called back, answered, outbound, too old, a plain team's deal,
        # a won deal, another company's call
        self.call(self.deal("Called back"), handled_at=self.now)
        self.call(self.deal("Answered"), status="answered")
        self.call(self.deal("Outbound"), direction="outbound")
        self.call(self.deal("Old"), days_ago=31)
        self.call(self.deal("Plain", team=self.plain_team))
        self.call(self.deal("Won", stage_id=self.won.id))
        other = self.env["res.company"].create({"name": "Elsewhere Ltd"})
        self.call(
            self.env["crm.lead"].create(
                {
                    "name": "Elsewhere",
                    "company_id": other.id,
                    "team_id": self.env["crm.team"]
                    .create({"name": "Far", "use_regulation": True, "company_id": other.id})
                    .id,
                }
            )
        )
        tile = self.open_tile()
        self.assertEqual(tile.record_count, 2)
        self.assertEqual(tile.figure, "2")
        self.assertEqual(tile.level, "danger")
        self.assertEqual(self.records_behind(tile), waiting)

    def test_a_call_back_takes_the_call_off_the_tile(self):
        missed = self.call(self.deal("Returned"))
        self.assertEqual(self.records_behind(self.open_tile()), missed)
        self.env["crm.telephony.call"].create(
            {
                "provider_call_id": "tile-callback",
                "company_id": self.company.id,
                "direction": "outbound",
                "client_number": missed.client_number,
                "status": "answered",
                "started_at": self.now,
                "answered_at": self.now,
            }
        )._mark_missed_handled()
        tile = self.open_tile()
        self.assertEqual((tile.record_count, tile.level), (0, "ok"))
        self.assertFalse(self.records_behind(tile))

    def test_tile_speaks_russian(self):
        self.env["res.lang"]._activate_lang("ru_RU")
        self.env["ir.module.module"]._load_module_terms(
            ["crm_telephony_regulation", "crm_telephony_sip"], ["ru_RU"], overwrite=True
        )
        self.manager.lang = "ru_RU"
        Tile = self.env["crm.regulation.dashboard.tile"].with_user(self.manager)
        tile = Tile.with_context(lang="ru_RU")._tile_missed_calls()
        self.assertEqual(tile["name"], "Пропущенные звонки без перезвона")
        self.assertIn("ещё не перезвонили", tile["description"])
        fields_ru = (
            self.env["crm.telephony.call"]
            .with_context(lang="ru_RU")
            .fields_get(["talk_time_display", "duration_display"], ["string"])
        )
        self.assertEqual(fields_ru["talk_time_display"]["string"], "Время разговора")
        self.assertEqual(fields_ru["duration_display"]["string"], "Длительность")
