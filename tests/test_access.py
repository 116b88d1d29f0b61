# Copyright 2026 customer_care contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, tagged
from odoo.tools.safe_eval import safe_eval

from .common import ROLES, CareUsersMixin

CALLBACK = {
    "menu_callback",
    "menu_callback_today",
    "menu_callback_all",
    "menu_callback_issue",
    "menu_callback_customer",
    # everyone's own evaluations
    "menu_callback_my_evaluation",
}
CALLBACK_MANAGER = {
    "menu_callback_overdue",
    # the key-account visit plans, drafted from the Sales app
    "menu_callback_visit_plan",
    "menu_reporting_callback",
    "menu_config_callback_cadence",
}
COMPLAINT = {
    "menu_complaint",
    "menu_complaint_ticket",
    "menu_complaint_measure",
    "menu_complaint_all_tickets",
    # officers read the complaint analysis, the only report they see
    "menu_reporting",
    "menu_reporting_complaint",
}
PICKUP = {
    "menu_pickup",
    "menu_pickup_today",
    "menu_pickup_all",
    "menu_pickup_delivery",
}
# pickup points and the holiday schedule are set up by the general manager
# (and administrators)
PICKUP_MANAGER = {"menu_config_pickup_point", "menu_config_holiday"}
CREDIT = {
    "menu_credit",
    "menu_credit_request_to_approve",
    "menu_credit_request",
    "menu_credit_customer",
    # their own entries of the ledger: deductions and shares of bad debts
    "menu_credit_my_responsibility",
}
# the responsibility ledger is kept by the credit manager, who classifies the
# customers from before the install (the credit onboarding)
CREDIT_MANAGER = {
    "menu_credit_responsibility",
    "menu_credit_onboarding",
    # the half-yearly risk review, the ratings, bad debts, monthly deductions
    "menu_credit_review",
    "menu_credit_review_pivot",
    "menu_credit_rating",
    "menu_credit_bad_debt",
    "menu_credit_deduction",
}
# a downgrade to the lowest rating or stopping credit
RISK_APPROVAL = {"menu_credit_review_to_approve"}
REPORTING = {"menu_reporting", "menu_reporting_customer"}
# the monthly reports of a chosen month: the callback and complaint managers
MONTHLY = {"menu_reporting_monthly"}
# the staff evaluations of their teams; the delay ledger of the complaints
EVALUATION = {"menu_reporting_evaluation"}
DELAY = {"menu_reporting_complaint_delay"}
CONFIG = {"menu_config", "menu_config_segment", "menu_config_branch"}
ROOT = {"menu_root"}

EXPECTED_MENUS = {
    "agent": ROOT | CALLBACK,
    "callback_manager": ROOT
    | CALLBACK
    | CALLBACK_MANAGER
    | REPORTING
    | MONTHLY
    | EVALUATION
    | CONFIG,
    # officers make the follow-up callbacks of their complaints
    "officer": ROOT | CALLBACK | COMPLAINT,
    "complaint_manager": ROOT
    | CALLBACK
    | COMPLAINT
    | REPORTING
    | MONTHLY
    | EVALUATION
    | DELAY
    | CONFIG,
    "desk": ROOT | PICKUP,
    "approver": ROOT | CREDIT,
    "credit_manager": ROOT | CREDIT | CREDIT_MANAGER | REPORTING | CONFIG,
    "gm": ROOT
    | CALLBACK
    | CALLBACK_MANAGER
    | COMPLAINT
    | PICKUP
    | CREDIT
    | CREDIT_MANAGER
    | RISK_APPROVAL
    | REPORTING
    | MONTHLY
    | EVALUATION
    | DELAY
    | CONFIG
    | PICKUP_MANAGER,
}


