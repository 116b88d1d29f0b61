# Copyright 2026 customer_care contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date, timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, TransactionCase, new_test_user, tagged

from ..hooks import mark_customers_unclassified
from .common import CareApiMixin, posted_invoice, shanghai_calendar
from .test_credit import CreditCase, credit_file

NOT_CLASSIFIED = "has no credit mode yet"


# ----------------------------------------------------------------------
# On out of the box; existing customers not classified yet
# ----------------------------------------------------------------------


@tagged("post_install", "-at_install")
class TestCreditOnboardingInstall(TransactionCase):
    def test_the_checks_are_on_after_install(self):
        self.assertTrue(self.env.ref("base.main_company").account_use_credit_limit)

    def test_a_new_company_has_the_checks_on(self):
        company = self.env["res.company"].create({"name": "杭州新华电器有限公司"})
        self.assertTrue(company.account_use_credit_limit)

    def test_the_settings_still_switch_them_off(self):
        company = self.env["res.company"].create({"name": "宁波海天贸易有限公司"})
        self.env["res.config.settings"].with_company(company).create(
            {"account_use_credit_limit": False}
        ).execute()
        self.assertFalse(company.account_use_credit_limit)

    def test_new_customers_buy_cash_before_goods(self):
        partner = self.env["res.partner"].create({"name": "常州新客户五金店"})
        self.assertEqual(partner.care_credit_mode, "none")

    def test_the_install_marks_the_customers_who_bought_before(self):
        Partner = self.env["res.partner"]
        with_order = Partner.create({"name": "南京老客户商贸", "is_company": True})
        buyer = Partner.create({"name": "采购 李经理", "parent_id": with_order.id})
        self.env["sale.order"].create({"partner_id": buyer.id})
        invoiced = Partner.create({"name": "扬州老客户电器", "is_company": True})
        posted_invoice(self.env, invoiced, 500.0, date(2026, 3, 2))
        prospect = Partner.create({"name": "镇江潜在客户", "is_company": True})
        cancelled = Partner.create({"name": "泰州取消客户", "is_company": True})
        self.env["sale.order"].create({"partner_id": cancelled.id}).action_cancel()
        partners = with_order | buyer | invoiced | prospect | cancelled
        self.env.flush_all()
        mark_customers_unclassified(self.env.cr, partners.ids)
        partners.invalidate_recordset(["care_credit_mode"])
        self.assertEqual(
            partners.mapped("care_credit_mode"),
            ["unclassified", "none", "unclassified", "none", "none"],
        )


# ----------------------------------------------------------------------
# A customer not classified yet: warned, not blocked
# ----------------------------------------------------------------------


