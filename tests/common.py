# Copyright 2026 customer_care contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
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
