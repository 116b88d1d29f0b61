# Copyright 2026 customer_care contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The quarterly staff evaluation and the complaint delay ledger (issue 15)."""

import importlib.util
from datetime import date, datetime
from pathlib import Path

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import HttpCase, TransactionCase, tagged

from .common import (
    CareApiMixin,
    CareUsersMixin,
    WarmUpMixin,
    ensure_lang,
    recorded,
    shanghai_calendar,
)


class EvaluationFixture(CareUsersMixin):
    """2026 Q3, counted by hand for the agent ``care_agent``:

    - 10 July, done that day, score 4: due, on time, same day
    - 5 August, done that day, score 2: due, on time, same day
    - 20 August, done on 25 August, score 5: due, late
    - 1 September, not reached: due
    - 2 September, cancelled: not due
    - 2 October: another quarter

    so 4 due, 2 on time, 2 the same day (50 %), score (4 + 2 + 5) / 3;
    1 issue fed back; 1 complaint about the agent, handled by the officer,
    whose missed deadlines go to the delay ledger."""

    @classmethod
    def _setup_fixture(cls):
        cls._create_care_users()
        cls.company = cls.env.company
        cls.company.write(
            {
                "resource_calendar_id": shanghai_calendar(cls.env).id,
                "care_callback_manager_id": cls.users["callback_manager"].id,
                "care_complaint_manager_id": cls.users["complaint_manager"].id,
                "care_general_manager_id": cls.users["gm"].id,
            }
        )
        cls.agent = cls.users["agent"]
        cls.officer = cls.users["officer"]
        cls.env.ref("customer_care.team_complaint").user_ids = [
            Command.link(cls.officer.id)
        ]
        cls.customer = cls.env["res.partner"].create(
            {"name": "联华超市", "is_company": True}
        )
        Callback = cls.env["customer.care.callback"]

        def callback(day, score=None):
            record = Callback.create(
                {"partner_id": cls.customer.id, "date": day, "user_id": cls.agent.id}
            )
            if score:
                recorded(record, score)
            return record

        cls.c1 = callback(date(2026, 7, 10), "4")
        cls.c2 = callback(date(2026, 8, 5), "2")
        cls.c3 = callback(date(2026, 8, 20), "5")
        cls.c4 = callback(date(2026, 9, 1))
        cls.c5 = callback(date(2026, 9, 2))
        cls.c6 = callback(date(2026, 10, 2), "3")
        for record, when in (
            (cls.c1, "2026-07-10 04:00:00"),
            (cls.c2, "2026-08-05 04:00:00"),
            (cls.c3, "2026-08-25 04:00:00"),
            (cls.c6, "2026-10-02 04:00:00"),
        ):
            with freeze_time(when):
                record.action_done()
        cls.c4.action_missed()
        cls.c5.action_cancel()
        cls.env["customer.care.callback.issue"].sudo().create(
            {
                "name": "回单慢",
                "callback_id": cls.c1.id,
                "owner_id": cls.agent.id,
                "state": "fed_back",
                "feedback_callback_id": cls.c2.id,
            }
        )
        cls.ticket = cls._complaint(datetime(2026, 8, 3, 2, 0), cls.agent)
        with freeze_time("2026-08-20 04:00:00"):
            cls.env["helpdesk.ticket"]._cron_complaint_escalation()
        cls.Evaluation = cls.env["customer.care.evaluation"]

    @classmethod
    def _complaint(cls, received, complained=None):
        with freeze_time(received.replace(minute=1)):
            return cls.env["helpdesk.ticket"].create(
                {
                    "name": "送货延误",
                    "description": "<p>客户投诉回访员态度差。</p>",
                    "partner_id": cls.customer.id,
                    "team_id": cls.env.ref("customer_care.team_complaint").id,
                    "care_is_complaint": True,
                    "care_received_at": received,
                    "care_category": "service_quality",
                    "user_id": cls.officer.id,
                    "care_complained_user_id": complained and complained.id,
                }
            )

    def _prepare(self):
        return self.Evaluation.sudo()._care_prepare(self.company, 2026, "3")

    def _evaluation(self, user, kind):
        return self.Evaluation.sudo().search(
            [("user_id", "=", user.id), ("kind", "=", kind), ("year", "=", 2026)]
        )


