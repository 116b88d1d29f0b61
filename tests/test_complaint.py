# Copyright 2026 customer_care contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date, datetime, timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, TransactionCase, new_test_user, tagged
from odoo.tools import mute_logger

from .common import CareUsersMixin, shanghai_calendar

# Monday 2026-11-16 10:00 in Shanghai
MONDAY_10 = datetime(2026, 11, 16, 2, 0)
# Friday 2026-11-20 19:00 in Shanghai
FRIDAY_EVENING = datetime(2026, 11, 20, 11, 0)
CRITERIA = (
    "care_crit_compensation",
    "care_crit_safety",
    "care_crit_large_loss",
    "care_crit_external",
    "care_crit_escalation",
    "care_crit_return",
)


class ComplaintCase(CareUsersMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._create_care_users()
        cls.company = cls.env.company
        cls.company.resource_calendar_id = shanghai_calendar(cls.env)
        cls.company.write(
            {
                "care_complaint_manager_id": cls.users["complaint_manager"].id,
                "care_general_manager_id": cls.users["gm"].id,
                "care_duty_manager_id": cls.users["gm"].id,
            }
        )
        cls.users["gm"].partner_id.mobile = "+86 138 0000 0000"
        cls.second_manager = new_test_user(
            cls.env,
            login="care_complaint_manager_2",
            groups="customer_care.group_complaint_manager",
            name="Care complaint manager 2",
        )
        cls.team = cls.env.ref("customer_care.team_complaint")
        cls.team.write(
            {
                "user_ids": [
                    Command.link(cls.users["officer"].id),
                    Command.link(cls.users["complaint_manager"].id),
                ],
                "user_id": False,
            }
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "苏州恒达商贸", "is_company": True}
        )
        cls.other_customer = cls.env["res.partner"].create(
            {"name": "杭州百大", "is_company": True}
        )
        cls.Ticket = cls.env["helpdesk.ticket"]
        cls.stage_solved = cls.env.ref("customer_care.stage_complaint_solved")
        cls.stage_done = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
        cls.stage_progress = cls.env.ref(
            "helpdesk_mgmt.helpdesk_ticket_stage_in_progress"
        )

    @classmethod
    def _complaint(cls, received=MONDAY_10, partner=None, user=None, **values):
        Ticket = cls.Ticket.with_user(user) if user else cls.Ticket
        return Ticket.create(
            {
                "name": "送货延误",
                "description": "<p>客户投诉送货延误三天。</p>",
                "partner_id": (partner or cls.customer).id,
                "team_id": cls.team.id,
                "care_is_complaint": True,
                "care_received_at": received,
                "care_category": "service_quality",
                **values,
            }
        )

    def _deadline(self, ticket, kind):
        return ticket.care_deadline_ids.filtered(lambda d: d.kind == kind)

    def _closable(self):
        return {
            "care_cause": "司机未按约定时间送货",
            "care_responsible_department": "物流部",
            "care_responsible_user_id": self.users["desk"].id,
        }


