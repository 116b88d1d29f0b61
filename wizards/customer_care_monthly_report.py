# Copyright 2026 customer_care contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ..models.customer_care_complaint_report import care_week_start

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

PERIODS = [("week", "Week"), ("month", "Month"), ("year", "Year")]

# the reports the wizard prints, by kind and period: the report's xml id
# and the group that may print it (the same reports the crons e-mail)
CARE_REPORTS = {
    ("complaint", "month"): (
        "customer_care.action_report_complaint_monthly_analysis",
        "customer_care.group_complaint_manager",
    ),
    ("complaint", "week"): (
        "customer_care.action_report_complaint_weekly_analysis",
        "customer_care.group_complaint_manager",
    ),
    ("callback", "month"): (
        "customer_care.action_report_callback_monthly_summary",
        "customer_care.group_callback_manager",
    ),
    ("issue_digest", "week"): (
        "customer_care.action_report_callback_issue_digest",
        "customer_care.group_callback_manager",
    ),
    ("satisfaction", "year"): (
        "customer_care.action_report_satisfaction_yearly_analysis",
        "customer_care.group_general_manager",
    ),
}
# the monthly ones, as before the other periods
MONTHLY_REPORTS = {
    kind: report for (kind, period), report in CARE_REPORTS.items() if period == "month"
}


class CustomerCareMonthlyReport(models.TransientModel):
    """Print the reports the crons e-mail of a chosen period on demand, with
    the same figures: the complaint analysis of a month or a week, the
    callback summary of a month, the callback issue digest as of the end of
    a week, the satisfaction analysis of a year."""

    _name = "customer.care.monthly.report"
    _description = "Print Reports"

    company_id = fields.Many2one(
        "res.company",
        required=True,
        default=lambda self: self.env.company,
        domain=lambda self: [("id", "in", self.env.companies.ids)],
    )
    period = fields.Selection(PERIODS, required=True, default="month")
    week_date = fields.Date(
        string="Day of the Week",
        default=lambda self: fields.Date.context_today(self) - relativedelta(days=7),
        help="Any day of the week to print (Monday to Sunday).",
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

    def action_print_issue_digest(self):
        return self._care_print("issue_digest")

    def action_print_satisfaction_analysis(self):
        return self._care_print("satisfaction")

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _care_month_start(self):
        self.ensure_one()
        return date(self.year, int(self.month), 1)

    def _care_period(self):
        """The first and last days of the chosen period."""
        self.ensure_one()
        if self.period == "week":
            if not self.week_date:
                raise UserError(self.env._("Choose a day of the week to print."))
            monday = care_week_start(self.week_date)
            return monday, monday + relativedelta(days=6)
        if self.period == "year":
            return date(self.year, 1, 1), date(self.year, 12, 31)
        start = self._care_month_start()
        return start, start + relativedelta(months=1, days=-1)

    def _care_report_data(self, kind, date_from, date_to):
        """The data that gives the report ``kind`` its period."""
        if self.period == "week" and kind == "issue_digest":
            # the open issues as of the end of the week (today at the latest)
            today = self.company_id._care_today()
            return {"date": min(date_to, today).isoformat()}
        if self.period == "week":
            return {"week": date_from.isoformat()}
        if self.period == "year":
            return {"year": date_from.year}
        return {"month": date_from.isoformat()}

    def _care_print(self, kind):
        """The report action of the report ``kind`` of the chosen period;
        the dialog stays open to print another one."""
        self.ensure_one()
        if (kind, self.period) not in CARE_REPORTS:
            periods = dict(self._fields["period"]._description_selection(self.env))
            offered = [
                periods[period] for report, period in CARE_REPORTS if report == kind
            ]
            raise UserError(
                self.env._(
                    "This report is not printed for a %(period)s: choose a "
                    "%(periods)s.",
                    period=periods[self.period].lower(),
                    periods=" / ".join(offered).lower(),
                )
            )
        report_ref, group = CARE_REPORTS[kind, self.period]
        if not self.env.user.has_group(group):
            raise AccessError(
                self.env._(
                    "The %s is printed by the general manager and the managers "
                    "of its department only.",
                    self.env.ref(report_ref).name,
                )
            )
        date_from, date_to = self._care_period()
        if date_from > self.company_id._care_today():
            raise UserError(
                self.env._(
                    "The period from %(start)s to %(end)s has not begun yet: "
                    "choose a past period.",
                    start=date_from,
                    end=date_to,
                )
            )
        return self.company_id._care_report_action(
            report_ref, self._care_report_data(kind, date_from, date_to)
        )
