# Copyright 2026 customer_care contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError

from .customer_care_guard import in_transition, transition

APPROVAL_STATES = [
    ("draft", "Draft"),
    ("requested", "Requested"),
    ("approved", "Approved"),
    ("refused", "Refused"),
]


class CustomerCareApprovalMixin(models.AbstractModel):
    """A request that someone other than the requester approves, with rights
    that the inheriting model decides (``_care_check_approver``): draft →
    requested → approved / refused, tracked in the chatter, never deleted
    once decided. The state, the requester, the decider and their dates are
    guarded: only the three buttons write them."""

    _name = "customer.care.approval.mixin"
    _description = "Customer Care Approval"
    _inherit = ["mail.thread", "mail.activity.mixin", "customer.care.guard.mixin"]

    state = fields.Selection(
        APPROVAL_STATES,
        default="draft",
        required=True,
        readonly=True,
        tracking=True,
        index=True,
        copy=False,
    )
    requested_by_id = fields.Many2one(
        "res.users",
        default=lambda self: self.env.user,
        readonly=True,
        tracking=True,
        copy=False,
    )
    requested_at = fields.Datetime(readonly=True, copy=False)
    sent_to_ids = fields.Many2many(
        "res.users",
        readonly=True,
        copy=False,
        help="Who the request went to for a decision: never the requester.",
    )
    approver_id = fields.Many2one(
        "res.users",
        string="Decided By",
        readonly=True,
        tracking=True,
        copy=False,
    )
    decided_at = fields.Datetime(readonly=True, copy=False)
    refusal_reason = fields.Text(readonly=True, tracking=True, copy=False)

    @api.model
    def _care_guarded_fields(self):
        hint = self.env._("the Request Approval, Approve and Refuse buttons")
        return dict(
            super()._care_guarded_fields(),
            **dict.fromkeys(
                (
                    "state",
                    "requested_by_id",
                    "requested_at",
                    "approver_id",
                    "decided_at",
                    "sent_to_ids",
                ),
                hint,
            ),
        )

    def write(self, vals):
        # the approver writes the reason on the form before refusing; once
        # decided it stays as it was given
        if (
            "refusal_reason" in vals
            and not self.env.su
            and not in_transition()
            and any(request.state != "requested" for request in self)
        ):
            raise UserError(
                self.env._(
                    "The reason of a refusal is written while the request awaits "
                    "the decision, then kept as it was given."
                )
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_decided(self):
        if any(
            request.state in ("approved", "refused") or request.approver_id
            for request in self
        ):
            raise UserError(
                self.env._(
                    "An approved or refused request is a record of the decision: "
                    "it cannot be deleted."
                )
            )

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    @transition
    def action_request(self):
        for request in self:
            if request.state != "draft":
                raise UserError(self.env._("Only a draft request can be sent."))
            request._care_check_request()
        self.write(
            {
                "state": "requested",
                "requested_by_id": self.env.user.id,
                "requested_at": fields.Datetime.now(),
            }
        )
        for request in self:
            request.sent_to_ids = (
                request._care_approvers() - request._care_interested_users()
            )
        self._care_after_request()
        return True

    @transition
    def action_approve(self):
        for request in self:
            if request.state != "requested":
                raise UserError(
                    self.env._("Only a request awaiting approval can be approved.")
                )
            if request.requested_by_id == self.env.user:
                raise UserError(
                    self.env._(
                        "You asked for this yourself: another person with the "
                        "right to approve must decide."
                    )
                )
            request._care_check_approver(self.env.user)
        self.write(
            {
                "state": "approved",
                "approver_id": self.env.user.id,
                "decided_at": fields.Datetime.now(),
            }
        )
        self.activity_feedback(["mail.mail_activity_data_todo"])
        self._care_after_approve()
        return True

    @transition
    def action_refuse(self, reason=None):
        for request in self:
            if request.state != "requested":
                raise UserError(
                    self.env._("Only a request awaiting approval can be refused.")
                )
            if request.requested_by_id == self.env.user:
                raise UserError(
                    self.env._(
                        "You asked for this yourself: another person with the "
                        "right to approve must decide."
                    )
                )
            request._care_check_refuser(self.env.user)
        self.write(
            {
                "state": "refused",
                "approver_id": self.env.user.id,
                "decided_at": fields.Datetime.now(),
                "refusal_reason": reason or self.env.context.get("care_refusal_reason"),
            }
        )
        self.activity_unlink(["mail.mail_activity_data_todo"])
        return True

    # ------------------------------------------------------------
    # HOOKS
    # ------------------------------------------------------------

    def _care_check_request(self):
        """Raise when the request is not complete enough to be sent."""

    def _care_check_approver(self, user):
        """Raise when ``user`` may not approve this request."""

    def _care_check_refuser(self, user):
        """Raise when ``user`` may not refuse this request: by default, who
        may not approve it."""
        self._care_check_approver(user)

    def _care_interested_users(self):
        """Who may not decide this request: its requester (an inheriting
        model adds, e.g., the salesperson of the order)."""
        self.ensure_one()
        return self.requested_by_id

    def _care_approvers(self):
        """Who the request goes to (``sent_to_ids``, their to-do): the first
        level that has someone besides the interested users."""
        self.ensure_one()
        return self.env["res.users"]

    def _care_after_request(self):
        """Tell the approvers (an activity, a message)."""

    def _care_after_approve(self):
        """What an approval unlocks."""
