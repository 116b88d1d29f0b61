# Copyright 2026 customer_care contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The weekly complaint analysis (seed 004 篇三 2.8), the yearly
satisfaction analysis (seed 001 四.13) and the print wizard for a chosen
week, month or year."""

import json
from datetime import date, datetime, timedelta
from urllib.parse import quote

from freezegun import freeze_time
from lxml import html

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, TransactionCase, new_test_user, tagged
from odoo.tools import mute_logger

from .common import CareApiMixin, CareUsersMixin, ensure_lang, shanghai_calendar

WEEKLY = "customer_care.action_report_complaint_weekly_analysis"
YEARLY = "customer_care.action_report_satisfaction_yearly_analysis"
DIGEST = "customer_care.action_report_callback_issue_digest"
MONTHLY = "customer_care.action_report_complaint_monthly_analysis"
WIZARD = "customer.care.monthly.report"
BOT_TZ = "America/Los_Angeles"


def shanghai(*args):
    """A moment on the clock of Shanghai, as the naive UTC the ORM stores."""
    return datetime(*args) - timedelta(hours=8)


def text_of(content):
    return " ".join(html.fromstring(content).text_content().split())


class PeriodReportCase(CareUsersMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._create_care_users()
        ensure_lang(cls.env, "zh_CN")
        cls.env["res.lang"]._activate_lang("en_US")
        cls.Report = cls.env["ir.actions.report"]
        cls.company = cls.env["res.company"].create(
            {"name": "华北电器", "resource_calendar_id": shanghai_calendar(cls.env).id}
        )
        cls.gm = cls._user("care_rep_gm", "customer_care.group_general_manager")
        cls.company.care_general_manager_id = cls.gm
        cls.bot = cls.env.ref("base.user_root")
        cls.bot.tz = BOT_TZ

    @classmethod
    def _user(cls, login, group, lang="zh_CN"):
        return new_test_user(
            cls.env,
            login=login,
            groups=group,
            lang=lang,
            tz="Asia/Shanghai",
            email=f"{login}@example.com",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )

    def _capture_pdfs(self):
        """The reports rendered as PDF, with their data, not rendered."""
        rendered = []

        def _render_qweb_pdf(report, report_ref, res_ids=None, data=None):
            if self.company.id in (res_ids or []):
                rendered.append((report_ref, dict(data or {})))
            return b"%PDF-1.4 care", "pdf"

        self.patch(type(self.Report), "_render_qweb_pdf", _render_qweb_pdf)
        return rendered

    def _mails(self, template_ref):
        """The mails of the template ``template_ref`` on the company, by the
        fixed part of its subject in each reader's language."""
        template = self.env.ref(template_ref)
        fragments = {
            template.with_context(lang=lang).subject.split("}}")[1].split("{{")[0]
            for lang in ("en_US", "zh_CN")
        }
        return self.env["mail.mail"].search(
            [("model", "=", "res.company"), ("res_id", "=", self.company.id)]
            + ["|"] * (len(fragments) - 1)
            + [("subject", "ilike", fragment) for fragment in fragments]
        )

    def _run_cron(self, xmlid):
        cron = self.env.ref(f"customer_care.{xmlid}")
        self.assertEqual(cron.user_id, self.bot)
        cron.method_direct_trigger()


