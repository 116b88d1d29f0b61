# Copyright 2026 customer_care contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command, api, fields, models
from odoo.exceptions import ValidationError

from .customer_care_guard import transition


class CustomerCareCallbackIssue(models.Model):
    """An issue a customer raised in a callback: it gets an owner, a due date
    and a result, and the result is reported back to the customer at the
    next callback (seed 000 §3.2.2.1)."""

    _name = "customer.care.callback.issue"
    _description = "Callback Issue"
    _inherit = ["mail.thread", "mail.activity.mixin", "customer.care.guard.mixin"]
    _order = "state, date_due, id"

    name = fields.Char(string="Issue", required=True, tracking=True)
    callback_id = fields.Many2one(
        "customer.care.callback",
        string="Raised In",
        required=True,
        ondelete="cascade",
        index=True,
    )
    partner_id = fields.Many2one(
        related="callback_id.partner_id", store=True, index=True, string="Customer"
    )
    branch_id = fields.Many2one(related="callback_id.branch_id", store=True)
    date_raised = fields.Date(related="callback_id.date", store=True)
    company_id = fields.Many2one(related="callback_id.company_id", store=True)
    owner_id = fields.Many2one(
        "res.users",
        tracking=True,
        index=True,
        help="Who follows the issue up until it is solved.",
    )
    date_due = fields.Date(string="Due Date", tracking=True)
    is_major = fields.Boolean(
        string="Major",
        tracking=True,
        help="A major issue goes to the callback manager at once.",
    )
    result = fields.Text(tracking=True, help="What was done about the issue.")
    state = fields.Selection(
        [
            ("open", "Open"),
            ("resolved", "Resolved"),
            ("fed_back", "Fed Back"),
        ],
        default="open",
        required=True,
        readonly=True,
        tracking=True,
        index=True,
        help="Resolved: the owner has a result. Fed back: the result was "
        "reported to the customer at a later callback, which closes the issue.",
    )
    feedback_callback_id = fields.Many2one(
        "customer.care.callback",
        string="Reported Back In",
        readonly=True,
        ondelete="set null",
    )
    escalated = fields.Boolean(readonly=True, copy=False)

    # ------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------

    @api.constrains("owner_id")
    def _check_owner_id(self):
        for issue in self:
            if not issue.owner_id:
                raise ValidationError(
                    self.env._(
                        "The issue “%(issue)s” needs an owner: choose who "
                        "follows it up.",
                        issue=issue.name,
                    )
                )

    @api.model
    def _care_guarded_fields(self):
        hint = self.env._(
            "the issue's buttons Resolved and Fed Back (from the callback that "
            "reports the result back)"
        )
        return dict(
            super()._care_guarded_fields(),
            **dict.fromkeys(("state", "feedback_callback_id", "escalated"), hint),
        )

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            # the constraint only sees the fields given: check the missing owner
            vals.setdefault("owner_id", False)
        issues = super().create(vals_list)
        issues.filtered("is_major")._care_escalate_major()
        return issues

    def write(self, vals):
        res = super().write(vals)
        if vals.get("is_major"):
            self.filtered(lambda i: not i.escalated)._care_escalate_major()
        return res

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    @transition
    def action_resolve(self):
        for issue in self:
            if not issue.result:
                raise ValidationError(
                    self.env._(
                        "Write the result of “%(issue)s” before marking it resolved.",
                        issue=issue.name,
                    )
                )
        self.write({"state": "resolved"})
        return True

    @transition
    def action_feed_back(self):
        """Reported to the customer: closes the issue. From a callback form,
        the callback is recorded as the one it was reported back in."""
        callback_id = self.env.context.get("care_feedback_callback_id")
        vals = {"state": "fed_back"}
        if callback_id:
            vals["feedback_callback_id"] = callback_id
        self.write(vals)
        self.activity_ids.action_feedback(feedback=self.env._("Fed back."))
        return True

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    @transition
    def _care_escalate_major(self):
        """Seed 000 §3.2.3.2: a major issue goes to the manager at once."""
        for issue in self:
            manager = issue.company_id._care_callback_manager()
            if not manager:
                continue
            issue.activity_schedule(
                "mail.mail_activity_data_warning",
                user_id=manager.id,
                summary=manager._care_env(self.env)._(
                    "Major issue of %s", issue.partner_id.name
                ),
                note=issue.name,
            )
            issue.message_subscribe(partner_ids=manager.partner_id.ids)
        self.write({"escalated": True})

    # ------------------------------------------------------------
    # SCHEDULED ACTIONS
    # ------------------------------------------------------------

    @api.model
    def _cron_callback_issue_digest(self):
        """Weekly (seed 000 §3.2.2.1): the open issues of each company, in one
        e-mail per language to its callback managers, rendered in that
        language (texts and dates), not the company's. Once a week of the
        company, however many runs overlap (``_care_report_sent``)."""
        template = self.env.ref("customer_care.mail_template_callback_issue_digest")
        open_issues = [("state", "!=", "fed_back")]
        for [company] in self._read_group(open_issues, ["company_id"]):
            year, week, _day = company._care_today().isocalendar()
            if company._care_report_sent(f"callback_issue_digest {year}-W{week:02d}"):
                continue
            recipients = company._care_callback_digest_recipients()
            for lang, readers in recipients.grouped("lang").items():
                template.with_context(care_digest_lang=lang).send_mail(
                    company.id,
                    email_values={"recipient_ids": [Command.set(readers.ids)]},
                )
