from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.tools import format_amount
from odoo.tools.safe_eval import safe_eval


class CrmRegulationDashboardTile(models.TransientModel):
    """One tile of the manager's regulation dashboard (CRM → Regulation → Dashboard).

    Opening the dashboard computes its tiles for the current user (their companies and
    access rights) from ``_dashboard_tiles()``; each tile shows a figure and the number
    of records behind it, and opens exactly those records. Another addon adds a tile by
    overriding ``_dashboard_tiles()`` (``super()`` plus its own dicts), e.g. the
    telephony glue's "missed calls not called back".
    """

    _name = "crm.regulation.dashboard.tile"
    _description = "Regulation dashboard tile"
    _order = "sequence, id"

    code = fields.Char(required=True)
    name = fields.Char("Tile", required=True)
    sequence = fields.Integer(default=10)
    figure = fields.Char(help="The tile's headline number.")
    record_count = fields.Integer("Records", help="How many records the tile opens.")
    description = fields.Char()
    level = fields.Selection(
        [("ok", "Fine"), ("warning", "Watch"), ("danger", "Act now")], default="ok"
    )
    res_model = fields.Char(required=True)
    domain = fields.Text(default="[]")
    action_xmlid = fields.Char(help="Window action whose views open the records.")
    action_context = fields.Text(default="{}")
    view_types = fields.Char(
        help="Views to open the records in, e.g. list,form (default: the action's)."
    )

    # ------------------------------------------------------------ actions

    @api.model
    def action_open_dashboard(self):
        """Compute the tiles for the current user and show them as a kanban."""
        tiles = self.create(self._dashboard_tile_values())
        return {
            "type": "ir.actions.act_window",
            "name": _("Regulation dashboard"),
            "res_model": self._name,
            "view_mode": "kanban",
            "views": [
                (
                    self.env.ref("crm_regulation.crm_regulation_dashboard_tile_view_kanban").id,
                    "kanban",
                )
            ],
            "domain": [("id", "in", tiles.ids)],
            "context": {"create": False},
            "target": "current",
        }

    def action_open(self):
        """The records behind the tile, in the views of its report."""
        self.ensure_one()
        if self.action_xmlid:
            action = self.env["ir.actions.act_window"]._for_xml_id(self.action_xmlid)
        else:
            action = {
                "type": "ir.actions.act_window",
                "res_model": self.res_model,
                "views": [(False, "list"), (False, "form")],
            }
        if self.view_types:
            action["views"] = [(False, view_type) for view_type in self.view_types.split(",")]
        action.update(
            {
                "name": self.name,
                "display_name": self.name,
                "domain": safe_eval(self.domain or "[]"),
                "context": safe_eval(self.action_context or "{}"),
                "target": "current",
            }
        )
        return action

    # -------------------------------------------------------------- tiles

    def _dashboard_tile_values(self):
        """Values of the tile records: each spec of ``_dashboard_tiles()`` completed
        with the count of its records."""
        values = []
        for spec in self._dashboard_tiles():
            domain = spec.get("domain", [])
            count = self.env[spec["res_model"]].search_count(domain)
            values.append(
                {
                    "code": spec["code"],
                    "name": spec["name"],
                    "sequence": spec.get("sequence", 10),
                    "figure": spec.get("figure") or str(count),
                    "record_count": count,
                    "description": spec.get("description"),
                    "level": spec.get("level", "ok"),
                    "res_model": spec["res_model"],
                    "domain": repr(domain),
                    "action_xmlid": spec.get("action"),
                    "action_context": repr(spec.get("context", {})),
                    "view_types": spec.get("views"),
                }
            )
        return values

    @api.model
    def _dashboard_period(self):
        """The current month as (first day, first day of the next month); the context key
        ``dashboard_date`` fixes "today" (tests, a look at a past month)."""
        today = fields.Date.to_date(
            self.env.context.get("dashboard_date") or fields.Date.context_today(self)
        )
        start = today.replace(day=1)
        return start, start + relativedelta(months=1)

    @api.model
    def _dashboard_tiles(self):
        """The tiles, as dicts: ``code``, ``name``, ``sequence``, ``res_model``,
        ``domain`` (the records the tile counts and opens), and optionally ``figure``
        (headline text; default: the count), ``description``, ``level``
        (ok/warning/danger), ``action`` (xmlid of the window action whose views to use),
        ``views`` ("list,form") and ``context``. Override to add tiles: ``super()`` plus
        yours."""
        return [
            self._tile_fines(),
            self._tile_compliance(),
            self._tile_rotting(),
            self._tile_funnel(),
            self._tile_first_contact(),
        ]

    def _tile_fines(self):
        start, end = self._dashboard_period()
        domain = [
            ("company_id", "in", self.env.companies.ids),
            ("detected_at", ">=", fields.Datetime.to_string(start)),
            ("detected_at", "<", fields.Datetime.to_string(end)),
            ("fine_due", ">", 0),
        ]
        [(total,)] = self.env["crm.regulation.violation"]._read_group(
            domain, aggregates=["fine_due:sum"]
        )
        return {
            "code": "fines",
            "name": _("Fines this month"),
            "sequence": 10,
            "res_model": "crm.regulation.violation",
            "domain": domain,
            "figure": format_amount(self.env, total or 0.0, self.env.company.currency_id),
            "description": _("Violations of the month with a fine due (waived ones excluded)."),
            "level": "danger" if total else "ok",
            "action": "crm_regulation.crm_regulation_violation_action",
            "context": {"group_by": ["user_id"]},
        }

    def _tile_compliance(self):
        start, _end = self._dashboard_period()
        domain = [
            ("company_id", "in", self.env.companies.ids),
            ("month", "=", fields.Date.to_string(start)),
        ]
        [(score,)] = self.env["crm.regulation.payroll.summary"]._read_group(
            domain, aggregates=["compliance_score:avg"]
        )
        threshold = self.env.company.regulation_kpi_threshold if score is not None else 0
        return {
            "code": "compliance",
            "name": _("Compliance per salesperson"),
            "sequence": 20,
            "res_model": "crm.regulation.payroll.summary",
            "domain": domain,
            "figure": f"{score:.0f} %" if score is not None else "—",
            "description": _("Average compliance score of the month; one line per salesperson."),
            "level": "warning" if score is not None and score < threshold else "ok",
            "action": "crm_regulation.crm_regulation_compliance_dashboard_action",
        }

    def _tile_rotting(self):
        domain = [
            ("company_id", "in", self.env.companies.ids),
            ("team_id.use_regulation", "=", True),
            ("regulation_rotting", "=", True),
        ]
        return {
            "code": "rotting",
            "name": _("Rotting deals"),
            "sequence": 30,
            "res_model": "crm.lead",
            "domain": domain,
            "description": _("Open deals over their stage's maximum days, per stage."),
            "level": "warning",
            "action": "crm.crm_lead_action_pipeline",
            "views": "list,kanban,form",
            "context": {"group_by": ["stage_id"]},
        }

    def _tile_funnel(self):
        domain = [("is_regulation_stage", "=", True)]
        rows = self.env["crm.regulation.stage.report"].search(domain)
        return {
            "code": "funnel",
            "name": _("Funnel"),
            "sequence": 40,
            "res_model": "crm.regulation.stage.report",
            "domain": domain,
            "figure": _("%s open deals", sum(rows.mapped("open_deals"))),
            "description": _("Open deals and conversion to the next stage, stage by stage."),
            "action": "crm_regulation.crm_regulation_stage_report_action",
        }

    def _tile_first_contact(self):
        start, _end = self._dashboard_period()
        domain = [
            ("company_id", "in", self.env.companies.ids),
            ("month", "=", fields.Date.to_string(start)),
        ]
        rows = self.env["crm.regulation.first.contact.report"].search(domain)
        contacted = rows.filtered("contacted_count")
        median = max(contacted.mapped("median_minutes"), default=None)
        return {
            "code": "first_contact",
            "name": _("Time to first contact"),
            "sequence": 50,
            "res_model": "crm.regulation.first.contact.report",
            "domain": domain,
            "figure": _("%s min", round(median)) if median is not None else "—",
            "description": _("Median minutes from a new deal to the first contact (slowest team)."),
            "action": "crm_regulation.crm_regulation_first_contact_report_action",
        }
