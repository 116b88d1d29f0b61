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
