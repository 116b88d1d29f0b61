# Copyright 2026 customer_care contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

KINDS = [("off", "Day Off (休)"), ("worked", "Working Day (班)")]


class CustomerCareHoliday(models.Model):
    """A day of China's yearly holiday schedule (国务院办公厅 节假日安排): a
    public holiday off, or a weekend day worked in its place (调休). Odoo's
    calendars know leaves but not extra working days: the company's working
    calendar takes both from these lines (``resource.calendar``)."""

    _name = "customer.care.holiday"
    _description = "Public Holiday or Make-up Working Day"
    _order = "date desc"
    _rec_name = "name"

    date = fields.Date(required=True, index=True)
    kind = fields.Selection(
        KINDS,
        required=True,
        default="off",
        help="Day off: no working time, even on a weekday. Working day: the "
        "working hours of a normal weekday of the calendar, even on a weekend.",
    )
    name = fields.Char(
        string="Holiday",
        required=True,
        help="The holiday the day belongs to, e.g. 国庆节.",
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )

    _sql_constraints = [
        (
            "company_date_uniq",
            "unique(company_id, date)",
            "A date appears once in a company's holiday schedule: change the "
            "line of that date instead of adding another.",
        )
    ]

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model
    def _care_copy_shipped_schedule(self, companies=None):
        """Give ``companies`` (default: all) the schedule shipped with the
        add-on (the State Council's, for the main company), the dates they
        do not have yet: at install and when a company is created."""
        data = (
            self.env["ir.model.data"]
            .sudo()
            .search_fetch(
                [("module", "=", "customer_care"), ("model", "=", self._name)],
                ["res_id"],
            )
        )
        shipped = self.sudo().browse(data.mapped("res_id")).exists()
        if companies is None:
            companies = self.env["res.company"].sudo().search([])
        if not shipped or not companies:
            return self.browse()
        existing = {
            (line.company_id.id, line.date)
            for line in self.sudo().search_fetch(
                [
                    ("company_id", "in", companies.ids),
                    ("date", "in", shipped.mapped("date")),
                ],
                ["company_id", "date"],
            )
        }
        return self.sudo().create(
            [
                {
                    "date": line.date,
                    "kind": line.kind,
                    "name": line.name,
                    "company_id": company.id,
                }
                for company in companies
                for line in shipped
                if (company.id, line.date) not in existing
            ]
        )

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    @api.model
    def _care_days(self, company_id, date_from, date_to):
        """{date: kind} of the company's schedule between the two dates
        (included), read with one query whoever asks: working time is
        computed for every user."""
        lines = self.sudo().search_fetch(
            [
                ("company_id", "=", company_id),
                ("date", ">=", date_from),
                ("date", "<=", date_to),
            ],
            ["date", "kind"],
        )
        return {line.date: line.kind for line in lines}
