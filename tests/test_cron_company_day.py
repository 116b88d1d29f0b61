# Copyright 2026 customer_care contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Background work acts for the company: the scheduled actions run as
OdooBot, yet take the day of the company's working calendar, and the
escalation an agent's step sets off sees every branch's records."""

from datetime import date, datetime, timedelta

from freezegun import freeze_time

from odoo import Command, fields
from odoo.tests import HttpCase, TransactionCase, new_test_user, tagged

from .common import (
    CareUsersMixin,
    WarmUpMixin,
    posted_invoice,
    recorded,
    shanghai_calendar,
)

# Tuesday 2026-11-17 01:00 in Shanghai (the company's calendar), still
# Monday 2026-11-16 09:00 in Los Angeles (OdooBot's time zone)
INSTANT = "2026-11-16 17:00:00"
COMPANY_DAY = date(2026, 11, 17)
BOT_TZ = "America/Los_Angeles"


@tagged("post_install", "-at_install")
class TestCronCompanyDay(CareUsersMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._create_care_users()
        cls.company = cls.env.company
        cls.company.write(
            {
                "resource_calendar_id": shanghai_calendar(cls.env).id,
                "care_default_agent_id": cls.users["agent"].id,
                "care_callback_manager_id": cls.users["callback_manager"].id,
                "care_complaint_manager_id": cls.users["complaint_manager"].id,
                "care_general_manager_id": cls.users["gm"].id,
            }
        )
        # one batch is enough for every company's due callbacks and letters
        cls.env["res.company"].search([]).care_callback_batch_size = 100000
        cls.bot = cls.env.ref("base.user_root")
        cls.bot.tz = BOT_TZ
        cls.branch = cls.env["crm.team"].create(
            {"name": "华东分公司", "member_ids": [Command.link(cls.users["agent"].id)]}
        )
        cls.env.ref("customer_care.team_complaint").user_ids = [
            Command.link(cls.users["officer"].id)
        ]
        cls.Callback = cls.env["customer.care.callback"]
        cls.Ticket = cls.env["helpdesk.ticket"]

    @classmethod
    def _customer(cls, name, code="ordinary", **values):
        return cls.env["res.partner"].create(
            {
                "name": name,
                "is_company": True,
                "care_segment_ids": [
                    Command.link(cls.env.ref(f"customer_care.segment_{code}").id)
                ],
                "care_branch_id": cls.branch.id,
                **values,
            }
        )

    def _run_cron(self, xmlid):
        """Run the scheduled action as the cron runs it: as its user,
        OdooBot, with no time zone in the context."""
        cron = self.env.ref(f"customer_care.{xmlid}")
        self.assertEqual(cron.user_id, self.bot)
        cron.method_direct_trigger()

    def _complaint(self, received, **values):
        with freeze_time(received + timedelta(minutes=1)):
            return self.Ticket.create(
                {
                    "name": "送货延误",
                    "description": "<p>客户投诉送货延误三天。</p>",
                    "partner_id": self._customer("苏州恒达商贸").id,
                    "team_id": self.env.ref("customer_care.team_complaint").id,
                    "care_is_complaint": True,
                    "care_received_at": received,
                    "care_category": "service_quality",
                    "user_id": self.users["officer"].id,
                    **values,
                }
            )

    # ------------------------------------------------------------
    # callbacks
    # ------------------------------------------------------------

    @freeze_time(INSTANT)
    def test_generated_callbacks_are_dated_on_the_companys_day(self):
        customer = self._customer("联华超市")
        self._run_cron("ir_cron_callback_generate")
        callbacks = self.Callback.search([("partner_id", "=", customer.id)])
        self.assertTrue(callbacks, "the customer is due: it was never called")
        self.assertEqual(set(callbacks.mapped("date")), {COMPANY_DAY})
        self.assertEqual(
            set(callbacks.activity_ids.mapped("date_deadline")), {COMPANY_DAY}
        )
        self.assertEqual(
            set(callbacks.cadence_id.mapped("generation_date")), {COMPANY_DAY}
        )

    @freeze_time(INSTANT)
    def test_letters_due_on_the_companys_day_are_sent_that_day(self):
        customer = self._customer("联华超市", email="lh@example.com")
        letter = self.Callback.create(
            {
                "partner_id": customer.id,
                "method": "letter",
                "date": COMPANY_DAY,
                "user_id": self.users["agent"].id,
            }
        )
        self._run_cron("ir_cron_callback_letters")
        self.assertEqual(letter.state, "done")
        self.assertEqual(letter.date, COMPANY_DAY)
        self.assertTrue(
            letter.message_ids.filtered(lambda m: m.message_type == "comment")
        )

    def test_end_of_day_flag_takes_the_companys_day(self):
        # 23:50 on Tuesday 2026-11-17 in Shanghai: already Wednesday 04:50
        # for an OdooBot in Auckland, whose day would flag Wednesday's
        # callbacks before their day began
        self.bot.tz = "Pacific/Auckland"
        customer = self._customer("联华超市")
        today, tomorrow = (
            self.Callback.create(
                {
                    "partner_id": customer.id,
                    "date": day,
                    "user_id": self.users["agent"].id,
                }
            )
            for day in (COMPANY_DAY, COMPANY_DAY + timedelta(days=1))
        )
        with freeze_time("2026-11-17 15:50:00"):
            self._run_cron("ir_cron_callback_overdue")
        self.assertTrue(today.is_overdue)
        self.assertFalse(tomorrow.is_overdue)

    @freeze_time(INSTANT)
    def test_service_callback_is_planned_on_the_companys_day(self):
        ticket = self.Ticket.create(
            {
                "name": "安装调试",
                "description": "<p>安装</p>",
                "partner_id": self._customer("国美电器", "big").id,
            }
        )
        # closed by OdooBot (an automation, an import)
        ticket.with_user(self.bot).stage_id = self.env.ref(
            "helpdesk_mgmt.helpdesk_ticket_stage_done"
        )
        callbacks = self.Callback.search(
            [("origin_ref", "=", f"helpdesk.ticket,{ticket.id}")], order="date"
        )
        months = self.company.care_callback_service_followup_months
        self.assertEqual(
            callbacks.mapped("date"),
            [COMPANY_DAY, fields.Date.add(COMPANY_DAY, months=months)],
        )

    @freeze_time(INSTANT)
    def test_issue_digest_counts_the_companys_days(self):
        digest = self.company.with_user(self.bot)._care_callback_issue_digest_data()
        self.assertEqual(digest["date"], COMPANY_DAY)

    # ------------------------------------------------------------
    # complaints
    # ------------------------------------------------------------

    def test_complaint_followup_on_day_five_of_the_company(self):
        # received on Thursday 2026-11-12 01:00 in Shanghai (Wednesday 09:00
        # in Los Angeles): day 5 is Tuesday 2026-11-17
        ticket = self._complaint(datetime(2026, 11, 11, 17, 0))
        with freeze_time(INSTANT):
            self._run_cron("ir_cron_complaint_followup")
        callback = ticket.care_followup_callback_id
        self.assertEqual(callback.callback_type, "complaint")
        self.assertEqual(callback.date, COMPANY_DAY)
        self.assertEqual(ticket._care_followup_from(), COMPANY_DAY)

    def test_escalation_activity_is_due_on_the_companys_day(self):
        # received on Monday 10:00 in Shanghai: the proposal was due on
        # Tuesday 10:00; escalated on Wednesday 01:00 (Tuesday for OdooBot)
        ticket = self._complaint(datetime(2026, 11, 16, 2, 0))
        with freeze_time("2026-11-17 17:00:00"):
            self._run_cron("ir_cron_complaint_escalation")
        manager = ticket._care_responsible_manager()
        activity = ticket.activity_ids.filtered(lambda a: a.user_id == manager)
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.date_deadline, date(2026, 11, 18))

    # ------------------------------------------------------------
    # monthly reports
    # ------------------------------------------------------------

    def test_monthly_reports_cover_the_month_before_the_companys_day(self):
        # 1 December 01:00 in Shanghai, still 30 November for OdooBot
        with freeze_time("2026-11-30 17:00:00"):
            self._run_cron("ir_cron_complaint_monthly_analysis")
            self._run_cron("ir_cron_callback_monthly_summary")
        attachments = self.env["ir.attachment"].search(
            [("res_model", "=", "res.company"), ("res_id", "=", self.company.id)]
        )
        names = attachments.mapped("name")
        self.assertEqual(
            len([name for name in names if "2026-11" in name]),
            2,
            f"the complaint analysis and the callback summary of November: {names}",
        )
        self.assertFalse([name for name in names if "2026-10" in name])

    # ------------------------------------------------------------
    # credit
    # ------------------------------------------------------------

    @freeze_time(INSTANT)
    def test_days_overdue_count_the_companys_day(self):
        """An invoice due on Monday is one day overdue on the company's
        Tuesday, though OdooBot's Monday is not over."""
        customer = self._customer("嘉兴宏远五金")
        posted_invoice(self.env, customer, 800.0, "2026-11-01", due="2026-11-16")
        figures = customer.with_user(self.bot)._care_credit_figures_many(self.company)[
            customer.id
        ]
        self.assertEqual(figures["overdue_days"], 1)


