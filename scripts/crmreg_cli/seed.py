"""seed_demo: realistic, deterministic demo data for the regulation pipeline."""

import argparse
import base64
import datetime
import random
import urllib.error

import odoorpc
import phonenumbers

from .connection import CONNECTION_HELP, CliError, add_connection_arguments, connect, rpc_message
from .progress import Progress
from .seed_extras import SeedExtras

DESCRIPTION = """Generate realistic demo data in a running Odoo over RPC: companies and contacts
with Russian and international phones, deals across every regulation stage (walked
through the pipeline so that the stage gates hold and the stage history is consistent,
then spread over the past), planned and overdue activities, lost deals with lost
reasons. The same --seed gives the same data; a seed already generated is not
generated twice (its deals are marked 'demo seed <N>' in Referred by: a tag
would show on every card)."""

EPILOG = (
    """examples:
  export ODOO_URL=http://127.0.0.1:8069 ODOO_DB=crm_regulation_demo ODOO_LOGIN=admin
  read -rs ODOO_PASSWORD && export ODOO_PASSWORD
  scripts/seed_demo --deals 200 --seed 7
  scripts/seed_demo --deals 20 --seed 7 --dry-run          # the deals it would create
  scripts/seed_demo --deals 5000 --seed 1 --team "Sales" --days 365

"""
    + CONNECTION_HELP
)

PIPELINE = [
    "new",
    "in_work",
    "qualified",
    "proposal_sent",
    "proposal_agreed",
    "contract_sent",
    "contract_agreed",
    "prepayment",
    "final_payment",
    "won",
]
# How many deals end in each stage: many early, fewer as the pipeline narrows.
STAGE_WEIGHTS = [14, 14, 12, 11, 9, 8, 7, 7, 6, 12]

RU_FIRST = [("Иван", "ivan"), ("Анна", "anna"), ("Сергей", "sergey"), ("Ольга", "olga"),
            ("Дмитрий", "dmitry"), ("Мария", "maria"), ("Алексей", "alexey"),
            ("Елена", "elena"), ("Николай", "nikolay"), ("Татьяна", "tatiana")]  # fmt: skip
RU_FEMALE = {"Анна", "Ольга", "Мария", "Елена", "Татьяна"}
RU_LAST = [("Петров", "petrov"), ("Смирнов", "smirnov"), ("Кузнецов", "kuznetsov"),
           ("Попов", "popov"), ("Соколов", "sokolov"), ("Волков", "volkov"),
           ("Лебедев", "lebedev"), ("Новиков", "novikov")]  # fmt: skip
INTL_FIRST = ["John", "Emma", "Lukas", "Sophie", "Pierre", "Giulia", "Aidar", "Oliver"]
INTL_LAST = ["Smith", "Müller", "Dubois", "Rossi", "Brown", "Schneider", "Nurlanov"]
RU_COMPANIES = [("Ромашка", "romashka"), ("Вектор", "vektor"), ("Север", "sever"),
                ("Лесная", "lesnaya"), ("Техноторг", "tekhnotorg"), ("Стройресурс", "stroyresurs"),
                ("Альфа-Мебель", "alfa-mebel"), ("Гранит", "granit"),
                ("Волга-Логистик", "volga-logistik"), ("Уралпром", "uralprom")]  # fmt: skip
RU_FORMS = ["ООО", "АО", "ИП"]
INTL_COMPANIES = ["Nordwind", "Atlas Trading", "Bluebird Foods", "Helix Systems",
                  "Lumen Office", "Baltic Cargo", "Orion Retail"]  # fmt: skip
INTL_FORMS = ["GmbH", "Ltd", "SARL", "LLC", "S.p.A."]
PRODUCTS = ["office chairs", "meeting tables", "staff lockers", "pallet racks", "standing desks",
            "warehouse shelving", "reception desks", "filing cabinets"]  # fmt: skip
RU_CITIES = [("Москва", "Тверская ул."), ("Санкт-Петербург", "Невский пр."),
             ("Казань", "ул. Баумана"), ("Екатеринбург", "ул. Малышева"),
             ("Новосибирск", "Красный пр.")]  # fmt: skip
INTL_CITIES = {"DE": "Berlin", "GB": "London", "FR": "Lyon", "IT": "Milano", "KZ": "Almaty",
               "US": "Chicago"}  # fmt: skip
