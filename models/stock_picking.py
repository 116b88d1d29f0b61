# Copyright 2026 customer_care contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError

from .customer_care_pickup import OPEN_STATES, in_handover


class StockPicking(models.Model):
    _inherit = "stock.picking"

    care_pickup_ids = fields.One2many(
        "customer.care.pickup", "picking_id", string="Pickups"
    )
    care_pickup_id = fields.Many2one(
        "customer.care.pickup",
        compute="_compute_care_pickup_id",
        string="Pickup Record",
    )
    care_pickup_count = fields.Integer(compute="_compute_care_pickup_id")
    care_credit_warning = fields.Char(
        compute="_compute_care_credit_warning",
        help="Shown on a delivery that may not leave yet: the customer is over "
        "the credit limit without an approval, or buys cash before goods and "
        "has not paid.",
    )

    def _compute_care_pickup_id(self):
        for picking in self:
            picking.care_pickup_id = picking.care_pickup_ids.sorted("id")[-1:]
            picking.care_pickup_count = len(picking.care_pickup_ids)

    @api.depends("state", "sale_id.amount_total", "partner_id")
    def _compute_care_credit_warning(self):
        self.care_credit_warning = False
        for picking in self._care_credit_pickings():
            if not picking.id:
                continue
            partner = picking.sale_id.partner_id.commercial_partner_id
            if partner.care_credit_mode == "unclassified":
                picking.care_credit_warning = (
                    partner._care_credit_unclassified_message()
                )
                continue
            breach = picking._care_credit_breach(lock=False)
            picking.care_credit_warning = breach and breach[1]

    def button_validate(self):
        self._care_check_pickup_handover()
        # "release anyway" is the stock manager's (and recorded against
        # them): the context key is honoured for them only
        if not (
            self.env.context.get("care_credit_bypass")
            and (self.env.su or self.env.user.has_group("stock.group_stock_manager"))
        ):
            blocked = self._customer_care_check_credit()
            if blocked:
                return blocked
        return super().button_validate()

    def _action_done(self):
        self._care_check_pickup_handover()
        res = super()._action_done()
        self._care_plan_delivery_callbacks()
        self._care_record_credit_releases()
        return res

    # ------------------------------------------------------------
    # SELF-PICKUP (seed 003)
    # ------------------------------------------------------------

    def _care_check_pickup_handover(self):
        """The delivery of an open self-pickup leaves by its handover at the
        desk only: validated anywhere else (the Validate button, a wizard's
        answer such as stock_sms's question), it would be done without a
        collector and with the voucher still valid."""
        if in_handover():
            return
        for picking in self:
            pickup = picking.sudo().care_pickup_ids.filtered(
                lambda p: p.state in OPEN_STATES
            )[:1]
            if pickup:
                raise UserError(
                    self.env._(
                        "%(delivery)s is collected by the customer at the pickup "
                        "desk: hand it over from the pickup %(pickup)s with its Hand "
                        "Over button (voucher code and identity check), or cancel the "
                        "pickup first.",
                        delivery=picking.name,
                        pickup=pickup.name,
                    )
                )

    # ------------------------------------------------------------
    # CREDIT (seed 004 篇一)
    # ------------------------------------------------------------

    def _care_credit_pickings(self):
        return self.filtered(
            lambda p: p.picking_type_code == "outgoing"
            and p.sale_id
            and p.state not in ("done", "cancel")
            and p.company_id.account_use_credit_limit
        )

    def _care_credit_breach(self, lock=True):
        """Why this delivery may not leave: (figures, message) or None. Cash
        customers must have paid the order (1.4.1); credit customers stay
        within the limit unless an approved request covers the order. With
        ``lock``, concurrent checks of the customer wait for this one. A
        customer not classified yet is not checked (the delivery says so).
        The onboarding previews its modes with it too."""
        self.ensure_one()
        order = self.sale_id
        partner = order.partner_id.commercial_partner_id
        if partner.care_credit_mode == "unclassified":
            return None
        if partner.care_credit_mode == "none":
            if order._care_is_paid():
                return None
            return (
                None,
                self.env._(
                    "%(customer)s buys cash before goods: %(order)s must be paid "
                    "(invoice paid or advance payment registered) before "
                    "%(delivery)s leaves.",
                    customer=partner.display_name,
                    order=order.name,
                    delivery=self.name,
                ),
            )
        if lock:
            partner._care_credit_lock()
        figures = partner._care_credit_figures(self.company_id, overdue=False)
        return order._care_credit_verdict(figures)

    def _customer_care_check_credit(self):
        """Block the validation of a delivery to a customer over the limit or
        not paid (cash customers): the same check for delivered and
        self-pickup orders. Returns the blocking dialog, or False."""
        for picking in self._care_credit_pickings():
            partner = picking.sale_id.partner_id.commercial_partner_id
            if partner.care_credit_mode == "unclassified":
                picking._message_log(body=partner._care_credit_unclassified_message())
                continue
            breach = picking._care_credit_breach()
            if not breach:
                continue
            figures, message = breach
            if figures is None:
                raise UserError(message)
            return self.env["customer.care.credit.block"]._care_open(
                figures, picking.sale_id, message=message, picking=picking
            )
        return False

    def _care_record_credit_releases(self):
        """Seed 004 3.2 / 4.2: goods released over the limit (or unpaid, for a
        cash customer) without approval are recorded against the user who
        validated the delivery."""
        Responsibility = self.env["customer.care.credit.responsibility"].sudo()
        for picking in self.filtered(
            lambda p: p.picking_type_code == "outgoing"
            and p.sale_id
            and p.state == "done"
            and p.company_id.account_use_credit_limit
        ):
            order = picking.sale_id
            partner = order.partner_id.commercial_partner_id
            if partner.care_credit_mode == "unclassified":
                # not checked until classified: nothing released "over" it
                continue
            if partner.care_credit_mode == "none":
                if order._care_is_paid():
                    continue
                amount = order.amount_total
            else:
                figures = partner._care_credit_figures(
                    picking.company_id, overdue=False
                )
                if not order._care_credit_verdict(figures):
                    continue
                # released without the approval its rating asks for: the order
                over = figures["currency"].compare_amounts(figures["over"], 0.0) > 0
                amount = figures["over"] if over else order.amount_total
            Responsibility.create(
                {
                    "kind": "unapproved_release",
                    "user_id": self.env.user.id,
                    "partner_id": partner.id,
                    "sale_order_id": order.id,
                    "picking_id": picking.id,
                    "company_id": picking.company_id.id,
                    "amount": amount,
                    "note": self.env._(
                        "%(delivery)s validated by %(user)s without approval.",
                        delivery=picking.name,
                        user=self.env.user.name,
                    ),
                }
            )

    def action_care_log_callback(self):
        self.ensure_one()
        return self.env["customer.care.callback"]._care_action_log(
            self.partner_id, origin=self, callback_type="dealer"
        )

    def _care_plan_delivery_callbacks(self):
        """Seed 000 §3.2.3.1: every delivered merchant is called the day after
        its delivery (arrival, cargo safety, driver attitude). Planned with
        sudo: the warehouse or desk user validating the delivery need not
        have callback rights."""
        Callback = self.env["customer.care.callback"].sudo()
        for picking in self.filtered(
            lambda p: p.state == "done"
            and p.picking_type_code == "outgoing"
            and p.partner_id
        ):
            company = picking.company_id
            done = fields.Date.context_today(picking, picking.date_done)
            Callback._care_plan(
                picking.partner_id,
                fields.Date.add(done, days=company.care_callback_delivery_delay_days),
                callback_type="dealer",
                origin=picking,
                summary=lambda env, picking=picking: env._(
                    "Callback after delivery %s", picking.name
                ),
            )
