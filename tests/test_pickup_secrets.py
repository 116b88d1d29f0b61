# Copyright 2026 customer_care contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import importlib.util
import json
import xmlrpc.client
from datetime import datetime, time, timedelta
from pathlib import Path
from unittest.mock import patch

import pytz

from odoo import Command
from odoo.tests import HttpCase, TransactionCase, get_db_name, new_test_user, tagged
from odoo.tools import SQL, mute_logger

from ..models.customer_care_pickup_voucher import care_hash, code_from_token
from .common import WarmUpMixin, pickup_point
from .test_pickup import VoucherSecretsMixin

ID_NUMBER = "310101198506120417"
SHANGHAI = pytz.timezone("Asia/Shanghai")
MIGRATION = (
    Path(__file__).resolve().parent.parent
    / "migrations"
    / "18.0.1.1.0"
    / "post-migration.py"
)


def open_slot(point, days, hour):
    """Naive UTC of the first ``hour`` o'clock in Shanghai, ``days`` days
    from today or later, when ``point`` is open (real time: the HTTP server
    does not see frozen clocks)."""
    day = (datetime.now(SHANGHAI) + timedelta(days=days)).date()
    for _i in range(60):
        local = SHANGHAI.localize(datetime.combine(day, time(hour)))
        utc = local.astimezone(pytz.utc).replace(tzinfo=None)
        if point._care_is_open(utc):
            return utc
        day += timedelta(days=1)
    raise AssertionError("the pickup point is never open")


def ready_pickup(env, point, warehouse, customer, salesman, product):
    """A self-pickup order of ``customer``, confirmed, its pickup ready."""
    order = env["sale.order"].create(
        {
            "partner_id": customer.id,
            "user_id": salesman.id,
            "warehouse_id": warehouse.id,
            "care_pickup": True,
            "care_pickup_point_id": point.id,
            "care_pickup_planned_at": open_slot(point, 2, 10),
            "order_line": [
                Command.create({"product_id": product.id, "product_uom_qty": 3})
            ],
        }
    )
    order.action_confirm()
    pickup = order.care_pickup_ids
    pickup.action_confirm_with_customer()
    pickup.action_check_stock()
    assert pickup.state == "ready", pickup.state
    return pickup


