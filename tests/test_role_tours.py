# Copyright 2026 customer_care contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, tagged
from odoo.tools import SQL

from .common import WarmUpMixin, ensure_lang

KNOWN_CODE = "ABCD2345"


@tagged("post_install", "-at_install")
class TestRoleTours(WarmUpMixin, HttpCase):
    """Daily tasks in Chromium as the zh_CN demo users, on the demo data:
    each lands on its own work when it opens the app."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ensure_lang(cls.env, "zh_CN")
        cls.desk = cls.env.ref("customer_care.user_pickup_desk")
        cls.gm = cls.env.ref("customer_care.user_general_manager")

    def _pickup_today(self):
        """The demo pickup that is ready, notified and planned now (today
        at the desk), its voucher with a known code: the only one today."""
        pickup = self.env.ref("customer_care.sale_order_pickup_3").care_pickup_ids
        self.assertEqual(pickup.state, "ready")
        pickup._care_send_notice()
        voucher = pickup.voucher_id
        voucher.sudo().code_hash = voucher._care_code_hash(KNOWN_CODE)
        # now may be outside the opening hours (the constraint refuses it):
        # the time is moved in SQL, as if the pickup had been planned so
        now = fields.Datetime.now().replace(microsecond=0)
        hours = pickup.company_id.care_pickup_no_show_hours
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "UPDATE customer_care_pickup"
                " SET planned_at = planned_at + interval '7 days'"
                " WHERE id != %s AND planned_at BETWEEN %s AND %s",
                pickup.id,
                now - timedelta(days=1),
                now + timedelta(days=1),
            )
        )
        self.env.cr.execute(
            SQL(
                "UPDATE customer_care_pickup SET planned_at = %s WHERE id = %s",
                now,
                pickup.id,
            )
        )
        self.env.cr.execute(
            SQL(
                "UPDATE customer_care_pickup_voucher SET expires_at = %s WHERE id = %s",
                now + timedelta(hours=hours),
                voucher.id,
            )
        )
        self.env.invalidate_all()
        return pickup

    def test_desk_hands_over_todays_pickup(self):
        pickup = self._pickup_today()
        voucher = pickup.voucher_id
        # the company's first delivery: stock_sms would ask (it never does
        # in tests), and the handover must not
        pickup.company_id.sudo().has_received_warning_stock_sms = False
        Picking = type(self.env["stock.picking"])
        self.patch(
            Picking,
            "_check_warn_sms",
            lambda pickings: pickings.filtered(
                lambda p: p.picking_type_id.code == "outgoing"
                and p.company_id.stock_move_sms_validation
                and not p.company_id.has_received_warning_stock_sms
            ),
        )
        self.start_tour(
            "/odoo", "customer_care_desk_tour", login=self.desk.login, timeout=180
        )
        self.env.invalidate_all()
        self.assertEqual(pickup.state, "collected")
        self.assertEqual(pickup.picking_id.state, "done")
        self.assertEqual(pickup.collector_name, "李四")
        self.assertEqual(pickup.collector_id_number, "**************0417")
        self.assertEqual(pickup.desk_user_id, self.desk)
        self.assertEqual(voucher.state, "used")

    def test_general_manager_prints_the_monthly_reports(self):
        self.start_tour(
            "/odoo", "customer_care_gm_report_tour", login=self.gm.login, timeout=180
        )