ACTIVITY_TYPES = [
    "mail.mail_activity_data_call",
    "mail.mail_activity_data_email",
    "mail.mail_activity_data_todo",
    "mail.mail_activity_data_meeting",
]
LOST_REASONS = ["Too expensive", "Выбрали конкурента", "Нет бюджета", "Не дозвонились"]
NOTES = [
    "Customer agreed to the proposal: delivery next month, 30% prepayment.",
    "Клиент согласовал КП: доставка в течение месяца, предоплата 50%.",
    "Agreed by phone with the purchasing manager; written confirmation received.",
]


def build_parser():
    parser = argparse.ArgumentParser(
        prog="seed_demo",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--deals", type=int, default=60, help="number of deals (60)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (1)")
    parser.add_argument("--team", help="sales team name or id (default: first regulation team)")
    parser.add_argument("--salespeople", help="comma-separated logins (default: team members)")
    parser.add_argument("--lost-share", type=float, default=0.15, help="share of lost deals")
    parser.add_argument("--days", type=int, default=90, help="spread history over N days (90)")
    parser.add_argument("--batch-size", type=int, default=200, help="records per RPC call")
    parser.add_argument("--dry-run", action="store_true", help="print the planned deals only")
    parser.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                        help="progress bar (default: when stderr is a terminal)")  # fmt: skip
    add_connection_arguments(parser)
    return parser


# ------------------------------------------------------------------ generation


def random_phone(rng, region):
    """A valid phone of the region, built from the seed (retries until valid)."""
    patterns = {
        "RU": ("+7", ["9"], 10),
        "DE": ("+49", ["151", "160", "170", "176"], 11),
        "GB": ("+44", ["7"], 10),
        "FR": ("+33", ["6", "7"], 9),
        "IT": ("+39", ["3"], 10),
        "KZ": ("+7", ["70", "77"], 10),
        "US": ("+1", ["312", "415", "646"], 10),
    }
    code, prefixes, length = patterns[region]
    for _attempt in range(100):
        prefix = rng.choice(prefixes)
        digits = prefix + "".join(rng.choice("0123456789") for _ in range(length - len(prefix)))
        number = phonenumbers.parse(code + digits)
        if phonenumbers.is_valid_number(number) and (
            phonenumbers.region_code_for_number(number) == region
        ):
            return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    raise RuntimeError(f"no valid {region} phone generated")  # pragma: no cover


