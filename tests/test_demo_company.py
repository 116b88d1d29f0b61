# Copyright 2026 customer_care contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The demo company is Chinese: it trades in yuan with China's VAT, lives in
Shanghai, and its warehouse, calendar and logo say so."""

from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestDemoCompany(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if not cls.env.ref("base.module_customer_care").demo:
            cls.skipTest(cls, "the demo data is not loaded")
        cls.company = cls.env.ref("base.main_company")
        cls.cny = cls.env.ref("base.CNY")

    def test_the_demo_company_trades_in_yuan(self):
        self.assertEqual(self.company.currency_id, self.cny)
        # account's own demo entries were made again in yuan, and ours too
        moves = self.env["account.move"].search([("company_id", "=", self.company.id)])
        self.assertTrue(moves.filtered(lambda m: m.state == "posted"))
        self.assertEqual(moves.company_currency_id, self.cny)
        invoice = self.env.ref("customer_care.credit_invoice_big")
        self.assertEqual(invoice.currency_id, self.cny)
        self.assertEqual(invoice.state, "posted")

    def test_the_default_taxes_are_chinas_13_percent_vat(self):
        cn = self.env.ref("base.cn")
        for tax in (
            self.company.account_sale_tax_id,
            self.company.account_purchase_tax_id,
        ):
            self.assertEqual(tax.amount, 13)
            self.assertEqual(tax.country_id, cn)
        self.assertEqual(self.company.account_fiscal_country_id, cn)
        self.assertEqual(self.company.account_sale_tax_id.type_tax_use, "sale")
        self.assertEqual(self.company.account_purchase_tax_id.type_tax_use, "purchase")
        # the products are sold with it, not with the generic chart's 15 %
        product = self.env.ref("customer_care.product_credit_tv")
        self.assertEqual(product.taxes_id, self.company.account_sale_tax_id)
        invoice = self.env.ref("customer_care.credit_invoice_big")
        self.assertEqual(
            invoice.invoice_line_ids.tax_ids, self.company.account_sale_tax_id
        )
        us_taxes = self.env["account.tax"].search(
            [("company_id", "=", self.company.id), ("amount", "=", 15)]
        )
        self.assertFalse(
            self.env["product.template"].search_count(
                [("taxes_id", "in", us_taxes.ids)]
            )
        )

    def test_the_demo_company_is_in_shanghai(self):
        self.assertEqual(self.company.country_id, self.env.ref("base.cn"))
        self.assertEqual(self.company.state_id, self.env.ref("base.state_cn_SH"))
        self.assertNotEqual(self.company.state_id.name, "California")
        self.assertTrue(self.company.logo)
        warehouse = self.env.ref("stock.warehouse0")
        self.assertEqual(warehouse.name, "上海总仓")
        self.assertEqual(warehouse.code, "WH")
        calendar = self.company.resource_calendar_id
        self.assertEqual(calendar.name, "标准工时（周一至周五）")
        self.assertEqual(calendar.tz, "Asia/Shanghai")

    def test_the_demo_duty_manager_can_receive_the_sms(self):
        duty = self.company._care_duty_manager()
        self.assertTrue(duty.partner_id.mobile)
        settings = self.env["res.config.settings"].create({})
        self.assertFalse(settings.care_duty_manager_warning)
