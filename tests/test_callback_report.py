# Copyright 2026 customer_care contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date

from freezegun import freeze_time
from lxml import html

from odoo.exceptions import ValidationError
from odoo.tests import Form, HttpCase, TransactionCase, new_test_user, tagged

from .common import CareUsersMixin, ensure_lang

LEDGER = "customer_care.action_report_callback_ledger"
SUMMARY = "customer_care.action_report_callback_monthly_summary"
MARCH = date(2026, 3, 1)


def text_of(content):
    """The visible text of rendered HTML, whitespace collapsed."""
    return " ".join(html.fromstring(content).text_content().split())


class CallbackReportCase(CareUsersMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._create_care_users()
        ensure_lang(cls.env, "zh_CN")
        # a database created in Chinese may have English inactive
        cls.env["res.lang"]._activate_lang("en_US")
        cls.Report = cls.env["ir.actions.report"]
        cls.branch = cls.env["crm.team"].create({"name": "华东分公司"})
        cls.zh_customer = cls._customer("海信电器", lang="zh_CN")
        cls.en_customer = cls._customer("Acme Trading", lang="en_US")

    @classmethod
    def _customer(cls, name, **values):
        return cls.env["res.partner"].create(
            {
                "name": name,
                "is_company": True,
                "care_branch_id": cls.branch.id,
                **values,
            }
        )

    @classmethod
    def _callback(cls, partner, day, state="done", user=None, **values):
        return cls.env["customer.care.callback"].create(
            {
                "partner_id": partner.id,
                "date": day,
                "state": state,
                "user_id": (user or cls.users["agent"]).id,
                **values,
            }
        )

    @classmethod
    def _issue(cls, callback, name, **values):
        return cls.env["customer.care.callback.issue"].create(
            {
                "callback_id": callback.id,
                "name": name,
                "owner_id": cls.users["agent"].id,
                **values,
            }
        )

    def _ledger(self, partner, year=2026):
        content, _format = self.Report._render_qweb_html(
            LEDGER, partner.ids, data={"year": year}
        )
        return text_of(content)


@tagged("post_install", "-at_install")
@freeze_time("2026-12-20 03:00:00")
class TestCallbackLedger(CallbackReportCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.called = cls._callback(
            cls.zh_customer,
            date(2026, 3, 5),
            opinion="送货及时",
            suggestion="希望提前一天通知",
            score_overall="5",
        )
        cls._issue(cls.called, "包装破损", result="已更换包装供应商")
        cls._callback(cls.zh_customer, date(2026, 5, 6), "missed", opinion="未接通")
        cls._callback(cls.zh_customer, date(2025, 12, 30), opinion="去年的回访")
        cls._callback(cls.zh_customer, date(2026, 4, 1), "cancelled", opinion="已取消")
        cls._callback(
            cls.zh_customer, date(2026, 4, 2), opinion="已归档"
        ).active = False
        cls._callback(
            cls.en_customer,
            date(2026, 3, 5),
            opinion="Fast delivery",
            score_overall="4",
        )

    def test_ledger_lists_the_customers_callbacks_of_the_year_only(self):
        text = self._ledger(self.zh_customer)
        for shown in (
            "送货及时",
            "希望提前一天通知",
            "包装破损",
            "已更换包装供应商",
            "未接通",
        ):
            self.assertIn(shown, text)
        for hidden in ("去年的回访", "已取消", "已归档", "Fast delivery"):
            self.assertNotIn(hidden, text)

    def test_ledger_of_a_contact_is_the_ledger_of_its_customer(self):
        contact = self.env["res.partner"].create(
            {"name": "周涛", "parent_id": self.zh_customer.id, "lang": "zh_CN"}
        )
        self.assertIn("送货及时", self._ledger(contact))

    def test_ledger_is_printed_in_the_customers_language(self):
        self.assertIn("2026年03月05日", self._ledger(self.zh_customer))
        self.assertIn("03/05/2026", self._ledger(self.en_customer))

    def test_ledger_shows_the_scores_given_only(self):
        text = self._ledger(self.en_customer)
        self.assertIn("Overall Satisfaction: 4", text)
        self.assertNotIn("Delivery On-Time", text)

    def test_ledger_of_another_year(self):
        text = self._ledger(self.zh_customer, year=2025)
        self.assertIn("去年的回访", text)
        self.assertNotIn("送货及时", text)


@tagged("post_install", "-at_install")
class TestCallbackLedgerPdf(HttpCase):
    """wkhtmltopdf fetches the report's assets from the server: an HttpCase
    lets the server share the test's transaction (a TransactionCase would wait
    on its locks forever). Not under freeze_time: a frozen clock hangs the
    wkhtmltopdf subprocess."""

    def test_ledger_is_a_real_pdf(self):
        customer = self.env["res.partner"].create(
            {"name": "海信电器", "is_company": True, "lang": "zh_CN"}
        )
        self.env["customer.care.callback"].create(
            {"partner_id": customer.id, "date": date(2026, 3, 5), "opinion": "送货及时"}
        )
        pdf, _format = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(LEDGER, customer.ids, data={"year": 2026})
        )
        self.assertTrue(pdf.startswith(b"%PDF"))


@tagged("post_install", "-at_install")
@freeze_time("2026-12-20 03:00:00")
class TestCallbackLedgerWizard(CallbackReportCase):
    def test_year_outside_2000_2100_is_refused(self):
        Wizard = self.env["customer.care.callback.ledger.wizard"]
        for year in (1999, 2101, 26):
            with self.assertRaises(ValidationError):
                Wizard.create({"year": year, "partner_ids": self.zh_customer.ids})

    def test_wizard_prints_the_year_chosen_for_the_customers_selected(self):
        self._callback(self.zh_customer, date(2025, 6, 1), opinion="去年的回访")
        self._callback(self.zh_customer, date(2026, 6, 1), opinion="今年的回访")
        contact = self.env["res.partner"].create(
            {"name": "周涛", "parent_id": self.zh_customer.id}
        )
        Wizard = self.env["customer.care.callback.ledger.wizard"].with_user(
            self.users["agent"]
        )
        form = Form(
            Wizard.with_context(active_model="res.partner", active_ids=contact.ids)
        )
        self.assertEqual(form.year, 2026)
        form.year = 2025
        action = form.save().action_print()
        self.assertEqual(action["data"], {"year": 2025})
        self.assertEqual(action["context"]["active_ids"], self.zh_customer.ids)
        # the client sends the ids in the context when the action has data
        content, _format = (
            self.Report.with_user(self.users["agent"])
            .with_context(**action["context"])
            ._render_qweb_html(LEDGER, None, data=action["data"])
        )
        self.assertIn("去年的回访", text_of(content))
        self.assertNotIn("今年的回访", text_of(content))


@tagged("post_install", "-at_install")
@freeze_time("2026-04-06 00:30:00")
class TestCallbackIssueDigest(CallbackReportCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        callback = cls._callback(cls.zh_customer, date(2026, 3, 30))
        cls._issue(callback, "送货延迟", date_due=date(2026, 4, 10))
        cls._issue(callback, "司机态度差", is_major=True)
        cls._issue(callback, "回单返回慢", state="resolved", result="已催促")
        cls._issue(callback, "发票错误", state="fed_back", result="已重开")

    def _digest(self, company):
        self.env["customer.care.callback.issue"]._cron_callback_issue_digest()
        return self.env["mail.mail"].search(
            [("model", "=", "res.company"), ("res_id", "=", company.id)]
        )

    def test_digest_goes_to_the_active_callback_managers(self):
        archived = new_test_user(
            self.env,
            login="care_old_manager",
            groups="customer_care.group_callback_manager",
        )
        archived.active = False
        mails = self._digest(self.env.company)
        # one mail per language of its readers, each reader in one of them
        recipients = mails.recipient_ids
        self.assertEqual(
            len(recipients), sum(len(mail.recipient_ids) for mail in mails)
        )
        self.assertEqual(len(mails), len(set(recipients.mapped("lang"))))
        self.assertIn(self.users["callback_manager"].partner_id, recipients)
        self.assertIn(self.users["gm"].partner_id, recipients)
        self.assertNotIn(self.users["agent"].partner_id, recipients)
        self.assertNotIn(archived.partner_id, recipients)

    def test_digest_lists_the_issues_not_yet_reported_back(self):
        mail = self._digest(self.env.company).filtered(
            lambda m: self.users["callback_manager"].partner_id in m.recipient_ids
        )
        text = text_of(mail.body_html)
        self.assertIn("海信电器", text)
        for shown in ("送货延迟", "回单返回慢"):
            self.assertIn(shown, text)
        # the digest is in the managers' language
        self.assertRegex(text, r"司机态度差 (\(Major\)|（重大）)")
        self.assertNotIn("发票错误", text)

    def test_no_digest_for_a_company_without_open_issues(self):
        company = self.env["res.company"].create({"name": "华北电器"})
        callback = self._callback(
            self.en_customer, date(2026, 3, 30), company_id=company.id
        )
        self._issue(callback, "发票错误", state="fed_back", result="已重开")
        self.assertFalse(self._digest(company))


@tagged("post_install", "-at_install")
@freeze_time("2026-04-02 00:30:00")
class TestCallbackMonthlySummary(CallbackReportCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env["res.company"].create({"name": "华北电器"})
        cls.north = cls.env["crm.team"].create({"name": "华北分公司"})
        cls.dealer = cls._customer("济南鑫源家电", care_branch_id=cls.north.id)
        cls.other_agent = new_test_user(
            cls.env, login="care_agent_2", groups="customer_care.group_callback_agent"
        )
        cls.gm = new_test_user(
            cls.env,
            login="care_gm_zh",
            groups="customer_care.group_general_manager",
            lang="zh_CN",
        )
        cls.company.care_general_manager_id = cls.gm

        def callback(partner, day, state="done", user=None, **values):
            return cls._callback(
                partner, day, state, user, company_id=cls.company.id, **values
            )

        # agent: 2 done (one not scored on delivery), 1 missed
        first = callback(
            cls.zh_customer, date(2026, 3, 2), score_overall="4", score_delivery="5"
        )
        second = callback(cls.zh_customer, date(2026, 3, 9), score_overall="2")
        callback(cls.zh_customer, date(2026, 3, 16), "missed")
        # other agent, other branch: 1 done without overall score, 1 overdue,
        # 1 cancelled
        third = callback(
            cls.dealer, date(2026, 3, 20), user=cls.other_agent, score_delivery="3"
        )
        callback(
            cls.dealer, date(2026, 3, 31), "planned", cls.other_agent, is_overdue=True
        )
        callback(cls.dealer, date(2026, 3, 25), "cancelled", cls.other_agent)
        # outside the month
        callback(cls.zh_customer, date(2026, 2, 27), score_overall="1")
        callback(cls.zh_customer, date(2026, 4, 1), score_overall="1")
        cls._issue(first, "送货延迟")
        cls._issue(second, "送货延迟")
        cls._issue(second, "包装破损")
        cls._issue(third, "包装破损")
        cls._issue(third, "司机态度差")

    def _summary(self):
        return self.company._care_callback_monthly_summary(MARCH)

    def test_summary_counts_the_callbacks_of_the_month_by_state(self):
        summary = self._summary()
        self.assertEqual(summary["total"], 6)
        self.assertEqual(
            dict(summary["states"]),
            {"done": 3, "missed": 1, "planned": 1, "cancelled": 1},
        )
        self.assertEqual(summary["overdue"], 1)
        self.assertEqual(summary["types"], {"customer": 6})

    def test_completion_rate_is_done_over_done_missed_and_planned(self):
        self.assertAlmostEqual(self._summary()["completion"], 60.0)

    def test_averages_ignore_the_scores_not_given(self):
        summary = self._summary()
        self.assertAlmostEqual(summary["scores"]["score_overall"], 3.0)
        self.assertAlmostEqual(summary["scores"]["score_delivery"], 4.0)
        self.assertEqual(summary["scores"]["score_shipping"], 0.0)
        branches = {row["branch"]: row["scores"] for row in summary["branches"]}
        self.assertEqual(
            branches[self.branch], {"score_overall": 3.0, "score_delivery": 5.0}
        )
        self.assertEqual(branches[self.north], {"score_delivery": 3.0})

    def test_completion_per_agent(self):
        agents = {row["user"]: row for row in self._summary()["agents"]}
        self.assertEqual(agents[self.users["agent"]]["total"], 3)
        self.assertAlmostEqual(agents[self.users["agent"]]["completion"], 200 / 3)
        self.assertEqual(agents[self.other_agent]["total"], 3)
        self.assertAlmostEqual(agents[self.other_agent]["completion"], 50.0)

    def test_top_issues_rank_customers_and_issue_texts(self):
        summary = self._summary()
        self.assertEqual(summary["issue_count"], 5)
        self.assertEqual(
            summary["top_customers"], [(self.zh_customer, 3), (self.dealer, 2)]
        )
        top_issues = summary["top_issues"]
        self.assertEqual(set(top_issues[:2]), {("包装破损", 2), ("送货延迟", 2)})
        self.assertEqual(top_issues[2:], [("司机态度差", 1)])

    def test_summary_report_is_printed_in_the_general_managers_language(self):
        content, _format = self.Report._render_qweb_html(
            SUMMARY, self.company.ids, data={"month": "2026-03-01"}
        )
        text = text_of(content)
        self.assertIn("2026年03月01日", text)
        self.assertIn("60.0 %", text)
        self.assertIn("济南鑫源家电", text)

    def test_summary_report_defaults_to_the_previous_month(self):
        content, _format = self.Report._render_qweb_html(SUMMARY, self.company.ids)
        self.assertIn("2026年03月31日", text_of(content))

    def test_monthly_cron_mails_the_pdf_to_the_general_manager(self):
        self.env["res.company"]._cron_callback_monthly_summary()
        mail = self.env["mail.mail"].search(
            [("model", "=", "res.company"), ("res_id", "=", self.company.id)]
        )
        self.assertEqual(mail.recipient_ids, self.gm.partner_id)
        self.assertIn("2026-03", mail.subject)
        self.assertEqual(len(mail.attachment_ids), 1)
        self.assertEqual(mail.attachment_ids.mimetype, "application/pdf")
        self.assertIn("2026-03", mail.attachment_ids.name)

    def test_monthly_cron_skips_companies_without_general_manager(self):
        self.company.care_general_manager_id = False
        self.env["res.company"]._cron_callback_monthly_summary()
        self.assertFalse(
            self.env["mail.mail"].search(
                [("model", "=", "res.company"), ("res_id", "=", self.company.id)]
            )
        )

    def test_summary_queries_do_not_grow_with_the_callbacks(self):
        def queries(count):
            company = self.env["res.company"].create({"name": f"{count} 回访"})
            self.env["customer.care.callback"].create(
                [
                    {
                        "partner_id": (self.zh_customer, self.dealer)[i % 2].id,
                        "date": date(2026, 3, 1 + i % 28),
                        "state": ("done", "missed", "planned")[i % 3],
                        "user_id": (self.users["agent"], self.other_agent)[i % 2].id,
                        "score_overall": str(1 + i % 5),
                        "company_id": company.id,
                    }
                    for i in range(count)
                ]
            )
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            company._care_callback_monthly_summary(MARCH)
            return self.env.cr.sql_log_count - before

        few, many = queries(5), queries(50)
        self.assertLessEqual(many, few + 2)
