# Copyright 2026 customer_care contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The field guard: decisions and workflow steps cannot be written around
the workflow, by any role, over the API the web client uses."""

from datetime import datetime, timedelta

from odoo import Command, fields, models
from odoo.exceptions import UserError
from odoo.tests import HttpCase, TransactionCase, new_test_user, tagged

from ..models.customer_care_guard import transition_scope
from .common import ROLES, CareApiMixin, pickup_point, posted_invoice, recorded

GUARD = "customer.care.guard.mixin"
# the roles that meet the add-on's records besides its own
OTHER_ROLES = {
    "employee": "base.group_user",
    "partner_manager": "base.group_user,base.group_partner_manager",
    "salesperson": "sales_team.group_sale_salesman",
    "sales_manager": "sales_team.group_sale_manager",
    "stock_user": "stock.group_stock_user",
    "accountant": "account.group_account_invoice",
    # writes off bad debts
    "account_manager": "account.group_account_manager",
    "helpdesk_user": "helpdesk_mgmt.group_helpdesk_user",
    "helpdesk_manager": "helpdesk_mgmt.group_helpdesk_manager",
}


def guarded_models(env):
    """{model name: {field: hint}} of every model the guard protects."""
    mixin = env.registry[GUARD]
    return {
        name: env[name]._care_guarded_fields()
        for name, cls in env.registry.items()
        if not cls._abstract
        and not cls._transient
        and issubclass(cls, mixin)
        and env[name]._care_guarded_fields()
    }


class GuardFixtures:
    """One record of each guarded model, made by the superuser, with its
    guarded fields filled where a workflow would fill them."""

    @classmethod
    def _guard_fixtures(cls):
        env = cls.env
        cls.partner = env["res.partner"].create(
            {"name": "苏州恒达商贸", "is_company": True, "email": "hd@example.com"}
        )
        product = env["product.product"].create(
            {"name": "水泥 P.O 42.5", "type": "consu", "list_price": 100.0}
        )
        cls.order = env["sale.order"].create(
            {
                "partner_id": cls.partner.id,
                "order_line": [Command.create({"product_id": product.id})],
            }
        )
        request = env["customer.care.credit.request"].create(
            {"sale_order_id": cls.order.id, "repayment_amount": 100.0}
        )
        with transition_scope():
            request.write(
                {
                    "state": "requested",
                    "requested_at": fields.Datetime.now(),
                    "approved_amount": 50.0,
                }
            )
        measure = env["customer.care.complaint.measure"].create(
            {"name": "出库复核", "date_deadline": fields.Date.today()}
        )
        ticket = env["helpdesk.ticket"].create(
            {
                "name": "货物破损",
                "description": "货物破损",
                "partner_id": cls.partner.id,
                "care_is_complaint": True,
                "care_crit_safety": True,
                "team_id": env.ref("customer_care.team_complaint").id,
            }
        )
        callback = env["customer.care.callback"].create(
            {"partner_id": cls.partner.id, "date": fields.Date.today()}
        )
        issue = env["customer.care.callback.issue"].create(
            {
                "name": "送货不及时",
                "callback_id": callback.id,
                "owner_id": env.ref("base.user_admin").id,
            }
        )
        _calendar, _warehouse, point = pickup_point(
            env,
            "测试自提点",
            env.ref("base.user_admin"),
            env.ref("base.user_admin"),
            env.ref("base.user_admin"),
        )
        pickup = env["customer.care.pickup"].create(
            {"sale_order_id": cls.order.id, "point_id": point.id}
        )
        voucher = env["customer.care.pickup.voucher"].create(
            {"name": "V1", "pickup_id": pickup.id}
        )
        responsibility = env["customer.care.credit.responsibility"].create(
            {
                "kind": "approved_unpaid",
                "user_id": env.ref("base.user_admin").id,
                "partner_id": cls.partner.id,
                "amount": 10.0,
            }
        )
        evaluation = env["customer.care.evaluation"].create(
            {
                "user_id": env.ref("base.user_admin").id,
                "year": 2025,
                "quarter": "4",
                "kind": "agent",
            }
        )
        visit_plan = env["customer.care.visit.plan"].create(
            {
                "year": env.company._care_today().year + 3,
                "line_ids": [
                    Command.create(
                        {
                            "partner_id": cls.partner.id,
                            "month": f"{env.company._care_today().year + 3}-04-01",
                            "user_ids": [Command.set(env.ref("base.user_admin").ids)],
                        }
                    )
                ],
            }
        )
        review = env["customer.care.credit.review"].create(
            {"partner_id": cls.partner.id}
        )
        bad_debt = env["customer.care.credit.bad.debt"].create(
            {
                "invoice_id": posted_invoice(
                    env, cls.partner, 100.0, env.company._care_today()
                ).id,
                "amount": 100.0,
                "reason": "客户破产",
            }
        )
        cls.fixtures = {
            "customer.care.credit.review": review,
            "customer.care.credit.bad.debt": bad_debt,
            "customer.care.visit.plan": visit_plan,
            "customer.care.evaluation": evaluation,
            "customer.care.credit.request": request,
            "customer.care.complaint.measure": measure,
            "helpdesk.ticket": ticket,
            "customer.care.complaint.deadline": ticket.care_deadline_ids[:1],
            "customer.care.callback": callback,
            "customer.care.callback.issue": issue,
            "customer.care.callback.cadence": env[
                "customer.care.callback.cadence"
            ].search([], limit=1),
            "customer.care.pickup": pickup,
            "customer.care.pickup.voucher": voucher,
            "customer.care.credit.responsibility": responsibility,
            "res.partner": cls.partner,
        }

    def _other_value(self, record, fname):
        """A value of ``fname`` that ``record`` does not have, as a client
        sends it."""
        field = record._fields[fname]
        current = record[fname]
        if field.type == "selection":
            keys = [
                key for key, _label in field._description_selection(self.env) if key
            ]
            return next(key for key in keys if key != current)
        if field.type == "many2one":
            other = self.env[field.comodel_name].search(
                [("id", "!=", current.id)], limit=1
            )
            return other.id
        if field.type in ("one2many", "many2many"):
            return [Command.clear()]
        if field.type == "datetime":
            return "2031-03-04 05:06:07"
        if field.type == "date":
            return "2031-03-04"
        if field.type == "boolean":
            return not current
        if field.type == "integer":
            return (current or 0) + 7
        if field.type in ("float", "monetary"):
            return (current or 0.0) + 1000.5
        return "guard-test"


@tagged("post_install", "-at_install")
class TestGuardMatrix(GuardFixtures, CareApiMixin, HttpCase):
    """For each guarded model × guarded field × role with write access to the
    model: a direct write over JSON-RPC is refused and nothing changes. Built
    from the guard's own declaration: a newly guarded field is covered."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("en_US")
        cls._guard_fixtures()
        cls.roles = {
            role: new_test_user(
                cls.env, login=f"guard_{role}", groups=groups, lang="en_US"
            )
            for role, groups in {**ROLES, **OTHER_ROLES}.items()
        }
        cls.guarded = guarded_models(cls.env)

    def test_every_guarded_model_has_a_fixture(self):
        missing = set(self.guarded) - set(self.fixtures)
        self.assertFalse(missing, "add a fixture record for these guarded models")
        for name in self.guarded:
            self.assertTrue(self.fixtures[name], f"no fixture record of {name}")

    def test_the_declaration_covers_the_rules_of_the_issue(self):
        expected = {
            "customer.care.credit.request": {
                "state",
                "approver_id",
                "approved_amount",
                "decided_at",
            },
            "helpdesk.ticket": {
                "care_compensation_state",
                "care_compensation_approved_by_id",
            },
            "customer.care.complaint.deadline": {"deadline", "done_date"},
            "customer.care.complaint.measure": {"state", "approver_id"},
            "customer.care.pickup": {"state", "locked_until", "failed_attempts"},
            "customer.care.callback": {"state", "is_overdue"},
            "res.partner": {"care_credit_rolling_amount", "care_credit_rating_id"},
            "customer.care.credit.review": {
                "state",
                "approver_id",
                "score",
                "proposed_rating_id",
            },
            "customer.care.credit.bad.debt": {"state", "move_id"},
            "customer.care.credit.responsibility": {
                "share",
                "deduction_amount",
                "acknowledged_at",
            },
        }
        for model, names in expected.items():
            self.assertLessEqual(names, set(self.guarded[model]), model)

    def _snapshot(self, record, fname):
        record.invalidate_recordset()
        value = record.sudo()[fname]
        return value.ids if isinstance(value, models.BaseModel) else value

    def test_matrix(self):
        Access = self.env["ir.model.access"]
        writers = {}
        for model in self.guarded:
            writers[model] = [
                role
                for role, user in self.roles.items()
                if Access.with_user(user).check(model, "write", raise_exception=False)
            ]
        refused_by_guard = {model: set() for model in self.guarded}
        checked = 0
        for role, user in self.roles.items():
            models = [m for m in self.guarded if role in writers[m]]
            if not models:
                continue
            self.api_as(user)
            for model in models:
                record = self.fixtures[model]
                Model = self.env[model].with_context(lang="en_US")
                for fname in self.guarded[model]:
                    before = self._snapshot(record, fname)
                    value = self._other_value(record, fname)
                    with self.subTest(model=model, field=fname, role=role):
                        error = self.api_refused(
                            model, "write", record.ids, {fname: value}
                        )
                        self.assertEqual(self._snapshot(record, fname), before)
                        guard_message = Model._care_guard_message(
                            [fname], Model._care_guarded_fields()
                        )
                        if error["message"] == guard_message:
                            refused_by_guard[model].add(fname)
                        else:
                            # refused before the guard: by the access rules
                            self.assertIn(
                                error["name"],
                                (
                                    "odoo.exceptions.AccessError",
                                    "odoo.exceptions.MissingError",
                                ),
                                error["message"],
                            )
                    checked += 1
        self.assertGreater(checked, 100)
        # every guarded field of a model that some role may write was refused
        # by the guard itself at least once (not only hidden by the rules)
        for model, names in self.guarded.items():
            if writers[model]:
                self.assertEqual(
                    refused_by_guard[model],
                    set(names),
                    f"{model}: writers {writers[model]} never reached the guard",
                )


