# Copyright 2026 customer_care contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tools import SQL

from .models.res_partner_credit import (
    BALANCE_FUNCTION,
    BALANCE_TABLE,
    drop_balance_triggers,
)


def uninstall_hook(env):
    """Remove the kept credit balances: their triggers on account_move_line,
    their function and their table, which the ORM does not know."""
    drop_balance_triggers(env.cr)
    env.cr.execute(
        SQL("DROP FUNCTION IF EXISTS %s()", SQL.identifier(BALANCE_FUNCTION))
    )
    env.cr.execute(SQL("DROP TABLE IF EXISTS %s", SQL.identifier(BALANCE_TABLE)))


def post_init_hook(env):
    load_chinese(env)


def load_chinese(env):
    """When the company works in Chinese (zh_CN active, or the main company's
    language), load zh_CN for every installed module, so Odoo's own menus and
    forms read Chinese too. Existing translations are kept."""
    lang = (
        env["res.lang"].with_context(active_test=False).search([("code", "=", "zh_CN")])
    )
    company = env.ref("base.main_company", raise_if_not_found=False)
    if not lang or not (
        lang.active or (company and company.partner_id.lang == "zh_CN")
    ):
        return
    env["res.lang"]._activate_lang("zh_CN")
    env["ir.module.module"].search([])._update_translations("zh_CN")
