# Copyright 2026 customer_care contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError

from .customer_care_credit_bad_debt import ROLES
from .customer_care_guard import transition

KINDS = [
    ("approved_unpaid", "Approved Over Limit, Unpaid at Month End"),
    ("unapproved_release", "Released Over Limit Without Approval"),
    ("bad_debt", "Share of a Bad Debt"),
]


class CustomerCareCreditResponsibility(models.Model):
    """The responsibility ledger (seed 004 3, 4): who answers for an amount
    shipped over the limit: the approver of an over-limit shipment still
    unpaid at the month end (4.1), the user who released goods over the limit
    without approval or prepayment (3.2, 4.2)."""

    _name = "customer.care.credit.responsibility"
    _description = "Credit Responsibility"
    _inherit = ["mail.thread", "customer.care.guard.mixin"]
    _order = "date desc, id desc"

    date = fields.Date(required=True, default=fields.Date.context_today, readonly=True)
    kind = fields.Selection(KINDS, required=True, readonly=True)
    user_id = fields.Many2one(
        "res.users", string="Responsible", required=True, readonly=True, index=True
    )
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, readonly=True, index=True
    )
    sale_order_id = fields.Many2one("sale.order", readonly=True)
    picking_id = fields.Many2one("stock.picking", string="Delivery", readonly=True)
    request_id = fields.Many2one("customer.care.credit.request", readonly=True)
    company_id = fields.Many2one(
        "res.company",
        required=True,
        readonly=True,
        default=lambda self: self.env.company,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    amount = fields.Monetary(readonly=True, aggregator="sum")
    state = fields.Selection(
        [("open", "Open"), ("settled", "Settled")],
        default="open",
        required=True,
        readonly=True,
        tracking=True,
    )
    note = fields.Text()
    # a bad debt's share (seed 004 3)
    bad_debt_id = fields.Many2one(
        "customer.care.credit.bad.debt", readonly=True, index="btree_not_null"
    )
    role = fields.Selection(ROLES, readonly=True)
    share = fields.Float(string="Share (%)", readonly=True, digits=(5, 2))
    # the month-end deduction from the signer's pay (seed 004 4.1)
    deduction_amount = fields.Monetary(
        string="Deduction", readonly=True, aggregator="sum"
    )
    deduction_month = fields.Date(
        string="Deducted in",
        readonly=True,
        help="The first day of the month whose pay the deduction is taken from.",
    )
    acknowledged_at = fields.Datetime(readonly=True, copy=False)

    @api.model
    def _care_guarded_fields(self):
        hint = self.env._(
            "the Settle button: entries are recorded by the month-end collection "
            "and by deliveries released over the limit"
        )
        return dict(
            super()._care_guarded_fields(),
            **dict.fromkeys(
                (
                    "date",
                    "kind",
                    "user_id",
                    "partner_id",
                    "sale_order_id",
                    "picking_id",
                    "request_id",
                    "company_id",
                    "amount",
                    "state",
                    "bad_debt_id",
                    "role",
                    "share",
                    "deduction_amount",
                    "deduction_month",
                    "acknowledged_at",
                ),
                hint,
            ),
        )

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        if self:
            raise UserError(
                self.env._(
                    "The responsibility ledger keeps every entry: mark it settled."
                )
            )

    @transition
    def action_settle(self):
        self.write({"state": "settled"})
        return True

    @transition
    def action_acknowledge(self):
        """The responsible person acknowledges the deduction from their pay
        (or their share of a bad debt): only themselves."""
        for entry in self:
            if entry.user_id != self.env.user:
                raise UserError(
                    self.env._(
                        "Only %(user)s acknowledges this entry: it is theirs.",
                        user=entry.user_id.name,
                    )
                )
        # the approver reads the ledger without writing it
        self.sudo().filtered(lambda e: not e.acknowledged_at).write(
            {"acknowledged_at": fields.Datetime.now()}
        )
        return True
