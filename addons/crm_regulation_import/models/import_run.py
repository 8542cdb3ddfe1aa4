"""One run of an import job over the rows of its file: resolving names against the
database and writing deals and contacts, a batch at a time, with set-based queries
(one query per kind of lookup per batch, one ``create`` per model per batch)."""

import itertools
from collections import Counter

import pytz

from odoo import fields
from odoo.tools import SQL

from odoo.addons.crm_phone_base.tools.compat import PHONE_FIELDS

from ..tools.rows import RowError, parse_row
from ..tools.text import fold
from ..tools.values import currency_code

# Imported deals beyond these stages were contacted in the old system.
NOT_CONTACTED_CODES = ("unsorted", "new")
# An import is no news: no "created" messages, no followers, no assignment e-mails to
# the salespeople of thousands of records, no tracking.
QUIET = {
    "mail_create_nolog": True,
    "mail_create_nosubscribe": True,
    "mail_auto_subscribe_no_notify": True,
    "mail_notrack": True,
    "tracking_disable": True,
}


class Plan:
    """A row ready to write: the parsed row and what it resolved to."""

    def __init__(self, row, key):
        self.row = row
        self.key = key
        self.stage = None
        self.lost = False
        self.user_id = False
        self.amount = None
        self.partner_id = False


class ImportRun:
    """What a run knows once (stages, people, currencies) and what it counted."""

    def __init__(self, job, dry_run):
        self.job = job
        self.env = job.env
        self.dry_run = dry_run
        self.preset = job._preset()
        self.columns = {line.column_index: line.target for line in job.column_ids if line.target}
        self.country = job.country_id
        self.stage_map = {
            line.source_key: (line.stage_id, line.is_lost) for line in job.stage_map_ids
        }
        self.stages = job._regulation_stages()
        self.user_map = {line.source_key: line.user_id.id for line in job.user_map_ids}
        self.users = job._user_index()
        self.company = job.company_id
        self.tz = pytz.timezone(self.env.user.tz or "UTC")
        self.now = fields.Datetime.now()
        self.rates = {}
        self.names = {}  # (model, folded name) -> id, for tags, lost reasons, UTM
        self.seen = set()
        self.counts = Counter()
        self.stage_counts = Counter()
        self.lines = []
        self.skipped_totals = 0
        self.reason = job.force_reason or f"Imported from {job.file_name}"

    # ------------------------------------------------------------ bookkeeping

    def take(self, key):
        return self.counts.pop(key, 0)

    def take_log(self):
        text, self.lines = "\n".join(self.lines), []
        return text

    def reject(self, number, reason):
        self.counts["rejected"] += 1
        self.lines.append(self.env._("row %(row)s: rejected: %(why)s", row=number, why=reason))

    def skip(self, number, reason):
        self.counts["skipped"] += 1
        self.lines.append(self.env._("row %(row)s: skipped: %(why)s", row=number, why=reason))

    # --------------------------------------------------------------- planning

    def plan(self, number, cells):
        """A :class:`Plan` of one row; raises RowError."""
        row = parse_row(number, cells, self.columns, self.country)
        source_id = row.get("external_id")
        plan = Plan(row, f"{self.preset.code}:{source_id or row.row_key()}")
        if self.job.mode == "deals":
            self._resolve_stage(plan)
        self._resolve_user(plan)
        self._resolve_amount(plan)
        return plan

    def _resolve_stage(self, plan):
        text = plan.row.get("status")
        if not text:
            plan.stage = self.stages["new"]
            return
        key = fold(text)
        if key in self.stage_map:
            stage, lost = self.stage_map[key]
        else:
            code = self.preset.stage_code(text)
            stage, lost = self.stages.get(code), code == "lost"
        if lost:
            plan.lost, plan.stage = True, self.stages["new"]
        elif stage:
            plan.stage = stage
        else:
            raise RowError(self.env._("unknown stage '%s': map it to a regulation stage", text))

    def _resolve_user(self, plan):
        text = plan.row.get("salesperson")
        if not text:
            return
        plan.user_id = self.user_map.get(fold(text)) or self.job._match_user(self.users, text)
        if not plan.user_id:
            raise RowError(self.env._("unknown salesperson '%s': map the person to a user", text))

    def _resolve_amount(self, plan):
        row = plan.row
        if row.amount is None:
            return
        code = currency_code(row.currency) or self.company.currency_id.name
        plan.amount = self.company.currency_id.round(row.amount * self._rate(code))

    def _rate(self, code):
        if code not in self.rates:
            currency = (
                self.env["res.currency"]
                .with_context(active_test=False)
                .search([("name", "=", code.upper())], limit=1)
            )
            target = self.company.currency_id
            if currency == target:
                self.rates[code] = 1.0
            elif not currency or not currency.active or not self._has_rate(currency):
                self.rates[code] = None
            else:
                self.rates[code] = currency._get_conversion_rate(
                    currency, target, self.company, fields.Date.context_today(self.job)
                )
        if self.rates[code] is None:
            raise RowError(
                self.env._(
                    "currency '%s' is unknown, inactive or has no exchange rate in Odoo: "
                    "activate it and enter its rate, or convert the amounts",
                    code,
                )
            )
        return self.rates[code]

    def _has_rate(self, currency):
        return bool(
            currency.rate_ids.filtered(
                lambda r: r.company_id in (self.company, r.company_id.browse())
            )
        )

    def plan_row(self, number, cells):
        """What one row becomes, in words (the preview)."""
        try:
            plan = self.plan(number, cells)
        except RowError as error:
            return f"rejected: {error}"
        row = plan.row
        parts = [f"'{row.title}'"]
        if self.job.mode == "deals":
            parts.append("lost" if plan.lost else f"in {plan.stage.name}")
        if plan.amount is not None:
            parts.append(f"{plan.amount:,.2f} {self.company.currency_id.name}".replace(",", " "))
        if plan.user_id:
            parts.append(self.env["res.users"].browse(plan.user_id).name)
        parts.extend(phone.display for phone in row.phones)
        parts.extend(row.emails)
        return ", ".join(parts)

    # ---------------------------------------------------------------- writing

    def run_batch(self, batch):
        plans = []
        for number, cells in batch:
            try:
                plan = self.plan(number, cells)
            except RowError as error:
                self.reject(number, str(error))
                continue
            if plan.key in self.seen:
                self.skip(number, self.env._("repeated in the file"))
                continue
            self.seen.add(plan.key)
            plans.append(plan)
        plans = self._drop_imported(plans)
        if not plans:
            return
        if self.job.mode == "deals":
            self._partners(plans, keyed=False)
            self._create_leads(plans)
        else:
            before = self.counts["partners"]
            self._partners(plans, keyed=True)
            self.counts["created"] += self.counts["partners"] - before

    def _drop_imported(self, plans):
        table = "crm_lead" if self.job.mode == "deals" else "res_partner"
        self.env.cr.execute(
            SQL(
                "SELECT import_external_id FROM %s WHERE import_external_id = ANY(%s)",
                SQL.identifier(table),
                [plan.key for plan in plans],
            )
        )
        done = {key for (key,) in self.env.cr.fetchall()}
        for plan in plans:
            if plan.key in done:
                self.skip(plan.row.number, self.env._("already imported"))
        return [plan for plan in plans if plan.key not in done]

    # -- contacts and companies

    def _partners(self, plans, keyed):
        companies = self._companies(plans, keyed)
        people = self._people(plans, companies, keyed)
        for plan in plans:
            plan.partner_id = people.get(self._person_key(plan)) or companies.get(
                self._company_key(plan)
            )

    @staticmethod
    def _company_key(plan):
        row = plan.row
        if not row.get("company"):
            return None
        return ("vat", row.get("vat")) if row.get("vat") else ("name", fold(row.get("company")))

    @staticmethod
    def _person_key(plan):
        row = plan.row
        if not (row.get("contact") or (not row.get("company") and (row.phones or row.emails))):
            return None
        phone = next((phone.e164 for phone in row.phones if phone.e164), None)
        email = row.emails[0] if row.emails else None
        return phone or email or ("name", fold(row.get("contact")), fold(row.get("company")))

    def _companies(self, plans, keyed):
        wanted = {}
        for plan in plans:
            key = self._company_key(plan)
            if key:
                wanted.setdefault(key, plan)
        if not wanted:
            return {}
        partners = self.env["res.partner"].sudo().with_context(active_test=False)
        vats = [key[1] for key in wanted if key[0] == "vat"]
        names = [wanted[key].row.get("company") for key in wanted if key[0] == "name"]
        found = {}
        for partner in partners.search_read(
            [("is_company", "=", True), "|", ("vat", "in", vats), ("name", "in", names)],
            ["vat", "name"],
        ):
            if partner["vat"]:
                found.setdefault(("vat", partner["vat"]), partner["id"])
            found.setdefault(("name", fold(partner["name"])), partner["id"])
        missing = [key for key in wanted if key not in found]
        vals = [self._company_vals(wanted[key], keyed) for key in missing]
        self._create_partners(found, missing, vals)
        return found

    def _create_partners(self, found, missing, vals):
        self.counts["partners"] += len(vals)
        if self.dry_run or not vals:
            found.update(dict.fromkeys(missing, False))
            return
        created = self.env["res.partner"].sudo().with_context(**QUIET).create(vals)
        found.update(zip(missing, created.ids, strict=True))

    def _company_vals(self, plan, keyed):
        row = plan.row
        phones = [phone.display for phone in row.phones]
        vals = {
            "name": row.get("company"),
            "is_company": True,
            "vat": row.get("vat") or False,
            "street": row.get("street") or False,
            "city": row.get("city") or False,
            "website": row.get("website") or False,
            "user_id": plan.user_id or False,
            "comment": self._partner_comment(row),
        }
        if not row.get("contact"):
            vals.update(
                phone=phones[0] if phones else False, email=row.emails[0] if row.emails else False
            )
        if keyed:
            vals["import_external_id"] = plan.key
        return vals

    @staticmethod
    def _partner_comment(row):
        lines = [f"КПП: {row.get('kpp')}"] if row.get("kpp") else []
        lines += row.values.get("notes", [])
        return "\n".join(lines) or False

    def _people(self, plans, companies, keyed):
        wanted = {}
        for plan in plans:
            key = self._person_key(plan)
            if key:
                wanted.setdefault(key, plan)
        if not wanted:
            return {}
        phones = [key for key in wanted if isinstance(key, str) and key.startswith("+")]
        emails = [key for key in wanted if isinstance(key, str) and "@" in key]
        found = {}
        if phones or emails:
            for partner in (
                self.env["res.partner"]
                .sudo()
                .search_read(
                    ["|", ("phone_sanitized", "in", phones), ("email_normalized", "in", emails)],
                    ["phone_sanitized", "email_normalized"],
                )
            ):
                for value in (partner["phone_sanitized"], partner["email_normalized"]):
                    if value:
                        found.setdefault(value, partner["id"])
        missing = [key for key in wanted if key not in found]
        vals = [self._person_vals(wanted[key], companies, keyed) for key in missing]
        self._create_partners(found, missing, vals)
        return found

    def _person_vals(self, plan, companies, keyed):
        row = plan.row
        vals = {
            "name": row.get("contact") or (row.phones[0].display if row.phones else row.emails[0]),
            "phone": row.phones[0].display if row.phones else False,
            "email": row.emails[0] if row.emails else False,
            "function": row.get("position") or False,
            "parent_id": companies.get(self._company_key(plan)) or False,
            "user_id": plan.user_id or False,
        }
        if keyed and not row.get("company"):
            vals["import_external_id"] = plan.key
            vals["comment"] = self._partner_comment(row)
        return vals

    # -- deals

    def _named(self, model, names):
        """Ids of records of ``model`` by name, creating the missing ones (one search and
        one create per batch)."""
        names = {fold(name): name.strip() for name in names if name and name.strip()}
        wanted = [key for key in names if (model, key) not in self.names]
        if wanted:
            records = self.env[model].sudo().with_context(active_test=False)
            for record in records.search_read(
                [("name", "in", [names[key] for key in wanted])], ["name"]
            ):
                self.names.setdefault((model, fold(record["name"])), record["id"])
            missing = [key for key in wanted if (model, key) not in self.names]
            if missing and not self.dry_run:
                created = records.create([{"name": names[key]} for key in missing])
                self.names.update(
                    {(model, key): rid for key, rid in zip(missing, created.ids, strict=True)}
                )
        return {key: self.names.get((model, key), False) for key in names}

    def _create_leads(self, plans):
        rows = [plan.row for plan in plans]
        lookups = {
            "tags": self._named("crm.tag", [t for row in rows for t in row.values.get("tags", [])]),
            "source": self._named(
                "utm.source", [row.get("source") or row.get("utm_source") for row in rows]
            ),
            "utm_medium": self._named("utm.medium", [row.get("utm_medium") for row in rows]),
            "utm_campaign": self._named("utm.campaign", [row.get("utm_campaign") for row in rows]),
            "lost_reason": self._named(
                "crm.lost.reason",
                [
                    row.get("lost_reason") or "Imported as lost"
                    for row, plan in zip(rows, plans, strict=True)
                    if plan.lost
                ],
            ),
        }
        vals_list = [self._lead_vals(plan, lookups) for plan in plans]
        for plan in plans:
            self.stage_counts["lost" if plan.lost else plan.stage.name] += 1
        self.counts["created"] += len(plans)
        if self.dry_run:
            return
        leads = (
            self.env["crm.lead"]
            .sudo()
            .with_context(regulation_force_reason=self.reason, **QUIET)
            .create(vals_list)
        )
        self._carry_history(leads, plans)

    def _lead_vals(self, plan, lookups):
        row = plan.row
        phones = [phone.display for phone in row.phones]
        key = lambda name: fold(name) if name else None  # noqa: E731
        vals = {
            "name": row.title,
            "type": "opportunity",
            "team_id": self.job.team_id.id,
            "company_id": self.company.id,
            "stage_id": plan.stage.id,
            "user_id": plan.user_id or False,
            "partner_id": plan.partner_id or False,
            "contact_name": row.get("contact") or False,
            "partner_name": row.get("company") or False,
            "email_from": row.emails[0] if row.emails else False,
            "function": row.get("position") or False,
            "street": row.get("street") or False,
            "city": row.get("city") or False,
            "website": row.get("website") or False,
            **dict(
                itertools.zip_longest(PHONE_FIELDS, phones[: len(PHONE_FIELDS)], fillvalue=False)
            ),
            "description": self._description(row, phones),
            "tag_ids": [
                (
                    6,
                    0,
                    [
                        lookups["tags"][fold(t)]
                        for t in row.values.get("tags", [])
                        if lookups["tags"].get(fold(t))
                    ],
                )
            ],
            "source_id": lookups["source"].get(key(row.get("source") or row.get("utm_source")))
            or False,
            "medium_id": lookups["utm_medium"].get(key(row.get("utm_medium"))) or False,
            "campaign_id": lookups["utm_campaign"].get(key(row.get("utm_campaign"))) or False,
            "regulation_start_at": self.now,
            "import_job_id": self.job.id,
            "import_external_id": plan.key,
            "import_contacted": plan.lost or plan.stage.regulation_code not in NOT_CONTACTED_CODES,
        }
        if plan.amount is not None:
            vals["expected_revenue"] = plan.amount
        if plan.lost:
            reason = fold(row.get("lost_reason") or "Imported as lost")
            vals.update(
                active=False, probability=0, lost_reason_id=lookups["lost_reason"].get(reason)
            )
        elif row.closed and not plan.stage.is_won:
            vals["date_deadline"] = row.closed.date()
        return vals

    @staticmethod
    def _description(row, phones):
        lines = list(row.values.get("notes", []))
        if len(phones) > len(PHONE_FIELDS):
            lines.append("Phones: " + ", ".join(phones[len(PHONE_FIELDS) :]))
        if len(row.emails) > 1:
            lines.append("E-mails: " + ", ".join(row.emails[1:]))
        if row.get("kpp"):
            lines.append(f"КПП: {row.get('kpp')}")
        if row.get("pipeline"):
            lines.append(f"Pipeline: {row.get('pipeline')}")
        return "\n".join(lines) or False

    def _utc(self, moment):
        if not moment:
            return None
        return self.tz.localize(moment).astimezone(pytz.utc).replace(tzinfo=None)

    def _carry_history(self, leads, plans):
        """Historical dates, and no payroll for stays the old system already paid."""
        self.env.flush_all()
        created = [self._utc(plan.row.created) for plan in plans]
        closed = [
            self._utc(plan.row.closed) if plan.lost or plan.stage.is_won else None for plan in plans
        ]
        self.env.cr.execute(
            SQL(
                """UPDATE crm_lead lead
                      SET create_date = coalesce(old.created, lead.create_date),
                          date_closed = coalesce(old.closed, lead.date_closed)
                     FROM unnest(%s::int[], %s::timestamp[], %s::timestamp[])
                          AS old(id, created, closed)
                    WHERE lead.id = old.id
                      AND (old.created IS NOT NULL OR old.closed IS NOT NULL)""",
                leads.ids,
                created,
                closed,
            )
        )
        self.env.cr.execute(
            SQL(
                """UPDATE crm_lead_stage_history
                      SET is_payroll_eligible = FALSE, payroll_amount = 0
                    WHERE lead_id = ANY(%s)""",
                leads.ids,
            )
        )
        leads.invalidate_recordset(["create_date", "date_closed"])
        self.env["crm.lead.stage.history"].invalidate_model()
