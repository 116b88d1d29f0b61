# Copyright 2026 customer_care contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Credit risk (issue 14) as its users meet it: over JSON-RPC, in each
role's own session, the one who may and the one who may not, pressing the
button and writing the field directly; and the review report as a real PDF."""

from odoo.tests import HttpCase, tagged

from .common import CareApiMixin
from .test_credit_risk import BadDebtCase

REVIEW = "customer.care.credit.review"
BAD_DEBT = "customer.care.credit.bad.debt"
LEDGER = "customer.care.credit.responsibility"


@tagged("post_install", "-at_install")
class TestCreditReviewOverTheApi(CareApiMixin, BadDebtCase, HttpCase):
    def _open_review(self, previous=None):
        if previous:
            self._rate(self.customer, previous)
        return self._review()

    def _rating_of(self, partner):
        partner.invalidate_recordset(["care_credit_rating_id", "care_credit_mode"])
        return partner.care_credit_rating_id

    # -- deciding the review ------------------------------------------

    def test_the_credit_manager_accepts_the_proposal(self):
        review = self._open_review(previous=self.rating_b)
        self.api_as(self.credit_manager)
        self.assertIs(self.api(REVIEW, "action_accept", [review.id]), True)
        self.assertEqual(review.state, "done")
        self.assertEqual(self._rating_of(self.customer), self.rating_a)

    def test_a_regional_manager_or_salesman_cannot_decide(self):
        review = self._open_review(previous=self.rating_b)
        for user in (self.regional, self.salesman):
            self.api_as(user)
            self.api_refused(REVIEW, "action_accept", [review.id])
            self.api_refused(
                REVIEW, "write", [review.id], {"rating_id": self.rating_d.id}
            )
        self.assertEqual(review.state, "draft")
        self.assertEqual(self._rating_of(self.customer), self.rating_b)

    def test_nobody_writes_the_rating_of_a_customer_directly(self):
        for user in (self.credit_manager, self.gm, self.regional, self.salesman):
            self.api_as(user)
            error = self.api_refused(
                "res.partner",
                "write",
                [self.customer.id],
                {"care_credit_rating_id": self.rating_d.id},
            )
            if user in (self.credit_manager, self.gm):
                # who may write the customer is told the review sets it
                self.assertEqual(error["name"], "odoo.exceptions.UserError")
        self.assertFalse(self._rating_of(self.customer))

    def test_the_figures_and_the_state_are_not_written_directly(self):
        review = self._open_review()
        self.api_as(self.credit_manager)
        for values in (
            {"score": 10.0},
            {"overdue_max_days": 300},
            {"proposed_rating_id": self.rating_d.id},
            {"state": "done"},
            {"approver_id": self.credit_manager.id},
        ):
            error = self.api_refused(REVIEW, "write", [review.id], values)
            self.assertEqual(error["name"], "odoo.exceptions.UserError", values)
        review.invalidate_recordset()
        self.assertEqual(review.score, 100.0)
        self.assertEqual(review.state, "draft")
        # what the credit manager decides is hers to write
        self.assertIs(
            self.api(
                REVIEW,
                "write",
                [review.id],
                {"rating_id": self.rating_b.id, "reason": "付款习惯变差"},
            ),
            True,
        )

    def test_a_change_without_a_reason_is_refused(self):
        review = self._open_review()
        self.api_as(self.credit_manager)
        self.api(REVIEW, "write", [review.id], {"rating_id": self.rating_b.id})
        error = self.api_refused(REVIEW, "action_accept", [review.id])
        self.assertIn("give the reason", error["message"])
        self.assertEqual(review.state, "draft")

    def test_the_gm_approves_a_downgrade_to_the_lowest_the_credit_manager_cannot(self):
        review = self._open_review(previous=self.rating_c)
        self.api_as(self.credit_manager)
        self.api(
            REVIEW,
            "write",
            [review.id],
            {"rating_id": self.rating_d.id, "reason": "拖欠货款三个月"},
        )
        self.assertIs(self.api(REVIEW, "action_accept", [review.id]), True)
        self.assertEqual(review.state, "requested")
        self.assertEqual(self._rating_of(self.customer), self.rating_c)
        self.api_refused(REVIEW, "action_approve", [review.id])
        self.api_refused(REVIEW, "write", [review.id], {"state": "approved"})
        self.assertEqual(review.state, "requested")

        self.api_as(self.gm)
        self.assertIs(self.api(REVIEW, "action_approve", [review.id]), True)
        self.assertEqual(review.state, "approved")
        self.assertEqual(self._rating_of(self.customer), self.rating_d)
        self.assertEqual(self.customer.care_credit_mode, "none")

    def test_a_gm_who_decided_cannot_approve_his_own_downgrade(self):
        review = self._open_review(previous=self.rating_b)
        self.api_as(self.gm)
        self.api(
            REVIEW,
            "write",
            [review.id],
            {"stop_credit": True, "reason": "客户涉诉"},
        )
        self.api(REVIEW, "action_accept", [review.id])
        self.assertEqual(review.state, "requested")
        error = self.api_refused(REVIEW, "action_approve", [review.id])
        self.assertIn("another person", error["message"])
        self.assertEqual(self._rating_of(self.customer), self.rating_b)

    # -- bad debts and their shares ------------------------------------

    def test_the_accounting_manager_writes_off_the_credit_manager_cannot(self):
        invoice = self._invoiced(self._confirmed(1000.0))
        values = {"invoice_id": invoice.id, "amount": 1000.0, "reason": "客户破产"}
        self.api_as(self.credit_manager)
        self.api_refused(BAD_DEBT, "create", values)
        debt = self._bad_debt(invoice)
        self.api_refused(BAD_DEBT, "action_post", [debt.id])
        self.assertEqual(debt.state, "draft")

        self.api_as(self.accountant)
        self.api_refused(BAD_DEBT, "write", [debt.id], {"state": "posted"})
        self.assertIs(self.api(BAD_DEBT, "action_post", [debt.id]), True)
        self.assertEqual(debt.state, "posted")
        self.assertEqual(invoice.payment_state, "paid")
        self.api_refused(BAD_DEBT, "write", [debt.id], {"amount": 10.0})
        self.api_refused(BAD_DEBT, "unlink", [debt.id])

    def test_each_bearer_sees_only_his_own_share(self):
        debt = self._bad_debt(self._invoiced(self._confirmed(1000.0)))
        debt.with_user(self.accountant).action_post()
        domain = [("bad_debt_id", "=", debt.id)]
        self.api_as(self.regional)
        rows = self.api(LEDGER, "search_read", domain, ["user_id", "share", "amount"])
        self.assertEqual(
            [(row["user_id"][0], row["share"], row["amount"]) for row in rows],
            [(self.regional.id, 30.0, 300.0)],
        )
        self.api_as(self.credit_manager)
        rows = self.api(LEDGER, "search_read", domain, ["user_id"])
        self.assertEqual(len(rows), 3)
        # a share is not rewritten, even by who keeps the ledger
        error = self.api_refused(
            LEDGER, "write", [rows[0]["id"]], {"share": 0.0, "amount": 0.0}
        )
        self.assertEqual(error["name"], "odoo.exceptions.UserError")

    def test_the_desk_and_salespeople_see_no_shares(self):
        debt = self._bad_debt(self._invoiced(self._confirmed(1000.0)))
        debt.with_user(self.accountant).action_post()
        for user in (self.salesman, self.users["desk"]):
            self.api_as(user)
            error = self.api_refused(
                LEDGER, "search_read", [("bad_debt_id", "=", debt.id)], ["share"]
            )
            self.assertEqual(error["name"], "odoo.exceptions.AccessError")
            self.api_refused(BAD_DEBT, "read", [debt.id], ["amount"])

    def test_only_the_bearer_acknowledges_his_share(self):
        debt = self._bad_debt(self._invoiced(self._confirmed(1000.0)))
        debt.with_user(self.accountant).action_post()
        share = debt.responsibility_ids.filtered(lambda e: e.user_id == self.regional)
        self.api_as(self.credit_manager)
        error = self.api_refused(LEDGER, "action_acknowledge", [share.id])
        self.assertIn("Only 华东 regional manager", error["message"])
        self.api_refused(
            LEDGER, "write", [share.id], {"acknowledged_at": "2026-12-01 08:00:00"}
        )
        self.assertFalse(share.acknowledged_at)
        self.api_as(self.regional)
        self.assertIs(self.api(LEDGER, "action_acknowledge", [share.id]), True)
        share.invalidate_recordset(["acknowledged_at"])
        self.assertTrue(share.acknowledged_at)


@tagged("post_install", "-at_install")
class TestCreditReviewPdf(BadDebtCase, HttpCase):
    """wkhtmltopdf fetches the report's assets from the test server."""

    def test_the_review_report_is_a_real_pdf(self):
        review = self._review()
        review.with_user(self.credit_manager).action_accept()
        pdf, _format = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf("customer_care.action_report_credit_review", review.ids)
        )
        self.assertTrue(pdf.startswith(b"%PDF"))
