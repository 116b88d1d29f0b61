# Copyright 2026 customer_care contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError

from ..models.res_partner_credit import CREDIT_MODES


class CustomerCareCreditOnboarding(models.TransientModel):
    """The credit manager's first step with the checks on: every customer
    that bought before the add-on was installed is "not classified yet"
    (not checked, its orders and deliveries say so). The onboarding proposes
    a mode for each (rolling when it was invoiced in the rolling period,
    manual at Odoo's credit limit when it has one, cash before goods for the
    rest; cash too when it is not eligible for credit, seed 004 1.1), shows
    the quotations and deliveries that the add-on's own checks would block
    under these modes, and applies them all at once."""

    _name = "customer.care.credit.onboarding"
    _description = "Credit Onboarding"

    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, default=lambda s: s.env.company
    )
    line_ids = fields.One2many(
        "customer.care.credit.onboarding.line", "wizard_id", string="Customers"
    )
    blocked_order_ids = fields.Many2many(
        "sale.order",
        "customer_care_credit_onboarding_order_rel",
        "wizard_id",
        "order_id",
        string="Quotations That Would Be Blocked",
        readonly=True,
    )
    blocked_picking_ids = fields.Many2many(
        "stock.picking",
        "customer_care_credit_onboarding_picking_rel",
        "wizard_id",
        "picking_id",
        string="Deliveries That Would Be Blocked",
        readonly=True,
    )
    blocked_order_count = fields.Integer(compute="_compute_blocked_counts")
    blocked_picking_count = fields.Integer(compute="_compute_blocked_counts")

    @api.depends("blocked_order_ids", "blocked_picking_ids")
    def _compute_blocked_counts(self):
        for wizard in self:
            wizard.blocked_order_count = len(wizard.blocked_order_ids)
            wizard.blocked_picking_count = len(wizard.blocked_picking_ids)

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    @api.model
    def action_open_onboarding(self):
        """A new onboarding of the current company, with its proposals and
        their effect (the menu and the settings open it)."""
        self._care_check_manager()
        company = self.env.company
        wizard = self.create(
            {
                "company_id": company.id,
                "line_ids": [
                    Command.create(values) for values in self._care_proposals(company)
                ],
            }
        )
        wizard._care_preview()
        return wizard._care_action()

    def action_preview(self):
        """Show the effect of the modes as the lines now say."""
        self.ensure_one()
        self._care_check_manager()
        self._care_preview()
        return self._care_action()

    def action_apply(self):
        """Give every line's customer its mode, in one go (each change is
        tracked on the customer); lines left "not classified yet" wait."""
        self.ensure_one()
        self._care_check_manager()
        partners = self._care_apply_modes()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "title": self.env._("Credit Onboarding"),
                "message": self.env._(
                    "%(count)s customers classified; %(left)s left for later.",
                    count=len(partners),
                    left=len(self.line_ids) - len(partners),
                ),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _care_check_manager(self):
        if not (
            self.env.su or self.env.user.has_group("customer_care.group_credit_manager")
        ):
            raise AccessError(
                self.env._(
                    "Only a credit manager classifies the customers' credit: ask "
                    "the credit manager."
                )
            )

    def _care_action(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Credit Onboarding"),
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
        }

    @api.model
    def _care_unclassified(self, company):
        """The company's customers not classified yet (commercial partners)."""
        return self.env["res.partner"].search(
            [
                ("care_credit_mode", "=", "unclassified"),
                "|",
                ("is_company", "=", True),
                ("parent_id", "=", False),
                ("company_id", "in", [company.id, False]),
            ],
            order="complete_name, id",
        )

    @api.model
    def _care_proposals(self, company):
        """The line values proposed for the company's unclassified customers:
        rolling when invoiced (net of refunds) in the rolling period before
        the company's day, the window of the rolling limit; else manual at
        Odoo's credit limit when it has one; else cash before goods. A
        customer not eligible for credit is proposed cash, with the reason."""
        partners = self._care_unclassified(company).with_company(company)
        if not partners:
            return []
        today = company._care_today()
        days = company.care_credit_rolling_days
        invoiced = dict(
            self.env["account.move"]
            .sudo()
            ._read_group(
                [
                    ("commercial_partner_id", "in", partners.ids),
                    ("company_id", "=", company.id),
                    ("state", "=", "posted"),
                    ("move_type", "in", ("out_invoice", "out_refund")),
                    ("invoice_date", ">=", today - timedelta(days=days)),
                    ("invoice_date", "<", today),
                ],
                ["commercial_partner_id"],
                ["amount_total_signed:sum"],
            )
        )
        currency = company.currency_id
        labels = dict(
            self.env["res.partner"]
            ._fields["care_credit_mode"]
            ._description_selection(self.env)
        )
        proposals = []
        for partner in partners:
            amount = invoiced.get(partner, 0.0)
            # an accounting field: read for the proposal whatever the rights
            limit = partner.sudo().credit_limit
            if currency.compare_amounts(amount, 0.0) > 0:
                mode = "rolling"
                reason = self.env._(
                    "Invoiced %(amount)s in the last %(days)s days.",
                    amount=currency.format(amount),
                    days=days,
                )
            elif currency.compare_amounts(limit, 0.0) > 0:
                mode = "manual"
                reason = self.env._("Odoo credit limit of %s.", currency.format(limit))
            else:
                mode = "none"
                reason = self.env._(
                    "No invoice in the last %s days and no credit limit.", days
                )
            missing = partner._care_credit_missing() if mode != "none" else []
            if missing:
                reason = self.env._(
                    "%(reason)s It needs %(missing)s before a %(mode)s: cash "
                    "before goods until then.",
                    reason=reason,
                    mode=labels[mode],
                    missing=", ".join(missing),
                )
                mode = "none"
            proposals.append(
                {
                    "partner_id": partner.id,
                    "mode": mode,
                    "credit_limit": limit,
                    "invoiced_amount": amount,
                    "reason": reason,
                }
            )
        return proposals

    def _care_apply_modes(self, tracking=True):
        """Write the lines' modes on their customers (a manual limit in the
        wizard's company) and recompute the rolling limits of the new rolling
        customers at once, as the nightly job would. Returns the partners
        classified. Eligibility is the mode's own constraint."""
        self.ensure_one()
        company = self.company_id
        lines = self.line_ids.filtered(lambda line: line.mode != "unclassified")
        Partner = self.env["res.partner"].with_company(company)
        if not tracking:
            Partner = Partner.with_context(tracking_disable=True)
        for mode in ("none", "rolling"):
            Partner.browse(
                lines.filtered(lambda line, mode=mode: line.mode == mode).partner_id.ids
            ).write({"care_credit_mode": mode})
        for line in lines.filtered(lambda line: line.mode == "manual"):
            Partner.browse(line.partner_id.id).write(
                {"care_credit_mode": "manual", "credit_limit": line.credit_limit}
            )
        rolling = lines.filtered(lambda line: line.mode == "rolling").partner_id
        if rolling:
            Partner.sudo()._care_credit_recompute_company(
                company,
                company._care_today(),
                main_company=self.env.ref("base.main_company", raise_if_not_found=False)
                or company,
                partner_ids=rolling.ids,
            )
        return lines.partner_id

    def _care_preview(self):
        """Which quotations and deliveries of these customers the add-on's
        own checks (``_care_credit_breach``) would block under the lines'
        modes: the modes are written in a savepoint, the checks run, and
        everything is rolled back."""
        self.ensure_one()
        lines = self.line_ids.filtered(lambda line: line.mode != "unclassified")
        partners = lines.partner_id
        company = self.company_id
        orders = pickings = []
        order_reasons = {}
        order_partner = {}
        picking_reasons = {}
        if partners:
            Order = self.env["sale.order"].sudo()
            Picking = self.env["stock.picking"].sudo()
            with self.env.cr.savepoint() as savepoint:
                self._care_apply_modes(tracking=False)
                for order in Order.search(
                    [
                        ("partner_id", "child_of", partners.ids),
                        ("company_id", "=", company.id),
                        ("state", "in", ("draft", "sent")),
                    ]
                ):
                    breach = order._care_credit_breach(lock=False)
                    if breach:
                        order_reasons[order.id] = breach[1]
                for picking in Picking.search(
                    [
                        ("sale_id.partner_id", "child_of", partners.ids),
                        ("company_id", "=", company.id),
                        ("picking_type_code", "=", "outgoing"),
                        ("state", "not in", ("done", "cancel")),
                    ]
                ):
                    breach = picking._care_credit_breach(lock=False)
                    if breach:
                        picking_reasons[picking.id] = (
                            picking.sale_id.partner_id.commercial_partner_id.id,
                            breach[1],
                        )
                # the customers' orders by commercial partner, read before
                # the rollback empties the cache
                order_partner = {
                    order.id: order.partner_id.commercial_partner_id.id
                    for order in Order.browse(order_reasons)
                }
                savepoint.rollback()
            orders = list(order_reasons)
            pickings = list(picking_reasons)
        for line in self.line_ids:
            partner_id = line.partner_id.id
            line.write(
                {
                    "blocked_order_count": sum(
                        1 for oid in orders if order_partner[oid] == partner_id
                    ),
                    "blocked_picking_count": sum(
                        1 for pid in pickings if picking_reasons[pid][0] == partner_id
                    ),
                }
            )
        self.write(
            {
                "blocked_order_ids": [Command.set(orders)],
                "blocked_picking_ids": [Command.set(pickings)],
            }
        )


class CustomerCareCreditOnboardingLine(models.TransientModel):
    _name = "customer.care.credit.onboarding.line"
    _description = "Credit Onboarding Line"
    _order = "id"

    wizard_id = fields.Many2one(
        "customer.care.credit.onboarding", required=True, ondelete="cascade"
    )
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, readonly=True
    )
    currency_id = fields.Many2one(related="wizard_id.company_id.currency_id")
    mode = fields.Selection(
        CREDIT_MODES,
        string="Credit Mode",
        required=True,
        help="Proposed from the customer's history; change it before applying. "
        "Not classified yet: left for a later onboarding.",
    )
    credit_limit = fields.Monetary(
        string="Manual Limit", help="The limit of a manual mode (Odoo's credit limit)."
    )
    invoiced_amount = fields.Monetary(
        string="Invoiced in the Period",
        readonly=True,
        help="Posted invoices net of refunds of the rolling period: the rolling "
        "limit it would get.",
    )
    reason = fields.Char(string="Why", readonly=True)
    blocked_order_count = fields.Integer(string="Quotations Blocked", readonly=True)
    blocked_picking_count = fields.Integer(string="Deliveries Blocked", readonly=True)
