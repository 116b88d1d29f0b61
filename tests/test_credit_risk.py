# Copyright 2026 customer_care contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Credit risk (issue 14): the rating proposal from each factor, the
half-yearly review and its approval, the risk responses through the credit
checks, bad debts and their shares, the month-end deduction."""

from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo.exceptions import UserError, ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from odoo.addons.customer_care.models.customer_care_credit_review import half_of

from .common import ensure_lang, shanghai_calendar
from .test_credit import CreditCase

WEIGHTS = (
    "care_risk_weight_overdue_max",
    "care_risk_weight_overdue_avg",
    "care_risk_weight_request",
    "care_risk_weight_late_request",
    "care_risk_weight_usage",
    "care_risk_weight_bad_debt",
    "care_risk_weight_complaint",
    "care_risk_weight_return",
    "care_risk_weight_last_year",
)


class CreditRiskCase(CreditCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Review = cls.env["customer.care.credit.review"]
        cls.Rating = cls.env["customer.care.credit.rating"]
        cls.BadDebt = cls.env["customer.care.credit.bad.debt"]
        cls.rating_a = cls.env.ref("customer_care.credit_rating_a")
        cls.rating_b = cls.env.ref("customer_care.credit_rating_b")
        cls.rating_c = cls.env.ref("customer_care.credit_rating_c")
        cls.rating_d = cls.env.ref("customer_care.credit_rating_d")
        cls.gm = cls.users["gm"]
        cls.company.care_general_manager_id = cls.gm
        cls.company.care_credit_manager_id = cls.credit_manager
        cls.accountant = new_test_user(
            cls.env,
            login="care_risk_accountant",
            groups="account.group_account_manager",
            name="Care chief accountant",
        )
        cls.head = new_test_user(
            cls.env,
            login="care_risk_market_head",
            groups="sales_team.group_sale_manager",
            name="Care market head",
        )
        cls.company.care_market_head_id = cls.head
        cls.company.care_bad_debt_journal_id = cls.env["account.journal"].search(
            [("type", "=", "general"), ("company_id", "=", cls.company.id)], limit=1
        )
        cls.company.care_bad_debt_account_id = cls.env["account.account"].create(
            {
                "name": "坏账损失",
                "code": "671101",
                "account_type": "expense",
            }
        )

    def _review(self, partner=None, **values):
        return self.Review.create(
            {"partner_id": (partner or self.customer).id, **values}
        )

    def _bad_debt(self, invoice, amount=None, **values):
        return self.BadDebt.with_user(self.accountant).create(
            {
                "invoice_id": invoice.id,
                "amount": amount or invoice.amount_residual,
                "reason": "客户破产清算",
                **values,
            }
        )

    def _only_weight(self, weight, points):
        self.company.write({name: 0.0 for name in WEIGHTS} | {weight: points})

    def _rate(self, partner, rating):
        # what the review's decision writes (guarded: superuser here)
        partner.write(
            {"care_credit_rating_id": rating.id, "care_credit_rating_date": self.today}
        )


# ----------------------------------------------------------------------
# The proposal: each factor
# ----------------------------------------------------------------------


@tagged("post_install", "-at_install")
class TestCreditRatingProposal(CreditRiskCase):
    def test_a_clean_customer_is_proposed_the_best_rating(self):
        review = self._review()
        self.assertEqual(review.score, 100.0)
        self.assertEqual(review.proposed_rating_id, self.rating_a)
        self.assertEqual(review.rating_id, self.rating_a)
        self.assertTrue(review.last_year_cleared)

    def test_the_longest_and_average_delay(self):
        self._invoice(500.0, due=self.today - timedelta(days=20))
        self._invoice(500.0, due=self.today - timedelta(days=10))
        self._only_weight("care_risk_weight_overdue_max", 1.0)
        review = self._review()
        self.assertEqual(review.overdue_max_days, 20)
        self.assertAlmostEqual(review.overdue_avg_days, 15.0)
        self.assertEqual(review.score, 80.0)
        self._only_weight("care_risk_weight_overdue_avg", 2.0)
        review.action_refresh()
        self.assertEqual(review.score, 70.0)
        self.assertEqual(review.proposed_rating_id, self.rating_b)

    def test_a_late_payment_counts_until_it_was_paid(self):
        invoice = self._invoice(
            400.0,
            invoice_date=self.today - timedelta(days=40),
            due=self.today - timedelta(days=30),
        )
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create({"payment_date": self.today - timedelta(days=18)})._create_payments()
        self._only_weight("care_risk_weight_overdue_max", 1.0)
        review = self._review()
        self.assertEqual(review.overdue_max_days, 12)
        self.assertEqual(review.score, 88.0)

    def test_over_limit_shipments_and_late_collection(self):
        request = self._request(self._order(3300.0))
        request.with_user(self.regional).action_approve()
        self._only_weight("care_risk_weight_request", 5.0)
        review = self._review()
        self.assertEqual(review.request_count, 1)
        self.assertEqual(review.late_request_count, 0)
        self.assertEqual(review.score, 95.0)
        request.collection_state = "overdue"
        self._only_weight("care_risk_weight_late_request", 10.0)
        review.action_refresh()
        self.assertEqual(review.late_request_count, 1)
        self.assertEqual(review.score, 90.0)

    def test_the_share_of_the_limit_used(self):
        self._confirmed(1500.0)
        self._only_weight("care_risk_weight_usage", 20.0)
        review = self._review()
        self.assertAlmostEqual(review.limit_usage, 50.0)
        self.assertEqual(review.score, 90.0)

    def test_bad_debts(self):
        invoice = self._invoice(800.0)
        self._bad_debt(invoice, 800.0).action_post()
        self._only_weight("care_risk_weight_bad_debt", 40.0)
        review = self._review()
        self.assertEqual(review.bad_debt_count, 1)
        self.assertEqual(review.bad_debt_amount, 800.0)
        self.assertEqual(review.score, 60.0)
        self.assertEqual(review.proposed_rating_id, self.rating_c)

    def test_complaints(self):
        team = self.env["helpdesk.ticket.team"].create({"name": "客服部"})
        for _i in range(2):
            self.env["helpdesk.ticket"].create(
                {
                    "name": "送货延误",
                    "description": "<p>送货延误</p>",
                    "partner_id": self.contact.id,
                    "team_id": team.id,
                    "care_is_complaint": True,
                    "care_category": "service_quality",
                }
            )
        self._only_weight("care_risk_weight_complaint", 3.0)
        review = self._review()
        self.assertEqual(review.complaint_count, 2)
        self.assertEqual(review.score, 94.0)

    def test_returns(self):
        order = self._confirmed(200.0)
        picking = self._picking(order)
        picking.button_validate()
        self.assertEqual(picking.state, "done")
        wizard = (
            self.env["stock.return.picking"]
            .with_context(active_id=picking.id, active_model="stock.picking")
            .create({"picking_id": picking.id})
        )
        wizard.product_return_moves.quantity = 1
        returned = self.env["stock.picking"].browse(
            wizard.action_create_returns()["res_id"]
        )
        returned.move_ids.quantity = 1
        returned.move_ids.picked = True
        returned.button_validate()
        self.assertEqual(returned.state, "done")
        self._only_weight("care_risk_weight_return", 3.0)
        review = self._review()
        self.assertEqual(review.return_count, 1)
        self.assertEqual(review.score, 97.0)

    def test_last_year_not_cleared(self):
        self._invoice(
            300.0,
            invoice_date=date(self.today.year - 1, 11, 1),
            due=date(self.today.year - 1, 12, 1),
        )
        self._only_weight("care_risk_weight_last_year", 15.0)
        review = self._review()
        self.assertFalse(review.last_year_cleared)
        self.assertEqual(review.score, 85.0)

    def test_last_year_is_the_year_before_the_day_reviewed(self):
        # an invoice of this year, open: not last year's today, last year's
        # on the first day of the next year (the cron's day, not today)
        self._invoice(300.0, invoice_date=self.today, due=self.today)
        figures = self.Review._care_risk_figures
        self.assertTrue(
            figures(self.company, self.customer)[self.customer.id]["last_year_cleared"]
        )
        next_year = date(self.today.year + 1, 1, 5)
        self.assertFalse(
            figures(self.company, self.customer, today=next_year)[self.customer.id][
                "last_year_cleared"
            ]
        )

    def test_behaviour_before_the_window_is_left_out(self):
        self._invoice(
            300.0,
            invoice_date=self.today - relativedelta(months=9),
            due=self.today - relativedelta(months=8),
        )
        self._only_weight("care_risk_weight_overdue_max", 1.0)
        self.assertEqual(self._review().overdue_max_days, 0)
        self.company.care_risk_window_months = 12
        self.assertGreater(self._review(period="2000-H1").overdue_max_days, 200)

    def test_the_score_picks_the_best_rating_reached(self):
        Rating = self.Rating
        self.assertEqual(Rating._care_for_score(85.0), self.rating_a)
        self.assertEqual(Rating._care_for_score(84.9), self.rating_b)
        self.assertEqual(Rating._care_for_score(50.0), self.rating_c)
        self.assertEqual(Rating._care_for_score(0.0), self.rating_d)
        self.assertEqual(Rating._care_lowest(), self.rating_d)


# ----------------------------------------------------------------------
# The half-yearly review
# ----------------------------------------------------------------------


@tagged("post_install", "-at_install")
class TestCreditReview(CreditRiskCase):
    def test_the_review_opens_once_per_half_year(self):
        day = date(2026, 7, 1)
        opened = self.Review._care_open_reviews(self.company, day)
        self.assertGreaterEqual(opened, 1)
        review = self.Review.search(
            [("partner_id", "=", self.customer.id), ("period", "=", "2026-H2")]
        )
        self.assertEqual(len(review), 1)
        self.assertEqual(review.due_date, day + timedelta(days=30))
        self.assertEqual(review.user_id, self.credit_manager)
        self.assertEqual(review.proposed_rating_id, self.rating_a)
        self.assertEqual(self.Review._care_open_reviews(self.company, day), 0)
        self.assertEqual(
            self.Review._care_open_reviews(self.company, date(2026, 12, 31)), 0
        )
        self.Review._care_open_reviews(self.company, date(2027, 1, 2))
        self.assertEqual(
            self.Review.search_count([("partner_id", "=", self.customer.id)]), 2
        )

    def test_customers_without_credit_or_exposure_are_not_reviewed(self):
        self.Review._care_open_reviews(self.company, self.today)
        self.assertFalse(
            self.Review.search([("partner_id", "=", self.cash_customer.id)])
        )
        # a cash customer with an open invoice has exposure: reviewed
        self._invoice(100.0, partner=self.cash_customer)
        self.Review._care_open_reviews(self.company, self.today)
        self.assertTrue(
            self.Review.search([("partner_id", "=", self.cash_customer.id)])
        )

    def test_the_credit_manager_is_told_in_her_language(self):
        ensure_lang(self.env)
        self.credit_manager.lang = "zh_CN"
        period = half_of(self.today)[0]
        self.Review.with_context(lang="en_US")._care_open_reviews(
            self.company, self.today
        )
        message = self.env["mail.message"].search(
            [("partner_ids", "in", self.credit_manager.partner_id.ids)],
            order="id desc",
            limit=1,
        )
        expected = self.credit_manager._care_env(self.env)._(
            "Risk reviews of %s to decide", period
        )
        self.assertEqual(message.subject, expected)
        self.assertIn(period, message.subject)

    def test_the_half_year_is_the_company_day(self):
        """The cron runs as OdooBot (UTC): 31 December 17:00 UTC is already
        1 January in Shanghai, the next half-year."""
        self.company.resource_calendar_id = shanghai_calendar(self.env)
        self.env.ref("base.user_root").tz = "UTC"
        with freeze_time("2026-12-31 17:00:00"):
            self.Review.with_user(self.env.ref("base.user_root")).with_context(
                tz="UTC"
            )._cron_care_credit_review()
        review = self.Review.search(
            [
                ("partner_id", "=", self.customer.id),
                ("company_id", "=", self.company.id),
            ]
        )
        self.assertEqual(review.period, "2027-H1")
        self.assertEqual(review.date, date(2027, 1, 1))

    def test_the_scheduled_review_tells_the_manager_in_her_language(self):
        """The scheduled action runs as OdooBot, in English and in Los
        Angeles; the credit manager reads Chinese."""
        ensure_lang(self.env)
        self.credit_manager.lang = "zh_CN"
        self.env.ref("base.user_root").write(
            {"lang": "en_US", "tz": "America/Los_Angeles"}
        )
        self.env.ref("customer_care.ir_cron_credit_review").method_direct_trigger()
        period = half_of(self.today)[0]
        message = self.env["mail.message"].search(
            [("partner_ids", "in", self.credit_manager.partner_id.ids)],
            order="id desc",
            limit=1,
        )
        self.assertEqual(message.subject, f"{period} 的风险评估待决定")

    def test_overdue_is_the_company_day_told_in_the_gms_language(self):
        """OdooBot (English, Los Angeles) escalates at 17:00 UTC on 16
        November: the 17th in Shanghai already, so the review due on the
        16th is overdue there; the general manager reads Chinese."""
        ensure_lang(self.env)
        self.gm.lang = "zh_CN"
        self.company.resource_calendar_id = shanghai_calendar(self.env)
        self.env.ref("base.user_root").write(
            {"lang": "en_US", "tz": "America/Los_Angeles"}
        )
        review = self._review(due_date=date(2026, 11, 16))
        cron = self.env.ref("customer_care.ir_cron_credit_review_escalate")
        with freeze_time("2026-11-16 15:00:00"):  # the 16th in Shanghai too
            cron.method_direct_trigger()
        self.assertFalse(review.escalated)
        with freeze_time("2026-11-16 17:00:00"):
            cron.method_direct_trigger()
        self.assertTrue(review.escalated)
        activity = review.activity_ids.filtered(lambda a: a.user_id == self.gm)
        self.assertEqual(activity.summary, "风险评估已逾期")

    def test_accepting_the_proposal_rates_the_customer(self):
        review = self._review()
        self.assertIs(review.with_user(self.credit_manager).action_accept(), True)
        self.assertEqual(review.state, "done")
        self.assertEqual(self.customer.care_credit_rating_id, self.rating_a)
        self.assertEqual(self.customer.care_credit_rating_date, self.today)

    def test_a_change_needs_a_reason(self):
        review = self._review()
        review.with_user(self.credit_manager).rating_id = self.rating_b
        with self._refused(UserError, "give the reason of the change"):
            review.with_user(self.credit_manager).action_accept()
        self.assertEqual(review.state, "draft")
        self.assertFalse(self.customer.care_credit_rating_id)
        review.with_user(self.credit_manager).reason = "回款变慢"
        review.with_user(self.credit_manager).action_accept()
        self.assertEqual(self.customer.care_credit_rating_id, self.rating_b)
        self.assertEqual(review.change, "same")

    def test_a_decided_review_is_kept(self):
        review = self._review()
        review.with_user(self.credit_manager).action_accept()
        with self._refused(UserError, "kept as it was decided"):
            review.with_user(self.credit_manager).write(
                {"rating_id": self.rating_c.id, "reason": "改"}
            )

    def test_only_a_credit_manager_decides(self):
        review = self._review()
        with self._refused(UserError, "Only a credit manager"):
            review.with_user(self.regional).sudo(False).action_accept()

    def test_a_downgrade_to_the_lowest_is_approved_by_the_gm(self):
        self._rate(self.customer, self.rating_b)
        review = self._review()
        review.with_user(self.credit_manager).write(
            {"rating_id": self.rating_d.id, "reason": "严重拖欠"}
        )
        review.with_user(self.credit_manager).action_accept()
        self.assertEqual(review.state, "requested")
        self.assertEqual(review.sent_to_ids, self.gm)
        self.assertEqual(review.activity_ids.user_id, self.gm)
        # nothing changes before the decision
        self.assertEqual(self.customer.care_credit_rating_id, self.rating_b)
        self.assertEqual(self.customer.care_credit_mode, "manual")
        with self._refused(UserError, "Only the general manager"):
            review.with_user(self.regional).action_approve()
        review.with_user(self.gm).action_approve()
        self.assertEqual(review.state, "approved")
        self.assertEqual(review.change, "down")
        self.assertEqual(self.customer.care_credit_rating_id, self.rating_d)
        # 风险规避: cash before goods, at the next order and delivery
        self.assertEqual(self.customer.care_credit_mode, "none")
        order = self._order(100.0)
        self.assertIs(order.action_confirm(), True)
        picking = self._picking(order)
        with self._refused(UserError, "buys cash before goods"):
            picking.button_validate()

    def test_stopping_credit_is_approved_by_the_gm(self):
        review = self._review()
        review.with_user(self.credit_manager).write(
            {"stop_credit": True, "reason": "经营异常"}
        )
        review.with_user(self.credit_manager).action_accept()
        self.assertEqual(review.state, "requested")
        review.with_user(self.gm).action_approve()
        self.assertEqual(self.customer.care_credit_mode, "none")
        self.assertEqual(self.customer.care_credit_rating_id, self.rating_a)

    def test_a_refused_downgrade_changes_nothing(self):
        review = self._review()
        review.with_user(self.credit_manager).write(
            {"rating_id": self.rating_d.id, "reason": "严重拖欠"}
        )
        review.with_user(self.credit_manager).action_accept()
        review.with_user(self.gm).with_context(
            care_refusal_reason="先催款"
        ).action_refuse()
        self.assertEqual(review.state, "refused")
        self.assertFalse(self.customer.care_credit_rating_id)
        self.assertEqual(self.customer.care_credit_mode, "manual")

    def test_nobody_approves_his_own_downgrade(self):
        review = self._review()
        review.with_user(self.gm).write(
            {"rating_id": self.rating_d.id, "reason": "严重拖欠"}
        )
        review.with_user(self.gm).action_accept()
        with self._refused(UserError, "You asked for this yourself"):
            review.with_user(self.gm).action_approve()
        self.assertEqual(review.state, "requested")

    def test_overdue_reviews_go_to_the_gm_once(self):
        ensure_lang(self.env)
        self.gm.lang = "zh_CN"
        review = self._review(due_date=self.today - timedelta(days=1))
        self.assertEqual(self.Review._cron_care_credit_review_escalate(), 1)
        self.assertTrue(review.escalated)
        activity = review.activity_ids.filtered(lambda a: a.user_id == self.gm)
        self.assertEqual(
            activity.summary, self.gm._care_env(self.env)._("Risk review overdue")
        )
        self.assertEqual(self.Review._cron_care_credit_review_escalate(), 0)
        self.assertEqual(len(review.activity_ids), 1)

    def test_a_review_not_yet_due_is_not_escalated(self):
        self._review(due_date=self.today)
        self.assertEqual(self.Review._cron_care_credit_review_escalate(), 0)

    def test_a_customer_of_another_company_is_refused(self):
        other = self.env["res.company"].create({"name": "杭州分公司"})
        partner = self.env["res.partner"].create(
            {"name": "杭州客户", "is_company": True, "company_id": other.id}
        )
        with self._refused(ValidationError, "is a customer of 杭州分公司"):
            self._review(partner=partner)

    def test_once_per_customer_and_half_year(self):
        self._review(period="2026-H2")
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            with self.env.cr.savepoint():
                self._review(period="2026-H2")


# ----------------------------------------------------------------------
# Risk responses through the existing checks
# ----------------------------------------------------------------------


@tagged("post_install", "-at_install")
class TestCreditRiskResponse(CreditRiskCase):
    def test_a_reduced_limit_blocks_sooner(self):
        self.assertEqual(self._figures()["limit"], 3000.0)
        self._rate(self.customer, self.rating_c)
        self.assertEqual(self._figures()["limit"], 2100.0)
        wizard = self._assert_blocked(self._order(2500.0).action_confirm())
        self.assertEqual(wizard.credit_limit, 2100.0)
        self.assertEqual(wizard.amount_over, 400.0)

    def test_every_order_needs_approval(self):
        self.rating_b.response = "approve"
        self._rate(self.customer, self.rating_b)
        order = self._order(100.0)
        wizard = self._assert_blocked(order.action_confirm())
        self.assertIn("every order needs an approved", wizard.message)
        self.assertEqual(wizard.repayment_amount, 100.0)
        request = self._request(order, repayment_amount=100.0)
        self.assertIn(self.regional, request.sent_to_ids)
        request.with_user(self.regional).action_approve()
        self.assertIs(order.action_confirm(), True)
        picking = self._picking(order)
        self.assertIs(picking.button_validate(), True)

    def test_every_delivery_needs_approval(self):
        order = self._confirmed(100.0)
        self.rating_b.response = "approve"
        self._rate(self.customer, self.rating_b)
        picking = self._picking(order)
        result = picking.button_validate()
        self._assert_blocked(result)
        self.assertNotEqual(picking.state, "done")

    def test_a_monitored_customer_is_shown_on_its_orders(self):
        self._rate(self.customer, self.rating_b)
        order = self._order(100.0)
        self.assertIn("monitored", order.care_credit_warning)
        self.assertIs(order.action_confirm(), True)

    def test_the_best_rating_changes_nothing(self):
        self._rate(self.customer, self.rating_a)
        self.assertEqual(self._figures()["limit"], 3000.0)
        self.assertIs(self._order(2900.0).action_confirm(), True)

    def test_a_rating_is_set_by_the_review_only(self):
        with self._refused(UserError, "half-yearly risk review"):
            self.customer.with_user(self.credit_manager).write(
                {"care_credit_rating_id": self.rating_a.id}
            )


# ----------------------------------------------------------------------
# Bad debts (seed 004 3)
# ----------------------------------------------------------------------


class BadDebtCase(CreditRiskCase):
    def _invoiced(self, order):
        invoice = order._create_invoices()
        invoice.action_post()
        return invoice

    def _shares(self, debt):
        return {
            (entry.user_id, entry.role): (entry.share, entry.amount)
            for entry in debt.responsibility_ids
        }


@tagged("post_install", "-at_install")
class TestCreditBadDebt(BadDebtCase):
    def test_within_the_limit_the_staff_share_the_loss(self):
        order = self._confirmed(1000.0)
        invoice = self._invoiced(order)
        debt = self._bad_debt(invoice)
        self.assertIs(debt.with_user(self.accountant).action_post(), True)
        self.assertEqual(debt.state, "posted")
        self.assertEqual(debt.case, "within")
        self.assertEqual(invoice.payment_state, "paid")
        self.assertEqual(debt.move_id.state, "posted")
        self.assertEqual(
            self._shares(debt),
            {
                (self.salesman, "salesperson"): (50.0, 500.0),
                (self.regional, "regional"): (30.0, 300.0),
                (self.head, "head"): (20.0, 200.0),
            },
        )
        self.assertEqual(set(debt.responsibility_ids.mapped("kind")), {"bad_debt"})

    def test_a_role_nobody_holds_gives_its_share_to_the_others(self):
        self.company.care_market_head_id = False
        order = self._confirmed(1000.0)
        order.team_id.user_id = False
        debt = self._bad_debt(self._invoiced(order))
        debt.with_user(self.accountant).action_post()
        self.assertEqual(
            self._shares(debt),
            {
                (self.salesman, "salesperson"): (62.5, 625.0),
                (self.regional, "regional"): (37.5, 375.0),
            },
        )

    def test_the_signer_of_the_last_shipment_bears_the_excess(self):
        order = self._order(3600.0)
        request = self._request(order)
        request.with_user(self.regional).action_approve()
        # the last shipment allowed before payment (2.2.2)
        request.shipment_kind = "last"
        self.assertEqual(request.amount_over, 600.0)
        self.assertIs(order.action_confirm(), True)
        debt = self._bad_debt(self._invoiced(order), 1600.0)
        debt.with_user(self.accountant).action_post()
        self.assertEqual(debt.case, "last_over")
        shares = self._shares(debt)
        self.assertEqual(shares[(self.regional, "approver")], (37.5, 600.0))
        # the rest (1,000) is a loss within the limit
        self.assertEqual(shares[(self.salesman, "salesperson")], (31.25, 500.0))
        self.assertEqual(shares[(self.head, "head")], (12.5, 200.0))
        self.assertEqual(sum(debt.responsibility_ids.mapped("amount")), 1600.0)

    def test_a_batch_released_without_approval_is_borne_by_who_released_it(self):
        self._invoice(2900.0)
        order = self._confirmed(100.0)
        self._invoice(200.0)  # now over the limit
        picking = self._picking(order)
        picking.user_id = self.stock_user
        self._assert_blocked(picking.with_user(self.stock_manager).button_validate())
        picking.with_user(self.stock_manager).with_context(
            care_credit_bypass=True
        ).button_validate()
        self.assertEqual(picking.state, "done")
        debt = self._bad_debt(self._invoiced(order))
        debt.with_user(self.accountant).action_post()
        self.assertEqual(debt.case, "unapproved")
        self.assertEqual(
            self._shares(debt),
            {
                (self.stock_manager, "clerk"): (40.0, 40.0),
                (self.stock_user, "keeper"): (30.0, 30.0),
                (self.head, "head"): (30.0, 30.0),
            },
        )

    def test_more_than_the_open_amount_is_refused(self):
        invoice = self._invoice(500.0)
        debt = self._bad_debt(invoice, 600.0)
        with self._refused(UserError, "write off at most the open amount"):
            debt.with_user(self.accountant).action_post()
        self.assertEqual(debt.state, "draft")
        self.assertFalse(debt.move_id)
        self.assertEqual(invoice.payment_state, "not_paid")

    def test_only_an_accounting_manager_writes_off(self):
        debt = self._bad_debt(self._invoice(500.0))
        with self._refused(UserError, "Only an accounting manager"):
            debt.with_user(self.credit_manager).action_post()

    def test_without_journal_and_account_it_says_where_to_set_them(self):
        self.company.care_bad_debt_account_id = False
        debt = self._bad_debt(self._invoice(500.0))
        with self._refused(UserError, "Set the bad-debt journal"):
            debt.with_user(self.accountant).action_post()

    def test_nobody_to_bear_is_refused_before_posting(self):
        self.company.care_market_head_id = False
        self.customer.care_regional_manager_id = False
        invoice = self._invoice(500.0, invoice_user_id=False)
        debt = self._bad_debt(invoice)
        with self._refused(UserError, "Nobody bears the bad debt"):
            debt.with_user(self.accountant).action_post()
        self.assertFalse(debt.move_id)

    def test_shares_must_add_up_to_100(self):
        with self._refused(ValidationError, "make them add up to 100"):
            self.company.care_bad_debt_salesperson_share = 60.0
        with self._refused(ValidationError, "make them add up to 100"):
            self.company.care_bad_debt_clerk_share = 10.0

    def test_a_written_off_debt_is_kept(self):
        debt = self._bad_debt(self._invoice(500.0, invoice_user_id=self.salesman.id))
        debt.with_user(self.accountant).action_post()
        with self._refused(UserError, "kept as it was posted"):
            debt.with_user(self.accountant).amount = 100.0
        with self._refused(UserError, "cannot be deleted"):
            debt.with_user(self.accountant).unlink()
        with self._refused(UserError, "the Write Off button"):
            debt.with_user(self.accountant).state = "draft"

    def test_the_invoice_button_opens_the_bad_debt(self):
        invoice = self._invoice(500.0)
        action = invoice.with_user(self.accountant).action_care_write_off()
        self.assertEqual(action["res_model"], "customer.care.credit.bad.debt")
        self.assertEqual(action["context"]["default_amount"], 500.0)


# ----------------------------------------------------------------------
# Month-end deduction (seed 004 4.1)
# ----------------------------------------------------------------------


@tagged("post_install", "-at_install")
class TestCreditDeduction(BadDebtCase):
    def _approved(self, kind):
        order = self._order(3900.0)
        request = self._request(order)
        request.with_user(self.regional).action_approve()
        request.shipment_kind = kind
        self.assertIs(order.action_confirm(), True)
        return request

    def test_the_unpaid_last_shipment_is_deducted_from_the_signer(self):
        request = self._approved("last")
        month_end = request.collection_due
        self.Request._cron_credit_month_end(today=month_end)
        entry = request.responsibility_ids
        self.assertEqual(entry.amount, 900.0)
        self.assertEqual(entry.deduction_amount, 90.0)
        self.assertEqual(entry.deduction_month, month_end + timedelta(days=1))
        with self._refused(UserError, "Only 华东 regional manager acknowledges"):
            entry.with_user(self.credit_manager).action_acknowledge()
        self.assertIs(entry.with_user(self.regional).action_acknowledge(), True)
        self.assertTrue(entry.acknowledged_at)

    def test_the_ratio_is_a_setting(self):
        self.company.care_credit_deduction_ratio = 25.0
        request = self._approved("last")
        self.Request._cron_credit_month_end(today=request.collection_due)
        self.assertEqual(request.responsibility_ids.deduction_amount, 225.0)

    def test_other_shipments_are_not_deducted(self):
        request = self._approved("other")
        self.Request._cron_credit_month_end(today=request.collection_due)
        self.assertFalse(request.responsibility_ids.deduction_amount)

    def test_the_deduction_report_renders(self):
        request = self._approved("last")
        self.Request._cron_credit_month_end(today=request.collection_due)
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html(
                "customer_care.action_report_credit_deduction",
                request.responsibility_ids.ids,
            )[0]
            .decode()
        )
        self.assertIn("90.00", html)
        self.assertIn("华东 regional manager", html)


# ----------------------------------------------------------------------
# The review report
# ----------------------------------------------------------------------


@tagged("post_install", "-at_install")
class TestCreditReviewReport(CreditRiskCase):
    def test_the_review_report_lists_ratings_by_branch(self):
        branch = self.env["crm.team"].create({"name": "华东分公司"})
        self.customer.care_branch_id = branch
        self._rate(self.customer, self.rating_a)
        review = self._review()
        review.write({"rating_id": self.rating_c.id, "reason": "回款慢"})
        review.with_user(self.credit_manager).action_accept()
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("customer_care.action_report_credit_review", review.ids)[
                0
            ]
            .decode()
        )
        self.assertIn("华东分公司", html)
        self.assertIn(self.rating_c.name, html)
        self.assertIn("Downgraded", html)
