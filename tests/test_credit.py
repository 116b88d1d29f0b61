# Copyright 2026 customer_care contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64
from contextlib import contextmanager
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from freezegun import freeze_time
from lxml import html

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, TransactionCase, new_test_user, tagged
from odoo.tools import SQL

from .common import CareUsersMixin, posted_invoice, shanghai_calendar

REPORT = "customer_care.action_report_credit_request"
DOCUMENT = base64.b64encode(b"scanned copy")
# the day the rolling-limit tests recompute on
ROLLING_DAY = date(2026, 10, 15)


def text_of(content):
    """The visible text of rendered HTML, whitespace collapsed."""
    return " ".join(html.fromstring(content).text_content().split())


def credit_file():
    """The documents and the contract that make a customer eligible."""
    return {
        "care_business_licence": DOCUMENT,
        "care_business_licence_name": "营业执照.pdf",
        "care_tax_certificate": DOCUMENT,
        "care_tax_certificate_name": "税务登记证.pdf",
        "care_id_copy": DOCUMENT,
        "care_id_copy_name": "身份证.pdf",
        "care_credit_contract_type": "distribution",
        "care_credit_contract_date": date(2026, 1, 5),
        "care_credit_contract": DOCUMENT,
        "care_credit_contract_name": "经销合同.pdf",
        "care_credit_settlement_terms": "月结，次月 25 日前付清。",
    }


