# Copyright 2026 customer_care contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A bad debt (坏账, seed 004 3): finance writes off what a customer will not
pay of an invoice; the write-off is posted and the loss is shared in the
responsibility ledger among those who answer for it:

- 3.1 within the limit: the salesperson, the regional manager and the market
  department head, by the company's percentages;
- 3.3 the over-limit part of a last shipment before payment: the approver
  who signed it;
- 3.2 a batch shipped over the limit without approval or prepayment: the
  logistics clerk who released it, the warehouse keeper and the department
  head, by the company's percentages."""

from odoo import Command, api, fields, models
from odoo.exceptions import UserError

from .customer_care_guard import transition

CASES = [
    ("within", "Within the Limit (3.1)"),
    ("last_over", "Last Shipment Over the Limit (3.3)"),
    ("unapproved", "Released Over the Limit Without Approval (3.2)"),
]
ROLES = [
    ("salesperson", "Salesperson"),
    ("regional", "Regional Manager"),
    ("head", "Market Department Head"),
    ("approver", "Approver of the Last Shipment"),
    ("clerk", "Logistics Clerk"),
    ("keeper", "Warehouse Keeper"),
]


class CustomerCareCreditBadDebt(models.Model):
    _name = "customer.care.credit.bad.debt"
    _description = "Bad Debt"
    _inherit = ["mail.thread", "mail.activity.mixin", "customer.care.guard.mixin"]
    _order = "date desc, id desc"

    name = fields.Char(compute="_compute_name", store=True)
    invoice_id = fields.Many2one(
        "account.move",
        required=True,
        index=True,
        ondelete="restrict",
        domain="[('move_type', '=', 'out_invoice'), ('state', '=', 'posted'), "
        "('payment_state', 'in', ('not_paid', 'partial'))]",
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        compute="_compute_partner_id",
        store=True,
        index=True,
    )
    company_id = fields.Many2one(related="invoice_id.company_id", store=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    sale_order_ids = fields.Many2many(
        "sale.order", compute="_compute_sale_order_ids", string="Orders"
    )
    date = fields.Date(
        required=True,
        tracking=True,
        default=lambda self: self.env.company._care_today(),
    )
    amount = fields.Monetary(string="Amount Written Off", tracking=True)
    amount_open = fields.Monetary(
        related="invoice_id.amount_residual_signed", string="Open on the Invoice"
    )
    reason = fields.Text(required=True, tracking=True)
    state = fields.Selection(
        [("draft", "Draft"), ("posted", "Written Off")],
        default="draft",
        required=True,
        readonly=True,
        tracking=True,
    )
    case = fields.Selection(CASES, readonly=True, tracking=True)
    move_id = fields.Many2one(
        "account.move", string="Write-Off Entry", readonly=True, copy=False
    )
    responsibility_ids = fields.One2many(
        "customer.care.credit.responsibility", "bad_debt_id", string="Shares"
    )

    _sql_constraints = [
        ("amount_positive", "CHECK(amount > 0)", "A write-off is of a positive amount.")
    ]

    # ------------------------------------------------------------
    # COMPUTES
    # ------------------------------------------------------------

    @api.depends("invoice_id.name", "partner_id")
    def _compute_name(self):
        for debt in self:
            debt.name = " ".join(
                filter(None, (debt.invoice_id.name, debt.partner_id.name))
            )

    @api.depends("invoice_id.partner_id")
    def _compute_partner_id(self):
        for debt in self:
            debt.partner_id = debt.invoice_id.partner_id.commercial_partner_id

    @api.depends("invoice_id")
    def _compute_sale_order_ids(self):
        for debt in self:
            debt.sale_order_ids = debt.invoice_id.sudo().line_ids.sale_line_ids.order_id

    # ------------------------------------------------------------
    # CONSTRAINTS AND CRUD
    # ------------------------------------------------------------

    @api.model
    def _care_guarded_fields(self):
        hint = self.env._("the Write Off button, which posts the entry")
        return dict(
            super()._care_guarded_fields(),
            **dict.fromkeys(("state", "case", "move_id"), hint),
        )

    def write(self, vals):
        if (
            set(vals) & {"invoice_id", "amount", "date"}
            and not self.env.su
            and any(debt.state == "posted" for debt in self)
        ):
            raise UserError(
                self.env._(
                    "A bad debt written off is kept as it was posted: reverse its "
                    "entry in accounting and record a new one."
                )
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_posted(self):
        if any(debt.state == "posted" for debt in self):
            raise UserError(
                self.env._("A bad debt written off is kept: it cannot be deleted.")
            )

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    @transition
    def action_post(self):
        """Post the write-off and share the loss (seed 004 3)."""
        for debt in self:
            debt._care_check_post()
            shares, case = debt._care_shares()
            debt.move_id = debt._care_post_write_off()
            debt.case = case
            Responsibility = self.env["customer.care.credit.responsibility"].sudo()
            Responsibility.create(
                [
                    {
                        "kind": "bad_debt",
                        "user_id": user.id,
                        "role": role,
                        "share": share,
                        "amount": amount,
                        "partner_id": debt.partner_id.id,
                        "sale_order_id": debt.sale_order_ids[:1].id,
                        "company_id": debt.company_id.id,
                        "bad_debt_id": debt.id,
                        "request_id": request.id,
                        "picking_id": picking.id,
                        "date": debt.date,
                    }
                    for user, role, share, amount, request, picking in shares
                ]
            )
            debt.state = "posted"
        return True

    def action_view_move(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "account.move",
            "res_id": self.move_id.id,
            "view_mode": "form",
        }

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _care_check_post(self):
        self.ensure_one()
        if self.state != "draft":
            raise UserError(self.env._("%s is already written off.", self.name))
        if not self.env.su and not self.env.user.has_group(
            "account.group_account_manager"
        ):
            raise UserError(
                self.env._("Only an accounting manager writes off a bad debt.")
            )
        invoice = self.invoice_id
        if invoice.state != "posted" or invoice.move_type != "out_invoice":
            raise UserError(
                self.env._("Only a posted customer invoice is written off.")
            )
        currency = self.currency_id
        if currency.compare_amounts(self.amount, 0.0) <= 0:
            raise UserError(self.env._("Enter the amount to write off."))
        if currency.compare_amounts(self.amount, invoice.amount_residual_signed) > 0:
            raise UserError(
                self.env._(
                    "%(amount)s is more than the %(open)s still open on %(invoice)s: "
                    "write off at most the open amount.",
                    amount=currency.format(self.amount),
                    open=currency.format(invoice.amount_residual_signed),
                    invoice=invoice.name,
                )
            )
        company = self.company_id
        if not company.care_bad_debt_journal_id or not company.care_bad_debt_account_id:
            raise UserError(
                self.env._(
                    "Set the bad-debt journal and expense account in Settings › "
                    "Customer Care › Credit Risk before writing off."
                )
            )

    def _care_post_write_off(self):
        """The entry: the expense against the customer's receivable,
        reconciled with the invoice."""
        self.ensure_one()
        invoice = self.invoice_id.sudo()
        company = self.company_id
        receivable = invoice.line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable"
            and not line.reconciled
        )
        account = receivable[:1].account_id
        lang = company.partner_id.lang or self.env.lang
        label = self.env(context=dict(self.env.context, lang=lang))._(
            "Bad debt written off: %s", invoice.name
        )
        move = (
            self.env["account.move"]
            .sudo()
            .create(
                {
                    "move_type": "entry",
                    "journal_id": company.care_bad_debt_journal_id.id,
                    "date": self.date,
                    "ref": label,
                    "company_id": company.id,
                    "line_ids": [
                        Command.create(
                            {
                                "name": label,
                                "account_id": company.care_bad_debt_account_id.id,
                                "partner_id": self.partner_id.id,
                                "debit": self.amount,
                            }
                        ),
                        Command.create(
                            {
                                "name": label,
                                "account_id": account.id,
                                "partner_id": invoice.partner_id.id,
                                "credit": self.amount,
                            }
                        ),
                    ],
                }
            )
        )
        move.action_post()
        (
            move.line_ids.filtered(lambda line: line.account_id == account)
            | receivable.filtered(lambda line: line.account_id == account)
        ).reconcile()
        invoice.message_post(
            body=label + " (" + self.currency_id.format(self.amount) + ")",
            subtype_xmlid="mail.mt_note",
        )
        return move

    def _care_shares(self):
        """[(user, role, share %, amount, request, picking)] and the case:
        who bears the loss. Raises when nobody can bear it."""
        self.ensure_one()
        company = self.company_id
        currency = self.currency_id
        orders = self.sale_order_ids.sudo()
        order = orders[:1]
        partner = self.partner_id.sudo()
        head = company.care_market_head_id or order.team_id.user_id
        Responsibility = self.env["customer.care.credit.responsibility"].sudo()
        release = Responsibility.search(
            [
                ("kind", "=", "unapproved_release"),
                ("sale_order_id", "in", orders.ids),
            ],
            limit=1,
        )
        Picking = self.env["stock.picking"]
        if release:
            # 3.2: who released the batch bears it, by the company's shares
            picking = release.picking_id
            parts = [
                (release.user_id, "clerk", company.care_bad_debt_clerk_share),
                (picking.user_id, "keeper", company.care_bad_debt_keeper_share),
                (head, "head", company.care_bad_debt_release_head_share),
            ]
            return self._care_split(self.amount, parts, picking=picking), "unapproved"
        last = (
            orders.care_credit_request_ids.filtered(
                lambda r: r.state == "approved" and r.shipment_kind == "last"
            )
            .sorted("id")
            .filtered(lambda r: currency.compare_amounts(r.amount_over, 0.0) > 0)[:1]
        )
        within_parts = [
            (
                order.user_id or self.invoice_id.invoice_user_id,
                "salesperson",
                company.care_bad_debt_salesperson_share,
            ),
            (
                partner.care_regional_manager_id,
                "regional",
                company.care_bad_debt_regional_share,
            ),
            (head, "head", company.care_bad_debt_head_share),
        ]
        if last:
            # 3.3 and 4.1: the signer bears the over-limit part of the last
            # shipment; the rest is a loss within the limit
            over = min(self.amount, last.amount_over)
            rest = currency.round(self.amount - over)
            shares = [
                (
                    last.approver_id,
                    "approver",
                    over / self.amount * 100,
                    over,
                    last,
                    Picking,
                )
            ]
            if currency.compare_amounts(rest, 0.0) > 0:
                shares += self._care_split(rest, within_parts, total=self.amount)
            return shares, "last_over"
        return self._care_split(self.amount, within_parts), "within"

    def _care_split(self, amount, parts, picking=None, total=None):
        """Share ``amount`` among the (user, role, percent) ``parts``: a role
        nobody holds gives its share to the others; one person holding two
        roles bears both. The percentages are of ``total`` (the loss)."""
        currency = self.currency_id
        parts = [(user, role, pct) for user, role, pct in parts if user and pct > 0]
        weight = sum(pct for _user, _role, pct in parts)
        if not parts or not weight:
            raise UserError(
                self.env._(
                    "Nobody bears the bad debt of %(invoice)s: set the order's "
                    "salesperson, the customer's regional manager or the market "
                    "department head (Settings › Customer Care › Credit Risk).",
                    invoice=self.invoice_id.name,
                )
            )
        merged = {}
        for user, role, pct in parts:
            if user in merged:
                merged[user][2] += pct
            else:
                merged[user] = [user, role, pct]
        total = total or amount
        result = []
        left = amount
        rows = list(merged.values())
        for index, (user, role, pct) in enumerate(rows):
            part = (
                left
                if index == len(rows) - 1
                else currency.round(amount * pct / weight)
            )
            left = currency.round(left - part)
            result.append(
                (
                    user,
                    role,
                    round(part / total * 100, 2),
                    part,
                    self.env["customer.care.credit.request"],
                    picking or self.env["stock.picking"],
                )
            )
        return result
