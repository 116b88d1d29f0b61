# Copyright 2026 customer_care contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from lxml import etree

from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools.safe_eval import safe_eval

from .common import CareApiMixin
from .test_credit import CreditCase

REQUEST = "customer.care.credit.request"
BLOCK = "customer.care.credit.block"


@tagged("post_install", "-at_install")
class TestCreditRouting(CareApiMixin, CreditCase, HttpCase):
    """Who an over-limit request goes to (its to-do, the "Mine to Approve"
    list) and who may decide it, over JSON-RPC as each person's client: never
    the requester nor the salesperson of the order; beyond the regional
    manager, the company's credit manager, not whoever inherits the group."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin = cls.env.ref("base.user_admin")
        cls.gm = cls.users["gm"]
        cls.company.write(
            {"care_credit_manager_id": False, "care_general_manager_id": cls.gm.id}
        )
        search_view = cls.env.ref(
            "customer_care.customer_care_credit_request_view_search"
        )
        arch = etree.fromstring(search_view.arch)
        cls.filters = {
            node.get("name"): node.get("domain") for node in arch.iter("filter")
        }

    # ------------------------------------------------------------
    # helpers
    # ------------------------------------------------------------

    def _listed(self, user, filter_name):
        """The requests of the search filter ``filter_name`` for ``user``,
        searched by ``user``'s client."""
        domain = safe_eval(self.filters[filter_name], {"uid": user.id})
        self.api_as(user)
        return set(self.api(REQUEST, "search", domain))

    def _to_do_users(self, request):
        return request.activity_ids.filtered(
            lambda a: a.activity_type_id == self.env.ref("mail.mail_activity_data_todo")
        ).user_id

    def _overdue_request(self):
        self._invoice(
            500.0,
            invoice_date=self.today - timedelta(days=60),
            due=self.today - timedelta(days=31),
        )
        request = self._request(self._order(3000.0))
        self.assertEqual(request.overdue_days, 31)
        return request

    # ------------------------------------------------------------
    # the regional manager's own sale
    # ------------------------------------------------------------

    def test_her_own_sale_goes_to_the_credit_manager(self):
        self.company.care_credit_manager_id = self.credit_manager
        order = self._order(3900.0, user=self.regional)
        request = self._request(order, requester=self.regional)
        # within her right (under one third) but her own request
        self.assertEqual(request.amount_over, 900.0)
        self.assertEqual(request.sent_to_ids, self.credit_manager)
        self.assertEqual(self._to_do_users(request), self.credit_manager)
        self.assertNotIn(request.id, self._listed(self.regional, "mine_to_approve"))
        self.assertNotIn(request.id, self._listed(self.regional, "to_approve"))
        self.assertIn(request.id, self._listed(self.credit_manager, "mine_to_approve"))

    def test_she_cannot_approve_her_own_sale_the_credit_manager_can(self):
        order = self._order(3900.0, user=self.regional)
        request = self._request(order, requester=self.regional)
        self.api_as(self.regional)
        error = self.api_refused(REQUEST, "action_approve", [request.id])
        self.assertIn("You asked for this yourself", error["message"])
        # nor by writing the decision herself
        self.api_refused(
            REQUEST,
            "write",
            [request.id],
            {"state": "approved", "approver_id": self.regional.id},
        )
        self.api_refused(REQUEST, "write", [request.id], {"sent_to_ids": [(5,)]})
        request.invalidate_recordset()
        self.assertEqual(request.state, "requested")
        self.assertFalse(request.approver_id)
        self.api_as(self.credit_manager)
        self.assertIs(self.api(REQUEST, "action_approve", [request.id]), True)
        request.invalidate_recordset()
        self.assertEqual(request.state, "approved")
        self.assertEqual(request.approver_id, self.credit_manager)

    def test_her_sale_asked_for_by_another_is_not_hers_to_decide(self):
        # the salesperson is the regional manager, a sales assistant asks
        assistant = new_test_user(
            self.env,
            login="care_credit_sales_assistant",
            groups="sales_team.group_sale_salesman_all_leads",
            name="Care sales assistant",
        )
        order = self._order(3900.0, user=self.regional)
        request = self._request(order, requester=assistant)
        self.assertNotIn(self.regional, request.sent_to_ids)
        self.assertIn(self.credit_manager, request.sent_to_ids)
        self.api_as(self.regional)
        error = self.api_refused(REQUEST, "action_approve", [request.id])
        self.assertIn("your own sale", error["message"])
        self.assertEqual(request.state, "requested")

    def test_another_salesmans_request_goes_to_the_regional_manager(self):
        request = self._request(self._order(3900.0))
        self.assertEqual(request.sent_to_ids, self.regional)
        self.assertEqual(self._to_do_users(request), self.regional)
        self.assertIn(request.id, self._listed(self.regional, "mine_to_approve"))
        self.assertNotIn(
            request.id, self._listed(self.credit_manager, "mine_to_approve")
        )
        self.api_as(self.regional)
        self.assertIs(self.api(REQUEST, "action_approve", [request.id]), True)
        request.invalidate_recordset()
        self.assertEqual(request.approver_id, self.regional)

    def test_one_third_or_more_goes_to_the_credit_manager(self):
        self.company.care_credit_manager_id = self.credit_manager
        request = self._request(self._order(4000.0))
        self.assertEqual(request.amount_over, 1000.0)
        self.assertEqual(self._to_do_users(request), self.credit_manager)
        self.assertNotIn(request.id, self._listed(self.regional, "mine_to_approve"))

    # ------------------------------------------------------------
    # the credit manager: the role's holder, not the admin
    # ------------------------------------------------------------

    def test_overdue_goes_to_the_credit_manager_not_the_admin(self):
        request = self._overdue_request()
        to_do = self._to_do_users(request)
        self.assertIn(self.credit_manager, to_do)
        # they hold the credit manager's group only through the general
        # manager's role
        self.assertTrue(self.admin.has_group("customer_care.group_credit_manager"))
        self.assertNotIn(self.admin, to_do)
        self.assertNotIn(self.gm, to_do)
        self.assertNotIn(self.regional, to_do)
        self.assertEqual(request.sent_to_ids, to_do)
        self.assertIn(request.id, self._listed(self.credit_manager, "mine_to_approve"))
        self.assertNotIn(request.id, self._listed(self.admin, "mine_to_approve"))

    def test_overdue_goes_to_the_credit_manager_of_the_settings(self):
        other = new_test_user(
            self.env,
            login="care_credit_manager_named",
            groups="customer_care.group_credit_manager",
            name="Named credit manager",
        )
        self.company.care_credit_manager_id = other
        request = self._overdue_request()
        self.assertEqual(self._to_do_users(request), other)
        self.api_as(self.regional)
        error = self.api_refused(REQUEST, "action_approve", [request.id])
        self.assertIn("only the credit manager", error["message"])
        self.api_as(other)
        self.assertIs(self.api(REQUEST, "action_approve", [request.id]), True)

    def test_the_credit_managers_own_sale_goes_to_the_general_manager(self):
        self.company.care_credit_manager_id = self.credit_manager
        order = self._order(7000.0, user=self.credit_manager)
        request = self._request(order, requester=self.credit_manager)
        self.assertEqual(self._to_do_users(request), self.gm)
        self.assertIn(request.id, self._listed(self.gm, "mine_to_approve"))
        self.assertNotIn(
            request.id, self._listed(self.credit_manager, "mine_to_approve")
        )

    def test_the_role_holders_are_those_named_in_the_group(self):
        holders = self.company._care_role_holders("customer_care.group_credit_manager")
        self.assertIn(self.credit_manager, holders)
        self.assertNotIn(self.admin, holders)
        self.assertNotIn(self.gm, holders)
        self.assertEqual(self.company._care_general_managers(), self.gm)
        self.company.care_general_manager_id = False
        self.assertIn(self.gm, self.company._care_general_managers())

    # ------------------------------------------------------------
    # the blocking dialog
    # ------------------------------------------------------------

    def _blocked_dialog(self, user, amount=3900.0):
        order = self._order(amount)
        self.api_as(user)
        action = self.api("sale.order", "action_confirm", [order.id])
        self.assertEqual(action["res_model"], BLOCK)
        return order, action["res_id"]

    def test_the_dialog_sends_the_request_with_its_plan(self):
        order, wizard_id = self._blocked_dialog(self.salesman)
        self.api(
            BLOCK,
            "write",
            [wizard_id],
            {
                "repayment_date": str(self.today + timedelta(days=20)),
                "repayment_amount": 900.0,
            },
        )
        result = self.api(BLOCK, "action_request_approval", [wizard_id])
        self.assertEqual(result["tag"], "display_notification")
        self.assertEqual(result["params"]["type"], "success")
        self.assertIn(self.regional.name, result["params"]["message"])
        request = self.Request.search([("sale_order_id", "=", order.id)])
        self.assertEqual(request.state, "requested")
        self.assertEqual(request.requested_by_id, self.salesman)
        self.assertEqual(request.repayment_amount, 900.0)
        self.assertEqual(self._to_do_users(request), self.regional)
        # asked again: it says that the request awaits the decision
        result = self.api(BLOCK, "action_request_approval", [wizard_id])
        self.assertEqual(result["params"]["type"], "info")
        self.assertIn(self.regional.name, result["params"]["message"])
        self.assertEqual(
            self.Request.search_count([("sale_order_id", "=", order.id)]), 1
        )

    def test_the_dialog_without_a_plan_opens_the_draft_saying_so(self):
        order, wizard_id = self._blocked_dialog(self.salesman)
        self.api(BLOCK, "write", [wizard_id], {"repayment_date": False})
        result = self.api(BLOCK, "action_request_approval", [wizard_id])
        self.assertEqual(result["tag"], "display_notification")
        self.assertEqual(result["params"]["type"], "warning")
        self.assertIn("not sent", result["params"]["message"])
        request = self.Request.search([("sale_order_id", "=", order.id)])
        self.assertEqual(result["params"]["next"]["res_id"], request.id)
        self.assertEqual(request.state, "draft")
        self.assertFalse(request.activity_ids)


