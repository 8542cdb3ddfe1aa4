"""What seed_demo adds when the other addons of the suite are installed on the server:
UTM touchpoints (crm_utm_capture), calls with recording links (crm_telephony_sip) and
quality reviews of lost deals (crm_quality_review). Deterministic from the seed."""

import datetime
import random

UTM = [
    ("yandex", "cpc", "Office chairs — search", "купить офисные кресла"),
    ("google", "cpc", "Office furniture — search", "office furniture wholesale"),
    ("vk", "social", "Autumn sale", ""),
    ("direct", "none", "", ""),
    ("newsletter", "email", "November digest", ""),
]
CHANNELS = ["form", "form", "email", "call", "messenger"]
CALL_SUMMARIES = [
    "Discussed the quantities and the delivery date; sending the proposal today.",
    "The customer compares two suppliers; call back on Friday with the discount.",
    "Budget confirmed by the director; contract draft requested.",
]


def odoo_datetime(moment):
    return moment.strftime("%Y-%m-%d %H:%M:%S")


class SeedExtras:
    def __init__(self, seeder, seed):
        self.seeder = seeder
        self.env = seeder.env
        self.rng = random.Random(f"extras-{seed}")
        self.seed = seed

    def has_model(self, name):
        return bool(self.env["ir.model"].search_count([("model", "=", name)]))

    def add(self, deals, users, now):
        """Return {what: count} of the extras created."""
        created = {}
        if self.has_model("crm.touchpoint"):
            created["touchpoints"] = self.touchpoints(deals, now)
        if self.has_model("crm.telephony.call"):
            created["calls"] = self.calls(deals, users, now)
        if self.has_model("crm.quality.review"):
            created["reviews"] = self.reviews(deals, users)
        return created

    def utm_ids(self, model, name):
        if not name:
            return False
        found = self.env[model].search([("name", "=", name)], limit=1)
        return found[0] if found else self.env[model].create({"name": name})

    def touchpoints(self, deals, now):
        vals = []
        for deal in deals:
            for _touch in range(self.rng.choice([1, 1, 2, 3])):
                source, medium, campaign, term = self.rng.choice(UTM)
                vals.append(
                    {
                        "lead_id": deal["id"],
                        "channel": self.rng.choice(CHANNELS),
                        "touched_at": odoo_datetime(
                            now - datetime.timedelta(days=self.rng.uniform(1, 90))
                        ),
                        "source_id": self.utm_ids("utm.source", source),
                        "medium_id": self.utm_ids("utm.medium", medium),
                        "campaign_id": self.utm_ids("utm.campaign", campaign),
                        "utm_term": term or False,
                    }
                )
        return len(self.seeder.create("crm.touchpoint", vals))

    def calls(self, deals, users, now):
        connections = self.env["crm.telephony.connection"].search([], limit=1)
        if not connections:
            return 0
        vals = []
        for deal in deals:
            for number in range(self.rng.choice([0, 1, 2, 3])):
                answered = self.rng.random() < 0.75
                started = now - datetime.timedelta(days=self.rng.uniform(0.5, 60))
                talk = self.rng.randint(40, 900) if answered else 0
                vals.append(
                    {
                        "connection_id": connections[0],
                        "provider_call_id": f"seed-{self.seed}-{deal['id']}-{number}",
                        "direction": self.rng.choice(["inbound", "outbound", "outbound"]),
                        "client_number": deal["company"]["person"].get("phone") or "+74950000000",
                        "user_id": users[deal["salesperson_index"] % len(users)],
                        "lead_id": deal["id"],
                        "status": "answered" if answered else "no_answer",
                        "started_at": odoo_datetime(started),
                        "answered_at": odoo_datetime(started + datetime.timedelta(seconds=8))
                        if answered
                        else False,
                        "ended_at": odoo_datetime(started + datetime.timedelta(seconds=10 + talk)),
                        "duration": 10 + talk,
                        "talk_time": talk,
                        "recording_url": (
                            f"https://pbx.example.com/recordings/seed{self.seed}-{deal['id']}-"
                            f"{number}.mp3"
                        )
                        if answered
                        else False,
                        "summary": self.rng.choice(CALL_SUMMARIES)
                        if answered and self.rng.random() < 0.7
                        else False,
                    }
                )
        return len(self.seeder.create("crm.telephony.call", vals))

    def reviews(self, deals, users):
        group = self.env.ref("crm_quality_review.group_quality_reviewer")
        # a user's groups, implied ones included: groups_id on Odoo 18.0, all_group_ids on 19.0
        on_19 = self.env["ir.model.fields"].search_count(
            [("model", "=", "res.users"), ("name", "=", "all_group_ids")]
        )
        field = "all_group_ids" if on_19 else "groups_id"
        reviewers = self.env["res.users"].search([(field, "in", [group.id])])
        lost = [deal for deal in deals if deal["lost"]]
        if not reviewers or not lost:
            return 0
        vals = [
            {
                "lead_id": deal["id"],
                "review_type": "lost_callback",
                "reviewer_id": reviewers[index % len(reviewers)],
                "salesperson_id": users[deal["salesperson_index"] % len(users)],
                "due_date": str(datetime.date.today() + datetime.timedelta(days=index % 7)),
            }
            for index, deal in enumerate(lost)
        ]
        return len(self.seeder.create("crm.quality.review", vals))