class CreditCase(CareUsersMixin, TransactionCase):
    """A company with Odoo's "Sales Credit Limit" on, a customer with a
    manual limit of 3,000 whose regional manager is ``regional``, a cash
    customer, and a product without taxes, so every figure is exact."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the messages are asserted in English, whatever the database's language
        cls.env["res.lang"]._activate_lang("en_US")
        cls.env = cls.env(context=dict(cls.env.context, lang="en_US"))
        cls._create_care_users()
        cls.company = cls.env.company
        cls.company.account_use_credit_limit = True
        cls.today = cls.env.company._care_today()
        cls.credit_manager = cls.users["credit_manager"]
        cls.salesman = new_test_user(
            cls.env,
            login="care_credit_salesman",
            groups="sales_team.group_sale_salesman",
            name="Care credit salesman",
        )
        cls.regional = new_test_user(
            cls.env,
            login="care_credit_regional_east",
            groups="customer_care.group_credit_approver",
            name="华东 regional manager",
        )
        cls.regional_other = new_test_user(
            cls.env,
            login="care_credit_regional_north",
            groups="customer_care.group_credit_approver",
            name="华北 regional manager",
        )
        cls.stock_user = new_test_user(
            cls.env,
            login="care_credit_stock_user",
            groups="stock.group_stock_user",
            name="Care warehouse clerk",
        )
        cls.stock_manager = new_test_user(
            cls.env,
            login="care_credit_stock_manager",
            groups="stock.group_stock_manager",
            name="Care warehouse manager",
        )
        cls.product = cls.env["product.product"].create(
            {
                "name": "水泥 P.O 42.5",
                "type": "consu",
                "invoice_policy": "order",
                "list_price": 100.0,
                "taxes_id": [Command.clear()],
            }
        )
        cls.customer = cls._credit_customer("苏州恒达商贸", "manual", limit=3000.0)
        cls.contact = cls.env["res.partner"].create(
            {"name": "恒达 采购 王经理", "parent_id": cls.customer.id}
        )
        cls.cash_customer = cls.env["res.partner"].create(
            {"name": "无锡宏达五金店", "is_company": True}
        )
        cls.Request = cls.env["customer.care.credit.request"]
        cls.Responsibility = cls.env["customer.care.credit.responsibility"]

    # ------------------------------------------------------------
    # helpers
    # ------------------------------------------------------------

    @classmethod
    def _credit_customer(cls, name, mode, limit=0.0, **values):
        partner = cls.env["res.partner"].create(
            {"name": name, "is_company": True, **credit_file(), **values}
        )
        partner.write(
            {
                "care_credit_mode": mode,
                "credit_limit": limit,
                "care_regional_manager_id": cls.regional.id,
            }
        )
        return partner

    def _order(self, amount, partner=None, product=None, user=None):
        """A draft order of ``amount`` without taxes."""
        return self.env["sale.order"].create(
            {
                "partner_id": (partner or self.customer).id,
                "user_id": (user or self.salesman).id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": (product or self.product).id,
                            "product_uom_qty": 1,
                            "price_unit": amount,
                            "tax_id": [Command.clear()],
                        }
                    )
                ],
            }
        )

    def _confirmed(self, amount, partner=None, **kwargs):
        order = self._order(amount, partner=partner, **kwargs)
        self.assertIs(order.action_confirm(), True)
        return order

    def _invoice(self, amount, partner=None, invoice_date=None, due=None, **kwargs):
        """A posted invoice (or refund) without taxes."""
        return posted_invoice(
            self.env,
            partner or self.customer,
            amount,
            invoice_date or self.today,
            due=due,
            **kwargs,
        )

    def _pay(self, invoices):
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoices.ids
        ).create({})._create_payments()

    def _prepayment(self, amount, partner=None, post=True):
        payment = self.env["account.payment"].create(
            {
                "payment_type": "inbound",
                "partner_type": "customer",
                "partner_id": (partner or self.customer).id,
                "amount": amount,
            }
        )
        if post:
            payment.action_post()
        return payment

    @contextmanager
    def _refused(self, exception, text):
        """Odoo's assertRaises (rolled back to a savepoint, unlike
        assertRaisesRegex), and the message says ``text``."""
        with self.assertRaises(exception) as caught:
            yield caught
        self.assertIn(text, str(caught.exception))

    def _assert_blocked(self, result):
        """The confirmation or validation returned the block dialog."""
        self.assertIsInstance(result, dict, "the check did not block")
        self.assertEqual(result["res_model"], "customer.care.credit.block")
        return self.env["customer.care.credit.block"].browse(result["res_id"])

    def _draft(self, wizard):
        """Ask for approval from the dialog without a repayment plan: the
        draft request it opens, not sent."""
        action = wizard.action_request_approval()
        self.assertEqual(action["tag"], "display_notification")
        self.assertEqual(action["params"]["type"], "warning")
        request = self.Request.with_env(wizard.env).browse(
            action["params"]["next"]["res_id"]
        )
        self.assertEqual(request.state, "draft")
        return request

    def _request(self, order, requester=None, **values):
        """Confirm ``order`` (blocked), ask for approval from the dialog, give
        the repayment plan on the draft, and send the request."""
        requester = requester or self.salesman
        wizard = self._assert_blocked(order.with_user(requester).action_confirm())
        request = self._draft(wizard.with_user(requester))
        request.write(
            {
                "repayment_date": self.today + timedelta(days=20),
                "repayment_amount": request.amount_over,
                **values,
            }
        )
        request.action_request()
        return request.with_user(self.env.user)

    def _picking(self, order):
        picking = order.picking_ids.filtered(
            lambda p: p.picking_type_code == "outgoing"
        )
        self.assertEqual(len(picking), 1)
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty
        picking.move_ids.picked = True
        return picking

    def _figures(self, partner=None, order=None):
        partner = partner or self.customer
        return partner._care_credit_figures(self.company, order=order)


# ----------------------------------------------------------------------
# Eligibility (seed 004 1.1)
# ----------------------------------------------------------------------


@tagged("post_install", "-at_install")
class TestCreditEligibility(CreditCase):
    def _prospect(self, **values):
        return self.env["res.partner"].create(
            {"name": "常州新创建材", "is_company": True, **values}
        )

    def test_file_complete_needs_licence_certificate_and_id_copy(self):
        partner = self._prospect()
        self.assertFalse(partner.care_credit_file_complete)
        partner.write(
            {"care_business_licence": DOCUMENT, "care_tax_certificate": DOCUMENT}
        )
        self.assertFalse(partner.care_credit_file_complete)
        partner.care_id_copy = DOCUMENT
        self.assertTrue(partner.care_credit_file_complete)

    def test_contract_signed_needs_type_date_and_attachment(self):
        partner = self._prospect()
        partner.write(
            {
                "care_credit_contract_type": "direct",
                "care_credit_contract_date": date(2026, 2, 1),
            }
        )
        self.assertFalse(partner.care_credit_contract_signed)
        partner.care_credit_contract = DOCUMENT
        self.assertTrue(partner.care_credit_contract_signed)
        partner.care_credit_contract_date = False
        self.assertFalse(partner.care_credit_contract_signed)

    def test_an_unpaid_invoice_of_last_year_is_not_cleared(self):
        partner = self._prospect(**credit_file())
        self.assertTrue(partner.care_credit_last_year_cleared)
        self._invoice(
            800.0, partner=partner, invoice_date=date(self.today.year - 1, 12, 10)
        )
        partner.invalidate_recordset()
        self.assertEqual(partner.care_credit_last_year_open, 800.0)
        self.assertFalse(partner.care_credit_last_year_cleared)
        self.assertFalse(partner.care_credit_eligible)

    def test_last_year_paid_is_cleared(self):
        partner = self._prospect(**credit_file())
        invoice = self._invoice(
            800.0, partner=partner, invoice_date=date(self.today.year - 1, 12, 10)
        )
        self._pay(invoice)
        partner.invalidate_recordset()
        self.assertEqual(partner.care_credit_last_year_open, 0.0)
        self.assertTrue(partner.care_credit_last_year_cleared)
        self.assertTrue(partner.care_credit_eligible)

    def test_credit_mode_of_a_non_eligible_customer_is_refused(self):
        values = credit_file()
        del values["care_credit_contract"]
        partner = self._prospect(**values)
        self._invoice(
            500.0, partner=partner, invoice_date=date(self.today.year - 1, 11, 3)
        )
        partner.invalidate_recordset()
        with self.assertRaises(ValidationError) as caught:
            partner.care_credit_mode = "rolling"
        message = str(caught.exception)
        self.assertIn("a signed contract", message)
        self.assertIn("last year's receivables cleared", message)
        self.assertNotIn("a complete file", message)
        self.assertEqual(partner.care_credit_mode, "none")

    def test_an_eligible_customer_gets_a_rolling_limit(self):
        partner = self._prospect(**credit_file())
        self.assertTrue(partner.care_credit_eligible)
        partner.care_credit_mode = "rolling"
        self.assertEqual(partner.care_credit_mode, "rolling")

    def test_no_limit_in_force_for_a_cash_customer(self):
        self.assertEqual(self.cash_customer.care_credit_limit, 0.0)
        self.assertEqual(self.customer.care_credit_limit, 3000.0)


# ----------------------------------------------------------------------
# Rolling limit (seed 004 1.2-1.3)
# ----------------------------------------------------------------------


@tagged("post_install", "-at_install")
class TestCreditRollingLimit(CreditCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rolling = cls._credit_customer("南京鑫源建材", "rolling")
        cls.rolling_contact = cls.env["res.partner"].create(
            {"name": "鑫源 财务", "parent_id": cls.rolling.id}
        )
        cls.Partner = cls.env["res.partner"]

    def _recompute(self, day=ROLLING_DAY):
        self.Partner._cron_care_credit_rolling_limits(today=day)

    def _history(self):
        return self.env["customer.care.credit.history"].search(
            [("partner_id", "=", self.rolling.id)], order="id"
        )

    def _invoice_on(self, days_before, amount, **kwargs):
        return self._invoice(
            amount,
            partner=kwargs.pop("partner", self.rolling),
            invoice_date=ROLLING_DAY - timedelta(days=days_before),
            **kwargs,
        )

    def test_invoices_of_the_30_days_before_count(self):
        self._invoice_on(1, 1000.0)
        self._invoice_on(30, 200.0)
        self._invoice_on(12, 50.0, partner=self.rolling_contact)
        self._recompute()
        self.assertEqual(self.rolling.care_credit_rolling_amount, 1250.0)
        self.assertEqual(self.rolling.care_credit_rolling_date, ROLLING_DAY)
        self.assertEqual(self.rolling.care_credit_limit, 1250.0)

    def test_invoices_outside_the_30_days_and_of_the_day_do_not_count(self):
        self._invoice_on(1, 1000.0)
        self._invoice_on(31, 4000.0)
        self._invoice_on(0, 8000.0)
        self._recompute()
        self.assertEqual(self.rolling.care_credit_rolling_amount, 1000.0)

    def test_refunds_subtract(self):
        self._invoice_on(3, 1000.0)
        self._invoice_on(2, 300.0, move_type="out_refund")
        self._recompute()
        self.assertEqual(self.rolling.care_credit_rolling_amount, 700.0)

    def test_draft_invoices_do_not_count(self):
        self._invoice_on(3, 1000.0)
        self._invoice_on(2, 500.0).button_draft()
        self._recompute()
        self.assertEqual(self.rolling.care_credit_rolling_amount, 1000.0)

    def test_history_only_when_the_limit_changes(self):
        self._invoice_on(3, 1000.0)
        self._recompute()
        history = self._history()
        self.assertEqual(history.mapped("amount"), [1000.0])
        self.assertEqual(history.date, ROLLING_DAY)
        self._recompute()
        self.assertEqual(self._history(), history)
        self._invoice_on(0, 600.0)
        self._recompute(ROLLING_DAY + timedelta(days=1))
        self.assertEqual(self._history().mapped("amount"), [1000.0, 1600.0])

    def test_another_company_does_not_reset_the_limit(self):
        self.env["res.company"].create({"name": "无锡分公司", "sequence": 99})
        self._invoice_on(3, 1000.0)
        self._recompute()
        self._recompute()
        self.assertEqual(self.rolling.care_credit_rolling_amount, 1000.0)
        self.assertEqual(self._history().mapped("amount"), [1000.0])

    def test_a_customer_given_credit_just_now_is_recomputed(self):
        """The batches select the customers in SQL: a change of mode still
        pending in the ORM counts."""
        partner = self.env["res.partner"].create(
            {"name": "镇江新起点建材", "is_company": True, **credit_file()}
        )
        self._invoice_on(3, 800.0, partner=partner)
        partner.care_credit_mode = "rolling"
        self._recompute()
        self.assertEqual(partner.care_credit_rolling_amount, 800.0)

    def test_manual_customers_keep_their_limit(self):
        self._invoice(1000.0, invoice_date=ROLLING_DAY - timedelta(days=1))
        self._recompute()
        self.assertEqual(self.customer.care_credit_rolling_amount, 0.0)
        self.assertEqual(self.customer.care_credit_limit, 3000.0)


# ----------------------------------------------------------------------
# Exposure (seed 004 2.1)
# ----------------------------------------------------------------------


@tagged("post_install", "-at_install")
class TestCreditExposure(CreditCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer.credit_limit = 100000.0

    def test_exposure_is_receivables_plus_uninvoiced_orders_plus_this_order(self):
        self._invoice(1000.0)
        self._confirmed(2000.0, partner=self.contact)
        at_hand = self._order(500.0)
        figures = self._figures(order=at_hand)
        self.assertEqual(figures["receivable"], 1000.0)
        self.assertEqual(figures["to_invoice"], 2000.0)
        self.assertEqual(figures["order"], 500.0)
        self.assertEqual(figures["exposure"], 3500.0)
        self.assertEqual(figures["limit"], 100000.0)
        self.assertEqual(figures["over"], 0.0)

    def test_an_invoiced_order_counts_once_as_a_receivable(self):
        order = self._confirmed(1500.0)
        self.assertEqual(self._figures()["to_invoice"], 1500.0)
        order._create_invoices().action_post()
        figures = self._figures()
        self.assertEqual(figures["receivable"], 1500.0)
        self.assertEqual(figures["to_invoice"], 0.0)
        self.assertEqual(figures["exposure"], 1500.0)

    def test_an_order_invoiced_on_delivery_counts_before_its_delivery(self):
        on_delivery = self.product.copy({"invoice_policy": "delivery"})
        self._confirmed(1200.0, product=on_delivery)
        self.assertEqual(self._figures()["to_invoice"], 1200.0)

    def test_paid_invoices_draft_and_cancelled_orders_are_not_exposure(self):
        self._pay(self._invoice(700.0))
        self._order(900.0)
        self._confirmed(400.0)._action_cancel()
        figures = self._figures()
        self.assertEqual(figures["receivable"], 0.0)
        self.assertEqual(figures["to_invoice"], 0.0)
        self.assertEqual(figures["exposure"], 0.0)

    def test_a_list_of_customers_gets_each_its_own_figures(self):
        """The customer list computes the figures of all its rows at once."""
        self._invoice(1000.0, partner=self.contact)
        self._confirmed(300.0)
        self._invoice(250.0, partner=self.cash_customer)
        self._confirmed(40.0, partner=self.cash_customer)
        partners = self.customer | self.contact | self.cash_customer

        def queries(records):
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            exposures = records.mapped("care_credit_exposure")
            return exposures, self.env.cr.sql_log_count - before

        queries(self.customer)  # what the first read of a session loads
        exposures, for_three = queries(partners)
        self.assertEqual(exposures, [1300.0, 1300.0, 290.0])
        # as many queries for three rows as for one
        self.assertEqual(queries(self.customer)[1], for_three)
        self.assertEqual(
            partners.mapped("care_credit_limit"), [100000.0, 100000.0, 0.0]
        )

    def test_other_customers_are_not_exposure(self):
        self._invoice(1000.0, partner=self.cash_customer)
        self._confirmed(1000.0, partner=self.cash_customer)
        self.assertEqual(self._figures()["exposure"], 0.0)


# ----------------------------------------------------------------------
# The kept open balance (the receivables that the checks read)
# ----------------------------------------------------------------------


@tagged("post_install", "-at_install")
class TestCreditKeptBalance(CreditCase):
    """The trigger on account_move_line keeps each customer's open balance,
    so that a check reads it instead of summing every open line."""

    def _kept(self):
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT COALESCE(SUM(b.amount_residual), 0)
                  FROM customer_care_credit_balance b
                  JOIN account_account a ON a.id = b.account_id
                 WHERE b.partner_id = %s AND a.account_type = 'asset_receivable'
                """,
                self.customer.id,
            )
        )
        return float(self.env.cr.fetchone()[0])

    def _counted(self):
        [(amount,)] = self.env["account.move.line"]._read_group(
            [
                ("partner_id", "=", self.customer.id),
                ("account_type", "=", "asset_receivable"),
                ("parent_state", "=", "posted"),
                ("reconciled", "=", False),
            ],
            [],
            ["amount_residual:sum"],
        )
        return amount or 0.0

    def _assert_kept(self, amount):
        self.assertEqual(self._kept(), amount)
        self.assertEqual(self._counted(), amount)
        self.assertEqual(self._figures()["receivable"], amount)

    def test_the_kept_balance_follows_the_ledger(self):
        invoice = self._invoice(1000.0)
        self._assert_kept(1000.0)
        other = self._invoice(400.0)
        self._assert_kept(1400.0)
        # a partial payment, then the rest
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create({"amount": 300.0})._create_payments()
        self._assert_kept(1100.0)
        self._pay(invoice)
        self._assert_kept(400.0)
        # a refund, an invoice set back to draft and cancelled
        self._invoice(150.0, move_type="out_refund")
        self._assert_kept(250.0)
        other.button_draft()
        self._assert_kept(-150.0)
        other.button_cancel()
        self._assert_kept(-150.0)
        # an advance payment not matched yet
        self._prepayment(50.0)
        self._assert_kept(-200.0)

    def test_the_check_reads_the_kept_balance(self):
        self._invoice(1000.0)
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "UPDATE customer_care_credit_balance SET amount_residual = 2500"
                " WHERE partner_id = %s AND amount_residual = 1000",
                self.customer.id,
            )
        )
        self.assertEqual(self._figures()["receivable"], 2500.0)
        self._assert_blocked(self._order(600.0).action_confirm())

    def test_uninstalling_removes_the_table_and_its_triggers(self):
        from odoo.addons.customer_care.hooks import uninstall_hook

        uninstall_hook(self.env)
        self.env.cr.execute("SELECT to_regclass('customer_care_credit_balance')")
        self.assertIsNone(self.env.cr.fetchone()[0])
        self.env.cr.execute(
            "SELECT COUNT(*) FROM pg_trigger WHERE tgname LIKE 'customer_care_credit%'"
        )
        self.assertEqual(self.env.cr.fetchone()[0], 0)
        # the ledger still works without them
        self._invoice(100.0)

    def test_a_table_without_slots_gets_them(self):
        """A database of 18.0.1.2.0 kept one row per customer, account and
        company; the update makes them slot 0 and keeps counting."""
        self._invoice(1000.0)
        self.env.flush_all()
        cr = self.env.cr
        cr.execute(
            """
            DELETE FROM customer_care_credit_balance WHERE slot <> 0;
            ALTER TABLE customer_care_credit_balance DROP CONSTRAINT
                customer_care_credit_balance_pkey;
            ALTER TABLE customer_care_credit_balance DROP COLUMN slot;
            ALTER TABLE customer_care_credit_balance
                ADD PRIMARY KEY (partner_id, account_id, company_id);
            """
        )
        self.env["res.partner"]._care_credit_balance_rebuild()
        self.env["res.partner"].init()
        self._assert_kept(1000.0)
        self._invoice(400.0)
        self._assert_kept(1400.0)
        cr.execute(
            "SELECT count(*) FROM customer_care_credit_balance"
            " WHERE partner_id = %s AND slot = 0",
            [self.customer.id],
        )
        self.assertGreaterEqual(cr.fetchone()[0], 1)

    def test_a_rebuild_recounts_the_balances(self):
        self._invoice(1000.0)
        self.env.flush_all()
        self.env.cr.execute("DELETE FROM customer_care_credit_balance")
        self.env["res.partner"]._care_credit_balance_rebuild()
        self._assert_kept(1000.0)


