# Copyright 2026 customer_care contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError

from .customer_care_guard import transition


class CustomerCareComplaintMeasure(models.Model):
    """A preventive or corrective measure learnt from complaints (seeds 002
    (二)4(2), 004 篇八): requested, approved by the general manager (the
    approval mixin: never by its requester), followed to done."""

    _name = "customer.care.complaint.measure"
    _description = "Preventive / Corrective Measure"
    _inherit = ["customer.care.approval.mixin"]
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
        selection_add=[("done", "Done"), ("cancelled", "Cancelled")],
        ondelete={"done": "set default", "cancelled": "set default"},
        group_expand=True,
    )
    result = fields.Text(tracking=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )

    @api.model
    def _care_guarded_fields(self):
        hint = self.env._(
            "the buttons Submit for Approval, Approve, Refuse (the general "
            "manager), Mark as Done, Cancel and Reset to Draft"
        )
        # the approval mixin's fields, named with the measure's buttons
        return dict.fromkeys(super()._care_guarded_fields(), hint)

    # ------------------------------------------------------------
    # ACTIONS (request, approve and refuse: the approval mixin)
    # ------------------------------------------------------------

    @transition
    def action_done(self):
        self._check_state("approved")
        self.write({"state": "done"})
        self.activity_feedback(["mail.mail_activity_data_todo"])
        return True

    @transition
    def action_cancel(self):
        for measure in self:
            if measure.state == "done":
                raise UserError(
                    self.env._(
                        "The measure “%s” is done: it is kept as it is.",
                        measure.name,
                    )
                )
        self.write({"state": "cancelled"})
        self.activity_unlink(["mail.mail_activity_data_todo"])
        return True

    @transition
    def action_reset(self):
        # who requested and who decided stay: a measure once approved is
        # never deleted
        self._check_state("cancelled")
        self.write({"state": "draft"})
        return True

    # ------------------------------------------------------------
    # APPROVAL HOOKS
    # ------------------------------------------------------------

    def _care_check_approver(self, user):
        if not user.has_group("customer_care.group_general_manager"):
            raise UserError(
                self.env._("Only the general manager may approve a measure.")
            )

    def _care_approvers(self):
        return self.company_id._care_general_managers()

    def _care_after_request(self):
        for measure in self:
            for manager in measure.sent_to_ids:
                measure.activity_schedule(
                    "mail.mail_activity_data_todo",
                    summary=manager._care_env(self.env)._("Approve the measure"),
                    user_id=manager.id,
                )

    def _care_after_approve(self):
        for measure in self:
            measure.activity_schedule(
                "mail.mail_activity_data_todo",
                date_deadline=measure.date_deadline,
                summary=measure.user_id._care_env(self.env)._("Carry out the measure"),
                user_id=measure.user_id.id,
            )

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
        if any(m.state in ("approved", "done") or m.approver_id for m in self):
            raise UserError(
                self.env._(
                    "A measure that the general manager approved is kept for the "
                    "record: cancel it instead of deleting it."
                )
            )
