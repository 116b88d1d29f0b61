# Copyright 2026 customer_care contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import json
import logging

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.osv import expression
from odoo.tools import SQL, create_index, index_exists

from .customer_care_guard import transition, transition_scope

_logger = logging.getLogger(__name__)

# the partial UNIQUE index of the generated callbacks (and its condition, to
# which INSERT … ON CONFLICT refers)
GENERATED_INDEX = "customer_care_callback_generated_unique"
GENERATED_WHERE = "cadence_id IS NOT NULL AND state <> 'cancelled'"

CALLBACK_METHODS = [
    ("phone", "Phone"),
    ("letter", "Letter"),
    ("onsite", "On Site"),
    ("email", "E-mail"),
    ("survey", "Survey"),
]
CALLBACK_TYPES = [
    ("customer", "Customer Branch"),
    ("dealer", "Dealer / Merchant"),
    ("partner", "Business Partner"),
    ("sale", "After Sale"),
    ("service", "After Service"),
    ("manager", "Manager Call"),
    ("complaint", "Complaint Follow-up"),
]
CALLBACK_STATES = [
    ("planned", "Planned"),
    ("done", "Done"),
    ("missed", "Missed"),
    ("cancelled", "Cancelled"),
]
# The scores asked by each type of callback (seed 000 §3.1.1, §3.1.2,
# 002 (三)2, 001 第4-5条); "overall" is asked every time.
SCORES = {
    "score_delivery": "Delivery On-Time",
    "score_shipping": "Shipping On-Time",
    "score_receipt_return": "Receipt Return On-Time",
    "score_cargo_safety": "Cargo Safety",
    "score_service_attitude": "Service Attitude",
    "score_driver_attitude": "Driver Attitude",
    "score_damage_handling": "Damage / Shortage Handling",
    "score_overall": "Overall Satisfaction",
}
TYPE_SCORES = {
    "customer": [
        "score_delivery",
        "score_shipping",
        "score_receipt_return",
        "score_cargo_safety",
        "score_service_attitude",
    ],
    "dealer": ["score_delivery", "score_cargo_safety", "score_driver_attitude"],
    "partner": [
        "score_delivery",
        "score_service_attitude",
        "score_damage_handling",
    ],
    "sale": ["score_service_attitude"],
    "service": ["score_service_attitude"],
    "manager": [],
    "complaint": ["score_service_attitude"],
}
ORIGIN_MODELS = [
    ("sale.order", "Sale Order"),
    ("stock.picking", "Delivery"),
    ("helpdesk.ticket", "Ticket"),
    ("customer.care.callback", "Callback"),
    ("customer.care.visit.plan.line", "Key-Account Visit"),
]


# What a callback records: fixed once it is done.
RECORDED = (
    "partner_id",
    "contact_id",
    "user_id",
    "date",
    "method",
    "callback_type",
    "summary",
    *SCORES,
    "opinion",
    "suggestion",
    "opportunity",
    "origin_ref",
)

# A letter or an e-mail reaches no one in person.
NO_PERSON_METHODS = ("letter", "email")

# A score is one to five stars; a score not asked is empty (never 0).
SCORE_VALUES = [
    ("1", "Very Poor"),
    ("2", "Poor"),
    ("3", "Fair"),
    ("4", "Good"),
    ("5", "Excellent"),
]


def _score_field(string):
    return fields.Selection(
        SCORE_VALUES,
        string=string,
        tracking=True,
        help="1 (very poor) to 5 (excellent) stars; empty when not asked.",
    )


