# Copyright 2026 customer_care contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Each role's daily task, done the way a person clicks: headless Chromium,
as the demo user of the role (zh_CN), on the demo data."""

from odoo.tests import HttpCase, tagged

from .common import WarmUpMixin


@tagged("post_install", "-at_install")
class TestDailyTours(WarmUpMixin, HttpCase):
    def _demo(self, name):
        user = self.env.ref(f"customer_care.{name}")
        self.assertEqual(user.lang, "zh_CN")
        return user

    def test_agent_records_todays_callback(self):
        agent = self._demo("user_callback_agent")
        callback = self.env.ref("customer_care.callback_demo_planned_1")
        issue = self.env.ref("customer_care.callback_demo_issue_12")
        self.start_tour("/odoo", "customer_care_agent_day_tour", login=agent.login)
        self.assertEqual(callback.state, "done")
        self.assertEqual(callback.contact_id.name, "张丽")
        self.assertEqual((callback.score_delivery, callback.score_overall), ("4", "5"))
        self.assertEqual(issue.state, "fed_back")
        self.assertEqual(issue.feedback_callback_id, callback)

    def test_callback_manager_follows_up_the_escalated_issue(self):
        manager = self._demo("user_callback_manager")
        issue = self.env.ref("customer_care.callback_demo_issue_3")
        self.start_tour(
            "/odoo", "customer_care_callback_manager_tour", login=manager.login
        )
        self.assertEqual(issue.state, "resolved")
        self.assertIn("回单", issue.result)

    def test_officer_registers_a_major_complaint(self):
        officer = self._demo("user_complaint_officer")
        self.start_tour(
            "/odoo", "customer_care_complaint_officer_tour", login=officer.login
        )
        ticket = self.env["helpdesk.ticket"].search(
            [("name", "=", "燃气热水器安装后有漏气味")]
        )
        self.assertEqual(ticket.care_tier, "major")
        self.assertTrue(ticket.care_is_complaint)
        self.assertIn("漏气味", ticket.description)
        self.assertIn("handover", ticket.care_deadline_ids.mapped("kind"))

    def test_complaint_manager_approves_and_lowers(self):
        manager = self._demo("user_complaint_manager")
        compensated = self.env.ref("customer_care.complaint_demo_2")
        lowered = self.env.ref("customer_care.complaint_demo_7")
        self.start_tour(
            "/odoo", "customer_care_complaint_manager_tour", login=manager.login
        )
        self.assertEqual(compensated.care_compensation_state, "approved")
        self.assertEqual(compensated.care_compensation_approved_by_id, manager)
        self.assertEqual(lowered.care_tier, "general")
        self.assertIn("撤回", lowered.care_tier_reason)

    def test_gm_approves_a_preventive_measure(self):
        gm = self._demo("user_general_manager")
        measure = self.env.ref("customer_care.complaint_measure_demo_3")
        self.assertEqual(measure.state, "requested")
        self.start_tour("/odoo", "customer_care_gm_measure_tour", login=gm.login)
        self.assertEqual(measure.state, "approved")
        self.assertEqual(measure.approver_id, gm)

    def test_gm_approves_the_visit_plan(self):
        gm = self._demo("user_general_manager")
        plan = self.env.ref("customer_care.visit_plan_next_year")
        self.assertEqual(plan.state, "requested")
        self.start_tour("/odoo", "customer_care_gm_visit_plan_tour", login=gm.login)
        self.assertEqual(plan.state, "approved")
        self.assertEqual(plan.approver_id, gm)
        self.assertEqual(len(plan.line_ids.callback_id), 3)
        self.assertEqual(set(plan.line_ids.callback_id.mapped("method")), {"onsite"})

    def test_credit_manager_decides_a_risk_review(self):
        manager = self._demo("user_credit_manager")
        review = self.env.ref("customer_care.credit_review_big_current")
        partner = review.partner_id
        self.assertEqual(review.state, "draft")
        self.assertEqual(review.previous_rating_id, partner.care_credit_rating_id)
        self.assertEqual(review.rating_id, review.proposed_rating_id)
        self.assertFalse(review.needs_approval)
        self.start_tour(
            "/odoo", "customer_care_credit_review_tour", login=manager.login
        )
        self.assertEqual(review.state, "done")
        self.assertEqual(partner.care_credit_rating_id, review.proposed_rating_id)
        self.assertEqual(
            partner.care_credit_rating_date, review.company_id._care_today()
        )