# ----------------------------------------------------------------------
# Blocking at confirmation (seed 004 2.1-2.2)
# ----------------------------------------------------------------------


@tagged("post_install", "-at_install")
class TestCreditConfirmBlock(CreditCase):
    def test_over_the_limit_the_order_is_blocked_with_the_figures(self):
        self._invoice(500.0)
        order = self._order(3000.0)
        wizard = self._assert_blocked(order.with_user(self.salesman).action_confirm())
        self.assertEqual(order.state, "draft")
        self.assertEqual(wizard.sale_order_id, order)
        self.assertEqual(
            (
                wizard.credit_limit,
                wizard.receivable,
                wizard.to_invoice,
                wizard.order_amount,
                wizard.exposure,
                wizard.amount_over,
            ),
            (3000.0, 500.0, 0.0, 3000.0, 3500.0, 500.0),
        )
        self.assertIn("3,500.00", wizard.message)
        self.assertIn("500.00", wizard.message)

    def test_within_the_limit_the_order_is_confirmed(self):
        order = self._order(3000.0)
        self.assertIs(order.action_confirm(), True)
        self.assertEqual(order.state, "sale")

    def test_confirmed_orders_not_invoiced_take_up_the_limit(self):
        self._confirmed(2000.0)
        second = self._order(1500.0)
        wizard = self._assert_blocked(second.with_user(self.salesman).action_confirm())
        self.assertEqual(wizard.to_invoice, 2000.0)
        self.assertEqual(second.state, "draft")

    def test_an_approved_request_unlocks_the_order(self):
        order = self._order(3800.0)
        self._request(order).with_user(self.regional).action_approve()
        self.assertIs(order.action_confirm(), True)
        self.assertEqual(order.state, "sale")

    def test_an_order_increased_after_approval_is_blocked_again(self):
        order = self._order(3800.0)
        self._request(order).with_user(self.regional).action_approve()
        order.order_line[0].price_unit = 3900.0
        self._assert_blocked(order.with_user(self.salesman).action_confirm())
        self.assertEqual(order.state, "draft")

    def test_an_approval_unlocks_only_its_own_order(self):
        approved = self._order(3800.0)
        self._request(approved).with_user(self.regional).action_approve()
        other = self._order(3800.0)
        self._assert_blocked(other.with_user(self.salesman).action_confirm())

    def test_a_refused_request_does_not_unlock(self):
        order = self._order(3800.0)
        self._request(order).with_user(self.regional).action_refuse("客户回款慢")
        self._assert_blocked(order.with_user(self.salesman).action_confirm())

    def test_cash_customers_confirm_freely(self):
        order = self._order(50000.0, partner=self.cash_customer)
        self.assertIs(order.action_confirm(), True)
        self.assertEqual(order.state, "sale")

    def test_no_check_without_the_company_setting(self):
        self.company.account_use_credit_limit = False
        order = self._order(9000.0)
        self.assertIs(order.action_confirm(), True)