@tagged("post_install", "-at_install")
class TestComplaintTier(ComplaintCase):
    def test_each_criterion_makes_it_major(self):
        self.assertEqual(self._complaint().care_tier, "general")
        for criterion in CRITERIA:
            with self.subTest(criterion=criterion):
                ticket = self._complaint(
                    partner=self.env["res.partner"].create({"name": criterion}),
                    **{criterion: True},
                )
                self.assertEqual(ticket.care_tier, "major")

    def test_a_large_loss_amount_is_a_criterion(self):
        self.company.care_complaint_large_loss_amount = 5000
        small = self._complaint(care_loss_amount=4999)
        self.assertEqual(small.care_tier, "general")
        large = self._complaint(partner=self.other_customer, care_loss_amount=5000)
        self.assertTrue(large.care_crit_large_loss)
        self.assertEqual(large.care_tier, "major")

    # registered after they came: a complaint is not received in the future
    @freeze_time(MONDAY_10 + timedelta(days=62))
    def test_a_second_complaint_within_the_window_is_a_repeat(self):
        first = self._complaint()
        self.assertFalse(first.care_is_repeat)
        contact = self.env["res.partner"].create(
            {"name": "王经理", "parent_id": self.customer.id}
        )
        repeat = self._complaint(
            received=MONDAY_10 + timedelta(days=29), partner=contact
        )
        self.assertTrue(repeat.care_is_repeat)
        self.assertEqual(repeat.care_tier, "major")
        later = self._complaint(received=MONDAY_10 + timedelta(days=61))
        self.assertFalse(later.care_is_repeat)

    def test_officer_raises_only_a_manager_lowers_with_a_reason(self):
        ticket = self._complaint(user=self.users["officer"])
        ticket.care_tier = "major"
        self.assertEqual(ticket.care_tier, "major")
        with self.assertRaises(UserError):
            ticket.write({"care_tier": "general", "care_tier_reason": "误判"})
        as_manager = ticket.with_user(self.users["complaint_manager"])
        with self.assertRaises(UserError):
            as_manager.care_tier = "general"
        self.assertEqual(ticket.care_tier, "major")
        as_manager.write({"care_tier": "general", "care_tier_reason": "客户已撤回索赔"})
        self.assertEqual(ticket.care_tier, "general")

    def test_lowering_is_tracked(self):
        ticket = self._complaint(care_crit_safety=True)
        self.env.flush_all()
        self.env.cr.precommit.run()
        ticket.with_user(self.users["complaint_manager"]).write(
            {"care_tier": "general", "care_tier_reason": "经核实不涉及安全"}
        )
        self.env.flush_all()
        self.env.cr.precommit.run()
        tracked = ticket.message_ids.tracking_value_ids.field_id.mapped("name")
        self.assertIn("care_tier", tracked)
        self.assertIn("care_tier_reason", tracked)