@tagged("post_install", "-at_install")
class TestCreditOnboardingUnclassified(CreditCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # bought before the install, without a file: no limit at all
        cls.existing = cls.env["res.partner"].create(
            {
                "name": "常熟老客户建材",
                "is_company": True,
                "care_credit_mode": "unclassified",
            }
        )

    def test_the_order_is_confirmed_and_says_why_it_was_not_checked(self):
        order = self._order(9000.0, partner=self.existing)
        self.assertEqual(self.existing.care_credit_mode, "unclassified")
        self.assertIn(
            NOT_CLASSIFIED, order.with_user(self.salesman).care_credit_warning
        )
        self.assertIs(order.with_user(self.salesman).action_confirm(), True)
        self.assertEqual(order.state, "sale")
        self.assertTrue(
            any(NOT_CLASSIFIED in body for body in order.message_ids.mapped("body"))
        )
        self.assertIn("Credit Onboarding", order.care_credit_warning)

    def test_the_delivery_leaves_and_says_why_it_was_not_checked(self):
        order = self._confirmed(9000.0, partner=self.existing)
        picking = self._picking(order).with_user(self.stock_user)
        self.assertIn(NOT_CLASSIFIED, picking.care_credit_warning)
        self.assertIs(picking.button_validate(), True)
        self.assertEqual(picking.state, "done")
        self.assertTrue(
            any(NOT_CLASSIFIED in body for body in picking.message_ids.mapped("body"))
        )
        self.assertFalse(self.Responsibility.search([("picking_id", "=", picking.id)]))

    def test_once_classified_cash_the_delivery_waits_for_the_payment(self):
        order = self._confirmed(900.0, partner=self.existing)
        self.existing.with_user(self.credit_manager).care_credit_mode = "none"
        picking = self._picking(order).with_user(self.stock_user)
        self.assertIn("must be paid", picking.care_credit_warning)
        with self._refused(UserError, "must be paid"):
            picking.button_validate()


# ----------------------------------------------------------------------
# The onboarding: proposals, effect, apply
# ----------------------------------------------------------------------


@tagged("post_install", "-at_install")
class TestCreditOnboardingWizard(CreditCase):
    """Four customers from before the install: one invoiced 2,000 five days
    ago (rolling), one with Odoo's credit limit of 5,000 and a quotation of
    6,000 (manual, the quotation blocked), one with an open delivery and
    nothing else (cash, the delivery blocked until paid), one invoiced but
    without a file (cash: not eligible)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Onboarding = cls.env["customer.care.credit.onboarding"]
        cls.company.resource_calendar_id = shanghai_calendar(cls.env)
        cls.rolling = cls._credit_customer("苏州滚动电器", "unclassified")
        posted_invoice(cls.env, cls.rolling, 2000.0, cls.today - timedelta(days=5))
        cls.manual = cls._credit_customer("无锡额度商贸", "unclassified", limit=5000.0)
        cls.quotation = cls._order(cls, 6000.0, partner=cls.manual)
        cls.cash = cls.env["res.partner"].create(
            {
                "name": "昆山现款五金",
                "is_company": True,
                "care_credit_mode": "unclassified",
            }
        )
        cls.cash_order = cls._order(cls, 800.0, partner=cls.cash)
        cls.cash_order.action_confirm()
        cls.delivery = cls.cash_order.picking_ids
        cls.no_file = cls.env["res.partner"].create(
            {
                "name": "江阴无档案客户",
                "is_company": True,
                "care_credit_mode": "unclassified",
            }
        )
        posted_invoice(cls.env, cls.no_file, 1000.0, cls.today - timedelta(days=3))
        cls.ours = cls.rolling | cls.manual | cls.cash | cls.no_file

    def _open(self, user=None):
        action = self.Onboarding.with_user(user or self.credit_manager)
        action = action.action_open_onboarding()
        self.assertEqual(action["res_model"], "customer.care.credit.onboarding")
        return self.Onboarding.with_user(user or self.credit_manager).browse(
            action["res_id"]
        )

    def _line(self, wizard, partner):
        line = wizard.line_ids.filtered(lambda line: line.partner_id == partner)
        self.assertEqual(len(line), 1)
        return line

    def test_one_line_per_customer_not_classified_yet(self):
        wizard = self._open()
        self.assertLessEqual(self.ours, wizard.line_ids.partner_id)
        self.assertNotIn(self.customer, wizard.line_ids.partner_id)
        self.assertNotIn(self.cash_customer, wizard.line_ids.partner_id)
        self.assertFalse(wizard.line_ids.partner_id.filtered("parent_id"))

    def test_the_three_modes_are_proposed(self):
        wizard = self._open()
        rolling = self._line(wizard, self.rolling)
        self.assertEqual(rolling.mode, "rolling")
        self.assertEqual(rolling.invoiced_amount, 2000.0)
        self.assertIn("2,000.00", rolling.reason)
        manual = self._line(wizard, self.manual)
        self.assertEqual((manual.mode, manual.credit_limit), ("manual", 5000.0))
        self.assertEqual(self._line(wizard, self.cash).mode, "none")

    def test_a_customer_without_a_file_is_proposed_cash_and_told_why(self):
        line = self._line(self._open(), self.no_file)
        self.assertEqual(line.mode, "none")
        self.assertIn("a complete file", line.reason)

    def test_an_invoice_before_the_period_is_not_recent(self):
        old = self._credit_customer("太仓老发票客户", "unclassified")
        posted_invoice(self.env, old, 700.0, self.today - timedelta(days=31))
        self.assertEqual(self._line(self._open(), old).mode, "none")

    def test_the_period_ends_on_the_company_day(self):
        # 20:00 UTC is already the 16th in Shanghai: the 15th is in the period
        customer = self._credit_customer("张家港时区客户", "unclassified")
        posted_invoice(self.env, customer, 300.0, date(2026, 10, 15))
        with freeze_time("2026-10-15 20:00:00"):
            line = self._line(self._open(), customer)
        self.assertEqual(line.mode, "rolling")

    def test_the_effect_lists_what_would_be_blocked_without_changing_anything(self):
        wizard = self._open()
        self.assertIn(self.quotation, wizard.blocked_order_ids)
        self.assertIn(self.delivery, wizard.blocked_picking_ids)
        self.assertFalse(
            wizard.blocked_order_ids.partner_id.commercial_partner_id
            & (self.rolling | self.cash | self.no_file)
        )
        self.assertEqual(self._line(wizard, self.manual).blocked_order_count, 1)
        self.assertEqual(self._line(wizard, self.cash).blocked_picking_count, 1)
        self.assertEqual(self._line(wizard, self.rolling).blocked_picking_count, 0)
        # the preview wrote nothing
        self.assertEqual(set(self.ours.mapped("care_credit_mode")), {"unclassified"})
        self.assertFalse(self.rolling.care_credit_rolling_amount)
        self.assertFalse(self.rolling.care_credit_history_ids)
        self.assertEqual(self.quotation.state, "draft")

    def test_changed_lines_change_the_effect(self):
        wizard = self._open()
        self._line(wizard, self.manual).credit_limit = 7000.0
        self._line(wizard, self.cash).mode = "unclassified"
        wizard.action_preview()
        self.assertNotIn(self.quotation, wizard.blocked_order_ids)
        self.assertNotIn(self.delivery, wizard.blocked_picking_ids)

    def test_apply_sets_every_mode_in_one_go(self):
        wizard = self._open()
        self._line(wizard, self.no_file).mode = "unclassified"
        result = wizard.action_apply()
        self.assertIsInstance(result, dict)
        self.assertEqual(
            self.ours.mapped("care_credit_mode"),
            ["rolling", "manual", "none", "unclassified"],
        )
        self.assertEqual(self.manual.credit_limit, 5000.0)
        # the rolling limit is there at once, not after the night
        self.assertEqual(self.rolling.care_credit_rolling_amount, 2000.0)
        # the tracking is written when the transaction is flushed
        self.env.cr.flush()
        tracked = self.rolling.message_ids.tracking_value_ids.filtered(
            lambda v: v.field_id.name == "care_credit_mode"
        )
        self.assertEqual(tracked.new_value_char, "Rolling Limit")
        # the delivery of the cash customer now waits for the payment
        self.assertIn(
            "must be paid",
            self.delivery.with_user(self.stock_user).care_credit_warning,
        )
        # the customers classified leave the onboarding
        self.assertEqual(self._open().line_ids.partner_id & self.ours, self.no_file)

    def test_credit_for_a_customer_not_eligible_is_refused_and_nothing_applied(self):
        wizard = self._open()
        self._line(wizard, self.no_file).mode = "rolling"
        with self._refused(ValidationError, "cannot have credit yet"):
            wizard.action_apply()
        self.assertEqual(set(self.ours.mapped("care_credit_mode")), {"unclassified"})

    def test_only_a_credit_manager_runs_it(self):
        with self.assertRaises(AccessError):
            self.Onboarding.with_user(self.salesman).action_open_onboarding()
        with self.assertRaises(AccessError):
            self.Onboarding.with_user(self.regional).action_open_onboarding()
        self.assertTrue(self._open(self.users["gm"]).line_ids)


# ----------------------------------------------------------------------
# Who may run it, over JSON-RPC
# ----------------------------------------------------------------------


@tagged("post_install", "-at_install")
class TestCreditOnboardingRights(CareApiMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.credit_manager = new_test_user(
            cls.env,
            login="care_onboarding_manager",
            groups="customer_care.group_credit_manager",
            name="授信主管 (onboarding)",
        )
        cls.salesman = new_test_user(
            cls.env,
            login="care_onboarding_salesman",
            groups="sales_team.group_sale_salesman",
            name="销售员 (onboarding)",
        )
        cls.existing = cls.env["res.partner"].create(
            {
                "name": "上海老客户贸易",
                "is_company": True,
                "care_credit_mode": "unclassified",
                **credit_file(),
            }
        )

    def test_a_salesman_cannot_run_the_onboarding(self):
        self.api_as(self.salesman)
        self.api_refused("customer.care.credit.onboarding", "action_open_onboarding")
        self.api_refused(
            "customer.care.credit.onboarding",
            "create",
            {
                "line_ids": [
                    Command.create({"partner_id": self.existing.id, "mode": "none"})
                ]
            },
        )

    def test_a_salesman_cannot_apply_a_managers_onboarding(self):
        self.api_as(self.credit_manager)
        action = self.api("customer.care.credit.onboarding", "action_open_onboarding")
        self.api_as(self.salesman)
        self.api_refused(
            "customer.care.credit.onboarding", "action_apply", [action["res_id"]]
        )
        self.existing.invalidate_recordset(["care_credit_mode"])
        self.assertEqual(self.existing.care_credit_mode, "unclassified")

    def test_a_salesman_cannot_classify_the_customer_directly(self):
        self.api_as(self.salesman)
        self.api_refused(
            "res.partner", "write", [self.existing.id], {"care_credit_mode": "none"}
        )
        self.existing.invalidate_recordset(["care_credit_mode"])
        self.assertEqual(self.existing.care_credit_mode, "unclassified")

    def test_the_credit_manager_applies_it(self):
        self.api_as(self.credit_manager)
        action = self.api("customer.care.credit.onboarding", "action_open_onboarding")
        wizard = self.env["customer.care.credit.onboarding"].browse(action["res_id"])
        line = wizard.line_ids.filtered(lambda line: line.partner_id == self.existing)
        self.assertEqual(line.mode, "none")
        result = self.api(
            "customer.care.credit.onboarding", "action_apply", [action["res_id"]]
        )
        self.assertEqual(result["tag"], "display_notification")
        self.existing.invalidate_recordset(["care_credit_mode"])
        self.assertEqual(self.existing.care_credit_mode, "none")