@tagged("post_install", "-at_install")
class TestWeeklyComplaintAnalysis(PeriodReportCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.managers = cls._user(
            "care_rep_cm_zh", "customer_care.group_complaint_manager"
        ) | cls._user(
            "care_rep_cm_en", "customer_care.group_complaint_manager", "en_US"
        )
        cls.team = cls.env.ref("customer_care.team_complaint").copy(
            {"name": "华北投诉组", "company_id": cls.company.id}
        )

        def complaint(received, category="product_quality", **values):
            # a customer each: a second complaint would be a repeat, major
            customer = cls.env["res.partner"].create(
                {"name": f"济南鑫源 {received}", "is_company": True}
            )
            return cls.env["helpdesk.ticket"].create(
                {
                    "name": "投诉",
                    "description": "<p>客户投诉。</p>",
                    "partner_id": customer.id,
                    "team_id": cls.team.id,
                    "care_is_complaint": True,
                    "care_received_at": received,
                    "care_category": category,
                    **values,
                }
            )

        # the week of Monday 16 to Sunday 22 November 2026 in Shanghai:
        # Monday 00:30 is still Sunday in UTC, Sunday 23:30 already ...
        complaint(shanghai(2026, 11, 16, 0, 30))
        # a major one on Sunday night: the company has no duty manager to
        # call, which the add-on logs as a warning
        with mute_logger("odoo.addons.customer_care.models.customer_care_complaint"):
            complaint(
                shanghai(2026, 11, 22, 23, 30),
                "service_quality",
                care_crit_safety=True,
            )
        complaint(shanghai(2026, 11, 18, 10, 0), care_cause="包装破损")
        # ... not in it: Sunday before at 23:30, Monday after at 00:30
        complaint(shanghai(2026, 11, 15, 23, 30))
        complaint(shanghai(2026, 11, 23, 0, 30))

    def test_the_weeks_figures_on_the_companys_clock(self):
        # any day of the week gives its Monday to Sunday
        analysis = self.company._care_complaint_weekly_analysis(date(2026, 11, 19))
        self.assertEqual(analysis["date_from"], date(2026, 11, 16))
        self.assertEqual(analysis["date_to"], date(2026, 11, 22))
        totals = analysis["totals"]
        self.assertEqual(totals["total"], 3)
        self.assertEqual(totals["major"], 1)
        self.assertEqual(totals["cause"], 1)
        self.assertEqual(
            {row["category"]: row["total"] for row in analysis["categories"]},
            {"product_quality": 2, "service_quality": 1},
        )
        self.assertEqual(
            [(row["cause"], row["total"]) for row in analysis["top_causes"]],
            [("包装破损", 1)],
        )

    def test_the_month_is_the_same_computation(self):
        november = self.company._care_complaint_monthly_analysis(date(2026, 11, 1))
        self.assertEqual(november["totals"]["total"], 5)
        self.assertEqual(november["month_end"], date(2026, 11, 30))

    def test_the_weekly_report_renders_the_figures(self):
        data = {"week": "2026-11-16", "lang": "zh_CN"}
        content, _format = self.Report._render_qweb_html(
            WEEKLY, self.company.ids, data=data
        )
        text = text_of(content)
        self.assertIn("产品质量", text)
        self.assertIn(
            "3",
            html.fromstring(content)
            .xpath("//*[hasclass('o_care_total')]")[0]
            .text_content(),
        )

    def test_complaint_officers_cannot_render_it(self):
        with self.assertRaises(AccessError):
            self.Report.with_user(self.users["officer"])._render_qweb_html(
                WEEKLY, self.company.ids, data={"week": "2026-11-16"}
            )

    def test_mailed_on_the_companys_monday_once_per_language(self):
        rendered = self._capture_pdfs()
        template = "customer_care.mail_template_complaint_weekly_analysis"
        # Sunday 22 November 17:00 UTC: Monday 01:00 in Shanghai, Sunday
        # 09:00 for OdooBot
        with freeze_time("2026-11-22 17:00:00"):
            self._run_cron("ir_cron_complaint_weekly_analysis")
        mails = self._mails(template)
        self.assertEqual(len(mails), 2, "one mail per language")
        self.assertEqual(
            sorted(mails.mapped(lambda mail: mail.recipient_ids.lang)),
            ["en_US", "zh_CN"],
        )
        self.assertEqual(
            set(mails.recipient_ids.ids), set(self.managers.partner_id.ids)
        )
        ours = [
            data
            for ref, data in rendered
            if ref == WEEKLY and data.get("week") == "2026-11-16"
        ]
        # each PDF in its readers' language, of last week
        self.assertEqual(sorted(data["lang"] for data in ours), ["en_US", "zh_CN"])
        for mail in mails:
            self.assertEqual(len(mail.attachment_ids), 1)
        # a second run the same Monday sends nothing more
        with freeze_time("2026-11-22 23:00:00"):
            self._run_cron("ir_cron_complaint_weekly_analysis")
        self.assertEqual(len(self._mails(template)), 2)

    def test_nothing_on_another_day_of_the_company(self):
        self._capture_pdfs()
        # Monday 23 November 17:00 UTC: Tuesday in Shanghai, Monday for OdooBot
        with freeze_time("2026-11-23 17:00:00"):
            self._run_cron("ir_cron_complaint_weekly_analysis")
        self.assertFalse(
            self._mails("customer_care.mail_template_complaint_weekly_analysis")
        )


@tagged("post_install", "-at_install")
class TestYearlySatisfactionAnalysis(PeriodReportCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        agent = "customer_care.group_callback_agent"
        cls.agent_a = cls._user("care_rep_agent_a", agent)
        cls.agent_b = cls._user("care_rep_agent_b", agent)
        cls.branch = cls.env["crm.team"].create(
            {"name": "济南分公司", "company_id": cls.company.id}
        )
        cls.customer_a = cls.env["res.partner"].create(
            {"name": "济南鑫源", "is_company": True, "care_branch_id": cls.branch.id}
        )
        cls.customer_b = cls.env["res.partner"].create(
            {"name": "青岛海利", "is_company": True, "care_branch_id": cls.branch.id}
        )

        def callback(partner, user, day, state="done", **scores):
            return cls.env["customer.care.callback"].create(
                {
                    "company_id": cls.company.id,
                    "partner_id": partner.id,
                    "user_id": user.id,
                    "date": day,
                    "state": state,
                    **scores,
                }
            )

        # 2025: agent A twice (Q1, Q2), agent B once (Q4)
        callback(
            cls.customer_a,
            cls.agent_a,
            date(2025, 2, 10),
            score_delivery="5",
            score_overall="4",
        )
        callback(
            cls.customer_a,
            cls.agent_a,
            date(2025, 5, 10),
            score_delivery="3",
            score_overall="4",
            score_service_attitude="2",
        )
        callback(
            cls.customer_b,
            cls.agent_b,
            date(2025, 11, 10),
            score_overall="2",
            score_service_attitude="4",
        )
        # not counted: planned, another year's
        callback(cls.customer_b, cls.agent_b, date(2025, 12, 20), state="planned")
        # the previous year: one in Q1
        callback(cls.customer_a, cls.agent_a, date(2024, 3, 1), score_overall="5")

    def test_the_years_figures(self):
        analysis = self.company._care_satisfaction_analysis(2025)
        totals = analysis["totals"]
        self.assertEqual(totals["count"], 3)
        self.assertAlmostEqual(totals["scores"]["score_delivery"], 4.0)
        self.assertAlmostEqual(totals["scores"]["score_overall"], 10 / 3)
        self.assertAlmostEqual(totals["scores"]["score_service_attitude"], 3.0)
        self.assertFalse(totals["scores"]["score_cargo_safety"])
        self.assertEqual(analysis["previous"]["count"], 1)
        # the lowest averages first, criteria never scored left out
        self.assertEqual(
            analysis["weakest"],
            ["score_service_attitude", "score_overall", "score_delivery"],
        )
        agents = {line["record"]: line for line in analysis["agents"]}
        self.assertEqual(agents[self.agent_a]["count"], 2)
        self.assertAlmostEqual(agents[self.agent_a]["scores"]["score_overall"], 4.0)
        self.assertAlmostEqual(
            agents[self.agent_a]["scores"]["score_service_attitude"], 2.0
        )
        self.assertEqual(agents[self.agent_b]["count"], 1)
        self.assertAlmostEqual(agents[self.agent_b]["scores"]["score_overall"], 2.0)
        customers = {line["record"]: line["count"] for line in analysis["customers"]}
        self.assertEqual(customers, {self.customer_a: 2, self.customer_b: 1})
        self.assertEqual(
            [(line["record"], line["count"]) for line in analysis["branches"]],
            [(self.branch, 3)],
        )
        trend = {row["quarter"]: row for row in analysis["trend"]}
        self.assertEqual([trend[q]["count"] for q in (1, 2, 3, 4)], [1, 1, 0, 1])
        # Q1: (5 + 4) / 2 against 5 the year before
        self.assertAlmostEqual(trend[1]["average"], 4.5)
        self.assertAlmostEqual(trend[1]["previous_average"], 5.0)
        self.assertAlmostEqual(trend[1]["change"], -0.5)
        self.assertIsNone(trend[2]["change"])

    def test_the_issue_digest_as_of_a_day(self):
        """Printed for a past week: the issues raised by its end and not yet
        reported back by then."""
        done = self.env["customer.care.callback"].search(
            [("company_id", "=", self.company.id), ("date", "=", date(2025, 5, 10))]
        )
        later = self.env["customer.care.callback"].search(
            [("company_id", "=", self.company.id), ("date", "=", date(2025, 11, 10))]
        )
        Issue = self.env["customer.care.callback.issue"]
        Issue.create(
            {"callback_id": done.id, "name": "包装破损", "owner_id": self.agent_a.id}
        ).write({"state": "fed_back", "feedback_callback_id": later.id})
        Issue.create(
            {"callback_id": later.id, "name": "司机态度差", "owner_id": self.agent_b.id}
        )

        def names(day):
            digest = self.company._care_callback_issue_digest_data(day)
            return sorted(
                line["issue"].name
                for customer in digest["customers"]
                for line in customer["issues"]
            )

        self.assertEqual(names(date(2025, 5, 9)), [])
        self.assertEqual(names(date(2025, 6, 1)), ["包装破损"])
        self.assertEqual(names(date(2025, 11, 10)), ["司机态度差"])
        digest = self.company._care_callback_issue_digest_data(date(2025, 6, 1))
        self.assertEqual(digest["date"], date(2025, 6, 1))
        self.assertEqual(digest["customers"][0]["issues"][0]["days_open"], 22)
        content, _format = self.Report._render_qweb_html(
            DIGEST, self.company.ids, data={"date": "2025-06-01"}
        )
        self.assertIn("包装破损", text_of(content))
        self.assertNotIn("司机态度差", text_of(content))

    def test_the_yearly_report_renders_the_figures(self):
        data = {"year": 2025, "lang": "zh_CN"}
        content, _format = self.Report._render_qweb_html(
            YEARLY, self.company.ids, data=data
        )
        text = text_of(content)
        for expected in ("2025", "care_rep_agent_a", "济南鑫源", "济南分公司", "-0.50"):
            self.assertIn(expected, text)
        tree = html.fromstring(content)
        self.assertEqual(
            tree.xpath("//*[hasclass('o_care_total')]")[0].text_content().strip(), "3"
        )
        self.assertEqual(len(tree.xpath("//ol[hasclass('o_care_weakest')]/li")), 3)

    def test_only_the_general_manager_renders_it(self):
        manager = self._user("care_rep_cbm", "customer_care.group_callback_manager")
        with self.assertRaises(AccessError):
            self.Report.with_user(manager)._render_qweb_html(
                YEARLY, self.company.ids, data={"year": 2025}
            )
        self.Report.with_user(self.gm)._render_qweb_html(
            YEARLY, self.company.ids, data={"year": 2025}
        )

    def test_mailed_in_january_once(self):
        rendered = self._capture_pdfs()
        template = "customer_care.mail_template_satisfaction_yearly_analysis"
        # 31 December 2025 17:00 UTC: 1 January 2026 in Shanghai, still
        # 31 December for OdooBot
        with freeze_time("2025-12-31 17:00:00"):
            self._run_cron("ir_cron_satisfaction_yearly_analysis")
        mails = self._mails(template)
        self.assertEqual(len(mails), 1)
        self.assertEqual(mails.recipient_ids, self.gm.partner_id)
        self.assertIn((YEARLY, {"year": 2025, "lang": "zh_CN"}), rendered)
        # the next days of January send nothing more
        with freeze_time("2026-01-05 02:00:00"):
            self._run_cron("ir_cron_satisfaction_yearly_analysis")
        self.assertEqual(len(self._mails(template)), 1)

    def test_nothing_outside_january(self):
        self._capture_pdfs()
        # 1 February in Shanghai
        with freeze_time("2026-01-31 17:00:00"):
            self._run_cron("ir_cron_satisfaction_yearly_analysis")
        self.assertFalse(
            self._mails("customer_care.mail_template_satisfaction_yearly_analysis")
        )


@tagged("post_install", "-at_install")
class TestPeriodReportPrint(CareApiMixin, CareUsersMixin, HttpCase):
    """The print wizard for a past week, month or year, over JSON-RPC, for
    the role that may print each report only."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._create_care_users()
        cls.company = cls.env.company

    def _wizard(self, **values):
        return self.api(WIZARD, "create", {"company_id": self.company.id, **values})

    def _check_html(self, action, user):
        ids = ",".join(map(str, action["context"]["active_ids"]))
        url = (
            f"/report/html/{action['report_name']}/{ids}"
            f"?options={quote(json.dumps(action['data']))}"
        )
        response = self.url_open(url, timeout=120)
        self.assertEqual(response.status_code, 200)
        return response.text

    def test_the_general_manager_prints_each_period(self):
        user = self.users["gm"]
        self.api_as(user)
        week = self._wizard(period="week", week_date="2026-03-04")
        for method, ref, data in (
            ("action_print_complaint_analysis", WEEKLY, {"week": "2026-03-02"}),
            ("action_print_issue_digest", DIGEST, {"date": "2026-03-08"}),
        ):
            with self.subTest(report=ref):
                action = self.api(WIZARD, method, [week])
                self.assertEqual(action["report_name"], self.env.ref(ref).report_name)
                self.assertEqual(action["data"], data)
                self.assertIn("2026", self._check_html(action, user))
        month = self._wizard(period="month", month="3", year=2026)
        action = self.api(WIZARD, "action_print_complaint_analysis", [month])
        self.assertEqual(action["report_name"], self.env.ref(MONTHLY).report_name)
        self.assertEqual(action["data"], {"month": "2026-03-01"})
        year = self._wizard(period="year", year=2025)
        action = self.api(WIZARD, "action_print_satisfaction_analysis", [year])
        self.assertEqual(action["report_name"], self.env.ref(YEARLY).report_name)
        self.assertEqual(action["data"], {"year": 2025})
        self.assertIn("2025", self._check_html(action, user))

    def test_each_report_for_its_role(self):
        self.api_as(self.users["complaint_manager"])
        week = self._wizard(period="week", week_date="2026-03-04")
        self.api(WIZARD, "action_print_complaint_analysis", [week])
        self.api_refused(WIZARD, "action_print_issue_digest", [week])
        year = self._wizard(period="year", year=2025)
        self.api_refused(WIZARD, "action_print_satisfaction_analysis", [year])
        self.api_as(self.users["callback_manager"])
        week = self._wizard(period="week", week_date="2026-03-04")
        self.api(WIZARD, "action_print_issue_digest", [week])
        self.api_refused(WIZARD, "action_print_complaint_analysis", [week])
        year = self._wizard(period="year", year=2025)
        error = self.api_refused(WIZARD, "action_print_satisfaction_analysis", [year])
        self.assertEqual(error["name"], "odoo.exceptions.AccessError")
        self.api_as(self.users["agent"])
        self.api_refused(WIZARD, "create", {"period": "year", "year": 2025})

    def test_each_new_report_renders_a_real_pdf(self):
        # the report's style sheets are built in a request of their own, not
        # while wkhtmltopdf waits for them
        for url in self.env["ir.qweb"]._get_asset_link_urls("web.report_assets_common"):
            self.assertEqual(self.url_open(url).status_code, 200)
        Report = self.env["ir.actions.report"].with_context(force_report_rendering=True)
        for ref, data in (
            (WEEKLY, {"week": "2026-03-02"}),
            (YEARLY, {"year": 2025}),
            (DIGEST, {"date": "2026-03-08"}),
        ):
            with self.subTest(report=ref):
                pdf, _format = Report._render_qweb_pdf(ref, self.company.ids, data=data)
                self.assertTrue(pdf.startswith(b"%PDF"))

    def test_inconsistent_or_future_periods_are_refused(self):
        self.api_as(self.users["gm"])
        week = self._wizard(period="week", week_date="2026-03-04")
        error = self.api_refused(WIZARD, "action_print_callback_summary", [week])
        self.assertEqual(error["name"], "odoo.exceptions.UserError")
        year = self._wizard(period="year", year=2025)
        error = self.api_refused(WIZARD, "action_print_complaint_analysis", [year])
        self.assertEqual(error["name"], "odoo.exceptions.UserError")
        future = self._wizard(period="year", year=2099)
        error = self.api_refused(WIZARD, "action_print_satisfaction_analysis", [future])
        self.assertEqual(error["name"], "odoo.exceptions.UserError")
        self.assertIn("2099", error["message"])
