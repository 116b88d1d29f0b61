# Copyright 2026 customer_care contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    def write(self, vals):
        before = {}
        if "stage_id" in vals:
            before = {ticket: ticket.stage_id for ticket in self}
        res = super().write(vals)
        if before:
            self.filtered(
                lambda t: t.stage_id.care_service_done
                and not before[t].care_service_done
            )._care_plan_service_callbacks()
        return res

    def _care_is_service_ticket(self):
        """Whether completing the ticket calls for after-service callbacks."""
        self.ensure_one()
        return bool(self.partner_id)

    def _care_plan_service_callbacks(self):
        """Seed 001 二, 四.2, 四.9: when a service or installation is done, a
        callback that day and another 2-3 months later; "that day" is the
        company's, whoever (or whichever automation) closes the ticket."""
        Callback = self.env["customer.care.callback"]
        for ticket in self.filtered(lambda t: t._care_is_service_ticket()):
            company = ticket.company_id or self.env.company
            today = company._care_today()
            Callback._care_plan(
                ticket.partner_id,
                today,
                callback_type="service",
                origin=ticket,
                summary=lambda env, ticket=ticket: env._(
                    "Callback on closing ticket %s", ticket.number
                ),
            )
            Callback._care_plan(
                ticket.partner_id,
                fields.Date.add(
                    today, months=company.care_callback_service_followup_months
                ),
                callback_type="service",
                origin=ticket,
                summary=lambda env, ticket=ticket: env._(
                    "Follow-up of ticket %s", ticket.number
                ),
            )
