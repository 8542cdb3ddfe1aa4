import base64
import logging
from collections import Counter

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import html_escape

from ..tools.presets import KNOWN_HEADERS, PRESETS, PRESETS_BY_CODE, detect_preset
from ..tools.sheet import SheetError, build_sheet, read_rows
from ..tools.text import fold, name_key
from .import_run import ImportRun

_logger = logging.getLogger(__name__)

BATCH_SIZE = 500
PREVIEW_ROWS = 10
# Bigger files are imported by the cron, a batch per transaction, showing progress.
BACKGROUND_ROWS = 2000
LOG_LINES = 2000


class CrmRegulationImportJob(models.Model):
    """One import of a file: its detected preset, the column, stage and people mappings
    (editable), a preview, a dry run and the import itself, in batches.

    The same engine serves the form in CRM → Configuration and ``import_file``, the RPC
    method that ``scripts/import_spreadsheet`` calls.
    """

    _name = "crm.regulation.import.job"
    _description = "Import of deals or contacts from a spreadsheet"
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    file = fields.Binary(required=True, attachment=True)
    file_name = fields.Char()
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    team_id = fields.Many2one(
        "crm.team",
        string="Sales team",
        check_company=True,
        domain="[('use_regulation', '=', True)]",
        default=lambda self: self._default_team(),
    )
    preset = fields.Selection(
        [(preset.code, preset.label) for preset in PRESETS],
        help="Detected from the headers; change it if the detection was wrong.",
    )
    mode = fields.Selection(
        [("deals", "Deals (with their contacts)"), ("contacts", "Contacts and companies only")],
        default="deals",
        required=True,
    )
    state = fields.Selection(
        [
            ("draft", "Uploaded"),
            ("mapped", "Mapping to check"),
            ("running", "Importing"),
            ("done", "Done"),
        ],
        default="draft",
        required=True,
        readonly=True,
    )
    header_row = fields.Integer(help="Row of the column names; 0: found automatically.")
    detected_header_row = fields.Integer("Header found on row", readonly=True)
    encoding = fields.Char(help="CSV encoding; empty: UTF-8, else Windows-1251.")
    delimiter = fields.Char(size=1, help="CSV separator; empty: detected.")
    sheet_name = fields.Char("Worksheet", help="Worksheet of an .xlsx file; empty: the first.")
    country_id = fields.Many2one(
        "res.country",
        string="Phone country",
        default=lambda self: self.env.company.country_id or self.env.ref("base.ru"),
        help="Country of phones written without their country code (8 912 ...).",
    )
    force_reason = fields.Char(
        help="Recorded on deals that enter a stage past its gates. Empty: 'Imported from <file>'."
    )
    column_ids = fields.One2many("crm.regulation.import.column", "job_id", "Columns")
    stage_map_ids = fields.One2many("crm.regulation.import.stage.map", "job_id", "Stages")
    user_map_ids = fields.One2many("crm.regulation.import.user.map", "job_id", "People")
    lead_ids = fields.One2many("crm.lead", "import_job_id", "Deals")
    rows_total = fields.Integer("Rows", readonly=True)
    rows_done = fields.Integer("Rows processed", readonly=True)
    progress = fields.Float(compute="_compute_progress")
    created_count = fields.Integer("Deals created", readonly=True)
    partners_created = fields.Integer("Contacts created", readonly=True)
    skipped_count = fields.Integer("Skipped", readonly=True)
    rejected_count = fields.Integer("Rejected", readonly=True)
    preview = fields.Html(readonly=True, sanitize=True)
    summary = fields.Text(readonly=True)
    log = fields.Text("Rejected and skipped rows", readonly=True)
    imported_at = fields.Datetime(readonly=True)

    @api.depends("file_name", "create_date")
    def _compute_name(self):
        for job in self:
            job.name = job.file_name or _("Import")

    @api.depends("rows_done", "rows_total")
    def _compute_progress(self):
        for job in self:
            job.progress = 100.0 * job.rows_done / job.rows_total if job.rows_total else 0.0

    @api.model
    def _default_team(self):
        return self.env["crm.team"].search(
            [("use_regulation", "=", True), ("company_id", "in", [False, self.env.company.id])],
            limit=1,
        )

    # ------------------------------------------------------------------ actions

    def action_detect(self):
        """Read the file, recognise its preset, propose the mappings."""
        for job in self:
            job._detect()
        return True

    def action_preview(self):
        for job in self:
            job.preview = job._preview_html()
        return True

    def action_dry_run(self):
        for job in self:
            job._check_ready()
            job._run(dry_run=True)
        return True

    def action_import(self):
        for job in self:
            job._check_ready()
            if job._in_background():
                job.write({"state": "running"})
                self.env.ref("crm_regulation_import.ir_cron_import_jobs")._trigger()
            else:
                job._run(dry_run=False)
        return True

    def action_open_leads(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Imported deals"),
            "res_model": "crm.lead",
            "view_mode": "list,form",
            "domain": [("import_job_id", "=", self.id)],
            "context": {"active_test": False},
        }

    # --------------------------------------------------------------- RPC entry

    @api.model
    def import_file(self, file_name, content, options=None):
        """Import a file the way the form does, in one call (``scripts/import_spreadsheet``).

        :param content: the file, base64-encoded
        :param options: ``team`` (id or name), ``preset``, ``mode``, ``dry_run``,
            ``header_row``, ``encoding``, ``delimiter``, ``sheet``, ``force_reason``,
            ``country`` (ISO code of phones without their country code),
            ``columns`` ({header: target or None}), ``stages`` ({text: stage code or
            "lost"}), ``people`` ({name: login})
        :return: the summary (see ``_summary_dict``)
        """
        options = options or {}
        job = self.create(self._job_vals(file_name, content, options))
        job._detect(preset=options.get("preset"))
        if options.get("mode"):
            job.mode = options["mode"]
        job._apply_overrides(options)
        job._check_ready()
        job._run(dry_run=bool(options.get("dry_run")))
        result = job._summary_dict()
        if options.get("dry_run"):
            job.unlink()
        return result

    @api.model
    def _job_vals(self, file_name, content, options):
        vals = {"file_name": file_name, "file": content}
        for key, field in (
            ("header_row", "header_row"),
            ("encoding", "encoding"),
            ("delimiter", "delimiter"),
            ("sheet", "sheet_name"),
            ("force_reason", "force_reason"),
        ):
            if options.get(key):
                vals[field] = options[key]
        if options.get("country"):
            country = self.env["res.country"].search([("code", "=ilike", options["country"])])
            if not country:
                raise UserError(_("Unknown country code '%s'.", options["country"]))
            vals["country_id"] = country.id
        team = options.get("team")
        if team:
            domain = [("id", "=", int(team))] if str(team).isdigit() else [("name", "=", team)]
            found = self.env["crm.team"].search(domain, limit=1)
            if not found:
                raise UserError(_("Unknown sales team '%s'.", team))
            vals["team_id"] = found.id
        return vals

    def _apply_overrides(self, options):
        columns = {
            fold(header): target for header, target in (options.get("columns") or {}).items()
        }
        for line in self.column_ids:
            if fold(line.header) in columns:
                line.target = columns.pop(fold(line.header)) or False
        if columns:
            raise UserError(_("Columns not in the file: %s", ", ".join(sorted(columns))))
        stages = self._regulation_stages()
        for text, code in (options.get("stages") or {}).items():
            if code != "lost" and code not in stages:
                raise UserError(_("Unknown regulation stage '%s'.", code))
            line = self.stage_map_ids.filtered(lambda m, t=text: m.source_key == fold(t))
            vals = {"is_lost": code == "lost", "stage_id": stages.get(code, False)}
            if line:
                line.write(vals)
            else:
                self.stage_map_ids.create(dict(vals, job_id=self.id, source_name=text))
        users = self.env["res.users"]
        for name, login in (options.get("people") or {}).items():
            user = users.search([("login", "=", login), ("share", "=", False)], limit=1)
            if not user:
                raise UserError(_("Unknown user login '%s'.", login))
            line = self.user_map_ids.filtered(lambda m, n=name: m.source_key == fold(n))
            if line:
                line.user_id = user
            else:
                self.user_map_ids.create(
                    {"job_id": self.id, "source_name": name, "user_id": user.id}
                )

    # ------------------------------------------------------------ reading

    def _sheet(self):
        data = base64.b64decode(self.with_context(bin_size=False).file or b"")
        try:
            raw, _encoding = read_rows(
                data,
                self.file_name,
                self.encoding or None,
                self.delimiter or None,
                self.sheet_name or None,
            )
            return build_sheet(raw, KNOWN_HEADERS, self.header_row or None)
        except SheetError as error:
            raise UserError(
                _("Cannot read %(file)s: %(why)s", file=self.file_name, why=error)
            ) from error

    def _preset(self):
        return PRESETS_BY_CODE[self.preset or "excel"]

    def _detect(self, preset=None):
        sheet = self._sheet()
        if preset and preset not in PRESETS_BY_CODE:
            raise UserError(_("Unknown preset '%s'.", preset))
        found = PRESETS_BY_CODE[preset] if preset else detect_preset(sheet.headers)
        self.write(
            {
                "preset": found.code,
                "mode": found.mode,
                "rows_total": len(sheet.rows),
                "detected_header_row": sheet.header_row,
            }
        )
        first = sheet.rows[0][1] if sheet.rows else []
        self.column_ids.unlink()
        self.column_ids.create(
            [
                {
                    "job_id": self.id,
                    "column_index": index,
                    "header": header,
                    "target": self._column_target(found, header),
                    "sample": str(first[index])[:80]
                    if index < len(first) and first[index] is not None
                    else "",
                }
                for index, header in enumerate(sheet.headers)
                if header
            ]
        )
        self._propose_stage_map(sheet)
        self._propose_user_map(sheet)
        self.state = "mapped"
        self.preview = self._preview_html(sheet)

    @staticmethod
    def _column_target(preset, header):
        target = preset.field_of(header)
        return target if target not in (None, "?") else False

    def _column_values(self, sheet, target):
        indexes = [line.column_index for line in self.column_ids if line.target == target]
        counter = Counter()
        for _number, cells in sheet.rows:
            for index in indexes:
                value = cells[index] if index < len(cells) else None
                if value not in (None, ""):
                    counter[" ".join(str(value).split())] += 1
                    break
        return counter

    def _propose_stage_map(self, sheet):
        preset = self._preset()
        stages = self._regulation_stages()
        by_name = {fold(stage.name): stage for stage in self._regulation_stage_records()}
        self.stage_map_ids.unlink()
        vals_list = []
        for sequence, (text, count) in enumerate(self._column_values(sheet, "status").items()):
            code = preset.stage_code(text)
            stage = stages.get(code) or by_name.get(fold(text))
            vals_list.append(
                {
                    "job_id": self.id,
                    "sequence": sequence,
                    "source_name": text,
                    "row_count": count,
                    "is_lost": code == "lost",
                    "stage_id": stage.id if stage else False,
                }
            )
        self.stage_map_ids.create(vals_list)

    def _propose_user_map(self, sheet):
        users = self._user_index()
        self.user_map_ids.unlink()
        self.user_map_ids.create(
            [
                {
                    "job_id": self.id,
                    "source_name": text,
                    "row_count": count,
                    "user_id": self._match_user(users, text),
                }
                for text, count in self._column_values(sheet, "salesperson").items()
            ]
        )

    # --------------------------------------------------------- resolving names

    def _regulation_stage_records(self):
        return self.env["crm.stage"].search([("regulation_code", "!=", False)])

    def _regulation_stages(self):
        return {stage.regulation_code: stage for stage in self._regulation_stage_records()}

    @api.model
    def _user_index(self):
        """(names by key set, logins): the internal users of the company, once."""
        users = self.env["res.users"].search_read(
            [("share", "=", False)], ["name", "login", "email"]
        )
        by_name, by_login = {}, {}
        for user in users:
            by_name.setdefault(name_key(user["name"]), []).append(user["id"])
            for login in (user["login"], user["email"]):
                if login:
                    by_login.setdefault(fold(login), user["id"])
        return by_name, by_login

    def _match_user(self, users, text):
        """A user by login, or by name in any word order (a patronymic may be added);
        of namesakes, the one in the import's sales team."""
        by_name, by_login = users
        if fold(text) in by_login:
            return by_login[fold(text)]
        key = name_key(text)
        found = set(by_name.get(key, []))
        if not found:
            found = {uid for words, ids in by_name.items() if words and words < key for uid in ids}
        if len(found) > 1:
            found &= set(self.team_id.member_ids.ids)
        return found.pop() if len(found) == 1 else False

    def _check_ready(self):
        self.ensure_one()
        if self.state == "draft":
            self._detect()
        if not self.team_id and self.mode == "deals":
            raise UserError(_("Choose the sales team the deals go to."))
        targets = set(self.column_ids.mapped("target"))
        if not targets & {"deal", "contact", "company", "phone", "email"}:
            raise UserError(
                _("No column holds a deal title, a contact, a company, a phone or an e-mail.")
            )

    # ---------------------------------------------------------------- the run

    def _in_background(self):
        return self.rows_total > BACKGROUND_ROWS

    @api.model
    def _cron_run_jobs(self, commit=True):
        """Import the files queued by the form, committing each batch (``commit``)."""
        for job in self.search([("state", "=", "running")]):
            job._run(dry_run=False, commit=commit)

    def _run(self, dry_run, commit=False):
        """Import (or plan) every row, a batch at a time; a real run commits each batch
        when ``commit`` (the cron), so that progress shows and work survives."""
        sheet = self._sheet()
        engine = ImportRun(self, dry_run)
        start = 0 if dry_run else self.rows_done
        if start == 0:
            self.write(
                {
                    "created_count": 0,
                    "partners_created": 0,
                    "skipped_count": 0,
                    "rejected_count": 0,
                    "log": False,
                }
            )
            engine.skipped_totals = sheet.skipped_totals
        for offset in range(start, len(sheet.rows), BATCH_SIZE):
            batch = sheet.rows[offset : offset + BATCH_SIZE]
            engine.run_batch(batch)
            if not dry_run:
                self._record_progress(engine, offset + len(batch))
                if commit:
                    self.env.cr.commit()  # pylint: disable=invalid-commit
        self._finish(engine, dry_run)

    def _record_progress(self, engine, done):
        self.write(
            {
                "rows_done": done,
                "created_count": self.created_count + engine.take("created"),
                "partners_created": self.partners_created + engine.take("partners"),
                "skipped_count": self.skipped_count + engine.take("skipped"),
                "rejected_count": self.rejected_count + engine.take("rejected"),
                "log": "\n".join(filter(None, [self.log, engine.take_log()]))[-LOG_LINES * 120 :],
            }
        )

    def _finish(self, engine, dry_run):
        if dry_run:
            self.write(
                {
                    "created_count": engine.take("created"),
                    "partners_created": engine.take("partners"),
                    "skipped_count": engine.take("skipped"),
                    "rejected_count": engine.take("rejected"),
                    "log": engine.take_log(),
                }
            )
        else:
            self.write({"state": "done", "imported_at": fields.Datetime.now()})
        self.summary = self._summary_text(dry_run, engine)

    def _summary_text(self, dry_run, engine):
        kind = _("deals") if self.mode == "deals" else _("contacts")
        head = _("Dry run: nothing written.") if dry_run else _("Imported.")
        lines = [
            head,
            _("Preset: %s", dict(self._fields["preset"].selection).get(self.preset)),
            _("Created: %(count)s %(kind)s", count=self.created_count, kind=kind),
            _("Contacts and companies created: %s", self.partners_created),
            _("Skipped (already imported or repeated in the file): %s", self.skipped_count),
            _("Rejected: %s", self.rejected_count),
        ]
        if engine.skipped_totals:
            lines.append(_("Totals rows left out: %s", engine.skipped_totals))
        if engine.stage_counts:
            lines.append(
                _(
                    "Stages: %s",
                    ", ".join(f"{k}: {v}" for k, v in sorted(engine.stage_counts.items())),
                )
            )
        return "\n".join(lines)

    def _summary_dict(self):
        return {
            "job_id": self.id if self.exists() else False,
            "preset": self.preset,
            "mode": self.mode,
            "team": self.team_id.name or "",
            "rows": self.rows_total,
            "created": self.created_count,
            "partners_created": self.partners_created,
            "skipped": self.skipped_count,
            "rejected": self.rejected_count,
            "log": self.log or "",
            "summary": self.summary or "",
            "columns": {line.header: line.target or None for line in self.column_ids},
        }

    # ----------------------------------------------------------------- preview

    def _preview_html(self, sheet=None):
        sheet = sheet or self._sheet()
        engine = ImportRun(self, dry_run=True)
        rows = []
        for number, cells in sheet.rows[:PREVIEW_ROWS]:
            plan = engine.plan_row(number, cells)
            shown = " | ".join(str(cell) for cell in cells if cell not in (None, ""))[:200]
            rows.append(
                f"<tr><td>{number}</td><td>{html_escape(shown)}</td>"
                f"<td>{html_escape(plan)}</td></tr>"
            )
        head = "".join(
            f"<th>{html_escape(title)}</th>" for title in (_("Row"), _("In the file"), _("Becomes"))
        )
        return f"<table class='table table-sm'><tr>{head}</tr>{''.join(rows)}</table>"
