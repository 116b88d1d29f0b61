# Copyright 2026 customer_care contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from unittest import SkipTest

from odoo.tests import HttpCase, tagged

from .common import WarmUpMixin, ensure_lang


@tagged("post_install", "-at_install")
class TestCreditApprovalTour(WarmUpMixin, HttpCase):
    """The approvers' daily task in Chromium, as the zh_CN demo users on the
    demo data: the regional manager approves the request under one third of
    the limit, the credit manager the one above it, each from the page the
    app lands on (the requests sent to them)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.under = cls.env.ref(
            "customer_care.credit_request_big", raise_if_not_found=False
        )
        cls.above = cls.env.ref(
            "customer_care.credit_request_big_2", raise_if_not_found=False
        )
        if not (cls.under and cls.above):
            raise SkipTest("the demo data is not loaded")
        ensure_lang(cls.env, "zh_CN")
        cls.regional = cls.env.ref("customer_care.user_credit_approver")
        cls.credit_manager = cls.env.ref("customer_care.user_credit_manager")

    def _sent_to(self, user):
        return self.env["customer.care.credit.request"].search(
            [("state", "=", "requested"), ("sent_to_ids", "in", user.id)]
        )

    def test_the_regional_manager_approves_under_one_third(self):
        self.assertEqual(self.regional.lang, "zh_CN")
        self.assertEqual(self._sent_to(self.regional), self.under)
        self.assertLess(self.under.ratio, 100 / 3)
        self.start_tour(
            "/odoo", "customer_care_credit_regional_tour", login=self.regional.login
        )
        self.assertEqual(self.under.state, "approved")
        self.assertEqual(self.under.approver_id, self.regional)
        self.assertEqual(self.above.state, "requested")

    def test_the_credit_manager_approves_above_one_third(self):
        self.assertEqual(self.credit_manager.lang, "zh_CN")
        self.assertEqual(self._sent_to(self.credit_manager), self.above)
        self.assertGreater(self.above.ratio, 100 / 3)
        self.start_tour(
            "/odoo",
            "customer_care_credit_manager_tour",
            login=self.credit_manager.login,
        )
        self.assertEqual(self.above.state, "approved")
        self.assertEqual(self.above.approver_id, self.credit_manager)
        self.assertEqual(self.under.state, "requested")
