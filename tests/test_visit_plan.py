# Copyright 2026 customer_care contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The key-account visit plan (seed 001 四.10), as its people meet it over
JSON-RPC: the sales manager drafts and sends it, the general manager (never
the one who sent it) approves it, and only then are the visits planned as
on-site callbacks of their months."""

from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from .common import CareApiMixin, CareUsersMixin

PLAN = "customer.care.visit.plan"
LINE = "customer.care.visit.plan.line"


@tagged("post_install", "-at_install")
class TestVisitPlan(CareApiMixin, CareUsersMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._create_care_users()
        cls.company = cls.env.company
        cls.company.care_general_manager_id = cls.users["gm"]
        cls.sales_manager = new_test_user(
            cls.env,
            login="care_visit_sales_manager",
            password="care_visit_sales_manager",
            groups="sales_team.group_sale_manager",
            name="吴刚",
            lang="zh_CN",
            tz="Asia/Shanghai",
        )
        cls.salesperson = new_test_user(
            cls.env,
            login="care_visit_salesperson",
            password="care_visit_salesperson",
            groups="sales_team.group_sale_salesman",
            name="周婷",
        )
        # a general manager who also manages the sales: may draft, never
        # approve what he sent himself
        cls.gm_sales = new_test_user(
            cls.env,
            login="care_visit_gm_sales",
            password="care_visit_gm_sales",
            groups="customer_care.group_general_manager,sales_team.group_sale_manager",
            name="孙建国",
        )
        key = cls.env.ref("customer_care.segment_key_account")
        cls.key_accounts = cls.env["res.partner"].create(
            [
                {
                    "name": name,
                    "is_company": True,
                    "care_segment_ids": [Command.set(key.ids)],
                }
                for name in ("青岛海达机电", "济南鑫源建材")
            ]
        )
        # the year after the demo plan's
        cls.year = cls.company._care_today().year + 2

    def _draft(self, user=None, lines=None):
        """A plan for next year drafted over JSON-RPC by ``user`` (the sales
        manager), with a first visit of each key account by default."""
        self.api_as(user or self.sales_manager)
        lines = lines or [
            {
                "partner_id": partner.id,
                "visit": "1",
                "month": f"{self.year}-{3 + n:02d}-01",
                "user_ids": [Command.set([(user or self.sales_manager).id])],
            }
            for n, partner in enumerate(self.key_accounts)
        ]
        [plan] = self.api(
            PLAN,
            "web_save",
            [],
            {"year": self.year, "line_ids": [Command.create(line) for line in lines]},
            specification={"state": {}},
        )
        return self.env[PLAN].browse(plan["id"])

    def _callbacks(self, plan):
        return self.env["customer.care.callback"].search(
            [("origin_ref", "in", [f"{LINE},{line.id}" for line in plan.line_ids])]
        )

    def test_approval_plans_the_visits_and_only_then(self):
        plan = self._draft()
        self.api(PLAN, "action_request", [plan.id])
        self.assertEqual(plan.state, "requested")
        self.assertEqual(plan.sent_to_ids, self.users["gm"])
        self.assertFalse(self._callbacks(plan), "nothing planned before approval")
        self.api_as(self.users["gm"])
        self.assertIs(self.api(PLAN, "action_approve", [plan.id]), True)
        plan.invalidate_recordset()
        callbacks = self._callbacks(plan)
        self.assertEqual(len(callbacks), 2)
        self.assertEqual(set(callbacks.mapped("method")), {"onsite"})
        self.assertEqual(
            sorted(callbacks.mapped("date")),
            [date(self.year, 3, 1), date(self.year, 4, 1)],
        )
        self.assertEqual(callbacks.user_id, self.sales_manager)
        # the visitor's summary in his language
        self.assertEqual(
            set(callbacks.mapped("summary")), {f"重点客户走访 {self.year}"}
        )
        self.assertEqual(plan.line_ids.mapped("visit_state"), ["planned", "planned"])

    def test_progress_counts_done_and_overdue(self):
        plan = self._draft()
        self.api(PLAN, "action_request", [plan.id])
        self.api_as(self.users["gm"])
        self.api(PLAN, "action_approve", [plan.id])
        first, second = plan.line_ids.sorted("month")
        contact = self.env["res.partner"].create(
            {"name": "王经理", "parent_id": first.partner_id.id}
        )
        with freeze_time(f"{self.year}-03-05 04:00:00"):
            first.callback_id.write(
                {
                    "contact_id": contact.id,
                    "score_overall": "5",
                    "opinion": "希望增加供货",
                }
            )
            first.callback_id.action_done()
        # the second visit's month (April) is over in May
        with freeze_time(f"{self.year}-05-02 04:00:00"):
            plan.invalidate_recordset()
            plan.line_ids.invalidate_recordset()
            self.assertEqual(first.visit_state, "done")
            self.assertEqual(second.visit_state, "overdue")
            self.assertEqual(
                (plan.visit_count, plan.done_count, plan.overdue_count), (2, 1, 1)
            )
            self.assertEqual(plan.progress, 50.0)
        self.assertIn("希望增加供货", first.findings)

    def test_no_one_approves_his_own_plan(self):
        plan = self._draft(self.gm_sales)
        self.api(PLAN, "action_request", [plan.id])
        error = self.api_refused(PLAN, "action_approve", [plan.id])
        self.assertIn("another person", error["message"])
        self.assertEqual(plan.state, "requested")

    def test_the_sales_manager_neither_approves_nor_writes_the_state(self):
        plan = self._draft()
        self.api(PLAN, "action_request", [plan.id])
        gm = self.users["gm"]
        # another sales manager presses Approve, then writes the state
        other = new_test_user(
            self.env,
            login="care_visit_sales_manager_2",
            password="care_visit_sales_manager_2",
            groups="sales_team.group_sale_manager",
        )
        self.api_as(other)
        error = self.api_refused(PLAN, "action_approve", [plan.id])
        self.assertIn("general manager", error["message"])
        self.api_refused(PLAN, "write", [plan.id], {"state": "approved"})
        self.api_refused(PLAN, "write", [plan.id], {"approver_id": gm.id})
        self.assertEqual(plan.state, "requested")
        self.assertFalse(self._callbacks(plan))

    def test_a_salesperson_drafts_no_plan(self):
        self.api_as(self.salesperson)
        error = self.api_refused(PLAN, "create", {"year": self.year})
        self.assertEqual(error["name"], "odoo.exceptions.AccessError")

    def test_the_visits_of_a_sent_plan_are_not_changed(self):
        plan = self._draft()
        self.api(PLAN, "action_request", [plan.id])
        line = plan.line_ids[0]
        error = self.api_refused(
            LINE, "write", [line.id], {"month": f"{self.year}-12-01"}
        )
        self.assertIn("draft", error["message"])
        self.api_refused(LINE, "unlink", [line.id])
        self.api_refused(
            PLAN,
            "write",
            [plan.id],
            {
                "line_ids": [
                    Command.create(
                        {
                            "partner_id": self.key_accounts[0].id,
                            "visit": "2",
                            "month": f"{self.year}-10-01",
                            "user_ids": [Command.set([self.sales_manager.id])],
                        }
                    )
                ]
            },
        )
        self.assertEqual(len(plan.line_ids), 2)
        self.api_refused(LINE, "write", [line.id], {"callback_id": False})

    def test_a_visits_callback_is_not_written_by_hand(self):
        plan = self._draft()
        callback = self.env["customer.care.callback"].create(
            {"partner_id": self.key_accounts[0].id, "date": f"{self.year}-03-01"}
        )
        error = self.api_refused(
            LINE, "write", plan.line_ids[:1].ids, {"callback_id": callback.id}
        )
        self.assertIn("approval", error["message"])

    # ------------------------------------------------------------
    # bad input
    # ------------------------------------------------------------

    def test_a_plan_for_a_past_year_is_refused(self):
        self.api_as(self.sales_manager)
        error = self.api_refused(
            PLAN, "create", {"year": self.company._care_today().year - 1}
        )
        self.assertIn("not for", error["message"])
        self.assertFalse(self.env[PLAN].search([("year", "<", self.year - 1)]))

    def test_a_visit_outside_the_plans_year_is_refused(self):
        self.api_as(self.sales_manager)
        error = self.api_refused(
            PLAN,
            "create",
            {
                "year": self.year,
                "line_ids": [
                    Command.create(
                        {
                            "partner_id": self.key_accounts[0].id,
                            "month": f"{self.year + 1}-01-01",
                            "user_ids": [Command.set([self.sales_manager.id])],
                        }
                    )
                ],
            },
        )
        self.assertIn("outside the plan's year", error["message"])
        self.assertFalse(self.env[PLAN].search([("year", "=", self.year)]))

    def test_a_customer_twice_as_the_same_visit_is_refused(self):
        partner = self.key_accounts[0]
        line = {
            "partner_id": partner.id,
            "visit": "1",
            "user_ids": [Command.set([self.sales_manager.id])],
        }
        self.api_as(self.sales_manager)
        # refused by the database's unique key: not logged as an error
        with mute_logger("odoo.sql_db"):
            error = self.api_refused(
                PLAN,
                "create",
                {
                    "year": self.year,
                    "line_ids": [
                        Command.create(dict(line, month=f"{self.year}-03-01")),
                        Command.create(dict(line, month=f"{self.year}-09-01")),
                    ],
                },
            )
        # the database's own refusal is in the user's language
        self.assertRegex(error["message"], "twice|重复")
        # a second visit without a first one
        error = self.api_refused(
            PLAN,
            "create",
            {
                "year": self.year,
                "line_ids": [
                    Command.create(dict(line, visit="2", month=f"{self.year}-09-01"))
                ],
            },
        )
        self.assertIn("without a first", error["message"])
        # the first and the second visit: accepted
        plan = self._draft(
            lines=[
                dict(line, month=f"{self.year}-03-01"),
                dict(line, visit="2", month=f"{self.year}-09-01"),
            ]
        )
        self.assertEqual(len(plan.line_ids), 2)

    def test_a_plan_without_visitors_is_not_sent(self):
        plan = self._draft(
            lines=[
                {
                    "partner_id": self.key_accounts[0].id,
                    "month": f"{self.year}-03-01",
                }
            ]
        )
        error = self.api_refused(PLAN, "action_request", [plan.id])
        self.assertIn(self.key_accounts[0].name, error["message"])
        self.assertEqual(plan.state, "draft")

    def test_the_key_accounts_are_proposed(self):
        plan = self._draft(
            lines=[
                {
                    "partner_id": self.key_accounts[0].id,
                    "month": f"{self.year}-03-01",
                    "user_ids": [Command.set([self.sales_manager.id])],
                }
            ]
        )
        self.assertIs(self.api(PLAN, "action_propose_customers", [plan.id]), True)
        self.assertIn(self.key_accounts[1], plan.line_ids.partner_id)
        self.assertEqual(
            len(
                plan.line_ids.filtered(
                    lambda line: line.partner_id == self.key_accounts[0]
                )
            ),
            1,
        )
        self.assertEqual({line.month.year for line in plan.line_ids}, {self.year})

    def test_the_visit_report_renders(self):
        plan = self._draft()
        self.api(PLAN, "action_request", [plan.id])
        self.api_as(self.users["gm"])
        self.api(PLAN, "action_approve", [plan.id])
        action = self.api(PLAN, "action_print", [plan.id])
        self.assertEqual(action["report_name"], "customer_care.report_visit_plan")
        html, _kind = self.env["ir.actions.report"]._render_qweb_html(
            "customer_care.action_report_visit_plan", plan.ids
        )
        self.assertIn(self.key_accounts[0].name, html.decode())
        pdf, kind = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf("customer_care.action_report_visit_plan", plan.ids)
        )
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