@tagged("post_install", "-at_install")
class TestComplaintDeadlines(ComplaintCase):
    def test_every_complaint_gets_proposal_progress_and_followup(self):
        ticket = self._complaint()
        # one working day = 8 working hours: Tuesday 10:00 Shanghai
        self.assertEqual(
            self._deadline(ticket, "proposal").deadline, datetime(2026, 11, 17, 2, 0)
        )
        # three working days: Thursday 10:00
        self.assertEqual(
            self._deadline(ticket, "progress").deadline, datetime(2026, 11, 19, 2, 0)
        )
        self.assertEqual(
            self._deadline(ticket, "followup").deadline, MONDAY_10 + timedelta(days=7)
        )
        self.assertFalse(self._deadline(ticket, "handover"))
        self.assertEqual(ticket.care_next_deadline, datetime(2026, 11, 17, 2, 0))

    def test_friday_evening_major_complaint_lands_on_monday_morning(self):
        with freeze_time(FRIDAY_EVENING):
            ticket = self._complaint(received=FRIDAY_EVENING, care_crit_safety=True)
        # 30 working minutes: Monday 09:00 Shanghai
        self.assertEqual(
            self._deadline(ticket, "handover").deadline, datetime(2026, 11, 23, 1, 0)
        )
        # reported to management and legal within one working day: Monday 17:30
        self.assertEqual(
            self._deadline(ticket, "report").deadline, datetime(2026, 11, 23, 9, 30)
        )

    def test_deadlines_are_met_by_the_steps(self):
        ticket = self._complaint(care_crit_return=True)
        with self.assertRaises(UserError):
            ticket.with_user(self.users["officer"]).action_care_take_over()
        ticket.with_user(self.users["complaint_manager"]).action_care_take_over()
        self.assertTrue(self._deadline(ticket, "handover").done_date)
        ticket.care_solution = "补发货物并减免运费"
        self.assertTrue(self._deadline(ticket, "proposal").done_date)
        ticket.action_care_reported()
        self.assertTrue(self._deadline(ticket, "report").done_date)
        ticket.stage_id = self.stage_solved
        self.assertTrue(self._deadline(ticket, "progress").done_date)
        feedback = self._deadline(ticket, "feedback")
        self.assertTrue(feedback)
        self.assertFalse(feedback.done_date)
        ticket.action_care_feedback_given()
        self.assertTrue(feedback.done_date)

    def test_missed_deadlines_are_escalated_once(self):
        with freeze_time("2026-11-16 03:00:00"):
            ticket = self._complaint()
            self.assertFalse(ticket.care_is_overdue)
            early, _more = self.Ticket._care_escalate_missed_deadlines()
            self.assertFalse(early & ticket.care_deadline_ids)
        with freeze_time("2026-11-18 03:00:00"):
            ticket.invalidate_recordset(["care_is_overdue"])
            self.assertTrue(ticket.care_is_overdue)
            self.assertIn(ticket, self.Ticket.search([("care_is_overdue", "=", True)]))
            missed, more = self.Ticket._care_escalate_missed_deadlines()
            again, _more = self.Ticket._care_escalate_missed_deadlines()
        proposal = self._deadline(ticket, "proposal")
        self.assertEqual(missed & ticket.care_deadline_ids, proposal)
        self.assertFalse(more)
        self.assertFalse(again & ticket.care_deadline_ids)
        self.assertTrue(proposal.escalated)
        manager = self.users["complaint_manager"]
        self.assertEqual(
            ticket.activity_ids.filtered(lambda a: a.user_id == manager).mapped(
                "summary"
            ),
            # in the manager's language
            [
                "Missed: Solution Proposed"
                if manager._care_lang() == "en_US"
                else "已超期：提出解决方案"
            ],
        )
        mail = self.env["mail.mail"].search(
            [
                ("recipient_ids", "in", manager.partner_id.ids),
                ("body_html", "ilike", ticket.number),
            ]
        )
        self.assertEqual(len(mail), 1, "one e-mail, the first time only")

    def test_archived_complaints_are_not_chased(self):
        ticket = self._complaint()
        ticket.action_archive()
        with freeze_time("2026-11-18 03:00:00"):
            missed, _more = self.Ticket._care_escalate_missed_deadlines()
        self.assertFalse(missed & ticket.care_deadline_ids)

    def test_the_team_leader_is_the_responsible_manager(self):
        self.team.user_id = self.second_manager
        ticket = self._complaint()
        with freeze_time("2026-11-18 03:00:00"):
            self.Ticket._care_escalate_missed_deadlines()
        self.assertEqual(ticket.activity_ids.user_id, self.second_manager)

    def test_major_complaint_after_hours_alerts_the_duty_manager(self):
        with freeze_time(FRIDAY_EVENING):
            ticket = self._complaint(received=FRIDAY_EVENING, care_crit_external=True)
        gm = self.users["gm"].partner_id
        self.assertTrue(ticket.care_alerted_at)
        self.assertTrue(
            ticket.message_ids.filtered(lambda m: gm in m.partner_ids),
            "an e-mail notification to the duty manager",
        )
        self.assertTrue(
            self.env["sms.sms"].search([("number", "=", "+86 138 0000 0000")])
        )
        # the complaint lead has the handover activity at once
        self.assertIn(
            self.users["complaint_manager"], ticket.activity_ids.mapped("user_id")
        )

    def test_major_complaint_in_working_hours_does_not_alert(self):
        ticket = self._complaint(care_crit_external=True)
        self.assertFalse(ticket.care_alerted_at)
        self.assertFalse(
            self.env["sms.sms"].search([("number", "=", "+86 138 0000 0000")])
        )
        general = self._complaint(received=FRIDAY_EVENING, partner=self.other_customer)
        self.assertFalse(general.care_alerted_at)


