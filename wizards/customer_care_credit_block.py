# Copyright 2026 customer_care contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError


class CustomerCareCreditBlock(models.TransientModel):
    """The dialog of a blocked confirmation or delivery: the figures, and the
    way on: ask for an over-limit approval (or, for a stock manager at the
    delivery, release anyway, which the responsibility ledger records)."""

    _name = "customer.care.credit.block"
    _description = "Credit Limit Exceeded"

    sale_order_id = fields.Many2one("sale.order", required=True, readonly=True)
    picking_id = fields.Many2one("stock.picking", readonly=True)
    partner_id = fields.Many2one(
        related="sale_order_id.partner_id.commercial_partner_id", string="Customer"
    )
    currency_id = fields.Many2one("res.currency", readonly=True)
    message = fields.Text(readonly=True)
    credit_limit = fields.Monetary(string="Limit", readonly=True)
    receivable = fields.Monetary(string="Open Receivables", readonly=True)
    to_invoice = fields.Monetary(string="Confirmed, Not Invoiced", readonly=True)
    order_amount = fields.Monetary(string="This Order", readonly=True)
    exposure = fields.Monetary(readonly=True)
    amount_over = fields.Monetary(readonly=True)
    can_release = fields.Boolean(compute="_compute_can_release")
    repayment_date = fields.Date(
        string="Repayment Planned On",
        help="With the amount, the request is sent for approval at once.",
    )
    repayment_amount = fields.Monetary()

    @api.depends("picking_id")
    def _compute_can_release(self):
        manager = self.env.user.has_group("stock.group_stock_manager")
        for wizard in self:
            wizard.can_release = bool(wizard.picking_id) and manager

    @api.model
    def _care_open(self, figures, order, message, picking=None):
        wizard = self.create(
            {
                "sale_order_id": order.id,
                "picking_id": picking and picking.id,
                "currency_id": figures["currency"].id,
                "message": message,
                "credit_limit": figures["limit"],
                "receivable": figures["receivable"],
                "to_invoice": figures["to_invoice"],
                "order_amount": figures["order"],
                "exposure": figures["exposure"],
                "amount_over": figures["over"],
                # a customer whose rating asks approval of every order is
                # not over the limit: the order is what it repays
                "repayment_amount": figures["over"] or order.amount_total,
            }
        )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Credit Limit Exceeded"),
            "res_model": self._name,
            "res_id": wizard.id,
            "view_mode": "form",
            "target": "new",
        }

    def action_request_approval(self):
        """Send the order's over-limit request with the repayment plan given
        here; without a plan, open the draft request, saying that it is not
        sent yet. Either way a notification says what happened."""
        self.ensure_one()
        Request = self.env["customer.care.credit.request"]
        request = Request.search(
            [
                ("sale_order_id", "=", self.sale_order_id.id),
                ("state", "in", ("draft", "requested")),
            ],
            limit=1,
        )
        if request.state == "requested":
            return self._care_notify(
                self.env._(
                    "%(request)s already awaits the decision of %(approvers)s.",
                    request=request.name,
                    approvers=self._care_names(request.sent_to_ids),
                ),
                "info",
            )
        if request:
            request.action_refresh()
        else:
            request = Request.create({"sale_order_id": self.sale_order_id.id})
        if self.repayment_date and self.repayment_amount:
            request.write(
                {
                    "repayment_date": self.repayment_date,
                    "repayment_amount": self.repayment_amount,
                }
            )
            request.action_request()
            return self._care_notify(
                self.env._(
                    "%(request)s is sent for approval to %(approvers)s.",
                    request=request.name,
                    approvers=self._care_names(request.sent_to_ids),
                ),
                "success",
            )
        return self._care_notify(
            self.env._(
                "%(request)s is a draft, not sent yet: give the repayment plan "
                "and press Request Approval.",
                request=request.name,
            ),
            "warning",
            next_action={
                "type": "ir.actions.act_window",
                "res_model": request._name,
                "res_id": request.id,
                "view_mode": "form",
                "views": [(False, "form")],
                "target": "current",
            },
        )

    def _care_names(self, users):
        return ", ".join(users.mapped("name")) or self.env._(
            "nobody (no credit manager is set)"
        )

    def _care_notify(self, message, kind, next_action=None):
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.env._("Over-Limit Request"),
                "message": message,
                "type": kind,
                "sticky": kind == "warning",
                "next": next_action or {"type": "ir.actions.act_window_close"},
            },
        }

    def action_release_anyway(self):
        """A stock manager releases the goods over the limit: the delivery is
        validated and recorded against them (seed 004 3.2)."""
        self.ensure_one()
        if not self.can_release:
            raise UserError(
                self.env._(
                    "Only a stock manager may release a delivery over the limit."
                )
            )
        return self.picking_id.with_context(care_credit_bypass=True).button_validate()