@tagged("post_install", "-at_install")
class TestGuardMechanism(GuardFixtures, TransactionCase):
    """How the guard decides, through the ORM as a plain user."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("en_US")
        cls.env = cls.env(context=dict(cls.env.context, lang="en_US"))
        cls._guard_fixtures()
        cls.manager = new_test_user(
            cls.env,
            login="guard_mech_manager",
            groups="customer_care.group_callback_manager",
            lang="en_US",
        )
        cls.callback = cls.fixtures["customer.care.callback"]

    def test_refused_write_names_the_action_and_writes_nothing(self):
        callback = self.callback.with_user(self.manager)
        with self.assertRaises(UserError) as caught:
            callback.write({"state": "done", "summary": "changed"})
        self.assertIn("Done, Not Reached, Cancel", str(caught.exception))
        self.assertEqual(self.callback.state, "planned")
        self.assertFalse(self.callback.summary == "changed")

    def test_a_context_key_does_not_open_the_door(self):
        callback = self.callback.with_user(self.manager).with_context(
            care_transition=True, customer_care_transition=True
        )
        with self.assertRaises(UserError):
            callback.write({"state": "done"})

    def test_transitions_and_sudo_write(self):
        recorded(self.callback).with_user(self.manager).action_done()
        self.assertEqual(self.callback.state, "done")
        self.callback.with_user(self.manager).sudo().write({"is_overdue": True})
        self.assertTrue(self.callback.is_overdue)

    def test_unchanged_and_default_values_pass(self):
        callback = self.callback.with_user(self.manager)
        callback.write({"state": "planned", "summary": "same state"})
        self.assertEqual(self.callback.summary, "same state")
        created = (
            self.env["customer.care.callback"]
            .with_user(self.manager)
            .create(
                {
                    "partner_id": self.partner.id,
                    "state": "planned",
                    "is_overdue": False,
                }
            )
        )
        self.assertEqual(created.state, "planned")

    def test_create_with_a_step_already_taken_is_refused(self):
        with self.assertRaises(UserError):
            self.env["customer.care.callback"].with_user(self.manager).create(
                {"partner_id": self.partner.id, "state": "done"}
            )

    def test_guarded_fields_at_create_are_fixed_afterwards(self):
        request = self.fixtures["customer.care.credit.request"]
        credit_manager = new_test_user(
            self.env,
            login="guard_mech_credit",
            groups="customer_care.group_credit_manager",
        )
        other = self.order.copy()
        with self.assertRaises(UserError):
            request.with_user(credit_manager).write({"sale_order_id": other.id})

    def test_decided_records_cannot_be_deleted(self):
        measure = self.fixtures["customer.care.complaint.measure"]
        gm = new_test_user(
            self.env,
            login="guard_mech_gm",
            groups="customer_care.group_general_manager",
        )
        measure.with_user(self.env.ref("base.user_admin")).action_request()
        measure.with_user(gm).action_approve()
        measure.with_user(gm).action_cancel()
        with self.assertRaises(UserError):
            measure.with_user(gm).unlink()
        measure.with_user(gm).action_reset()
        with self.assertRaises(UserError):
            measure.with_user(gm).unlink()

    def test_complaint_cannot_be_received_in_the_future(self):
        ticket = self.fixtures["helpdesk.ticket"]
        with self.assertRaises(UserError):
            ticket.write({"care_received_at": datetime.now() + timedelta(days=7)})
