# Copyright 2026 customer_care contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Companies stay apart: a user of another company neither lists, reads nor
writes a record of the add-on that belongs to the first company, whatever
their role, over XML-RPC. The models are found in the registry: a new model
with a company is covered as soon as it has a fixture record."""

import xmlrpc.client

from odoo import Command, fields, models
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from odoo.addons.base.controllers.rpc import RPC_FAULT_CODE_ACCESS_ERROR

from .common import ROLES, pickup_point, posted_invoice

MODULE = "customer_care"
# the add-on's records on models of other modules: {model: domain of them}
EXTENDED_MODELS = {"helpdesk.ticket": [("care_is_complaint", "=", True)]}
# the roles that meet the add-on's records besides its own
OTHER_ROLES = {
    "employee": "base.group_user",
    "salesperson": "sales_team.group_sale_salesman",
    "sales_manager": "sales_team.group_sale_manager",
    "stock_user": "stock.group_stock_user",
    "accountant": "account.group_account_invoice",
    "helpdesk_user": "helpdesk_mgmt.group_helpdesk_user",
    "helpdesk_manager": "helpdesk_mgmt.group_helpdesk_manager",
    "administrator": "base.group_system",
}
# the kinds of fields a write is tried on, the most telling first
PROBE_TYPES = (
    "char",
    "text",
    "boolean",
    "integer",
    "float",
    "monetary",
    "date",
    "datetime",
    "selection",
)


def company_models(env):
    """The models whose records of the add-on belong to a company: those it
    defines (or names after itself) with a stored ``company_id``, and the
    models of other modules it keeps records in. Wizards are left out: only
    their creator ever sees one."""
    names = {
        name
        for name, cls in env.registry.items()
        if not cls._abstract
        and not cls._transient
        and (cls._original_module == MODULE or name.startswith("customer.care."))
        and "company_id" in cls._fields
        and cls._fields["company_id"].store
    }
    return sorted(names | set(EXTENDED_MODELS))


@tagged("post_install", "-at_install")
class TestCompanyRules(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.other_company = cls.env["res.company"].create({"name": "杭州分公司"})
        cls.other_users = {
            role: new_test_user(
                cls.env,
                login=f"company_b_{role}",
                password=f"company_b_{role}",
                groups=groups,
                company_id=cls.other_company.id,
                company_ids=[Command.set(cls.other_company.ids)],
            )
            for role, groups in {**ROLES, **OTHER_ROLES}.items()
        }
        cls._company_fixtures()
        cls.models = company_models(cls.env)

    @classmethod
    def _company_fixtures(cls):
        """One record of each model, in the first company, made by the
        superuser (the workflow's guarded fields are free to it)."""
        env = cls.env
        admin = env.ref("base.user_admin")
        partner = env["res.partner"].create(
            {
                "name": "苏州恒达商贸",
                "is_company": True,
                "email": "hd@example.com",
                "company_id": cls.company.id,
            }
        )
        product = env["product.product"].create(
            {"name": "水泥 P.O 42.5", "type": "consu", "list_price": 100.0}
        )
        order = env["sale.order"].create(
            {
                "partner_id": partner.id,
                "order_line": [Command.create({"product_id": product.id})],
            }
        )
        cadence = env["customer.care.callback.cadence"].create(
            {"name": "重点客户 每周电话回访", "interval_number": 1}
        )
        callback = env["customer.care.callback"].create(
            {"partner_id": partner.id, "date": fields.Date.today()}
        )
        issue = env["customer.care.callback.issue"].create(
            {"name": "送货不及时", "callback_id": callback.id, "owner_id": admin.id}
        )
        ticket = env["helpdesk.ticket"].create(
            {
                "name": "货物破损",
                "description": "货物破损",
                "partner_id": partner.id,
                "care_is_complaint": True,
                "team_id": env.ref("customer_care.team_complaint").id,
            }
        )
        deadline = ticket.care_deadline_ids[:1] or env[
            "customer.care.complaint.deadline"
        ].create(
            {
                "ticket_id": ticket.id,
                "kind": "handover",
                "deadline": fields.Datetime.now(),
            }
        )
        measure = env["customer.care.complaint.measure"].create(
            {"name": "出库复核", "date_deadline": fields.Date.today()}
        )
        _calendar, _warehouse, point = pickup_point(
            env, "苏州自提点", admin, admin, admin
        )
        pickup = env["customer.care.pickup"].create(
            {"sale_order_id": order.id, "point_id": point.id}
        )
        voucher = env["customer.care.pickup.voucher"].create(
            {"name": "V1", "pickup_id": pickup.id}
        )
        history = env["customer.care.credit.history"].create(
            {
                "partner_id": partner.id,
                "company_id": cls.company.id,
                "date": fields.Date.today(),
                "amount": 30000.0,
            }
        )
        request = env["customer.care.credit.request"].create(
            {"sale_order_id": order.id, "repayment_amount": 100.0}
        )
        responsibility = env["customer.care.credit.responsibility"].create(
            {
                "kind": "approved_unpaid",
                "user_id": admin.id,
                "partner_id": partner.id,
                "amount": 10.0,
                "note": "月末未回款",
            }
        )
        holiday = env["customer.care.holiday"].create(
            {
                "date": "2027-01-01",
                "kind": "off",
                "name": "元旦",
                "company_id": cls.company.id,
            }
        )
        evaluation = env["customer.care.evaluation"].create(
            {
                "user_id": admin.id,
                "company_id": cls.company.id,
                "year": 2026,
                "quarter": "3",
                "kind": "agent",
            }
        )
        delay = env["customer.care.complaint.delay"].create(
            {
                "deadline_id": deadline.id,
                "ticket_id": ticket.id,
                "kind": deadline.kind,
                "deadline": deadline.deadline,
                "user_id": admin.id,
                "hours_late": 2.0,
                "company_id": cls.company.id,
            }
        )
        job_run = env["customer.care.job.run"].create(
            {
                "key": f"complaint_weekly 2026-11-16 company:{cls.company.id}",
                "company_id": cls.company.id,
                "done_at": fields.Datetime.now(),
            }
        )
        visit_plan = env["customer.care.visit.plan"].create(
            {
                "year": env.company._care_today().year + 3,
                "company_id": cls.company.id,
                "line_ids": [
                    Command.create(
                        {
                            "partner_id": partner.id,
                            "month": f"{env.company._care_today().year + 3}-04-01",
                            "user_ids": [Command.set(admin.ids)],
                        }
                    )
                ],
            }
        )
        review = env["customer.care.credit.review"].create(
            {"partner_id": partner.id, "company_id": cls.company.id}
        )
        bad_debt = env["customer.care.credit.bad.debt"].create(
            {
                "invoice_id": posted_invoice(
                    env, partner, 100.0, env.company._care_today()
                ).id,
                "amount": 100.0,
                "reason": "客户破产",
            }
        )
        cls.fixtures = {
            "customer.care.credit.review": review,
            "customer.care.credit.bad.debt": bad_debt,
            "customer.care.visit.plan": visit_plan,
            "customer.care.visit.plan.line": visit_plan.line_ids,
            "customer.care.evaluation": evaluation,
            "customer.care.complaint.delay": delay,
            "customer.care.job.run": job_run,
            "customer.care.holiday": holiday,
            "customer.care.callback.cadence": cadence,
            "customer.care.callback": callback,
            "customer.care.callback.issue": issue,
            "helpdesk.ticket": ticket,
            "customer.care.complaint.deadline": deadline,
            "customer.care.complaint.measure": measure,
            "customer.care.pickup.point": point,
            "customer.care.pickup": pickup,
            "customer.care.pickup.voucher": voucher,
            "customer.care.credit.history": history,
            "customer.care.credit.request": request,
            "customer.care.credit.responsibility": responsibility,
        }

    def setUp(self):
        super().setUp()
        # A first request alone: Python 3.11.7 can fail to parse manifests
        # in threads at once (a CPython bug), on the server's first requests.
        for attempt in range(3):
            try:
                self.xmlrpc_common.version()
                break
            except (xmlrpc.client.Fault, xmlrpc.client.ProtocolError):
                if attempt == 2:
                    raise

    # ------------------------------------------------------------
    # HELPERS
    # ------------------------------------------------------------

    def _fixture(self, name):
        """The first company's fixture records of ``name``: the test fails
        if there are none, rather than check nothing."""
        records = self.fixtures.get(name)
        if not records:
            self.fail(
                f"{name} has a company but no fixture record: add one to "
                "_company_fixtures()"
            )
        return records

    def _rpc(self, user, model, method, *args, **kwargs):
        """(result, fault) of ``model.method(*args, **kwargs)`` called over
        XML-RPC as ``user``."""
        try:
            # the refusals are expected: not logged as the server's warnings
            with mute_logger("odoo.http"):
                result = self.xmlrpc_object.execute_kw(
                    self.env.cr.dbname,
                    user.id,
                    user.login,
                    model,
                    method,
                    list(args),
                    kwargs,
                )
        except xmlrpc.client.Fault as fault:
            return None, fault
        return result, None

    def _assert_access_error(self, fault, what):
        self.assertIsNotNone(fault, f"{what} was accepted")
        self.assertEqual(
            fault.faultCode,
            RPC_FAULT_CODE_ACCESS_ERROR,
            f"{what} failed with another error than an access error: "
            f"{fault.faultString}",
        )

    def _write_probe(self, record):
        """(field name, value): a field a client may send to ``record``'s
        ``write`` and a value it does not have. The workflow's guarded fields
        are left out (they are refused for another reason); the company
        itself is tried when nothing else can be written."""
        guarded = set()
        if hasattr(record, "_care_guarded_fields"):
            guarded = set(record._care_guarded_fields())
        candidates = [
            field
            for field in record._fields.values()
            if field.store
            and field.type in PROBE_TYPES
            and field.name not in models.MAGIC_COLUMNS
            and field.name not in guarded
            and not field.groups
            and not field.related
            and not (field.compute and not field.inverse)
        ]
        if not candidates:
            return "company_id", self.other_company.id
        field = min(
            candidates,
            key=lambda field: (
                field.name != record._rec_name,
                PROBE_TYPES.index(field.type),
            ),
        )
        current = record[field.name]
        if field.type in ("char", "text"):
            return field.name, f"{current or ''} (杭州分公司改)"
        if field.type == "boolean":
            return field.name, not current
        if field.type == "integer":
            return field.name, (current or 0) + 7
        if field.type in ("float", "monetary"):
            return field.name, (current or 0.0) + 1000.5
        if field.type == "date":
            return field.name, "2031-03-04"
        if field.type == "datetime":
            return field.name, "2031-03-04 05:06:07"
        keys = [key for key, _label in field._description_selection(self.env)]
        return field.name, next(key for key in keys if key and key != current)

    # ------------------------------------------------------------
    # TESTS
    # ------------------------------------------------------------

    def test_every_model_with_a_company_has_a_fixture(self):
        self.assertFalse(
            set(self.models) - set(self.fixtures),
            "these models have a company but no fixture record: add one to "
            "_company_fixtures()",
        )
        for name in self.models:
            with self.subTest(model=name):
                records = self._fixture(name)
                self.assertEqual(records.company_id, self.company)
                domain = EXTENDED_MODELS.get(name)
                if domain:
                    self.assertEqual(records.filtered_domain(domain), records)

    def test_each_model_is_open_to_a_role_of_the_other_company(self):
        # else the refusals below would be those of the access rights only
        for name in self.models:
            with self.subTest(model=name):
                self.assertTrue(
                    any(
                        self.env["ir.model.access"]
                        .with_user(user)
                        .check(name, "read", raise_exception=False)
                        for user in self.other_users.values()
                    ),
                    f"no role of the other company may read {name}",
                )

    def test_other_company_does_not_list_the_records(self):
        for name in self.models:
            ids = self._fixture(name).ids
            for role, user in self.other_users.items():
                with self.subTest(model=name, role=role):
                    found, fault = self._rpc(user, name, "search", [("id", "in", ids)])
                    if fault:
                        # no access to the model at all
                        self._assert_access_error(fault, f"{name}.search")
                    else:
                        self.assertFalse(set(found) & set(ids))
                    rows, fault = self._rpc(
                        user, name, "search_read", [("id", "in", ids)], fields=["id"]
                    )
                    if fault:
                        self._assert_access_error(fault, f"{name}.search_read")
                    else:
                        self.assertFalse({row["id"] for row in rows} & set(ids))

    def test_other_company_does_not_read_the_records(self):
        for name in self.models:
            ids = self._fixture(name).ids
            for role, user in self.other_users.items():
                with self.subTest(model=name, role=role):
                    _rows, fault = self._rpc(user, name, "read", ids, ["company_id"])
                    self._assert_access_error(fault, f"{name}.read")

    def test_other_company_does_not_write_the_records(self):
        for name in self.models:
            records = self._fixture(name)
            fname, value = self._write_probe(records[0])
            before = [record[fname] for record in records]
            for role, user in self.other_users.items():
                with self.subTest(model=name, role=role, field=fname):
                    _result, fault = self._rpc(
                        user, name, "write", records.ids, {fname: value}
                    )
                    records.invalidate_recordset()
                    after = [record[fname] for record in records]
                    if after != before:
                        # put it back, so that each role fails on its own
                        for record, old in zip(records, before, strict=True):
                            record[fname] = old
                    self._assert_access_error(fault, f"{name}.write({fname})")
                    self.assertEqual(after, before)