# ----------------------------------------------------------------------
# Blocking at delivery, cash customers, releases (seed 004 1.4.1, 3.2)
# ----------------------------------------------------------------------


@tagged("post_install", "-at_install")
class TestCreditDeliveryBlock(CreditCase):
    def test_a_delivery_over_the_limit_is_blocked(self):
        order = self._confirmed(2000.0)
        self._invoice(1500.0)
        picking = self._picking(order)
        wizard = self._assert_blocked(
            picking.with_user(self.stock_user).button_validate()
        )
        self.assertEqual(wizard.picking_id, picking)
        self.assertEqual(wizard.exposure, 3500.0)
        self.assertEqual(wizard.amount_over, 500.0)
        self.assertNotEqual(picking.state, "done")

    def test_a_delivery_within_the_limit_leaves(self):
        order = self._confirmed(2000.0)
        picking = self._picking(order)
        self.assertIs(picking.button_validate(), True)
        self.assertEqual(picking.state, "done")
        self.assertFalse(self.Responsibility.search([("picking_id", "=", picking.id)]))

    def test_the_delivery_of_an_approved_order_leaves(self):
        order = self._order(3800.0)
        self._request(order).with_user(self.regional).action_approve()
        order.action_confirm()
        picking = self._picking(order)
        self.assertIs(picking.button_validate(), True)
        self.assertEqual(picking.state, "done")
        self.assertFalse(self.Responsibility.search([("picking_id", "=", picking.id)]))

    def test_a_cash_customer_delivery_waits_for_the_payment(self):
        order = self._confirmed(800.0, partner=self.cash_customer)
        picking = self._picking(order)
        with self._refused(UserError, "must be paid"):
            picking.with_user(self.stock_user).button_validate()
        self.assertNotEqual(picking.state, "done")

    def test_a_cash_customer_delivery_leaves_once_the_invoice_is_paid(self):
        order = self._confirmed(800.0, partner=self.cash_customer)
        invoice = order._create_invoices()
        invoice.action_post()
        self._pay(invoice)
        picking = self._picking(order)
        self.assertIs(picking.button_validate(), True)
        self.assertEqual(picking.state, "done")

    def test_a_cash_customer_delivery_leaves_after_an_advance_payment(self):
        order = self._confirmed(800.0, partner=self.cash_customer)
        self._prepayment(800.0, partner=self.cash_customer)
        picking = self._picking(order)
        self.assertIs(picking.button_validate(), True)
        self.assertEqual(picking.state, "done")

    def test_a_partial_advance_payment_is_not_enough(self):
        order = self._confirmed(800.0, partner=self.cash_customer)
        self._prepayment(500.0, partner=self.cash_customer)
        picking = self._picking(order)
        with self.assertRaises(UserError):
            picking.with_user(self.stock_user).button_validate()

    def test_the_delivery_shows_why_it_may_not_leave(self):
        warning = self._blocked_picking().with_user(self.stock_user).care_credit_warning
        self.assertIn("Credit limit exceeded", warning)
        self.assertIn("500.00", warning)

    def test_a_delivery_within_the_limit_shows_no_warning(self):
        picking = self._picking(self._confirmed(2000.0))
        self.assertFalse(picking.with_user(self.stock_user).care_credit_warning)

    def test_an_unpaid_cash_delivery_shows_that_it_waits_for_the_payment(self):
        order = self._confirmed(800.0, partner=self.cash_customer)
        picking = self._picking(order).with_user(self.stock_user)
        self.assertIn("must be paid", picking.care_credit_warning)
        self._prepayment(800.0, partner=self.cash_customer)
        picking.invalidate_recordset(["care_credit_warning"])
        self.assertFalse(picking.care_credit_warning)

    def _blocked_picking(self):
        order = self._confirmed(2000.0)
        self._invoice(1500.0)
        return self._picking(order)

    def test_a_stock_manager_releases_anyway_and_answers_for_it(self):
        picking = self._blocked_picking()
        wizard = self._assert_blocked(
            picking.with_user(self.stock_manager).button_validate()
        )
        self.assertTrue(wizard.with_user(self.stock_manager).can_release)
        wizard.with_user(self.stock_manager).action_release_anyway()
        self.assertEqual(picking.state, "done")
        entry = self.Responsibility.search([("picking_id", "=", picking.id)])
        self.assertEqual(entry.kind, "unapproved_release")
        self.assertEqual(entry.user_id, self.stock_manager)
        self.assertEqual(entry.partner_id, self.customer)
        self.assertEqual(entry.sale_order_id, picking.sale_id)
        self.assertEqual(entry.amount, 500.0)
        self.assertEqual(entry.state, "open")

    def test_a_bypass_by_context_is_recorded_against_the_user(self):
        picking = self._blocked_picking()
        picking.with_user(self.stock_manager).with_context(
            care_credit_bypass=True
        ).button_validate()
        self.assertEqual(picking.state, "done")
        entry = self.Responsibility.search([("picking_id", "=", picking.id)])
        self.assertEqual(entry.kind, "unapproved_release")
        self.assertEqual(entry.user_id, self.stock_manager)

    def test_a_warehouse_clerk_cannot_release_anyway(self):
        picking = self._blocked_picking()
        wizard = self._assert_blocked(
            picking.with_user(self.stock_user).button_validate()
        )
        wizard = wizard.with_user(self.stock_user)
        self.assertFalse(wizard.can_release)
        with self.assertRaises(UserError):
            wizard.action_release_anyway()
        self.assertNotEqual(picking.state, "done")
        self.assertFalse(self.Responsibility.search([("picking_id", "=", picking.id)]))


