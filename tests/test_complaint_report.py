# Copyright 2026 customer_care contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date, datetime, timedelta

from freezegun import freeze_time
from lxml import html

from odoo import fields
from odoo.tests import HttpCase, TransactionCase, new_test_user, tagged

from .common import CareUsersMixin, ensure_lang, shanghai_calendar

REPORT = "customer_care.action_report_complaint_monthly_analysis"
MARCH = date(2026, 3, 1)
APRIL = date(2026, 4, 1)


def shanghai(*args):
    """A moment on the clock of Shanghai, as the naive UTC the ORM stores."""
    return datetime(*args) - timedelta(hours=8)


def text_of(content):
    """The visible text of rendered HTML, whitespace collapsed."""
    return " ".join(html.fromstring(content).text_content().split())


@tagged("post_install", "-at_install")
# 09:00 in Shanghai on 1 April: the day the March analysis is sent
@freeze_time("2026-04-01 01:00:00")
class TestComplaintReport(CareUsersMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._create_care_users()
        ensure_lang(cls.env, "zh_CN")
        cls.Report = cls.env["ir.actions.report"]
        cls.gm = new_test_user(
            cls.env,
            login="care_gm_zh",
            groups="customer_care.group_general_manager",
            lang="zh_CN",
        )
        cls.company = cls.env["res.company"].create(
            {
                "name": "华北电器",
                "resource_calendar_id": shanghai_calendar(cls.env).id,
                "care_general_manager_id": cls.gm.id,
                "care_duty_manager_id": cls.gm.id,
            }
        )
        # a ticket takes the company of its team
        cls.team = cls._team(cls.company)
        customer = cls._customer("济南鑫源家电")
        # in March on the clock of Shanghai: a general complaint, closed...
        cls.packing = cls._complaint(
            shanghai(2026, 3, 2, 10, 0),
            customer,
            "product_quality",
            care_cause="包装破损",
            care_responsible_department="物流部",
            care_responsible_user_id=cls.users["desk"].id,
        )
        cls.packing.stage_id = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
        # ... the same customer again: a repeat, so major, still open ...
        cls.repeat = cls._complaint(
            shanghai(2026, 3, 10, 10, 0),
            customer,
            "product_quality",
            care_cause="包装破损",
            care_responsible_department="物流部",
        )
        # ... one received on Sunday 1 March at 01:00 (February in UTC),
        # solved and awaiting its follow-up ...
        cls.driver = cls._complaint(
            shanghai(2026, 3, 1, 1, 0),
            cls._customer("青岛海利"),
            "service_quality",
            care_cause="司机态度差",
            care_responsible_department="客服部",
        )
        cls.driver.stage_id = cls.env.ref("customer_care.stage_complaint_solved")
        # ... and a major one whose cause is not known yet
        cls.safety = cls._complaint(
            shanghai(2026, 3, 16, 9, 0),
            cls._customer("烟台百货"),
            "sales_contract",
            care_crit_safety=True,
        )
        # not in the company's March: April in Shanghai, February, archived,
        # not a complaint, another company
        cls.april = cls._complaint(
            shanghai(2026, 4, 1, 0, 30), cls._customer("潍坊家电"), "repair_quality"
        )
        february = cls._complaint(
            shanghai(2026, 2, 20, 10, 0), cls._customer("淄博商城"), "product_quality"
        )
        archived = cls._complaint(
            shanghai(2026, 3, 5, 10, 0), cls._customer("临沂商贸"), "product_quality"
        )
        archived.active = False
        cls._complaint(
            shanghai(2026, 3, 5, 10, 0),
            cls._customer("日照家电"),
            "product_quality",
            care_is_complaint=False,
        )
        elsewhere = cls._complaint(
            shanghai(2026, 3, 5, 10, 0),
            cls._customer("德州电器"),
            "product_quality",
            team_id=cls.env.ref("customer_care.team_complaint").id,
        )

        # the deadlines, set by hand: (complaint, kind, due, met on)
        planned = (
            cls.packing | cls.repeat | cls.driver | cls.safety | cls.april | february
        )
        (planned | archived | elsewhere).care_deadline_ids.unlink()
        deadlines = [
            # March: 3 met on time, 1 met late, 2 missed
            (
                cls.packing,
                "proposal",
                shanghai(2026, 3, 3, 10, 0),
                shanghai(2026, 3, 3, 9, 0),
            ),
            (
                cls.packing,
                "followup",
                shanghai(2026, 3, 9, 10, 0),
                shanghai(2026, 3, 12, 10, 0),
            ),
            (cls.repeat, "proposal", shanghai(2026, 3, 11, 10, 0), False),
            (
                cls.driver,
                "proposal",
                shanghai(2026, 3, 2, 17, 0),
                shanghai(2026, 3, 2, 11, 0),
            ),
            (
                cls.safety,
                "handover",
                shanghai(2026, 3, 16, 9, 30),
                shanghai(2026, 3, 16, 9, 10),
            ),
            (cls.safety, "report", shanghai(2026, 3, 31, 23, 0), False),
            # April: one missed at 00:30, one still ahead
            (cls.safety, "progress", shanghai(2026, 4, 1, 0, 30), False),
            (cls.safety, "followup", shanghai(2026, 4, 8, 10, 0), False),
            # February, another company, an archived complaint
            (february, "proposal", shanghai(2026, 2, 23, 10, 0), False),
            (elsewhere, "proposal", shanghai(2026, 3, 6, 10, 0), False),
            (archived, "proposal", shanghai(2026, 3, 6, 10, 0), False),
        ]
        cls.env["customer.care.complaint.deadline"].create(
            [
                {
                    "ticket_id": ticket.id,
                    "kind": kind,
                    "deadline": due,
                    "done_date": met,
                }
                for ticket, kind, due, met in deadlines
            ]
        )

    @classmethod
    def _team(cls, company):
        return cls.env.ref("customer_care.team_complaint").copy(
            {"name": f"{company.name} 投诉组", "company_id": company.id}
        )

    @classmethod
    def _customer(cls, name):
        return cls.env["res.partner"].create({"name": name, "is_company": True})

    @classmethod
    def _complaint(cls, received, partner, category, **values):
        return cls.env["helpdesk.ticket"].create(
            {
                "name": "投诉",
                "description": "<p>客户投诉。</p>",
                "partner_id": partner.id,
                "team_id": cls.team.id,
                "care_is_complaint": True,
                "care_received_at": received,
                "care_category": category,
                **values,
            }
        )

    def _analysis(self, month=MARCH):
        return self.company._care_complaint_monthly_analysis(month)

    def _render(self, data=None):
        content, _format = self.Report._render_qweb_html(
            REPORT, self.company.ids, data=data
        )
        return content

    def _mails(self):
        return self.env["mail.mail"].search(
            [("model", "=", "res.company"), ("res_id", "=", self.company.id)]
        )

    # ------------------------------------------------------------
    # FIGURES
    # ------------------------------------------------------------

    def test_totals_count_the_complaints_received_in_the_month(self):
        analysis = self._analysis()
        self.assertEqual(analysis["month_end"], date(2026, 3, 31))
        totals = analysis["totals"]
        self.assertEqual(totals["total"], 4)
        self.assertEqual((totals["general"], totals["major"]), (2, 2))
        self.assertEqual(
            (totals["open"], totals["solved"], totals["closed"]), (2, 1, 1)
        )
        self.assertEqual(totals["cause"], 3)
        self.assertAlmostEqual(totals["major_rate"], 50.0)
        self.assertEqual(
            [(row["tier"], row["total"]) for row in analysis["tiers"]],
            [("general", 2), ("major", 2)],
        )

    def test_repeat_count_and_rate(self):
        totals = self._analysis()["totals"]
        self.assertEqual(totals["repeat"], 1)
        self.assertAlmostEqual(totals["repeat_rate"], 25.0)

    def test_month_is_on_the_clock_of_the_company(self):
        self.assertEqual(self._analysis(APRIL)["totals"]["total"], 1)
        # any day stands for its month
        self.assertEqual(self._analysis(date(2026, 3, 17))["totals"]["total"], 4)

    def test_by_category(self):
        categories = {row["category"]: row for row in self._analysis()["categories"]}
        self.assertEqual(
            list(categories), ["product_quality", "sales_contract", "service_quality"]
        )
        product = categories["product_quality"]
        self.assertEqual(
            (product["total"], product["major"], product["repeat"]), (2, 1, 1)
        )
        self.assertEqual((product["open"], product["closed"]), (1, 1))
        self.assertAlmostEqual(product["repeat_rate"], 50.0)
        self.assertEqual(categories["service_quality"]["solved"], 1)
        self.assertEqual(categories["sales_contract"]["major"], 1)

    def test_by_department_the_undetermined_last(self):
        departments = [
            (row["department"], row["total"], row["repeat"], row["cause"])
            for row in self._analysis()["departments"]
        ]
        self.assertEqual(
            departments, [("物流部", 2, 1, 2), ("客服部", 1, 0, 1), (False, 1, 0, 0)]
        )

    def test_top_causes_with_their_department(self):
        self.assertEqual(
            self._analysis()["top_causes"],
            [
                {"cause": "包装破损", "department": "物流部", "total": 2},
                {"cause": "司机态度差", "department": "客服部", "total": 1},
            ],
        )

    def test_deadline_compliance_by_kind(self):
        analysis = self._analysis()
        self.assertEqual(
            [
                (row["kind"], row["due"], row["on_time"], row["late"], row["missed"])
                for row in analysis["deadlines"]
            ],
            [
                ("handover", 1, 1, 0, 0),
                ("report", 1, 0, 0, 1),
                ("proposal", 3, 2, 0, 1),
                ("followup", 1, 0, 1, 0),
            ],
        )
        self.assertAlmostEqual(analysis["deadlines"][2]["compliance"], 200 / 3)
        totals = analysis["deadline_totals"]
        self.assertEqual(
            (totals["due"], totals["on_time"], totals["late"], totals["missed"]),
            (6, 3, 1, 2),
        )
        self.assertAlmostEqual(totals["compliance"], 50.0)

    def test_a_deadline_still_ahead_is_pending_not_missed(self):
        totals = self._analysis(APRIL)["deadline_totals"]
        self.assertEqual(
            (totals["due"], totals["missed"], totals["pending"]), (2, 1, 1)
        )
        self.assertAlmostEqual(totals["compliance"], 0.0)

    def test_an_empty_month(self):
        analysis = self._analysis(date(2026, 1, 1))
        self.assertEqual(analysis["totals"]["total"], 0)
        self.assertEqual(analysis["totals"]["repeat_rate"], 0.0)
        self.assertEqual(analysis["categories"], [])
        self.assertEqual(analysis["top_causes"], [])
        self.assertEqual(analysis["deadlines"], [])
        self.assertEqual(analysis["deadline_totals"]["compliance"], 0.0)

    def test_analysis_queries_do_not_grow_with_the_complaints(self):
        def queries(count):
            company = self.env["res.company"].create({"name": f"{count} 投诉"})
            team = self._team(company)
            self.env["helpdesk.ticket"].create(
                [
                    {
                        "name": "投诉",
                        "description": "<p>投诉</p>",
                        "partner_id": self._customer(f"客户 {count} {i}").id,
                        "team_id": team.id,
                        "care_is_complaint": True,
                        "care_received_at": datetime(2026, 3, 2 + i % 20, 2, 0),
                        "care_category": ("product_quality", "service_quality")[i % 2],
                        "care_cause": f"原因 {i % 3}",
                        "care_responsible_department": f"部门 {i % 4}",
                    }
                    for i in range(count)
                ]
            )
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            analysis = company._care_complaint_monthly_analysis(MARCH)
            self.assertEqual(analysis["totals"]["total"], count)
            return self.env.cr.sql_log_count - before

        few, many = queries(3), queries(30)
        self.assertLessEqual(many, few + 2)

    # ------------------------------------------------------------
    # REPORT
    # ------------------------------------------------------------

    def test_report_shows_the_figures_in_the_general_managers_language(self):
        tree = html.fromstring(self._render({"month": "2026-03-01"}))
        text = " ".join(tree.text_content().split())
        self.assertIn("2026年03月01日", text)
        for shown in ("物流部", "客服部", "包装破损", "司机态度差"):
            self.assertIn(shown, text)

        def cell(css_class):
            (td,) = tree.xpath(f"//td[contains(@class, '{css_class}')]")
            return " ".join(td.text_content().split())

        self.assertEqual(cell("o_care_total"), "4")
        self.assertEqual(cell("o_care_repeat_rate"), "25.0 %")
        self.assertEqual(cell("o_care_compliance"), "50.0 %")

    def test_report_defaults_to_the_previous_month(self):
        self.assertIn("2026年03月31日", text_of(self._render()))

    def test_report_of_a_month_without_complaints(self):
        text = text_of(self._render({"month": "2026-01-01"}))
        self.assertNotIn("物流部", text)
        self.assertNotIn("包装破损", text)

    # ------------------------------------------------------------
    # SCHEDULED ACTION
    # ------------------------------------------------------------

    def test_cron_mails_last_months_pdf_to_the_general_manager_on_the_1st(self):
        self.env["res.company"]._cron_complaint_monthly_analysis()
        mail = self._mails()
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.recipient_ids, self.gm.partner_id)
        self.assertIn("2026-03", mail.subject)
        attachment = mail.attachment_ids
        self.assertEqual(len(attachment), 1)
        self.assertEqual(attachment.mimetype, "application/pdf")
        self.assertIn("2026-03", attachment.name)
        # under tests the report engine gives the HTML the PDF is made from
        self.assertIn("物流部", text_of(attachment.raw))

    def test_cron_sends_a_month_once(self):
        Company = self.env["res.company"]
        Company._cron_complaint_monthly_analysis()
        with freeze_time("2026-04-01 15:00:00"):
            Company._cron_complaint_monthly_analysis()
        self.assertEqual(len(self._mails()), 1)

    def test_cron_sends_nothing_on_other_days(self):
        for day in ("2026-04-02 01:00:00", "2026-03-31 01:00:00"):
            with freeze_time(day):
                self.env["res.company"]._cron_complaint_monthly_analysis()
        self.assertFalse(self._mails())

    def test_cron_skips_companies_without_general_manager(self):
        self.company.care_general_manager_id = False
        self.env["res.company"]._cron_complaint_monthly_analysis()
        self.assertFalse(self._mails())

    def test_scheduled_action_runs_daily(self):
        cron = self.env.ref("customer_care.ir_cron_complaint_monthly_analysis")
        self.assertEqual((cron.interval_number, cron.interval_type), (1, "days"))
        cron.method_direct_trigger()
        self.assertEqual(len(self._mails()), 1)


@tagged("post_install", "-at_install")
class TestComplaintReportPdf(HttpCase):
    """A real PDF through wkhtmltopdf, which fetches the report's assets from
    the test server (see TestCallbackLedgerPdf). Not under freeze_time: a
    frozen clock hangs the wkhtmltopdf subprocess."""

    def test_analysis_is_a_real_pdf(self):
        self.env["helpdesk.ticket"].create(
            {
                "name": "投诉",
                "description": "<p>客户投诉。</p>",
                "partner_id": self.env["res.partner"].create({"name": "海信电器"}).id,
                "team_id": self.env.ref("customer_care.team_complaint").id,
                "care_is_complaint": True,
                "care_category": "product_quality",
                "care_cause": "包装破损",
                "care_responsible_department": "物流部",
            }
        )
        # warm-up: the report's style sheets are built in a request of their
        # own, not while wkhtmltopdf waits for them
        for url in self.env["ir.qweb"]._get_asset_link_urls("web.report_assets_common"):
            self.assertEqual(self.url_open(url).status_code, 200)
        month = fields.Date.today().replace(day=1).isoformat()
        pdf, _format = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(REPORT, self.env.company.ids, data={"month": month})
        )
        self.assertTrue(pdf.startswith(b"%PDF"))
