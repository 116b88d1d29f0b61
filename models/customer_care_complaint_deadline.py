# Copyright 2026 customer_care contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.tools import create_index

from .customer_care_guard import transition

DEADLINE_KINDS = [
    ("handover", "Handed to the Complaint Lead"),
    ("report", "Reported to Management and Legal"),
    ("proposal", "Solution Proposed"),
    ("progress", "Progress Reported"),
    ("feedback", "Customer Told of the Solution"),
    ("followup", "Follow-up Done"),
]


class CustomerCareComplaintDeadline(models.Model):
    """One deadline of a complaint (seeds 002 (二), 004 篇三 2.5, 篇八): when
    it falls due on the company's working calendar, when it was met, and
    whether the responsible manager was already told it was missed."""

    _name = "customer.care.complaint.deadline"
    _description = "Complaint Deadline"
    _inherit = ["customer.care.guard.mixin"]
    _order = "deadline, id"

    ticket_id = fields.Many2one(
        "helpdesk.ticket",
        required=True,
        readonly=True,
        ondelete="cascade",
        index=True,
    )
    kind = fields.Selection(DEADLINE_KINDS, required=True, readonly=True)
    deadline = fields.Datetime(required=True, readonly=True)
    done_date = fields.Datetime(string="Met On", readonly=True)
    escalated = fields.Boolean(
        readonly=True, help="The responsible manager was told it was missed."
    )
    is_late = fields.Boolean(compute="_compute_is_late")
    company_id = fields.Many2one(related="ticket_id.company_id", store=True)

    _sql_constraints = [
        (
            "ticket_kind_unique",
            "unique(ticket_id, kind)",
            "A complaint has one deadline of each kind.",
        )
    ]

    def init(self):
        # the escalation run reads the open, not yet escalated deadlines by
        # date: a small partial index however many tickets there are
        # (the condition is written as the ORM writes the domain
        # ``escalated = False``, so that the planner matches it)
        create_index(
            self.env.cr,
            "customer_care_complaint_deadline_pending_index",
            self._table,
            ["deadline"],
            where="done_date IS NULL AND (escalated IS NULL OR escalated = FALSE)",
        )

    @api.depends("deadline", "done_date")
    def _compute_is_late(self):
        now = fields.Datetime.now()
        for line in self:
            line.is_late = (line.done_date or now) > line.deadline

    @api.model
    def _care_guarded_fields(self):
        hint = self.env._(
            "the complaint's buttons (Take Over, Reported to Management, "
            "Progress Reported, Customer Told) and stages: deadlines are "
            "planned on the working calendar and met by those steps"
        )
        return dict(
            super()._care_guarded_fields(),
            **dict.fromkeys(
                ("ticket_id", "kind", "deadline", "done_date", "escalated"), hint
            ),
        )

    def write(self, vals):
        res = super().write(vals)
        if vals.get("escalated") or vals.get("done_date"):
            # a deadline missed or met late: who was responsible then
            self.env["customer.care.complaint.delay"]._care_record(
                self.filtered(lambda d: d.escalated or d.done_date)
            )
        return res

    @transition
    def _care_mark_done(self, when=None):
        # a step of the complaint, whoever makes it: officers do not write
        # deadlines themselves
        self.sudo().filtered(lambda d: not d.done_date).write(
            {"done_date": when or fields.Datetime.now()}
        )
