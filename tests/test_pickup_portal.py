# Copyright 2026 customer_care contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import re
from datetime import datetime, time, timedelta
from unittest.mock import patch

import pytz

from odoo import Command, fields
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import SQL, config, mute_logger

from .common import WarmUpMixin, pickup_point
from .test_pickup import VoucherSecretsMixin

ID_NUMBER = "310101198506120417"
KNOWN_CODE = "ABCD2345"
SHANGHAI = pytz.timezone("Asia/Shanghai")
# the hidden CSRF field of a form of the page
CSRF_RE = re.compile(r'name="csrf_token"\s+value="([^"]+)"')


@tagged("post_install", "-at_install")
class TestPickupPortal(WarmUpMixin, VoucherSecretsMixin, HttpCase):
    """The page of the pickup notice through real HTTP requests (no login),
    the voucher PDF, and the desk's handover wizard in Chromium."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the customers and users below read English: the demo database
        # may have Chinese only
        cls.env["res.lang"]._activate_lang("en_US")
        cls.desk = new_test_user(
            cls.env,
            login="care_portal_desk",
            groups="customer_care.group_pickup_desk",
            name="Care portal desk",
            tz="Asia/Shanghai",
            lang="en_US",
        )
        cls.manager = new_test_user(
            cls.env,
            login="care_portal_manager",
            groups="customer_care.group_general_manager",
            name="Care portal manager",
            tz="Asia/Shanghai",
            lang="en_US",
        )
        cls.salesman = new_test_user(
            cls.env,
            login="care_portal_salesman",
            groups="sales_team.group_sale_salesman",
            name="Care portal salesman",
            tz="Asia/Shanghai",
            lang="en_US",
        )
        cls.company = cls.env.company
        cls.calendar, cls.warehouse, cls.point = pickup_point(
            cls.env, "门户测试自提点", cls.desk, cls.manager, cls.salesman
        )
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "无锡宏达五金店",
                "is_company": True,
                "email": "hongda@example.com",
                "mobile": "+86 139 0000 5678",
                # the assertions read the English texts
                "lang": "en_US",
            }
        )
        cls.other_customer = cls.env["res.partner"].create(
            {
                "name": "常州永泰建材行",
                "is_company": True,
                "email": "yongtai@example.com",
                "mobile": "+86 139 0000 8765",
                "lang": "en_US",
            }
        )
        cls.drill = cls.env["product.product"].create(
            {
                "name": "门户电钻",
                "type": "consu",
                "is_storable": True,
                "list_price": 300,
            }
        )
        cls.env["stock.quant"]._update_available_quantity(
            cls.drill, cls.warehouse.lot_stock_id, 100
        )
        # real time: the HTTP server and the browser do not see frozen
        # clocks, so the pickup is on an open day from the day after tomorrow
        cls.planned_local, cls.planned = cls._open_slot(2, 10)
        cls.pickup = cls._notified_pickup(cls.customer, 5)
        cls.other_pickup = cls._notified_pickup(cls.other_customer, 3)
        cls.voucher = cls.pickup.voucher_id
        cls.url = cls._path(cls.voucher)

    @classmethod
    def _open_slot(cls, days, hour, minute=0):
        """The first time ``hour``:``minute`` in Shanghai, ``days`` days from
        today or later, when the point is open: (local, naive UTC)."""
        day = (datetime.now(SHANGHAI) + timedelta(days=days)).date()
        for _i in range(60):
            local = SHANGHAI.localize(datetime.combine(day, time(hour, minute)))
            utc = local.astimezone(pytz.utc).replace(tzinfo=None)
            if cls.point._care_is_open(utc):
                return local, utc
            day += timedelta(days=1)
        raise AssertionError("the pickup point is never open")

    @classmethod
    def _notified_pickup(cls, customer, qty):
        """A confirmed self-pickup order of ``customer``, its pickup
        confirmed, ready and notified."""
        order = cls.env["sale.order"].create(
            {
                "partner_id": customer.id,
                "user_id": cls.salesman.id,
                "warehouse_id": cls.warehouse.id,
                "care_pickup": True,
                "care_pickup_point_id": cls.point.id,
                "care_pickup_planned_at": cls.planned,
                "order_line": [
                    Command.create({"product_id": cls.drill.id, "product_uom_qty": qty})
                ],
            }
        )
        order.action_confirm()
        pickup = order.care_pickup_ids
        pickup.action_confirm_with_customer()
        pickup.action_check_stock()
        pickup._care_send_notice()
        assert pickup.state == "notified", pickup.state
        return pickup

    @classmethod
    def _path(cls, voucher):
        """The path of the voucher's portal page, from the link of its
        notice."""
        base = voucher.get_base_url()
        url = cls._secret(voucher, "url")
        assert url.startswith(base), url
        return url[len(base) :]

    # ------------------------------------------------------------
    # helpers
    # ------------------------------------------------------------

    def _get(self, url, **kwargs):
        return self.url_open(url, timeout=30, **kwargs)

    def _page(self, url=None):
        response = self._get(url or self.url)
        self.assertEqual(response.status_code, 200)
        return response

    def _csrf(self, html):
        match = CSRF_RE.search(html)
        self.assertTrue(match, "the page has no form with a CSRF token")
        return match.group(1)

    def _post(self, action, url=None, **data):
        """POST ``data`` to the page's form ``action`` with the CSRF token of
        the page, as the customer's browser does."""
        url = url or self.url
        token = self._csrf(self._page(url).text)
        return self.url_open(
            f"{url}/{action}", data={"csrf_token": token, **data}, timeout=30
        )

    def _local_input(self, local):
        """A local time as the page's datetime-local input sends it."""
        return local.strftime("%Y-%m-%dT%H:%M")

    def _assert_404(self, response):
        self.assertEqual(response.status_code, 404)
        for secret in (
            self.pickup.name,
            self.pickup.sale_order_id.name,
            self.other_pickup.sale_order_id.name,
            self.customer.name,
            self.point.name,
        ):
            self.assertNotIn(secret, response.text)
        return self._shape(response.text)

    def _shape(self, html):
        """A 404 page without what differs from one request to the next: the
        CSRF token, and the requested path that the language switcher (when
        several languages are active) links to again."""
        html = re.sub(r'csrf_token["\']?\s*[:=]\s*["\'][^"\']*["\']', "", html)
        html = re.sub(r"/care/pickup/[^\s\"'<>]*", "/care/pickup/…", html)
        return re.sub(r"[0-9a-f]{40}o[0-9]+", "", html)

    def _silent_404(self):
        return mute_logger("odoo.http", "werkzeug", "odoo.addons.http_routing")

    def _expire(self, voucher):
        """Move the pickup before now by more than the no-show hours, as if
        the time had passed (the constraint refuses a past time, so SQL)."""
        planned = fields.Datetime.now() - timedelta(days=3)
        hours = self.company.care_pickup_no_show_hours
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "UPDATE customer_care_pickup SET planned_at = %s WHERE id = %s",
                planned,
                voucher.pickup_id.id,
            )
        )
        self.env.cr.execute(
            SQL(
                "UPDATE customer_care_pickup_voucher SET expires_at = %s WHERE id = %s",
                planned + timedelta(hours=hours),
                voucher.id,
            )
        )
        self.env.invalidate_all()

    # ------------------------------------------------------------
    # the page
    # ------------------------------------------------------------

    def test_page_shows_the_pickup_without_login(self):
        response = self._page()
        html = response.text
        self.assertIn(self.pickup.sale_order_id.name, html)
        self.assertIn(self.planned_local.strftime("%Y-%m-%d %H:%M"), html)
        self.assertIn(self.point.name, html)
        self.assertIn(self.drill.name, html)
        self.assertIn("身份证原件及提货凭证", html)
        # nothing of another order, and never the code itself
        self.assertNotIn(self.other_pickup.sale_order_id.name, html)
        self.assertNotIn(self.other_customer.name, html)
        self.assertNotIn(self._secret(self.voucher, "code"), html)
        self.assertEqual(response.headers.get("Cache-Control"), "no-store")
        self.assertEqual(response.headers.get("Referrer-Policy"), "no-referrer")
        # the other customer's link shows the other order only
        other = self._page(self._path(self.other_pickup.voucher_id)).text
        self.assertIn(self.other_pickup.sale_order_id.name, other)
        self.assertNotIn(self.pickup.sale_order_id.name, other)

    def test_confirm(self):
        response = self._post("confirm")
        self.assertEqual(response.status_code, 200)
        self.assertIn("o_care_pickup_confirmed", response.text)
        self.assertEqual(self.pickup.customer_reply, "confirmed")
        self.assertTrue(self.pickup.customer_replied_at)
        self.assertEqual(self.pickup.state, "notified")
        self.assertEqual(self.pickup.planned_at, self.planned)
        self.assertFalse(self.other_pickup.customer_reply)
        # the confirmed page offers no second confirmation
        self.assertNotIn("o_care_pickup_confirm_form", self._page().text)

    def test_confirm_without_csrf_token_is_refused(self):
        self._page()
        with mute_logger("odoo.http"):
            response = self.url_open(
                f"{self.url}/confirm", data={"csrf_token": "forged"}, timeout=30
            )
        self.assertEqual(response.status_code, 400)
        self.assertFalse(self.pickup.customer_reply)

    def test_reschedule_inside_opening_hours(self):
        new_local, new_utc = self._open_slot(3, 14)
        response = self._post("reschedule", planned_at=self._local_input(new_local))
        self.assertEqual(response.status_code, 200)
        self.assertIn("o_care_pickup_rescheduled", response.text)
        self.assertEqual(self.pickup.planned_at, new_utc)
        self.assertEqual(self.pickup.customer_reply, "reschedule")
        # the salesperson is asked to check the new time
        todo = self.env.ref("mail.mail_activity_data_todo")
        self.assertTrue(
            self.pickup.activity_ids.filtered(
                lambda a: a.user_id == self.salesman and a.activity_type_id == todo
            )
        )
        # the link keeps working and shows the new time
        self.assertIn(new_local.strftime("%Y-%m-%d %H:%M"), self._page().text)

    def _assert_reschedule_refused(self, value, message):
        activities = self.pickup.activity_ids
        messages = self.pickup.message_ids
        response = self._post("reschedule", planned_at=value)
        self.assertEqual(response.status_code, 400)
        self.assertIn("o_care_pickup_error", response.text)
        self.assertIn(message, response.text)
        self.assertEqual(self.pickup.planned_at, self.planned)
        self.assertFalse(self.pickup.customer_reply)
        self.assertFalse(self.pickup.customer_replied_at)
        self.assertEqual(self.pickup.activity_ids, activities)
        self.assertEqual(self.pickup.message_ids, messages)

    def test_reschedule_outside_opening_hours_is_refused(self):
        day_local, _utc = self._open_slot(3, 10)
        evening = day_local.replace(hour=20)
        self._assert_reschedule_refused(
            self._local_input(evening),
            f"is closed at {evening:%Y-%m-%d %H:%M}",
        )
        lunch = day_local.replace(hour=12, minute=30)
        self._assert_reschedule_refused(self._local_input(lunch), "is closed at")

    def test_reschedule_in_the_past_is_refused(self):
        past = datetime.now(SHANGHAI) - timedelta(days=1)
        self._assert_reschedule_refused(self._local_input(past), "has passed")

    def test_reschedule_without_a_time_is_refused(self):
        self._assert_reschedule_refused("tomorrow", "you want to come")

    # ------------------------------------------------------------
    # links that do not work: 404 alike
    # ------------------------------------------------------------

    def test_bad_links_answer_404_alike(self):
        token = self.url.rsplit("/", 1)[1]
        other_url = self._path(self.other_pickup.voucher_id)
        other_token = other_url.rsplit("/", 1)[1]
        missing_id = (
            self.env["customer.care.pickup.voucher"]
            .sudo()
            .search([], order="id desc", limit=1)
            .id
            + 1000
        )
        with self._silent_404():
            shapes = {
                "wrong token": self._assert_404(
                    self._get(f"/care/pickup/{self.voucher.id}/{'x' * len(token)}")
                ),
                "another voucher's token": self._assert_404(
                    self._get(f"/care/pickup/{self.voucher.id}/{other_token}")
                ),
                "missing voucher": self._assert_404(
                    self._get(f"/care/pickup/{missing_id}/{token}")
                ),
                "wrong token, PDF": self._assert_404(
                    self._get(f"/care/pickup/{self.voucher.id}/x{token}/voucher.pdf")
                ),
            }
            # the POST routes answer the same and write nothing
            csrf = self._csrf(self._page().text)
            shapes["wrong token, confirm"] = self._assert_404(
                self.url_open(
                    f"/care/pickup/{self.voucher.id}/{other_token}/confirm",
                    data={"csrf_token": csrf},
                    timeout=30,
                )
            )
        self.assertFalse(self.pickup.customer_reply)
        self.assertFalse(self.other_pickup.customer_reply)
        self.assertEqual(
            len(set(shapes.values())), 1, f"404 pages differ: {list(shapes)}"
        )
        # and look like the 404 of a voided and an expired voucher
        self.assertEqual(self._voided_404(), shapes["wrong token"])
        self.assertEqual(self._expired_404(), shapes["wrong token"])

    def _voided_404(self):
        old_url = self.url
        self.pickup._care_send_notice()
        self.assertEqual(self.voucher.state, "voided")
        new_voucher = self.pickup.voucher_id
        self.assertNotEqual(new_voucher, self.voucher)
        with self._silent_404():
            shape = self._assert_404(self._get(old_url))
        # the new link works
        self._page(self._path(new_voucher))
        return shape

    def test_voided_voucher_answers_404(self):
        self._voided_404()

    def _expired_404(self):
        voucher = self.pickup.voucher_id
        url = self._path(voucher)
        csrf = self._csrf(self._page(url).text)
        self._expire(voucher)
        with self._silent_404():
            shape = self._assert_404(self._get(url))
            self._assert_404(
                self.url_open(f"{url}/confirm", data={"csrf_token": csrf}, timeout=30)
            )
        return shape

    def test_expired_voucher_answers_404(self):
        self._expired_404()
        self.assertFalse(self.pickup.customer_reply)

    # ------------------------------------------------------------
    # PDF
    # ------------------------------------------------------------

    def test_voucher_pdf(self):
        # In tests Odoo renders reports as HTML unless told otherwise: let
        # the route call wkhtmltopdf as in production. The request holds the
        # test cursor while wkhtmltopdf runs, so wkhtmltopdf cannot fetch the
        # assets from this server (it would wait forever): it gets a closed
        # port instead and renders without them.
        self.env["ir.config_parameter"].set_param("report.url", "http://127.0.0.1:9")
        with patch.dict(config.options, {"test_enable": False, "test_file": False}):
            response = self._get(f"{self.url}/voucher.pdf")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers["Content-Type"], "application/pdf")
        self.assertTrue(response.content.startswith(b"%PDF"))
        self.assertIn(".pdf", response.headers["Content-Disposition"])

    def test_pickup_record_pdf(self):
        pickup = self.pickup
        wizard = (
            self.env["customer.care.pickup.handover"]
            .with_user(self.desk)
            .create(
                {
                    "pickup_id": pickup.id,
                    "code": self._secret(self.voucher, "code"),
                    "collector_name": "李四",
                    "collector_id_number": ID_NUMBER,
                    "id_checked": True,
                }
            )
        )
        wizard.action_hand_over()
        self.assertEqual(pickup.state, "collected")
        report = self.env["ir.actions.report"].with_context(force_report_rendering=True)
        pdf, report_format = report._render_qweb_pdf(
            "customer_care.action_report_pickup_record", pickup.ids
        )
        self.assertEqual(report_format, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
        html = report._render_qweb_html(
            "customer_care.action_report_pickup_record", pickup.ids
        )[0].decode()
        self.assertIn("李四", html)
        self.assertIn(ID_NUMBER[-4:], html)
        self.assertNotIn(ID_NUMBER, html)

    # ------------------------------------------------------------
    # the desk in the browser
    # ------------------------------------------------------------

    def test_handover_tour(self):
        pickup = self.pickup
        # a known code, so that the tour can type it (as if the notice had
        # carried it)
        self.voucher.sudo().code_hash = self.voucher._care_code_hash(KNOWN_CODE)
        self.start_tour(
            f"/odoo/action-customer_care.customer_care_pickup_action/{pickup.id}",
            "customer_care_pickup_tour",
            login=self.desk.login,
            timeout=120,
        )
        self.env.invalidate_all()
        self.assertEqual(pickup.state, "collected")
        self.assertEqual(pickup.picking_id.state, "done")
        self.assertEqual(pickup.collector_name, "李四")
        self.assertEqual(pickup.collector_id_number, "**************0417")
        self.assertEqual(pickup.desk_user_id, self.desk)
        self.assertEqual(pickup.line_ids.handed_qty, 5)
        self.assertEqual(self.voucher.state, "used")
        # the wrong code was counted once, then the handover reset the count
        wrong = pickup.message_ids.filtered(
            lambda m: "Wrong voucher code entered" in (m.body or "")
        )
        self.assertEqual(len(wrong), 1)
        self.assertIn("1 of 5", wrong.body)
        self.assertEqual(pickup.failed_attempts, 0)
        self.assertFalse(pickup.locked_until)
