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


def pre_init_hook(env):
    mark_customers_unclassified(env.cr)


def post_init_hook(env):
    load_chinese(env)
    credit_checks_on(env)


def mark_customers_unclassified(cr, partner_ids=None):
    """The customers who bought before the add-on was installed are "not
    classified yet": with the credit checks on, a customer without a credit
    mode buys cash before goods (seed 004 1.4.1), which would block every
    open delivery of an existing customer at once. Their orders and
    deliveries are not checked, and say so, until the credit manager gives
    them a mode in the credit onboarding. A customer is a commercial partner
    with a sale order or a posted customer invoice or refund.

    Run before the ORM makes the column: it adds it and marks them, and the
    ORM gives every other partner the field's default, cash before goods.
    ``partner_ids`` limits it to these partners (tests)."""
    cr.execute(
        SQL("ALTER TABLE res_partner ADD COLUMN IF NOT EXISTS care_credit_mode varchar")
    )
    cr.execute(
        SQL(
            """
            UPDATE res_partner p SET care_credit_mode = 'unclassified'
             WHERE p.id = p.commercial_partner_id
               AND COALESCE(p.care_credit_mode, 'none') = 'none'
               AND (%(all)s OR p.id = ANY(%(ids)s))
               AND (EXISTS (SELECT 1 FROM sale_order o
                              JOIN res_partner c ON c.id = o.partner_id
                             WHERE c.commercial_partner_id = p.id
                               AND o.state != 'cancel')
                    OR EXISTS (SELECT 1 FROM account_move m
                                WHERE m.commercial_partner_id = p.id
                                  AND m.state = 'posted'
                                  AND m.move_type IN ('out_invoice', 'out_refund')))
            """,
            all=partner_ids is None,
            ids=list(partner_ids or []),
        )
    )
    return cr.rowcount


def credit_checks_on(env):
    """The credit checks are on out of the box (Odoo's "Sales Credit Limit"),
    for every company; new companies get them by the field's default. The
    settings switch them off."""
    companies = env["res.company"].with_context(active_test=False).search([])
    companies.write({"account_use_credit_limit": True})


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


def reload_templates(env, filename, templates):
    """Load again the ``noupdate`` templates of ``filename`` (an upgrade
    that changes their text) and keep only the English of the fields
    ``templates`` lists as (table, column, xml id): Odoo loads the
    translations of the new text right after the migration scripts."""
    from openupgradelib import openupgrade

    openupgrade.load_data(env, "customer_care", filename)
    for table, column, xmlid in templates:
        record = env.ref(xmlid, raise_if_not_found=False)
        if not record:
            continue
        query = SQL(
            "UPDATE %(table)s SET %(column)s = "
            "jsonb_build_object('en_US', %(column)s->'en_US') WHERE id = %(id)s",
            table=SQL.identifier(table),
            column=SQL.identifier(column),
            id=record.id,
        )
        openupgrade.logged_query(env.cr, query.code, query.params)
    env.invalidate_all()
