# Copyright 2026 customer_care contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Complaints (投诉分级): a complaint is a helpdesk ticket with a tier,
deadlines on the working calendar, a compensation to approve and a
follow-up (seeds 002 (二)(三), 003 客户投诉处理, 004 篇三 and 篇八)."""

import logging
from datetime import timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import html2plaintext, plaintext2html

from .customer_care_guard import transition, transition_scope

_logger = logging.getLogger(__name__)

COMPLAINT_CATEGORIES = [
    ("product_quality", "Product Quality"),
    ("sales_contract", "Sales Contract"),
    ("repair_quality", "Repair Quality"),
    ("service_quality", "Service Quality"),
    ("suggestion", "Suggestion / Criticism"),
]
COMPENSATION_FORMS = [
    ("cash", "Cash"),
    ("credit_note", "Credit Note"),
    ("replacement", "Replacement"),
    ("repair", "Free Repair"),
    ("discount", "Discount"),
    ("other", "Other"),
]
COMPENSATION_STATES = [
    ("none", "None"),
    ("requested", "To Approve"),
    ("approved", "Approved"),
    ("refused", "Refused"),
]
# the criteria that make a complaint major (002 (二)1(2), 004 篇三 2.5)
TIER_CRITERIA = [
    "care_crit_compensation",
    "care_crit_safety",
    "care_crit_large_loss",
    "care_crit_external",
    "care_crit_escalation",
    "care_crit_return",
    "care_is_repeat",
]


class HelpdeskTicket(models.Model):
    _name = "helpdesk.ticket"
    _inherit = ["helpdesk.ticket", "customer.care.guard.mixin"]

    care_is_complaint = fields.Boolean(
        string="Complaint", index=True, copy=False, tracking=True
    )
    care_received_at = fields.Datetime(
        string="Received At",
        default=fields.Datetime.now,
        copy=False,
        help="When the complaint reached the company; its deadlines count "
        "from here on the working calendar.",
    )
    care_category = fields.Selection(
        COMPLAINT_CATEGORIES, string="Complaint Category", tracking=True
    )
    care_restated = fields.Text(
        string="Complaint Restated",
        help="The complaint in the officer's own words, as confirmed with the "
        "customer.",
    )
    care_complained_user_id = fields.Many2one(
        "res.users",
        string="Person Complained About",
        tracking=True,
        help="May never handle the complaint.",
    )
    care_complained_department = fields.Char(string="Department Complained About")
    care_sale_order_id = fields.Many2one("sale.order", string="Order Concerned")
    care_picking_id = fields.Many2one("stock.picking", string="Delivery Concerned")

    # tier
    care_crit_compensation = fields.Boolean(string="Compensation Claimed")
    care_crit_safety = fields.Boolean(string="Safety Involved")
    care_loss_amount = fields.Monetary(
        string="Estimated Loss", currency_field="care_currency_id"
    )
    care_crit_large_loss = fields.Boolean(
        string="Large Loss",
        compute="_compute_care_crit_large_loss",
        store=True,
        readonly=False,
        help="Set when the estimated loss reaches the company's threshold.",
    )
    care_crit_external = fields.Boolean(
        string="Media / Lawyer / Authorities",
        help="Media, a lawyer, the police, a consumer association, the "
        "government or a regulator is involved or forwarded it.",
    )
    care_crit_escalation = fields.Boolean(
        string="Risk of Escalation",
        help="Exposure, a lawsuit or extreme behaviour is likely.",
    )
    care_crit_return = fields.Boolean(string="Return or Exchange")
    care_is_repeat = fields.Boolean(
        string="Repeat Complaint",
        compute="_compute_care_is_repeat",
        store=True,
        readonly=False,
        help="The same customer complained within the company's repeat window.",
    )
    care_tier = fields.Selection(
        [("general", "General Complaint"), ("major", "Major Complaint")],
        string="Tier",
        compute="_compute_care_tier",
        store=True,
        readonly=False,
        tracking=True,
        index=True,
        help="Major when any criterion holds. An officer may raise the tier; "
        "only a complaint manager may lower it, giving a reason.",
    )
    care_tier_reason = fields.Char(string="Reason for Lowering", tracking=True)
    care_currency_id = fields.Many2one(related="company_id.currency_id")

    # deadlines
    care_deadline_ids = fields.One2many(
        "customer.care.complaint.deadline",
        "ticket_id",
        string="Deadlines",
        readonly=True,
    )
    care_next_deadline = fields.Datetime(
        string="Next Deadline",
        compute="_compute_care_next_deadline",
        store=True,
        help="The earliest deadline not met yet.",
    )
    care_is_overdue = fields.Boolean(
        string="Deadline Missed",
        compute="_compute_care_is_overdue",
        search="_search_care_is_overdue",
    )
    care_handover_done = fields.Boolean(compute="_compute_care_handover_done")
    care_alerted_at = fields.Datetime(
        string="Duty Manager Alerted", readonly=True, copy=False
    )

    # handling
    care_solution = fields.Text(string="Solution Proposed", tracking=True)
    care_cause = fields.Text(string="Cause")
    care_responsible_department = fields.Char(
        string="Responsible Department", tracking=True
    )
    care_responsible_user_id = fields.Many2one(
        "res.users", string="Responsible Person", tracking=True
    )
    care_solved_date = fields.Datetime(string="Solved On", readonly=True, copy=False)

    # compensation
    care_compensation_amount = fields.Monetary(
        string="Compensation", currency_field="care_currency_id", tracking=True
    )
    care_compensation_form = fields.Selection(
        COMPENSATION_FORMS, string="Compensation Form", tracking=True
    )
    care_compensation_state = fields.Selection(
        COMPENSATION_STATES,
        string="Compensation Approval",
        default="none",
        required=True,
        readonly=True,
        tracking=True,
        copy=False,
    )
    care_compensation_requested_by_id = fields.Many2one(
        "res.users", string="Compensation Requested By", readonly=True, copy=False
    )
    care_compensation_approved_by_id = fields.Many2one(
        "res.users", string="Compensation Decided By", readonly=True, copy=False
    )

    # follow-up
    care_followup_callback_id = fields.Many2one(
        "customer.care.callback", string="Follow-up Callback", readonly=True, copy=False
    )
    care_followup_result = fields.Selection(
        [("satisfied", "Satisfied"), ("unsatisfied", "Unsatisfied")],
        string="Follow-up Result",
        readonly=True,
        tracking=True,
        copy=False,
    )
    care_followup_reason = fields.Text(
        string="Follow-up Remarks", readonly=True, tracking=True, copy=False
    )
    care_measure_ids = fields.Many2many(
        "customer.care.complaint.measure",
        string="Preventive Measures",
        copy=False,
    )

    # ------------------------------------------------------------
    # COMPUTES
    # ------------------------------------------------------------

    @api.depends("number", "name")
    def _compute_display_name(self):
        # an unsaved ticket has no number yet ("/") and maybe no title
        for ticket in self:
            number = ticket.number if ticket.number != "/" else False
            ticket.display_name = " - ".join(filter(None, [number, ticket.name]))

    @api.depends("care_loss_amount", "company_id")
    def _compute_care_crit_large_loss(self):
        for ticket in self:
            threshold = (
                ticket.company_id or self.env.company
            ).care_complaint_large_loss_amount
            if threshold and ticket.care_loss_amount >= threshold:
                ticket.care_crit_large_loss = True
            else:
                ticket.care_crit_large_loss = ticket.care_crit_large_loss or False

    @api.depends("care_is_complaint", "commercial_partner_id", "care_received_at")
    def _compute_care_is_repeat(self):
        for ticket in self:
            if not (
                ticket.care_is_complaint
                and ticket.commercial_partner_id
                and ticket.care_received_at
            ):
                ticket.care_is_repeat = ticket.care_is_repeat or False
                continue
            company = ticket.company_id or self.env.company
            since = ticket.care_received_at - timedelta(
                days=company.care_complaint_repeat_days
            )
            ticket.care_is_repeat = bool(
                self.search_count(
                    [
                        ("id", "!=", ticket._origin.id or 0),
                        ("care_is_complaint", "=", True),
                        ("company_id", "=", company.id),
                        (
                            "commercial_partner_id",
                            "=",
                            ticket.commercial_partner_id.id,
                        ),
                        ("care_received_at", ">=", since),
                        ("care_received_at", "<=", ticket.care_received_at),
                    ],
                    limit=1,
                )
            )

    @api.depends("care_is_complaint", *TIER_CRITERIA)
    def _compute_care_tier(self):
        for ticket in self:
            if not ticket.care_is_complaint:
                ticket.care_tier = False
            elif any(ticket[name] for name in TIER_CRITERIA):
                ticket.care_tier = "major"
            else:
                ticket.care_tier = ticket.care_tier or "general"

    @api.depends("care_deadline_ids.deadline", "care_deadline_ids.done_date")
    def _compute_care_next_deadline(self):
        for ticket in self:
            open_deadlines = ticket.care_deadline_ids.filtered(
                lambda d: not d.done_date
            ).mapped("deadline")
            ticket.care_next_deadline = min(open_deadlines, default=False)

    @api.depends("care_deadline_ids.done_date")
    def _compute_care_handover_done(self):
        for ticket in self:
            ticket.care_handover_done = all(
                line.done_date
                for line in ticket.care_deadline_ids
                if line.kind == "handover"
            )

    @api.depends("care_next_deadline")
    def _compute_care_is_overdue(self):
        now = fields.Datetime.now()
        for ticket in self:
            ticket.care_is_overdue = bool(
                ticket.care_next_deadline and ticket.care_next_deadline < now
            )

    def _search_care_is_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on missed deadlines."))
        overdue = [("care_next_deadline", "<", fields.Datetime.now())]
        if (operator == "=") == value:
            return overdue
        return ["|", ("care_next_deadline", "=", False), "!", *overdue]

    # ------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------

    @api.constrains("user_id", "care_complained_user_id")
    def _check_care_assignee(self):
        for ticket in self:
            if (
                ticket.care_complained_user_id
                and ticket.user_id == ticket.care_complained_user_id
            ):
                raise ValidationError(
                    self.env._(
                        "%(user)s is the person complained about in %(ticket)s "
                        "and cannot handle it. Assign the complaint to someone "
                        "else.",
                        user=ticket.user_id.name,
                        ticket=ticket.display_name,
                    )
                )

    @api.constrains("care_received_at")
    def _check_care_received_at(self):
        # a few minutes of slack for the clocks of the devices that register
        latest = fields.Datetime.now() + timedelta(minutes=5)
        for ticket in self:
            if ticket.care_received_at and ticket.care_received_at > latest:
                raise ValidationError(
                    self.env._(
                        "The complaint %(ticket)s cannot be received in the "
                        "future: give the time it reached the company.",
                        ticket=ticket.display_name,
                    )
                )

    @api.constrains("care_compensation_amount", "care_loss_amount")
    def _check_care_amounts(self):
        for ticket in self:
            if ticket.care_compensation_amount < 0 or ticket.care_loss_amount < 0:
                raise ValidationError(
                    self.env._(
                        "Amounts of a complaint cannot be negative (%(ticket)s).",
                        ticket=ticket.display_name,
                    )
                )

    @api.constrains("stage_id")
    def _check_care_stage(self):
        for ticket in self.filtered("care_is_complaint"):
            stage = ticket.stage_id
            if not (stage.closed or stage.care_complaint_solved):
                continue
            if (
                ticket.care_compensation_amount
                and ticket.care_compensation_state != "approved"
            ):
                raise ValidationError(
                    self.env._(
                        "The compensation of %(ticket)s must be approved by a "
                        "complaint manager before the complaint is solved or "
                        "closed.",
                        ticket=ticket.display_name,
                    )
                )
            missing = [
                ticket._fields[name]._description_string(self.env)
                for name in (
                    "care_cause",
                    "care_responsible_department",
                    "care_responsible_user_id",
                )
                if not ticket[name]
            ]
            if stage.closed and missing:
                raise ValidationError(
                    self.env._(
                        "Record %(fields)s before closing the complaint %(ticket)s.",
                        fields=", ".join(missing),
                        ticket=ticket.display_name,
                    )
                )

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model
    def _care_guarded_fields(self):
        compensation = self.env._(
            "the buttons Request Compensation Approval, Approve Compensation and "
            "Refuse Compensation (a complaint manager other than the requester "
            "decides)"
        )
        steps = self.env._(
            "the complaint's buttons and stages: the deadlines, the solved date "
            "and the follow-up are recorded by them"
        )
        return dict(
            super()._care_guarded_fields(),
            **dict.fromkeys(
                (
                    "care_compensation_state",
                    "care_compensation_requested_by_id",
                    "care_compensation_approved_by_id",
                ),
                compensation,
            ),
            **dict.fromkeys(
                (
                    "care_deadline_ids",
                    "care_next_deadline",
                    "care_solved_date",
                    "care_alerted_at",
                    "care_followup_callback_id",
                    "care_followup_result",
                    "care_followup_reason",
                ),
                steps,
            ),
        )

    def _care_fill_description(self, vals):
        """``vals`` with the helpdesk's required description of a complaint
        taken from its restatement (投诉复述), else from its title, when left
        empty: the complaint page is where an officer writes it. ``self`` is
        the complaint written, or empty at creation."""
        if not self._care_is_empty_html(vals.get("description")):
            return vals
        text = (
            vals.get("care_restated")
            or self.care_restated
            or vals.get("name")
            or self.name
        )
        return dict(vals, description=plaintext2html(text)) if text else vals

    @api.model
    def _care_is_empty_html(self, value):
        return not value or not html2plaintext(value).strip()

    @api.model_create_multi
    def create(self, vals_list):
        default_complaint = self.env.context.get("default_care_is_complaint")
        vals_list = [
            self.browse()._care_fill_description(vals)
            if vals.get("care_is_complaint", default_complaint)
            else vals
            for vals in vals_list
        ]
        tickets = super().create(vals_list)
        complaints = tickets.filtered("care_is_complaint")
        if complaints:
            # whoever receives a complaint registers it (first-contact
            # responsibility): its deadlines and alerts do not depend on
            # their rights on tickets
            complaints.sudo()._care_plan_deadlines()
            complaints.filtered(
                lambda t: t.care_tier == "major"
            ).sudo()._care_on_major()
        return tickets

    def write(self, vals):
        # the caller's values are checked; what the complaint adds to them
        # and writes in turn (solved date, deadlines, reset approval) are
        # its own steps
        self._care_guard([vals])
        if "description" in vals and self._care_is_empty_html(vals["description"]):
            complaints = self.filtered("care_is_complaint")
            if complaints:
                # each complaint keeps a description, from its restatement
                for ticket in complaints:
                    ticket.write(ticket._care_fill_description(vals))
                others = self - complaints
                return others.write(vals) if others else True
        if (
            "care_is_complaint" in vals
            and not vals["care_is_complaint"]
            and not self.env.su
            and self.filtered("care_is_complaint")
        ):
            # unregistering would drop its deadlines, tier and approvals
            raise UserError(
                self.env._(
                    "A registered complaint stays a complaint: archive it "
                    "instead if it was registered by mistake."
                )
            )
        with transition_scope():
            if vals.get("care_tier") == "general":
                self._care_check_lowering(vals)
            if {"care_compensation_amount", "care_compensation_form"} & set(vals):
                # an approval is for an amount and form: changed, asked again
                changed = self.filtered(
                    lambda t: t.care_compensation_state in ("requested", "approved")
                    and (
                        t.care_compensation_amount
                        != vals.get(
                            "care_compensation_amount", t.care_compensation_amount
                        )
                        or t.care_compensation_form
                        != vals.get("care_compensation_form", t.care_compensation_form)
                    )
                )
                if changed:
                    changed.write(
                        {
                            "care_compensation_state": "none",
                            "care_compensation_approved_by_id": False,
                        }
                    )
            if "stage_id" in vals:
                stage = self.env["helpdesk.ticket.stage"].browse(vals["stage_id"])
                if stage.closed or stage.care_complaint_solved:
                    vals = dict(vals)
                    vals.setdefault("care_solved_date", fields.Datetime.now())
            was_major = {ticket: ticket.care_tier == "major" for ticket in self}
            res = super().write(vals)
            complaints = self.filtered("care_is_complaint")
            if not complaints:
                return res
            if "care_is_complaint" in vals or "care_received_at" in vals:
                complaints._care_plan_deadlines()
            complaints.filtered(
                lambda t: t.care_tier == "major" and not was_major.get(t)
            )._care_on_major()
            if "care_solution" in vals:
                complaints.filtered("care_solution").care_deadline_ids.filtered(
                    lambda d: d.kind == "proposal"
                )._care_mark_done()
            if "stage_id" in vals:
                complaints._care_on_stage()
            if vals.get("active") is False:
                # an archived complaint is not chased any more
                complaints.care_deadline_ids.filtered(
                    lambda d: not d.done_date and not d.escalated
                ).sudo().write({"escalated": True})
            return res

    @api.ondelete(at_uninstall=False)
    def _unlink_except_complaint(self):
        if any(ticket.care_is_complaint for ticket in self):
            raise UserError(
                self.env._(
                    "A registered complaint is kept for the record and cannot "
                    "be deleted. Archive it instead."
                )
            )

    def _care_check_lowering(self, vals):
        lowered = self.filtered(lambda t: t.care_tier == "major")
        if not lowered:
            return
        if not self.env.user.has_group("customer_care.group_complaint_manager"):
            raise UserError(
                self.env._(
                    "Only a complaint manager may lower a major complaint to "
                    "general."
                )
            )
        if not vals.get("care_tier_reason") and not all(
            lowered.mapped("care_tier_reason")
        ):
            raise UserError(
                self.env._("Give the reason for lowering the complaint to general.")
            )

    # ------------------------------------------------------------
    # DEADLINES
    # ------------------------------------------------------------

    def _care_deadline_at(self, kind, start):
        """When a deadline of ``kind`` counted from ``start`` falls due, on
        the company's working calendar."""
        self.ensure_one()
        company = self.company_id or self.env.company
        day_hours = company.resource_calendar_id.hours_per_day or 8.0
        if kind == "handover":
            return company._care_working_deadline(
                start, hours=company.care_complaint_handover_minutes / 60.0
            )
        if kind == "report":
            return company._care_working_deadline(
                start, hours=company.care_complaint_report_days * day_hours
            )
        if kind == "proposal":
            return company._care_working_deadline(
                start, hours=company.care_complaint_proposal_days * day_hours
            )
        if kind == "progress":
            return company._care_working_deadline(
                start, hours=company.care_complaint_progress_days * day_hours
            )
        if kind == "feedback":
            # the same working day (the next one when solved after hours)
            calendar = company._care_calendar()
            end = calendar and calendar.plan_days(1, start, compute_leaves=True)
            return end or start.replace(hour=23, minute=59, second=0)
        if kind == "followup":
            return start + timedelta(days=company.care_complaint_followup_last_day)
        raise ValueError(kind)

    @transition
    def _care_plan_deadlines(self):
        """(Re)plan the deadlines counted from receipt; the ones met stay."""
        Deadline = self.env["customer.care.complaint.deadline"].sudo()
        vals_list = []
        for ticket in self:
            kinds = ["proposal", "progress", "followup"]
            if ticket.care_tier == "major":
                kinds = ["handover", "report", *kinds]
            existing = {d.kind: d for d in ticket.sudo().care_deadline_ids}
            for kind in kinds:
                when = ticket._care_deadline_at(kind, ticket.care_received_at)
                line = existing.get(kind)
                if not line:
                    vals_list.append(
                        {"ticket_id": ticket.id, "kind": kind, "deadline": when}
                    )
                elif not line.done_date and line.deadline != when:
                    line.deadline = when
        if vals_list:
            Deadline.create(vals_list)

    def _care_on_major(self):
        """A complaint becomes major: deadlines of a major complaint, the
        complaint lead told at once, the duty manager alerted when it comes
        outside working hours (002 (二)1(2)(5))."""
        self._care_plan_deadlines()
        for ticket in self:
            company = ticket.company_id or self.env.company
            lead = company.care_complaint_manager_id or company.care_general_manager_id
            handover = ticket.care_deadline_ids.filtered(lambda d: d.kind == "handover")
            if lead and not handover.done_date:
                ticket.activity_schedule(
                    "mail.mail_activity_data_todo",
                    date_deadline=fields.Date.context_today(ticket, handover.deadline),
                    summary=lead._care_env(self.env)._("Major complaint: take it over"),
                    user_id=lead.id,
                )
            if not ticket.care_alerted_at and not ticket._care_in_working_hours(
                ticket.care_received_at
            ):
                ticket._care_alert_duty_manager()

    def _care_in_working_hours(self, when):
        self.ensure_one()
        calendar = (self.company_id or self.env.company)._care_calendar()
        if not calendar or not when:
            return True
        start = pytz.utc.localize(when)
        intervals = calendar._work_intervals_batch(
            start, start + timedelta(minutes=1), compute_leaves=True
        )[False]
        return bool(list(intervals))

    @transition
    def _care_alert_duty_manager(self):
        """E-mail and SMS to the duty manager, at once, in their language.
        Without a mobile number the SMS cannot go: a note on the complaint
        says so, for the staff who handle it."""
        for ticket in self:
            company = ticket.company_id or self.env.company
            duty = company._care_duty_manager()
            if not duty:
                _logger.warning(
                    "major complaint %s outside working hours: no duty manager",
                    ticket.number,
                )
                continue
            body = duty._care_env(self.env)._(
                "Major complaint %(ticket)s from %(customer)s received outside "
                "working hours: please take charge now.",
                ticket=ticket.display_name,
                customer=ticket.commercial_partner_id.name or ticket.partner_name,
            )
            ticket.message_post(
                body=body,
                partner_ids=duty.partner_id.ids,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
            mobile = duty.partner_id.mobile
            if mobile:
                ticket._message_sms(
                    body, partner_ids=duty.partner_id.ids, sms_numbers=[mobile]
                )
            else:
                ticket._care_note_sms_not_sent(duty)
            ticket.care_alerted_at = fields.Datetime.now()

    def _care_note_sms_not_sent(self, duty):
        """A note on the complaint: the duty manager ``duty`` has no mobile
        number, the SMS alert was not sent. Read by the officer handling the
        complaint: in their language, else in the company's."""
        self.ensure_one()
        company = self.company_id or self.env.company
        if self.user_id:
            env = self.user_id._care_env(self.env)
        else:
            lang = company.partner_id.lang or self.env.lang
            env = self.env(context=dict(self.env.context, lang=lang))
        self.message_post(
            body=env._(
                "The SMS alert could not be sent to the duty manager %(user)s: "
                "they have no mobile number. Call them, and add their mobile "
                "number or choose another duty manager in the Customer Care "
                "settings.",
                user=duty.name,
            ),
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )

    def _care_on_stage(self):
        for ticket in self:
            stage = ticket.stage_id
            deadlines = ticket.care_deadline_ids
            if stage.care_complaint_solved or stage.closed:
                deadlines.filtered(
                    lambda d: d.kind in ("progress", "proposal")
                )._care_mark_done()
                if stage.care_complaint_solved and not deadlines.filtered(
                    lambda d: d.kind == "feedback"
                ):
                    self.env["customer.care.complaint.deadline"].sudo().create(
                        {
                            "ticket_id": ticket.id,
                            "kind": "feedback",
                            "deadline": ticket._care_deadline_at(
                                "feedback", fields.Datetime.now()
                            ),
                        }
                    )
            if stage.closed:
                # closed: nothing is chased any more (late ones stay late)
                deadlines.sudo()._care_mark_done()

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    @transition
    def action_care_take_over(self):
        """The complaint lead (a complaint manager) takes a major complaint
        over; unassigned, it is assigned to them."""
        if not self.env.user.has_group("customer_care.group_complaint_manager"):
            raise UserError(
                self.env._("Only a complaint manager takes over a major complaint.")
            )
        for ticket in self.filtered(lambda t: not t.user_id):
            ticket.user_id = self.env.user
        self._care_mark_deadline("handover")
        self.activity_feedback(
            ["mail.mail_activity_data_todo"], user_id=self.env.user.id
        )
        return True

    def action_care_reported(self):
        """Reported to management and legal (major complaints)."""
        self._care_mark_deadline("report")
        return True

    def action_care_progress_reported(self):
        self._care_mark_deadline("progress")
        return True

    def action_care_feedback_given(self):
        self._care_mark_deadline("feedback")
        return True

    def _care_mark_deadline(self, kind):
        lines = self.care_deadline_ids.filtered(lambda d: d.kind == kind)
        lines.sudo()._care_mark_done()
        for ticket in self:
            ticket.message_post(
                body=self.env._(
                    "%(step)s.",
                    step=dict(lines._fields["kind"]._description_selection(self.env))[
                        kind
                    ],
                )
            )

    @transition
    def action_care_request_compensation(self):
        for ticket in self:
            if not ticket.care_compensation_amount or not ticket.care_compensation_form:
                raise UserError(
                    self.env._(
                        "Give the amount and the form of the compensation of "
                        "%(ticket)s before asking for its approval.",
                        ticket=ticket.display_name,
                    )
                )
        self.write(
            {
                "care_compensation_state": "requested",
                "care_compensation_requested_by_id": self.env.user.id,
                "care_compensation_approved_by_id": False,
            }
        )
        for ticket in self:
            company = ticket.company_id or self.env.company
            approver = company.care_complaint_manager_id
            if approver and approver != self.env.user:
                ticket.activity_schedule(
                    "mail.mail_activity_data_todo",
                    summary=approver._care_env(self.env)._("Approve the compensation"),
                    user_id=approver.id,
                )
        return True

    @transition
    def action_care_approve_compensation(self):
        self._care_decide_compensation("approved")
        return True

    @transition
    def action_care_refuse_compensation(self):
        self._care_decide_compensation("refused")
        return True

    @transition
    def _care_decide_compensation(self, state):
        if not self.env.user.has_group("customer_care.group_complaint_manager"):
            raise UserError(
                self.env._("Only a complaint manager may decide on a compensation.")
            )
        for ticket in self:
            if ticket.care_compensation_state != "requested":
                raise UserError(
                    self.env._(
                        "The compensation of %(ticket)s is not waiting for "
                        "approval.",
                        ticket=ticket.display_name,
                    )
                )
            if ticket.care_compensation_requested_by_id == self.env.user:
                raise UserError(
                    self.env._(
                        "You asked for the compensation of %(ticket)s: another "
                        "complaint manager must approve it.",
                        ticket=ticket.display_name,
                    )
                )
        self.write(
            {
                "care_compensation_state": state,
                "care_compensation_approved_by_id": self.env.user.id,
            }
        )

    def action_care_followup(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Follow-up Result"),
            "res_model": "customer.care.complaint.followup.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_ticket_id": self.id},
        }

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _care_is_service_ticket(self):
        # a complaint is followed up by its own callback, not the
        # after-service ones
        return not self.care_is_complaint and super()._care_is_service_ticket()

    def _care_followup_from(self):
        """The first day the follow-up may be made (day 5 after receipt),
        counted in the company's days, whoever asks."""
        self.ensure_one()
        company = self.company_id or self.env.company
        return company._care_today(self.care_received_at) + timedelta(
            days=company.care_complaint_followup_first_day
        )

    @transition
    def _care_record_followup(self, result, reason=None, override=False):
        """Seed 002 (二)3(5): satisfied → closed; unsatisfied → handled again."""
        for ticket in self:
            today = (ticket.company_id or self.env.company)._care_today()
            if today < ticket._care_followup_from() and not (
                override
                and self.env.user.has_group("customer_care.group_complaint_manager")
            ):
                raise UserError(
                    self.env._(
                        "The follow-up of %(ticket)s is made from %(date)s (day "
                        "%(day)s after receipt). Only a complaint manager may "
                        "record it earlier.",
                        ticket=ticket.display_name,
                        date=ticket._care_followup_from(),
                        day=(
                            ticket.company_id or self.env.company
                        ).care_complaint_followup_first_day,
                    )
                )
            if result == "unsatisfied" and not reason:
                raise UserError(self.env._("Say why the customer is not satisfied."))
            vals = {"care_followup_result": result, "care_followup_reason": reason}
            if result == "unsatisfied":
                # handled again: solved anew, then followed up anew
                vals.update(care_solved_date=False)
            stage = ticket._care_followup_stage(result)
            if stage:
                vals["stage_id"] = stage.id
            ticket.write(vals)
            ticket.care_deadline_ids.filtered(
                lambda d: d.kind == "followup"
            ).sudo()._care_mark_done()
            # the result was recorded on the complaint (access checked
            # there): its follow-up callback is done, whoever it was for
            callback = ticket.care_followup_callback_id.sudo()
            if callback.state == "planned":
                callback.write({"state": "done", "opinion": reason or False})
                callback.activity_ids.action_feedback(feedback=reason or result)
            if result == "unsatisfied":
                ticket.care_followup_callback_id = False

    def _care_followup_stage(self, result):
        self.ensure_one()
        Stage = self.env["helpdesk.ticket.stage"]
        applicable = (
            self.team_id._get_applicable_stages()
            if self.team_id
            else Stage.search([("team_ids", "=", False)])
        )
        if result == "satisfied":
            done = self.env.ref(
                "helpdesk_mgmt.helpdesk_ticket_stage_done", raise_if_not_found=False
            )
            return done if done in applicable else applicable.filtered("closed")[:1]
        stage = self.env.ref(
            "helpdesk_mgmt.helpdesk_ticket_stage_in_progress", raise_if_not_found=False
        )
        if stage in applicable:
            return stage
        return applicable.filtered(
            lambda s: not s.closed and not s.care_complaint_solved
        ).sorted("sequence")[1:2]

    # ------------------------------------------------------------
    # SCHEDULED ACTIONS
    # ------------------------------------------------------------

    @api.model
    def _cron_complaint_followups(self):
        """Daily: on day 5 after receipt, a follow-up callback for the
        officer, on the day of the complaint's company (not OdooBot's)."""
        Callback = self.env["customer.care.callback"]
        now = fields.Datetime.now()
        tickets = self.search(
            [
                ("care_is_complaint", "=", True),
                ("care_followup_callback_id", "=", False),
                "|",
                ("care_followup_result", "=", False),
                "&",
                ("care_followup_result", "=", "unsatisfied"),
                ("stage_id.care_complaint_solved", "=", True),
                ("care_received_at", "<=", now - timedelta(days=1)),
            ]
        )
        for ticket in tickets:
            today = (ticket.company_id or self.env.company)._care_today()
            if ticket._care_followup_from() > today:
                continue
            partner = ticket.commercial_partner_id or ticket.partner_id
            if not partner:
                continue
            officer = ticket.user_id or ticket.create_uid
            ticket.care_followup_callback_id = Callback._care_plan(
                partner,
                today,
                callback_type="complaint",
                origin=ticket,
                user=officer,
                summary=officer._care_env(self.env)._(
                    "Follow-up of complaint %s: is the customer satisfied?",
                    ticket.number,
                ),
            )

    @api.model
    @transition
    def _care_escalate_missed_deadlines(self, limit=None, tickets=None):
        """Missed deadlines (of ``tickets`` if given), read through the
        partial index of the open ones: once each, an activity and one
        e-mail per responsible manager. Returns the deadlines escalated and
        whether more wait."""
        Deadline = self.env["customer.care.complaint.deadline"].sudo()
        limit = limit or 5000
        missed = Deadline.search(
            [
                ("done_date", "=", False),
                ("escalated", "=", False),
                ("deadline", "<", fields.Datetime.now()),
                *([("ticket_id", "in", tickets.ids)] if tickets is not None else []),
            ],
            limit=limit + 1,
            order="deadline, id",
        )
        more = len(missed) > limit
        # once each, however many runs overlap: this run escalates only the
        # deadlines whose flag it set itself (compare-and-set)
        missed = self.env["customer.care.job.run"]._care_claim_rows(
            missed[:limit], "escalated"
        )
        if not missed:
            return missed, more
        # who was responsible for each, as a write of the flag records it
        self.env["customer.care.complaint.delay"]._care_record(missed)
        missed.fetch(["ticket_id", "kind", "deadline"])
        tickets = missed.ticket_id
        tickets.fetch(["team_id", "company_id", "number", "name"])
        todo = self.env.ref("mail.mail_activity_data_todo")
        model_id = self.env["ir.model"]._get_id(self._name)
        by_manager = {}
        by_ticket = {}
        for line in missed:
            ticket = line.ticket_id
            manager = ticket._care_responsible_manager()
            if not manager:
                continue
            by_manager.setdefault(manager, []).append(line)
            by_ticket.setdefault((ticket, manager), []).append(line)
        # the steps' names in each manager's language
        kinds = {
            lang: dict(
                Deadline._fields["kind"]._description_selection(
                    self.env(context=dict(self.env.context, lang=lang))
                )
            )
            for lang in {manager._care_lang() for manager in by_manager}
        }
        # one activity per complaint and manager, naming the steps missed,
        # due on the day of the complaint's company (not OdooBot's)
        days = {
            company: company._care_today()
            for company in {ticket.company_id or self.env.company for ticket in tickets}
        }
        activities = [
            {
                "res_model_id": model_id,
                "res_id": ticket.id,
                "activity_type_id": todo.id,
                "user_id": manager.id,
                "date_deadline": days[ticket.company_id or self.env.company],
                "summary": manager._care_env(self.env)._(
                    "Missed: %(steps)s",
                    steps=", ".join(
                        kinds[manager._care_lang()][line.kind] for line in lines
                    ),
                ),
            }
            for (ticket, manager), lines in by_ticket.items()
        ]
        self.env["mail.activity"].with_context(
            mail_activity_quick_update=True
        ).sudo().create(activities)
        template = self.env.ref("customer_care.mail_template_complaint_escalation")
        for manager, lines in by_manager.items():
            lines = Deadline.browse([line.id for line in lines])
            template.with_context(care_deadlines=lines, lang=manager.lang).send_mail(
                manager.id,
                email_values={"recipient_ids": [(6, 0, manager.partner_id.ids)]},
            )
        return missed, more

    def _care_responsible_manager(self):
        self.ensure_one()
        company = self.company_id or self.env.company
        return (
            self.team_id.user_id
            or company.care_complaint_manager_id
            or company.care_general_manager_id
        )

    @api.model
    def _cron_complaint_escalation(self):
        missed, more = self._care_escalate_missed_deadlines()
        self.env["ir.cron"]._notify_progress(
            done=len(missed), remaining=1 if more else 0
        )
