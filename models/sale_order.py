# Copyright 2026 customer_care contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError

from .res_partner_credit import NO_LIMIT_MODES


def _in_store_depends(self):
    # Odoo's "in store" delivery (website_sale_collect) marks an order for
    # pickup at a warehouse: when that module is there, it drives ours
    return ["carrier_id"] if "carrier_id" in self._fields else []


class SaleOrder(models.Model):
    _inherit = "sale.order"

    care_pickup = fields.Boolean(
        string="Self-Pickup",
        compute="_compute_care_pickup",
        store=True,
        readonly=False,
        tracking=True,
        help="The customer collects the goods at a pickup point.",
    )
    care_pickup_point_id = fields.Many2one(
        "customer.care.pickup.point",
        string="Pickup Point",
        compute="_compute_care_pickup_point_id",
        store=True,
        readonly=False,
        tracking=True,
        check_company=True,
    )
    care_pickup_planned_at = fields.Datetime(
        string="Planned Pickup",
        tracking=True,
        help="Inside the opening hours of the pickup point.",
    )
    care_pickup_ids = fields.One2many(
        "customer.care.pickup", "sale_order_id", string="Pickups"
    )
    care_pickup_count = fields.Integer(compute="_compute_care_pickup_count")
    care_credit_request_ids = fields.One2many(
        "customer.care.credit.request", "sale_order_id", string="Over-Limit Requests"
    )
    care_credit_request_count = fields.Integer(
        compute="_compute_care_credit_request_count"
    )
    care_credit_warning = fields.Char(
        compute="_compute_care_credit_warning",
        help="Shown on the order while confirming it would take the customer "
        "over the credit limit.",
    )

    @api.depends(_in_store_depends)
    def _compute_care_pickup(self):
        for order in self:
            carrier = order["carrier_id"] if "carrier_id" in order._fields else None
            if carrier and carrier.delivery_type == "in_store":
                order.care_pickup = True
            else:
                order.care_pickup = order.care_pickup

    @api.depends("care_pickup", "warehouse_id")
    def _compute_care_pickup_point_id(self):
        Point = self.env["customer.care.pickup.point"]
        for order in self:
            if not order.care_pickup:
                order.care_pickup_point_id = False
            elif order.warehouse_id and (
                order.care_pickup_point_id.warehouse_id != order.warehouse_id
            ):
                order.care_pickup_point_id = (
                    Point.search(
                        [("warehouse_id", "=", order.warehouse_id.id)], limit=1
                    )
                    or order.care_pickup_point_id
                )

    def _compute_care_pickup_count(self):
        counts = dict(
            self.env["customer.care.pickup"]._read_group(
                [("sale_order_id", "in", self.ids)], ["sale_order_id"], ["__count"]
            )
        )
        for order in self:
            order.care_pickup_count = counts.get(order, 0)

    def _compute_care_credit_request_count(self):
        counts = dict(
            self.env["customer.care.credit.request"]._read_group(
                [("sale_order_id", "in", self.ids)], ["sale_order_id"], ["__count"]
            )
        )
        for order in self:
            order.care_credit_request_count = counts.get(order, 0)

    @api.depends("amount_total", "partner_id", "state")
    def _compute_care_credit_warning(self):
        for order in self:
            order.care_credit_warning = False
            partner = order.partner_id.commercial_partner_id
            if (
                not order.company_id.account_use_credit_limit
                or not partner
                or order.state not in ("draft", "sent", "sale")
            ):
                continue
            if partner.care_credit_mode == "unclassified":
                order.care_credit_warning = partner._care_credit_unclassified_message()
            elif partner.care_credit_mode == "none":
                if order.state == "sale" and not order._care_is_paid():
                    order.care_credit_warning = self.env._(
                        "Cash customer: the goods leave only once the order is paid."
                    )
            elif order.id:
                breach = order._care_credit_breach(lock=False)
                order.care_credit_warning = breach and breach[1]
            if (
                not order.care_credit_warning
                and partner.sudo().care_credit_rating_id.response == "monitor"
            ):
                order.care_credit_warning = self.env._(
                    "%(customer)s is rated %(rating)s and monitored: watch its "
                    "payments.",
                    customer=partner.display_name,
                    rating=partner.sudo().care_credit_rating_id.name,
                )

    @api.constrains("care_pickup_planned_at", "care_pickup_point_id")
    def _check_care_pickup_planned_at(self):
        for order in self.filtered(
            lambda o: o.care_pickup
            and o.care_pickup_point_id
            and o.care_pickup_planned_at
            and o.state in ("draft", "sent")
        ):
            order.care_pickup_point_id._care_check_pickup_time(
                order.care_pickup_planned_at
            )

    def action_confirm(self):
        # a context key any client can send: only server-side code (the
        # benchmarks' plain-Odoo baseline) may skip the check
        if not (self.env.su and self.env.context.get("care_credit_skip_check")):
            blocked = self._customer_care_check_credit()
            if blocked:
                return blocked
        return super().action_confirm()

    def _action_confirm(self):
        self._care_check_pickup_ready_to_confirm()
        res = super()._action_confirm()
        self._care_plan_after_sale_callbacks()
        self.env["customer.care.pickup"]._care_create_for_orders(self)
        return res

    def _action_cancel(self):
        res = super()._action_cancel()
        self.care_pickup_ids.filtered(
            lambda p: p.state in ("to_confirm", "confirmed", "ready", "notified")
        ).action_cancel()
        return res

    def action_view_pickups(self):
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id(
            "customer_care.customer_care_pickup_action"
        )
        action["domain"] = [("sale_order_id", "=", self.id)]
        action["context"] = {"create": False}
        if len(self.care_pickup_ids) == 1:
            action["views"] = [(False, "form")]
            action["res_id"] = self.care_pickup_ids.id
        return action

    def action_care_view_credit_requests(self):
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id(
            "customer_care.customer_care_credit_request_action"
        )
        action["domain"] = [("sale_order_id", "=", self.id)]
        action["context"] = {"default_sale_order_id": self.id}
        return action

    # ------------------------------------------------------------
    # CREDIT (seed 004 篇一)
    # ------------------------------------------------------------

    def _care_credit_amount_open(self):
        """The part of the order not yet counted in the exposure: all of it
        until it is confirmed."""
        self.ensure_one()
        return self.amount_total if self.state in ("draft", "sent") else 0.0

    def _care_credit_message(self, figures):
        currency = figures["currency"]
        return self.env._(
            "Credit limit exceeded: open receivables %(receivable)s + confirmed, "
            "not invoiced %(to_invoice)s + this order %(order)s = %(exposure)s, "
            "over the limit of %(limit)s by %(over)s.",
            receivable=currency.format(figures["receivable"]),
            to_invoice=currency.format(figures["to_invoice"]),
            order=currency.format(figures["order"]),
            exposure=currency.format(figures["exposure"]),
            limit=currency.format(figures["limit"]),
            over=currency.format(figures["over"]),
        )

    def _customer_care_check_credit(self):
        """Block the confirmation of an order that takes its customer over the
        limit (seed 004 2.1-2.2), unless an approved request covers the order
        as it is. Returns the blocking dialog, or False. Cash customers
        confirm freely: their delivery waits for the payment. A customer not
        classified yet is not checked: the order says so in its chatter."""
        for order in self.filtered("company_id.account_use_credit_limit"):
            partner = order.partner_id.commercial_partner_id
            if partner.care_credit_mode == "unclassified":
                order._message_log(body=partner._care_credit_unclassified_message())
                continue
            breach = order._care_credit_breach()
            if breach:
                figures, message = breach
                return self.env["customer.care.credit.block"]._care_open(
                    figures, order, message=message
                )
        return False

    def _care_credit_breach(self, lock=True):
        """Why confirming this order is blocked: (figures, message) or None
        (a confirmed order: whether its customer is over the limit now). Cash
        customers and customers not classified yet are never blocked at the
        order. With ``lock``, concurrent checks of the customer wait for this
        one. The onboarding previews its modes with it too."""
        self.ensure_one()
        partner = self.partner_id.commercial_partner_id
        if partner.care_credit_mode in NO_LIMIT_MODES:
            return None
        if lock:
            partner._care_credit_lock()
        figures = partner._care_credit_figures(
            self.company_id,
            order=self if self.state != "sale" else None,
            overdue=False,
        )
        return self._care_credit_verdict(figures)

    def _care_credit_verdict(self, figures):
        """(figures, message) when this order needs an approved over-limit
        request it does not have: its customer over the limit (``figures``),
        or rated to approve every order (风险降低); None otherwise. The one
        verdict of the order, its delivery and the release ledger."""
        self.ensure_one()
        over = figures["currency"].compare_amounts(figures["over"], 0.0) > 0
        gate = self.partner_id.commercial_partner_id._care_credit_rating_gate()
        if not (over or gate) or self._care_credit_approved():
            return None
        return figures, self._care_credit_message(figures) if over else gate

    def _care_credit_approved(self):
        """Whether an approved over-limit request unlocks the order as it is
        now. Read with sudo: the warehouse clerk validating the delivery, or
        a salesman who did not ask, cannot read the requests."""
        self.ensure_one()
        return self.sudo().care_credit_request_ids._care_covers(self)

    def _care_is_paid(self):
        """Whether a cash customer paid the order: its posted invoices paid,
        or advance payments of the customer not yet matched (seed 004 1.4.1).
        Read with sudo: the warehouse clerk asks too, without accounting
        rights."""
        self.ensure_one()
        order = self.sudo()
        invoices = order.invoice_ids.filtered(
            lambda m: m.state == "posted" and m.move_type == "out_invoice"
        )
        paid = sum(
            invoices.mapped(lambda m: m.amount_total_signed - m.amount_residual_signed)
        )
        [(unmatched,)] = (
            self.env["account.move.line"]
            .sudo()
            ._read_group(
                [
                    (
                        "partner_id",
                        "child_of",
                        order.partner_id.commercial_partner_id.id,
                    ),
                    ("account_type", "=", "asset_receivable"),
                    ("parent_state", "=", "posted"),
                    ("reconciled", "=", False),
                    ("amount_residual", "<", 0),
                    ("company_id", "=", order.company_id.id),
                ],
                [],
                ["amount_residual:sum"],
            )
        )
        advance = -(unmatched or 0.0)
        due = order.currency_id._convert(
            order.amount_total,
            order.company_id.currency_id,
            order.company_id,
            fields.Date.context_today(order),
        )
        return order.company_id.currency_id.compare_amounts(paid + advance, due) >= 0

    def _care_check_pickup_ready_to_confirm(self):
        for order in self.filtered("care_pickup"):
            if not order.care_pickup_point_id or not order.care_pickup_planned_at:
                raise UserError(
                    self.env._(
                        "%s is a self-pickup order: choose its pickup point and "
                        "planned pickup time before confirming it.",
                        order.name,
                    )
                )

    def action_care_log_callback(self):
        self.ensure_one()
        return self.env["customer.care.callback"]._care_action_log(
            self.partner_id, origin=self, callback_type="sale"
        )

    def _care_plan_after_sale_callbacks(self):
        """Seed 001 第4-5条: a first callback within a month of the sale, then
        quarterly (the after-sale cadence)."""
        # a salesperson without callback rights confirms orders too: the
        # callback is the agents' work, planned on their behalf
        Callback = self.env["customer.care.callback"].sudo()
        Cadence = self.env["customer.care.callback.cadence"].sudo()
        for order in self:
            company = order.company_id
            cadence = Cadence.search(
                [("buyers_only", "=", True), ("company_id", "=", company.id)], limit=1
            )
            partner = order.partner_id.commercial_partner_id
            open_ = Callback.search_count(
                [
                    ("partner_id", "=", partner.id),
                    ("callback_type", "=", "sale"),
                    ("state", "=", "planned"),
                ]
            )
            if open_:
                continue
            date = fields.Date.add(
                fields.Date.context_today(order),
                days=company.care_callback_first_sale_days,
            )
            Callback._care_plan(
                partner,
                date,
                callback_type="sale",
                method=cadence.method or "phone",
                origin=order,
                cadence=cadence,
                summary=lambda env, order=order: env._(
                    "First callback after order %s", order.name
                ),
            )
