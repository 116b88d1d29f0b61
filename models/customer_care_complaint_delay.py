# Copyright 2026 customer_care contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The delay ledger (seed 004 篇八 3(3), 处罚 2): who was responsible for a
complaint deadline when it was missed."""

from odoo import api, fields, models

from .customer_care_complaint_deadline import DEADLINE_KINDS


class CustomerCareComplaintDelay(models.Model):
    _name = "customer.care.complaint.delay"
    _description = "Complaint Delay Responsibility"
    _order = "deadline desc, id desc"

    deadline_id = fields.Many2one(
        "customer.care.complaint.deadline",
        string="Complaint Deadline",
        required=True,
        readonly=True,
        ondelete="cascade",
        index=True,
    )
    ticket_id = fields.Many2one(
        "helpdesk.ticket", string="Complaint", required=True, readonly=True, index=True
    )
    kind = fields.Selection(DEADLINE_KINDS, string="Deadline Kind", readonly=True)
    deadline = fields.Datetime(readonly=True, index=True)
    done_date = fields.Datetime(string="Met On", readonly=True)
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        readonly=True,
        index=True,
        help="Who handled the complaint when the deadline fell due.",
    )
    hours_late = fields.Float(readonly=True, aggregator="sum", digits=(16, 1))
    company_id = fields.Many2one("res.company", readonly=True, index=True)

    _sql_constraints = [
        (
            "deadline_unique",
            "unique(deadline_id)",
            "A missed deadline has one line in the delay ledger.",
        )
    ]

    @api.model
    def _care_record(self, deadlines):
        """A line per missed deadline of ``deadlines`` (once each; a line
        already there gets the date the deadline was finally met)."""
        deadlines = deadlines.sudo()
        now = fields.Datetime.now()
        existing = {
            line.deadline_id: line
            for line in self.sudo().search([("deadline_id", "in", deadlines.ids)])
        }
        vals_list = []
        for line in deadlines:
            late = (line.done_date or now) - line.deadline
            if late.total_seconds() <= 0:
                continue
            if line in existing:
                if line.done_date and not existing[line].done_date:
                    existing[line].write(
                        {
                            "done_date": line.done_date,
                            "hours_late": late.total_seconds() / 3600,
                        }
                    )
                continue
            ticket = line.ticket_id
            vals_list.append(
                {
                    "deadline_id": line.id,
                    "ticket_id": ticket.id,
                    "kind": line.kind,
                    "deadline": line.deadline,
                    "done_date": line.done_date,
                    "user_id": ticket.user_id.id,
                    "hours_late": late.total_seconds() / 3600,
                    "company_id": (ticket.company_id or self.env.company).id,
                }
            )
        return self.sudo().create(vals_list)
