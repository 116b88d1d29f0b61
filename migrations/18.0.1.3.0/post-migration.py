# Copyright 2026 customer_care contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""18.0.1.3.0: a callback keeps the day it was marked done (``care_done_date``,
``care_done_late``), which the staff evaluations count. The callbacks done
before this version get them from their chatter: the day (in the company's
time zone) of the tracking message that set them done, else the day they
were last written; a callback done after its planned day, or flagged
overdue first, was done late. The stored flags computed from them when the
columns were added (on time, same day) are set again from these values."""

from openupgradelib import openupgrade


def fill_done_dates(cr):
    openupgrade.logged_query(
        cr,
        """
        WITH done AS (
            SELECT cb.id,
                   (COALESCE(
                       (SELECT min(m.date)
                          FROM mail_message m
                          JOIN mail_tracking_value v ON v.mail_message_id = m.id
                          JOIN ir_model_fields f ON f.id = v.field_id
                         WHERE m.model = 'customer.care.callback'
                           AND m.res_id = cb.id
                           AND f.model = 'customer.care.callback'
                           AND f.name = 'state'
                           AND v.new_value_char IN ('Done', '已完成')),
                       cb.write_date) AT TIME ZONE 'UTC'
                       AT TIME ZONE COALESCE(rc.tz, p.tz, 'UTC'))::date AS day
              FROM customer_care_callback cb
              JOIN res_company c ON c.id = cb.company_id
              JOIN res_partner p ON p.id = c.partner_id
              LEFT JOIN resource_calendar rc ON rc.id = c.resource_calendar_id
             WHERE cb.state = 'done' AND cb.care_done_date IS NULL
        )
        UPDATE customer_care_callback cb
           SET care_done_date = done.day,
               care_done_late = done.day > cb.date OR COALESCE(cb.is_overdue, FALSE)
          FROM done
         WHERE done.id = cb.id
        """,
    )
    openupgrade.logged_query(
        cr,
        """
        UPDATE customer_care_callback
           SET care_done_on_time = state = 'done' AND care_done_date IS NOT NULL
                   AND NOT COALESCE(care_done_late, FALSE),
               care_done_same_day = state = 'done' AND care_done_date IS NOT NULL
                   AND NOT COALESCE(care_done_late, FALSE) AND care_done_date = date
         WHERE state = 'done'
        """,
    )


@openupgrade.migrate()
def migrate(env, version):
    fill_done_dates(env.cr)
