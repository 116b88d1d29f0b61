# Copyright 2026 customer_care contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class AccountMove(models.Model):
    _inherit = "account.move"

    care_bad_debt_ids = fields.One2many(
        "customer.care.credit.bad.debt", "invoice_id", string="Bad Debts"
    )

    def action_care_write_off(self):
        """Open a bad debt of this invoice for its open amount: finance
        gives the reason and writes it off (seed 004 3)."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Write Off as Bad Debt"),
            "res_model": "customer.care.credit.bad.debt",
            "view_mode": "form",
            "target": "current",
            "context": {
                "default_invoice_id": self.id,
                "default_amount": self.amount_residual_signed,
            },
        }