class Generator:
    """Plans everything from the seed before anything is written."""

    def __init__(self, seed, deals, lost_share, days):
        self.rng = random.Random(seed)
        self.seed = seed
        self.deal_count = deals
        self.lost_share = lost_share
        self.days = days
        self.used_names = set()

    def _unique(self, name):
        candidate, number = name, 2
        while candidate in self.used_names:
            candidate, number = f"{name} {number}", number + 1
        self.used_names.add(candidate)
        return candidate

    def company(self):
        rng = self.rng
        if rng.random() < 0.7:
            city, street = rng.choice(RU_CITIES)
            short, domain = rng.choice(RU_COMPANIES)
            name = f'{rng.choice(RU_FORMS)} "{short}"'
            return {
                "short": short,
                "domain": domain,
                "region": "RU",
                "vals": {
                    "name": name,
                    "is_company": True,
                    "vat": "".join(rng.choice("0123456789") for _ in range(10)),
                    "street": f"{street} {rng.randint(1, 120)}",
                    "city": city,
                    "phone": random_phone(rng, "RU"),
                },
            }
        region = rng.choice(sorted(INTL_CITIES))
        short = rng.choice(INTL_COMPANIES)
        name = f"{short} {rng.choice(INTL_FORMS)}"
        return {
            "short": short,
            "domain": short.lower().replace(" ", "-"),
            "region": region,
            "vals": {
                "name": name,
                "is_company": True,
                "company_registry": "".join(rng.choice("0123456789") for _ in range(9)),
                "street": f"{rng.randint(1, 200)} Main Street",
                "city": INTL_CITIES[region],
                "phone": random_phone(rng, region),
            },
        }

    def person(self, company):
        rng = self.rng
        if company["region"] == "RU":
            (first, first_latin), (last, last_latin) = rng.choice(RU_FIRST), rng.choice(RU_LAST)
            region = "RU"
            if first in RU_FEMALE:
                last, last_latin = last + "а", last_latin + "a"
        else:
            first, last = rng.choice(INTL_FIRST), rng.choice(INTL_LAST)
            first_latin, last_latin = first.lower(), last.lower().replace("ü", "ue")
            region = company["region"]
        login = f"{first_latin}.{last_latin}{rng.randint(1, 999)}"
        return {
            "name": f"{first} {last}",
            "phone": random_phone(rng, region),
            "email": f"{login}@{company['domain']}.example.com",
        }

    def deals(self):
        rng = self.rng
        companies = [self.company() for _ in range(max(1, self.deal_count * 2 // 3))]
        for company in companies:
            company["person"] = self.person(company)
        deals = []
        for _index in range(self.deal_count):
            company = rng.choice(companies)
            target = rng.choices(range(len(PIPELINE)), weights=STAGE_WEIGHTS)[0]
            lost = PIPELINE[target] != "won" and rng.random() < self.lost_share
            count = rng.choice([4, 6, 10, 12, 20, 25, 40, 60, 100, 300])
            deals.append(
                {
                    "company": company,
                    "name": self._unique(f"{company['short']} — {count} {rng.choice(PRODUCTS)}"),
                    "target": target,
                    "lost": lost,
                    "lost_reason": rng.choice(LOST_REASONS) if lost else None,
                    "amount": rng.randint(20, 3000) * 1000,
                    "salesperson_index": rng.randrange(1000),
                    "started_days_ago": rng.uniform(target + 1, max(self.days, target + 2)),
                    "stage_hours": [rng.uniform(0.2, 72) for _ in PIPELINE],
                    "activity": rng.choice(ACTIVITY_TYPES),
                    "activity_in_days": rng.choice([-3, -1, 1, 2, 3, 5, 7]),
                    "note": rng.choice(NOTES),
                }
            )
        return companies, deals


# ------------------------------------------------------------------- writing


def chunks(items, size):
    return [items[i : i + size] for i in range(0, len(items), size)]


class Seeder:
    def __init__(self, client, args):
        self.client = client
        self.env = client.env
        self.args = args
        self.ref = {}

    def xml_id(self, name):
        if name not in self.ref:
            self.ref[name] = self.env.ref(name).id
        return self.ref[name]

    def team(self):
        teams = self.env["crm.team"]
        arg = self.args.team
        if arg:
            domain = [("id", "=", int(arg))] if arg.isdigit() else [("name", "=ilike", arg)]
        else:
            domain = [("use_regulation", "=", True)]
        found = teams.search_read(domain, ["name", "use_regulation", "member_ids", "user_id"])
        if not found:
            raise CliError(
                f"unknown sales team '{arg}'" if arg else "no regulation team: pass --team"
            )
        if not found[0]["use_regulation"]:
            raise CliError(f"team '{found[0]['name']}' does not follow the regulation")
        return found[0]

    def salespeople(self, team):
        users = self.env["res.users"]
        if self.args.salespeople:
            logins = [login.strip() for login in self.args.salespeople.split(",") if login.strip()]
            found = users.search_read([("login", "in", logins)], ["login"])
            missing = sorted(set(logins) - {user["login"] for user in found})
            if missing:
                raise CliError(f"unknown salesperson login '{missing[0]}'")
            return sorted(user["id"] for user in found)
        ids = set(team["member_ids"]) | ({team["user_id"][0]} if team["user_id"] else set())
        internal = users.search([("id", "in", sorted(ids)), ("share", "=", False)])
        return sorted(internal) or [self.client.env.uid]

    def stages(self):
        stages = self.env["crm.stage"].search_read([("regulation_code", "!=", False)],
                                                   ["regulation_code"])  # fmt: skip
        by_code = {stage["regulation_code"]: stage["id"] for stage in stages}
        missing = [code for code in PIPELINE if code not in by_code]
        if missing:
            raise CliError("the server has no regulation stages: is crm_regulation installed?")
        return by_code

    def lost_reasons(self):
        model = self.env["crm.lost.reason"]
        existing = {r["name"]: r["id"] for r in model.search_read([], ["name"])}
        for name in LOST_REASONS:
            if name not in existing:
                existing[name] = model.create({"name": name})
        return existing

    def create(self, model, vals_list):
        ids = []
        for chunk in chunks(vals_list, self.args.batch_size):
            created = self.env[model].create(chunk)
            ids.extend(created if isinstance(created, list) else [created])
        return ids

    def create_partners(self, companies):
        company_ids = self.create("res.partner", [company["vals"] for company in companies])
        people = []
        for company, company_id in zip(companies, company_ids, strict=True):
            company["id"] = company_id
            people.append({**company["person"], "parent_id": company_id})
        for company, person_id in zip(companies, self.create("res.partner", people), strict=True):
            company["person_id"] = person_id

    def create_deals(self, deals, team_id, users, stages, marker):
        vals = [
            {
                "name": deal["name"],
                "type": "opportunity",
                "team_id": team_id,
                "stage_id": stages["new"],
                "partner_id": deal["company"]["person_id"],
                "expected_revenue": deal["amount"],
                "user_id": users[deal["salesperson_index"] % len(users)],
                "referred": marker,
            }
            for deal in deals
        ]
        for deal, lead_id in zip(deals, self.create("crm.lead", vals), strict=True):
            deal["id"] = lead_id

    def walk(self, deals, stages, progress):
        """Move the deals forward one stage at a time, meeting each stage's gates."""
        for index, code in enumerate(PIPELINE[1:], start=1):
            moving = [deal for deal in deals if deal["target"] >= index]
            if not moving:
                break
            if code == "proposal_agreed":
                self.write_notes(moving)
            if code == "contract_agreed":
                self.attach_contracts(moving)
            for chunk in chunks([deal["id"] for deal in moving], self.args.batch_size):
                self.env["crm.lead"].write(chunk, {"stage_id": stages[code]})
            progress.advance(1)

    def write_notes(self, deals):
        self.create(
            "mail.message",
            [
                {
                    "model": "crm.lead",
                    "res_id": deal["id"],
                    "message_type": "comment",
                    "subtype_id": self.xml_id("mail.mt_note"),
                    "body": deal["note"],
                }
                for deal in deals
            ],
        )

    def attach_contracts(self, deals):
        scan = base64.b64encode(b"%PDF-1.4 signed contract scan (demo)").decode()
        self.create(
            "ir.attachment",
            [
                {
                    "name": f"Contract {deal['id']} (signed).pdf",
                    "res_model": "crm.lead",
                    "res_id": deal["id"],
                    "regulation_document_type": "contract",
                    "mimetype": "application/pdf",
                    "datas": scan,
                }
                for deal in deals
            ],
        )

    def close_lost(self, deals, reasons):
        by_reason = {}
        for deal in deals:
            if deal["lost"]:
                by_reason.setdefault(deal["lost_reason"], []).append(deal["id"])
        for reason, ids in sorted(by_reason.items()):
            for chunk in chunks(ids, self.args.batch_size):
                self.env["crm.lead"].write(
                    chunk, {"lost_reason_id": reasons[reason], "active": False}
                )

    def plan_activities(self, deals, users, today):
        model_id = self.env["ir.model"].search([("model", "=", "crm.lead")])[0]
        vals = [
            {
                "res_model_id": model_id,
                "res_id": deal["id"],
                "activity_type_id": self.xml_id(deal["activity"]),
                "summary": "Follow up",
                "date_deadline": str(today + datetime.timedelta(days=deal["activity_in_days"])),
                "user_id": users[deal["salesperson_index"] % len(users)],
            }
            for deal in deals
            if not deal["lost"] and PIPELINE[deal["target"]] != "won"
        ]
        self.create("mail.activity", vals)
        return len(vals)

    def backdate_history(self, deals, now, progress):
        """Spread each deal's stays over the past, keeping them contiguous."""
        history = self.env["crm.lead.stage.history"]
        stays = history.search_read(
            [("lead_id", "in", [deal["id"] for deal in deals])], ["lead_id", "left_at"],
            order="lead_id, id",
        )  # fmt: skip
        by_lead = {}
        for stay in stays:
            by_lead.setdefault(stay["lead_id"][0], []).append(stay)
        for deal in deals:
            lead_stays = by_lead.get(deal["id"], [])
            # Closed stays fill at most 90% of the time since the deal started; the
            # current stay lasts as long as its stage_hours (0.2-72 h), so that only
            # some deals rot in their stage, not every one.
            closed = deal["stage_hours"][: max(len(lead_stays) - 1, 0)]
            current = deal["stage_hours"][max(len(lead_stays) - 1, 0)]
            room = 0.9 * deal["started_days_ago"] * 24
            scale = min(1.0, room / sum(closed)) if closed else 1.0
            moment = now - datetime.timedelta(hours=sum(closed) * scale + current)
            for position, stay in enumerate(lead_stays):
                vals = {"entered_at": moment.strftime("%Y-%m-%d %H:%M:%S")}
                if stay["left_at"]:
                    hours = deal["stage_hours"][position] * scale
                    moment += datetime.timedelta(hours=hours)
                    vals["left_at"] = moment.strftime("%Y-%m-%d %H:%M:%S")
                    vals["duration_hours"] = hours
                history.write([stay["id"]], vals)
            self.env["crm.lead"].write(
                [deal["id"]], {"date_last_stage_update": moment.strftime("%Y-%m-%d %H:%M:%S")}
            )
            progress.advance(1)


def main(argv=None):
    args = build_parser().parse_args(argv)
    if args.deals < 1 or args.batch_size < 1 or not 0 <= args.lost_share <= 1 or args.days < 0:
        raise CliError("--deals and --batch-size must be positive, --lost-share within 0..1")
    client = connect(args)
    seeder = Seeder(client, args)
    team = seeder.team()
    users = seeder.salespeople(team)
    stages = seeder.stages()
    marker = f"demo seed {args.seed}"  # in Referred by
    already = (
        client.env["crm.lead"]
        .with_context(active_test=False)
        .search_count([("referred", "=", marker)])
    )
    companies, deals = Generator(args.seed, args.deals, args.lost_share, args.days).deals()
    if args.dry_run:
        print_plan(args, deals, already)
        return 0
    if already:
        print(f"seed {args.seed} was already generated ({already} deals marked '{marker}'): "
              "nothing created; pick another --seed")  # fmt: skip
        return 0
    progress = Progress(len(PIPELINE) + (len(deals) if args.days else 0), "Seeding", args.progress)
    step = "creating the contacts"
    try:
        seeder.create_partners(companies)
        step = "creating the deals"
        seeder.create_deals(deals, team["id"], users, stages, marker)
        step = "moving the deals through the pipeline"
        seeder.walk(deals, stages, progress)
        step = "planning activities"
        activities = seeder.plan_activities(deals, users, datetime.date.today())
        step = "closing the lost deals"
        seeder.close_lost(deals, seeder.lost_reasons())
        now = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)
        if args.days:
            step = "spreading the stage history over the past"
            seeder.backdate_history(deals, now, progress)
        step = "adding touchpoints, calls and reviews"
        extras = SeedExtras(seeder, args.seed).add(deals, users, now)
    except (odoorpc.error.RPCError, urllib.error.URLError, OSError, KeyboardInterrupt) as error:
        reason = rpc_message(error) if isinstance(error, odoorpc.error.RPCError) else (
            "interrupted" if isinstance(error, KeyboardInterrupt) else str(error)
        )  # fmt: skip
        raise CliError(
            f"stopped while {step} ({reason}): the deals marked '{marker}' (Referred by) "
            "are incomplete; archive or delete them, or seed again with another --seed"
        ) from error
    finally:
        progress.close()
    print_summary(args, team, companies, deals, activities)
    for what, count in extras.items():
        print(f"  {what}: {count}")
    return 0


def print_plan(args, deals, already):
    print(f"Seed {args.seed} would create {len(deals)} deals (dry run: nothing written):")
    for deal in deals:
        stage = PIPELINE[deal["target"]]
        lost = f", lost: {deal['lost_reason']}" if deal["lost"] else ""
        print(f"  {deal['name']} | {stage} | {deal['amount']}{lost}")
    if already:
        print(f"seed {args.seed} was already generated: a real run creates nothing")


def print_summary(args, team, companies, deals, activities):
    print(f"Seed {args.seed}: {len(deals)} deals in team '{team['name']}' "
          f"(marked 'demo seed {args.seed}' in Referred by)")  # fmt: skip
    print(f"  contacts: {len(companies)} companies, {len(companies)} contact persons")
    for index, code in enumerate(PIPELINE):
        open_deals = sum(1 for d in deals if d["target"] == index and not d["lost"])
        lost = sum(1 for d in deals if d["target"] == index and d["lost"])
        print(f"  {code:16} {open_deals:5} deals {lost:5} lost")
    print(f"  lost deals: {sum(1 for d in deals if d['lost'])}, activities planned: {activities}")
