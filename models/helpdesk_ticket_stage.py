# Copyright 2026 customer_care contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class HelpdeskTicketStage(models.Model):
    _inherit = "helpdesk.ticket.stage"

    care_service_done = fields.Boolean(
        string="Service Completed",
        help="Tickets reaching this stage had their service or installation "
        "done: the customer is called back that day and again some months "
        "later.",
    )
    care_complaint_solved = fields.Boolean(
        string="Complaint Solved",
        help="Complaints reaching this stage are solved and wait for the "
        "customer's follow-up: the customer is told the same day, and the "
        "compensation must be approved first.",
    )
