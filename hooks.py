# Copyright 2026 customer_care contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tools import SQL

from .models.res_partner_credit import (
    BALANCE_FUNCTION,
    BALANCE_TABLE,
    BALANCE_TRIGGERS,
)


def uninstall_hook(env):
    """Remove the kept credit balances: their triggers on account_move_line,
    their function and their table, which the ORM does not know."""
    for trigger in BALANCE_TRIGGERS:
        env.cr.execute(
            SQL(
                "DROP TRIGGER IF EXISTS %s ON account_move_line",
                SQL.identifier(trigger),
            )
        )
    env.cr.execute(
        SQL("DROP FUNCTION IF EXISTS %s()", SQL.identifier(BALANCE_FUNCTION))
    )
    env.cr.execute(SQL("DROP TABLE IF EXISTS %s", SQL.identifier(BALANCE_TABLE)))
