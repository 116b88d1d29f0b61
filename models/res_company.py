# Copyright 2026 customer_care contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    # Every number of the customer-care regimes is a field of the company,
    # shown in Settings > Customer Care. Each feature adds its own here.
    care_general_manager_id = fields.Many2one(
        "res.users",
        string="General Manager",
        help="Receives the monthly callback summary and complaint analysis "
        "and approves preventive measures.",
    )
    care_default_agent_id = fields.Many2one(
        "res.users",
        string="Default Callback Agent",
        help="Callbacks of customers without a responsible agent go to this user.",
    )
    care_duty_manager_id = fields.Many2one(
        "res.users",
        string="Duty Manager",
        help="Alerted at once when a major complaint arrives outside working hours.",
    )
    care_pickup_manager_id = fields.Many2one(
        "res.users",
        string="Pickup Desk Manager",
        help="Informed when a pickup handover is locked after wrong codes.",
    )
    care_finance_user_id = fields.Many2one(
        "res.users",
        string="Finance Contact",
        help="Informed of shipments released over the credit limit.",
    )

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _care_working_deadline(self, start, hours=0.0, days=0):
        """Return the deadline ``start`` + ``days`` working days + ``hours``
        working hours on the company's working calendar (naive UTC).

        The one helper that complaints, pickups and callbacks plan their
        deadlines with, so that none of them adds raw hours to a datetime.
        Without a calendar, plain calendar time is used.
        """
        self.ensure_one()
        calendar = self.resource_calendar_id
        if not calendar:
            return start + timedelta(days=days, hours=hours)
        deadline = start
        # resource.calendar works on naive UTC in and out, like the ORM.
        if days:
            deadline = calendar.plan_days(days, deadline, compute_leaves=True)
        if hours:
            deadline = calendar.plan_hours(hours, deadline, compute_leaves=True)
        # plan_* answer False when nothing fits in the next 1400 days.
        return deadline or start + timedelta(days=days, hours=hours)
