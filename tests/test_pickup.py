# Copyright 2026 customer_care contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, TransactionCase, new_test_user, tagged
from odoo.tools import mute_logger

from .common import CareUsersMixin, pickup_point, posted_invoice

# All times are naive UTC; Shanghai is UTC+8.
# Friday 2026-11-20 17:00 in Shanghai
FRI_1700 = datetime(2026, 11, 20, 9, 0)
# Monday 2026-11-23 09:00 in Shanghai: "now" of most tests
MON_0900 = datetime(2026, 11, 23, 1, 0)
# Tuesday 2026-11-24 10:00 in Shanghai: the notice is due (24 h before)
TUE_1000 = datetime(2026, 11, 24, 2, 0)
# Wednesday 2026-11-25 10:00 in Shanghai: the planned pickup
WED_1000 = datetime(2026, 11, 25, 2, 0)
# Thursday 2026-11-26 14:00 in Shanghai: a new time inside the opening hours
THU_1400 = datetime(2026, 11, 26, 6, 0)
# refused pickup times
WED_2000 = datetime(2026, 11, 25, 12, 0)  # evening
WED_1230 = datetime(2026, 11, 25, 4, 30)  # lunch break
SUN_1000 = datetime(2026, 11, 29, 2, 0)  # Sunday
FRI_1000_PAST = datetime(2026, 11, 20, 2, 0)  # last Friday

ID_NUMBER = "310101198506120417"
ID_MASKED = "**************0417"


@contextmanager
def at(env, when):
    """Freeze "now" at ``when`` (naive UTC), the transaction's timestamp
    (create_date) included."""
    with freeze_time(when), patch.object(env.cr, "now", lambda: when):
        yield


