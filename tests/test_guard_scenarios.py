# Copyright 2026 customer_care contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The walks around the workflow that issue 12 found, each tried over
JSON-RPC as the role in question: the one who may succeeds through the
button, the one who may not is refused, by the button and by a direct
write of the field."""

from datetime import timedelta

from odoo import Command, fields
from odoo.tests import HttpCase, new_test_user, tagged

from ..models.customer_care_guard import transition_scope
from .common import CareApiMixin, pickup_point, recorded
from .test_credit import credit_file

GUARDED = "change only through the workflow"


@tagged("post_install", "-at_install")
class TestGuardScenarios(CareApiMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("en_US")

        def user(login, groups):
            return new_test_user(
                cls.env, login=login, groups=groups, lang="en_US", name=login
            )

        cls.salesman = user("scn_salesman", "sales_team.group_sale_salesman")
        cls.sales_manager = user("scn_sales_manager", "sales_team.group_sale_manager")
        cls.regional = user("scn_regional", "customer_care.group_credit_approver")
        cls.stock_user = user("scn_stock", "stock.group_stock_user")
        cls.officer = user("scn_officer", "customer_care.group_complaint_officer")
        cls.complaint_manager = user(
            "scn_complaint_manager", "customer_care.group_complaint_manager"
        )
        cls.complaint_manager_2 = user(
            "scn_complaint_manager_2", "customer_care.group_complaint_manager"
        )
        cls.gm = user("scn_gm", "customer_care.group_general_manager")
        cls.desk = user("scn_desk", "customer_care.group_pickup_desk")
        cls.agent = user("scn_agent", "customer_care.group_callback_agent")

        cls.env.company.account_use_credit_limit = True
        cls.product = cls.env["product.product"].create(
            {
                "name": "水泥 P.O 42.5",
                "type": "consu",
                "invoice_policy": "order",
                "list_price": 100.0,
                "taxes_id": [Command.clear()],
            }
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "苏州恒达商贸", "is_company": True, **credit_file()}
        )
        cls.customer.write(
            {
                "care_credit_mode": "manual",
                "credit_limit": 3000.0,
                "care_regional_manager_id": cls.regional.id,
            }
        )

    def _order(self, amount):
        return self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "user_id": self.salesman.id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": self.product.id,
                            "product_uom_qty": 1,
                            "price_unit": amount,
                            "tax_id": [Command.clear()],
                        }
                    )
                ],
            }
        )

    def _reload(self, record):
        record.invalidate_recordset()
        return record

    # ------------------------------------------------------------
    # credit
    # ------------------------------------------------------------

    def test_salesperson_cannot_approve_his_own_over_limit_request(self):
        order = self._order(3500.0)  # 500 over the limit of 3,000
        self.api_as(self.salesman)
        blocked = self.api("sale.order", "action_confirm", order.ids)
        self.assertIsInstance(blocked, dict, "the blocking dialog")
        self.assertEqual(self._reload(order).state, "draft")
        # he may not create it decided, either
        error = self.api_refused(
            "customer.care.credit.request",
            "create",
            [{"sale_order_id": order.id, "state": "approved"}],
        )
        self.assertIn(GUARDED, error["message"])
        request_id = self.api(
            "customer.care.credit.request",
            "create",
            [
                {
                    "sale_order_id": order.id,
                    "repayment_date": fields.Date.to_string(
                        fields.Date.today() + timedelta(days=10)
                    ),
                    "repayment_amount": 500.0,
                }
            ],
        )[0]
        request = self.env["customer.care.credit.request"].browse(request_id)
        self.assertTrue(
            self.api("customer.care.credit.request", "action_request", [request_id])
        )
        for vals in (
            {"state": "approved"},
            {"approved_amount": 1000000.0},
            {"approver_id": self.regional.id},
            {"state": "approved", "approved_amount": 3500.0},
        ):
            error = self.api_refused(
                "customer.care.credit.request", "write", [request_id], vals
            )
            self.assertIn(GUARDED, error["message"])
        error = self.api_refused(
            "customer.care.credit.request", "action_approve", [request_id]
        )
        self.assertIn("yourself", error["message"])
        self.assertEqual(self._reload(request).state, "requested")
        self.assertFalse(request.approved_amount)
        # a context key does not skip the check
        blocked = self.api(
            "sale.order",
            "action_confirm",
            order.ids,
            context={"care_credit_skip_check": True},
        )
        self.assertIsInstance(blocked, dict)
        self.assertEqual(self._reload(order).state, "draft")

        # the regional manager signs it; then the order confirms
        self.api_as(self.regional)
        self.assertTrue(
            self.api("customer.care.credit.request", "action_approve", [request_id])
        )
        self.assertEqual(self._reload(request).state, "approved")
        self.assertEqual(request.approver_id, self.regional)
        self.api_as(self.salesman)
        self.api("sale.order", "action_confirm", order.ids)
        self.assertEqual(self._reload(order).state, "sale")

    def test_only_a_decider_refuses_an_over_limit_request(self):
        # 1,500 over the limit of 3,000: above one third, which only the
        # credit manager may approve; the regional manager may still say no
        order = self._order(4500.0)
        request = self.env["customer.care.credit.request"].create(
            {"sale_order_id": order.id, "requested_by_id": self.sales_manager.id}
        )
        with transition_scope():
            request.write({"state": "requested"})
        other_sales_manager = new_test_user(
            self.env,
            login="scn_sales_manager_2",
            groups="sales_team.group_sale_manager",
            lang="en_US",
        )
        for user, text in (
            (self.sales_manager, "yourself"),
            (self.salesman, "your own sale"),
            (other_sales_manager, "no right to approve"),
            (self.agent, "not allowed to access"),
        ):
            self.api_as(user)
            error = self.api_refused(
                "customer.care.credit.request", "action_refuse", request.ids
            )
            self.assertIn(text, error["message"])
            self.assertEqual(self._reload(request).state, "requested", user.login)
        self.api_as(self.regional)
        error = self.api_refused(
            "customer.care.credit.request", "action_approve", request.ids
        )
        self.assertIn("one third", error["message"].replace("1/3", "one third"))
        self.assertTrue(
            self.api("customer.care.credit.request", "action_refuse", request.ids)
        )
        self.assertEqual(self._reload(request).state, "refused")
        self.assertEqual(request.approver_id, self.regional)

    def test_decided_request_cannot_be_deleted(self):
        order = self._order(3500.0)
        request = self.env["customer.care.credit.request"].create(
            {"sale_order_id": order.id}
        )
        with transition_scope():
            request.write({"state": "refused", "approver_id": self.regional.id})
        self.api_as(self.sales_manager)
        self.api_refused("customer.care.credit.request", "unlink", request.ids)
        self.assertTrue(request.exists())

    def test_sales_manager_cannot_raise_the_rolling_limit(self):
        self.customer.write({"care_credit_mode": "rolling"})
        limit = self.customer.care_credit_limit
        self.api_as(self.sales_manager)
        for vals in (
            {"care_credit_rolling_amount": 1000000.0},
            {"care_credit_limit": 1000000.0},
        ):
            error = self.api_refused("res.partner", "write", self.customer.ids, vals)
            self.assertIn(GUARDED, error["message"])
        error = self.api_refused(
            "res.partner", "write", self.customer.ids, {"care_credit_mode": "none"}
        )
        self.assertIn("credit manager", error["message"])
        self.customer.invalidate_recordset()
        self.assertEqual(self.customer.care_credit_limit, limit)
        self.assertEqual(self.customer.care_credit_mode, "rolling")

    def test_warehouse_clerk_cannot_release_by_context(self):
        order = self._order(5000.0)
        order.with_context(care_credit_skip_check=True).sudo().action_confirm()
        picking = order.picking_ids
        picking.move_ids.quantity = 1
        self.api_as(self.stock_user)
        result = self.api(
            "stock.picking",
            "button_validate",
            picking.ids,
            context={"care_credit_bypass": True},
        )
        self.assertIsInstance(result, dict, "the blocking dialog")
        self.assertNotEqual(self._reload(picking).state, "done")

    # ------------------------------------------------------------
    # complaints
    # ------------------------------------------------------------

    def _complaint(self, **values):
        return self.env["helpdesk.ticket"].create(
            {
                "name": "货物破损",
                "description": "货物破损",
                "partner_id": self.customer.id,
                "care_is_complaint": True,
                "team_id": self.env.ref("customer_care.team_complaint").id,
                "user_id": self.officer.id,
                **values,
            }
        )

    def test_officer_cannot_approve_his_own_compensation(self):
        ticket = self._complaint()
        self.api_as(self.officer)
        self.api(
            "helpdesk.ticket",
            "write",
            ticket.ids,
            {"care_compensation_amount": 800.0, "care_compensation_form": "cash"},
        )
        self.assertTrue(
            self.api("helpdesk.ticket", "action_care_request_compensation", ticket.ids)
        )
        for vals in (
            {"care_compensation_state": "approved"},
            {"care_compensation_approved_by_id": self.complaint_manager.id},
        ):
            error = self.api_refused("helpdesk.ticket", "write", ticket.ids, vals)
            self.assertIn(GUARDED, error["message"])
        self.api_refused(
            "helpdesk.ticket", "action_care_approve_compensation", ticket.ids
        )
        closed = self.env["helpdesk.ticket.stage"].search(
            [("closed", "=", True)], limit=1
        )
        self.api_refused(
            "helpdesk.ticket", "write", ticket.ids, {"stage_id": closed.id}
        )
        self.assertEqual(self._reload(ticket).care_compensation_state, "requested")
        self.assertNotEqual(ticket.stage_id, closed)
        # the requester may not decide even as a manager; another one does
        self.api_as(self.complaint_manager_2)
        self.assertTrue(
            self.api("helpdesk.ticket", "action_care_approve_compensation", ticket.ids)
        )
        self.assertEqual(self._reload(ticket).care_compensation_state, "approved")
        self.assertEqual(
            ticket.care_compensation_approved_by_id, self.complaint_manager_2
        )

    def test_deadlines_are_not_written_by_hand(self):
        ticket = self._complaint(care_crit_safety=True)
        deadline = ticket.care_deadline_ids.filtered(lambda d: d.kind == "proposal")
        before = deadline.deadline
        for user in (self.officer, self.complaint_manager):
            self.api_as(user)
            for vals in (
                {"deadline": fields.Datetime.to_string(before + timedelta(days=30))},
                {"done_date": fields.Datetime.to_string(fields.Datetime.now())},
                {"escalated": True},
            ):
                self.api_refused(
                    "customer.care.complaint.deadline", "write", deadline.ids, vals
                )
            error = self.api_refused(
                "helpdesk.ticket",
                "write",
                ticket.ids,
                {
                    "care_deadline_ids": [
                        Command.update(
                            deadline.id, {"done_date": "2026-01-01 00:00:00"}
                        )
                    ]
                },
            )
            self.assertIn(GUARDED, error["message"])
        self._reload(deadline)
        self.assertEqual(deadline.deadline, before)
        self.assertFalse(deadline.done_date)
        self.assertFalse(deadline.escalated)
        # the step itself marks it, for the officer too
        self.api_as(self.officer)
        self.api("helpdesk.ticket", "write", ticket.ids, {"care_solution": "换货"})
        self.assertTrue(self._reload(deadline).done_date)

    def test_a_complaint_cannot_be_unregistered(self):
        ticket = self._complaint(care_crit_safety=True)
        self.api_as(self.officer)
        for vals in (
            {"care_is_complaint": False},
            {"care_crit_safety": False, "care_is_complaint": False},
        ):
            error = self.api_refused("helpdesk.ticket", "write", ticket.ids, vals)
            self.assertIn("stays a complaint", error["message"])
        self._reload(ticket)
        self.assertTrue(ticket.care_is_complaint)
        self.assertEqual(ticket.care_tier, "major")

    def test_complaint_received_next_week_is_refused(self):
        self.api_as(self.officer)
        error = self.api_refused(
            "helpdesk.ticket",
            "create",
            [
                {
                    "name": "下周的投诉",
                    "description": "x",
                    "partner_id": self.customer.id,
                    "care_is_complaint": True,
                    "care_received_at": fields.Datetime.to_string(
                        fields.Datetime.now() + timedelta(days=7)
                    ),
                }
            ],
        )
        self.assertIn("future", error["message"])

    def test_only_the_general_manager_approves_a_measure(self):
        measure = self.env["customer.care.complaint.measure"].create(
            {"name": "出库复核", "date_deadline": fields.Date.today()}
        )
        self.api_as(self.officer)
        self.assertTrue(
            self.api("customer.care.complaint.measure", "action_request", measure.ids)
        )
        for vals in ({"state": "approved"}, {"approver_id": self.gm.id}):
            error = self.api_refused(
                "customer.care.complaint.measure", "write", measure.ids, vals
            )
            self.assertIn(GUARDED, error["message"])
        self.api_refused(
            "customer.care.complaint.measure", "action_approve", measure.ids
        )
        self.assertEqual(self._reload(measure).state, "requested")
        self.api_as(self.gm)
        self.assertTrue(
            self.api("customer.care.complaint.measure", "action_approve", measure.ids)
        )
        self.assertEqual(self._reload(measure).approver_id, self.gm)
        # cancelled, then deleted: refused, the approval is kept
        self.api_as(self.complaint_manager)
        self.assertTrue(
            self.api("customer.care.complaint.measure", "action_cancel", measure.ids)
        )
        self.api_refused("customer.care.complaint.measure", "unlink", measure.ids)
        self.assertTrue(
            self.api("customer.care.complaint.measure", "action_reset", measure.ids)
        )
        self.api_refused("customer.care.complaint.measure", "unlink", measure.ids)
        self.assertTrue(measure.exists())

    # ------------------------------------------------------------
    # pickup and callbacks
    # ------------------------------------------------------------

    def test_desk_cannot_lift_a_lock_or_mark_collected(self):
        admin = self.env.ref("base.user_admin")
        _calendar, _warehouse, point = pickup_point(
            self.env, "测试自提点", self.desk, admin, admin
        )
        order = self._order(100.0)
        pickup = self.env["customer.care.pickup"].create(
            {"sale_order_id": order.id, "point_id": point.id}
        )
        locked_until = fields.Datetime.now() + timedelta(minutes=15)
        with transition_scope():
            pickup.write(
                {
                    "state": "notified",
                    "locked_until": locked_until,
                    "failed_attempts": 0,
                }
            )
        self.api_as(self.desk)
        for vals in (
            {"locked_until": False},
            {"failed_attempts": 0, "locked_until": False},
            {"state": "collected"},
            {"collector_name": "张三", "collected_at": "2026-01-01 00:00:00"},
        ):
            error = self.api_refused("customer.care.pickup", "write", pickup.ids, vals)
            self.assertIn(GUARDED, error["message"])
        self._reload(pickup)
        self.assertEqual(pickup.locked_until, locked_until.replace(microsecond=0))
        self.assertEqual(pickup.state, "notified")
        # the handover itself is refused while locked
        error = self.api_refused(
            "customer.care.pickup", "action_open_handover", pickup.ids
        )
        self.assertIn("locked", error["message"])

    def test_agent_cannot_write_a_callback_done(self):
        callback = self.env["customer.care.callback"].create(
            {
                "partner_id": self.customer.id,
                "user_id": self.agent.id,
                "date": fields.Date.today(),
            }
        )
        self.api_as(self.agent)
        for vals in ({"state": "done"}, {"is_overdue": True}):
            error = self.api_refused(
                "customer.care.callback", "write", callback.ids, vals
            )
            self.assertIn(GUARDED, error["message"])
        self.assertEqual(self._reload(callback).state, "planned")
        recorded(callback)
        self.assertTrue(self.api("customer.care.callback", "action_done", callback.ids))
        self.assertEqual(self._reload(callback).state, "done")
        # done, its record is the ledger's: not rewritten afterwards
        error = self.api_refused(
            "customer.care.callback", "write", callback.ids, {"score_overall": "1"}
        )
        self.assertIn("ledger", error["message"])
        self.assertEqual(self._reload(callback).score_overall, "4")
