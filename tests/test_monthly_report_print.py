# Copyright 2026 customer_care contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import json
from urllib.parse import quote

from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import CareApiMixin, CareUsersMixin

COMPLAINT = "customer_care.action_report_complaint_monthly_analysis"
CALLBACK = "customer_care.action_report_callback_monthly_summary"
WIZARD = "customer.care.monthly.report"


@tagged("post_install", "-at_install")
class TestMonthlyReportPrint(CareApiMixin, CareUsersMixin, HttpCase):
    """The monthly complaint analysis and callback summary printed on
    demand for a chosen month: by the general manager and the managers of
    each report, not by the agents and officers. Over JSON-RPC."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._create_care_users()
        cls.company = cls.env.company

    def _wizard(self, **values):
        return self.api(
            WIZARD,
            "create",
            {"month": "3", "year": 2026, "company_id": self.company.id, **values},
        )

    def _html_url(self, action):
        report = action["report_name"]
        ids = ",".join(map(str, action["context"]["active_ids"]))
        return (
            f"/report/html/{report}/{ids}?options={quote(json.dumps(action['data']))}"
        )

    def test_the_general_manager_prints_both_for_a_chosen_month(self):
        self.api_as(self.users["gm"])
        wizard_id = self._wizard()
        for method, ref in (
            ("action_print_complaint_analysis", COMPLAINT),
            ("action_print_callback_summary", CALLBACK),
        ):
            with self.subTest(report=ref):
                action = self.api(WIZARD, method, [wizard_id])
                report = self.env.ref(ref)
                self.assertEqual(action["type"], "ir.actions.report")
                self.assertEqual(action["report_name"], report.report_name)
                self.assertEqual(action["data"], {"month": "2026-03-01"})
                self.assertEqual(action["context"]["active_ids"], self.company.ids)
                # the report of that month, as the browser fetches it
                response = self.url_open(self._html_url(action), timeout=120)
                self.assertEqual(response.status_code, 200)
                self.assertIn("2026", response.text)
                html = (
                    self.env["ir.actions.report"]
                    .with_user(self.users["gm"])
                    ._render_qweb_html(ref, self.company.ids, data=action["data"])[0]
                    .decode()
                )
                self.assertIn(self.company.name, html)

    def test_the_month_reaches_the_figures(self):
        """The month chosen is the month computed (the cron's own method)."""
        captured = []
        Company = type(self.env["res.company"])
        compute = Company._care_complaint_monthly_analysis

        def _care_complaint_monthly_analysis(company, month_start):
            captured.append(month_start)
            return compute(company, month_start)

        self.patch(
            Company,
            "_care_complaint_monthly_analysis",
            _care_complaint_monthly_analysis,
        )
        self.api_as(self.users["complaint_manager"])
        action = self.api(
            WIZARD,
            "action_print_complaint_analysis",
            [self._wizard(month="11", year=2025)],
        )
        self.env["ir.actions.report"].with_user(
            self.users["complaint_manager"]
        )._render_qweb_html(COMPLAINT, self.company.ids, data=action["data"])
        self.assertEqual([f"{m:%Y-%m-%d}" for m in captured], ["2025-11-01"])

    def test_each_manager_prints_the_report_of_their_department(self):
        self.api_as(self.users["complaint_manager"])
        wizard_id = self._wizard()
        self.api(WIZARD, "action_print_complaint_analysis", [wizard_id])
        self.api_refused(WIZARD, "action_print_callback_summary", [wizard_id])
        self.api_as(self.users["callback_manager"])
        wizard_id = self._wizard()
        self.api(WIZARD, "action_print_callback_summary", [wizard_id])
        self.api_refused(WIZARD, "action_print_complaint_analysis", [wizard_id])

    def test_agents_and_officers_cannot_print(self):
        for role in ("agent", "officer", "desk"):
            with self.subTest(role=role):
                self.api_as(self.users[role])
                error = self.api_refused(WIZARD, "create", {"month": "3", "year": 2026})
                self.assertEqual(error["name"], "odoo.exceptions.AccessError")

    @mute_logger("odoo.http", "odoo.addons.web.controllers.report")
    def test_agents_cannot_fetch_the_report_itself(self):
        self.api_as(self.users["agent"])
        action = {
            "report_name": self.env.ref(CALLBACK).report_name,
            "context": {"active_ids": self.company.ids},
            "data": {"month": "2026-03-01"},
        }
        response = self.url_open(self._html_url(action), timeout=60)
        self.assertNotEqual(response.status_code, 200)
        self.assertNotIn("2026-03", response.text)

    def test_the_menu_is_for_the_managers(self):
        menu = self.env.ref("customer_care.menu_reporting_monthly")
        for role, visible in (
            ("gm", True),
            ("complaint_manager", True),
            ("callback_manager", True),
            ("officer", False),
            ("agent", False),
        ):
            with self.subTest(role=role):
                menus = (
                    self.env["ir.ui.menu"]
                    .with_user(self.users[role])
                    ._visible_menu_ids()
                )
                self.assertEqual(menu.id in menus, visible)
