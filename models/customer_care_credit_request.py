# Copyright 2026 customer_care contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from .customer_care_guard import transition


class CustomerCareCreditRequest(models.Model):
    """An over-limit shipment request (超授信额开票发货, seed 004 2.2): the
    order, the figures at the time of asking, the repayment plan and the
    prepayment; approved by the customer's regional manager when the amount
    over is under one third of the limit, otherwise with a prepayment
    covering it or by the credit manager."""

    _name = "customer.care.credit.request"
    _description = "Over-Limit Request"
    _inherit = ["customer.care.approval.mixin"]
    _order = "id desc"

    name = fields.Char(required=True, readonly=True, default="/", copy=False)
    sale_order_id = fields.Many2one(
        "sale.order", required=True, index=True, ondelete="restrict", tracking=True
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        compute="_compute_partner_id",
        store=True,
        index=True,
    )
    company_id = fields.Many2one(related="sale_order_id.company_id", store=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    regional_manager_id = fields.Many2one(
        related="partner_id.care_regional_manager_id", store=True
    )
    order_amount = fields.Monetary(readonly=True)
    exposure = fields.Monetary(readonly=True)
    credit_limit = fields.Monetary(string="Limit", readonly=True)
    amount_over = fields.Monetary(readonly=True)
    ratio = fields.Float(
        string="Over / Limit (%)",
        compute="_compute_ratio",
        store=True,
        digits=(16, 1),
        aggregator="avg",
    )
    overdue_days = fields.Integer(string="Days Overdue", readonly=True)
    shipment_kind = fields.Selection(
        [
            ("first", "First Over-Limit Shipment"),
            ("last", "Last Shipment Before Payment"),
            ("other", "Other"),
        ],
        required=True,
        default="other",
        tracking=True,
    )
    repayment_date = fields.Date(string="Repayment Planned On", tracking=True)
    repayment_amount = fields.Monetary(tracking=True)
    prepayment_ids = fields.Many2many(
        "account.payment",
        string="Prepayments",
        domain="[('partner_id', 'child_of', partner_id), "
        "('payment_type', '=', 'inbound'), ('state', 'in', ('in_process', 'paid'))]",
        help="Payments received before the shipment (seed 004 2.2.3).",
    )
    prepayment_amount = fields.Monetary(
        compute="_compute_prepayment_amount", store=True
    )
    approved_amount = fields.Monetary(
        readonly=True,
        help="The order amount approved: a bigger order needs a new request.",
    )
    collection_due = fields.Date(
        readonly=True, help="The amount over is collected by the end of the month."
    )
    collection_state = fields.Selection(
        [("open", "To Collect"), ("paid", "Collected"), ("overdue", "Overdue")],
        readonly=True,
        tracking=True,
    )
    responsibility_ids = fields.One2many(
        "customer.care.credit.responsibility", "request_id"
    )

    _sql_constraints = [
        (
            "repayment_amount_positive",
            "CHECK(repayment_amount IS NULL OR repayment_amount >= 0)",
            "The repayment amount cannot be negative.",
        )
    ]

    # ------------------------------------------------------------
    # COMPUTES
    # ------------------------------------------------------------

    @api.depends("sale_order_id.partner_id")
    def _compute_partner_id(self):
        for request in self:
            request.partner_id = request.sale_order_id.partner_id.commercial_partner_id

    @api.depends("amount_over", "credit_limit")
    def _compute_ratio(self):
        for request in self:
            request.ratio = (
                request.amount_over / request.credit_limit * 100
                if request.credit_limit
                else 0.0
            )

    @api.depends(
        "prepayment_ids.amount_company_currency_signed",
        "prepayment_ids.state",
        "prepayment_ids.payment_type",
    )
    def _compute_prepayment_amount(self):
        for request in self:
            # only money received counts: not a draft, cancelled or outgoing one
            received = request.prepayment_ids.filtered(
                lambda p: p.payment_type == "inbound"
                and p.state in ("in_process", "paid")
            )
            request.prepayment_amount = sum(
                received.mapped("amount_company_currency_signed")
            )

    # ------------------------------------------------------------
    # CONSTRAINTS AND CRUD
    # ------------------------------------------------------------

    @api.constrains("repayment_date")
    def _check_repayment_date(self):
        for request in self:
            # the company's day: the one the collection is counted in
            if (
                request.repayment_date
                and request.state in ("draft", "requested")
                and request.repayment_date < request.company_id._care_today()
            ):
                raise ValidationError(
                    self.env._(
                        "The repayment of %(request)s is planned on %(date)s, in the "
                        "past: plan it from today on.",
                        request=request.name,
                        date=request.repayment_date,
                    )
                )

    @api.model
    def _care_guarded_fields(self):
        hint = self.env._(
            "the Refresh Figures button (draft) and the approval buttons: the "
            "figures are taken from the order and the customer"
        )
        return dict(
            super()._care_guarded_fields(),
            **dict.fromkeys(
                (
                    "name",
                    "sale_order_id",
                    "order_amount",
                    "exposure",
                    "credit_limit",
                    "amount_over",
                    "ratio",
                    "overdue_days",
                    "prepayment_amount",
                    "approved_amount",
                    "collection_due",
                    "collection_state",
                ),
                hint,
            ),
        )

    @api.model
    def _care_guarded_at_create(self):
        return super()._care_guarded_at_create() | {"sale_order_id"}

    @api.model_create_multi
    def create(self, vals_list):
        requests = super().create(vals_list)
        requests._care_name_and_snapshot()
        return requests

    @transition
    def _care_name_and_snapshot(self):
        for request in self:
            if request.name == "/":
                # read by everyone who handles it: in the company's language
                lang = request.company_id.partner_id.lang or self.env.lang
                request.name = self.env(context=dict(self.env.context, lang=lang))._(
                    "Over-limit %(order)s #%(id)s",
                    order=request.sale_order_id.name,
                    id=request.id,
                )
            request._care_snapshot()

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_refresh(self):
        self.filtered(lambda r: r.state == "draft")._care_snapshot()
        return True

    def action_view_order(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "sale.order",
            "res_id": self.sale_order_id.id,
            "view_mode": "form",
        }

    def action_print(self):
        self.ensure_one()
        return self.env.ref("customer_care.action_report_credit_request").report_action(
            self
        )

    # ------------------------------------------------------------
    # APPROVAL HOOKS
    # ------------------------------------------------------------

    @transition
    def _care_snapshot(self):
        """The figures of the order and the customer now."""
        for request in self:
            order = request.sale_order_id
            figures = request.partner_id._care_credit_figures(
                request.company_id, order=order
            )
            if order.state == "sale":
                # confirmed: its open amount is already in the exposure
                figures = request.partner_id._care_credit_figures(request.company_id)
            previous = self.sudo().search_count(
                [
                    ("partner_id", "=", request.partner_id.id),
                    ("state", "=", "approved"),
                    ("id", "!=", request.id),
                ]
            )
            request.write(
                {
                    "order_amount": order.amount_total,
                    "exposure": figures["exposure"],
                    "credit_limit": figures["limit"],
                    "amount_over": figures["over"],
                    "overdue_days": figures["overdue_days"],
                    "shipment_kind": "first"
                    if not previous
                    else (
                        request.shipment_kind
                        if request.shipment_kind != "first"
                        else "other"
                    ),
                }
            )

    def _care_check_request(self):
        self.ensure_one()
        self._care_snapshot()
        if not self.repayment_date or not self.repayment_amount:
            raise UserError(
                self.env._(
                    "Give the repayment plan (date and amount) of %s before "
                    "asking for approval.",
                    self.name,
                )
            )

    def _care_regional_share(self):
        return self.company_id.care_credit_regional_share or 1 / 3

    def _care_needs_credit_manager(self):
        """Why the regional manager may not decide this request alone, or
        False: seed 004 1.4.2 the customer is more than the setting's days
        overdue; 2.2.1-2.2.3 the amount over is not under one third of the
        limit and no prepayment covers it; or the customer has no regional
        manager."""
        self.ensure_one()
        if self.overdue_days > self.company_id.care_credit_overdue_days:
            return "overdue"
        if not self.regional_manager_id:
            return "no_manager"
        within = (
            self.currency_id.compare_amounts(
                self.amount_over, self.credit_limit * self._care_regional_share()
            )
            < 0
        )
        prepaid = (
            self.currency_id.compare_amounts(self.prepayment_amount, self.amount_over)
            >= 0
        )
        if not within and not prepaid:
            return "over_share"
        return False

    def _care_interested_users(self):
        # a salesperson does not decide on the over-limit shipment of her own
        # order, even as the customer's regional manager
        return super()._care_interested_users() | self.sale_order_id.sudo().user_id

    def _care_approvers(self):
        """The customer's regional manager when the request is within her
        right, else the credit manager(s); the next level when those are the
        requester or the salesperson: the credit manager, then the general
        manager."""
        self.ensure_one()
        interested = self._care_interested_users()
        company = self.company_id
        levels = [
            company._care_credit_managers(),
            company._care_general_managers(),
        ]
        if not self._care_needs_credit_manager():
            levels.insert(0, self.regional_manager_id)
        for users in levels:
            if users - interested:
                return users - interested
        return self.env["res.users"]

    def _care_check_decider(self, user):
        """Raise when ``user`` may not decide this request at all: his own
        request, an order he sells, or no right over over-limit shipments."""
        self.ensure_one()
        if self.requested_by_id == user:
            raise UserError(
                self.env._(
                    "You asked for this yourself: another person with the right "
                    "to approve must decide."
                )
            )
        if user in self._care_interested_users():
            raise UserError(
                self.env._(
                    "%(order)s is your own sale: the request goes to the next "
                    "level (%(approvers)s), who decides.",
                    order=self.sale_order_id.sudo().name,
                    approvers=", ".join(self.sent_to_ids.mapped("name"))
                    or self.env._("the credit manager"),
                )
            )
        if user.has_group("customer_care.group_credit_manager"):
            return
        if not user.has_group("customer_care.group_credit_approver"):
            raise UserError(
                self.env._(
                    "%(user)s has no right to approve over-limit shipments: a "
                    "credit approver (regional manager) or the credit manager "
                    "decides.",
                    user=user.name,
                )
            )

    def _care_check_refuser(self, user):
        """Saying no needs the right to decide, not the authority for the
        amount: a regional manager refuses a request above one third of the
        limit, which only the credit manager could approve, but only for
        the customers of her region."""
        self._care_check_decider(user)
        if (
            not user.has_group("customer_care.group_credit_manager")
            and user != self.regional_manager_id
        ):
            raise UserError(
                self.env._(
                    "Only %(manager)s, the regional manager of %(customer)s, or the "
                    "credit manager may refuse this request.",
                    manager=self.regional_manager_id.name or self.env._("(none set)"),
                    customer=self.partner_id.display_name,
                )
            )

    def _care_check_approver(self, user):
        """Seed 004: 2.2.1/2.2.2 the regional manager under one third of the
        limit; 2.2.3 above it only with a prepayment covering the excess, else
        the credit manager; 1.4.2 customers more than 30 days overdue: the
        credit manager (sales department), case by case. Nobody decides on
        his own request or on an order he sells."""
        self._care_check_decider(user)
        if user.has_group("customer_care.group_credit_manager"):
            return
        reason = self._care_needs_credit_manager()
        if reason == "overdue":
            raise UserError(
                self.env._(
                    "%(customer)s is %(days)s days overdue (more than %(limit)s): "
                    "only the credit manager decides, case by case.",
                    customer=self.partner_id.display_name,
                    days=self.overdue_days,
                    limit=self.company_id.care_credit_overdue_days,
                )
            )
        if user != self.regional_manager_id:
            raise UserError(
                self.env._(
                    "Only %(manager)s, the regional manager of %(customer)s, or the "
                    "credit manager may approve this request.",
                    manager=self.regional_manager_id.name or self.env._("(none set)"),
                    customer=self.partner_id.display_name,
                )
            )
        if reason == "over_share":
            share = self._care_regional_share()
            share_text = "1/3" if round(share, 4) == round(1 / 3, 4) else f"{share:.0%}"
            raise UserError(
                self.env._(
                    "%(over)s over the limit is not under %(share)s of the limit "
                    "(%(limit)s): a regional manager approves it only with a "
                    "prepayment covering the excess; otherwise the credit manager "
                    "decides.",
                    over=self.currency_id.format(self.amount_over),
                    share=share_text,
                    limit=self.currency_id.format(self.credit_limit),
                )
            )

    def _care_after_request(self):
        for request in self:
            for user in request.sent_to_ids:
                env = user._care_env(self.env)
                request.activity_schedule(
                    "mail.mail_activity_data_todo",
                    user_id=user.id,
                    summary=env._("Approve an over-limit shipment"),
                    note=env._(
                        "%(order)s of %(customer)s: %(over)s over the limit.",
                        order=request.sale_order_id.sudo().name,
                        customer=request.partner_id.display_name,
                        over=request.currency_id.format(request.amount_over),
                    ),
                )

    def _care_after_approve(self):
        for request in self:
            # the month end of the company's day, not the approver's
            today = request.company_id._care_today()
            # the approver decides on orders of other salesmen, which the
            # salesman record rules hide from him
            order = request.sale_order_id.sudo()
            request.write(
                {
                    "approved_amount": order.amount_total,
                    "collection_due": today + relativedelta(day=31),
                    "collection_state": "open",
                }
            )
            order.message_post(
                body=self.env._(
                    "Over-limit shipment approved by %(user)s up to %(amount)s.",
                    user=self.env.user.name,
                    amount=request.currency_id.format(request.approved_amount),
                ),
                subtype_xmlid="mail.mt_note",
            )

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _care_covers(self, order):
        """Whether one of these requests, approved, unlocks ``order`` as it
        is now (``sale.order._care_credit_approved`` asks with sudo)."""
        return any(
            request.state == "approved"
            and request.sale_order_id == order
            and request.currency_id.compare_amounts(
                order.amount_total, request.approved_amount
            )
            <= 0
            for request in self
        )

    def _care_collected_amount(self):
        """What the customer paid of the order's invoices."""
        self.ensure_one()
        invoices = self.sale_order_id.invoice_ids.filtered(
            lambda m: m.state == "posted" and m.move_type == "out_invoice"
        )
        return sum(
            invoices.mapped(lambda m: m.amount_total_signed - m.amount_residual_signed)
        )

    @api.model
    def _cron_credit_month_end(self, today=None):
        """Seed 004 4.1: on the last day of the month, approved over-limit
        amounts still unpaid are flagged for collection, the approver gets a
        task and their responsibility is recorded."""
        flagged = 0
        for company in self.env["res.company"].search([]):
            flagged += self._care_credit_month_end(
                company, today or company._care_today()
            )
        return flagged

    @transition
    def _care_credit_month_end(self, company, today):
        """The month end of one company, on its own calendar day."""
        if today != today + relativedelta(day=31):
            return 0
        due = self.search(
            [
                ("company_id", "=", company.id),
                ("state", "=", "approved"),
                ("collection_state", "=", "open"),
                ("collection_due", "<=", today),
            ]
        )
        Responsibility = self.env["customer.care.credit.responsibility"].sudo()
        flagged = 0
        for request in due:
            collected = request._care_collected_amount()
            if request.currency_id.compare_amounts(collected, request.amount_over) >= 0:
                request.collection_state = "paid"
                continue
            unpaid = request.amount_over - collected
            request.collection_state = "overdue"
            request.activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=request.approver_id.id,
                summary=request.approver_id._care_env(self.env)._(
                    "Collect the over-limit amount"
                ),
                note=request.approver_id._care_env(self.env)._(
                    "%(amount)s of %(order)s, approved over the limit, is still "
                    "unpaid at the month end.",
                    amount=request.currency_id.format(unpaid),
                    order=request.sale_order_id.name,
                ),
            )
            values = {
                "kind": "approved_unpaid",
                "user_id": request.approver_id.id,
                "partner_id": request.partner_id.id,
                "sale_order_id": request.sale_order_id.id,
                "request_id": request.id,
                "company_id": request.company_id.id,
                "amount": unpaid,
                "date": today,
            }
            if request.shipment_kind == "last":
                # 4.1: the signer's share is deducted from the next pay
                values.update(
                    deduction_amount=request.currency_id.round(
                        unpaid * company.care_credit_deduction_ratio / 100
                    ),
                    deduction_month=today + relativedelta(day=1, months=1),
                )
            Responsibility.create(values)
            flagged += 1
        return flagged
