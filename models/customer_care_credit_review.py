# Copyright 2026 customer_care contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The half-yearly risk review (风险评估每半年一次, seed 003 风险管理): a
scheduled action opens, for every customer with credit or exposure, a review
with the rating its behaviour proposes and the figures behind it. The credit
manager accepts or changes it (a change with a reason); a downgrade to the
lowest rating, or stopping credit, is approved by the general manager (the
core approval mechanism) and then makes the customer buy cash before goods."""

from datetime import date

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

from .customer_care_guard import in_transition, transition
from .res_partner_credit import BALANCE_TABLE

# the figures a review keeps: read-only, written by the proposal
FIGURES = (
    "overdue_max_days",
    "overdue_avg_days",
    "request_count",
    "late_request_count",
    "limit_usage",
    "bad_debt_count",
    "bad_debt_amount",
    "complaint_count",
    "return_count",
    "last_year_cleared",
    "score",
)
# what the credit manager decides while the review is open
DECISION = ("rating_id", "stop_credit", "reason")


def half_of(day):
    """("2026-H2", first day, last day) of the half-year of ``day``."""
    first = date(day.year, 1 if day.month <= 6 else 7, 1)
    return (
        f"{day.year}-H{1 if day.month <= 6 else 2}",
        first,
        first + relativedelta(months=6, days=-1),
    )


class CustomerCareCreditReview(models.Model):
    _name = "customer.care.credit.review"
    _description = "Credit Risk Review"
    _inherit = ["customer.care.approval.mixin"]
    _order = "period desc, id desc"
    _rec_name = "partner_id"

    state = fields.Selection(
        selection_add=[("done", "Done")], ondelete={"done": "set default"}
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        ondelete="cascade",
        domain="[('is_company', '=', True)]",
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    branch_id = fields.Many2one(
        related="partner_id.care_branch_id", store=True, string="Branch"
    )
    period = fields.Char(
        string="Half-Year",
        required=True,
        default=lambda self: half_of(self.env.company._care_today())[0],
        help="The half-year reviewed, e.g. 2026-H2.",
    )
    date = fields.Date(
        string="Opened On",
        required=True,
        default=lambda self: self.env.company._care_today(),
    )
    due_date = fields.Date(string="Due On")
    escalated = fields.Boolean(readonly=True, copy=False)
    user_id = fields.Many2one(
        "res.users",
        string="Credit Manager",
        default=lambda self: self.env.company._care_credit_managers()[:1],
        tracking=True,
    )
    # the figures behind the proposal, over the rating window
    overdue_max_days = fields.Integer(string="Longest Delay (days)", readonly=True)
    overdue_avg_days = fields.Float(
        string="Average Delay (days)", readonly=True, digits=(16, 1)
    )
    request_count = fields.Integer(string="Over-Limit Shipments", readonly=True)
    late_request_count = fields.Integer(
        string="Collected Late",
        readonly=True,
        help="Over-limit amounts still unpaid at their month end.",
    )
    limit_usage = fields.Float(
        string="Limit Used (%)", readonly=True, digits=(16, 1), aggregator="avg"
    )
    bad_debt_count = fields.Integer(string="Bad Debts", readonly=True)
    bad_debt_amount = fields.Monetary(string="Bad Debts Written Off", readonly=True)
    complaint_count = fields.Integer(string="Complaints", readonly=True)
    return_count = fields.Integer(string="Returns", readonly=True)
    last_year_cleared = fields.Boolean(readonly=True)
    score = fields.Float(readonly=True, digits=(16, 1), aggregator="avg")
    previous_rating_id = fields.Many2one(
        "customer.care.credit.rating", string="Rating Before", readonly=True
    )
    proposed_rating_id = fields.Many2one("customer.care.credit.rating", readonly=True)
    rating_id = fields.Many2one(
        "customer.care.credit.rating",
        string="Decided Rating",
        tracking=True,
        help="The proposal unless the credit manager changes it (with a reason).",
    )
    stop_credit = fields.Boolean(
        tracking=True,
        help="The customer buys cash before goods once the general manager "
        "approves.",
    )
    reason = fields.Text(tracking=True)
    change = fields.Selection(
        [("up", "Upgraded"), ("same", "Unchanged"), ("down", "Downgraded")],
        compute="_compute_change",
        store=True,
    )
    needs_approval = fields.Boolean(compute="_compute_needs_approval")

    _sql_constraints = [
        (
            "partner_period_unique",
            "unique(partner_id, company_id, period)",
            "A customer is reviewed once a half-year in a company.",
        )
    ]

    # ------------------------------------------------------------
    # COMPUTES
    # ------------------------------------------------------------

    @api.depends("rating_id", "previous_rating_id")
    def _compute_change(self):
        for review in self:
            new, old = review.rating_id, review.previous_rating_id
            if not new or not old or new == old:
                review.change = "same" if new else False
            else:
                review.change = "down" if new._care_is_below(old) else "up"

    @api.depends("rating_id", "stop_credit")
    def _compute_needs_approval(self):
        lowest = self.env["customer.care.credit.rating"]._care_lowest()
        for review in self:
            review.needs_approval = review._care_needs_approval(lowest)

    # ------------------------------------------------------------
    # CONSTRAINTS AND CRUD
    # ------------------------------------------------------------

    @api.constrains("partner_id", "company_id")
    def _check_partner_company(self):
        for review in self:
            company = review.partner_id.company_id
            if company and company != review.company_id:
                raise ValidationError(
                    self.env._(
                        "%(customer)s is a customer of %(company)s: review it in "
                        "that company.",
                        customer=review.partner_id.display_name,
                        company=company.name,
                    )
                )

    @api.model
    def _care_guarded_fields(self):
        hint = self.env._(
            "the review's figures, which the half-yearly review computes, and "
            "the Accept button"
        )
        return dict(
            super()._care_guarded_fields(),
            **dict.fromkeys(
                (
                    *FIGURES,
                    "previous_rating_id",
                    "proposed_rating_id",
                    "escalated",
                    "date",
                    "due_date",
                ),
                hint,
            ),
        )

    @api.model
    def _care_guarded_at_create(self):
        return super()._care_guarded_at_create() | {"partner_id", "company_id"}

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            partner = self.env["res.partner"].browse(vals.get("partner_id"))
            if partner and partner.commercial_partner_id != partner:
                vals["partner_id"] = partner.commercial_partner_id.id
        reviews = super().create(vals_list)
        # a review opened by hand proposes its rating at once
        reviews.filtered(lambda r: not r.proposed_rating_id)._care_propose()
        return reviews

    def write(self, vals):
        if (
            not self.env.su
            and not in_transition()
            and set(vals) & {*DECISION, "partner_id", "company_id", "period"}
            and any(review.state != "draft" for review in self)
        ):
            raise UserError(
                self.env._(
                    "A review sent for approval or decided is kept as it was "
                    "decided: open the next half-year's review to change the "
                    "rating."
                )
            )
        return super().write(vals)

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_accept(self):
        """Decide the review: the rating (the proposal, or another one with a
        reason) applies at once, unless it is the lowest or stops credit:
        then it is sent to the general manager."""
        lowest = self.env["customer.care.credit.rating"]._care_lowest()
        for review in self:
            review._care_check_decision()
        to_approve = self.filtered(lambda r: r._care_needs_approval(lowest))
        if to_approve:
            to_approve.action_request()
        (self - to_approve)._care_apply_rating()
        return True

    def action_refresh(self):
        """Propose again from the figures of today (an open review)."""
        self.filtered(lambda r: r.state == "draft")._care_propose(keep_decision=False)
        return True

    def action_view_partner(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "res.partner",
            "res_id": self.partner_id.id,
            "view_mode": "form",
        }

    def action_print(self):
        return self.env.ref("customer_care.action_report_credit_review").report_action(
            self
        )

    # ------------------------------------------------------------
    # APPROVAL HOOKS
    # ------------------------------------------------------------

    def _care_check_request(self):
        self._care_check_decision()

    def _care_check_approver(self, user):
        if not user.has_group("customer_care.group_general_manager"):
            raise UserError(
                self.env._(
                    "Only the general manager approves a downgrade to the lowest "
                    "rating or stopping credit."
                )
            )

    def _care_approvers(self):
        return self.company_id._care_general_managers()

    def _care_after_request(self):
        for review in self:
            for manager in review.sent_to_ids:
                speaking = manager._care_env(self.env)
                review.activity_schedule(
                    "mail.mail_activity_data_todo",
                    user_id=manager.id,
                    summary=speaking._("Approve the credit rating"),
                    note=speaking._(
                        "%(customer)s: %(rating)s proposed by %(user)s. %(reason)s",
                        customer=review.partner_id.display_name,
                        rating=review.rating_id.with_env(speaking).name,
                        user=review.requested_by_id.name,
                        reason=review.reason or "",
                    ),
                )

    def _care_after_approve(self):
        self._care_apply_rating()

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _care_needs_approval(self, lowest):
        self.ensure_one()
        return bool(
            self.stop_credit
            or self.rating_id.response == "stop"
            or (
                self.rating_id
                and self.rating_id == lowest
                and self.previous_rating_id != lowest
            )
        )

    def _care_check_decision(self):
        self.ensure_one()
        if self.state != "draft":
            raise UserError(
                self.env._("%s is already decided.", self.partner_id.display_name)
            )
        if not self.env.user.has_group("customer_care.group_credit_manager"):
            raise UserError(
                self.env._("Only a credit manager decides a credit rating.")
            )
        if not self.rating_id:
            raise UserError(
                self.env._(
                    "Choose the rating of %s before accepting the review.",
                    self.partner_id.display_name,
                )
            )
        changed = self.rating_id != self.proposed_rating_id or self.stop_credit
        if changed and not (self.reason or "").strip():
            raise UserError(
                self.env._(
                    "%(customer)s: %(rating)s is not the proposed rating (%(proposed)s)"
                    " or stops credit: give the reason of the change.",
                    customer=self.partner_id.display_name,
                    rating=self.rating_id.name,
                    proposed=self.proposed_rating_id.name or "-",
                )
            )

    @transition
    def _care_apply_rating(self):
        """Rate the customers; stopping credit makes them buy cash before
        goods (风险规避), which the checks of orders and deliveries apply."""
        for review in self:
            partner = review.partner_id.sudo()
            stop = review.stop_credit or review.rating_id.response == "stop"
            values = {
                "care_credit_rating_id": review.rating_id.id,
                "care_credit_rating_date": review.company_id._care_today(),
            }
            if stop:
                values["care_credit_mode"] = "none"
            partner.write(values)
            if review.state == "draft":
                review.write({"state": "done"})
            lang = review.company_id.partner_id.lang or self.env.lang
            speaking = self.env(context=dict(self.env.context, lang=lang))
            partner.message_post(
                body=speaking._(
                    "Credit rating %(rating)s decided in the risk review of "
                    "%(period)s by %(user)s.",
                    rating=review.rating_id.with_env(speaking).name,
                    period=review.period,
                    user=self.env.user.name,
                )
                + (
                    " " + speaking._("Credit stopped: cash before goods.")
                    if stop
                    else ""
                ),
                subtype_xmlid="mail.mt_note",
            )
        self.activity_feedback(["mail.mail_activity_data_todo"])

    @transition
    def _care_propose(self, keep_decision=True):
        """Compute the figures and the proposed rating of these reviews, in a
        few aggregates per company (not per customer)."""
        Rating = self.env["customer.care.credit.rating"]
        ratings = Rating.search([])
        for company in self.company_id:
            reviews = self.filtered(lambda r, c=company: r.company_id == c)
            figures = self._care_risk_figures(company, reviews.partner_id)
            for review in reviews:
                values = figures[review.partner_id.id]
                rating = Rating._care_for_score(values["score"], ratings)
                values.update(
                    proposed_rating_id=rating.id,
                    previous_rating_id=review.partner_id.care_credit_rating_id.id,
                )
                if not keep_decision or not review.rating_id:
                    values["rating_id"] = rating.id
                review.write(values)

    @api.model
    def _care_risk_figures(self, company, partners, today=None):
        """{commercial partner id: the figures and score of the rating
        window}, with about ten aggregate queries for all of ``partners``."""
        today = today or company._care_today()
        start = today - relativedelta(months=company.care_risk_window_months or 6)
        partners = partners.commercial_partner_id
        ids = partners.ids
        result = {
            pid: {
                "overdue_max_days": 0,
                "overdue_avg_days": 0.0,
                "request_count": 0,
                "late_request_count": 0,
                "limit_usage": 0.0,
                "bad_debt_count": 0,
                "bad_debt_amount": 0.0,
                "complaint_count": 0,
                "return_count": 0,
                "last_year_cleared": True,
            }
            for pid in ids
        }
        if not ids:
            return result
        cr = self.env.cr
        self.env["account.move.line"].flush_model()
        self.env["account.partial.reconcile"].flush_model()
        # delays of the receivables due in the window: until paid, or today
        cr.execute(
            SQL(
                """
                SELECT p.commercial_partner_id, MAX(x.late), AVG(x.late)
                  FROM (
                    SELECT l.partner_id,
                           GREATEST(0, COALESCE(
                               CASE WHEN l.amount_residual > 0
                                    THEN %(today)s::date END,
                               (SELECT MAX(r.max_date)
                                  FROM account_partial_reconcile r
                                 WHERE r.debit_move_id = l.id),
                               %(today)s::date) - l.date_maturity) AS late
                      FROM account_move_line l
                      JOIN account_account a ON a.id = l.account_id
                     WHERE l.partner_id IN (
                               SELECT id FROM res_partner
                                WHERE commercial_partner_id = ANY(%(ids)s))
                       AND a.account_type = 'asset_receivable'
                       AND l.parent_state = 'posted'
                       AND l.company_id = %(company)s
                       AND l.balance > 0
                       AND l.date_maturity >= %(start)s
                       AND l.date_maturity < %(today)s
                  ) x
                  JOIN res_partner p ON p.id = x.partner_id
                 GROUP BY p.commercial_partner_id
                """,
                ids=ids,
                company=company.id,
                start=start,
                today=today,
            )
        )
        for pid, late_max, late_avg in cr.fetchall():
            if pid in result:
                result[pid]["overdue_max_days"] = int(late_max or 0)
                result[pid]["overdue_avg_days"] = float(late_avg or 0.0)
        Request = self.env["customer.care.credit.request"].sudo()
        base = [
            ("partner_id", "in", ids),
            ("company_id", "=", company.id),
            ("state", "=", "approved"),
            ("decided_at", ">=", fields.Datetime.to_datetime(start)),
        ]
        for key, domain in (
            ("request_count", base),
            ("late_request_count", [*base, ("collection_state", "=", "overdue")]),
        ):
            for partner, count in Request._read_group(
                domain, ["partner_id"], ["__count"]
            ):
                result[partner.id][key] = count
        for partner, count, amount in (
            self.env["customer.care.credit.bad.debt"]
            .sudo()
            ._read_group(
                [
                    ("partner_id", "in", ids),
                    ("company_id", "=", company.id),
                    ("state", "=", "posted"),
                    ("date", ">=", start),
                ],
                ["partner_id"],
                ["__count", "amount:sum"],
            )
        ):
            result[partner.id]["bad_debt_count"] = count
            result[partner.id]["bad_debt_amount"] = amount
        for partner, count in (
            self.env["helpdesk.ticket"]
            .sudo()
            ._read_group(
                [
                    ("partner_id.commercial_partner_id", "in", ids),
                    ("company_id", "=", company.id),
                    ("care_is_complaint", "=", True),
                    ("create_date", ">=", fields.Datetime.to_datetime(start)),
                ],
                ["partner_id"],
                ["__count"],
            )
        ):
            pid = partner.commercial_partner_id.id
            result[pid]["complaint_count"] += count
        for partner, count in (
            self.env["stock.picking"]
            .sudo()
            ._read_group(
                [
                    ("partner_id.commercial_partner_id", "in", ids),
                    ("company_id", "=", company.id),
                    ("return_id", "!=", False),
                    ("picking_type_code", "=", "incoming"),
                    ("state", "=", "done"),
                    ("date_done", ">=", fields.Datetime.to_datetime(start)),
                ],
                ["partner_id"],
                ["__count"],
            )
        ):
            result[partner.commercial_partner_id.id]["return_count"] += count
        credit = partners.with_company(company)._care_credit_figures_many(
            company, overdue=False
        )
        last_year = partners._care_credit_last_year_open(company, today=today)
        currency = company.currency_id
        for pid, values in result.items():
            figures = credit[pid]
            if figures["limit"]:
                usage = figures["exposure"] / figures["limit"] * 100
            else:
                usage = (
                    100.0
                    if currency.compare_amounts(figures["exposure"], 0) > 0
                    else 0.0
                )
            values["limit_usage"] = max(min(usage, 200.0), 0.0)
            values["last_year_cleared"] = (
                currency.compare_amounts(last_year.get(pid, 0.0), 0.0) <= 0
            )
            values["score"] = self._care_score(company, values)
        return result

    @api.model
    def _care_score(self, company, values):
        """100 points less the weighted factors (settings), between 0 and
        100."""
        lost = (
            company.care_risk_weight_overdue_max * values["overdue_max_days"]
            + company.care_risk_weight_overdue_avg * values["overdue_avg_days"]
            + company.care_risk_weight_request * values["request_count"]
            + company.care_risk_weight_late_request * values["late_request_count"]
            + company.care_risk_weight_usage * values["limit_usage"] / 100
            + company.care_risk_weight_bad_debt * values["bad_debt_count"]
            + company.care_risk_weight_complaint * values["complaint_count"]
            + company.care_risk_weight_return * values["return_count"]
            + (0 if values["last_year_cleared"] else company.care_risk_weight_last_year)
        )
        return round(max(0.0, min(100.0, 100.0 - lost)), 1)

    # ------------------------------------------------------------
    # SCHEDULED ACTIONS
    # ------------------------------------------------------------

    @api.model
    def _cron_care_credit_review(self, today=None):
        """Open the half-year's reviews of every company (seed 003: 每半年一次):
        once per customer and half-year, whenever it runs."""
        opened = 0
        for company in self.env["res.company"].search([]):
            opened += self._care_open_reviews(company, today or company._care_today())
        return opened

    @api.model
    def _care_review_candidates(self, company, period, after_id=0, limit=None):
        """Commercial partners with credit or exposure in ``company`` and no
        review of ``period`` yet, by id from ``after_id``."""
        self.flush_model(["partner_id", "company_id", "period"])
        self.env["res.partner"].flush_model(
            ["care_credit_mode", "commercial_partner_id", "company_id"]
        )
        self.env["sale.order"].flush_model(["state", "partner_id", "company_id"])
        # compiling this query (JIT) would cost more than running it
        self.env.cr.execute("SET LOCAL jit = off")
        # the kept balances are written by the trigger of the journal items
        self.env["account.move.line"].flush_model()
        self.env.cr.execute(
            SQL(
                """
                SELECT p.id FROM res_partner p
                 WHERE p.id = p.commercial_partner_id
                   AND p.id > %(after)s
                   AND p.active
                   AND (p.company_id IS NULL OR p.company_id = %(company)s)
                   AND p.id NOT IN (SELECT partner_id FROM res_company
                                     WHERE partner_id IS NOT NULL)
                   AND p.id NOT IN (SELECT u.partner_id FROM res_users u
                                     WHERE u.share IS NOT TRUE)
                   AND (p.care_credit_mode IN ('rolling', 'manual')
                        OR EXISTS (
                            SELECT 1 FROM %(balance)s b
                              JOIN res_partner c ON c.id = b.partner_id
                              JOIN account_account a ON a.id = b.account_id
                             WHERE c.commercial_partner_id = p.id
                               AND b.company_id = %(company)s
                               AND a.account_type = 'asset_receivable'
                               AND b.amount_residual != 0)
                        OR EXISTS (
                            SELECT 1 FROM sale_order o
                              JOIN res_partner c ON c.id = o.partner_id
                             WHERE c.commercial_partner_id = p.id
                               AND o.company_id = %(company)s
                               AND o.state = 'sale'))
                   AND NOT EXISTS (
                            SELECT 1 FROM customer_care_credit_review r
                             WHERE r.partner_id = p.id
                               AND r.company_id = %(company)s
                               AND r.period = %(period)s)
                 ORDER BY p.id
                 %(limit)s
                """,
                after=after_id,
                company=company.id,
                period=period,
                balance=SQL.identifier(BALANCE_TABLE),
                limit=SQL("LIMIT %s", limit) if limit else SQL(""),
            )
        )
        return [row[0] for row in self.env.cr.fetchall()]

    @api.model
    def _care_open_reviews(self, company, today):
        """The reviews of ``company``'s half-year of ``today``, in batches
        (progress reported to the cron); a second run opens nothing."""
        period, _first, _last = half_of(today)
        batch = company.care_risk_batch_size or 1000
        due = today + relativedelta(days=company.care_risk_review_days or 30)
        manager = company._care_credit_managers()[:1]
        Partner = self.env["res.partner"].with_company(company)
        last_id = 0
        opened = 0
        while True:
            ids = self._care_review_candidates(
                company, period, after_id=last_id, limit=batch
            )
            if not ids:
                break
            last_id = ids[-1]
            partners = Partner.browse(ids)
            figures = self._care_risk_figures(company, partners, today=today)
            Rating = self.env["customer.care.credit.rating"]
            ratings = Rating.search([])
            vals_list = []
            for partner in partners:
                values = figures[partner.id]
                rating = Rating._care_for_score(values["score"], ratings)
                vals_list.append(
                    dict(
                        values,
                        partner_id=partner.id,
                        company_id=company.id,
                        period=period,
                        date=today,
                        due_date=due,
                        user_id=manager.id,
                        proposed_rating_id=rating.id,
                        rating_id=rating.id,
                        previous_rating_id=partner.care_credit_rating_id.id,
                    )
                )
            with self.env.cr.savepoint():
                self.sudo().with_context(
                    mail_create_nolog=True, tracking_disable=True
                ).with_company(company).create(vals_list)
            opened += len(vals_list)
            self.env["ir.cron"]._notify_progress(done=opened, remaining=0)
            self.env.invalidate_all()
        if opened and manager:
            speaking = manager._care_env(self.env)
            self.env["mail.thread"].sudo().message_notify(
                partner_ids=manager.partner_id.ids,
                subject=speaking._("Risk reviews of %s to decide", period),
                body=speaking._(
                    "%(count)s customers have a risk review of %(period)s to "
                    "decide by %(due)s (Customer Care › Credit › Risk Reviews).",
                    count=opened,
                    period=period,
                    due=due,
                ),
                model=False,
                res_id=False,
            )
        return opened

    @api.model
    def _cron_care_credit_review_escalate(self):
        """Reviews left open past their due date go to the general manager,
        once (like the other deadlines)."""
        escalated = 0
        for company in self.env["res.company"].search([]):
            today = company._care_today()
            late = self.search(
                [
                    ("company_id", "=", company.id),
                    ("state", "in", ("draft", "requested")),
                    ("due_date", "<", today),
                    ("escalated", "=", False),
                ]
            )
            late = self.env["customer.care.job.run"]._care_claim_rows(late, "escalated")
            managers = company._care_general_managers()
            for review in late:
                for manager in managers:
                    speaking = manager._care_env(self.env)
                    review.activity_schedule(
                        "mail.mail_activity_data_todo",
                        user_id=manager.id,
                        summary=speaking._("Risk review overdue"),
                        note=speaking._(
                            "The risk review of %(customer)s was due on %(due)s "
                            "and is not decided.",
                            customer=review.partner_id.display_name,
                            due=review.due_date,
                        ),
                    )
            escalated += len(late)
        return escalated