@tagged("post_install", "-at_install")
class TestCreditScreens(CareApiMixin, CreditCase, HttpCase):
    """The credit screens as the credit staff's client shows them."""

    def test_customers_by_default_all_on_demand(self):
        action = self.env.ref("customer_care.res_partner_credit_action")
        context = safe_eval(action.context)
        self.assertTrue(context.get("search_default_filter_care_credit_customers"))
        arch = etree.fromstring(
            self.env["res.partner"].get_view(action.search_view_id.id, "search")["arch"]
        )
        filters = {n.get("name"): n.get("domain") for n in arch.iter("filter")}
        domain = safe_eval(action.domain) + safe_eval(
            filters["filter_care_credit_customers"]
        )
        with_orders = self.env["res.partner"].create(
            {"name": "常州新兴五金", "is_company": True}
        )
        self._order(100.0, partner=with_orders)
        staff = self.users["approver"].partner_id
        company = self.company.partner_id
        self.api_as(self.users["approver"])
        shown = set(self.api("res.partner", "search", domain))
        self.assertIn(self.customer.id, shown)
        self.assertIn(with_orders.id, shown)
        self.assertNotIn(self.cash_customer.id, shown)
        self.assertNotIn(self.contact.id, shown)
        self.assertNotIn(staff.id, shown)
        self.assertNotIn(company.id, shown)
        everyone = set(
            self.api(
                "res.partner",
                "search",
                safe_eval(action.domain) + safe_eval(filters["filter_care_credit_all"]),
            )
        )
        self.assertTrue({staff.id, company.id, self.cash_customer.id} <= everyone)

    def test_the_prepayment_columns_have_their_own_labels(self):
        generic = {
            "name": "Number",
            "amount_company_currency_signed": "Amount Company Currency Signed",
            "state": "State",
        }
        self.api_as(self.users["approver"])
        views = self.api(REQUEST, "get_views", [[False, "form"]])
        arch = etree.fromstring(views["views"]["form"]["arch"])
        columns = {
            node.get("name"): node.get("string")
            for node in arch.xpath("//field[@name='prepayment_ids']/list/field")
        }
        for fname, label in generic.items():
            self.assertTrue(columns.get(fname), f"{fname} has no label of its own")
            self.assertNotEqual(columns[fname], label)
