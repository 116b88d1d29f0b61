# Copyright 2026 customer_care contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The yearly key-account visit plan (seed 001 四.10): the sales manager
drafts, for a year, the customers to visit once or twice, in which month and
by whom; the general manager approves it (the core approval mechanism); the
approval plans each visit as an on-site callback of its month."""

from datetime import date

from dateutil.relativedelta import relativedelta

from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError

from .customer_care_guard import in_transition

# the segments whose customers a new plan proposes
PROPOSED_SEGMENTS = (
    "customer_care.segment_key_account",
    "customer_care.segment_big",
    "customer_care.segment_very_big",
)
VISITS = [("1", "First Visit"), ("2", "Second Visit")]


class CustomerCareVisitPlan(models.Model):
    _name = "customer.care.visit.plan"
    _description = "Key-Account Visit Plan"
    _inherit = ["customer.care.approval.mixin"]
    _order = "year desc, id desc"

    # in the reader's language
    name = fields.Char(compute="_compute_name")
    year = fields.Integer(
        required=True,
        tracking=True,
        default=lambda self: self.env.company._care_today().year + 1,
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    user_id = fields.Many2one(
        "res.users",
        string="Drafted By",
        default=lambda self: self.env.user,
        tracking=True,
    )
    line_ids = fields.One2many(
        "customer.care.visit.plan.line", "plan_id", string="Visits", copy=True
    )
    note = fields.Html(string="Aims of the Visits")
    visit_count = fields.Integer(string="Number of Visits", compute="_compute_progress")
    planned_count = fields.Integer(string="Planned", compute="_compute_progress")
    done_count = fields.Integer(string="Done", compute="_compute_progress")
    overdue_count = fields.Integer(string="Overdue", compute="_compute_progress")
    progress = fields.Float(string="Done (%)", compute="_compute_progress")

    @api.depends("year")
    @api.depends_context("lang")
    def _compute_name(self):
        for plan in self:
            plan.name = self.env._("Key-Account Visit Plan %s", plan.year)

    @api.depends("line_ids.visit_state")
    def _compute_progress(self):
        for plan in self:
            states = plan.line_ids.mapped("visit_state")
            plan.visit_count = len(states)
            plan.planned_count = states.count("planned")
            plan.done_count = states.count("done")
            plan.overdue_count = states.count("overdue")
            plan.progress = 100.0 * plan.done_count / len(states) if states else 0.0

    # ------------------------------------------------------------
    # RULES
    # ------------------------------------------------------------

    @api.constrains("year", "company_id")
    def _check_year(self):
        for plan in self:
            if plan.state == "draft" and plan.year < plan.company_id._care_today().year:
                raise ValidationError(
                    self.env._(
                        "A visit plan is made for this year or a coming one, not "
                        "for %(year)s.",
                        year=plan.year,
                    )
                )
            other = self.search_count(
                [
                    ("id", "!=", plan.id),
                    ("company_id", "=", plan.company_id.id),
                    ("year", "=", plan.year),
                    ("state", "!=", "refused"),
                ],
                limit=1,
            )
            if other:
                raise ValidationError(
                    self.env._(
                        "%(company)s already has a visit plan for %(year)s: "
                        "complete that one.",
                        company=plan.company_id.name,
                        year=plan.year,
                    )
                )

    def _care_frozen_fields(self):
        if self.state == "draft":
            return super()._care_frozen_fields()
        why = self.env._("a plan sent for approval (only a draft plan is edited)")
        return dict(
            super()._care_frozen_fields(),
            **dict.fromkeys(("year", "company_id", "line_ids", "user_id"), why),
        )

    def _care_check_draft(self):
        if self.env.su or in_transition():
            return
        if any(plan.state != "draft" for plan in self):
            raise UserError(
                self.env._(
                    "The visits of a plan sent for approval or approved are not "
                    "changed: only a draft plan is edited."
                )
            )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_sent(self):
        if any(plan.state not in ("draft", "refused") for plan in self):
            raise UserError(
                self.env._("A plan sent for approval or approved cannot be deleted.")
            )

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_propose_customers(self):
        """Add a first visit for each key account and big customer of the
        company that the plan does not hold yet, in the month after the one
        of the last (one customer a month from January, in turn)."""
        self.ensure_one()
        if self.state != "draft":
            raise UserError(self.env._("Only a draft plan is edited."))
        segments = [
            self.env.ref(xmlid, raise_if_not_found=False) for xmlid in PROPOSED_SEGMENTS
        ]
        customers = self.env["res.partner"].search(
            [
                ("is_company", "=", True),
                ("care_segment_ids", "in", [s.id for s in segments if s]),
                ("id", "not in", self.line_ids.partner_id.ids),
                "|",
                ("company_id", "=", False),
                ("company_id", "=", self.company_id.id),
            ],
            order="name",
        )
        self.write(
            {
                "line_ids": [
                    Command.create(
                        {
                            "partner_id": customer.id,
                            "visit": "1",
                            "month": date(self.year, n % 12 + 1, 1),
                            "user_ids": [Command.set(self.user_id.ids)],
                        }
                    )
                    for n, customer in enumerate(customers, len(self.line_ids))
                ]
            }
        )
        return True

    def action_print(self):
        return self.env.ref("customer_care.action_report_visit_plan").report_action(
            self
        )

    # ------------------------------------------------------------
    # APPROVAL HOOKS
    # ------------------------------------------------------------

    def _care_check_request(self):
        if not self.line_ids:
            raise UserError(self.env._("Add the customers to visit before sending."))
        without = self.line_ids.filtered(lambda line: not line.user_ids)
        if without:
            raise UserError(
                self.env._(
                    "Name who visits %(customers)s before sending.",
                    customers=", ".join(without.partner_id.mapped("display_name")),
                )
            )

    def _care_check_approver(self, user):
        if not user.has_group("customer_care.group_general_manager"):
            raise UserError(
                self.env._("Only the general manager may approve a visit plan.")
            )

    def _care_approvers(self):
        return self.company_id._care_general_managers()

    def _care_after_request(self):
        for plan in self:
            for manager in plan.sent_to_ids:
                plan.activity_schedule(
                    "mail.mail_activity_data_todo",
                    summary=manager._care_env(self.env)._("Approve the visit plan"),
                    user_id=manager.id,
                )

    def _care_after_approve(self):
        self.line_ids._care_plan_visit()


class CustomerCareVisitPlanLine(models.Model):
    _name = "customer.care.visit.plan.line"
    _description = "Key-Account Visit"
    _order = "month, partner_id, visit"

    plan_id = fields.Many2one(
        "customer.care.visit.plan", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="plan_id.company_id", store=True)
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        domain="[('is_company', '=', True)]",
    )
    visit = fields.Selection(VISITS, required=True, default="1")
    month = fields.Date(
        required=True, help="The month of the visit (its first day is kept)."
    )
    user_ids = fields.Many2many("res.users", string="Visitors")
    purpose = fields.Char(string="Purpose of the Visit")
    callback_id = fields.Many2one(
        "customer.care.callback", string="Visit Callback", readonly=True, copy=False
    )
    visit_state = fields.Selection(
        [
            ("draft", "Not Planned Yet"),
            ("planned", "Planned"),
            ("overdue", "Overdue"),
            ("done", "Done"),
            ("cancelled", "Cancelled"),
        ],
        compute="_compute_visit_state",
    )
    done_date = fields.Date(related="callback_id.care_done_date", string="Done On")
    findings = fields.Text(string="Found and Promised", compute="_compute_visit_state")

    _sql_constraints = [
        (
            "visit_unique",
            "unique(plan_id, partner_id, visit)",
            "A customer is twice in the plan as the same visit: make the other "
            "one the second visit, or remove it.",
        ),
    ]

    @api.depends("callback_id.state", "month")
    def _compute_visit_state(self):
        for line in self:
            callback = line.callback_id
            today = line.plan_id.company_id._care_today()
            if not callback:
                line.visit_state = "draft"
            elif callback.state == "done":
                line.visit_state = "done"
            elif callback.state in ("cancelled", "missed"):
                line.visit_state = (
                    "cancelled" if callback.state == "cancelled" else "overdue"
                )
            elif line.month and today > line.month + relativedelta(months=1, days=-1):
                line.visit_state = "overdue"
            else:
                line.visit_state = "planned"
            line.findings = "\n".join(
                text
                for text in (
                    callback.opinion,
                    callback.suggestion,
                    callback.opportunity,
                    *callback.issue_ids.mapped("name"),
                )
                if text
            )

    @api.constrains("month", "plan_id")
    def _check_month(self):
        for line in self:
            if line.month.year != line.plan_id.year:
                raise ValidationError(
                    self.env._(
                        "The visit of %(customer)s is planned in %(month)s, outside "
                        "the plan's year %(year)s.",
                        customer=line.partner_id.display_name,
                        month=line.month.strftime("%Y-%m"),
                        year=line.plan_id.year,
                    )
                )

    @api.constrains("partner_id", "visit", "plan_id")
    def _check_visits(self):
        for line in self:
            same = line.plan_id.line_ids.filtered(
                lambda other, line=line: other.partner_id == line.partner_id
            )
            if (
                len(same.filtered(lambda other, line=line: other.visit == line.visit))
                > 1
            ):
                raise ValidationError(
                    self.env._(
                        "%(customer)s is twice in the plan as the same visit: make "
                        "the other one the second visit, or remove it.",
                        customer=line.partner_id.display_name,
                    )
                )
            if line.visit == "2" and not same.filtered(lambda o: o.visit == "1"):
                raise ValidationError(
                    self.env._(
                        "%(customer)s has a second visit without a first one.",
                        customer=line.partner_id.display_name,
                    )
                )

    # ------------------------------------------------------------
    # CRUD: a plan's visits change while it is a draft only
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("month"):
                vals["month"] = fields.Date.to_date(vals["month"]).replace(day=1)
        lines = super().create(vals_list)
        lines.plan_id._care_check_draft()
        return lines

    def write(self, vals):
        if "callback_id" in vals and not (self.env.su or in_transition()):
            raise UserError(
                self.env._("A visit's callback is planned by the plan's approval.")
            )
        if vals.get("month"):
            vals = dict(vals, month=fields.Date.to_date(vals["month"]).replace(day=1))
        if set(vals) - {"callback_id"}:
            self.plan_id._care_check_draft()
        return super().write(vals)

    def unlink(self):
        self.plan_id._care_check_draft()
        return super().unlink()

    # ------------------------------------------------------------
    # PLANNING
    # ------------------------------------------------------------

    def _care_plan_visit(self):
        """Each visit as an on-site callback on the first day of its month,
        made by its first visitor (the others follow it)."""
        Callback = self.env["customer.care.callback"]
        for line in self.filtered(lambda line: not line.callback_id):
            year = line.plan_id.year
            callback = Callback._care_plan(
                line.partner_id,
                line.month,
                callback_type="manager",
                method="onsite",
                origin=line,
                user=line.user_ids[:1],
                summary=lambda env, year=year: env._("Key-account visit %s", year),
            )
            callback.message_subscribe(partner_ids=line.user_ids.partner_id.ids)
            # the general manager approves the plan, not edits its lines
            line.sudo().callback_id = callback
