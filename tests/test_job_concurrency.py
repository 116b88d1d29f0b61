# Copyright 2026 customer_care contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Two runs of a job at the same moment, each in a transaction of its own
(the scheduled action in a cron worker, "Run manually" in an HTTP worker, or
two nodes): the database keeps either from doing a thing twice or losing the
other's work (models/customer_care_job.py, issue 16).

Each test commits its data through cursors of its own, starts two threads
that take their snapshot, meet at a barrier and run the job, then counts
what they left. A run that loses the race rolls back with PostgreSQL's
serialization or unique-key error, as Odoo's cron and HTTP layers expect
(the HTTP layer retries the request). The data is removed at the end."""

import importlib.util
import threading
from datetime import date, timedelta
from pathlib import Path

import psycopg2.errors

from odoo import SUPERUSER_ID, api, fields
from odoo.modules.registry import Registry
from odoo.tests.common import BaseCase, TransactionCase, get_db_name, tagged
from odoo.tools import mute_logger

CONFLICTS = (psycopg2.errors.SerializationFailure, psycopg2.errors.UniqueViolation)
REPORT = "customer_care.action_report_complaint_monthly_analysis"
TEMPLATE = "customer_care.mail_template_complaint_monthly_analysis"
MONTH = date(2001, 2, 1)  # a month no other test mails


@tagged("post_install", "-at_install")
class TestJobConcurrency(BaseCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.registry = Registry(get_db_name())
        cls.addClassCleanup(cls._remove_data)
        with cls.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            cls.company_id = env.company.id
            cr.execute("SELECT COALESCE(MAX(id), 0) FROM mail_message")
            cls.last_message_id = cr.fetchone()[0]
            admin = env.ref("base.user_admin")
            customers = env["res.partner"].create(
                [
                    {
                        "name": f"并发任务 客户{i}",
                        "is_company": True,
                        "care_agent_id": admin.id,
                    }
                    for i in range(3)
                ]
            )
            cls.customer_ids = customers.ids
            cls.cadence_id = env.ref("customer_care.cadence_ordinary_phone").id
            team = env["helpdesk.ticket.team"].create(
                {"name": "并发任务 投诉组", "user_id": admin.id}
            )
            cls.team_id = team.id
            ticket = env["helpdesk.ticket"].create(
                {
                    "team_id": team.id,
                    "name": "并发任务 送货延误",
                    "description": "<p>送货延误</p>",
                    "partner_id": customers[0].id,
                    "care_is_complaint": True,
                    "care_received_at": fields.Datetime.now() - timedelta(days=20),
                    "care_category": "service_quality",
                }
            )
            cls.ticket_id = ticket.id
        # what the runs render, compiled once here: templates compiled by
        # two threads at once can hit a CPython 3.11.7 bug
        with cls.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env.company._care_mail_monthly_report(REPORT, TEMPLATE, MONTH, "warm.pdf")
            cr.rollback()

    @classmethod
    def _remove_data(cls):
        with cls.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            ticket = env["helpdesk.ticket"].browse(cls.ticket_id).exists()
            env["mail.activity"].search(
                [("res_model", "=", "helpdesk.ticket"), ("res_id", "=", ticket.id)]
            ).unlink()
            ticket.care_deadline_ids.sudo().unlink()
            # a registered complaint is never deleted: this one was a test's
            cr.execute(
                "UPDATE helpdesk_ticket SET care_is_complaint = FALSE WHERE id = %s",
                [cls.ticket_id],
            )
            env.invalidate_all()
            ticket.unlink()
            env["helpdesk.ticket.team"].browse(cls.team_id).unlink()
            env["customer.care.callback"].with_context(active_test=False).search(
                [("partner_id", "in", cls.customer_ids)]
            ).unlink()
            env["res.partner"].browse(cls.customer_ids).unlink()
            # the mails of the monthly report, made by the runs
            messages = env["mail.message"].search(
                [
                    ("model", "=", "res.company"),
                    ("id", ">", cls.last_message_id),
                ]
            )
            env["mail.mail"].search([("mail_message_id", "in", messages.ids)]).unlink()
            messages.exists().unlink()
            key = f"{REPORT} {MONTH:%Y-%m}"
            env["ir.attachment"].search([("description", "=", key)]).unlink()
            env["customer.care.job.run"].search([("key", "like", key)]).unlink()

    def _twice(self, job):
        """Run ``job(env)`` in two transactions at once; the outcomes of
        both: ("ok", result), ("conflict", error) or ("unexpected", error)."""
        barrier = threading.Barrier(2, timeout=60)
        outcomes = [None, None]

        def run(index):
            with self.registry.cursor() as cr:
                # Odoo's runner holds the registry lock while the tests run:
                # a transaction of its own without asking for the registry
                cr.transaction = api.Transaction(self.registry)
                env = api.Environment(cr, SUPERUSER_ID, {})
                cr.execute("SELECT 1")  # both snapshots taken before either works
                barrier.wait()
                try:
                    outcomes[index] = ("ok", job(env))
                    env.flush_all()  # committed when the cursor closes
                except CONFLICTS as error:
                    cr.rollback()
                    outcomes[index] = ("conflict", error)
                except Exception as error:  # noqa: BLE001 - reported below
                    cr.rollback()
                    outcomes[index] = ("unexpected", error)

        threads = [
            threading.Thread(target=run, args=(i,), name=f"care_job_{i}")
            for i in range(2)
        ]
        # the loser's query is logged as a "bad query": it is the expected
        # outcome here, not an error of the run
        with mute_logger("odoo.sql_db"):
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(120)
        self.assertFalse([o for o in outcomes if not o or o[0] == "unexpected"])
        self.assertIn("ok", [o[0] for o in outcomes], outcomes)
        return outcomes

    def _count(self, query, *args):
        with self.registry.cursor() as cr:
            cr.execute(query, args)
            return cr.fetchone()[0]

    def test_a_callback_is_generated_once_per_customer_cadence_and_day(self):
        today = date(2001, 3, 5)
        pairs = [(customer, self.cadence_id) for customer in self.customer_ids]

        def generate(env):
            return len(env["customer.care.callback"]._care_insert_due(today, pairs))

        self._twice(generate)
        self.assertEqual(
            self._count(
                "SELECT count(*) FROM customer_care_callback "
                "WHERE partner_id = ANY(%s) AND cadence_id = %s AND date = %s",
                self.customer_ids,
                self.cadence_id,
                today,
            ),
            3,
        )

    def test_a_monthly_report_is_mailed_once(self):
        def mail(env):
            return env.company._care_mail_monthly_report(
                REPORT, TEMPLATE, MONTH, "Complaint Analysis.pdf"
            ).ids

        self._twice(mail)
        self.assertEqual(
            self._count(
                "SELECT count(*) FROM ir_attachment WHERE description = %s",
                f"{REPORT} {MONTH:%Y-%m}",
            ),
            1,
        )

    def test_a_missed_deadline_is_escalated_once(self):
        def escalate(env):
            missed, _more = env["helpdesk.ticket"]._care_escalate_missed_deadlines(
                tickets=env["helpdesk.ticket"].browse(self.ticket_id)
            )
            return missed.ids

        outcomes = self._twice(escalate)
        escalated = [o[1] for o in outcomes if o[0] == "ok"]
        # the first deadlines of the complaint received 20 days ago are missed
        self.assertTrue(any(escalated), outcomes)
        ids = [i for run in escalated for i in run]
        self.assertEqual(len(ids), len(set(ids)), "no deadline escalated twice")
        self.assertEqual(
            self._count(
                "SELECT count(*) FROM mail_activity "
                "WHERE res_model = 'helpdesk.ticket' AND res_id = %s",
                self.ticket_id,
            ),
            1,
            "one activity for the manager, naming every missed step",
        )


MIGRATION = (
    Path(__file__).resolve().parent.parent
    / "migrations"
    / "18.0.1.3.0"
    / "pre-migration.py"
)


@tagged("post_install", "-at_install")
class TestUpgradeDuplicates(TransactionCase):
    """A database that overlapping runs gave duplicates upgrades to the
    unique indexes without losing a record (migrations/18.0.1.3.0)."""

    def _migration(self):
        spec = importlib.util.spec_from_file_location("care_pre_1_3", MIGRATION)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module

    def test_duplicates_are_kept_outside_the_indexes(self):
        cr = self.env.cr
        # the database of an earlier release: no unique indexes yet (the
        # test's transaction gives them back)
        cr.execute("DROP INDEX customer_care_callback_generated_unique")
        cr.execute("DROP INDEX customer_care_pickup_voucher_active_unique")
        customer = self.env["res.partner"].create(
            {"name": "重复回访 客户", "is_company": True}
        )
        cadence = self.env.ref("customer_care.cadence_ordinary_phone")
        callbacks = self.env["customer.care.callback"].create(
            [
                {
                    "partner_id": customer.id,
                    "date": "2026-11-02",
                    "summary": f"第{i}次",
                    "user_id": self.env.ref("base.user_admin").id,
                }
                for i in range(3)
            ]
        )
        callbacks.flush_recordset()
        cr.execute(
            "UPDATE customer_care_callback SET cadence_id = %s WHERE id = ANY(%s)",
            [cadence.id, callbacks.ids],
        )
        module = self._migration()
        module.resolve_duplicate_callbacks(cr)
        module.resolve_duplicate_vouchers(cr)
        self.env.invalidate_all()
        self.assertEqual(len(callbacks.exists()), 3, "nothing deleted")
        self.assertEqual(callbacks.mapped("cadence_id.id"), [cadence.id])
        self.assertEqual(callbacks.sorted("id")[0].cadence_id, cadence)
        self.assertEqual(callbacks.mapped("summary"), ["第0次", "第1次", "第2次"])
        # the index can be made now
        self.env["customer.care.callback"].init()
        self.env["customer.care.pickup.voucher"].init()


@tagged("post_install", "-at_install")
class TestGeneratedIndex(TransactionCase):
    """The unique index of generated callbacks counts the live ones only."""

    def test_a_cancelled_callback_leaves_its_day_free(self):
        customer = self.env["res.partner"].create(
            {"name": "取消回访 客户", "is_company": True}
        )
        cadence = self.env.ref("customer_care.cadence_ordinary_phone")
        values = {
            "partner_id": customer.id,
            "date": "2026-11-02",
            "cadence_id": cadence.id,
            "user_id": self.env.ref("base.user_admin").id,
        }
        Callback = self.env["customer.care.callback"]
        first = Callback.create(values)
        first.action_cancel()
        first.flush_recordset()
        self.assertEqual(first.state, "cancelled")
        again = Callback.create(values)
        again.flush_recordset()
        self.assertEqual(again.state, "planned")
        with mute_logger("odoo.sql_db"), self.assertRaises(psycopg2.IntegrityError):
            with self.env.cr.savepoint():
                Callback.create(values).flush_recordset()
