# Copyright 2026 customer_care contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date
from unittest.mock import patch

from freezegun import freeze_time

from odoo import Command, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, TransactionCase, new_test_user, tagged
from odoo.tools import SQL, mute_logger

from .common import SEGMENT_CODES, CareUsersMixin, ensure_lang, recorded

MONDAY = date(2026, 11, 16)


class CallbackCase(CareUsersMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._create_care_users()
        cls.Callback = cls.env["customer.care.callback"]
        cls.Issue = cls.env["customer.care.callback.issue"]
        cls.company = cls.env.company
        cls.company.care_callback_manager_id = cls.users["callback_manager"]
        cls.company.care_default_agent_id = cls.users["agent"]
        cls.branch = cls.env["crm.team"].create(
            {"name": "华东分公司", "member_ids": [Command.link(cls.users["agent"].id)]}
        )
        cls.seg = {
            code: cls.env.ref(f"customer_care.segment_{code}")
            for code in (*SEGMENT_CODES, "top_dealer")
        }

    @classmethod
    def _customer(cls, name, *codes, **values):
        return cls.env["res.partner"].create(
            {
                "name": name,
                "is_company": True,
                "care_segment_ids": [Command.set([cls.seg[c].id for c in codes])],
                "care_branch_id": cls.branch.id,
                **values,
            }
        )

    def _generate(self, today):
        created = self.Callback.browse()
        more = True
        while more:
            batch, more = self.Callback._care_generate_due_callbacks(today=today)
            created |= batch
        return created

    def _of(self, callbacks, partner):
        return callbacks.filtered(lambda c: c.partner_id == partner)


@tagged("post_install", "-at_install")
class TestCadences(CallbackCase):
    def test_key_account_is_called_weekly_by_phone_and_written_monthly(self):
        customer = self._customer("海信电器", "key_account")
        first = self._of(self._generate(MONDAY), customer)
        self.assertEqual(set(first.mapped("method")), {"phone", "letter"})
        phone = first.filtered(lambda c: c.method == "phone")
        phone.write({"state": "done", "score_overall": "4"})
        self.assertFalse(self._of(self._generate(date(2026, 11, 22)), customer))
        again = self._of(self._generate(date(2026, 11, 24)), customer)
        self.assertEqual(again.mapped("method"), ["phone"])
        self.assertEqual(again.cadence_id, phone.cadence_id)

    def test_ordinary_customer_every_two_weeks_but_not_a_key_account(self):
        ordinary = self._customer("联华超市", "ordinary")
        both = self._customer("海信电器", "key_account", "ordinary")
        cadence = self.env.ref("customer_care.cadence_ordinary_phone")
        created = self._generate(MONDAY)
        self.assertEqual(self._of(created, ordinary).cadence_id & cadence, cadence)
        self.assertNotIn(cadence, self._of(created, both).cadence_id)
        self._of(created, ordinary).filtered(lambda c: c.cadence_id == cadence).write(
            {"state": "done"}
        )
        self.assertFalse(
            self._of(self._generate(date(2026, 11, 29)), ordinary).filtered(
                lambda c: c.cadence_id == cadence
            )
        )
        later = self._of(self._generate(date(2026, 12, 1)), ordinary)
        self.assertEqual(later.cadence_id & cadence, cadence)

    def test_each_segment_gets_its_method_and_type(self):
        cases = {
            "big": ("onsite", "cadence_big_onsite"),
            "very_big": ("onsite", "cadence_very_big_onsite"),
            "business_partner": ("phone", "cadence_business_partner"),
            "self_pickup": ("phone", "cadence_self_pickup"),
            "top_dealer": ("phone", "cadence_top_dealer"),
        }
        partners = {code: self._customer(f"客户 {code}", code) for code in cases}
        created = self._generate(MONDAY)
        for code, (method, xmlid) in cases.items():
            with self.subTest(segment=code):
                cadence = self.env.ref(f"customer_care.{xmlid}")
                callback = self._of(created, partners[code]).filtered(
                    lambda c, cad=cadence: c.cadence_id == cad
                )
                self.assertEqual(callback.method, method)
                self.assertEqual(callback.callback_type, cadence.callback_type)
        carrier = self._of(created, partners["business_partner"])
        self.assertEqual(carrier.callback_type, "partner")
        self.assertNotIn("letter", carrier.mapped("method"), "carriers get no letter")

    def test_quarterly_and_half_yearly_intervals(self):
        very_big = self._customer("国美电器", "very_big")
        big = self._customer("苏宁电器", "big")
        first = self._generate(MONDAY)
        (self._of(first, very_big) | self._of(first, big)).write({"state": "done"})
        in_two_months = self._generate(date(2027, 1, 20))
        self.assertFalse(
            self._of(in_two_months, very_big).filtered(lambda c: c.method == "onsite")
        )
        after_quarter = self._generate(date(2027, 2, 17))
        self.assertEqual(
            self._of(after_quarter, very_big)
            .filtered(lambda c: c.method == "onsite")
            .mapped("method"),
            ["onsite"],
        )
        self.assertFalse(
            self._of(after_quarter, big).filtered(lambda c: c.method == "onsite")
        )

    def test_customers_outside_segments_are_not_called(self):
        nobody = self.env["res.partner"].create({"name": "散客", "is_company": True})
        self.assertFalse(self._of(self._generate(MONDAY), nobody))

    def test_cadence_interval_must_be_positive(self):
        cadence = self.env.ref("customer_care.cadence_key_account_phone")
        for value in (0, -2):
            with self.subTest(value=value), self.assertRaises(ValidationError):
                cadence.interval_number = value
        self.assertEqual(cadence.interval_number, 1)


@tagged("post_install", "-at_install")
class TestGeneration(CallbackCase):
    def test_callbacks_go_to_the_agent_with_an_activity(self):
        customer = self._customer("联华超市", "ordinary", care_agent_id=False)
        customer.care_agent_id = self.users["callback_manager"]
        callbacks = self._of(self._generate(MONDAY), customer)
        self.assertEqual(callbacks.user_id, self.users["callback_manager"])
        self.assertEqual(callbacks.activity_ids.user_id, self.users["callback_manager"])
        self.assertEqual(len(callbacks.activity_ids), len(callbacks))
        self.assertEqual(set(callbacks.mapped("date")), {MONDAY})

    def test_without_an_agent_the_company_default_calls(self):
        customer = self._customer("杭州百大", "ordinary")
        callbacks = self._of(self._generate(MONDAY), customer)
        self.assertEqual(callbacks.user_id, self.users["agent"])

    def test_a_second_run_the_same_day_creates_nothing(self):
        self._customer("联华超市", "ordinary")
        self.assertTrue(self._generate(MONDAY))
        created, more = self.Callback._care_generate_due_callbacks(today=MONDAY)
        self.assertFalse(created)
        self.assertFalse(more)

    def test_batches_report_what_is_left(self):
        for i in range(3):
            self._customer(f"客户 {i}", "ordinary")
        self._generate(MONDAY)  # the demo customers
        for i in range(3):
            self._customer(f"新客户 {i}", "business_partner")
        first, more = self.Callback._care_generate_due_callbacks(today=MONDAY, limit=2)
        self.assertEqual(len(first), 2)
        self.assertTrue(more)
        second, more = self.Callback._care_generate_due_callbacks(today=MONDAY, limit=2)
        self.assertEqual(len(second), 1)
        self.assertFalse(more)

    def test_a_failing_customer_is_skipped_and_the_others_created(self):
        good = self._customer("联华超市", "business_partner")
        bad = self._customer("坏数据", "business_partner")
        # a rule of the database refuses the bad customer's callbacks: the
        # batch fails, then each callback is created on its own
        self.env.cr.execute(
            SQL(
                "ALTER TABLE customer_care_callback ADD CONSTRAINT test_refuse_bad"
                " CHECK (partner_id <> %s)",
                bad.id,
            )
        )
        with mute_logger(
            "odoo.sql_db", "odoo.addons.customer_care.models.customer_care_callback"
        ):
            created = self._generate(MONDAY)
        self.assertTrue(self._of(created, good).activity_ids)
        self.assertFalse(self._of(created, bad))
        self.assertFalse(self.Callback.search([("partner_id", "=", bad.id)]))

    def test_batches_write_what_the_orm_writes(self):
        """The set-based batch writes the same callbacks, activities and
        followers as ``create`` and ``mail.activity.create`` would."""
        customers = [
            self._customer("联华超市", "key_account"),
            self._customer("杭州百大", "dealer", care_agent_id=False),
        ]
        customers[0].care_agent_id = self.users["callback_manager"]
        pairs, _more = self.Callback._care_due_pairs(MONDAY, 1000)
        self.assertTrue(pairs)

        def rows(callbacks):
            def stored(records, skip):
                names = [
                    name
                    for name, field in records._fields.items()
                    if field.store
                    and field.column_type
                    and name not in skip
                    and name not in models.MAGIC_COLUMNS
                    and name not in ("create_date", "write_date", "id")
                ]
                return sorted(
                    tuple(str(rec[name]) for name in names)
                    for rec in records.read(names, load=None)
                )

            followers = callbacks.message_follower_ids
            return (
                stored(callbacks, {"message_main_attachment_id"}),
                stored(callbacks.activity_ids, {"res_id"}),
                sorted((f.partner_id.id, tuple(f.subtype_ids.ids)) for f in followers),
            )

        self.env.flush_all()  # the cadences' progress, as the generation does
        by_sql = self.Callback._care_insert_due(MONDAY, pairs)
        self.assertEqual(len(by_sql), len(pairs))
        sql_rows = rows(by_sql)
        # one generated callback per customer, cadence and day: the ORM's
        # are made once the batch's are gone
        by_sql.unlink()
        by_orm = self.Callback._care_create_isolated(
            self.Callback._care_due_vals(MONDAY, pairs)
        )
        by_orm._care_schedule_activities()
        self.env.flush_all()
        self.env.invalidate_all()

        self.assertEqual(sql_rows, rows(by_orm))

    def test_cron_notifies_its_progress(self):
        self._customer("联华超市", "ordinary")
        with (
            freeze_time("2026-11-16 08:00:00"),
            patch.object(type(self.env["ir.cron"]), "_notify_progress") as notify,
        ):
            self.Callback._cron_generate_callbacks()
        self.assertTrue(notify.call_args.kwargs["done"] > 0)


@tagged("post_install", "-at_install")
class TestEventTriggers(CallbackCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the credit checks (on out of the box), another feature, out of the
        # way: the new customers buy cash before goods
        cls.company.account_use_credit_limit = False
        cls.product = cls.env["product.product"].create(
            {
                "name": "空调 KFR-35",
                "type": "consu",
                "is_storable": True,
                "list_price": 100,
            }
        )

    def _order(self, partner):
        return self.env["sale.order"].create(
            {
                "partner_id": partner.id,
                "order_line": [
                    Command.create(
                        {"product_id": self.product.id, "product_uom_qty": 2}
                    )
                ],
            }
        )

    @freeze_time("2026-11-16")
    def test_first_callback_within_a_month_of_a_sale(self):
        customer = self._customer("苏州恒达", "dealer")
        order = self._order(customer)
        order.action_confirm()
        callback = self.Callback.search([("origin_ref", "=", f"sale.order,{order.id}")])
        self.assertEqual(callback.callback_type, "sale")
        self.assertEqual(callback.date, date(2026, 12, 16))
        self.assertEqual(
            callback.cadence_id, self.env.ref("customer_care.cadence_after_sale")
        )
        self._order(customer).action_confirm()
        self.assertEqual(
            self.Callback.search_count(
                [("partner_id", "=", customer.id), ("callback_type", "=", "sale")]
            ),
            1,
            "one open after-sale callback at a time",
        )

    def test_after_sale_callbacks_then_quarterly(self):
        customer = self._customer("苏州恒达", "dealer")
        with freeze_time("2026-11-16"):
            self._order(customer).action_confirm()
        first = self.Callback.search(
            [("partner_id", "=", customer.id), ("callback_type", "=", "sale")]
        )
        first.write({"date": date(2026, 11, 20), "state": "done"})
        cadence = self.env.ref("customer_care.cadence_after_sale")
        early = self._of(self._generate(date(2027, 2, 19)), customer)
        self.assertFalse(early.filtered(lambda c: c.cadence_id == cadence))
        quarter = self._of(self._generate(date(2027, 2, 21)), customer)
        self.assertEqual(
            quarter.filtered(lambda c: c.cadence_id == cadence).date, date(2027, 2, 21)
        )

    def test_merchant_called_the_day_after_delivery(self):
        customer = self._customer("青岛海润", "dealer")
        order = self._order(customer)
        order.action_confirm()
        picking = order.picking_ids
        picking.move_ids.quantity = 2
        picking.move_ids.picked = True
        with freeze_time("2026-11-16 03:00:00"):
            picking.button_validate()
        callback = self.Callback.search(
            [("origin_ref", "=", f"stock.picking,{picking.id}")]
        )
        self.assertEqual(callback.callback_type, "dealer")
        self.assertEqual(callback.date, date(2026, 11, 17))
        self.assertIn("score_driver_attitude", callback.score_criteria)
        self.assertNotIn("score_receipt_return", callback.score_criteria)

    def _ticket_reaching(self, stage_xmlid):
        """A service ticket of a big customer, moved to ``stage_xmlid``."""
        ticket = self.env["helpdesk.ticket"].create(
            {
                "name": "安装调试",
                "description": "<p>安装</p>",
                "partner_id": self._customer("国美电器", "big").id,
            }
        )
        ticket.stage_id = self.env.ref(stage_xmlid)
        return ticket

    @freeze_time("2026-11-16")
    def test_closed_service_ticket_gets_two_callbacks(self):
        ticket = self._ticket_reaching("helpdesk_mgmt.helpdesk_ticket_stage_done")
        callbacks = self.Callback.search(
            [("origin_ref", "=", f"helpdesk.ticket,{ticket.id}")], order="date"
        )
        self.assertEqual(
            callbacks.mapped("date"), [date(2026, 11, 16), date(2027, 1, 16)]
        )
        self.assertEqual(set(callbacks.mapped("callback_type")), {"service"})

    def test_cancelled_ticket_gets_no_callback(self):
        ticket = self._ticket_reaching("helpdesk_mgmt.helpdesk_ticket_stage_cancelled")
        self.assertFalse(
            self.Callback.search([("origin_ref", "=", f"helpdesk.ticket,{ticket.id}")])
        )

    def test_top_dealers_of_each_branch_are_enrolled(self):
        self.company.care_callback_top_dealer_count = 2
        dealers = [self._customer(f"经销商 {i}", "dealer") for i in range(3)]
        for amount, dealer in zip((300, 100, 200), dealers, strict=True):
            order = self._order(dealer)
            order.order_line.price_unit = amount
            order.action_confirm()
        self.env["res.partner"]._cron_care_top_dealers()
        top = self.seg["top_dealer"]
        self.assertIn(top, dealers[0].care_segment_ids)
        self.assertIn(top, dealers[2].care_segment_ids)
        self.assertNotIn(top, dealers[1].care_segment_ids)


@tagged("post_install", "-at_install")
class TestIssuesAndEscalation(CallbackCase):
    def _done_callback(self, partner, day, issues=()):
        callback = self.Callback.create(
            {"partner_id": partner.id, "date": day, "user_id": self.users["agent"].id}
        )
        for name in issues:
            self.Issue.create(
                {
                    "callback_id": callback.id,
                    "name": name,
                    "owner_id": self.users["agent"].id,
                }
            )
        recorded(callback).action_done()
        return callback

    def _manager_calls(self, partner):
        return self.Callback.search(
            [("partner_id", "=", partner.id), ("callback_type", "=", "manager")]
        )

    def test_issues_twice_in_a_month_escalate_once(self):
        customer = self._customer("海信电器", "key_account")
        self._done_callback(customer, date(2026, 11, 2), ["回单慢"])
        self.assertFalse(self._manager_calls(customer))
        self._done_callback(customer, date(2026, 11, 16), ["货损"])
        escalation = self._manager_calls(customer)
        self.assertEqual(len(escalation), 1)
        self.assertEqual(escalation.user_id, self.users["callback_manager"])
        self.assertEqual(
            escalation.activity_ids.user_id, self.users["callback_manager"]
        )
        self._done_callback(customer, date(2026, 11, 17), ["又有货损"])
        self.assertEqual(len(self._manager_calls(customer)), 1, "escalated once")

    def test_issues_more_than_a_month_apart_do_not_escalate(self):
        customer = self._customer("海信电器", "key_account")
        self._done_callback(customer, date(2026, 9, 1), ["回单慢"])
        self._done_callback(customer, date(2026, 11, 16), ["货损"])
        self.assertFalse(self._manager_calls(customer))

    def test_major_issue_goes_to_the_manager_at_once(self):
        customer = self._customer("海信电器", "key_account")
        callback = self.Callback.create({"partner_id": customer.id})
        issue = self.Issue.create(
            {
                "callback_id": callback.id,
                "name": "整车货物丢失",
                "owner_id": self.users["agent"].id,
                "is_major": True,
            }
        )
        self.assertEqual(issue.activity_ids.user_id, self.users["callback_manager"])
        self.assertIn(
            self.users["callback_manager"].partner_id, issue.message_partner_ids
        )

    def test_open_issues_are_reported_back_at_the_next_callback(self):
        customer = self._customer("海信电器", "key_account")
        first = self._done_callback(customer, date(2026, 11, 2), ["回单慢"])
        issue = first.issue_ids
        issue.write({"result": "已安排专人负责回单"})
        issue.action_resolve()
        following = self.Callback.create(
            {"partner_id": customer.id, "date": date(2026, 11, 9)}
        )
        self.assertEqual(following.feedback_issue_ids, issue)
        issue.with_context(care_feedback_callback_id=following.id).action_feed_back()
        self.assertEqual(issue.state, "fed_back")
        self.assertEqual(issue.feedback_callback_id, following)
        following.invalidate_recordset(["feedback_issue_ids"])
        self.assertFalse(following.feedback_issue_ids)

    def test_resolving_needs_a_result(self):
        customer = self._customer("海信电器", "key_account")
        issue = self._done_callback(customer, date(2026, 11, 2), ["回单慢"]).issue_ids
        with self.assertRaises(ValidationError):
            issue.action_resolve()
        self.assertEqual(issue.state, "open")


@tagged("post_install", "-at_install")
class TestSameDayClosure(CallbackCase):
    def test_open_callbacks_are_overdue_at_the_end_of_their_day(self):
        customer = self._customer("联华超市", "ordinary")
        today = self.Callback.create({"partner_id": customer.id, "date": MONDAY})
        tomorrow = self.Callback.create(
            {"partner_id": customer.id, "date": date(2026, 11, 17)}
        )
        done = self.Callback.create({"partner_id": customer.id, "date": MONDAY})
        recorded(done).action_done()
        self.Callback._cron_mark_overdue(today=MONDAY)
        self.assertTrue(today.is_overdue)
        self.assertFalse(tomorrow.is_overdue)
        self.assertFalse(done.is_overdue)
        managers_list = self.Callback.with_user(self.users["callback_manager"]).search(
            [("is_overdue", "=", True), ("state", "=", "planned")]
        )
        self.assertIn(today, managers_list)
        recorded(today).action_done()
        self.assertFalse(today.is_overdue)


@tagged("post_install", "-at_install")
class TestCallbackRecord(CallbackCase):
    def test_done_needs_the_person_reached_and_a_score(self):
        customer = self._customer("联华超市", "ordinary")
        callback = self.Callback.create({"partner_id": customer.id, "method": "phone"})
        with self.assertRaisesRegex(UserError, "person reached; at least one score"):
            callback.action_done()
        contact = self.env["res.partner"].create(
            {"name": "王经理", "parent_id": customer.id}
        )
        callback.contact_id = contact
        with self.assertRaisesRegex(UserError, "at least one score"):
            callback.action_done()
        callback.score_delivery = "4"
        self.assertTrue(callback.action_done())
        self.assertEqual(callback.state, "done")

    def test_the_creation_note_is_in_the_agents_language(self):
        ensure_lang(self.env, "zh_CN")
        chinese = new_test_user(
            self.env,
            login="care_zh_agent_note",
            groups="customer_care.group_callback_agent",
            lang="zh_CN",
        )
        customer = self._customer("联华超市", "ordinary")
        bot = self.Callback.with_context(lang="en_US")
        english = new_test_user(
            self.env,
            login="care_en_agent_note",
            groups="customer_care.group_callback_agent",
            lang="en_US",
        )
        for user, text in ((chinese, " 创建"), (english, " created")):
            callback = bot.create({"partner_id": customer.id, "user_id": user.id})
            self.assertIn(text, callback.message_ids[-1:].body)

    def test_a_letter_is_done_without_a_person_or_a_score(self):
        customer = self._customer("联华超市", "ordinary")
        letter = self.Callback.create({"partner_id": customer.id, "method": "letter"})
        self.assertTrue(letter.action_done())

    def test_done_needs_the_resolved_issues_reported_back(self):
        customer = self._customer("海信电器", "key_account")
        first = self.Callback.create(
            {"partner_id": customer.id, "date": date(2026, 11, 2)}
        )
        issue = self.Issue.create(
            {
                "callback_id": first.id,
                "name": "回单慢",
                "owner_id": self.users["agent"].id,
            }
        )
        recorded(first).action_done()
        issue.write({"result": "已安排专人负责回单"})
        issue.action_resolve()
        following = recorded(
            self.Callback.create({"partner_id": customer.id, "date": date(2026, 11, 9)})
        )
        with self.assertRaisesRegex(UserError, "“回单慢” reported back"):
            following.action_done()
        issue.with_context(care_feedback_callback_id=following.id).action_feed_back()
        following.invalidate_recordset(["feedback_issue_ids"])
        self.assertTrue(following.action_done())

    def test_a_done_callback_keeps_its_record(self):
        customer = self._customer("联华超市", "ordinary")
        callback = recorded(self.Callback.create({"partner_id": customer.id}))
        agent = self.users["agent"]
        callback.user_id = agent
        callback.with_user(agent).action_done()
        for vals in ({"score_overall": "1"}, {"opinion": "改过"}, {"date": MONDAY}):
            with self.assertRaisesRegex(UserError, "stays in the customer's ledger"):
                callback.with_user(agent).write(vals)
        # the same value, archiving and the scheduled actions pass
        callback.with_user(agent).write({"score_overall": callback.score_overall})
        callback.sudo().write({"opinion": "由系统更正"})
        callback.with_user(agent).active = False

    def test_only_the_scores_of_the_type_are_asked(self):
        callback = self.Callback.new({"callback_type": "dealer"})
        self.assertEqual(
            set(callback.score_criteria.split(",")),
            {
                "score_delivery",
                "score_cargo_safety",
                "score_driver_attitude",
                "score_overall",
            },
        )
        callback.callback_type = "customer"
        self.assertIn("score_receipt_return", callback.score_criteria)
        self.assertNotIn("score_driver_attitude", callback.score_criteria)

    def test_average_ignores_scores_not_asked(self):
        customer = self._customer("联华超市", "ordinary")
        callback = self.Callback.create(
            {"partner_id": customer.id, "score_delivery": "5", "score_overall": "3"}
        )
        self.assertEqual(callback.score_average, 4.0)

    def test_state_and_scores_are_tracked(self):
        customer = self._customer("联华超市", "ordinary")
        callback = self.Callback.create({"partner_id": customer.id})
        self.env.flush_all()
        self.env.cr.precommit.run()
        callback.write({"score_overall": "5"})
        recorded(callback).action_done()
        self.env.flush_all()
        self.env.cr.precommit.run()
        tracked = callback.message_ids.tracking_value_ids.field_id.mapped("name")
        self.assertIn("state", tracked)
        self.assertIn("score_overall", tracked)

    def test_log_a_call_opens_the_open_callback_or_a_new_one(self):
        customer = self._customer("联华超市", "ordinary")
        action = customer.action_care_log_callback()
        self.assertFalse(action["res_id"])
        self.assertEqual(action["context"]["default_partner_id"], customer.id)
        planned = self.Callback.create({"partner_id": customer.id})
        self.assertEqual(customer.action_care_log_callback()["res_id"], planned.id)
        with Form(self.Callback.with_context(**action["context"])) as form:
            form.score_overall = "4"
        self.assertEqual(form.record.partner_id, customer)

    def test_customer_form_shows_counts_and_satisfaction(self):
        customer = self._customer("联华超市", "ordinary")
        for score in ("3", "5"):
            callback = self.Callback.create(
                {"partner_id": customer.id, "score_overall": score}
            )
            recorded(callback).action_done()
        customer.invalidate_recordset(["care_callback_count", "care_satisfaction"])
        self.assertEqual(customer.care_callback_count, 2)
        self.assertEqual(customer.care_satisfaction, 4.0)
        self.assertEqual(
            customer.action_care_satisfaction_trend()["context"]["graph_groupbys"],
            ["date:month"],
        )


@tagged("post_install", "-at_install")
class TestBadInput(CallbackCase):
    def _count(self):
        return self.Callback.search_count([])

    def test_scores_outside_one_to_five_are_refused(self):
        customer = self._customer("联华超市", "ordinary")
        before = self._count()
        for value in (6, -1, 0, "0", "6", "4.5", True):
            with self.subTest(value=value), self.assertRaises(ValidationError):
                self.Callback.create(
                    {"partner_id": customer.id, "score_overall": value}
                )
        self.assertEqual(self._count(), before)

    def test_done_in_the_future_is_refused(self):
        customer = self._customer("联华超市", "ordinary")
        callback = self.Callback.create(
            {"partner_id": customer.id, "date": date(2099, 1, 1)}
        )
        with self.assertRaises(ValidationError):
            recorded(callback).action_done()
        self.assertEqual(callback.state, "planned")

    def test_issue_without_owner_is_refused(self):
        customer = self._customer("联华超市", "ordinary")
        callback = self.Callback.create({"partner_id": customer.id})
        with self.assertRaises(ValidationError):
            self.Issue.create({"callback_id": callback.id, "name": "回单慢"})
        issue = self.Issue.create(
            {
                "callback_id": callback.id,
                "name": "回单慢",
                "owner_id": self.users["agent"].id,
            }
        )
        with self.assertRaises(ValidationError):
            issue.owner_id = False
        self.assertEqual(
            self.Issue.search_count([("callback_id", "=", callback.id)]), 1
        )

    def test_error_messages_are_translated(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["customer_care"], ["zh_CN"])
        customer = self._customer("联华超市", "ordinary")
        with self.assertRaises(ValidationError) as error:
            self.Callback.with_context(lang="zh_CN").create(
                {"partner_id": customer.id, "score_overall": 9}
            )
        self.assertIn("评分", str(error.exception))


@tagged("post_install", "-at_install")
class TestCallbackAccess(CallbackCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_agent = new_test_user(
            cls.env, login="care_agent_2", groups="customer_care.group_callback_agent"
        )
        other_branch = cls.env["crm.team"].create({"name": "华南分公司"})
        cls.mine = cls._customer("联华超市", "ordinary")
        cls.foreign = cls._customer(
            "广州百货", "ordinary", care_branch_id=other_branch.id
        )
        cls.own = cls.env["customer.care.callback"].create(
            {"partner_id": cls.mine.id, "user_id": cls.users["agent"].id}
        )
        cls.team = cls.env["customer.care.callback"].create(
            {"partner_id": cls.mine.id, "user_id": cls.other_agent.id}
        )
        cls.other = cls.env["customer.care.callback"].create(
            {"partner_id": cls.foreign.id, "user_id": cls.other_agent.id}
        )

    def test_agent_sees_own_and_team_callbacks_only(self):
        seen = self.Callback.with_user(self.users["agent"]).search(
            [("id", "in", (self.own | self.team | self.other).ids)]
        )
        self.assertEqual(seen, self.own | self.team)
        with self.assertRaises(AccessError):
            self.other.with_user(self.users["agent"]).read(["partner_id"])

    def test_manager_sees_all_callbacks(self):
        seen = self.Callback.with_user(self.users["callback_manager"]).search(
            [("id", "in", (self.own | self.team | self.other).ids)]
        )
        self.assertEqual(seen, self.own | self.team | self.other)

    def test_other_roles_have_no_access(self):
        with self.assertRaises(AccessError):
            self.Callback.with_user(self.users["desk"]).search([])

    def test_agents_read_cadences_managers_change_them(self):
        cadence = self.env.ref("customer_care.cadence_key_account_phone")
        cadence.with_user(self.users["agent"]).read(["name"])
        with self.assertRaises(AccessError):
            cadence.with_user(self.users["agent"]).interval_number = 3
        cadence.with_user(self.users["callback_manager"]).interval_number = 3

    def test_done_callbacks_cannot_be_deleted_but_archived(self):
        recorded(self.own).with_user(self.users["agent"]).action_done()
        with self.assertRaises(UserError):
            self.own.with_user(self.users["callback_manager"]).unlink()
        self.own.with_user(self.users["agent"]).active = False
        self.assertFalse(self.own.active)
        self.team.with_user(self.users["agent"]).unlink()
        self.assertFalse(self.team.exists())


@tagged("post_install", "-at_install")
class TestMonthlyLetter(CallbackCase):
    def test_due_letters_are_sent_from_the_template_and_done(self):
        customer = self._customer("联华超市", "ordinary", email="lh@example.com")
        letter = self._of(self._generate(MONDAY), customer).filtered(
            lambda c: c.method == "letter"
        )
        self.assertEqual(
            letter.cadence_id, self.env.ref("customer_care.cadence_monthly_letter")
        )
        later = self.Callback.create(
            {"partner_id": customer.id, "method": "letter", "date": date(2099, 1, 1)}
        )
        sent, more = self.Callback._care_send_due_letters(today=MONDAY, limit=100000)
        self.assertIn(letter, sent)
        self.assertNotIn(later, sent)
        self.assertFalse(more)
        self.assertEqual(letter.state, "done")
        message = letter.message_ids.filtered(lambda m: m.message_type == "comment")
        self.assertIn(customer, message.partner_ids)
        self.assertIn("联华超市", message.subject)
        self.assertFalse(letter.activity_ids)
        again, _more = self.Callback._care_send_due_letters(today=MONDAY, limit=100000)
        self.assertNotIn(letter, again)

    def test_a_letter_sent_from_the_composer_is_done(self):
        customer = self._customer("联华超市", "ordinary", email="lh@example.com")
        letter = self.Callback.create(
            {"partner_id": customer.id, "method": "letter", "date": MONDAY}
        )
        action = letter.action_send_letter()
        composer = Form(
            self.env["mail.compose.message"].with_context(**action["context"])
        )
        composer.save().action_send_mail()
        self.assertEqual(letter.state, "done")