class VoucherSecretsMixin:
    """The clear token, code and link of each voucher issued during the
    test, by voucher id, as the issuing method hands them to the notice: the
    database keeps only their keyed hashes."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.voucher_secrets = {}
        Voucher = type(cls.env["customer.care.pickup.voucher"])
        issue = Voucher._care_issue
        kept = cls.voucher_secrets

        def _care_issue(self, pickup):
            voucher, clear = issue(self, pickup)
            kept[voucher.id] = clear
            return voucher, clear

        cls.startClassPatcher(patch.object(Voucher, "_care_issue", _care_issue))

    @classmethod
    def _secret(cls, voucher, key):
        return cls.voucher_secrets[voucher.id][key]


class PickupCase(VoucherSecretsMixin, CareUsersMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._create_care_users()
        cls.desk = cls.users["desk"]
        cls.desk_manager = cls.users["gm"]
        cls.salesman = new_test_user(
            cls.env,
            login="care_pickup_salesman",
            groups="sales_team.group_sale_salesman",
            name="Care salesman",
            tz="Asia/Shanghai",
        )
        cls.company = cls.env.company
        cls.calendar, cls.warehouse, cls.point = pickup_point(
            cls.env, "测试自提点", cls.desk, cls.desk_manager, cls.users["agent"]
        )
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "无锡宏达五金店",
                "is_company": True,
                "email": "hongda@example.com",
                "mobile": "+86 139 0000 5678",
            }
        )
        cls.authorised = cls.env["res.partner"].create(
            {
                "name": "王师傅",
                "parent_id": cls.customer.id,
                "care_pickup_authorised": True,
            }
        )
        Product = cls.env["product.product"]
        cls.drill = Product.create(
            {"name": "电钻", "type": "consu", "is_storable": True, "list_price": 300}
        )
        cls.hinge = Product.create(
            {"name": "合页", "type": "consu", "is_storable": True, "list_price": 20}
        )
        cls.scarce = Product.create(
            {"name": "角磨机", "type": "consu", "is_storable": True, "list_price": 400}
        )
        stock = cls.warehouse.lot_stock_id
        Quant = cls.env["stock.quant"]
        Quant._update_available_quantity(cls.drill, stock, 100)
        Quant._update_available_quantity(cls.hinge, stock, 100)
        Quant._update_available_quantity(cls.scarce, stock, 1)
        cls.Pickup = cls.env["customer.care.pickup"]
        cls.Handover = cls.env["customer.care.pickup.handover"]

    # ------------------------------------------------------------
    # helpers
    # ------------------------------------------------------------

    def at(self, when):
        return at(self.env, when)

    def _order(self, lines=None, planned=WED_1000, **values):
        """A draft self-pickup order (created on Monday 09:00 unless frozen
        elsewhere by the caller)."""
        lines = lines or [(self.drill, 5), (self.hinge, 2)]
        return self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "user_id": self.salesman.id,
                "warehouse_id": self.warehouse.id,
                "care_pickup": True,
                "care_pickup_point_id": self.point.id,
                "care_pickup_planned_at": planned,
                "order_line": [
                    Command.create({"product_id": product.id, "product_uom_qty": qty})
                    for product, qty in lines
                ],
                **values,
            }
        )

    def _pickup(self, lines=None, planned=WED_1000, when=MON_0900):
        """The pickup of a self-pickup order confirmed at ``when``."""
        with self.at(when):
            order = self._order(lines, planned)
            order.action_confirm()
        return order.care_pickup_ids

    def _ready(self, lines=None):
        pickup = self._pickup(lines)
        with self.at(MON_0900):
            pickup.action_confirm_with_customer()
            pickup.action_check_stock()
        self.assertEqual(pickup.state, "ready")
        return pickup

    def _notified(self, lines=None):
        pickup = self._ready(lines)
        with self.at(TUE_1000):
            pickup.action_send_notice()
        self.assertEqual(pickup.state, "notified")
        return pickup

    def _code(self, pickup):
        return self._secret(pickup.voucher_id, "code")

    def _wizard(self, pickup, code=None, **values):
        """The handover wizard as the desk opens it, with the right code and
        a checked identity unless told otherwise."""
        return self.Handover.with_user(self.desk).create(
            {
                "pickup_id": pickup.id,
                "code": self._code(pickup) if code is None else code,
                "collector_name": "李四",
                "collector_id_number": ID_NUMBER,
                "id_checked": True,
                **values,
            }
        )

    def _line(self, wizard, product):
        return wizard.line_ids.filtered(lambda line: line.product_id == product)

    def _activities(self, record, user, xmlid="mail.mail_activity_data_todo"):
        activity_type = self.env.ref(xmlid)
        return record.activity_ids.filtered(
            lambda a: a.user_id == user and a.activity_type_id == activity_type
        )

    def _assert_nothing_handed_over(self, pickup, state="notified"):
        self.assertEqual(pickup.state, state)
        self.assertNotEqual(pickup.picking_id.state, "done")
        self.assertFalse(pickup.line_ids)
        self.assertFalse(pickup.collected_at)
        self.assertFalse(pickup.collector_name)
        self.assertEqual(pickup.voucher_id.state, "active")


@tagged("post_install", "-at_install")
class TestPickupOrder(PickupCase):
    def test_confirming_makes_one_pickup_per_delivery(self):
        with self.at(MON_0900):
            order = self._order()
            order.action_confirm()
        delivery = order.picking_ids.filtered(
            lambda p: p.picking_type_code == "outgoing"
        )
        pickup = order.care_pickup_ids
        self.assertEqual(len(pickup), 1)
        self.assertEqual(pickup.picking_id, delivery)
        self.assertEqual(pickup.state, "to_confirm")
        self.assertEqual(pickup.point_id, self.point)
        self.assertEqual(pickup.planned_at, WED_1000)
        self.assertEqual(pickup.user_id, self.salesman)
        self.assertEqual(pickup.partner_id, self.customer)
        self.assertEqual(pickup.name, f"{order.name} / {delivery.name}")
        self.assertEqual(pickup.received_at, MON_0900)
        self.assertEqual(delivery.care_pickup_id, pickup)
        # asked again (e.g. a second confirmation), no second pickup
        with self.at(MON_0900):
            self.assertFalse(self.Pickup._care_create_for_orders(order))
        self.assertEqual(order.care_pickup_ids, pickup)

    def test_confirm_deadline_counts_working_hours(self):
        # received Friday 17:00: half an hour on Friday, 1.5 h on Monday
        pickup = self._pickup(planned=WED_1000, when=FRI_1700)
        self.assertEqual(pickup.received_at, FRI_1700)
        # Monday 10:00 in Shanghai
        self.assertEqual(pickup.confirm_deadline, datetime(2026, 11, 23, 2, 0))

    def test_customer_joins_the_self_pickup_segment_and_its_cadence(self):
        segment = self.env.ref("customer_care.segment_self_pickup")
        self.assertNotIn(segment, self.customer.care_segment_ids)
        self._pickup()
        self.assertIn(segment, self.customer.care_segment_ids)
        cadence = self.env.ref("customer_care.cadence_self_pickup")
        Callback = self.env["customer.care.callback"]
        created = Callback.browse()
        more = True
        while more:
            batch, more = Callback._care_generate_due_callbacks(
                today=date(2026, 11, 23)
            )
            created |= batch
        callback = created.filtered(
            lambda c: c.partner_id == self.customer and c.cadence_id == cadence
        )
        self.assertEqual(len(callback), 1)
        self.assertEqual(callback.method, "phone")

    def test_a_salesperson_confirms_a_self_pickup_order(self):
        with self.at(MON_0900):
            order = self._order().with_user(self.salesman)
            order.action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.care_pickup_ids.state, "to_confirm")

    def test_an_order_without_pickup_is_not_a_pickup(self):
        with self.at(MON_0900):
            order = self._order(care_pickup=False, care_pickup_point_id=False)
            order.action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertFalse(order.care_pickup_ids)

    def test_confirm_without_point_or_time_is_refused(self):
        for missing in ("care_pickup_point_id", "care_pickup_planned_at"):
            with self.subTest(missing=missing), self.at(MON_0900):
                order = self._order(**{missing: False})
                with self.assertRaises(UserError):
                    order.action_confirm()
                self.assertEqual(order.state, "draft")
                self.assertFalse(order.picking_ids)
                self.assertFalse(order.care_pickup_ids)

    def test_planned_time_outside_opening_hours_or_past_is_refused(self):
        order_count = self.env["sale.order"].search_count([])
        for when in (WED_2000, WED_1230, SUN_1000, FRI_1000_PAST):
            with self.subTest(when=when), self.at(MON_0900):
                with self.assertRaises(ValidationError):
                    self._order(planned=when)
        self.assertEqual(self.env["sale.order"].search_count([]), order_count)

    def test_a_planned_time_that_passed_is_refused_at_confirmation(self):
        with self.at(MON_0900):
            order = self._order(planned=WED_1000)
        with self.at(WED_1000 + timedelta(days=1)), self.assertRaises(ValidationError):
            order.action_confirm()
        self.assertEqual(order.state, "draft")
        self.assertFalse(order.care_pickup_ids)

    def test_pickup_time_is_checked_on_the_pickup_too(self):
        pickup = self._pickup()
        for when in (WED_2000, SUN_1000, FRI_1000_PAST):
            with self.subTest(when=when), self.at(MON_0900):
                with self.assertRaises(ValidationError):
                    pickup.planned_at = when
                self.assertEqual(pickup.planned_at, WED_1000)
        with self.at(MON_0900):
            pickup.planned_at = THU_1400
        self.assertEqual(pickup.planned_at, THU_1400)


@tagged("post_install", "-at_install")
class TestPickupTiming(PickupCase):
    def test_confirmation_with_the_customer_sets_the_prepare_deadline(self):
        pickup = self._pickup()
        with self.at(MON_0900):
            pickup.action_confirm_with_customer()
        self.assertEqual(pickup.state, "confirmed")
        self.assertEqual(pickup.confirmed_at, MON_0900)
        # 4 working hours: 09:00-12:00, then 13:30-14:30 in Shanghai
        self.assertEqual(pickup.prepare_deadline, datetime(2026, 11, 23, 6, 30))

    def test_stock_check_with_stock_makes_it_ready(self):
        pickup = self._pickup()
        with self.at(MON_0900):
            pickup.action_confirm_with_customer()
            pickup.action_check_stock()
        self.assertEqual(pickup.state, "ready")
        self.assertEqual(pickup.ready_at, MON_0900)
        self.assertFalse(pickup.shortage)
        self.assertFalse(self._activities(pickup, self.salesman))

    def test_stock_shortage_flags_it_and_asks_the_salesperson(self):
        pickup = self._pickup(lines=[(self.drill, 2), (self.scarce, 5)])
        with self.at(MON_0900):
            pickup.action_confirm_with_customer()
            pickup.action_check_stock()
        self.assertEqual(pickup.state, "confirmed")
        self.assertTrue(pickup.shortage)
        self.assertEqual(len(self._activities(pickup, self.salesman)), 1)

    def test_steps_cannot_be_skipped(self):
        pickup = self._pickup()
        with self.assertRaises(UserError):
            pickup.action_check_stock()
        with self.assertRaises(UserError):
            pickup.action_send_notice()
        self.assertEqual(pickup.state, "to_confirm")

    def test_a_late_step_is_flagged_and_searchable(self):
        pickup = self._pickup()
        # confirm with the customer by Monday 11:00 in Shanghai
        self.assertEqual(pickup.confirm_deadline, datetime(2026, 11, 23, 3, 0))
        late = [("is_late", "=", True), ("id", "=", pickup.id)]
        on_time = [("is_late", "=", False), ("id", "=", pickup.id)]
        with self.at(datetime(2026, 11, 23, 2, 59)):
            pickup.invalidate_recordset(["is_late", "late_step"])
            self.assertFalse(pickup.is_late)
            self.assertFalse(self.Pickup.search(late))
            self.assertEqual(self.Pickup.search(on_time), pickup)
        with self.at(datetime(2026, 11, 23, 3, 1)):
            pickup.invalidate_recordset(["is_late", "late_step"])
            self.assertTrue(pickup.is_late)
            self.assertTrue(pickup.late_step)
            self.assertEqual(self.Pickup.search(late), pickup)
            self.assertFalse(self.Pickup.search(on_time))
            # done now: the next step has its own deadline
            pickup.action_confirm_with_customer()
            pickup.invalidate_recordset(["is_late", "late_step"])
            self.assertFalse(pickup.is_late)
            self.assertFalse(self.Pickup.search(late))


@tagged("post_install", "-at_install")
class TestPickupNotice(PickupCase):
    def _mails(self, voucher):
        return self.env["mail.mail"].search(
            [("body_html", "ilike", self._secret(voucher, "code"))]
        )

    def _sms(self):
        return self.env["sms.sms"].search([("partner_id", "=", self.customer.id)])

    def test_notice_waits_until_it_is_due(self):
        pickup = self._ready()
        # 24 hours before the planned pickup
        self.assertEqual(pickup.notice_due_at, TUE_1000)
        with self.at(TUE_1000 - timedelta(minutes=1)):
            self.Pickup._cron_send_notices()
        self.assertEqual(pickup.state, "ready")
        self.assertFalse(pickup.voucher_ids)
        self.assertFalse(self._sms())
        with self.at(TUE_1000):
            self.Pickup._cron_send_notices()
        self.assertEqual(pickup.state, "notified")
        self.assertEqual(pickup.notice_sent_at, TUE_1000)
        self.assertEqual(len(pickup.voucher_ids), 1)

    def test_notice_sends_the_code_by_mail_and_sms(self):
        pickup = self._ready()
        with self.at(TUE_1000):
            self.Pickup._cron_send_notices()
        voucher = pickup.voucher_id
        code = self._code(pickup)
        self.assertEqual(len(code), 8)
        mail = self._mails(voucher)
        self.assertEqual(len(mail), 1)
        self.assertTrue(
            self.customer in mail.recipient_ids
            or self.customer.email in (mail.email_to or ""),
            "the notice goes to the customer",
        )
        self.assertIn(code, mail.body_html)
        self.assertIn(self._secret(voucher, "url"), mail.body_html)
        self.assertTrue(mail.auto_delete)
        sms = self._sms()
        self.assertEqual(len(sms), 1)
        self.assertIn(code, sms.body)
        self.assertIn(self._secret(voucher, "url"), sms.body)
        self.assertTrue(sms.number)
        # 12 working hours would end on Wednesday 16:00, after the pickup
        # time: the answer is due by the pickup time
        self.assertEqual(pickup.reply_deadline, WED_1000)

    def test_an_early_notice_leaves_twelve_working_hours_to_answer(self):
        pickup = self._ready()
        with self.at(MON_0900):
            pickup.action_send_notice()
        # Monday 09:00-12:00 and 13:30-17:30, Tuesday 08:30-12:00 and
        # 13:30-15:00 in Shanghai
        self.assertEqual(pickup.reply_deadline, datetime(2026, 11, 24, 7, 0))
        self.assertLess(pickup.reply_deadline, pickup.planned_at)

    def test_the_chatter_never_shows_the_code(self):
        pickup = self._notified()
        codes = [self._code(pickup)]
        with self.at(TUE_1000 + timedelta(hours=1)):
            pickup.action_send_notice()
        codes.append(self._code(pickup))
        with self.at(WED_1000):
            self._wizard(pickup, code=codes[0]).action_hand_over()
            self._wizard(pickup).action_hand_over()
        self.assertEqual(pickup.state, "collected")
        messages = self.env["mail.message"].search(
            [("model", "=", pickup._name), ("res_id", "=", pickup.id)]
        )
        self.assertTrue(messages)
        for message in messages:
            for code in codes:
                self.assertNotIn(code, message.body or "")
                self.assertNotIn(code, message.subject or "")
        self.assertFalse(
            messages.tracking_value_ids.filtered(
                lambda t: any(c in (t.old_value_char or "") for c in codes)
                or any(c in (t.new_value_char or "") for c in codes)
            )
        )

    def test_resending_voids_the_old_code(self):
        pickup = self._notified()
        old = pickup.voucher_id
        with self.at(TUE_1000 + timedelta(hours=1)):
            pickup.action_send_notice()
        new = pickup.voucher_id
        self.assertNotEqual(new, old)
        self.assertEqual(old.state, "voided")
        self.assertTrue(old.voided_at)
        self.assertEqual(new.state, "active")
        self.assertNotEqual(self._secret(new, "code"), self._secret(old, "code"))
        self.assertNotEqual(self._secret(new, "token"), self._secret(old, "token"))
        self.assertFalse(old._care_matches(self._secret(new, "code")))
        self.assertEqual(
            pickup.voucher_ids.filtered(lambda v: v.state == "active"), new
        )
        self.assertEqual(len(self._mails(new)), 1)
        self.assertEqual(len(self._sms()), 2)

    def test_no_one_can_read_the_code(self):
        pickup = self._notified()
        voucher = pickup.voucher_id.with_user(self.desk)
        self.assertEqual(voucher.state, "active")
        # no field holds the code, the token or the link
        for fname in ("code", "access_token", "portal_url"):
            self.assertNotIn(fname, voucher._fields)
        # the hashes are the administrators' (and useless without the key)
        with self.assertRaises(AccessError):
            voucher.read(["code_hash"])
        with self.assertRaises(AccessError):
            voucher.read(["token_hash"])
        self.assertTrue(voucher.sudo()._care_matches(self._code(pickup)))
        # outside the rendering of the notice, no method gives them either
        self.assertFalse(voucher._care_clear("code"))
        self.assertFalse(voucher.sudo()._care_clear("url"))

    def test_desk_cannot_read_the_code_in_the_queued_notice(self):
        pickup = self._ready()
        with self.at(TUE_1000):
            pickup.with_user(self.desk).action_send_notice()
        code = self._code(pickup)
        messages = self.env["mail.message"].search([("body", "ilike", code)])
        self.assertTrue(messages, "the notice waits in the mail queue")
        attachments = self.env["ir.attachment"].search(
            [("res_model", "=", "mail.message"), ("res_id", "in", messages.ids)]
        )
        self.assertFalse(
            self.env["mail.message"]
            .with_user(self.desk)
            .search_read([("id", "in", messages.ids)], ["body"])
        )
        self.assertFalse(
            self.env["ir.attachment"]
            .with_user(self.desk)
            .search([("id", "in", attachments.ids)])
        )

    def test_a_customer_without_email_or_mobile_is_not_notified(self):
        pickup = self._ready()
        self.customer.write({"email": False, "mobile": False, "phone": False})
        with (
            self.at(TUE_1000),
            mute_logger("odoo.addons.customer_care.models.customer_care_pickup"),
        ):
            self.Pickup._cron_send_notices()
        self.assertEqual(pickup.state, "ready")
        self.assertFalse(pickup.voucher_ids)


@tagged("post_install", "-at_install")
class TestPickupReminder(PickupCase):
    def _calls(self, pickup):
        return self._activities(pickup, self.salesman, "mail.mail_activity_data_call")

    def test_silent_customer_gets_one_reminder_call(self):
        pickup = self._notified()
        with self.at(pickup.reply_deadline - timedelta(minutes=1)):
            self.Pickup._cron_remind_silent()
        self.assertFalse(self._calls(pickup))
        with self.at(pickup.reply_deadline + timedelta(minutes=1)):
            self.Pickup._cron_remind_silent()
            self.assertEqual(len(self._calls(pickup)), 1)
            self.assertTrue(pickup.reminder_sent)
            self.Pickup._cron_remind_silent()
        self.assertEqual(len(self._calls(pickup)), 1)

    def test_customer_who_confirmed_gets_no_reminder(self):
        pickup = self._notified()
        with self.at(TUE_1000 + timedelta(hours=1)):
            pickup._care_customer_confirm()
        self.assertEqual(pickup.customer_reply, "confirmed")
        with self.at(pickup.reply_deadline + timedelta(minutes=1)):
            self.Pickup._cron_remind_silent()
        self.assertFalse(self._calls(pickup))
        self.assertFalse(pickup.reminder_sent)

    def test_not_collected_after_the_grace_hours_is_a_no_show(self):
        pickup = self._notified()
        # 24 hours after the planned time
        with self.at(WED_1000 + timedelta(hours=24, minutes=-1)):
            self.Pickup._cron_remind_silent()
        self.assertEqual(pickup.state, "notified")
        with self.at(WED_1000 + timedelta(hours=24, minutes=1)):
            self.Pickup._cron_remind_silent()
        self.assertEqual(pickup.state, "no_show")
        self.assertFalse(pickup.voucher_id)
        self.assertEqual(pickup.voucher_ids.state, "voided")
        self.assertTrue(self._activities(pickup, self.salesman))


@tagged("post_install", "-at_install")
class TestPickupReschedule(PickupCase):
    def test_reschedule_inside_opening_hours_moves_the_pickup(self):
        pickup = self._notified()
        with self.at(TUE_1000 + timedelta(hours=1)):
            pickup._care_customer_reschedule(THU_1400)
        self.assertEqual(pickup.planned_at, THU_1400)
        self.assertEqual(pickup.customer_reply, "reschedule")
        self.assertEqual(pickup.notice_due_at, THU_1400 - timedelta(hours=24))
        self.assertEqual(len(self._activities(pickup, self.salesman)), 1)

    def test_reschedule_outside_hours_or_past_is_refused(self):
        pickup = self._notified()
        for when in (
            datetime(2026, 11, 26, 11, 0),  # Thursday 19:00
            datetime(2026, 11, 28, 2, 0),  # Saturday 10:00
            SUN_1000,
            FRI_1000_PAST,
        ):
            with self.subTest(when=when), self.at(TUE_1000 + timedelta(hours=1)):
                with self.assertRaises(ValidationError):
                    pickup._care_customer_reschedule(when)
                self.assertEqual(pickup.planned_at, WED_1000)
                self.assertFalse(pickup.customer_reply)
                self.assertFalse(self._activities(pickup, self.salesman))


@tagged("post_install", "-at_install")
class TestPickupHandover(PickupCase):
    def test_handover_validates_the_delivery_and_records_it(self):
        pickup = self._notified()
        code = self._code(pickup)
        with self.at(WED_1000):
            form = Form(
                self.Handover.with_user(self.desk).with_context(
                    default_pickup_id=pickup.id
                )
            )
            self.assertEqual(len(form.line_ids), 2)
            form.code = code
            form.collector_name = "李四"
            form.collector_id_number = ID_NUMBER
            form.id_checked = True
            wizard = form.save()
            result = wizard.action_hand_over()
        self.assertEqual(result, {"type": "ir.actions.act_window_close"})
        self.assertFalse(wizard.error)
        self.assertEqual(pickup.picking_id.state, "done")
        self.assertEqual(pickup.state, "collected")
        self.assertEqual(pickup.collector_name, "李四")
        self.assertEqual(pickup.collector_id_number, ID_MASKED)
        self.assertTrue(pickup.collector_id_hash)
        self.assertEqual(pickup.desk_user_id, self.desk)
        self.assertEqual(pickup.collected_at, WED_1000)
        self.assertEqual(
            {
                (line.product_id, line.ordered_qty, line.handed_qty)
                for line in pickup.line_ids
            },
            {(self.drill, 5, 5), (self.hinge, 2, 2)},
        )
        self.assertEqual(pickup.voucher_ids.state, "used")
        self.assertFalse(pickup.voucher_id)
        self.assertFalse(pickup.picking_id.backorder_ids)

    def test_code_is_read_without_spaces_dashes_or_case(self):
        pickup = self._notified()
        code = self._code(pickup)
        typed = f" {code[:4].lower()}-{code[4:]} "
        with self.at(WED_1000):
            self._wizard(pickup, code=typed).action_hand_over()
        self.assertEqual(pickup.state, "collected")

    def test_an_authorised_collector_collects_for_the_customer(self):
        pickup = self._notified()
        with self.at(WED_1000):
            form = Form(
                self.Handover.with_user(self.desk).with_context(
                    default_pickup_id=pickup.id
                )
            )
            form.code = self._code(pickup)
            form.collector_partner_id = self.authorised
            self.assertEqual(form.collector_name, "王师傅")
            form.collector_id_number = ID_NUMBER
            form.id_checked = True
            form.save().action_hand_over()
        self.assertEqual(pickup.state, "collected")
        self.assertEqual(pickup.collector_partner_id, self.authorised)
        self.assertEqual(pickup.collector_name, "王师傅")

    def test_an_unauthorised_contact_cannot_collect(self):
        pickup = self._notified()
        stranger = self.env["res.partner"].create(
            {"name": "张三", "parent_id": self.customer.id}
        )
        with self.at(WED_1000):
            wizard = self._wizard(pickup, collector_partner_id=stranger.id)
            with self.assertRaises(UserError):
                wizard.action_hand_over()
        self._assert_nothing_handed_over(pickup)

    def test_partial_handover_leaves_a_backorder_with_its_pickup(self):
        pickup = self._notified()
        with self.at(WED_1000):
            wizard = self._wizard(pickup)
            self._line(wizard, self.drill).handed_qty = 3
            wizard.action_hand_over()
        picking = pickup.picking_id
        self.assertEqual(picking.state, "done")
        self.assertEqual(pickup.state, "partial")
        backorder = picking.backorder_ids
        self.assertEqual(len(backorder), 1)
        self.assertEqual(backorder.move_ids.product_id, self.drill)
        self.assertEqual(backorder.move_ids.product_uom_qty, 2)
        rest = pickup.backorder_pickup_id
        self.assertEqual(rest.picking_id, backorder)
        self.assertEqual(rest.sale_order_id, pickup.sale_order_id)
        self.assertEqual(rest.state, "confirmed")
        self.assertEqual(len(self._activities(rest, self.salesman)), 1)
        drill_line = pickup.line_ids.filtered(
            lambda line: line.product_id == self.drill
        )
        self.assertEqual(
            (drill_line.ordered_qty, drill_line.handed_qty, drill_line.missing_qty),
            (5, 3, 2),
        )
        self.assertEqual(pickup.voucher_ids.state, "used")

    def test_wrong_code_hands_nothing_over(self):
        pickup = self._notified()
        with self.at(WED_1000):
            wizard = self._wizard(pickup, code="ABCDEFGH")
            result = wizard.action_hand_over()
        self.assertEqual(result["res_model"], wizard._name)
        self.assertEqual(result["res_id"], wizard.id)
        self.assertIn("Wrong voucher code", wizard.error)
        self.assertFalse(wizard.code)
        self.assertEqual(pickup.failed_attempts, 1)
        self.assertFalse(pickup.locked_until)
        self._assert_nothing_handed_over(pickup)

    def test_empty_code_is_refused(self):
        pickup = self._notified()
        with self.at(WED_1000):
            with self.assertRaises(UserError):
                self._wizard(pickup, code=" ").action_hand_over()
        self._assert_nothing_handed_over(pickup)

    def test_voided_code_is_refused_as_voided(self):
        pickup = self._notified()
        old_code = self._code(pickup)
        with self.at(TUE_1000 + timedelta(hours=1)):
            pickup.action_send_notice()
        with self.at(WED_1000):
            wizard = self._wizard(pickup, code=old_code)
            wizard.action_hand_over()
        self.assertIn("voided", wizard.error)
        self._assert_nothing_handed_over(pickup)

    def test_five_wrong_codes_lock_the_handover(self):
        pickup = self._notified()
        with self.at(WED_1000):
            for attempt in range(1, 6):
                wizard = self._wizard(pickup, code=f"WRONG{attempt:03d}")
                wizard.action_hand_over()
                if attempt < 5:
                    self.assertFalse(pickup.locked_until)
        self.assertEqual(pickup.locked_until, WED_1000 + timedelta(minutes=15))
        self.assertIn("locked", wizard.error)
        warning = self._activities(
            pickup, self.desk_manager, "mail.mail_activity_data_warning"
        )
        self.assertEqual(len(warning), 1)
        with self.at(WED_1000 + timedelta(minutes=10)):
            with self.assertRaises(UserError):
                self._wizard(pickup).action_hand_over()
            with self.assertRaises(UserError):
                pickup.with_user(self.desk).action_open_handover()
        self._assert_nothing_handed_over(pickup)
        with self.at(WED_1000 + timedelta(minutes=16)):
            self._wizard(pickup).action_hand_over()
        self.assertEqual(pickup.state, "collected")

    def test_four_wrong_codes_do_not_lock(self):
        pickup = self._notified()
        with self.at(WED_1000):
            for attempt in range(4):
                self._wizard(pickup, code=f"WRONG{attempt:03d}").action_hand_over()
            self.assertFalse(pickup.locked_until)
            self._wizard(pickup).action_hand_over()
        self.assertEqual(pickup.state, "collected")
        self.assertEqual(pickup.failed_attempts, 0)

    def test_bad_quantities_are_refused(self):
        pickup = self._notified()
        for label, quantities in (
            ("above ordered", {self.drill: 6}),
            ("negative", {self.hinge: -1}),
            ("all zero", {self.drill: 0, self.hinge: 0}),
        ):
            with self.subTest(label), self.at(WED_1000):
                wizard = self._wizard(pickup)
                for product, qty in quantities.items():
                    self._line(wizard, product).handed_qty = qty
                with self.assertRaises(UserError):
                    wizard.action_hand_over()
                self._assert_nothing_handed_over(pickup)
                self.assertEqual(pickup.failed_attempts, 0)

    def test_identity_is_required(self):
        pickup = self._notified()
        for label, values in (
            ("no name", {"collector_name": " "}),
            ("no ID number", {"collector_id_number": False}),
            ("ID not checked", {"id_checked": False}),
        ):
            with self.subTest(label), self.at(WED_1000):
                wizard = self._wizard(pickup, **values)
                with self.assertRaises(UserError):
                    wizard.action_hand_over()
                self._assert_nothing_handed_over(pickup)

    def test_only_ready_or_notified_pickups_are_handed_over(self):
        pickup = self._pickup()
        with self.assertRaises(UserError):
            pickup.with_user(self.desk).action_open_handover()
        with self.at(MON_0900), self.assertRaises(UserError):
            self._wizard(pickup, code="ABCDEFGH").action_hand_over()
        self.assertEqual(pickup.state, "to_confirm")
        self.assertEqual(pickup.failed_attempts, 0)

    def test_a_discrepancy_opens_a_complaint(self):
        pickup = self._notified()
        note = "合页包装破损两副，客户同意先提走。"
        with self.at(WED_1000):
            self._wizard(
                pickup, discrepancy_note=note, open_complaint=True
            ).action_hand_over()
        self.assertEqual(pickup.state, "collected")
        self.assertEqual(pickup.discrepancy_note, note)
        complaint = pickup.complaint_id
        self.assertTrue(complaint)
        self.assertTrue(complaint.care_is_complaint)
        self.assertEqual(complaint.partner_id, self.customer)
        self.assertEqual(complaint.care_sale_order_id, pickup.sale_order_id)
        self.assertEqual(complaint.care_picking_id, pickup.picking_id)
        self.assertIn("合页包装破损", complaint.description)

    def test_a_complaint_needs_a_note(self):
        pickup = self._notified()
        with self.at(WED_1000), self.assertRaises(UserError):
            self._wizard(pickup, open_complaint=True).action_hand_over()
        self._assert_nothing_handed_over(pickup)
        self.assertFalse(pickup.complaint_id)


@tagged("post_install", "-at_install")
class TestPickupOverdue(PickupCase):
    def _invoice(self, due, amount=1000.0):
        return posted_invoice(
            self.env, self.customer, amount, due - timedelta(days=30), due=due
        )

    def _flags(self, pickup):
        pickup.invalidate_recordset(["has_overdue", "overdue_amount"])
        return pickup.has_overdue, pickup.overdue_amount

    def test_overdue_receivables_flag_the_pickup(self):
        pickup = self._pickup()
        with self.at(MON_0900):
            self._invoice(date(2026, 10, 31), 1000.0)
            self.assertEqual(self._flags(pickup), (True, 1000.0))
            self.assertEqual(
                self.Pickup.search(
                    [("has_overdue", "=", True), ("id", "=", pickup.id)]
                ),
                pickup,
            )
            self.assertFalse(
                self.Pickup.search(
                    [("has_overdue", "=", False), ("id", "=", pickup.id)]
                )
            )
            wizard = self._wizard(pickup, code="X")
            self.assertTrue(wizard.has_overdue)

    def test_receivables_not_due_or_paid_do_not_flag(self):
        pickup = self._pickup()
        with self.at(MON_0900):
            self._invoice(date(2026, 12, 31))
            self.assertEqual(self._flags(pickup), (False, 0.0))
            paid = self._invoice(date(2026, 10, 31))
            self.assertTrue(self._flags(pickup)[0])
            self.env["account.payment.register"].with_context(
                active_model="account.move", active_ids=paid.ids
            ).create({})._create_payments()
            self.assertEqual(paid.payment_state, "paid")
            self.assertEqual(self._flags(pickup), (False, 0.0))
            self.assertEqual(
                self.Pickup.search(
                    [("has_overdue", "=", False), ("id", "=", pickup.id)]
                ),
                pickup,
            )


@tagged("post_install", "-at_install")
class TestPickupAccess(PickupCase):
    def test_customer_documents_are_for_the_desk_not_for_agents(self):
        # contacts are edited with the base "Contact Creation" right
        desk = new_test_user(
            self.env,
            login="care_pickup_desk_contacts",
            groups="customer_care.group_pickup_desk,base.group_partner_manager",
        )
        licence = base64.b64encode(b"%PDF-1.4 licence")
        self.customer.with_user(desk).write(
            {
                "care_business_licence": licence,
                "care_business_licence_name": "营业执照.pdf",
            }
        )
        self.assertEqual(
            self.customer.with_user(self.desk).care_business_licence, licence
        )
        agent_view = self.customer.with_user(self.users["agent"])
        with self.assertRaises(AccessError):
            agent_view.read(["care_business_licence"])
        with self.assertRaises(AccessError):
            agent_view.read(["care_tax_certificate"])
        # the rest of the customer stays readable
        self.assertEqual(agent_view.name, self.customer.name)

    def test_desk_works_pickups_but_cannot_delete_them(self):
        pickup = self._pickup().with_user(self.desk)
        self.assertEqual(pickup.state, "to_confirm")
        with self.at(MON_0900):
            pickup.action_confirm_with_customer()
            pickup.planned_at = THU_1400
        self.assertEqual(pickup.state, "confirmed")
        self.assertEqual(pickup.planned_at, THU_1400)
        with self.assertRaises(AccessError):
            pickup.unlink()
        self.assertTrue(pickup.exists())

    def test_a_confirmed_pickup_is_kept_as_a_record(self):
        pickup = self._pickup().with_user(self.users["gm"])
        with self.at(MON_0900):
            pickup.action_confirm_with_customer()
        with self.assertRaises(UserError):
            pickup.unlink()
        self.assertTrue(pickup.exists())
        fresh = self._pickup().with_user(self.users["gm"])
        fresh.unlink()
        self.assertFalse(fresh.exists())

    def test_plain_users_cannot_read_pickups(self):
        pickup = self._notified()
        user = new_test_user(
            self.env, login="care_pickup_plain", groups="base.group_user"
        )
        with self.assertRaises(AccessError):
            pickup.with_user(user).read(["name"])
        with self.assertRaises(AccessError):
            pickup.voucher_ids.with_user(user).read(["state"])


@tagged("post_install", "-at_install")
class TestPickupReports(PickupCase):
    def test_pickup_record_shows_the_collector_and_a_masked_id(self):
        pickup = self._notified()
        with self.at(WED_1000):
            self._wizard(pickup).action_hand_over()
        html, _format = (
            self.env["ir.actions.report"]
            .with_user(self.desk)
            ._render_qweb_html("customer_care.action_report_pickup_record", pickup.ids)
        )
        html = html.decode()
        self.assertIn("李四", html)
        self.assertIn(pickup.name, html)
        self.assertIn(self.drill.name, html)
        self.assertIn(ID_NUMBER[-4:], html)
        self.assertNotIn(ID_NUMBER, html)

    def test_voucher_shows_the_code_and_its_qr(self):
        pickup = self._notified()
        voucher = pickup.voucher_id
        html, _format = (
            self.env["ir.actions.report"]
            .sudo()
            ._render_qweb_html(
                "customer_care.action_report_pickup_voucher", voucher.ids
            )
        )
        html = html.decode()
        # printed by the server with the clear code in hand only: even with
        # sudo, printed without it the voucher has no code
        code = self._code(pickup)
        self.assertNotIn(code, html)
        self.assertNotIn("o_care_voucher_qr", html)
        with voucher._care_clear_scope(self.voucher_secrets[voucher.id]):
            html, _format = (
                self.env["ir.actions.report"]
                .sudo()
                ._render_qweb_html(
                    "customer_care.action_report_pickup_voucher", voucher.ids
                )
            )
        html = html.decode()
        self.assertIn(code, html)
        self.assertIn("o_care_voucher_qr", html)
        self.assertTrue(voucher._care_qr_data_uri(code).startswith("data:image/png"))


@tagged("post_install", "-at_install")
class TestPickupOpeningHours(PickupCase):
    """The notice tells the documents to bring and the opening hours; a
    refused time names the opening hours in words, not the calendar."""

    def _en(self, record):
        self.env["res.lang"]._activate_lang("en_US")
        return record.with_context(lang="en_US")

    def test_opening_hours_in_words(self):
        self.assertEqual(
            self._en(self.point)._care_opening_hours(),
            "Mon–Fri 08:30–12:00, 13:30–17:30",
        )

    def test_days_with_other_hours_make_their_own_range(self):
        self.calendar.write(
            {
                "attendance_ids": [
                    Command.create(
                        {
                            "name": "Sat",
                            "dayofweek": "5",
                            "hour_from": 9,
                            "hour_to": 12,
                            "day_period": "morning",
                        }
                    ),
                    Command.create(
                        {
                            "name": "Sun",
                            "dayofweek": "6",
                            "hour_from": 9,
                            "hour_to": 12,
                            "day_period": "morning",
                        }
                    ),
                ]
            }
        )
        # Wednesday closes at noon
        self.calendar.attendance_ids.filtered(
            lambda a: a.dayofweek == "2" and a.day_period == "afternoon"
        ).unlink()
        self.assertEqual(
            self._en(self.point)._care_opening_hours(),
            "Mon, Tue 08:30–12:00, 13:30–17:30; Wed 08:30–12:00; "
            "Thu, Fri 08:30–12:00, 13:30–17:30; Sat, Sun 09:00–12:00",
        )

    def test_a_lunch_break_is_not_opening_hours(self):
        self.calendar.write(
            {
                "attendance_ids": [
                    Command.create(
                        {
                            "name": "Lunch",
                            "dayofweek": day,
                            "hour_from": 12,
                            "hour_to": 13.5,
                            "day_period": "lunch",
                        }
                    )
                    for day in "01234"
                ]
            }
        )
        self.assertEqual(
            self._en(self.point)._care_opening_hours(),
            "Mon–Fri 08:30–12:00, 13:30–17:30",
        )

    def test_a_refused_time_names_the_opening_hours(self):
        point = self._en(self.point)
        with self.at(MON_0900), self.assertRaises(ValidationError) as refused:
            point._care_check_pickup_time(WED_2000)
        message = str(refused.exception)
        self.assertIn("Mon–Fri 08:30–12:00, 13:30–17:30", message)
        self.assertNotIn(self.calendar.name, message)

    def test_the_notice_lists_the_documents_and_the_opening_hours(self):
        # the templates' own text (their translations follow the .po)
        self._en(self.customer).lang = "en_US"
        pickup = self._ready()
        with self.at(TUE_1000):
            pickup.action_send_notice()
        voucher = pickup.voucher_id
        # in the customer's language
        point = self.point.with_context(lang=self.customer.lang)
        hours = point._care_opening_hours()
        documents = point.documents_required
        sms = self.env["sms.sms"].search([("partner_id", "=", self.customer.id)])
        self.assertEqual(len(sms), 1)
        self.assertIn(documents, sms.body)
        self.assertIn(hours, sms.body)
        mail = self.env["mail.mail"].search(
            [("body_html", "ilike", self._secret(voucher, "code"))]
        )
        self.assertEqual(len(mail), 1)
        self.assertIn(documents, mail.body_html)
        self.assertIn(hours, mail.body_html)
