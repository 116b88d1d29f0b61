# Copyright 2026 customer_care contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    def _action_confirm(self):
        res = super()._action_confirm()
        self._care_plan_after_sale_callbacks()
        return res

    def action_care_log_callback(self):
        self.ensure_one()
        return self.env["customer.care.callback"]._care_action_log(
            self.partner_id, origin=self, callback_type="sale"
        )

    def _care_plan_after_sale_callbacks(self):
        """Seed 001 第4-5条: a first callback within a month of the sale, then
        quarterly (the after-sale cadence)."""
        Callback = self.env["customer.care.callback"]
        Cadence = self.env["customer.care.callback.cadence"]
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
                summary=self.env._("First callback after order %s", order.name),
            )
