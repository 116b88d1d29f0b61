# Copyright 2026 customer_care contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import json

from odoo.tests import HttpCase, new_test_user, tagged

from .common import CareApiMixin, CareUsersMixin

# the window action each role lands on when it opens the app
LANDING = {
    "agent": "customer_care.customer_care_callback_today_action",
    "callback_manager": "customer_care.customer_care_callback_overdue_action",
    "officer": "customer_care.action_complaint",
    "complaint_manager": "customer_care.action_complaint",
    "desk": "customer_care.customer_care_pickup_action_today",
    "approver": "customer_care.customer_care_credit_request_action_to_approve",
    "credit_manager": "customer_care.customer_care_credit_request_action_to_approve",
    "gm": "customer_care.action_complaint_measure",
}


@tagged("post_install", "-at_install")
class TestLanding(CareApiMixin, CareUsersMixin, HttpCase):
    """The app's root menu opens each role on its own work, as the web
    client runs it: the menu's server action over JSON-RPC."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._create_care_users()
        cls.landing = cls.env.ref("customer_care.action_landing")

    def _run(self, action_id):
        response = self.url_open(
            "/web/action/run",
            data=json.dumps(
                {
                    "id": 0,
                    "jsonrpc": "2.0",
                    "method": "call",
                    "params": {"action_id": action_id},
                }
            ),
            headers={"Content-Type": "application/json"},
            timeout=60,
        )
        response.raise_for_status()
        return response.json()

    def test_the_root_menu_opens_the_landing(self):
        self.assertEqual(self.env.ref("customer_care.menu_root").action, self.landing)

    def test_each_role_lands_on_its_own_work(self):
        for role, xmlid in LANDING.items():
            with self.subTest(role=role):
                self.api_as(self.users[role])
                body = self._run(self.landing.id)
                self.assertNotIn("error", body)
                action = body["result"]
                self.assertEqual(action["type"], "ir.actions.act_window")
                self.assertEqual(action["id"], self.env.ref(xmlid).id)

    def test_the_general_manager_lands_on_the_measures_to_approve(self):
        self.api_as(self.users["gm"])
        action = self._run(self.landing.id)["result"]
        self.assertEqual(action["res_model"], "customer.care.complaint.measure")
        self.assertEqual(action["context"], {"search_default_to_approve": 1})

    def test_a_user_without_a_role_cannot_run_it(self):
        plain = new_test_user(
            self.env, login="care_landing_plain", groups="base.group_user"
        )
        self.api_as(plain)
        body = self._run(self.landing.id)
        self.assertIn("error", body)
        self.assertEqual(body["error"]["data"]["name"], "odoo.exceptions.AccessError")
