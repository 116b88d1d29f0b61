# Copyright 2026 customer_care contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError

MONTHS = [
    ("1", "January"),
    ("2", "February"),
    ("3", "March"),
    ("4", "April"),
    ("5", "May"),
    ("6", "June"),
    ("7", "July"),
    ("8", "August"),
    ("9", "September"),
    ("10", "October"),
    ("11", "November"),
    ("12", "December"),
]

# the monthly reports the wizard prints: the report's xml id and the group
# that may print it (the same reports the crons e-mail on the 1st and 2nd)
MONTHLY_REPORTS = {
    "complaint": (
        "customer_care.action_report_complaint_monthly_analysis",
        "customer_care.group_complaint_manager",
    ),
    "callback": (
        "customer_care.action_report_callback_monthly_summary",
        "customer_care.group_callback_manager",
    ),
}


class CustomerCareMonthlyReport(models.TransientModel):
    """Print the monthly complaint analysis or callback summary of a chosen
    month on demand: the reports the crons e-mail to the general manager,
    with the same figures."""

    _name = "customer.care.monthly.report"
    _description = "Print Monthly Reports"

    company_id = fields.Many2one(
        "res.company",
        required=True,
        default=lambda self: self.env.company,
        domain=lambda self: [("id", "in", self.env.companies.ids)],
    )
    month = fields.Selection(
        MONTHS, required=True, default=lambda self: str(self._default_month().month)
    )
    year = fields.Integer(
        required=True, default=lambda self: self._default_month().year
    )

    @api.model
    def _default_month(self):
        """Last month: the one the crons e-mail at the start of this one."""
        return fields.Date.context_today(self).replace(day=1) - relativedelta(months=1)

    # ------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------

    @api.constrains("year")
    def _check_year(self):
        for wizard in self:
            if not 2000 <= wizard.year <= 2100:
                raise ValidationError(
                    self.env._(
                        "%(year)s is not a report year: enter a year between "
                        "2000 and 2100.",
                        year=wizard.year,
                    )
                )

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_print_complaint_analysis(self):
        return self._care_print("complaint")

    def action_print_callback_summary(self):
        return self._care_print("callback")

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _care_month_start(self):
        self.ensure_one()
        return date(self.year, int(self.month), 1)

    def _care_print(self, kind):
        """The report action of the monthly report ``kind`` of the chosen
        month; the dialog stays open to print the other one."""
        self.ensure_one()
        report_ref, group = MONTHLY_REPORTS[kind]
        if not self.env.user.has_group(group):
            raise AccessError(
                self.env._(
                    "The %s is printed by the general manager and the managers "
                    "of its department only.",
                    self.env.ref(report_ref).name,
                )
            )
        return self.company_id._care_monthly_report_action(
            report_ref, self._care_month_start()
        )