# ----------------------------------------------------------------------
# Approval rules (seed 004 1.4.2, 2.2)
# ----------------------------------------------------------------------


@tagged("post_install", "-at_install")
class TestCreditApproval(CreditCase):
    def _assert_undecided(self, request):
        self.assertEqual(request.state, "requested")
        self.assertFalse(request.approver_id)
        self.assertFalse(request.decided_at)
        self.assertFalse(request.approved_amount)

    def test_the_request_records_the_figures(self):
        self._invoice(200.0)
        request = self._request(self._order(3700.0))
        self.assertEqual(request.partner_id, self.customer)
        self.assertEqual(request.regional_manager_id, self.regional)
        self.assertEqual(request.requested_by_id, self.salesman)
        self.assertEqual(
            (
                request.order_amount,
                request.exposure,
                request.credit_limit,
                request.amount_over,
            ),
            (3700.0, 3900.0, 3000.0, 900.0),
        )
        self.assertAlmostEqual(request.ratio, 30.0)
        self.assertEqual(request.shipment_kind, "first")
        self.assertEqual(request.activity_ids.user_id, self.regional)

    def test_later_requests_are_not_the_first_shipment(self):
        first = self._request(self._order(3100.0))
        first.with_user(self.regional).action_approve()
        second = self._request(self._order(3100.0))
        self.assertEqual(second.shipment_kind, "other")

    def test_regional_manager_approves_under_one_third(self):
        request = self._request(self._order(3900.0))
        self.assertEqual(request.amount_over, 900.0)
        request.with_user(self.regional).action_approve()
        self.assertEqual(request.state, "approved")
        self.assertEqual(request.approver_id, self.regional)
        self.assertEqual(request.approved_amount, 3900.0)
        self.assertEqual(request.collection_state, "open")
        self.assertEqual(request.collection_due, self.today + relativedelta(day=31))

    def test_the_collection_month_is_the_companys(self):
        # 20:00 UTC on 30 November is already 1 December in Shanghai: the
        # over-limit amount is due at the end of the company's month, not of
        # the approver's (his clock in UTC)
        self.env.company.resource_calendar_id.tz = "Asia/Shanghai"
        self.regional.tz = "UTC"
        with freeze_time("2026-11-30 20:00:00"):
            request = self._request(self._order(3900.0))
            request.with_user(self.regional).action_approve()
        self.assertEqual(request.collection_due, date(2026, 12, 31))

    def test_regional_manager_cannot_approve_one_third_or_more(self):
        request = self._request(self._order(4000.0))
        self.assertEqual(request.amount_over, 1000.0)
        with self._refused(UserError, "prepayment covering the excess"):
            request.with_user(self.regional).action_approve()
        self._assert_undecided(request)

    def test_a_prepayment_covering_the_excess_lets_the_regional_manager_approve(self):
        payment = self._prepayment(2500.0)
        request = self._request(
            self._order(7000.0), prepayment_ids=[Command.set(payment.ids)]
        )
        self.assertEqual(request.prepayment_amount, 2500.0)
        self.assertGreaterEqual(request.amount_over, 1000.0)
        self.assertLessEqual(request.amount_over, 2500.0)
        request.with_user(self.regional).action_approve()
        self.assertEqual(request.state, "approved")

    def test_a_prepayment_smaller_than_the_excess_does_not(self):
        payment = self._prepayment(1000.0)
        request = self._request(
            self._order(7000.0), prepayment_ids=[Command.set(payment.ids)]
        )
        self.assertGreater(request.amount_over, 1000.0)
        with self.assertRaises(UserError):
            request.with_user(self.regional).action_approve()
        self._assert_undecided(request)

    def test_a_payment_not_posted_is_no_prepayment(self):
        payment = self._prepayment(4000.0, post=False)
        request = self._request(
            self._order(7000.0), prepayment_ids=[Command.set(payment.ids)]
        )
        self.assertEqual(request.amount_over, 4000.0)
        self.assertEqual(request.prepayment_amount, 0.0)
        with self.assertRaises(UserError):
            request.with_user(self.regional).action_approve()
        self._assert_undecided(request)

    def test_the_credit_manager_approves_any_excess(self):
        request = self._request(self._order(7000.0))
        self.assertEqual(request.amount_over, 4000.0)
        request.with_user(self.credit_manager).action_approve()
        self.assertEqual(request.state, "approved")
        self.assertEqual(request.approver_id, self.credit_manager)

    def test_more_than_30_days_overdue_needs_the_credit_manager(self):
        self._invoice(
            500.0,
            invoice_date=self.today - timedelta(days=60),
            due=self.today - timedelta(days=31),
        )
        request = self._request(self._order(3000.0))
        self.assertEqual(request.overdue_days, 31)
        self.assertEqual(request.amount_over, 500.0)
        with self._refused(UserError, "only the credit manager"):
            request.with_user(self.regional).action_approve()
        self._assert_undecided(request)
        request.with_user(self.credit_manager).action_approve()
        self.assertEqual(request.state, "approved")

    def test_30_days_overdue_is_still_the_regional_managers_call(self):
        self._invoice(
            500.0,
            invoice_date=self.today - timedelta(days=60),
            due=self.today - timedelta(days=30),
        )
        request = self._request(self._order(3000.0))
        self.assertEqual(request.overdue_days, 30)
        request.with_user(self.regional).action_approve()
        self.assertEqual(request.state, "approved")

    def test_nobody_approves_his_own_request(self):
        order = self._order(7000.0, user=self.credit_manager)
        request = self._request(order, requester=self.credit_manager)
        with self._refused(UserError, "You asked for this yourself"):
            request.with_user(self.credit_manager).action_approve()
        self._assert_undecided(request)

    def test_another_regions_manager_cannot_approve(self):
        request = self._request(self._order(3100.0))
        with self._refused(UserError, "Only 华东 regional manager"):
            request.with_user(self.regional_other).action_approve()
        self._assert_undecided(request)

    def test_refusal_keeps_the_reason(self):
        request = self._request(self._order(3100.0))
        request.with_user(self.regional).with_context(
            care_refusal_reason="上月货款未结清"
        ).action_refuse()
        self.assertEqual(request.state, "refused")
        self.assertEqual(request.approver_id, self.regional)
        self.assertEqual(request.refusal_reason, "上月货款未结清")


