# Copyright 2026 customer_care contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class StockPicking(models.Model):
    _inherit = "stock.picking"

    def _action_done(self):
        res = super()._action_done()
        self._care_plan_delivery_callbacks()
        return res

    def action_care_log_callback(self):
        self.ensure_one()
        return self.env["customer.care.callback"]._care_action_log(
            self.partner_id, origin=self, callback_type="dealer"
        )

    def _care_plan_delivery_callbacks(self):
        """Seed 000 §3.2.3.1: every delivered merchant is called the day after
        its delivery (arrival, cargo safety, driver attitude)."""
        Callback = self.env["customer.care.callback"]
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
                summary=self.env._("Callback after delivery %s", picking.name),
            )
