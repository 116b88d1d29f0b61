# Copyright 2026 customer_care contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class CustomerCareComplaintFollowupWizard(models.TransientModel):
    """Record what the customer said at the complaint follow-up."""

    _name = "customer.care.complaint.followup.wizard"
    _description = "Complaint Follow-up Result"

    ticket_id = fields.Many2one("helpdesk.ticket", required=True, readonly=True)
    result = fields.Selection(
        [("satisfied", "Satisfied"), ("unsatisfied", "Unsatisfied")],
        required=True,
        default="satisfied",
    )
    reason = fields.Text(
        string="Remarks",
        help="What the customer said; required when not satisfied.",
    )
    override = fields.Boolean(
        string="Record Before the Follow-up Day",
        help="Complaint managers may record the follow-up before its day.",
    )

    def action_confirm(self):
        self.ensure_one()
        self.ticket_id._care_record_followup(
            self.result, reason=self.reason, override=self.override
        )
        return {"type": "ir.actions.act_window_close"}