@tagged("post_install", "-at_install")
class TestRoles(CareUsersMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._create_care_users()
        cls.care_menus = cls.env["ir.ui.menu"].search(
            [("id", "child_of", cls.env.ref("customer_care.menu_root").id)]
        )

    def _visible_menus(self, user):
        """The menus the web client shows: visible, and so are their parents."""
        visible = self.env["ir.ui.menu"].with_user(user)._visible_menu_ids()

        def shown(menu):
            return not menu or (menu.id in visible and shown(menu.parent_id))

        data = self.care_menus.filtered(shown).get_external_id()
        return {xmlid.split(".", 1)[1] for xmlid in data.values()}

    def test_managers_have_what_their_users_have(self):
        chains = [
            ("callback_manager", "agent"),
            ("complaint_manager", "officer"),
            ("credit_manager", "approver"),
            ("gm", "callback_manager"),
            ("gm", "complaint_manager"),
            ("gm", "credit_manager"),
            ("gm", "desk"),
        ]
        for manager, user in chains:
            with self.subTest(manager=manager, user=user):
                self.assertTrue(self.users[manager].has_group(ROLES[user]))
                self.assertFalse(
                    self.users[user].has_group(ROLES[manager]),
                    "a user role must not imply its manager role",
                )

    def test_roles_reach_the_apps_they_work_in(self):
        self.assertTrue(
            self.users["officer"].has_group("helpdesk_mgmt.group_helpdesk_user_team")
        )
        self.assertTrue(
            self.users["complaint_manager"].has_group(
                "helpdesk_mgmt.group_helpdesk_user"
            )
        )
        self.assertTrue(self.users["desk"].has_group("stock.group_stock_user"))
        self.assertTrue(
            self.users["approver"].has_group("sales_team.group_sale_salesman")
        )
        self.assertTrue(
            self.users["credit_manager"].has_group("account.group_account_invoice")
        )

    def test_every_role_has_a_description(self):
        for xmlid in ROLES.values():
            with self.subTest(group=xmlid):
                self.assertTrue(self.env.ref(xmlid).comment)

    def test_every_role_sees_exactly_its_menus(self):
        for role, expected in EXPECTED_MENUS.items():
            with self.subTest(role=role):
                self.assertEqual(self._visible_menus(self.users[role]), expected)

    def test_an_employee_without_a_role_sees_no_customer_care(self):
        user = self.env["res.users"].create(
            {
                "name": "Plain employee",
                "login": "care_plain",
                "groups_id": [(6, 0, [self.env.ref("base.group_user").id])],
            }
        )
        self.assertEqual(self._visible_menus(user), set())

    def test_every_menu_action_opens_for_its_roles(self):
        """Load each visible action's views and first records as the role."""
        for role, user in self.users.items():
            shown = self._visible_menus(user)
            for menu in self.care_menus.filtered("action"):
                if menu.get_external_id()[menu.id].split(".", 1)[1] not in shown:
                    continue
                with self.subTest(role=role, menu=menu.complete_name):
                    action = menu.action.sudo()
                    if action._name == "ir.actions.server":
                        # the app's landing (the window action of the role)
                        # or one made on the fly (the credit onboarding)
                        opened = menu.action.with_user(user).run()
                        self.assertEqual(opened["type"], "ir.actions.act_window")
                        if not opened.get("id"):
                            continue
                        action = (
                            self.env["ir.actions.act_window"]
                            .sudo()
                            .browse(opened["id"])
                        )
                    self.assertEqual(action._name, "ir.actions.act_window")
                    views = [list(view) for view in action.read(["views"])[0]["views"]]
                    views.append([action.search_view_id.id, "search"])
                    scope = {
                        "uid": user.id,
                        "allowed_company_ids": user.company_ids.ids,
                        "context": {},
                        "active_id": False,
                    }
                    context = safe_eval(action.context or "{}", scope)
                    model = self.env[action.res_model].with_user(user)
                    result = model.with_context(**context).get_views(
                        views, {"toolbar": True, "load_filters": True}
                    )
                    self.assertEqual(
                        set(result["views"]), {mode for _id, mode in views}
                    )
                    if action.target != "inline":
                        domain = safe_eval(action.domain or "[]", scope)
                        model.search_read(domain, ["display_name"], limit=5)


@tagged("post_install", "-at_install")
class TestSegmentAccess(CareUsersMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._create_care_users()

    def test_agents_read_segments_managers_edit_them(self):
        Segment = self.env["customer.care.segment"]
        self.assertTrue(Segment.with_user(self.users["agent"]).search([]))
        with self.assertRaises(AccessError):
            Segment.with_user(self.users["agent"]).create(
                {"name": "VIP", "code": "vip"}
            )
        segment = Segment.with_user(self.users["callback_manager"]).create(
            {"name": "VIP", "code": "vip"}
        )
        self.assertEqual(segment.code, "vip")
