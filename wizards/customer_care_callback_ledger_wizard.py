# Copyright 2026 customer_care contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class CustomerCareCallbackLedgerWizard(models.TransientModel):
    """Print the callback ledger of customers for a year (seed 000 §3.2.2.1)."""

    _name = "customer.care.callback.ledger.wizard"
    _description = "Print Callback Ledgers"

    year = fields.Integer(
        required=True, default=lambda self: fields.Date.context_today(self).year
    )
    partner_ids = fields.Many2many(
        "res.partner",
        string="Customers",
        required=True,
        default=lambda self: self._default_partner_ids(),
    )

    @api.model
    def _default_partner_ids(self):
        if self.env.context.get("active_model") != "res.partner":
            return False
        return self.env.context.get("active_ids")

    # ------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------

    @api.constrains("year")
    def _check_year(self):
        for wizard in self:
            if not 2000 <= wizard.year <= 2100:
                raise ValidationError(
                    self.env._(
                        "%(year)s is not a ledger year: enter a year between "
                        "2000 and 2100.",
                        year=wizard.year,
                    )
                )

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_print(self):
        self.ensure_one()
        report = self.env.ref("customer_care.action_report_callback_ledger")
        return report.report_action(
            self.partner_ids.commercial_partner_id, data={"year": self.year}
        )
