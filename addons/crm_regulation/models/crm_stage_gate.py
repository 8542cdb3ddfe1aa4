from collections import defaultdict

from odoo import _, api, fields, models, tools
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

from .ir_attachment import DOCUMENT_TYPES


class CrmStageGate(models.Model):
    """A condition a deal must meet to enter a stage of the regulation pipeline.

    Gates are checked on the server after every stage change (``crm.lead.write`` and
    ``create``), for every stage a forward move enters or skips. Detection is split by
    gate type into ``_unmet_<type>`` methods that each evaluate a whole batch of deals
    with a constant number of queries.
    """

    _name = "crm.stage.gate"
    _description = "Stage gate"
    _order = "stage_sequence, sequence, id"

    name = fields.Char(
        "Condition",
        required=True,
        translate=True,
        help="What the salesperson must do, shown in the error, e.g. 'attach a contract scan'.",
    )
    active = fields.Boolean(default=True)
    sequence = fields.Integer(default=10)
    stage_id = fields.Many2one("crm.stage", required=True, ondelete="cascade", index=True)
    stage_sequence = fields.Integer(related="stage_id.sequence", store=True, string="Stage order")
    team_ids = fields.Many2many(
        "crm.team",
        string="Sales teams",
        help="Teams this gate applies to. Empty: every team.",
    )
    gate_type = fields.Selection(
        [
            ("field", "Required field"),
            ("document", "Required document"),
            ("note", "Written note since the last stage change"),
        ],
        required=True,
        default="field",
    )
    field_paths = fields.Char(
        "Fields",
        help="Field of the deal that must be filled in (non-zero for numbers). Follow "
        "relations with dots and separate alternatives with '|', e.g. "
        "'partner_id.vat|partner_id.company_registry'.",
    )
    document_type = fields.Selection(DOCUMENT_TYPES, help="Type of the file that must be attached.")
    field_labels = fields.Char(
        "Fields to fill in",
        compute="_compute_field_labels",
        help="The gate's fields as the deal form names them: relations with →, "
        "alternatives with 'or'.",
    )

    @api.depends("field_paths")
    @api.depends_context("lang")
    def _compute_field_labels(self):
        for gate in self:
            gate.field_labels = gate._describe_paths() if gate.field_paths else False

    def _describe_paths(self):
        """'partner_id.vat|partner_id.company_registry' → 'Customer → Tax ID or Customer
        → Company ID'; a path that names no field is shown as it is."""
        labels = []
        for path in self._split_paths():
            model, names = self.env["crm.lead"], []
            for name in path.split("."):
                field = model._fields.get(name) if model is not None else None
                if field is None:
                    names = [path]
                    break
                names.append(field._description_string(self.env))
                model = self.env[field.comodel_name] if field.relational else None
            labels.append(" → ".join(names))
        return " {} ".format(_("or")).join(labels)

    @api.constrains("gate_type", "field_paths", "document_type")
    def _check_gate_definition(self):
        for gate in self:
            if gate.gate_type == "field":
                gate._check_field_paths()
            elif gate.gate_type == "document" and not gate.document_type:
                raise ValidationError(
                    _("Gate '%s' needs the document type to look for.", gate.name)
                )

    def _check_field_paths(self):
        if not self.field_paths:
            raise ValidationError(_("Gate '%s' needs the fields to check.", self.name))
        for path in self._split_paths():
            self._path_fields(path)

    def _path_fields(self, path):
        """The fields a path walks through: stored many2ones, then a stored field."""
        model, fields_ = self.env["crm.lead"], []
        for name in path.split("."):
            field = model._fields.get(name)
            if fields_ and fields_[-1].type != "many2one":
                field = None  # only many2ones are followed
            if field is None or not field.store or not field.column_type:
                raise ValidationError(
                    _(
                        "Gate '%(gate)s': '%(path)s' is not a stored field of the deal "
                        "(relations followed with dots must be many2one fields).",
                        gate=self.name,
                        path=path,
                    )
                )
            fields_.append(field)
            model = self.env[field.comodel_name] if field.relational else model
        return fields_

    def _filled_condition(self, alias="lead"):
        """SQL condition on the deal ``alias``: this field gate is met (any alternative
        filled in). The one definition of "filled" — for the gate on a stage move and
        for rule R11 alike: text must hold more than spaces, numbers must not be zero."""
        return SQL(
            "(%s)",
            SQL(" OR ").join(
                self._path_filled(self._path_fields(path), SQL.identifier(alias))
                for path in self._split_paths()
            ),
        )

    @api.model
    def _path_filled(self, path_fields, alias, depth=0):
        field, rest = path_fields[0], path_fields[1:]
        column = SQL("%s.%s", alias, SQL.identifier(field.name))
        if rest:
            inner = SQL.identifier(f"gate_hop_{depth}")
            return SQL(
                "EXISTS (SELECT 1 FROM %s %s WHERE %s.id = %s AND %s)",
                SQL.identifier(self.env[field.comodel_name]._table),
                inner,
                inner,
                column,
                self._path_filled(rest, inner, depth + 1),
            )
        if field.type in ("char", "text", "html", "selection"):
            value = SQL("%s->>'en_US'", column) if field.translate else column
            return SQL("coalesce(%s ~ '[^[:space:]]', FALSE)", value)
        if field.type in ("integer", "float", "monetary"):
            return SQL("coalesce(%s <> 0, FALSE)", column)
        if field.type == "boolean":
            return SQL("coalesce(%s, FALSE)", column)
        return SQL("%s IS NOT NULL", column)

    def _split_paths(self):
        return [path.strip() for path in (self.field_paths or "").split("|") if path.strip()]

    # ------------------------------------------------------------------ cache

    @api.model
    @tools.ormcache()
    def _active_gate_stages(self):
        """((gate id, stage id), ...) of the active gates, cached until a gate changes."""
        return tuple((gate.id, gate.stage_id.id) for gate in self.sudo().search([]))

    @api.model_create_multi
    def create(self, vals_list):
        gates = super().create(vals_list)
        self.env.registry.clear_cache()
        return gates

    def write(self, vals):
        result = super().write(vals)
        self.env.registry.clear_cache()
        return result

    def unlink(self):
        result = super().unlink()
        self.env.registry.clear_cache()
        return result

    # -------------------------------------------------------------- detection

    @api.model
    def _gates_to_pass(self, leads, old_stages):
        """Map each deal to the gates of every regulation stage its forward move enters.
        Forward is the fixed order of the regulation pipeline (the stages'
        ``regulation_rank``), not the sequence users reorder stages with. Deals of teams
        outside the regulation move in Odoo's stages, which have no gate; put into a
        regulation stage on purpose (an import, a script), they pass its gates like any
        deal: those stages pay payroll."""
        gate_stages = self._active_gate_stages()
        if not gate_stages:
            return {}
        # the ranks of the stages come from the cache (0: not a regulation stage); a gate
        # is read only when a deal's move crosses its stage
        ranks = self.env["crm.stage"]._regulation_stage_facts()[0]
        rank = defaultdict(int, ranks)
        to_pass = {}
        for lead in leads:
            target = lead.stage_id
            if not rank[target.id]:
                continue
            old = old_stages.get(lead.id)
            floor = rank[old.id] if old else 0
            if floor >= rank[target.id]:
                continue  # backward moves pass no gate
            crossed = self.sudo().browse(
                [
                    gate_id
                    for gate_id, stage_id in gate_stages
                    if floor < rank[stage_id] <= rank[target.id]
                ]
            )
            lead_gates = crossed.filtered(
                lambda gate, lead=lead: not gate.team_ids or lead.team_id in gate.team_ids
            )
            if lead_gates:
                to_pass[lead] = lead_gates
        return to_pass

    @api.model
    def _unmet_conditions(self, leads, old_stages, old_stage_dates):
        """Return {lead: [unmet gate names]} for the deals' latest stage moves."""
        to_pass = self._gates_to_pass(leads, old_stages)
        if not to_pass:
            return {}
        all_gates = self.browse().union(*to_pass.values())
        checked = [lead for lead in leads if lead in to_pass]
        filled = self._filled_by_gate(all_gates.filtered(lambda g: g.gate_type == "field"), checked)
        documents = (
            self._documents_by_lead(checked) if "document" in all_gates.mapped("gate_type") else {}
        )
        last_notes = (
            self._last_note_by_lead(checked) if "note" in all_gates.mapped("gate_type") else {}
        )
        unmet = {}
        for lead, gates in to_pass.items():
            names = [
                gate.with_env(lead.env).name
                for gate in gates
                if not gate._is_met(lead, filled, documents, last_notes, old_stage_dates)
            ]
            if names:
                unmet[lead] = names
        return unmet

    def _is_met(self, lead, filled, documents, last_notes, old_stage_dates):
        if self.gate_type == "field":
            return lead.id in filled[self]
        if self.gate_type == "document":
            return self.document_type in documents.get(lead.id, ())
        last_note = last_notes.get(lead.id)
        since = old_stage_dates.get(lead.id)
        # Message dates are stored to the second; the stage date may carry microseconds.
        return bool(last_note) and (not since or last_note >= since.replace(microsecond=0))

    @api.model
    def _filled_by_gate(self, gates, leads):
        """{gate: ids of the deals meeting it}, one query per field gate."""
        if not gates:
            return {}
        self.env.flush_all()  # the values just written must be in the database
        ids = [lead.id for lead in leads]
        filled = {}
        for gate in gates:
            self.env.cr.execute(
                SQL(
                    "SELECT lead.id FROM crm_lead lead WHERE lead.id = ANY(%s) AND %s",
                    ids,
                    gate._filled_condition(),
                )
            )
            filled[gate] = {row[0] for row in self.env.cr.fetchall()}
        return filled

    @api.model
    def _documents_by_lead(self, leads):
        self.env["ir.attachment"].flush_model(["res_model", "res_id", "regulation_document_type"])
        self.env.cr.execute(
            SQL(
                """SELECT res_id, array_agg(DISTINCT regulation_document_type)
                     FROM ir_attachment
                    WHERE res_model = 'crm.lead' AND res_id = ANY(%s)
                      AND regulation_document_type IS NOT NULL
                 GROUP BY res_id""",
                [lead.id for lead in leads],
            )
        )
        return dict(self.env.cr.fetchall())

    @api.model
    def _last_note_by_lead(self, leads):
        self.env["mail.message"].flush_model(["model", "res_id", "message_type", "date"])
        self.env.cr.execute(
            SQL(
                """SELECT res_id, max(date)
                     FROM mail_message
                    WHERE model = 'crm.lead' AND res_id = ANY(%s)
                      AND message_type = 'comment'
                 GROUP BY res_id""",
                [lead.id for lead in leads],
            )
        )
        return dict(self.env.cr.fetchall())

    @api.model
    def _raise_unmet(self, unmet):
        lines = [
            self.env._(
                "Cannot move '%(deal)s' to %(stage)s: %(conditions)s",
                deal=lead.display_name,
                stage=lead.stage_id.with_env(self.env).name,
                conditions="; ".join(names),
            )
            for lead, names in unmet.items()
        ]
        raise UserError("\n".join(lines))
