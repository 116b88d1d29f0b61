# Copyright 2026 customer_care contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime, time, timedelta

import pytz

from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged

from .common import CareApiMixin, pickup_point

ID_NUMBER = "310101198506120417"
KNOWN_CODE = "ABCD2345"
SHANGHAI = pytz.timezone("Asia/Shanghai")


@tagged("post_install", "-at_install")
class TestPickupHandoverStockSms(CareApiMixin, HttpCase):
    """Odoo's one-time stock SMS question (stock_sms) on the first delivery
    of a company: the desk's handover does not ask it, and no answer to it
    (nor the plain Validate button) validates a pickup's delivery outside
    the handover. As the desk user, over JSON-RPC."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.desk = new_test_user(
            cls.env,
            login="care_sms_desk",
            groups="customer_care.group_pickup_desk",
            name="Care SMS desk",
            tz="Asia/Shanghai",
        )
        cls.manager = new_test_user(
            cls.env,
            login="care_sms_manager",
            groups="customer_care.group_general_manager",
            tz="Asia/Shanghai",
        )
        cls.company = cls.env.company
        cls.calendar, cls.warehouse, cls.point = pickup_point(
            cls.env, "短信测试自提点", cls.desk, cls.manager, cls.manager
        )
        # a company whose first delivery is still to come: stock_sms asks
        # once whether to text the customers
        cls.company.write(
            {"has_received_warning_stock_sms": False, "stock_move_sms_validation": True}
        )
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "无锡宏达五金店",
                "is_company": True,
                "email": "hongda@example.com",
                "mobile": "+86 139 0000 5678",
            }
        )
        cls.drill = cls.env["product.product"].create(
            {"name": "电钻", "type": "consu", "is_storable": True}
        )
        cls.env["stock.quant"]._update_available_quantity(
            cls.drill, cls.warehouse.lot_stock_id, 100
        )
        cls.pickup = cls._notified_pickup()
        cls.picking = cls.pickup.picking_id
        cls.voucher = cls.pickup.voucher_id
        # a known code, as if the desk read it from the customer's notice
        cls.voucher.sudo().code_hash = cls.voucher._care_code_hash(KNOWN_CODE)

    @classmethod
    def _planned(cls):
        day = (datetime.now(SHANGHAI) + timedelta(days=2)).date()
        for _i in range(30):
            local = SHANGHAI.localize(datetime.combine(day, time(10, 0)))
            utc = local.astimezone(pytz.utc).replace(tzinfo=None)
            if cls.point._care_is_open(utc):
                return utc
            day += timedelta(days=1)
        raise AssertionError("the pickup point is never open")

    @classmethod
    def _order(cls, **values):
        return cls.env["sale.order"].create(
            {
                "partner_id": cls.customer.id,
                "warehouse_id": cls.warehouse.id,
                "order_line": [
                    Command.create({"product_id": cls.drill.id, "product_uom_qty": 3})
                ],
                **values,
            }
        )

    @classmethod
    def _notified_pickup(cls):
        order = cls._order(
            care_pickup=True,
            care_pickup_point_id=cls.point.id,
            care_pickup_planned_at=cls._planned(),
        )
        order.action_confirm()
        pickup = order.care_pickup_ids
        pickup.action_confirm_with_customer()
        pickup.action_check_stock()
        pickup._care_send_notice()
        assert pickup.state == "notified", pickup.state
        return pickup

    def setUp(self):
        super().setUp()
        # stock_sms never asks in tests: ask as in production
        Picking = type(self.env["stock.picking"])

        def _check_warn_sms(pickings):
            return pickings.filtered(
                lambda p: p.company_id.stock_move_sms_validation
                and p.picking_type_id.code == "outgoing"
                and (p.partner_id.mobile or p.partner_id.phone)
                and not p.company_id.has_received_warning_stock_sms
            )

        self.patch(Picking, "_check_warn_sms", _check_warn_sms)

    def _assert_not_handed_over(self):
        self.env.invalidate_all()
        self.assertNotEqual(self.picking.state, "done")
        self.assertEqual(self.pickup.state, "notified")
        self.assertFalse(self.pickup.collector_name)
        self.assertEqual(self.voucher.state, "active")

    def test_stock_sms_is_installed_and_asks_on_a_first_delivery(self):
        """The question the handover must not ask: a plain delivery of the
        same company opens it."""
        self.assertIn("confirm.stock.sms", self.env)
        order = self._order()
        order.action_confirm()
        picking = order.picking_ids
        picking.move_ids.quantity = 3
        picking.move_ids.picked = True
        self.api_as(self.desk)
        result = self.api("stock.picking", "button_validate", picking.ids)
        self.assertEqual(result["res_model"], "confirm.stock.sms")
        self.assertNotEqual(picking.state, "done")

    def test_handover_validates_without_the_question(self):
        self.api_as(self.desk)
        wizard_id = self.api(
            "customer.care.pickup.handover",
            "create",
            {
                "pickup_id": self.pickup.id,
                "code": KNOWN_CODE,
                "collector_name": "李四",
                "collector_id_number": ID_NUMBER,
                "id_checked": True,
            },
        )
        result = self.api(
            "customer.care.pickup.handover", "action_hand_over", [wizard_id]
        )
        self.assertEqual(result, {"type": "ir.actions.act_window_close"})
        self.env.invalidate_all()
        self.assertEqual(self.picking.state, "done")
        self.assertEqual(self.pickup.state, "collected")
        self.assertEqual(self.pickup.collector_name, "李四")
        self.assertEqual(self.pickup.collector_id_number, "**************0417")
        self.assertEqual(self.pickup.desk_user_id, self.desk)
        self.assertEqual(self.voucher.state, "used")

    def test_plain_validate_of_a_pickup_delivery_is_refused(self):
        self.picking.move_ids.quantity = 3
        self.picking.move_ids.picked = True
        self.api_as(self.desk)
        error = self.api_refused("stock.picking", "button_validate", self.picking.ids)
        self.assertIn("Hand Over", error["message"])
        self.assertIn(self.pickup.name, error["message"])
        self._assert_not_handed_over()

    def test_no_answer_to_the_question_validates_a_pickup_delivery(self):
        self.api_as(self.desk)
        for answer in ("send_sms", "dont_send_sms"):
            with self.subTest(answer=answer):
                wizard_id = self.api(
                    "confirm.stock.sms",
                    "create",
                    {"pick_ids": [Command.link(self.picking.id)]},
                )
                self.api_refused(
                    "confirm.stock.sms",
                    answer,
                    [wizard_id],
                    context={"button_validate_picking_ids": self.picking.ids},
                )
                self._assert_not_handed_over()

    def test_desk_cannot_write_the_pickup_record(self):
        self.api_as(self.desk)
        for vals in (
            {"state": "collected"},
            {"collector_name": "李四"},
        ):
            with self.subTest(vals=vals):
                self.api_refused("customer.care.pickup", "write", self.pickup.ids, vals)
                self._assert_not_handed_over()

    def test_a_cancelled_pickup_leaves_its_delivery_to_the_warehouse(self):
        self.pickup.action_cancel()
        self.company.has_received_warning_stock_sms = True
        self.picking.move_ids.quantity = 3
        self.picking.move_ids.picked = True
        self.api_as(self.desk)
        self.api("stock.picking", "button_validate", self.picking.ids)
        self.env.invalidate_all()
        self.assertEqual(self.picking.state, "done")
