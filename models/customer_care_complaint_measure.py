# Copyright 2026 customer_care contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError


class CustomerCareComplaintMeasure(models.Model):
    """A preventive or corrective measure learnt from complaints (seeds 002
    (二)4(2), 004 篇八): approved by the general manager, followed to done."""

    _name = "customer.care.complaint.measure"
    _description = "Preventive / Corrective Measure"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date_deadline, id desc"

    name = fields.Char(string="Measure", required=True, tracking=True)
    measure_type = fields.Selection(
        [("preventive", "Preventive"), ("corrective", "Corrective")],
        string="Type",
        required=True,
        default="corrective",
    )
    description = fields.Html()
    ticket_ids = fields.Many2many(
        "helpdesk.ticket",
        string="Complaints",
        domain=[("care_is_complaint", "=", True)],
    )
    user_id = fields.Many2one(
        "res.users",
        string="Owner",
        required=True,
        tracking=True,
        default=lambda self: self.env.user,
    )
    date_deadline = fields.Date(string="Due Date", required=True, tracking=True)
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("to_approve", "To Approve"),
            ("approved", "Approved"),
            ("done", "Done"),
            ("cancelled", "Cancelled"),
        ],
        default="draft",
        required=True,
        tracking=True,
        group_expand=True,
    )
    approved_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    result = fields.Text(tracking=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )

    def action_submit(self):
        self._check_state("draft")
        self.write({"state": "to_approve"})
        for measure in self:
            manager = measure.company_id.care_general_manager_id
            if manager:
                measure.activity_schedule(
                    "mail.mail_activity_data_todo",
                    summary=self.env._("Approve the measure"),
                    user_id=manager.id,
                )

    def action_approve(self):
        if not self.env.user.has_group("customer_care.group_general_manager"):
            raise UserError(
                self.env._("Only the general manager may approve a measure.")
            )
        self._check_state("to_approve")
        self.write({"state": "approved", "approved_by_id": self.env.user.id})
        self.activity_feedback(["mail.mail_activity_data_todo"])
        for measure in self:
            measure.activity_schedule(
                "mail.mail_activity_data_todo",
                date_deadline=measure.date_deadline,
                summary=self.env._("Carry out the measure"),
                user_id=measure.user_id.id,
            )

    def action_done(self):
        self._check_state("approved")
        self.write({"state": "done"})
        self.activity_feedback(["mail.mail_activity_data_todo"])

    def action_cancel(self):
        self.write({"state": "cancelled"})
        self.activity_unlink(["mail.mail_activity_data_todo"])

    def action_reset(self):
        self._check_state("cancelled")
        self.write({"state": "draft", "approved_by_id": False})

    def _check_state(self, state):
        labels = dict(self._fields["state"]._description_selection(self.env))
        for measure in self:
            if measure.state != state:
                raise UserError(
                    self.env._(
                        "The measure “%(name)s” is %(state)s: this step needs "
                        "it to be %(expected)s.",
                        name=measure.name,
                        state=labels[measure.state],
                        expected=labels[state],
                    )
                )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_approved(self):
        if any(m.state in ("approved", "done") for m in self):
            raise UserError(
                self.env._("An approved measure is kept: cancel it instead.")
            )