@tagged("post_install", "-at_install")
class TestComplaintHandling(ComplaintCase):
    def test_the_form_saves_with_the_restatement_only(self):
        officer = self.users["officer"]
        form_view = self.env.ref("helpdesk_mgmt.ticket_view_form")
        context = {
            "default_care_is_complaint": True,
            "default_team_id": self.team.id,
        }
        tickets = self.Ticket.with_user(officer).with_context(**context)
        # unsaved: no number and no title yet, no "/ - False" breadcrumb
        self.assertEqual(tickets.new({}).display_name, "")
        with Form(tickets, view=form_view) as form:
            form.name = "送货延误"
            form.partner_id = self.customer
            form.care_category = "service_quality"
            form.care_restated = "客户投诉送货延误三天。"
        ticket = form.record
        self.assertTrue(ticket.care_is_complaint)
        self.assertIn("客户投诉送货延误三天。", ticket.description)
        self.assertEqual(ticket.display_name, f"{ticket.number} - 送货延误")
        # emptied later, the description is the restatement again
        ticket.with_user(officer).description = "<p><br></p>"
        self.assertIn("客户投诉送货延误三天。", ticket.description)

    def test_the_person_complained_about_cannot_handle_it(self):
        ticket = self._complaint(care_complained_user_id=self.users["officer"].id)
        before = ticket.user_id
        with self.assertRaises(ValidationError):
            ticket.user_id = self.users["officer"]
        self.assertEqual(ticket.user_id, before)
        with self.assertRaises(ValidationError):
            self._complaint(
                care_complained_user_id=self.users["officer"].id,
                user_id=self.users["officer"].id,
            )

    def test_negative_amounts_are_refused(self):
        ticket = self._complaint()
        for field in ("care_compensation_amount", "care_loss_amount"):
            with self.subTest(field=field), self.assertRaises(ValidationError):
                ticket[field] = -100
        self.assertEqual(ticket.care_compensation_amount, 0)

    def test_a_changed_compensation_is_approved_again(self):
        ticket = self._complaint(
            care_compensation_amount=500, care_compensation_form="cash"
        )
        ticket.with_user(
            self.users["complaint_manager"]
        ).action_care_request_compensation()
        ticket.with_user(self.second_manager).action_care_approve_compensation()
        ticket.care_compensation_amount = 5000
        self.assertEqual(ticket.care_compensation_state, "none")
        self.assertFalse(ticket.care_compensation_approved_by_id)

    def test_compensation_needs_another_managers_approval(self):
        ticket = self._complaint(**self._closable())
        ticket.write(
            {"care_compensation_amount": 800, "care_compensation_form": "credit_note"}
        )
        with self.assertRaises(ValidationError):
            ticket.stage_id = self.stage_solved
        requested = ticket.with_user(self.users["complaint_manager"])
        requested.action_care_request_compensation()
        self.assertEqual(ticket.care_compensation_state, "requested")
        with self.assertRaises(UserError):
            requested.action_care_approve_compensation()
        with self.assertRaises(UserError):
            ticket.with_user(self.users["officer"]).action_care_approve_compensation()
        with self.assertRaises(ValidationError):
            ticket.stage_id = self.stage_done
        ticket.with_user(self.second_manager).action_care_approve_compensation()
        self.assertEqual(ticket.care_compensation_state, "approved")
        self.assertEqual(ticket.care_compensation_approved_by_id, self.second_manager)
        ticket.stage_id = self.stage_solved
        self.assertEqual(ticket.stage_id, self.stage_solved)

    def test_closing_needs_cause_and_responsible(self):
        ticket = self._complaint()
        with self.assertRaises(ValidationError):
            ticket.stage_id = self.stage_done
        self.assertNotEqual(ticket.stage_id, self.stage_done)
        ticket.write(self._closable())
        ticket.stage_id = self.stage_done
        self.assertTrue(ticket.closed)

    def test_an_ordinary_ticket_is_not_held_to_complaint_rules(self):
        ticket = self.Ticket.create(
            {
                "name": "安装预约",
                "description": "<p>预约安装</p>",
                "team_id": self.team.id,
            }
        )
        ticket.stage_id = self.stage_done
        self.assertFalse(ticket.care_tier)
        self.assertFalse(ticket.care_deadline_ids)

    def test_refusals_are_translated(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["customer_care"], ["zh_CN"])
        ticket = self._complaint(care_complained_user_id=self.users["officer"].id)
        chinese = ticket.with_context(lang="zh_CN")
        with self.assertRaises(ValidationError) as assignee:
            chinese.user_id = self.users["officer"]
        with self.assertRaises(ValidationError) as closing:
            chinese.stage_id = self.stage_done
        for error in (assignee, closing):
            with self.subTest(error=str(error.exception)):
                self.assertIn("投诉", str(error.exception))

    def test_complaints_are_archived_not_deleted(self):
        ticket = self._complaint()
        with self.assertRaises(UserError):
            ticket.unlink()
        ticket.action_archive()
        self.assertFalse(ticket.active)