class CustomerCareCallback(models.Model):
    """A callback (回访记录): one call, letter or visit to a customer, planned
    by a cadence or an event, recorded with scores, opinions and issues."""

    _name = "customer.care.callback"
    _description = "Callback"
    _inherit = ["mail.thread", "mail.activity.mixin", "customer.care.guard.mixin"]
    _order = "date desc, id desc"
    _rec_names_search = ["partner_id", "contact_id"]

    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        tracking=True,
        domain="[('is_company', '=', True)]",
    )
    contact_id = fields.Many2one(
        "res.partner",
        string="Person Reached",
        domain="[('id', 'child_of', partner_id)]",
        help="The branch office or person of the customer who was reached.",
    )
    branch_id = fields.Many2one(
        related="partner_id.care_branch_id", store=True, string="Branch"
    )
    date = fields.Date(
        required=True,
        index=True,
        default=fields.Date.context_today,
        tracking=True,
        help="Planned date; once done, the date of the callback.",
    )
    method = fields.Selection(
        CALLBACK_METHODS, required=True, default="phone", tracking=True
    )
    callback_type = fields.Selection(
        CALLBACK_TYPES, string="Type", required=True, default="customer"
    )
    user_id = fields.Many2one(
        "res.users",
        string="Agent",
        index=True,
        tracking=True,
        default=lambda self: self.env.user,
        help="Who makes (or made) the callback.",
    )
    state = fields.Selection(
        CALLBACK_STATES,
        required=True,
        default="planned",
        readonly=True,
        tracking=True,
        index=True,
        group_expand=True,
    )
    is_overdue = fields.Boolean(
        string="Overdue",
        readonly=True,
        copy=False,
        help="Still open at the end of its day (日清日结).",
    )
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    care_done_date = fields.Date(
        string="Done On",
        readonly=True,
        copy=False,
        help="The company's day the callback was marked done.",
    )
    care_done_late = fields.Boolean(
        string="Done Late",
        readonly=True,
        copy=False,
        help="Done after its day, or once flagged overdue.",
    )
    care_done_on_time = fields.Boolean(
        string="Done on Time",
        compute="_compute_care_done_on_time",
        store=True,
        help="Done on or before its planned date.",
    )
    care_done_same_day = fields.Boolean(
        string="Closed the Same Day",
        compute="_compute_care_done_on_time",
        store=True,
        help="日清日结: done on the day it was due.",
    )
    cadence_id = fields.Many2one(
        "customer.care.callback.cadence", ondelete="set null", readonly=True
    )
    origin_ref = fields.Reference(
        ORIGIN_MODELS,
        string="Origin",
        readonly=True,
        index="btree_not_null",
        help="The order, delivery, ticket or callback this callback follows up.",
    )
    summary = fields.Char(help="Why this callback is made.")
    score_delivery = _score_field("Delivery On-Time")
    score_shipping = _score_field("Shipping On-Time")
    score_receipt_return = _score_field("Receipt Return On-Time")
    score_cargo_safety = _score_field("Cargo Safety")
    score_service_attitude = _score_field("Service Attitude")
    score_driver_attitude = _score_field("Driver Attitude")
    score_damage_handling = _score_field("Damage / Shortage Handling")
    score_overall = _score_field("Overall Satisfaction")
    score_average = fields.Float(
        compute="_compute_score_average",
        store=True,
        aggregator="avg",
        digits=(3, 2),
        help="Average of the scores given (0 when none was given: such "
        "callbacks are left out of the averages of the analysis).",
    )
    satisfaction = fields.Float(
        compute="_compute_score_average",
        store=True,
        aggregator="avg",
        digits=(3, 2),
        help="The overall satisfaction as a number, for the analysis (0 when "
        "not given: such callbacks are left out of the averages).",
    )
    score_criteria = fields.Char(compute="_compute_score_criteria")
    opinion = fields.Text(string="Opinions")
    suggestion = fields.Text(string="Suggestions")
    opportunity = fields.Text(string="Business Opportunities")
    issue_ids = fields.One2many(
        "customer.care.callback.issue", "callback_id", string="Issues Raised"
    )
    feedback_issue_ids = fields.Many2many(
        "customer.care.callback.issue",
        compute="_compute_feedback_issue_ids",
        string="Open Issues to Report Back",
        help="Issues raised in earlier callbacks of this customer whose "
        "result is to be reported back in this callback.",
    )
    issue_count = fields.Integer(compute="_compute_issue_count", store=True)

    # ------------------------------------------------------------
    # COMPUTES
    # ------------------------------------------------------------

    @api.depends("partner_id", "date", "callback_type")
    def _compute_display_name(self):
        types = dict(self._fields["callback_type"]._description_selection(self.env))
        for callback in self:
            callback.display_name = " - ".join(
                filter(
                    None,
                    [
                        callback.partner_id.display_name,
                        types.get(callback.callback_type),
                        callback.date and fields.Date.to_string(callback.date),
                    ],
                )
            )

    @api.depends(*SCORES)
    def _compute_score_average(self):
        for callback in self:
            given = [int(callback[name]) for name in SCORES if callback[name]]
            callback.score_average = sum(given) / len(given) if given else 0.0
            callback.satisfaction = int(callback.score_overall or 0)

    @api.depends("state", "date", "care_done_date", "care_done_late")
    def _compute_care_done_on_time(self):
        for callback in self:
            done = callback.state == "done" and callback.care_done_date
            on_time = bool(done and not callback.care_done_late)
            callback.care_done_on_time = on_time
            callback.care_done_same_day = on_time and done == callback.date

    @api.depends("callback_type")
    def _compute_score_criteria(self):
        for callback in self:
            names = [*TYPE_SCORES.get(callback.callback_type, []), "score_overall"]
            callback.score_criteria = ",".join(names)

    @api.depends("partner_id", "state")
    def _compute_feedback_issue_ids(self):
        issues = self.env["customer.care.callback.issue"].search(
            [
                ("partner_id", "in", self.partner_id.ids),
                ("state", "in", ("open", "resolved")),
            ]
        )
        for callback in self:
            callback.feedback_issue_ids = issues.filtered(
                lambda i, c=callback: i.partner_id == c.partner_id
                and i.callback_id != c
                and i.callback_id.date <= c.date
            )

    @api.depends("issue_ids")
    def _compute_issue_count(self):
        for callback in self:
            callback.issue_count = len(callback.issue_ids)

    # ------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------

    @api.model
    def _care_check_scores(self, vals_list):
        """The values to write, with their scores checked before anything is
        written: 1 to 5 stars, or empty (False) when not asked. Odoo itself
        would store a 0 as empty without a word (erasing the score given) and
        refuse a 6 with a technical error. The numbers 1 to 5 that clients
        wrote when the scores were integers are the same stars."""
        keys = {key for key, _label in SCORE_VALUES}
        checked = []
        for vals in vals_list:
            for name in SCORES.keys() & vals.keys():
                value = vals[name]
                if value is False or value is None or value == "":
                    continue
                if type(value) is int and str(value) in keys:
                    vals = dict(vals, **{name: str(value)})
                elif not isinstance(value, str) or value not in keys:
                    raise ValidationError(
                        self.env._(
                            "%(score)s must be a score from 1 (very poor) to 5 "
                            "(excellent), or empty when it was not asked, not "
                            "%(value)s.",
                            score=self._fields[name]._description_string(self.env),
                            value=value,
                        )
                    )
            checked.append(vals)
        return checked

    @api.constrains("state", "date")
    def _check_done_date(self):
        # still to come for the user and for the company (a scheduled
        # action marks done on the company's day, OdooBot's may be behind)
        today = fields.Date.context_today(self)
        for callback in self:
            if callback.state == "done" and callback.date > max(
                today, callback.company_id._care_today()
            ):
                raise ValidationError(
                    self.env._(
                        "The callback of %(customer)s cannot be done on "
                        "%(date)s: that date is still to come. Set the date of "
                        "the call.",
                        customer=callback.partner_id.display_name,
                        date=callback.date,
                    )
                )

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    def init(self):
        res = super().init()
        create_index(
            self.env.cr,
            "customer_care_callback_partner_cadence_index",
            self._table,
            ["partner_id", "cadence_id", "date"],
        )
        # one generated callback per customer, cadence and day, whichever
        # worker or node generates it (see models/customer_care_job.py)
        if not index_exists(self.env.cr, GENERATED_INDEX):
            self.env.cr.execute(
                SQL(
                    "CREATE UNIQUE INDEX %s ON %s (partner_id, cadence_id, date) "
                    "WHERE %s",
                    SQL.identifier(GENERATED_INDEX),
                    SQL.identifier(self._table),
                    SQL(GENERATED_WHERE),
                )
            )
        return res

    @api.model
    def _care_guarded_fields(self):
        hint = self.env._(
            "the callback's buttons (Done, Not Reached, Cancel, Plan Again): "
            "generated callbacks and the end-of-day overdue flag are the "
            "scheduled actions' work"
        )
        return dict(
            super()._care_guarded_fields(),
            **dict.fromkeys(
                (
                    "state",
                    "is_overdue",
                    "cadence_id",
                    "care_done_date",
                    "care_done_late",
                ),
                hint,
            ),
        )

    def _creation_message(self):
        # a generated callback is its agent's: its story starts in her language
        if self.user_id:
            agent_env = self.user_id._care_env(self.env)
            return super(
                CustomerCareCallback, self.with_env(agent_env)
            )._creation_message()
        return super()._creation_message()

    def _care_frozen_fields(self):
        if self.state != "done":
            return super()._care_frozen_fields()
        why = self.env._(
            "a new callback or an issue: a done callback stays in the "
            "customer's ledger as it was recorded"
        )
        return dict(super()._care_frozen_fields(), **dict.fromkeys(RECORDED, why))

    @api.model_create_multi
    def create(self, vals_list):
        return super().create(self._care_check_scores(vals_list))

    def write(self, vals):
        [vals] = self._care_check_scores([vals])
        self._care_guard([vals])
        if vals.get("state") and vals["state"] != "planned":
            # a step of the callback itself: its caller's values were checked
            vals = dict(vals, is_overdue=False)
            late = self.browse()
            if vals["state"] == "done" and "care_done_date" not in vals:
                today = (self.company_id or self.env.company)[:1]._care_today()
                vals["care_done_date"] = today
                late = self.filtered(
                    lambda c: c.state == "planned" and (c.is_overdue or c.date < today)
                )
            with transition_scope():
                res = super().write(vals)
                if late:
                    super(CustomerCareCallback, late).write({"care_done_late": True})
                return res
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_done(self):
        if any(callback.state == "done" for callback in self):
            raise UserError(
                self.env._(
                    "A done callback belongs to the customer's ledger and "
                    "cannot be deleted. Archive it instead."
                )
            )

    def _read_group_select(self, aggregate_spec, query):
        """Averages are over the scores given: a score (a selection) is
        averaged as its number of stars, and the numeric figures leave out
        the callbacks without a score (0)."""
        fname, __, func = aggregate_spec.partition(":")
        if func == "avg" and fname in SCORES:
            column = self._field_to_sql(self._table, fname, query)
            return SQL("AVG(CAST(%s AS integer))", column)
        if func == "avg" and fname in ("score_average", "satisfaction"):
            column = self._field_to_sql(self._table, fname, query)
            return SQL("AVG(NULLIF(%s, 0))", column)
        return super()._read_group_select(aggregate_spec, query)

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    @transition
    def action_done(self):
        for callback in self:
            if callback.state != "planned":
                raise UserError(
                    self.env._("Only a planned callback can be marked as done.")
                )
            callback._care_check_recorded()
        self.write({"state": "done"})
        self._care_after_done()
        return True

    @transition
    def action_missed(self):
        self.filtered(lambda c: c.state == "planned").write({"state": "missed"})
        self.activity_ids.unlink()
        return True

    @transition
    def action_cancel(self):
        self.filtered(lambda c: c.state == "planned").write({"state": "cancelled"})
        self.activity_ids.unlink()
        return True

    def action_send_letter(self):
        """Open the composer with the monthly letter template."""
        self.ensure_one()
        template = self.env.ref("customer_care.mail_template_callback_letter")
        return {
            "type": "ir.actions.act_window",
            "res_model": "mail.compose.message",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {
                "default_model": self._name,
                "default_res_ids": self.ids,
                "default_template_id": template.id,
                "default_composition_mode": "comment",
                "care_mark_letter_done": True,
            },
        }

    @transition
    def action_reset_to_planned(self):
        self.filtered(lambda c: c.state in ("missed", "cancelled")).write(
            {"state": "planned", "is_overdue": False}
        )
        self._care_schedule_activities()
        return True

    @api.model
    def _care_action_log(self, partner, origin=None, callback_type="customer"):
        """ "Log a call" from a customer, an order or a delivery: the open
        callback of the customer due today or before, else a new one."""
        partner = partner.commercial_partner_id
        callback = self.search(
            [
                ("partner_id", "=", partner.id),
                ("state", "=", "planned"),
                ("date", "<=", fields.Date.context_today(self)),
            ],
            order="date desc",
            limit=1,
        )
        context = {
            "default_partner_id": partner.id,
            "default_callback_type": callback_type,
            "default_user_id": self.env.user.id,
        }
        if origin:
            context["default_origin_ref"] = f"{origin._name},{origin.id}"
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Log a Call"),
            "res_model": self._name,
            "res_id": callback.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": context,
        }

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _care_check_recorded(self):
        """A callback is done once it is recorded: someone of the customer
        reached (a letter or an e-mail reaches no one in person), at least
        one score given, and the results of the issues resolved since the
        earlier callbacks reported back."""
        self.ensure_one()
        missing = []
        if not self.contact_id and self.method not in NO_PERSON_METHODS:
            missing.append(self.env._("the person reached"))
        if self.method != "letter" and not any(self[name] for name in SCORES):
            missing.append(self.env._("at least one score"))
        to_report = self.feedback_issue_ids.filtered(lambda i: i.state == "resolved")
        if to_report:
            missing.append(
                self.env._(
                    "the results of %(issues)s reported back (Fed Back in the "
                    "Report Back tab)",
                    issues=", ".join(f"“{name}”" for name in to_report.mapped("name")),
                )
            )
        if missing:
            raise UserError(
                self.env._(
                    "The callback of %(customer)s cannot be marked as done "
                    "yet. Record %(missing)s first.",
                    customer=self.partner_id.display_name,
                    missing=self.env._("; ").join(missing),
                )
            )

    def _care_after_done(self):
        """Close the activity, report back the issues shown, escalate."""
        for callback in self:
            callback.activity_ids.action_feedback(feedback=self.env._("Callback done."))
        self._care_escalate_repeated_issues()

    def _message_post_after_hook(self, message, msg_vals):
        # a letter sent from the composer (action_send_letter) is the callback
        if self.env.context.get("care_mark_letter_done"):
            # the letter is the callback: the same step as "Done"
            with transition_scope():
                self.filtered(lambda c: c.state == "planned").write(
                    {"state": "done", "date": fields.Date.context_today(self)}
                )
            self.activity_ids.action_feedback(feedback=self.env._("Letter sent."))
        return super()._message_post_after_hook(message, msg_vals)

    @api.model
    def _care_activity_type(self, method):
        xmlid = {
            "phone": "mail.mail_activity_data_call",
            "onsite": "mail.mail_activity_data_meeting",
            "email": "mail.mail_activity_data_email",
        }.get(method, "mail.mail_activity_data_todo")
        return self.env.ref(xmlid)

    def _care_schedule_activities(self):
        """One activity per planned callback, for its agent, in one batch."""
        model_id = self.env["ir.model"]._get_id(self._name)
        types = {}
        vals_list = []
        for callback in self.filtered(lambda c: c.state == "planned" and c.user_id):
            if callback.method not in types:
                types[callback.method] = self._care_activity_type(callback.method)
            vals_list.append(
                {
                    "res_model_id": model_id,
                    "res_id": callback.id,
                    "activity_type_id": types[callback.method].id,
                    "summary": callback.summary
                    or self.env._("Callback: %s", callback.partner_id.name),
                    "date_deadline": callback.date,
                    "user_id": callback.user_id.id,
                }
            )
        return (
            self.env["mail.activity"]
            .with_context(mail_activity_quick_update=True)
            .create(vals_list)
        )

    @transition
    @api.model
    def _care_plan(
        self,
        partner,
        date,
        callback_type="customer",
        method="phone",
        origin=None,
        user=None,
        summary=None,
        cadence=None,
    ):
        """Plan a callback for ``partner`` on ``date``: the one method other
        features use (a sale, a delivery, a closed ticket, an escalation).

        Idempotent: with an ``origin`` record, a callback of the same type
        already planned for that origin is returned instead of a new one.
        ``summary`` may be a function of an environment, called in the
        language of the agent who makes the callback.
        """
        partner = partner.commercial_partner_id
        origin_ref = origin and f"{origin._name},{origin.id}"
        if origin_ref:
            existing = self.search(
                [
                    ("origin_ref", "=", origin_ref),
                    ("callback_type", "=", callback_type),
                    ("date", "=", date),
                ],
                limit=1,
            )
            if existing:
                return existing
        agent = user or partner._care_get_agent()
        if callable(summary):
            summary = summary(agent._care_env(self.env))
        callback = self.create(
            {
                "partner_id": partner.id,
                "date": date,
                "callback_type": callback_type,
                "method": method,
                "origin_ref": origin_ref,
                "user_id": agent.id,
                "summary": summary,
                "cadence_id": cadence and cadence.id,
                "company_id": (partner.company_id or self.env.company).id,
            }
        )
        callback._care_schedule_activities()
        return callback

    @transition
    def _care_escalate_repeated_issues(self):
        """Seed 000 §3.2.2.2: a customer that raises issues in two callbacks
        within a month gets, once, a manager-level callback.

        The add-on's own path, in superuser mode: the agent who marks a
        callback done may not see the customer's other callbacks and issues
        (another agent's, another branch's) nor the manager's callback, yet
        all of them count, and the manager callback is made once."""
        Callback = self.sudo()
        Issue = self.env["customer.care.callback.issue"].sudo()
        for callback in Callback.filtered("issue_ids"):
            company = callback.company_id
            window = company.care_callback_escalation_days
            since = fields.Date.subtract(callback.date, days=window)
            raised = Issue._read_group(
                [
                    ("partner_id", "=", callback.partner_id.id),
                    ("callback_id.date", ">=", since),
                    ("callback_id.date", "<=", callback.date),
                ],
                aggregates=["callback_id:count_distinct"],
            )[0][0]
            if raised < 2:
                continue
            already = Callback.search_count(
                [
                    ("partner_id", "=", callback.partner_id.id),
                    ("callback_type", "=", "manager"),
                    ("create_date", ">=", fields.Datetime.to_datetime(since)),
                ]
            )
            if already:
                continue
            manager = company._care_callback_manager()
            Callback._care_plan(
                callback.partner_id,
                company._care_today(),
                callback_type="manager",
                origin=callback,
                user=manager,
                summary=manager._care_env(self.env)._(
                    "Issues raised twice within %(days)s days: call the branch "
                    "manager of %(customer)s and confirm the solution and progress.",
                    days=window,
                    customer=callback.partner_id.name,
                ),
            )

    # ------------------------------------------------------------
    # SCHEDULED ACTIONS
    # ------------------------------------------------------------

    @api.model
    def _care_due_pairs(self, today, limit, company=None):
        """(partner id, cadence id) pairs due on ``today``: at most ``limit``,
        cadence after cadence, and whether more are due; only the cadences
        of ``company`` when it is given.

        Each cadence remembers how far in customer id order its generation
        went on ``today`` (``generation_date``, ``generation_partner_id``),
        so that each batch of a run picks up where the previous one stopped
        instead of reading again the customers done before, and a cadence
        that is through for the day costs nothing more. The state is written
        in the batch's transaction: a failed batch leaves it unchanged.
        Customers created later the same day (higher ids) are still found
        by a second run; a customer that becomes due behind the point
        reached is called the next day.
        """
        self.env.flush_all()
        # compiling these queries (JIT) would cost more than running them
        self.env.cr.execute("SET LOCAL jit = off")
        pairs = []
        domain = [("company_id", "=", company.id)] if company else []
        for cadence in self.env["customer.care.callback.cadence"].search(domain):
            after = (
                cadence.generation_partner_id if cadence.generation_date == today else 0
            )
            found, last_id = self._care_due_partners(
                cadence, today, after, limit - len(pairs) + 1
            )
            if len(pairs) + len(found) > limit:
                taken = found[: limit - len(pairs)]
                if taken:
                    pairs += [(partner_id, cadence.id) for partner_id in taken]
                    cadence._care_generation_reached(today, taken[-1])
                return pairs, True
            pairs += [(partner_id, cadence.id) for partner_id in found]
            # through for today: up to the last customer that existed
            cadence._care_generation_reached(today, max(last_id or 0, after))
        return pairs, False

    @api.model
    def _care_due_partners(self, cadence, today, after, limit):
        """Ids of the customers due for ``cadence`` on ``today`` after
        customer ``after``, at most ``limit``, in id order; and the highest
        customer id there is. One query: customers in id order from where
        the cadence stopped, each condition a look-up by customer (OFFSET 0
        keeps the planner from turning them into joins, which it does on
        the stale statistics of a table just written to: then a scan of the
        whole table per customer)."""
        self.env.cr.execute(
            SQL(
                """
                SELECT p.id, (SELECT max(id) FROM res_partner)
                  FROM res_partner p
                 WHERE p.id > %(after)s
                   AND p.active
                   AND p.commercial_partner_id = p.id
                   AND (p.company_id IS NULL OR p.company_id = %(company)s)
                   AND EXISTS (
                        SELECT 1 FROM res_partner_care_segment_rel s
                         WHERE s.partner_id = p.id
                           AND (%(any_segment)s OR s.segment_id = ANY(%(segments)s))
                        OFFSET 0)
                   AND NOT EXISTS (
                        SELECT 1 FROM res_partner_care_segment_rel s
                         WHERE s.partner_id = p.id
                           AND s.segment_id = ANY(%(excluded)s)
                        OFFSET 0)
                   AND (NOT %(buyers_only)s OR EXISTS (
                        SELECT 1 FROM sale_order so
                          JOIN res_partner sp ON sp.id = so.partner_id
                         WHERE sp.commercial_partner_id = p.id AND so.state = 'sale'
                        OFFSET 0))
                   AND NOT EXISTS (
                        SELECT 1 FROM customer_care_callback cb
                         WHERE cb.partner_id = p.id
                           AND cb.cadence_id = %(cadence)s
                           AND cb.active
                           AND (cb.state = 'planned'
                                OR (cb.state IN ('done', 'missed')
                                    AND cb.date > %(cutoff)s))
                        OFFSET 0)
                 ORDER BY p.id
                 LIMIT %(limit)s
                """,
                after=after,
                cadence=cadence.id,
                company=cadence.company_id.id,
                any_segment=not cadence.segment_ids,
                segments=cadence.segment_ids.ids or [0],
                excluded=cadence.exclude_segment_ids.ids or [0],
                buyers_only=cadence.buyers_only,
                cutoff=today - cadence._interval(),
                limit=limit,
            )
        )
        rows = self.env.cr.fetchall()
        if rows:
            return [row[0] for row in rows], rows[0][1]
        self.env.cr.execute("SELECT max(id) FROM res_partner")
        return [], self.env.cr.fetchone()[0]

    @transition
    @api.model
    def _care_generate_due_callbacks(self, today=None, limit=None, company=None):
        """Create the callbacks due ``today`` (at most ``limit``), each
        assigned to the customer's agent with an activity. Returns the
        created callbacks and whether more are due.

        With a ``company``, only its cadences are run, on its day
        (``res.company._care_today``) unless ``today`` is given; with
        neither, those of the current company on its day; with ``today``
        alone, every cadence on that day.

        A batch is written set-based (:meth:`_care_insert_due`); when that
        fails, it is created again record by record through the ORM so that
        one bad customer does not stop the others.
        """
        if not today:
            company = company or self.env.company
            today = company._care_today()
        limit = limit or (company or self.env.company).care_callback_batch_size or 1000
        pairs, more = self._care_due_pairs(today, limit, company=company)
        # the cadences' progress is written now: the set-based insert below
        # invalidates the cache
        self.env.flush_all()
        if not pairs:
            return self.browse(), False
        try:
            with self.env.cr.savepoint(flush=False):
                callbacks = self._care_insert_due(today, pairs)
        except Exception:  # noqa: BLE001 - isolate below, record by record
            _logger.info("callback batch failed, creating one by one")
            self.env.invalidate_all(flush=False)
            callbacks = self._care_create_isolated(self._care_due_vals(today, pairs))
            callbacks._care_schedule_activities()
        return callbacks, more

    @api.model
    def _care_due_vals(self, today, pairs):
        """The values of the callbacks of ``pairs``, for the ORM."""
        Partner = self.env["res.partner"]
        partners = Partner.browse({p for p, _c in pairs})
        partners.fetch(["care_agent_id"])
        cadences = self.env["customer.care.callback.cadence"].browse(
            {c for _p, c in pairs}
        )
        vals_list = []
        for partner_id, cadence_id in pairs:
            cadence = cadences.browse(cadence_id)
            agent = (
                Partner.browse(partner_id).care_agent_id
                or cadence.company_id.care_default_agent_id
            )
            vals_list.append(
                {
                    "partner_id": partner_id,
                    "cadence_id": cadence_id,
                    "date": today,
                    "method": cadence.method,
                    "callback_type": cadence.callback_type,
                    "user_id": agent.id,
                    "company_id": cadence.company_id.id,
                    # in the language of the agent who makes it
                    "summary": cadence.with_context(lang=agent._care_lang()).name,
                }
            )
        return vals_list

    @api.model
    def _care_insert_due(self, today, pairs):
        """Write the callbacks of ``pairs`` with their activities and their
        agents as followers, in three ``INSERT … SELECT``: the same rows as
        ``create`` + :meth:`_care_schedule_activities` (a test compares
        them), without a query per record or per agent."""
        cr = self.env.cr
        lang = self.env.lang or "en_US"
        now = cr.now()
        uid = self.env.uid
        cr.execute(
            SQL(
                """
                INSERT INTO customer_care_callback (
                    partner_id, cadence_id, date, method, callback_type, user_id,
                    company_id, branch_id, state, active, summary, score_average,
                    satisfaction, issue_count, create_uid, write_uid, create_date,
                    write_date)
                SELECT p.id, c.id, %(today)s, c.method, c.callback_type,
                       COALESCE(p.care_agent_id, co.care_default_agent_id),
                       c.company_id, p.care_branch_id, 'planned', TRUE,
                       COALESCE(c.name ->> COALESCE(ap.lang, cp.lang, %(lang)s),
                                c.name ->> %(lang)s, c.name ->> 'en_US'), 0.0, 0.0,
                       0, %(uid)s, %(uid)s, %(now)s, %(now)s
                  FROM unnest(%(partners)s::int[], %(cadences)s::int[])
                       WITH ORDINALITY AS due (partner_id, cadence_id, rank)
                  JOIN res_partner p ON p.id = due.partner_id
                  JOIN customer_care_callback_cadence c ON c.id = due.cadence_id
                  JOIN res_company co ON co.id = c.company_id
                  -- the summary in the agent's language (else the company's)
                  LEFT JOIN res_users au
                         ON au.id = COALESCE(p.care_agent_id, co.care_default_agent_id)
                  LEFT JOIN res_partner ap ON ap.id = au.partner_id
                  LEFT JOIN res_company auc ON auc.id = au.company_id
                  LEFT JOIN res_partner cp ON cp.id = auc.partner_id
                 ORDER BY due.rank
                ON CONFLICT (partner_id, cadence_id, date) WHERE %(generated)s
                DO NOTHING
                RETURNING id
                """,
                today=today,
                lang=lang,
                uid=uid,
                now=now,
                partners=[p for p, _c in pairs],
                cadences=[c for _p, c in pairs],
                generated=SQL(GENERATED_WHERE),
            )
        )
        callbacks = self.browse(sorted(row[0] for row in cr.fetchall()))
        types = {
            method: self._care_activity_type(method).id
            for method, _label in CALLBACK_METHODS
        }
        cr.execute(
            SQL(
                """
                INSERT INTO mail_activity (
                    res_model_id, res_model, res_id, res_name, activity_type_id,
                    summary, date_deadline, user_id, user_tz, active,
                    create_uid, write_uid, create_date, write_date)
                SELECT %(model_id)s, %(model)s, cb.id,
                       concat_ws(' - ', p.complete_name,
                                 %(type_labels)s::jsonb ->> cb.callback_type,
                                 cb.date::text),
                       (%(types)s::jsonb ->> cb.method)::int,
                       COALESCE(cb.summary, format(%(fallback)s, p.name)),
                       cb.date, cb.user_id, up.tz, TRUE,
                       %(uid)s, %(uid)s, %(now)s, %(now)s
                  FROM customer_care_callback cb
                  JOIN res_partner p ON p.id = cb.partner_id
                  JOIN res_users u ON u.id = cb.user_id
                  JOIN res_partner up ON up.id = u.partner_id
                 WHERE cb.id = ANY(%(ids)s)
                 ORDER BY cb.id
                RETURNING user_id
                """,
                model_id=self.env["ir.model"]._get_id(self._name),
                model=self._name,
                type_labels=json.dumps(
                    dict(self._fields["callback_type"]._description_selection(self.env))
                ),
                types=json.dumps(types),
                fallback=self.env._("Callback: %s"),
                uid=uid,
                now=now,
                ids=callbacks.ids,
            )
        )
        agents = self.env["res.users"].browse({row[0] for row in cr.fetchall()})
        everyone, _internal, external = self.env[
            "mail.message.subtype"
        ].default_subtypes(self._name)
        cr.execute(
            SQL(
                """
                WITH follower AS (
                    INSERT INTO mail_followers (res_model, res_id, partner_id)
                    SELECT %(model)s, cb.id, u.partner_id
                      FROM customer_care_callback cb
                      JOIN res_users u ON u.id = cb.user_id
                     WHERE cb.id = ANY(%(ids)s)
                     ORDER BY cb.id
                    ON CONFLICT DO NOTHING
                    RETURNING id, partner_id)
                INSERT INTO mail_followers_mail_message_subtype_rel (
                    mail_followers_id, mail_message_subtype_id)
                SELECT f.id, s.id
                  FROM follower f
                  JOIN res_partner fp ON fp.id = f.partner_id
                  JOIN mail_message_subtype s
                    ON s.id = ANY(CASE WHEN fp.partner_share
                                       THEN %(external)s::int[]
                                       ELSE %(everyone)s::int[] END)
                """,
                model=self._name,
                ids=callbacks.ids,
                external=external.ids,
                everyone=everyone.ids,
            )
        )
        # what the ORM has in memory about these tables is stale now
        self.env.invalidate_all(flush=False)
        companies = (
            self.env["customer.care.callback.cadence"]
            .browse({c for _p, c in pairs})
            .company_id
        )
        # the activities are due already on their company's day
        if any(today <= company._care_today() for company in companies):
            agents._bus_send("mail.activity/updated", {"activity_created": True})
        return callbacks

    @api.model
    def _care_create_isolated(self, vals_list):
        """Create in one batch; when the batch fails, create one by one and
        skip (and log) the records that fail, so one bad customer does not
        stop the others."""
        quiet = self.with_context(
            mail_create_nolog=True, mail_create_nosubscribe=True, tracking_disable=True
        )
        try:
            with self.env.cr.savepoint():
                return quiet.create(vals_list)
        except Exception:  # noqa: BLE001 - isolate below, record by record
            _logger.info("callback batch failed, creating one by one")
        created = self.browse()
        for vals in vals_list:
            try:
                with self.env.cr.savepoint():
                    created |= quiet.create(vals)
            except Exception:
                _logger.exception(
                    "callback for partner %s (cadence %s) skipped",
                    vals.get("partner_id"),
                    vals.get("cadence_id"),
                )
        return created

    @api.model
    def _cron_generate_callbacks(self):
        """Daily: generate the due callbacks of each company with cadences
        on the company's day (not OdooBot's), one batch per transaction:
        a company with more due ends the batch, the next run goes on."""
        done, more = 0, False
        Cadence = self.env["customer.care.callback.cadence"]
        for [company] in Cadence._read_group([], ["company_id"]):
            callbacks, more = self._care_generate_due_callbacks(company=company)
            done += len(callbacks)
            if more:
                break
        self.env["ir.cron"]._notify_progress(done=done, remaining=1 if more else 0)

    @transition
    @api.model
    def _care_send_due_letters(self, today=None, limit=None):
        """Send the planned letters (沟通函) due ``today`` (by default: due
        on the day of their company) from the template, and mark them done
        on that day. Returns the letters sent and whether more wait."""
        limit = limit or self.env.company.care_callback_batch_size or 1000
        planned = [("method", "=", "letter"), ("state", "=", "planned")]
        days = self._care_company_days(planned, today)
        if not days:
            return self.browse(), False
        letters = self.search(
            [*planned, *self._care_due_on(days)],
            limit=limit + 1,
            order="date, id",
        )
        more = len(letters) > limit
        letters = letters[:limit]
        template = self.env.ref("customer_care.mail_template_callback_letter")
        for letter in letters:
            try:
                with self.env.cr.savepoint():
                    letter.message_post_with_source(
                        template,
                        message_type="comment",
                        subtype_xmlid="mail.mt_comment",
                    )
                    letter.write({"state": "done", "date": days[letter.company_id]})
                    letter.activity_ids.action_feedback(
                        feedback=self.env._("Letter sent.")
                    )
            except Exception:
                _logger.exception("letter callback %s not sent", letter.id)
        return letters, more

    @api.model
    def _cron_send_letters(self):
        """Daily: send the monthly letters, one batch per transaction."""
        letters, more = self._care_send_due_letters()
        self.env["ir.cron"]._notify_progress(
            done=len(letters), remaining=1 if more else 0
        )

    @transition
    @api.model
    def _cron_mark_overdue(self, today=None):
        """End of day (日清日结): callbacks planned for today (the day of
        their company, unless ``today`` is given) or before and still open
        are overdue and shown to the managers."""
        still_open = [("state", "=", "planned"), ("is_overdue", "=", False)]
        days = self._care_company_days(still_open, today)
        if not days:
            return self.browse()
        overdue = self.search([*still_open, *self._care_due_on(days)])
        overdue.write({"is_overdue": True})
        return overdue

    @api.model
    def _care_company_days(self, domain, today=None):
        """{company: its day} for the companies of the callbacks of
        ``domain``, read with one aggregate: a scheduled action acts on
        each company's day (``res.company._care_today``), not on OdooBot's.
        With ``today``, that day for all of them."""
        return {
            company: today or company._care_today()
            for [company] in self._read_group(domain, ["company_id"])
        }

    @api.model
    def _care_due_on(self, days):
        """The domain of the callbacks dated on or before the day of their
        company in ``days`` ({company: day})."""
        return expression.OR(
            [
                [("company_id", "=", company.id), ("date", "<=", day)]
                for company, day in days.items()
            ]
        )