# ----------------------------------------------------------------------
# Month end (seed 004 4.1)
# ----------------------------------------------------------------------


@tagged("post_install", "-at_install")
class TestCreditMonthEnd(CreditCase):
    def _approved(self):
        order = self._order(3900.0)
        request = self._request(order)
        request.with_user(self.regional).action_approve()
        self.assertIs(order.action_confirm(), True)
        return request

    def test_unpaid_approved_excess_is_overdue_at_the_month_end(self):
        request = self._approved()
        month_end = request.collection_due
        self.assertEqual((month_end + timedelta(days=1)).day, 1)
        self.assertGreaterEqual(self.Request._cron_credit_month_end(today=month_end), 1)
        self.assertEqual(request.collection_state, "overdue")
        activity = request.activity_ids
        self.assertEqual(activity.user_id, self.regional)
        # in the approver's language
        self.assertEqual(
            activity.summary,
            activity.user_id._care_env(self.env)._("Collect the over-limit amount"),
        )
        entry = request.responsibility_ids
        self.assertEqual(entry.kind, "approved_unpaid")
        self.assertEqual(entry.user_id, self.regional)
        self.assertEqual(entry.amount, 900.0)
        self.assertEqual(entry.date, month_end)

    def test_nothing_happens_before_the_last_day(self):
        request = self._approved()
        self.assertEqual(
            self.Request._cron_credit_month_end(
                today=request.collection_due - timedelta(days=1)
            ),
            0,
        )
        self.assertEqual(request.collection_state, "open")
        self.assertFalse(request.activity_ids)
        self.assertFalse(request.responsibility_ids)

    def test_the_month_ends_on_the_company_calendar_day(self):
        """The cron runs as OdooBot (UTC): the last day is the company's."""
        self.company.resource_calendar_id = shanghai_calendar(self.env)
        request = self._approved()
        request.collection_due = date(2027, 1, 31)
        cron = self.Request.with_context(tz="UTC")._cron_credit_month_end
        # 31 January in UTC, already 1 February in Shanghai
        with freeze_time("2027-01-31 17:00:00"):
            self.assertEqual(cron(), 0)
        self.assertEqual(request.collection_state, "open")
        # 30 January in UTC, 31 January in Shanghai
        with freeze_time("2027-01-30 17:00:00"):
            self.assertEqual(cron(), 1)
        self.assertEqual(request.collection_state, "overdue")

    def test_paid_excess_is_collected(self):
        request = self._approved()
        invoice = request.sale_order_id._create_invoices()
        invoice.action_post()
        self._pay(invoice)
        self.Request._cron_credit_month_end(today=request.collection_due)
        self.assertEqual(request.collection_state, "paid")
        self.assertFalse(request.activity_ids)
        self.assertFalse(request.responsibility_ids)