@tagged("post_install", "-at_install")
class TestCronCompanyDayEscalation(WarmUpMixin, HttpCase):
    """The agent of branch A marks done, over XML-RPC, the callback of a
    customer served by branch B: the other branch's callbacks, issues and
    manager callback, which the agent may not see, count all the same."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        agent_group = "customer_care.group_callback_agent"
        cls.agent_a = new_test_user(
            cls.env, login="care_cross_agent_a", groups=agent_group, tz="Asia/Shanghai"
        )
        cls.agent_b = new_test_user(
            cls.env, login="care_cross_agent_b", groups=agent_group, tz="Asia/Shanghai"
        )
        cls.manager = new_test_user(
            cls.env,
            login="care_cross_manager",
            groups="customer_care.group_callback_manager",
        )
        cls.company = cls.env.company
        cls.company.care_callback_manager_id = cls.manager
        # the agents' branches: A serves the customers of East China, B those
        # of South China
        _branch_a, branch_b = (
            cls.env["crm.team"].create(
                {"name": name, "member_ids": [Command.link(agent.id)]}
            )
            for name, agent in (
                ("华东分公司", cls.agent_a),
                ("华南分公司", cls.agent_b),
            )
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "广州百货", "is_company": True, "care_branch_id": branch_b.id}
        )
        cls.today = cls.company._care_today()
        cls.Callback = cls.env["customer.care.callback"]

    def _callback(self, agent, days_ago, issue=None, done=False):
        callback = self.Callback.create(
            {
                "partner_id": self.customer.id,
                "date": self.today - timedelta(days=days_ago),
                "user_id": agent.id,
            }
        )
        if issue:
            self.env["customer.care.callback.issue"].create(
                {"callback_id": callback.id, "name": issue, "owner_id": agent.id}
            )
        if done:
            recorded(callback).action_done()
        return callback

    def _done_by_agent_a(self, callback):
        """``action_done`` over XML-RPC as the agent of branch A."""
        recorded(callback)
        return self.xmlrpc_object.execute_kw(
            self.env.cr.dbname,
            self.agent_a.id,
            self.agent_a.login,
            "customer.care.callback",
            "action_done",
            [[callback.id]],
        )

    def _assert_escalated_once(self, result, callback):
        self.assertIsNotNone(result)
        self.assertEqual(callback.state, "done")
        escalation = self.Callback.search(
            [
                ("partner_id", "=", self.customer.id),
                ("callback_type", "=", "manager"),
            ]
        )
        self.assertEqual(len(escalation), 1)
        self.assertEqual(escalation.user_id, self.manager)
        return escalation

    def test_the_other_branchs_issues_count(self):
        # the first issue was raised in branch B's own callback
        first = self._callback(self.agent_b, 10, issue="回单慢", done=True)
        self.assertFalse(
            self.Callback.with_user(self.agent_a).search([("id", "=", first.id)])
        )
        second = self._callback(self.agent_a, 0, issue="货损")
        result = self._done_by_agent_a(second)
        escalation = self._assert_escalated_once(result, second)
        self.assertEqual(escalation.date, self.today)
        self.assertEqual(escalation.activity_ids.user_id, self.manager)

    def test_the_manager_callback_is_made_for_the_agent(self):
        # both issues raised in the agent's callbacks: the manager's callback
        # of the other branch is still the agent's to set off
        self._callback(self.agent_a, 10, issue="回单慢", done=True)
        second = self._callback(self.agent_a, 0, issue="货损")
        self._assert_escalated_once(self._done_by_agent_a(second), second)

    def test_an_escalation_made_already_is_not_made_again(self):
        self._callback(self.agent_a, 10, issue="回单慢", done=True)
        self.Callback.create(
            {
                "partner_id": self.customer.id,
                "date": self.today - timedelta(days=3),
                "callback_type": "manager",
                "user_id": self.manager.id,
            }
        )
        second = self._callback(self.agent_a, 0, issue="货损")
        self.assertFalse(
            self.Callback.with_user(self.agent_a).search(
                [("callback_type", "=", "manager")]
            ),
            "the agent of branch A does not see the manager's callbacks",
        )
        self._assert_escalated_once(self._done_by_agent_a(second), second)
