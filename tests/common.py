# Copyright 2026 customer_care contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import json

from odoo import Command
from odoo.tests import new_test_user

# The roles of the add-on, by the xml id of their group
ROLES = {
    "agent": "customer_care.group_callback_agent",
    "callback_manager": "customer_care.group_callback_manager",
    "officer": "customer_care.group_complaint_officer",
    "complaint_manager": "customer_care.group_complaint_manager",
    "desk": "customer_care.group_pickup_desk",
    "approver": "customer_care.group_credit_approver",
    "credit_manager": "customer_care.group_credit_manager",
    "gm": "customer_care.group_general_manager",
}


def recorded(callbacks, score="4"):
    """``callbacks`` with what marking them done needs: the person of the
    customer reached and a score (given ones are kept)."""
    for callback in callbacks.sudo():
        partner = callback.partner_id
        contact = callback.contact_id or partner.child_ids[:1]
        if not contact:
            contact = partner.create(
                {"name": f"{partner.name} 联系人", "parent_id": partner.id}
            )
        callback.write(
            {"contact_id": contact.id, "score_overall": callback.score_overall or score}
        )
    return callbacks


# The segments shipped with the add-on (data/customer_care_segment_data.xml)
SEGMENT_CODES = (
    "key_account",
    "ordinary",
    "dealer",
    "business_partner",
    "self_pickup",
    "big",
    "very_big",
)


class CareUsersMixin:
    """One test user per role, ``cls.users[role]``."""

    @classmethod
    def _create_care_users(cls):
        cls.users = {
            role: new_test_user(
                cls.env,
                login=f"care_{role}",
                groups=group,
                name=f"Care {role}",
                tz="Asia/Shanghai",
            )
            for role, group in ROLES.items()
        }


def shanghai_calendar(env):
    """A working calendar in Shanghai: 8:30-12:00 and 13:30-17:30, Monday to
    Friday (8 hours a day)."""
    attendances = [
        Command.create(
            {
                "name": name,
                "dayofweek": day,
                "hour_from": hour_from,
                "hour_to": hour_to,
                "day_period": period,
            }
        )
        for day in "01234"
        for name, hour_from, hour_to, period in (
            ("AM", 8.5, 12, "morning"),
            ("PM", 13.5, 17.5, "afternoon"),
        )
    ]
    return env["resource.calendar"].create(
        {"name": "上海 工作时间", "tz": "Asia/Shanghai", "attendance_ids": attendances}
    )


def ensure_lang(env, code="zh_CN"):
    """Activate ``code`` and load the add-on's translations if needed, so the
    tests pass whether or not the database was created with the language."""
    lang = env["res.lang"]._activate_lang(code)
    if not env["ir.model.data"]._xmlid_to_res_id(
        "customer_care.menu_root", raise_if_not_found=False
    ):
        return lang
    menu = env.ref("customer_care.menu_root").with_context(lang=code)
    if menu.name == "Customer Care":
        env["ir.module.module"]._load_module_terms(
            ["customer_care"], [code], overwrite=True
        )
    return lang


def posted_invoice(env, partner, amount, invoice_date, due=None, **values):
    """A posted customer invoice (or refund: ``move_type``) of one line of
    ``amount`` without taxes."""
    invoice = env["account.move"].create(
        {
            "move_type": values.pop("move_type", "out_invoice"),
            "partner_id": partner.id,
            "invoice_date": invoice_date,
            "invoice_date_due": due or invoice_date,
            "invoice_line_ids": [
                Command.create(
                    {
                        "name": "货款",
                        "quantity": 1,
                        "price_unit": amount,
                        "tax_ids": [Command.clear()],
                    }
                )
            ],
            **values,
        }
    )
    invoice.action_post()
    return invoice


def pickup_point(env, name, desk, manager, agent):
    """The company on the Shanghai calendar with its pickup settings (the
    credit checks, another feature, out of the way) and a pickup point of
    its first warehouse staffed by ``desk``: (calendar, warehouse, point)."""
    calendar = shanghai_calendar(env)
    company = env.company
    company.write(
        {
            "resource_calendar_id": calendar.id,
            "care_pickup_manager_id": manager.id,
            "care_default_agent_id": agent.id,
            "account_use_credit_limit": False,
        }
    )
    warehouse = env["stock.warehouse"].search(
        [("company_id", "=", company.id)], limit=1
    )
    point = env["customer.care.pickup.point"].create(
        {
            "name": name,
            "sequence": 1,
            "warehouse_id": warehouse.id,
            "resource_calendar_id": calendar.id,
            "documents_required": "身份证原件及提货凭证",
            "user_ids": [Command.link(desk.id)],
        }
    )
    return calendar, warehouse, point


class WarmUpMixin:
    """For ``HttpCase``: a first request before any parallel ones (a
    browser's, or XML-RPC's): Python 3.11.7 can fail to parse manifests
    concurrently in threads (CPython bug)."""

    def setUp(self):
        super().setUp()
        self.url_open(
            "/web/webclient/version_info",
            data="{}",
            headers={"Content-Type": "application/json"},
        )


class CareApiMixin(WarmUpMixin):
    """Calls made as a person's web client makes them: JSON-RPC ``call_kw``
    in that user's own session (for ``HttpCase``)."""

    def api_as(self, user):
        """The next calls are made in ``user``'s session."""
        self.authenticate(user.login, user.login)
        return user

    def api_call(self, model, method, *args, **kwargs):
        """(result, error) of ``model.method(*args, **kwargs)``; ``error`` is
        the JSON-RPC error's data (``name``, ``message``) or None."""
        response = self.url_open(
            "/web/dataset/call_kw",
            data=json.dumps(
                {
                    "id": 0,
                    "jsonrpc": "2.0",
                    "method": "call",
                    "params": {
                        "model": model,
                        "method": method,
                        "args": list(args),
                        "kwargs": kwargs,
                    },
                }
            ),
            headers={"Content-Type": "application/json"},
            timeout=60,
        )
        response.raise_for_status()
        body = response.json()
        if "error" in body:
            return None, body["error"]["data"]
        return body["result"], None

    def api(self, model, method, *args, **kwargs):
        """The result of the call, which must succeed."""
        result, error = self.api_call(model, method, *args, **kwargs)
        if error:
            self.fail(f"{model}.{method} refused: {error['message']}")
        return result

    def api_refused(self, model, method, *args, **kwargs):
        """The error of the call, which must be refused."""
        result, error = self.api_call(model, method, *args, **kwargs)
        if not error:
            self.fail(f"{model}.{method} was accepted (returned {result!r})")
        return error
