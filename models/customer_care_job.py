# Copyright 2026 customer_care contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What makes the scheduled jobs safe when two runs overlap: the cron in a
cron worker while someone presses "Run manually" in an HTTP worker, or two
Odoo nodes on one database. Odoo's cron lock only keeps one cron worker from
taking the same job twice; these rules hold in PostgreSQL itself.

- :meth:`_care_claim`: a job done once per period (a monthly or weekly
  mail) claims its key in a table with a UNIQUE key. The second run waits
  on the first one's row and then finds it claimed (or, when the first one
  rolled back, claims it itself).
- :meth:`_care_claim_rows`: a job that acts once per record (an escalation
  per missed deadline) sets the record's flag with a compare-and-set
  ``UPDATE … WHERE NOT flag RETURNING id`` and acts only on the rows it
  got. Rows another run holds make it wait, then (Odoo's transactions are
  REPEATABLE READ) fail with a serialization error: it rolls back, having
  done nothing twice.
- Generated rows (a callback per customer, cadence and day) have a partial
  UNIQUE index of their own and are inserted ``ON CONFLICT DO NOTHING``.
- A counter read then written (wrong pickup codes) is read ``FOR UPDATE``.
"""

from odoo import api, fields, models
from odoo.tools import SQL


class CustomerCareJobRun(models.Model):
    _name = "customer.care.job.run"
    _description = "Customer Care Job Run"
    _order = "id desc"
    _log_access = False

    key = fields.Char(required=True, readonly=True)
    company_id = fields.Many2one("res.company", readonly=True, ondelete="cascade")
    done_at = fields.Datetime(readonly=True)

    _sql_constraints = [
        ("key_unique", "unique(key)", "A job of one period runs once."),
    ]

    @api.model
    def _care_claim(self, key, company=None):
        """Claim ``key`` (e.g. ``"complaint_weekly 2026-W47 company:1"``):
        True when this transaction got it, False when another run did."""
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO customer_care_job_run (key, company_id, done_at)
                VALUES (%(key)s, %(company)s, %(now)s)
                ON CONFLICT (key) DO NOTHING
                RETURNING id
                """,
                key=key,
                company=company.id if company else None,
                now=self.env.cr.now(),
            )
        )
        return bool(self.env.cr.fetchone())

    @api.model
    def _care_claim_rows(self, records, flag):
        """Set the boolean column ``flag`` of those of ``records`` on which
        it is not set yet, and return them: the ones this run acts on."""
        if not records:
            return records
        records.flush_recordset([flag])
        self.env.cr.execute(
            SQL(
                """
                UPDATE %(table)s SET %(flag)s = TRUE
                 WHERE id = ANY(%(ids)s) AND %(flag)s IS NOT TRUE
                RETURNING id
                """,
                table=SQL.identifier(records._table),
                flag=SQL.identifier(flag),
                ids=records.ids,
            )
        )
        claimed = records.browse(sorted(row[0] for row in self.env.cr.fetchall()))
        records.invalidate_recordset([flag])
        return claimed.with_env(records.env)

    @api.model
    def _care_lock_rows(self, records, skip_locked=False):
        """Lock the rows of ``records`` until the end of the transaction
        (``FOR UPDATE``) and return them. With ``skip_locked``, the rows
        another run holds are left out: a job takes what nobody else is
        doing. The cache of ``records`` is dropped, so that the values read
        next are the locked rows'."""
        if not records:
            return records
        records.flush_recordset()
        self.env.cr.execute(
            SQL(
                "SELECT id FROM %(table)s WHERE id = ANY(%(ids)s) ORDER BY id "
                "FOR UPDATE %(skip)s",
                table=SQL.identifier(records._table),
                ids=records.ids,
                skip=SQL("SKIP LOCKED" if skip_locked else ""),
            )
        )
        locked = {row[0] for row in self.env.cr.fetchall()}
        records.invalidate_recordset()
        return records.filtered(lambda record: record.id in locked)
