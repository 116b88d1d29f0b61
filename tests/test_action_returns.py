# Copyright 2026 customer_care contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Every ``action_*`` a client may call returns a value (True or an action),
so that an XML-RPC client does not get "cannot marshal None" after its
change was saved (issue 12)."""

import ast
import tempfile
import xmlrpc.client
from datetime import date
from pathlib import Path

from odoo import Command
from odoo.tests import HttpCase, TransactionCase, new_test_user, tagged

from .common import ROLES, WarmUpMixin, recorded

ADDON = Path(__file__).resolve().parent.parent
# not model code: the tests, the assets, the migration scripts, the portal
# routes (not callable over RPC) and the command-line tools
NOT_MODELS = {"tests", "static", "migrations", "controllers", "tools", "benchmarks"}


def _own_nodes(node):
    """The nodes of ``node``, without entering nested functions, classes
    or lambdas (their returns are not the method's)."""
    stack = list(ast.iter_child_nodes(node))
    while stack:
        child = stack.pop()
        if isinstance(
            child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.Lambda
        ):
            continue
        yield child
        stack.extend(ast.iter_child_nodes(child))


def _ends(statements):
    """Whether every path through ``statements`` ends in a return or raise."""
    return any(_statement_ends(statement) for statement in statements)


def _statement_ends(statement):
    if isinstance(statement, ast.Return | ast.Raise):
        return True
    if isinstance(statement, ast.If):
        return _ends(statement.body) and _ends(statement.orelse)
    if isinstance(statement, ast.With | ast.AsyncWith):
        return _ends(statement.body)
    if isinstance(statement, ast.Try | ast.TryStar):
        if _ends(statement.finalbody):
            return True
        return (_ends(statement.body) or _ends(statement.orelse)) and all(
            _ends(handler.body) for handler in statement.handlers
        )
    if isinstance(statement, ast.While):
        forever = isinstance(statement.test, ast.Constant) and statement.test.value
        return bool(forever) and not any(
            isinstance(node, ast.Break) for node in _own_nodes(statement)
        )
    if isinstance(statement, ast.Match):
        last = statement.cases[-1].pattern if statement.cases else None
        wildcard = isinstance(last, ast.MatchAs) and last.pattern is None
        return wildcard and all(_ends(case.body) for case in statement.cases)
    # a loop may run zero times, anything else goes on to the next statement
    return False


def _is_model(cls):
    return any(
        isinstance(target, ast.Name) and target.id in ("_name", "_inherit")
        for statement in cls.body
        if isinstance(statement, ast.Assign)
        for target in statement.targets
    )


def actions_without_value(root):
    """["file:line Class.action_x: why"] for each public ``action_*`` method
    of a model of the add-on with a path that returns nothing."""
    problems = []
    for path in sorted(root.rglob("*.py")):
        relative = path.relative_to(root)
        if relative.parts[0] in NOT_MODELS:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), str(relative))
        for cls in ast.walk(tree):
            if not isinstance(cls, ast.ClassDef) or not _is_model(cls):
                continue
            for method in cls.body:
                if not isinstance(
                    method, ast.FunctionDef | ast.AsyncFunctionDef
                ) or not method.name.startswith("action_"):
                    continue
                where = f"{relative}:{method.lineno} {cls.name}.{method.name}"
                for node in _own_nodes(method):
                    if isinstance(node, ast.Return) and (
                        node.value is None
                        or (
                            isinstance(node.value, ast.Constant)
                            and node.value.value is None
                        )
                    ):
                        problems.append(f"{where}: returns None at line {node.lineno}")
                if not _ends(method.body):
                    problems.append(f"{where}: can end without `return <value>`")
    return problems


@tagged("post_install", "-at_install")
class TestActionReturnsStatic(TransactionCase):
    def test_every_action_returns_a_value(self):
        problems = actions_without_value(ADDON)
        self.assertFalse(
            problems,
            "these actions can return None, which XML-RPC cannot send: end "
            "them with `return True` (or the action they open):\n"
            + "\n".join(problems),
        )

    def test_the_check_sees_each_kind_of_missing_return(self):
        # the check itself: each way to return nothing is found, a value is not
        source = """
class Ticket(models.Model):
    _inherit = "helpdesk.ticket"

    def action_falls_off(self):
        self.write({})

    def action_bare(self):
        if self:
            return
        return True

    def action_none(self):
        return None

    def action_if_without_else(self):
        if self:
            return True

    def action_loop(self):
        for record in self:
            return True

    def action_ok(self):
        if not self:
            raise UserError("no")
        try:
            self.write({})
        except ValueError:
            raise
        return {"type": "ir.actions.act_window_close"}

    def action_inner_function(self):
        def helper():
            return
        return helper() or True

    def _action_private(self):
        pass


class NotAModel:
    def action_x(self):
        pass
"""
        with tempfile.TemporaryDirectory() as folder:
            root = Path(folder)
            (root / "models").mkdir()
            (root / "models" / "ticket.py").write_text(source, encoding="utf-8")
            problems = actions_without_value(root)
        found = {line.split()[1].rstrip(":") for line in problems}
        self.assertEqual(
            found,
            {
                "Ticket.action_falls_off",
                "Ticket.action_bare",
                "Ticket.action_none",
                "Ticket.action_if_without_else",
                "Ticket.action_loop",
            },
        )