# ----------------------------------------------------------------------
# Access per role
# ----------------------------------------------------------------------


@tagged("post_install", "-at_install")
class TestCreditAccess(CreditCase):
    def test_the_regional_manager_reads_the_order_of_another_salesman(self):
        request = self._request(self._order(3100.0))
        order = request.with_user(self.regional).sale_order_id
        self.assertEqual(order.user_id, self.salesman)
        self.assertEqual(order.order_line.price_unit, 3100.0)
        with self.assertRaises(AccessError):
            order.write({"note": "改单"})

    def test_another_regional_manager_sees_neither_request_nor_order(self):
        request = self._request(self._order(3100.0))
        Request = self.Request.with_user(self.regional_other)
        self.assertFalse(Request.search([("id", "=", request.id)]))
        with self.assertRaises(AccessError):
            request.sale_order_id.with_user(self.regional_other).read(["name"])

    def test_a_salesman_sees_only_the_requests_of_his_orders(self):
        request = self._request(self._order(3100.0))
        colleague = new_test_user(
            self.env,
            login="care_credit_colleague",
            groups="sales_team.group_sale_salesman",
            name="Another salesman",
        )
        self.assertEqual(
            self.Request.with_user(self.salesman).search([("id", "=", request.id)]),
            request,
        )
        self.assertFalse(
            self.Request.with_user(colleague).search([("id", "=", request.id)])
        )

    def test_the_approver_reads_requests(self):
        request = self._request(self._order(3100.0))
        values = request.with_user(self.regional).read(["name", "amount_over"])
        self.assertEqual(values[0]["amount_over"], 100.0)

    def test_approved_requests_cannot_be_deleted(self):
        request = self._request(self._order(3100.0))
        request.with_user(self.regional).action_approve()
        with self.assertRaises(AccessError):
            request.with_user(self.regional).unlink()
        with self._refused(UserError, "cannot be deleted"):
            request.with_user(self.credit_manager).unlink()
        self.assertTrue(request.exists())

    def test_a_draft_request_can_be_deleted_by_the_credit_manager(self):
        wizard = self._assert_blocked(self._order(3100.0).action_confirm())
        request = self._draft(wizard)
        request.with_user(self.credit_manager).unlink()
        self.assertFalse(request.exists())

    def test_a_plain_salesman_cannot_approve(self):
        approver = new_test_user(
            self.env,
            login="care_credit_team_leader",
            groups="sales_team.group_sale_salesman",
            name="Team leader without the approver right",
        )
        # even named as the customer's regional manager
        self.customer.care_regional_manager_id = approver
        request = self._request(self._order(3100.0))
        with self._refused(UserError, "no right to approve"):
            request.with_user(approver).action_approve()
        self.assertEqual(request.state, "requested")

    def test_a_salesman_confirms_an_order_within_the_limit(self):
        # the check reads the accounting limit for him
        order = self._order(2500.0)
        self.assertIs(order.with_user(self.salesman).action_confirm(), True)
        self.assertEqual(order.state, "sale")

    def test_a_warehouse_clerk_validates_the_delivery_of_an_approved_order(self):
        order = self._order(3800.0)
        self._request(order).with_user(self.regional).action_approve()
        order.action_confirm()
        picking = self._picking(order)
        self.assertIs(picking.with_user(self.stock_user).button_validate(), True)
        self.assertEqual(picking.state, "done")

    def test_the_credit_manager_sets_a_manual_limit(self):
        self.customer.with_user(self.credit_manager).credit_limit = 5000.0
        self.assertEqual(self.customer.credit_limit, 5000.0)

    def test_responsibility_entries_cannot_be_deleted(self):
        picking = self._picking(self._confirmed(2000.0))
        self._invoice(1500.0)
        picking.with_context(care_credit_bypass=True).button_validate()
        entry = self.Responsibility.search([("picking_id", "=", picking.id)])
        self.assertTrue(entry)
        with self.assertRaises(AccessError):
            entry.with_user(self.credit_manager).unlink()
        with self._refused(UserError, "keeps every entry"):
            entry.sudo().unlink()
        self.assertTrue(entry.exists())
        entry.with_user(self.credit_manager).action_settle()
        self.assertEqual(entry.state, "settled")

    def test_the_ledger_is_not_for_salesmen(self):
        with self.assertRaises(AccessError):
            self.Responsibility.with_user(self.salesman).search([])
        with self.assertRaises(AccessError):
            self.Responsibility.with_user(self.regional).create(
                {
                    "kind": "unapproved_release",
                    "user_id": self.regional.id,
                    "partner_id": self.customer.id,
                }
            )


# ----------------------------------------------------------------------
# Bad input
# ----------------------------------------------------------------------