@tagged("post_install", "-at_install")
class TestComplaintFollowup(ComplaintCase):
    def _followup(self, ticket, result, reason=None, override=False, user=None):
        wizard = (
            self.env["customer.care.complaint.followup.wizard"]
            .with_user(user or self.users["officer"])
            .create(
                {
                    "ticket_id": ticket.id,
                    "result": result,
                    "reason": reason,
                    "override": override,
                }
            )
        )
        return wizard.action_confirm()

    def test_day_five_creates_a_followup_callback_for_the_officer(self):
        ticket = self._complaint(user_id=self.users["officer"].id)
        with freeze_time("2026-11-20 04:00:00"):
            self.Ticket._cron_complaint_followups()
        self.assertFalse(ticket.care_followup_callback_id)
        with freeze_time("2026-11-21 04:00:00"):
            self.Ticket._cron_complaint_followups()
            self.Ticket._cron_complaint_followups()
        callback = ticket.care_followup_callback_id
        self.assertEqual(callback.callback_type, "complaint")
        self.assertEqual(callback.user_id, self.users["officer"])
        self.assertEqual(callback.date, date(2026, 11, 21))
        self.assertEqual(callback.origin_ref, ticket)
        self.assertEqual(
            self.env["customer.care.callback"].search_count(
                [("origin_ref", "=", f"helpdesk.ticket,{ticket.id}")]
            ),
            1,
        )

    def test_satisfied_closes_the_complaint(self):
        ticket = self._complaint(**self._closable())
        ticket.stage_id = self.stage_solved
        with freeze_time("2026-11-21 04:00:00"):
            self.Ticket._cron_complaint_followups()
            self._followup(ticket, "satisfied", "满意")
        self.assertEqual(ticket.stage_id, self.stage_done)
        self.assertEqual(ticket.care_followup_callback_id.state, "done")
        self.assertTrue(self._deadline(ticket, "followup").done_date)

    def test_unsatisfied_reopens_with_the_reason(self):
        ticket = self._complaint(**self._closable())
        ticket.stage_id = self.stage_solved
        with freeze_time("2026-11-21 04:00:00"):
            with self.assertRaises(UserError):
                self._followup(ticket, "unsatisfied")
            self._followup(ticket, "unsatisfied", "补发的货物仍有破损")
        self.assertEqual(ticket.stage_id, self.stage_progress)
        self.assertEqual(ticket.care_followup_reason, "补发的货物仍有破损")
        first = ticket.care_followup_callback_id
        self.assertFalse(first)
        # solved again: followed up again
        with freeze_time("2026-11-25 04:00:00"):
            self.Ticket._cron_complaint_followups()
            self.assertFalse(ticket.care_followup_callback_id)
            ticket.stage_id = self.stage_solved
            self.Ticket._cron_complaint_followups()
        self.assertEqual(ticket.care_followup_callback_id.date, date(2026, 11, 25))

    def test_no_result_before_day_five_unless_a_manager_overrides(self):
        ticket = self._complaint(**self._closable())
        with freeze_time("2026-11-19 04:00:00"):
            with self.assertRaises(UserError):
                self._followup(ticket, "satisfied")
            with self.assertRaises(UserError):
                self._followup(ticket, "satisfied", override=True)
            self.assertFalse(ticket.care_followup_result)
            self._followup(
                ticket,
                "satisfied",
                override=True,
                user=self.users["complaint_manager"],
            )
        self.assertEqual(ticket.care_followup_result, "satisfied")


