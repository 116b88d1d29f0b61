# Copyright 2026 customer_care contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""18.0.1.1.0: the pickup code, the link's token and the collector's ID
number are no longer kept in clear (issue 12).

- Vouchers: keyed hashes of the code and of the token, so that a notice
  already sent keeps working at the desk and on the portal; then the clear
  columns are dropped (Odoo would drop them later, this drops them now).
- Pickups: the ID number masked but for its last 4 characters, and its keyed
  hash.
- The notice templates (``noupdate``) read the code and the link from the
  server while it renders them: they are loaded again, and their old
  translations removed for Odoo to load those of the new text right after
  this script."""

from openupgradelib import openupgrade

from odoo.tools import SQL

from odoo.addons.customer_care.hooks import reload_templates
from odoo.addons.customer_care.models.customer_care_pickup import (
    is_masked_id_number,
)

VOUCHER = "customer_care_pickup_voucher"
PICKUP = "customer_care_pickup"
TEMPLATES = (
    ("mail_template", "body_html", "customer_care.mail_template_pickup_notice"),
    ("sms_template", "body", "customer_care.sms_template_pickup_notice"),
)


def hash_vouchers(env):
    cr = env.cr
    columns = ("code", "access_token")
    present = [c for c in columns if openupgrade.column_exists(cr, VOUCHER, c)]
    if not present:
        return
    cr.execute(
        SQL(
            "SELECT id, %s, %s FROM %s",
            *(SQL.identifier(c) if c in present else SQL("NULL") for c in columns),
            SQL.identifier(VOUCHER),
        )
    )
    Voucher = env["customer.care.pickup.voucher"]
    rows = [
        (
            voucher_id,
            code and Voucher._care_code_hash(code),
            token and Voucher._care_token_hash(token),
        )
        for voucher_id, code, token in cr.fetchall()
        if code or token
    ]
    if rows:
        query = SQL(
            """
            UPDATE %s v
               SET code_hash = COALESCE(u.code_hash, v.code_hash),
                   token_hash = COALESCE(u.token_hash, v.token_hash)
              FROM unnest(%s::int[], %s::varchar[], %s::varchar[])
                AS u(id, code_hash, token_hash)
             WHERE v.id = u.id
            """,
            SQL.identifier(VOUCHER),
            [row[0] for row in rows],
            [row[1] for row in rows],
            [row[2] for row in rows],
        )
        openupgrade.logged_query(cr, query.code, query.params)
    query = SQL(
        "ALTER TABLE %s DROP COLUMN IF EXISTS code, DROP COLUMN IF EXISTS access_token",
        SQL.identifier(VOUCHER),
    )
    openupgrade.logged_query(cr, query.code, query.params)


def mask_collectors(env):
    cr = env.cr
    cr.execute(
        SQL(
            "SELECT id, collector_id_number FROM %s "
            "WHERE collector_id_number IS NOT NULL AND collector_id_number != ''",
            SQL.identifier(PICKUP),
        )
    )
    Pickup = env["customer.care.pickup"]
    rows = [
        (pickup_id, Pickup._care_collector_id_vals(number))
        for pickup_id, number in cr.fetchall()
        if not is_masked_id_number(number)
    ]
    if not rows:
        return
    query = SQL(
        """
        UPDATE %s p
           SET collector_id_number = u.number, collector_id_hash = u.hash
          FROM unnest(%s::int[], %s::varchar[], %s::varchar[])
            AS u(id, number, hash)
         WHERE p.id = u.id
        """,
        SQL.identifier(PICKUP),
        [pickup_id for pickup_id, _vals in rows],
        [vals["collector_id_number"] for _id, vals in rows],
        [vals["collector_id_hash"] for _id, vals in rows],
    )
    openupgrade.logged_query(cr, query.code, query.params)


def reload_notice_templates(env):
    reload_templates(env, "data/customer_care_pickup_template_data.xml", TEMPLATES)


@openupgrade.migrate()
def migrate(env, version):
    hash_vouchers(env)
    mask_collectors(env)
    reload_notice_templates(env)