@tagged("post_install", "-at_install")
class TestEvaluation(EvaluationFixture, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_fixture()

    def test_figures_against_hand_counted_data(self):
        self._prepare()
        evaluation = self._evaluation(self.agent, "agent")
        self.assertEqual(len(evaluation), 1)
        self.assertRecordValues(
            evaluation,
            [
                {
                    "quarter": "3",
                    "callback_due_count": 4,
                    "callback_on_time_count": 2,
                    "same_day_count": 2,
                    "same_day_rate": 50.0,
                    "issue_fed_back_count": 1,
                    "complaint_count": 1,
                    "delay_count": 0,
                    "manager_id": self.users["callback_manager"].id,
                    "state": "draft",
                }
            ],
        )
        self.assertAlmostEqual(evaluation.callback_score, 11 / 3, places=2)
        service = self._evaluation(self.officer, "service")
        missed = self.ticket.care_deadline_ids.filtered("escalated")
        self.assertTrue(missed)
        self.assertEqual(service.service_count, 1)
        self.assertEqual(service.delay_count, len(missed))
        self.assertEqual(service.manager_id, self.users["complaint_manager"])

    def test_preparing_twice_creates_nothing_new(self):
        first = self._prepare()
        self.assertTrue(first)
        self.assertFalse(self._prepare())
        self.assertEqual(
            self.Evaluation.sudo().search_count(
                [
                    ("year", "=", 2026),
                    ("quarter", "=", "3"),
                    ("user_id", "=", self.agent.id),
                ]
            ),
            1,
        )

    def test_delay_ledger_names_who_was_responsible(self):
        Delay = self.env["customer.care.complaint.delay"]
        lines = Delay.search([("ticket_id", "=", self.ticket.id)])
        missed = self.ticket.care_deadline_ids.filtered("escalated")
        self.assertEqual(len(lines), len(missed))
        self.assertEqual(lines.user_id, self.officer)
        self.assertTrue(all(line.hours_late > 0 for line in lines))
        # met late later: the same line, with the date it was met
        self.ticket.user_id = self.users["complaint_manager"]
        with freeze_time("2026-08-21 04:00:00"):
            missed[:1]._care_mark_done()
        lines = Delay.search([("ticket_id", "=", self.ticket.id)])
        self.assertEqual(len(lines), len(missed))
        self.assertEqual(lines.user_id, self.officer)
        self.assertTrue(lines.filtered("done_date"))

    def test_deadline_met_late_without_escalation_is_recorded(self):
        Delay = self.env["customer.care.complaint.delay"]
        ticket = self._complaint(datetime(2026, 8, 10, 2, 0))
        deadline = ticket.care_deadline_ids.sorted("deadline")[:1]
        self.assertTrue(deadline)
        self.assertFalse(Delay.search([("ticket_id", "=", ticket.id)]))
        with freeze_time("2026-09-01 04:00:00"):
            deadline._care_mark_done()
        line = Delay.search([("ticket_id", "=", ticket.id)])
        self.assertEqual(line.deadline_id, deadline)
        self.assertEqual(line.user_id, self.officer)
        self.assertTrue(line.done_date)
        # met on time: no line
        other = self._complaint(datetime(2026, 8, 10, 2, 0))
        with freeze_time("2026-08-10 02:30:00"):
            other.care_deadline_ids.sorted("deadline")[:1]._care_mark_done()
        self.assertFalse(Delay.search([("ticket_id", "=", other.id)]))

    def test_rating_outside_the_scale_is_refused(self):
        evaluation = self._prepare().filtered(lambda e: e.user_id == self.agent)
        manager = self.users["callback_manager"]
        with self.assertRaisesRegex(ValidationError, "between 1 and 5"):
            evaluation.with_user(manager).rating = 6
        self.company.care_evaluation_scale = 10
        evaluation.with_user(manager).rating = 8
        self.assertEqual(evaluation.rating, 8)

    def test_confirmed_evaluation_is_read_only(self):
        evaluation = self._prepare().filtered(lambda e: e.user_id == self.agent)
        manager = self.users["callback_manager"]
        with self.assertRaisesRegex(UserError, "rating"):
            evaluation.with_user(manager).action_confirm()
        evaluation.with_user(manager).write({"rating": 4, "comment": "认真负责"})
        self.assertIs(evaluation.with_user(manager).action_confirm(), True)
        self.assertEqual(evaluation.state, "confirmed")
        self.assertFalse(evaluation.activity_ids)
        with self.assertRaisesRegex(UserError, "confirmed"):
            evaluation.with_user(manager).write({"rating": 5})
        with self.assertRaises(UserError):
            evaluation.with_user(manager).write({"comment": "改"})
        self.assertEqual(evaluation.rating, 4)

    def test_cron_prepares_the_previous_quarter_on_the_companys_day(self):
        bot = self.env.ref("base.user_root")
        bot.tz = "America/Los_Angeles"
        manager = self.users["callback_manager"]
        manager.lang = "en_US"
        cron = self.env.ref("customer_care.ir_cron_evaluation_prepare")
        # 1 October 01:00 in Shanghai, still 30 September for OdooBot
        with freeze_time("2026-09-30 17:00:00"):
            cron.method_direct_trigger()
        evaluation = self._evaluation(self.agent, "agent")
        self.assertEqual(evaluation.quarter, "3")
        activity = evaluation.activity_ids
        self.assertEqual(activity.user_id, manager)
        self.assertEqual(activity.date_deadline, date(2026, 10, 1))
        self.assertIn(self.agent.name, activity.summary)
        # a day later than the setting's first days: nothing more
        self.company.care_evaluation_days = 1
        with freeze_time("2026-10-02 04:00:00"):
            count = self.Evaluation.sudo().search_count([])
            cron.method_direct_trigger()
            self.assertEqual(self.Evaluation.sudo().search_count([]), count)


@tagged("post_install", "-at_install")
class TestEvaluationAccess(EvaluationFixture, CareApiMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_fixture()
        cls.evaluations = cls.Evaluation.sudo()._care_prepare(cls.company, 2026, "3")
        cls.mine = cls.evaluations.filtered(lambda e: e.user_id == cls.agent)
        cls.other = cls.evaluations.filtered(lambda e: e.user_id == cls.officer)

    def test_person_reads_own_not_another(self):
        self.api_as(self.agent)
        found = self.api("customer.care.evaluation", "search_read", [], ["user_id"])
        self.assertEqual([row["id"] for row in found], self.mine.ids)
        self.api_refused("customer.care.evaluation", "read", self.other.ids, ["rating"])

    def test_person_cannot_rate_or_confirm_himself(self):
        self.api_as(self.agent)
        self.api_refused(
            "customer.care.evaluation", "write", self.mine.ids, {"rating": 5}
        )
        self.api_refused("customer.care.evaluation", "action_confirm", self.mine.ids)
        self.api_refused(
            "customer.care.evaluation", "write", self.mine.ids, {"state": "confirmed"}
        )
        self.assertEqual(self.mine.state, "draft")
        self.assertFalse(self.mine.rating)

    def test_manager_rates_and_confirms(self):
        self.api_as(self.users["callback_manager"])
        error = self.api_refused(
            "customer.care.evaluation", "write", self.mine.ids, {"state": "confirmed"}
        )
        self.assertIn("Confirm", error["message"])
        self.api(
            "customer.care.evaluation",
            "write",
            self.mine.ids,
            {"rating": 4, "comment": "按时回访"},
        )
        self.assertIs(
            self.api("customer.care.evaluation", "action_confirm", self.mine.ids), True
        )
        self.assertEqual(self.mine.state, "confirmed")
        self.api_refused(
            "customer.care.evaluation", "write", self.mine.ids, {"rating": 2}
        )
        # the callback manager does not see the service persons' evaluations
        self.api_refused("customer.care.evaluation", "read", self.other.ids, ["rating"])

    def test_complaint_manager_reads_the_delay_ledger(self):
        self.api_as(self.users["complaint_manager"])
        rows = self.api(
            "customer.care.complaint.delay",
            "search_read",
            [("ticket_id", "=", self.ticket.id)],
            ["user_id"],
        )
        self.assertTrue(rows)
        self.api_as(self.agent)
        self.api_refused(
            "customer.care.complaint.delay", "search_read", [], ["user_id"]
        )

    def test_yearly_summary_pdf_renders(self):
        html, _kind = self.env["ir.actions.report"]._render_qweb_html(
            "customer_care.action_report_evaluation_yearly", self.evaluations.ids
        )
        self.assertIn(self.agent.name, html.decode())
        for url in self.env["ir.qweb"]._get_asset_link_urls("web.report_assets_common"):
            self.assertEqual(self.url_open(url).status_code, 200)
        pdf, _format = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(
                "customer_care.action_report_evaluation_yearly", self.evaluations.ids
            )
        )
        self.assertTrue(pdf.startswith(b"%PDF"))


@tagged("post_install", "-at_install")
class TestEvaluationTour(WarmUpMixin, HttpCase):
    """李强 (zh_CN demo callback manager) rates and confirms 王芳's quarter."""

    def test_callback_manager_confirms_an_evaluation(self):
        ensure_lang(self.env, "zh_CN")
        evaluation = self.env.ref("customer_care.evaluation_agent_last_quarter")
        self.assertEqual(evaluation.state, "draft")
        manager = self.env.ref("customer_care.user_callback_manager")
        self.start_tour(
            "/odoo/action-customer_care.customer_care_evaluation_action",
            "customer_care_evaluation_tour",
            login=manager.login,
            timeout=180,
        )
        self.env.invalidate_all()
        self.assertEqual(evaluation.state, "confirmed")
        self.assertEqual(evaluation.rating, 4)
        self.assertIn("日清日结", evaluation.comment)


@tagged("post_install", "-at_install")
class TestUpgradeDoneDates(TransactionCase):
    """A database from before 18.0.1.3.0 gets the done day of its done
    callbacks (migrations/18.0.1.3.0/post-migration.py)."""

    def _migration(self):
        path = Path(__file__).parent.parent / "migrations/18.0.1.3.0/post-migration.py"
        spec = importlib.util.spec_from_file_location("care_post_1_3", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module

    def test_done_callbacks_get_their_day(self):
        customer = self.env["res.partner"].create(
            {"name": "升级 客户", "is_company": True}
        )
        Callback = self.env["customer.care.callback"]
        on_day, late = Callback.create(
            [
                {"partner_id": customer.id, "date": "2026-11-02"},
                {"partner_id": customer.id, "date": "2026-10-28"},
            ]
        )
        (on_day | late).flush_recordset()
        cr = self.env.cr
        # as an older release left them: done, without the day
        cr.execute(
            """
            UPDATE customer_care_callback
               SET state = 'done', care_done_date = NULL, care_done_late = NULL,
                   care_done_on_time = FALSE, care_done_same_day = FALSE,
                   write_date = '2026-11-02 03:00:00'
             WHERE id = ANY(%s)
            """,
            [(on_day | late).ids],
        )
        self._migration().fill_done_dates(cr)
        self.env.invalidate_all()
        # 03:00 UTC is 2 November in the company's day
        self.assertEqual(str(on_day.care_done_date), "2026-11-02")
        self.assertTrue(on_day.care_done_on_time)
        self.assertTrue(on_day.care_done_same_day)
        self.assertTrue(late.care_done_late)
        self.assertFalse(late.care_done_on_time)