@tagged("post_install", "-at_install")
class TestComplaintMeasures(ComplaintCase):
    def test_measures_are_approved_by_the_general_manager(self):
        ticket = self._complaint()
        measure = (
            self.env["customer.care.complaint.measure"]
            .with_user(self.users["officer"])
            .create(
                {
                    "name": "送货前电话确认时间",
                    "ticket_ids": [Command.link(ticket.id)],
                    "user_id": self.users["officer"].id,
                    "date_deadline": date(2026, 12, 31),
                }
            )
        )
        with self.assertRaises(UserError):
            measure.action_done()
        measure.action_request()
        self.assertEqual(measure.state, "requested")
        self.assertEqual(measure.requested_by_id, self.users["officer"])
        self.assertIn(self.users["gm"], measure.activity_ids.user_id)
        with self.assertRaises(UserError):
            measure.with_user(self.users["complaint_manager"]).action_approve()
        measure.with_user(self.users["gm"]).action_approve()
        self.assertEqual(measure.approver_id, self.users["gm"])
        measure.action_done()
        self.assertEqual(measure.state, "done")
        self.assertIn(measure, ticket.care_measure_ids)
        with self.assertRaises(UserError):
            measure.unlink()


@tagged("post_install", "-at_install")
class TestComplaintAccess(ComplaintCase):
    def test_anyone_receiving_a_complaint_registers_it(self):
        ticket = self._complaint(user=self.users["agent"])
        self.assertTrue(ticket.care_is_complaint)

    def test_officers_see_their_teams_complaints_managers_all(self):
        other_team = self.env["helpdesk.ticket.team"].create({"name": "北方投诉组"})
        ours = self._complaint()
        theirs = self._complaint(partner=self.other_customer, team_id=other_team.id)
        Ticket = self.Ticket.with_user(self.users["officer"])
        found = Ticket.search([("care_is_complaint", "=", True)])
        self.assertIn(ours, found)
        self.assertNotIn(theirs, found)
        with self.assertRaises(AccessError):
            theirs.with_user(self.users["officer"]).read(["name"])
        manager = self.Ticket.with_user(self.users["complaint_manager"])
        self.assertIn(theirs, manager.search([("care_is_complaint", "=", True)]))

    def test_portal_customers_see_only_their_own(self):
        contact = self.env["res.partner"].create(
            {"name": "李先生", "parent_id": self.customer.id, "email": "li@hd.cn"}
        )
        portal = new_test_user(
            self.env, login="care_portal", groups="base.group_portal"
        )
        portal.partner_id = contact
        mine = self._complaint(partner=contact)
        other = self._complaint(partner=self.other_customer)
        found = self.Ticket.with_user(portal).search([])
        self.assertIn(mine, found)
        self.assertNotIn(other, found)
        with (
            mute_logger("odoo.models"),
            self.assertRaises(AccessError),
        ):
            other.with_user(portal).read(["name"])


@tagged("post_install", "-at_install")
class TestDutyManagerMobile(ComplaintCase):
    def test_settings_warn_when_the_duty_manager_has_no_mobile(self):
        settings = self.env["res.config.settings"].create({})
        self.assertEqual(settings.care_duty_manager_id, self.users["gm"])
        self.assertFalse(settings.care_duty_manager_warning)
        self.users["gm"].partner_id.mobile = False
        settings = self.env["res.config.settings"].create({})
        self.assertIn(self.users["gm"].name, settings.care_duty_manager_warning)
        # choosing another duty manager, with a mobile, clears it
        self.users["complaint_manager"].partner_id.mobile = "+86 139 0000 0001"
        settings.care_duty_manager_id = self.users["complaint_manager"]
        self.assertFalse(settings.care_duty_manager_warning)
        # without a duty manager the complaint lead is alerted: warned for them
        self.users["complaint_manager"].partner_id.mobile = False
        settings.care_duty_manager_id = False
        self.assertIn(
            self.users["complaint_manager"].name, settings.care_duty_manager_warning
        )

    def test_no_sms_without_mobile_but_a_note_on_the_complaint(self):
        self.users["gm"].partner_id.mobile = False
        with freeze_time(FRIDAY_EVENING):
            ticket = self._complaint(received=FRIDAY_EVENING, care_crit_external=True)
        self.assertTrue(ticket.care_alerted_at)
        self.assertFalse(
            self.env["sms.sms"].search(
                [("partner_id", "=", self.users["gm"].partner_id.id)]
            )
        )
        notes = ticket.message_ids.filtered(
            lambda m: m.subtype_id == self.env.ref("mail.mt_note")
            and self.users["gm"].name in (m.body or "")
        )
        self.assertEqual(len(notes), 1)