@tagged("post_install", "-at_install")
class TestCreditBadInput(CreditCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # a credit manager who also edits customers
        cls.limit_keeper = new_test_user(
            cls.env,
            login="care_credit_limit_keeper",
            groups="customer_care.group_credit_manager,base.group_partner_manager",
            name="Care credit manager editing customers",
        )
        # edits customers and reads their accounting, is no credit manager
        cls.sales_manager = new_test_user(
            cls.env,
            login="care_credit_sales_manager",
            groups="sales_team.group_sale_manager,account.group_account_invoice",
            name="Care sales manager",
        )

    def _limit(self):
        self.customer.invalidate_recordset(["credit_limit"])
        return self.customer.credit_limit

    def test_a_negative_limit_is_refused(self):
        with self._refused(ValidationError, "cannot be negative"):
            self.customer.with_user(self.limit_keeper).credit_limit = -100.0
        self.assertEqual(self._limit(), 3000.0)

    def test_a_non_numeric_limit_is_refused(self):
        with self._refused(UserError, "must be a number"):
            self.customer.with_user(self.limit_keeper).write({"credit_limit": "abc"})
        self.assertEqual(self._limit(), 3000.0)

    def test_a_manual_limit_needs_the_credit_manager(self):
        with self._refused(UserError, "Only a credit manager"):
            self.customer.with_user(self.sales_manager).write({"credit_limit": 99999.0})
        self.assertEqual(self._limit(), 3000.0)
        self.customer.with_user(self.limit_keeper).credit_limit = 5000.0
        self.assertEqual(self._limit(), 5000.0)

    def test_switching_to_manual_needs_the_credit_manager(self):
        rolling = self._credit_customer("南京鑫源建材", "rolling")
        with self._refused(UserError, "Only a credit manager"):
            rolling.with_user(self.sales_manager).care_credit_mode = "manual"
        self.assertEqual(rolling.care_credit_mode, "rolling")

    def test_a_customer_created_with_a_manual_limit_needs_the_credit_manager(self):
        Partner = self.env["res.partner"].with_user(self.sales_manager)
        with self._refused(UserError, "Only a credit manager"):
            Partner.create(
                {
                    "name": "杭州百大",
                    "is_company": True,
                    **credit_file(),
                    "care_credit_mode": "manual",
                    "credit_limit": 99999.0,
                }
            )
        self.assertFalse(self.env["res.partner"].search([("name", "=", "杭州百大")]))

    def test_a_repayment_date_in_the_past_is_refused(self):
        wizard = self._assert_blocked(self._order(3100.0).action_confirm())
        request = self._draft(wizard)
        with self._refused(ValidationError, "in the past"):
            request.repayment_date = self.today - timedelta(days=1)
        request.invalidate_recordset()
        self.assertFalse(request.repayment_date)

    def test_a_request_needs_a_repayment_plan(self):
        wizard = self._assert_blocked(self._order(3100.0).action_confirm())
        request = self._draft(wizard)
        with self._refused(UserError, "repayment plan"):
            request.action_request()
        self.assertEqual(request.state, "draft")

    def test_an_approval_by_the_requester_writes_nothing(self):
        order = self._order(3100.0, user=self.credit_manager)
        request = self._request(order, requester=self.credit_manager)
        messages = order.message_ids
        with self._refused(UserError, "another person"):
            request.with_user(self.credit_manager).action_approve()
        self.assertEqual(request.state, "requested")
        self.assertFalse(request.approver_id)
        self.assertFalse(request.approved_amount)
        order.invalidate_recordset(["message_ids"])
        self.assertEqual(order.message_ids, messages)

    def test_an_approval_above_the_regional_right_writes_nothing(self):
        order = self._order(4500.0)
        request = self._request(order)
        messages = order.message_ids
        with self._refused(UserError, "prepayment covering the excess"):
            request.with_user(self.regional).action_approve()
        self.assertEqual(request.state, "requested")
        self.assertFalse(request.approver_id)
        self.assertFalse(request.collection_state)
        order.invalidate_recordset(["message_ids"])
        self.assertEqual(order.message_ids, messages)


# ----------------------------------------------------------------------
# The approval form (QWeb)
# ----------------------------------------------------------------------


@tagged("post_install", "-at_install")
class TestCreditRequestReport(CreditCase):
    def test_the_form_shows_the_figures_and_the_decision(self):
        self._invoice(200.0)
        request = self._request(self._order(3700.0))
        request.with_user(self.regional).action_approve()
        self.customer.lang = "zh_CN"
        content, _format = self.env["ir.actions.report"]._render_qweb_html(
            REPORT, request.ids
        )
        text = text_of(content)
        # printed in the customer's language
        self.assertIn("超额度审批单", text)
        self.assertIn(request.name, text)
        self.assertIn(request.sale_order_id.name, text)
        self.assertIn("苏州恒达商贸", text)
        for figure in ("3,700.00", "3,000.00", "3,900.00", "900.00", "30.0 %"):
            self.assertIn(figure, text)
        self.assertIn("华东 regional manager", text)
        self.assertIn("Care credit salesman", text)

    def test_the_print_button_opens_the_form(self):
        request = self._request(self._order(3100.0))
        action = request.with_user(self.salesman).action_print()
        self.assertEqual(action["report_name"], "customer_care.report_credit_request")


@tagged("post_install", "-at_install")
class TestCreditRequestPdf(HttpCase):
    """A real PDF through wkhtmltopdf, which fetches the report's assets from
    the test server (see TestCallbackLedgerPdf)."""

    def test_the_approval_form_is_a_real_pdf(self):
        customer = self.env["res.partner"].create(
            {"name": "苏州恒达商贸", "is_company": True, **credit_file()}
        )
        customer.write({"care_credit_mode": "manual", "credit_limit": 1000.0})
        order = self.env["sale.order"].create(
            {
                "partner_id": customer.id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": self.env["product.product"]
                            .create({"name": "水泥", "type": "consu"})
                            .id,
                            "price_unit": 1200.0,
                            "tax_id": [Command.clear()],
                        }
                    )
                ],
            }
        )
        request = self.env["customer.care.credit.request"].create(
            {"sale_order_id": order.id}
        )
        self.assertEqual(request.amount_over, 200.0)
        for url in self.env["ir.qweb"]._get_asset_link_urls("web.report_assets_common"):
            self.assertEqual(self.url_open(url).status_code, 200)
        pdf, _format = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(REPORT, request.ids)
        )
        self.assertTrue(pdf.startswith(b"%PDF"))
