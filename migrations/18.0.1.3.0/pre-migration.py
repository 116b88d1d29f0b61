# Copyright 2026 customer_care contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""18.0.1.3.0: the database itself keeps the scheduled jobs from doing a
thing twice (models/customer_care_job.py): one generated callback per
customer, cadence and day, one valid voucher per pickup, each a partial
UNIQUE index that the add-on creates when it loads. A database that two
overlapping runs gave duplicates already would refuse those indexes, so
they are resolved first, without deleting anything:

- of the generated callbacks of one customer, cadence and day, the first
  stays generated; the later ones keep everything (their state, scores,
  issues, activities, chatter) but are no longer counted as the cadence's
  (``cadence_id`` emptied), so they are outside the index;
- of the valid vouchers of one pickup, the newest stays valid (it is the one
  the last notice sent); the older ones are voided, as a new notice voids
  them."""

from openupgradelib import openupgrade


def resolve_duplicate_callbacks(cr):
    if not openupgrade.column_exists(cr, "customer_care_callback", "cadence_id"):
        return
    openupgrade.logged_query(
        cr,
        """
        UPDATE customer_care_callback cb
           SET cadence_id = NULL
          FROM (SELECT id, row_number() OVER (
                           PARTITION BY partner_id, cadence_id, date ORDER BY id
                       ) AS rank
                  FROM customer_care_callback
                 WHERE cadence_id IS NOT NULL AND state <> 'cancelled') dup
         WHERE cb.id = dup.id AND dup.rank > 1
        """,
    )


def resolve_duplicate_vouchers(cr):
    if not openupgrade.table_exists(cr, "customer_care_pickup_voucher"):
        return
    openupgrade.logged_query(
        cr,
        """
        UPDATE customer_care_pickup_voucher v
           SET state = 'voided',
               voided_at = COALESCE(v.voided_at, now() AT TIME ZONE 'UTC')
          FROM (SELECT id, row_number() OVER (
                           PARTITION BY pickup_id
                               ORDER BY sent_at DESC NULLS LAST, id DESC
                       ) AS rank
                  FROM customer_care_pickup_voucher
                 WHERE state = 'active') dup
         WHERE v.id = dup.id AND dup.rank > 1
        """,
    )


@openupgrade.migrate()
def migrate(env, version):
    resolve_duplicate_callbacks(env.cr)
    resolve_duplicate_vouchers(env.cr)
