# Copyright 2026 customer_care contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class CustomerCareCreditHistory(models.Model):
    """A change of a customer's rolling limit, written by the daily
    recomputation (seed 004 1.3), so the customer's limit has a history."""

    _name = "customer.care.credit.history"
    _description = "Credit Limit History"
    _order = "date desc, id desc"
    _log_access = True

    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one("res.company", required=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    date = fields.Date(required=True)
    amount = fields.Monetary(string="Rolling Limit")