@tagged("post_install", "-at_install")
class TestPickupSecrets(WarmUpMixin, VoucherSecretsMixin, HttpCase):
    """Issue 12: the pickup code and the link's token are readable by no
    person, through no field, export, report or mail record, as the desk and
    the salesperson call the server (XML-RPC and HTTP); the customer's link
    shows the code; the collector's ID number is kept masked and hashed."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("en_US")
        cls.desk = new_test_user(
            cls.env,
            login="care_secret_desk",
            # with the right to export: what would an export show?
            groups="customer_care.group_pickup_desk,base.group_allow_export",
            tz="Asia/Shanghai",
            lang="en_US",
        )
        cls.salesman = new_test_user(
            cls.env,
            login="care_secret_salesman",
            groups="sales_team.group_sale_salesman,base.group_allow_export",
            tz="Asia/Shanghai",
            lang="en_US",
        )
        manager = new_test_user(
            cls.env,
            login="care_secret_manager",
            groups="customer_care.group_general_manager",
        )
        _calendar, cls.warehouse, cls.point = pickup_point(
            cls.env, "保密测试自提点", cls.desk, manager, cls.salesman
        )
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "苏州恒通五金",
                "is_company": True,
                "email": "hengtong@example.com",
                "mobile": "+86 139 0000 4321",
                "lang": "en_US",
            }
        )
        cls.product = cls.env["product.product"].create(
            {"name": "保密电钻", "type": "consu", "is_storable": True}
        )
        cls.env["stock.quant"]._update_available_quantity(
            cls.product, cls.warehouse.lot_stock_id, 100
        )
        cls.pickup = ready_pickup(
            cls.env,
            cls.point,
            cls.warehouse,
            cls.customer,
            cls.salesman,
            cls.product,
        )
        # as the desk sends it: the issuing method hands the clear values to
        # the notice (kept here by VoucherSecretsMixin), nothing else
        cls.pickup.with_user(cls.desk).action_send_notice()
        cls.voucher = cls.pickup.voucher_id
        clear = cls.voucher_secrets[cls.voucher.id]
        cls.token, cls.code, cls.url = clear["token"], clear["code"], clear["url"]
        cls.path = cls.url[len(cls.voucher.get_base_url()) :]

    # ------------------------------------------------------------
    # helpers
    # ------------------------------------------------------------

    def rpc(self, user, model, method, *args, **kwargs):
        """``model.method(*args, **kwargs)`` over XML-RPC as ``user``
        (password = login)."""
        return self.xmlrpc_object.execute_kw(
            get_db_name(), user.id, user.login, model, method, list(args), kwargs
        )

    def assert_no_secret(self, text, where):
        for label, secret in (
            ("code", self.code),
            ("token", self.token),
            ("link", self.path),
        ):
            self.assertNotIn(secret, text, f"the {label} is in {where}")

    def _readable(self, user, model):
        described = self.rpc(
            user, model, "fields_get", attributes=["type", "exportable"]
        )
        return described

    # ------------------------------------------------------------
    # the database
    # ------------------------------------------------------------

    def test_the_issuing_method_returns_what_the_database_does_not_hold(self):
        self.assertEqual(len(self.token), 43)
        self.assertEqual(self.code, code_from_token(self.env, self.token))
        self.assertEqual(len(self.code), 8)
        voucher = self.voucher.sudo()
        for fname in ("code", "access_token", "portal_url"):
            self.assertNotIn(fname, voucher._fields)
        self.assertEqual(
            voucher.token_hash, care_hash(self.env, "pickup.token", self.token)
        )
        self.assertNotIn(self.token, voucher.code_hash + voucher.token_hash)
        self.assertTrue(voucher._care_matches(self.code))

    def _tables_holding_a_secret(self):
        """The tables of the database with a row that holds the code or the
        token, whatever the column."""
        self.env.flush_all()
        self.env.cr.execute(
            """
            SELECT c.relname FROM pg_class c
              JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE c.relkind = 'r' AND n.nspname = 'public'
            """
        )
        found = set()
        for (table,) in self.env.cr.fetchall():
            for secret in (self.code, self.token):
                self.env.cr.execute(
                    SQL(
                        "SELECT 1 FROM %s t WHERE t::text LIKE %s LIMIT 1",
                        SQL.identifier(table),
                        f"%{secret}%",
                    )
                )
                if self.env.cr.fetchone():
                    found.add(table)
        return found

    def test_no_table_holds_the_code_or_the_token_but_the_queued_notice(self):
        # the notice waiting to be sent (the mail with its voucher PDF and
        # the SMS to the customer), readable by the administrators only
        self.assertEqual(
            self._tables_holding_a_secret(),
            {"mail_message", "mail_mail", "ir_attachment", "sms_sms"},
        )
        messages = self.env["mail.message"].search([("body", "ilike", self.code)])
        self.assertEqual(len(messages), 1)
        self.assertFalse(messages.model or messages.res_id)
        mail = self.env["mail.mail"].search([("mail_message_id", "=", messages.id)])
        self.assertTrue(mail.auto_delete)
        # sent, it is gone with its attachment (the voucher PDF)
        attachments = messages.attachment_ids
        self.assertTrue(attachments)
        # sent in test mode, whichever runner runs the suite (Odoo's own
        # marks it; pytest-odoo does not, and a real SMTP connection fails)
        with patch("odoo.modules.module.current_test", True):
            mail.send()
        self.assertFalse(mail.exists())
        self.assertFalse(messages.exists())
        self.assertFalse(attachments.exists())
        # the SMS goes once sent too (by the SMS queue, through IAP)
        self.assertEqual(self._tables_holding_a_secret(), {"sms_sms"})

    # ------------------------------------------------------------
    # every field, every export, every report, as the desk and sales
    # ------------------------------------------------------------

    def test_no_readable_field_holds_a_secret(self):
        for user in (self.desk, self.salesman):
            for model, record in (
                ("customer.care.pickup.voucher", self.voucher),
                ("customer.care.pickup", self.pickup),
            ):
                with self.subTest(user=user.login, model=model):
                    names = list(self._readable(user, model))
                    self.assertNotIn("token_hash", names)
                    self.assertNotIn("code_hash", names)
                    values = self.rpc(user, model, "read", record.ids, names)
                    self.assertEqual(len(values), 1)
                    self.assert_no_secret(json.dumps(values, default=str), model)
                    # the link is built in memory for the notice only
                    self.assertNotIn("portal_url", names)

    def test_no_export_holds_a_secret(self):
        for user in (self.desk, self.salesman):
            voucher_fields = [
                name
                for name, field in self._readable(
                    user, "customer.care.pickup.voucher"
                ).items()
                if field.get("exportable", True)
            ]
            pickup_fields = [
                name
                for name, field in self._readable(user, "customer.care.pickup").items()
                if field.get("exportable", True)
            ]
            for model, record, names in (
                ("customer.care.pickup.voucher", self.voucher, voucher_fields),
                (
                    "customer.care.pickup",
                    self.pickup,
                    pickup_fields + [f"voucher_ids/{name}" for name in voucher_fields],
                ),
            ):
                with self.subTest(user=user.login, model=model):
                    exported = self.rpc(user, model, "export_data", record.ids, names)
                    self.assertTrue(exported["datas"])
                    self.assert_no_secret(json.dumps(exported), f"the {model} export")

    def test_no_report_holds_a_secret(self):
        for user in (self.desk, self.salesman):
            self.authenticate(user.login, user.login)
            for report, record in (
                ("customer_care.report_pickup_voucher", self.voucher),
                ("customer_care.report_pickup_record", self.pickup),
            ):
                with self.subTest(user=user.login, report=report):
                    response = self.url_open(f"/report/html/{report}/{record.id}")
                    self.assertEqual(response.status_code, 200)
                    self.assertIn(self.pickup.name, response.text)
                    self.assert_no_secret(response.text, report)
            html, _format = (
                self.env["ir.actions.report"]
                .with_user(user)
                ._render_qweb_html(
                    "customer_care.action_report_pickup_voucher", self.voucher.ids
                )
            )
            self.assert_no_secret(html.decode(), "the voucher rendered in Python")

    def test_no_mail_record_is_readable(self):
        for user in (self.desk, self.salesman):
            with self.subTest(user=user.login):
                self.assertFalse(
                    self.rpc(
                        user,
                        "mail.message",
                        "search_read",
                        [("body", "ilike", self.code)],
                        fields=["body"],
                    )
                )
                messages = self.rpc(
                    user,
                    "mail.message",
                    "search_read",
                    [
                        ("model", "=", "customer.care.pickup"),
                        ("res_id", "=", self.pickup.id),
                    ],
                    fields=["body", "subject"],
                )
                self.assertTrue(messages)
                self.assert_no_secret(json.dumps(messages), "the chatter")
                with self.assertRaises(xmlrpc.client.Fault):
                    self.rpc(user, "mail.mail", "search_read", [], fields=["body"])
                with self.assertRaises(xmlrpc.client.Fault):
                    self.rpc(user, "sms.sms", "search_read", [], fields=["body"])

    # ------------------------------------------------------------
    # the customer's link
    # ------------------------------------------------------------

    def test_the_link_with_a_wrong_token_is_404(self):
        wrong = "x" * len(self.token)
        with mute_logger("odoo.http", "werkzeug", "odoo.addons.http_routing"):
            for path in (
                f"/care/pickup/{self.voucher.id}/{wrong}",
                f"/care/pickup/{self.voucher.id}/{wrong}/voucher.pdf",
                # the hash is not the token
                f"/care/pickup/{self.voucher.id}/{self.voucher.sudo().token_hash}",
            ):
                with self.subTest(path=path):
                    self.assertEqual(self.url_open(path).status_code, 404)

    def test_the_link_shows_the_code_on_the_voucher(self):
        page = self.url_open(self.path)
        self.assertEqual(page.status_code, 200)
        # in tests the report comes as HTML (no wkhtmltopdf): its text is
        # readable
        pdf = self.url_open(f"{self.path}/voucher.pdf")
        self.assertEqual(pdf.status_code, 200)
        self.assertIn(self.code, pdf.text)
        self.assertIn("o_care_voucher_qr", pdf.text)
        self.assertNotIn(self.token, pdf.text)

    # ------------------------------------------------------------
    # the desk
    # ------------------------------------------------------------

    def _handover(self, code):
        wizard_id = self.rpc(
            self.desk,
            "customer.care.pickup.handover",
            "create",
            {
                "pickup_id": self.pickup.id,
                "code": code,
                "collector_name": "周明",
                "collector_id_number": ID_NUMBER,
                "id_checked": True,
            },
        )
        result = self.rpc(
            self.desk, "customer.care.pickup.handover", "action_hand_over", [wizard_id]
        )
        return self.env["customer.care.pickup.handover"].browse(wizard_id), result

    def test_a_wrong_code_counts_the_right_one_hands_over(self):
        wizard, result = self._handover("ABCDEFGH")
        self.assertEqual(result["res_model"], "customer.care.pickup.handover")
        self.assertIn("Wrong voucher code", wizard.error)
        self.assertEqual(self.pickup.failed_attempts, 1)
        self.assertEqual(self.pickup.state, "notified")
        wizard, result = self._handover(self.code.lower())
        self.assertEqual(result, {"type": "ir.actions.act_window_close"})
        self.assertEqual(self.pickup.state, "collected")
        self.assertEqual(self.voucher.state, "used")
        # the wizard keeps neither the code nor the ID number
        self.assertFalse(wizard.code)
        self.assertEqual(wizard.collector_id_number, "**************0417")

    def test_the_id_number_is_stored_masked_and_matched_by_hash(self):
        self._handover(self.code)
        pickup = self.pickup
        self.assertEqual(pickup.collector_id_number, "**************0417")
        self.assertEqual(
            pickup.collector_id_hash,
            care_hash(self.env, "pickup.collector_id", ID_NUMBER),
        )
        self.env.flush_all()
        for table in ("customer_care_pickup", "customer_care_pickup_handover"):
            self.env.cr.execute(
                SQL(
                    "SELECT count(*) FROM %s t WHERE t::text LIKE %s",
                    SQL.identifier(table),
                    f"%{ID_NUMBER}%",
                )
            )
            self.assertEqual(self.env.cr.fetchone()[0], 0, table)
        # the record PDF shows it masked
        self.authenticate(self.desk.login, self.desk.login)
        html = self.url_open(
            f"/report/html/customer_care.report_pickup_record/{pickup.id}"
        ).text
        self.assertIn("**************0417", html)
        self.assertNotIn(ID_NUMBER, html)
        # the same person, the number typed with spaces, is found again
        later = ready_pickup(
            self.env,
            self.point,
            self.warehouse,
            self.customer,
            self.salesman,
            self.product,
        )
        later.with_user(self.desk).action_send_notice()
        wizard = (
            self.env["customer.care.pickup.handover"]
            .with_user(self.desk)
            .create(
                {
                    "pickup_id": later.id,
                    "code": self.voucher_secrets[later.voucher_id.id]["code"],
                    "collector_name": "周明",
                    "collector_id_number": "310101 19850612 0417",
                    "id_checked": True,
                }
            )
        )
        wizard.action_hand_over()
        self.assertEqual(later.collector_id_hash, pickup.collector_id_hash)
        Pickup = self.env["customer.care.pickup"].with_user(self.desk)
        self.assertEqual(Pickup._care_search_collector(ID_NUMBER), pickup | later)
        self.assertEqual(later.with_user(self.desk).collector_pickup_count, 2)
        self.assertFalse(Pickup._care_search_collector("310101198506120418"))


@tagged("post_install", "-at_install")
class TestPickupSecretsMigration(VoucherSecretsMixin, TransactionCase):
    """migrations/18.0.1.1.0: the clear codes, tokens and ID numbers of a
    database of version 18.0.1.0.0 become keyed hashes (and masks)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        desk = new_test_user(
            cls.env, login="care_mig_desk", groups="customer_care.group_pickup_desk"
        )
        salesman = new_test_user(
            cls.env, login="care_mig_sales", groups="sales_team.group_sale_salesman"
        )
        _calendar, warehouse, point = pickup_point(
            cls.env, "迁移测试自提点", desk, desk, salesman
        )
        customer = cls.env["res.partner"].create(
            {"name": "昆山旧单客户", "email": "old@example.com"}
        )
        product = cls.env["product.product"].create(
            {"name": "迁移电钻", "type": "consu", "is_storable": True}
        )
        cls.env["stock.quant"]._update_available_quantity(
            product, warehouse.lot_stock_id, 10
        )
        cls.pickup = ready_pickup(
            cls.env, point, warehouse, customer, salesman, product
        )
        cls.pickup._care_send_notice()
        cls.voucher = cls.pickup.voucher_id
        cls.collected = ready_pickup(
            cls.env, point, warehouse, customer, salesman, product
        )

    def _old_database(self, code, token):
        """The tables as version 18.0.1.0.0 left them: clear columns."""
        self.env.flush_all()
        cr = self.env.cr
        cr.execute(
            "ALTER TABLE customer_care_pickup_voucher "
            "ADD COLUMN code varchar, ADD COLUMN access_token varchar"
        )
        cr.execute(
            SQL(
                "UPDATE customer_care_pickup_voucher SET code = %s, "
                "access_token = %s, code_hash = NULL, token_hash = NULL "
                "WHERE id = %s",
                code,
                token,
                self.voucher.id,
            )
        )
        cr.execute(
            SQL(
                "UPDATE customer_care_pickup SET collector_id_number = %s, "
                "collector_id_hash = NULL WHERE id = %s",
                ID_NUMBER,
                self.collected.id,
            )
        )
        self.env.invalidate_all()

    def _migrate(self):
        spec = importlib.util.spec_from_file_location("care_post_migration", MIGRATION)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        # what Odoo's loader has in its frame, read by openupgradelib
        stage, addon, pyfile = "post", "customer_care", str(MIGRATION)  # noqa: F841
        module.migrate(self.env.cr, "18.0.1.0.0")
        self.env.invalidate_all()

    def test_clear_values_become_hashes_and_the_columns_go(self):
        token = "old-token-of-a-notice-sent-before"
        self._old_database("ABCD2345", token)
        self._migrate()
        cr = self.env.cr
        for column in ("code", "access_token"):
            cr.execute(
                "SELECT 1 FROM information_schema.columns WHERE table_name = "
                "'customer_care_pickup_voucher' AND column_name = %s",
                [column],
            )
            self.assertFalse(cr.fetchone(), column)
        Voucher = self.env["customer.care.pickup.voucher"]
        # the customer's old notice keeps working: code at the desk, link
        voucher = self.voucher
        self.assertTrue(voucher._care_matches("abcd-2345"))
        self.assertFalse(voucher._care_matches("ABCD2346"))
        self.assertEqual(
            Voucher._care_portal_voucher(
                voucher.id, "old-token-of-a-notice-sent-before"
            ),
            voucher,
        )
        self.assertFalse(Voucher._care_portal_voucher(voucher.id, "another"))
        # its code was not derived from the token: the portal cannot print it
        self.assertEqual(voucher._care_secrets(token)["code"], "")
        collected = self.collected
        self.assertEqual(collected.collector_id_number, "**************0417")
        self.assertEqual(
            collected.collector_id_hash,
            care_hash(self.env, "pickup.collector_id", ID_NUMBER),
        )
        # the notice reads the clear values from the server, not from fields
        template = self.env.ref("customer_care.mail_template_pickup_notice")
        self.assertIn("_care_clear", template.body_html)
        self.assertNotIn("object.code", template.body_html)

    def test_twice_changes_nothing(self):
        self._old_database("ABCD2345", "old-token")
        self._migrate()
        hashes = (self.voucher.sudo().code_hash, self.collected.collector_id_hash)
        self._migrate()
        self.assertEqual(
            (self.voucher.sudo().code_hash, self.collected.collector_id_hash), hashes
        )