@tagged("post_install", "-at_install")
class TestActionReturns(WarmUpMixin, HttpCase):
    """The actions of each workflow called over XML-RPC by the role that may
    make the step: the reply is a value, not a fault, and the step is made."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("en_US")
        cls.users = {
            role: new_test_user(
                cls.env,
                login=f"care_rpc_{role}",
                groups=group,
                name=f"Care RPC {role}",
                lang="en_US",
            )
            for role, group in ROLES.items()
        }
        cls.second_manager = new_test_user(
            cls.env,
            login="care_rpc_complaint_manager_2",
            groups=ROLES["complaint_manager"],
            name="Care RPC complaint manager 2",
            lang="en_US",
        )
        cls.company = cls.env.company
        cls.company.write(
            {
                "care_complaint_manager_id": cls.users["complaint_manager"].id,
                "care_general_manager_id": cls.users["gm"].id,
                "care_callback_manager_id": cls.users["callback_manager"].id,
            }
        )
        cls.team = cls.env.ref("customer_care.team_complaint")
        cls.team.write(
            {
                "user_ids": [
                    Command.link(cls.users["officer"].id),
                    Command.link(cls.users["complaint_manager"].id),
                    Command.link(cls.second_manager.id),
                ]
            }
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "南京金桥建材", "is_company": True, "lang": "en_US"}
        )

    def _call(self, role_or_user, model, method, records):
        """The reply of ``model.method(records)`` over XML-RPC as that user,
        which must be a value."""
        user = (
            self.users[role_or_user] if isinstance(role_or_user, str) else role_or_user
        )
        try:
            reply = self.xmlrpc_object.execute_kw(
                self.env.cr.dbname, user.id, user.login, model, method, [records.ids]
            )
        except xmlrpc.client.Fault as fault:
            self.fail(f"{model}.{method} as {user.login}: {fault.faultString}")
        self.assertIsNotNone(reply, f"{model}.{method}")
        self.assertTrue(reply is True or isinstance(reply, dict), reply)
        records.invalidate_recordset()
        return reply

    def _complaint(self, **values):
        return self.env["helpdesk.ticket"].create(
            {
                "name": "货物破损",
                "description": "<p>到货时外包装破损，两箱瓷砖碎裂。</p>",
                "partner_id": self.customer.id,
                "team_id": self.team.id,
                "care_is_complaint": True,
                "care_category": "service_quality",
                **values,
            }
        )

    def _deadline(self, ticket, kind):
        return ticket.care_deadline_ids.filtered(lambda d: d.kind == kind)

    def test_compensation_requested_approved_and_refused(self):
        approved, refused = (
            self._complaint(
                care_compensation_amount=800, care_compensation_form="cash"
            ),
            self._complaint(
                care_compensation_amount=300, care_compensation_form="cash"
            ),
        )
        for ticket in approved | refused:
            self._call(
                "officer", "helpdesk.ticket", "action_care_request_compensation", ticket
            )
            self.assertEqual(ticket.care_compensation_state, "requested")
        self._call(
            self.second_manager,
            "helpdesk.ticket",
            "action_care_approve_compensation",
            approved,
        )
        self.assertEqual(approved.care_compensation_state, "approved")
        self.assertEqual(approved.care_compensation_approved_by_id, self.second_manager)
        self._call(
            "complaint_manager",
            "helpdesk.ticket",
            "action_care_refuse_compensation",
            refused,
        )
        self.assertEqual(refused.care_compensation_state, "refused")

    def test_major_complaint_steps(self):
        ticket = self._complaint(care_crit_safety=True)
        self.assertEqual(ticket.care_tier, "major")
        self._call(
            "complaint_manager", "helpdesk.ticket", "action_care_take_over", ticket
        )
        self.assertTrue(self._deadline(ticket, "handover").done_date)
        self._call("officer", "helpdesk.ticket", "action_care_reported", ticket)
        self.assertTrue(self._deadline(ticket, "report").done_date)
        self._call(
            "officer", "helpdesk.ticket", "action_care_progress_reported", ticket
        )
        self.assertTrue(self._deadline(ticket, "progress").done_date)
        # the same-day feedback is due once the complaint is solved
        ticket.stage_id = self.env.ref("customer_care.stage_complaint_solved")
        self.assertFalse(self._deadline(ticket, "feedback").done_date)
        self._call("officer", "helpdesk.ticket", "action_care_feedback_given", ticket)
        self.assertTrue(self._deadline(ticket, "feedback").done_date)

    def test_callback_done(self):
        callback = self.env["customer.care.callback"].create(
            {
                "partner_id": self.customer.id,
                "user_id": self.users["agent"].id,
                "date": date.today(),
            }
        )
        self._call("agent", "customer.care.callback", "action_done", recorded(callback))
        self.assertEqual(callback.state, "done")

    def test_measure_requested_approved_and_done(self):
        measure = self.env["customer.care.complaint.measure"].create(
            {
                "name": "装车前拍照留存",
                "user_id": self.users["officer"].id,
                "date_deadline": date.today(),
            }
        )
        # "Submit for Approval" (the approval mixin's request)
        self._call(
            "officer", "customer.care.complaint.measure", "action_request", measure
        )
        self.assertEqual(measure.state, "requested")
        self._call("gm", "customer.care.complaint.measure", "action_approve", measure)
        self.assertEqual(measure.state, "approved")
        self.assertEqual(measure.approver_id, self.users["gm"])
        self._call("officer", "customer.care.complaint.measure", "action_done", measure)
        self.assertEqual(measure.state, "done")
