# Copyright 2026 customer_care contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The quarterly staff evaluation (seed 001 第11–13条, 003 考核机制): per
callback agent and per service person, figures computed from the records
of the quarter, then the manager's rating and comment."""

from datetime import date, datetime, time

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from .customer_care_guard import transition

EVALUATION_KINDS = [
    ("agent", "Callback Agent"),
    ("service", "Service Person"),
]
QUARTERS = [("1", "Q1"), ("2", "Q2"), ("3", "Q3"), ("4", "Q4")]
FIGURES = (
    "callback_due_count",
    "callback_on_time_count",
    "same_day_count",
    "same_day_rate",
    "callback_score",
    "service_count",
    "service_score",
    "issue_fed_back_count",
    "complaint_count",
    "delay_count",
)


def quarter_bounds(year, quarter):
    start = date(int(year), 3 * int(quarter) - 2, 1)
    return start, start + relativedelta(months=3, days=-1)


class CustomerCareEvaluation(models.Model):
    _name = "customer.care.evaluation"
    _description = "Staff Evaluation"
    _inherit = ["mail.thread", "mail.activity.mixin", "customer.care.guard.mixin"]
    _order = "year desc, quarter desc, user_id"

    user_id = fields.Many2one(
        "res.users", string="Person", required=True, index=True, readonly=True
    )
    manager_id = fields.Many2one("res.users", readonly=True, tracking=True)
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, default=lambda s: s.env.company
    )
    year = fields.Integer(required=True, readonly=True)
    quarter = fields.Selection(QUARTERS, required=True, readonly=True)
    kind = fields.Selection(EVALUATION_KINDS, required=True, readonly=True)
    date_from = fields.Date(readonly=True)
    date_to = fields.Date(readonly=True)
    state = fields.Selection(
        [("draft", "To Confirm"), ("confirmed", "Confirmed")],
        default="draft",
        required=True,
        readonly=True,
        tracking=True,
        index=True,
    )
    callback_due_count = fields.Integer(string="Callbacks Due", readonly=True)
    callback_on_time_count = fields.Integer(
        string="Callbacks Done on Time", readonly=True
    )
    same_day_count = fields.Integer(string="Closed the Same Day", readonly=True)
    same_day_rate = fields.Float(
        string="Same-Day Closure (%)",
        readonly=True,
        aggregator="avg",
        digits=(5, 1),
        help="日清日结: the callbacks done on the day they were due, out of "
        "those due in the quarter.",
    )
    callback_score = fields.Float(
        string="Customers' Score on Callbacks",
        readonly=True,
        aggregator="avg",
        digits=(3, 2),
    )
    service_count = fields.Integer(string="Services Handled", readonly=True)
    service_score = fields.Float(
        string="Customers' Score on Services",
        readonly=True,
        aggregator="avg",
        digits=(3, 2),
    )
    issue_fed_back_count = fields.Integer(
        string="Issues Closed and Fed Back", readonly=True
    )
    complaint_count = fields.Integer(string="Complaints About Them", readonly=True)
    delay_count = fields.Integer(string="Complaint Deadlines Missed", readonly=True)
    rating = fields.Integer(tracking=True, aggregator="avg")
    comment = fields.Text(string="Manager's Comment", tracking=True)

    _sql_constraints = [
        (
            "person_quarter_unique",
            "unique(company_id, user_id, kind, year, quarter)",
            "A person has one evaluation of each kind per quarter.",
        )
    ]

    @api.depends("user_id", "year", "quarter")
    def _compute_display_name(self):
        for evaluation in self:
            evaluation.display_name = (
                f"{evaluation.user_id.name or ''} {evaluation.year}Q"
                f"{evaluation.quarter or ''}"
            )

    # ------------------------------------------------------------
    # GUARD
    # ------------------------------------------------------------

    @api.model
    def _care_guarded_fields(self):
        hint = self.env._(
            "the Confirm button: the figures are computed by the quarterly "
            "scheduled action"
        )
        return dict(
            super()._care_guarded_fields(),
            **dict.fromkeys(
                (
                    "state",
                    "user_id",
                    "manager_id",
                    "company_id",
                    "year",
                    "quarter",
                    "kind",
                    "date_from",
                    "date_to",
                    *FIGURES,
                ),
                hint,
            ),
        )

    def _care_frozen_fields(self):
        if self.state != "confirmed":
            return super()._care_frozen_fields()
        why = self.env._("nothing: a confirmed evaluation is kept as it was confirmed")
        return dict(
            super()._care_frozen_fields(), **dict.fromkeys(("rating", "comment"), why)
        )

    @api.constrains("rating")
    def _check_rating(self):
        for evaluation in self:
            scale = evaluation.company_id.care_evaluation_scale or 5
            if evaluation.rating and not 1 <= evaluation.rating <= scale:
                raise ValidationError(
                    self.env._(
                        "The rating of %(person)s must be between 1 and %(scale)s.",
                        person=evaluation.user_id.name,
                        scale=scale,
                    )
                )

    def write(self, vals):
        if (
            not self.env.su
            and {"rating", "comment"} & vals.keys()
            and self.env.user in self.user_id
        ):
            raise UserError(
                self.env._("Nobody rates or comments on their own evaluation.")
            )
        return super().write(vals)

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def _care_may_confirm(self):
        user = self.env.user
        if self.env.su:
            return True
        if user == self.user_id:
            return False
        return (
            user == self.manager_id
            or user.has_group(
                "customer_care.group_callback_manager"
                if self.kind == "agent"
                else "customer_care.group_complaint_manager"
            )
            or user.has_group("customer_care.group_general_manager")
        )

    @transition
    def action_confirm(self):
        for evaluation in self:
            if evaluation.state != "draft":
                raise UserError(self.env._("This evaluation is already confirmed."))
            if not evaluation._care_may_confirm():
                raise UserError(
                    self.env._(
                        "Only the manager of %(person)s confirms this evaluation.",
                        person=evaluation.user_id.name,
                    )
                )
            if not evaluation.rating:
                raise UserError(
                    self.env._("Give a rating before confirming the evaluation.")
                )
        self.write({"state": "confirmed"})
        self.activity_ids.action_feedback()
        return True

    # ------------------------------------------------------------
    # PREPARATION
    # ------------------------------------------------------------

    @api.model
    def _care_previous_quarter(self, today):
        start = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
        start -= relativedelta(months=3)
        return start.year, str((start.month - 1) // 3 + 1)

    @api.model
    def _cron_prepare_evaluations(self):
        """In the first days of a quarter (a setting), the previous
        quarter's evaluations of each company, in the company's day."""
        for company in self.env["res.company"].search([]):
            today = company._care_today()
            first = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
            if (today - first).days >= (company.care_evaluation_days or 10):
                continue
            year, quarter = self._care_previous_quarter(today)
            self.sudo()._care_prepare(company, year, quarter)
        return True

    @api.model
    def _care_ticket_quarter(self, dt_from, dt_to):
        """The tickets of the quarter: complaints by when they were
        received, the other tickets by when they were registered."""
        return [
            "|",
            "&",
            ("care_received_at", ">=", dt_from),
            ("care_received_at", "<", dt_to),
            "&",
            "&",
            ("care_received_at", "=", False),
            ("create_date", ">=", dt_from),
            ("create_date", "<", dt_to),
        ]

    @api.model
    def _care_figures(self, company, year, quarter):
        """{(kind, user id): {figure: value}} of the quarter, with one
        aggregate query per source."""
        date_from, date_to = quarter_bounds(year, quarter)
        dt_from = datetime.combine(date_from, time.min)
        dt_to = datetime.combine(date_to + relativedelta(days=1), time.min)
        env = self.env
        agents = {}

        def slot(kind, user):
            return agents.setdefault((kind, user.id), dict.fromkeys(FIGURES, 0))

        Callback = env["customer.care.callback"].with_context(active_test=False)
        base = [
            ("company_id", "=", company.id),
            ("date", ">=", date_from),
            ("date", "<=", date_to),
            ("state", "!=", "cancelled"),
            ("user_id", "!=", False),
        ]
        for user, on_time, same_day, count in Callback._read_group(
            base, ["user_id", "care_done_on_time", "care_done_same_day"], ["__count"]
        ):
            figures = slot("agent", user)
            figures["callback_due_count"] += count
            if on_time:
                figures["callback_on_time_count"] += count
            if same_day:
                figures["same_day_count"] += count
        for user, score in Callback._read_group(
            base + [("state", "=", "done"), ("score_average", ">", 0)],
            ["user_id"],
            ["score_average:avg"],
        ):
            slot("agent", user)["callback_score"] = score
        Issue = env["customer.care.callback.issue"]
        for user, count in Issue._read_group(
            [
                ("company_id", "=", company.id),
                ("state", "=", "fed_back"),
                ("owner_id", "!=", False),
                ("feedback_callback_id.date", ">=", date_from),
                ("feedback_callback_id.date", "<=", date_to),
            ],
            ["owner_id"],
            ["__count"],
        ):
            if ("agent", user.id) in agents:
                slot("agent", user)["issue_fed_back_count"] = count
            else:
                slot("service", user)["issue_fed_back_count"] = count
        # service persons: who handled the tickets and deliveries of the quarter
        Ticket = env["helpdesk.ticket"].with_context(active_test=False)
        for user, count in Ticket._read_group(
            [
                ("company_id", "=", company.id),
                ("user_id", "!=", False),
                *self._care_ticket_quarter(dt_from, dt_to),
            ],
            ["user_id"],
            ["__count"],
        ):
            slot("service", user)["service_count"] += count
        Picking = env["stock.picking"]
        for user, count in Picking._read_group(
            [
                ("company_id", "=", company.id),
                ("user_id", "!=", False),
                ("picking_type_code", "=", "outgoing"),
                ("state", "=", "done"),
                ("date_done", ">=", dt_from),
                ("date_done", "<", dt_to),
            ],
            ["user_id"],
            ["__count"],
        ):
            slot("service", user)["service_count"] += count
        self._care_figures_complaints(company, dt_from, dt_to, agents)
        for figures in agents.values():
            due = figures["callback_due_count"]
            figures["same_day_rate"] = (
                100.0 * figures["same_day_count"] / due if due else 0.0
            )
        return agents

    @api.model
    def _care_figures_complaints(self, company, dt_from, dt_to, agents):
        """The complaints about the people of ``agents`` and the complaint
        deadlines they missed, in the quarter."""
        Ticket = self.env["helpdesk.ticket"].with_context(active_test=False)
        for user, count in Ticket._read_group(
            [
                ("company_id", "=", company.id),
                ("care_is_complaint", "=", True),
                ("care_complained_user_id", "!=", False),
                *self._care_ticket_quarter(dt_from, dt_to),
            ],
            ["care_complained_user_id"],
            ["__count"],
        ):
            for kind in ("agent", "service"):
                if (kind, user.id) in agents:
                    agents[(kind, user.id)]["complaint_count"] = count
        for user, count in self.env["customer.care.complaint.delay"]._read_group(
            [
                ("company_id", "=", company.id),
                ("deadline", ">=", dt_from),
                ("deadline", "<", dt_to),
            ],
            ["user_id"],
            ["__count"],
        ):
            for kind in ("agent", "service"):
                if (kind, user.id) in agents:
                    agents[(kind, user.id)]["delay_count"] = count

    @api.model
    def _care_manager(self, company, kind, user):
        if kind == "agent":
            manager = company._care_callback_manager()
        else:
            manager = (
                company.care_complaint_manager_id or company.care_general_manager_id
            )
        if manager == user:
            manager = company.care_general_manager_id
        return manager if manager != user else self.env["res.users"]

    @api.model
    def _care_prepare(self, company, year, quarter):
        """The evaluations of the quarter not prepared yet: preparing the
        same quarter again creates nothing."""
        date_from, date_to = quarter_bounds(year, quarter)
        figures = self._care_figures(company, year, quarter)
        existing = {
            (kind, user.id)
            for kind, user in self.with_context(active_test=False)._read_group(
                [
                    ("company_id", "=", company.id),
                    ("year", "=", int(year)),
                    ("quarter", "=", str(quarter)),
                ],
                ["kind", "user_id"],
            )
        }
        users = self.env["res.users"].browse({uid for _kind, uid in figures})
        users.fetch(["share", "active"])
        vals_list = []
        for (kind, uid), values in figures.items():
            user = users.browse(uid)
            if (kind, uid) in existing or user.share:
                continue
            manager = self._care_manager(company, kind, user)
            vals_list.append(
                dict(
                    values,
                    user_id=uid,
                    manager_id=manager.id,
                    company_id=company.id,
                    year=int(year),
                    quarter=str(quarter),
                    kind=kind,
                    date_from=date_from,
                    date_to=date_to,
                )
            )
        evaluations = self.with_context(
            tracking_disable=True, mail_create_nolog=True
        ).create(vals_list)
        todo = self.env.ref("mail.mail_activity_data_todo")
        model_id = self.env["ir.model"]._get_id(self._name)
        today = company._care_today()
        activities = []
        for evaluation in evaluations.filtered("manager_id"):
            manager_env = evaluation.manager_id._care_env(self.env)
            activities.append(
                {
                    "res_model_id": model_id,
                    "res_id": evaluation.id,
                    "activity_type_id": todo.id,
                    "user_id": evaluation.manager_id.id,
                    "date_deadline": today,
                    "summary": manager_env._(
                        "Rate and confirm the evaluation of %(person)s for "
                        "%(year)sQ%(quarter)s",
                        person=evaluation.user_id.name,
                        year=evaluation.year,
                        quarter=evaluation.quarter,
                    ),
                }
            )
        self.env["mail.activity"].sudo().with_context(
            mail_activity_quick_update=True
        ).create(activities)
        return evaluations
