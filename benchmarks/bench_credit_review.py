#!/usr/bin/env python3
# Copyright 2026 customer_care contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Benchmark: the half-yearly credit risk review (seed 003 风险评估每半年一次):
the scheduled action that opens a review for every customer with credit or
exposure, with the figures of its rating window.

    python3 tools/care.py bench --customers 50000 bench_credit_review [ARGS]

or, on a database where customer_care is installed without demo data:

    python3 benchmarks/bench_credit_review.py --config odoo.conf \\
        --database DB [--customers 50000] [--batch 1000] [--today 2026-12-03]

Steps (every one prints its figures):

1. Data, by set-based SQL copies of rows made through the ORM (a customer,
   an invoice paid by a payment, an order, a complaint):

   - ``--customers`` customers with a rolling limit (written by SQL, so
     without the complete credit file that ``_check_care_credit_mode``
     asks when credit is given through the ORM), one in three rated
     already; one in 16 has a contact person;
   - ``--customers`` / 10 cash customers (no credit): a third with an open
     overdue invoice and a third with a confirmed order not invoiced (both
     reviewed, for their exposure), a third with a paid invoice only (not
     reviewed: its kept balance is 0);
   - 8 in 10 rolling customers have posted invoices (receivable and income
     line): three due in the rating window, paid from 10 days early to 29
     days late by a payment entry (its receivable line reconciled with the
     invoice's: a partial and a full reconcile), the most recent one left
     open and overdue for one customer in 5; one in two also has an open
     invoice not due yet, one in ten an invoice of last year (4,000 to
     4,900) still open, more than it paid this year;
   - 1 in 20 rolling customers has a confirmed order with an approved
     over-limit request in the window (collected late for half of them),
     another 1 in 20 one approved before the window, 1 in 40 a refused one;
   - 1 in 8 has two complaints in the window (the first one from its
     contact person when it has one) and 1 in 16 one before it; 1 in 8
     another ticket that is not a complaint;
   - half of those with last year's invoice open have a bad debt written
     off on it, half of them in the window, half before it.

   The lines are inserted with the balance triggers of ``account_move_line``
   disabled; the kept balances (``customer_care_credit_balance``) are then
   written by one ``INSERT … SELECT`` and checked against a recount. The
   templates are archived, so that exactly the customers above are due.
2. ``customer.care.credit.review._cron_care_credit_review(today)``, the
   method of the scheduled action, committed after it as the cron's job:
   wall time, queries, reviews opened, queries per 1000 customers and per
   batch, and their split between ``_care_review_candidates``,
   ``_care_risk_figures`` (and in it ``_care_credit_figures_many`` and
   ``_care_credit_last_year_open``) and the rest (the ``create`` of the
   reviews, the notification); the SQL by statement, the peak RSS.
3. The same again: it must open nothing (idempotent), with its time.
4. Checks against the data generated (exit 1 when one fails): one review
   per eligible customer and none for another partner; the sums of the
   over-limit requests, of those collected late, of the complaints and of
   the bad debts of the window, the customers late (with the sum of their
   longest delays) and those whose last year is not cleared, as generated;
   the kept balances equal to a recount.

``--today`` reviews another day than the company's today (the data are
dated from it).

A measurement, not a test: no figure fails it. It writes into the database
it is given: use a throw-away one.
"""

import argparse
import collections
import os
import sys
import time
import traceback
from datetime import date, timedelta

from bench_credit_check import (
    SqlTime,
    bootstrap,
    commit,
    ensure_chart,
    environment,
    insert_copies,
    load,
    new_ids,
    query_hook,
    reset_peak_rss,
    rss_mb,
)
from common import insert_select, parse_args

SMOKE = {"customers": 200, "batch": 50}
BALANCE_TABLE = "customer_care_credit_balance"
TRIGGERS = (
    "customer_care_credit_balance_insert_delete",
    "customer_care_credit_balance_update",
)
REVIEW = "customer.care.credit.review"


def out(text=""):
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def parse(argv):
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--config", required=True, help="the Odoo configuration file")
    parser.add_argument("--database", required=True)
    parser.add_argument(
        "--customers",
        type=int,
        default=50000,
        help="customers with a rolling limit (and a tenth as many cash customers)",
    )
    parser.add_argument(
        "--batch",
        type=int,
        default=0,
        help="customers per batch (default: the company's care_risk_batch_size)",
    )
    parser.add_argument(
        "--today",
        type=date.fromisoformat,
        help="the day of the review (default: the company's today)",
    )
    return parse_args(parser, argv, SMOKE)


class Split:
    """Calls, time and queries spent inside some methods while instrumented
    (``names`` maps a model class to the names of its methods)."""

    def __init__(self, names):
        self.names = {
            cls: [n for n in ns if hasattr(cls, n)] for cls, ns in names.items()
        }
        self.calls = collections.Counter()
        self.seconds = collections.Counter()
        self.queries = collections.Counter()

    def __enter__(self):
        for model_class, names in self.names.items():
            for name in names:
                self._wrap(model_class, name, getattr(model_class, name))
        return self

    def _wrap(self, model_class, name, method):
        split = self

        def measured(records, *args, **kwargs):
            cr = records.env.cr
            queries, start = cr.sql_log_count, time.perf_counter()
            try:
                return method(records, *args, **kwargs)
            finally:
                split.calls[name] += 1
                split.seconds[name] += time.perf_counter() - start
                split.queries[name] += cr.sql_log_count - queries

        measured.__name__ = name
        setattr(model_class, name, measured)

    def __exit__(self, *exc):
        for model_class, names in self.names.items():
            for name in names:
                delattr(model_class, name)


# ---------------------------------------------------------------------------
# 1. Data
# ---------------------------------------------------------------------------


def set_triggers(cr, enabled):
    from odoo.tools import SQL

    verb = SQL("ENABLE") if enabled else SQL("DISABLE")
    for name in TRIGGERS:
        cr.execute(
            SQL(
                "ALTER TABLE account_move_line %s TRIGGER %s",
                verb,
                SQL.identifier(name),
            )
        )


def analyze(cr, *tables):
    from odoo.tools import SQL

    for table in tables:
        cr.execute(SQL("ANALYZE %s", SQL.identifier(table)))


def templates(env, today):
    """The rows that the SQL copies: a customer, an invoice paid by a
    payment (posted, reconciled), a draft order and a complaint."""
    from odoo import Command

    company = env.company
    product = env["product.product"].create(
        {
            "name": "Bench Review Product",
            "type": "service",
            "list_price": 100.0,
            "invoice_policy": "order",
            "taxes_id": [Command.clear()],
        }
    )
    partner = env["res.partner"].create(
        {"name": "Bench Review Template", "is_company": True, "customer_rank": 1}
    )
    invoice = (
        env["account.move"]
        .with_context(bypass_risk=True)
        .create(
            {
                "move_type": "out_invoice",
                "partner_id": partner.id,
                "invoice_date": today - timedelta(days=60),
                "invoice_line_ids": [
                    Command.create(
                        {
                            "product_id": product.id,
                            "quantity": 1,
                            "price_unit": 100.0,
                            "tax_ids": [Command.clear()],
                        }
                    )
                ],
            }
        )
    )
    invoice.action_post()
    payment = (
        env["account.payment.register"]
        .with_context(active_model="account.move", active_ids=invoice.ids)
        .create({"payment_date": today - timedelta(days=20)})
        ._create_payments()
    )
    if not payment.move_id or invoice.payment_state not in ("paid", "in_payment"):
        raise RuntimeError(
            "the template payment has no journal entry reconciled with the "
            f"invoice (payment state {invoice.payment_state}): the chart of "
            "accounts has no outstanding receipts account?"
        )
    order = env["sale.order"].create(
        {
            "partner_id": partner.id,
            "order_line": [
                Command.create(
                    {
                        "product_id": product.id,
                        "product_uom_qty": 1,
                        "price_unit": 100.0,
                        "tax_id": [Command.clear()],
                    }
                )
            ],
        }
    )
    ticket = env["helpdesk.ticket"].create(
        {
            "name": "评估 投诉模板",
            "description": "<p>评估 投诉模板</p>",
            "partner_id": partner.id,
            "care_is_complaint": True,
            "team_id": env.ref("customer_care.team_complaint").id,
            "care_category": "product_quality",
        }
    )
    env.flush_all()
    receivable = invoice.line_ids.filtered(
        lambda line: line.account_id.account_type == "asset_receivable"
    )
    partial = receivable.matched_credit_ids
    paid = payment.move_id.line_ids
    return {
        "company": company,
        "partner": partner,
        "invoice": invoice,
        "receivable": receivable,
        "income": invoice.line_ids.filtered(
            lambda line: line.display_type == "product"
        ),
        "payment_move": payment.move_id,
        "payment_receivable": paid.filtered(
            lambda line: line.account_id.account_type == "asset_receivable"
        ),
        "payment_liquidity": paid.filtered(
            lambda line: line.account_id.account_type != "asset_receivable"
        ),
        "partial": partial,
        "full": receivable.full_reconcile_id,
        "order": order,
        "ticket": ticket,
    }


def populate(registry, opts):
    """The customers and their history (see the docstring). Returns the
    facts the checks compare with."""
    from dateutil.relativedelta import relativedelta

    from odoo.tools import SQL

    with registry.cursor() as cr:
        env = environment(cr)
        start = time.perf_counter()
        company = env.company
        chart = ensure_chart(env, company)
        if opts.batch:
            company.care_risk_batch_size = opts.batch
        today = opts.today or company._care_today()
        window = today - relativedelta(months=company.care_risk_window_months or 6)
        tpl = templates(env, today)
        ratings = env["customer.care.credit.rating"].search([], order="sequence, id")
        # Plan each foreign-key check of the copies: a plan cached by this
        # connection while a table was small would scan it for every row
        # (see bench_callback_generation in README.md).
        cr.execute("SET LOCAL plan_cache_mode = force_custom_plan")
        rolling, cash = opts.customers, max(opts.customers // 10, 3)
        params = {
            "today": today,
            "window": window,
            "rolling": rolling,
            "last_december": date(today.year - 1, 12, 1),
        }

        # customers: g <= rolling have a rolling limit, the others are cash
        new_ids(cr, "review_customers", "res_partner", rolling + cash)
        cr.execute(
            "ALTER TABLE review_customers ADD COLUMN cash boolean,"
            " ADD COLUMN name varchar;"
            " UPDATE review_customers SET cash = g > %(rolling)s,"
            " name = CASE WHEN g > %(rolling)s THEN 'Bench Cash Customer '"
            " || lpad((g - %(rolling)s)::text, 6, '0') ELSE 'Bench Review Customer '"
            " || lpad(g::text, 6, '0') END",
            params,
        )
        partners = insert_copies(
            cr,
            "res_partner",
            SQL(
                "FROM review_customers n JOIN res_partner t ON t.id = %s",
                tpl["partner"].id,
            ),
            {
                "id": SQL("n.id"),
                "commercial_partner_id": SQL("n.id"),
                "name": SQL("n.name"),
                "complete_name": SQL("n.name"),
                "commercial_company_name": SQL("n.name"),
                "email": SQL("'review' || n.g || '@example.com'"),
                "care_credit_mode": SQL(
                    "CASE WHEN n.cash THEN t.care_credit_mode ELSE 'rolling' END"
                ),
                "care_credit_rolling_amount": SQL(
                    "CASE WHEN NOT n.cash THEN 2000 + mod(n.g * 37, 8000) END"
                ),
                "care_credit_rolling_date": SQL(
                    "CASE WHEN NOT n.cash THEN %s::date END", today
                ),
                "care_credit_rating_id": SQL(
                    "CASE WHEN NOT n.cash AND mod(n.g, 3) = 0"
                    " THEN (%s::int[])[1 + mod(n.g / 3, %s)] END",
                    ratings[:3].ids or [None],
                    max(len(ratings[:3]), 1),
                ),
                "care_credit_rating_date": SQL(
                    "CASE WHEN NOT n.cash AND mod(n.g, 3) = 0"
                    " THEN %s::date - 180 END",
                    today,
                ),
            },
        )
        # a contact person for one rolling customer in 16
        cr.execute(
            "CREATE TEMP TABLE review_contacts AS"
            " SELECT c.g, c.id AS parent, c.name AS parent_name,"
            "        nextval('res_partner_id_seq') AS id"
            " FROM review_customers c WHERE NOT c.cash AND mod(c.g, 16) = 0"
        )
        contact = SQL("'联系人 ' || n.g")
        partners += insert_copies(
            cr,
            "res_partner",
            SQL(
                "FROM review_contacts n JOIN res_partner t ON t.id = %s",
                tpl["partner"].id,
            ),
            {
                "id": SQL("n.id"),
                "parent_id": SQL("n.parent"),
                "commercial_partner_id": SQL("n.parent"),
                "is_company": SQL("false"),
                "type": SQL("'contact'"),
                "name": contact,
                "complete_name": SQL("n.parent_name || ', ' || %s", contact),
                "commercial_company_name": SQL("n.parent_name"),
                "email": SQL("'contact' || n.g || '@example.com'"),
            },
        )

        # invoices: k 0-2 due in the window (k 0 the most recent), k 3 not due
        # yet, k 4 of last year
        cr.execute(
            """
            CREATE TEMP TABLE review_invoices AS
            SELECT row_number() OVER (ORDER BY x.g, x.k) AS i, x.*,
                   x.day + 30 AS due,
                   nextval('account_move_id_seq') AS move_id,
                   nextval('account_move_line_id_seq') AS line_id
              FROM (
                SELECT c.g, c.id AS partner, c.name, c.cash, k.k, d.day,
                       (CASE WHEN k.k = 4 THEN 4000 ELSE 100 END
                        + mod(c.g * 37 + k.k * 11, 900))::numeric AS amount,
                       CASE WHEN k.k IN (3, 4)
                                 OR (k.k = 0 AND (c.cash OR mod(c.g, 5) = 0))
                            THEN NULL
                            ELSE LEAST(d.day + 20 + mod(c.g * 11 + k.k * 3, 40),
                                       %(today)s::date - 1) END AS paid_on
                  FROM review_customers c
                 CROSS JOIN (VALUES (0), (1), (2), (3), (4)) k(k)
                 CROSS JOIN LATERAL (
                    SELECT CASE k.k
                           WHEN 0 THEN %(today)s::date - 30 - mod(c.g * 7, 50)
                           WHEN 1 THEN %(today)s::date - 90 - mod(c.g * 13, 50)
                           WHEN 2 THEN %(today)s::date - 150 - mod(c.g * 17, 30)
                           WHEN 3 THEN %(today)s::date - mod(c.g, 25)
                           ELSE %(last_december)s::date + mod(c.g, 28)
                           END AS day) d
                 WHERE CASE WHEN NOT c.cash
                            THEN mod(c.g, 10) < 8
                                 AND (k.k < 3 OR (k.k = 3 AND mod(c.g, 2) = 0)
                                      OR (k.k = 4 AND mod(c.g, 10) = 3))
                            ELSE (mod(c.g - %(rolling)s, 3) = 0 AND k.k = 0)
                                 OR (mod(c.g - %(rolling)s, 3) = 2 AND k.k = 1)
                            END
              ) x;
            ALTER TABLE review_invoices ADD COLUMN pay_move_id integer,
                ADD COLUMN pay_line_id integer, ADD COLUMN full_id integer;
            UPDATE review_invoices
               SET pay_move_id = nextval('account_move_id_seq'),
                   pay_line_id = nextval('account_move_line_id_seq'),
                   full_id = nextval('account_full_reconcile_id_seq')
             WHERE paid_on IS NOT NULL;
            """,
            params,
        )
        invoices = write_ledger(cr, tpl, params)

        # confirmed orders: o 0 with a request approved in the window (collected
        # late for one in two), 1 approved before the window, 2 refused in the
        # window; 3 the cash customers' orders, without a request
        cr.execute(
            """
            CREATE TEMP TABLE review_orders AS
            SELECT row_number() OVER (ORDER BY x.g, x.o) AS i, x.*,
                   nextval('sale_order_id_seq') AS id
              FROM (
                SELECT c.g, c.id AS partner, o.o,
                       (500 + mod(c.g * 13, 2000))::numeric AS amount,
                       CASE o.o WHEN 1 THEN %(window)s::date - 30 - mod(c.g, 60)
                                WHEN 3 THEN %(today)s::date - mod(c.g, 20)
                                ELSE %(today)s::date - 1 - mod(c.g * 7, 150)
                       END::timestamp + interval '9 hours' AS decided
                  FROM review_customers c
                 CROSS JOIN (VALUES (0), (1), (2), (3)) o(o)
                 WHERE CASE WHEN c.cash
                            THEN o.o = 3 AND mod(c.g - %(rolling)s, 3) = 1
                            ELSE (o.o = 0 AND mod(c.g, 20) = 0)
                                 OR (o.o = 1 AND mod(c.g, 20) = 10)
                                 OR (o.o = 2 AND mod(c.g, 40) = 5) END
              ) x
            """,
            params,
        )
        orders, requests = write_orders(env, tpl, params)

        # tickets: t 0 and 1 complaints in the window (t 0 from the contact
        # person), t 2 a complaint before it, t 3 a ticket not a complaint
        cr.execute(
            """
            CREATE TEMP TABLE review_tickets AS
            SELECT row_number() OVER (ORDER BY c.g, t.t) AS i, c.g,
                   c.id AS customer, COALESCE(p.id, c.id) AS partner, t.t,
                   t.t < 3 AS complaint,
                   CASE WHEN t.t = 2
                        THEN %(window)s::date - 10 - mod(c.g, 100)
                        ELSE %(today)s::date - 1 - mod(c.g * 3 + t.t * 50, 170)
                   END::timestamp + interval '10 hours' AS at
              FROM review_customers c
             CROSS JOIN (VALUES (0), (1), (2), (3)) t(t)
              LEFT JOIN review_contacts p ON p.parent = c.id AND t.t = 0
             WHERE NOT c.cash
               AND ((t.t < 2 AND mod(c.g, 8) = 0)
                    OR (t.t = 2 AND mod(c.g, 16) = 0)
                    OR (t.t = 3 AND mod(c.g, 8) = 4))
            """,
            params,
        )
        tickets = insert_copies(
            cr,
            "helpdesk_ticket",
            SQL(
                "FROM review_tickets n JOIN res_partner p ON p.id = n.partner"
                " JOIN helpdesk_ticket t ON t.id = %s",
                tpl["ticket"].id,
            ),
            {
                "partner_id": SQL("n.partner"),
                "commercial_partner_id": SQL("n.customer"),
                "partner_name": SQL("p.name"),
                "partner_email": SQL("p.email"),
                "number": SQL("'RT' || lpad(n.i::text, 7, '0')"),
                "name": SQL("'评估工单 ' || n.i"),
                "care_is_complaint": SQL("n.complaint"),
                "care_received_at": SQL("CASE WHEN n.complaint THEN n.at END"),
                "create_date": SQL("n.at"),
                "write_date": SQL("n.at"),
            },
        )

        # bad debts on last year's open invoices
        cr.execute(
            """
            CREATE TEMP TABLE review_bad_debts AS
            SELECT v.move_id, v.partner, v.name, v.g, v.amount / 2 AS amount,
                   CASE WHEN mod(v.g, 40) = 13
                        THEN %(window)s::date - 20 - mod(v.g, 30)
                        ELSE %(today)s::date - 1 - mod(v.g, 100) END AS day
              FROM review_invoices v
             WHERE v.k = 4 AND mod(v.g, 20) = 13
            """,
            params,
        )
        cr.execute(
            insert_select(
                env,
                "customer.care.credit.bad.debt",
                [
                    "name",
                    "invoice_id",
                    "partner_id",
                    "company_id",
                    "date",
                    "amount",
                    "reason",
                    "state",
                    "case",
                    "create_uid",
                    "create_date",
                    "write_uid",
                    "write_date",
                ],
                SQL(
                    """
                    SELECT m.name || ' ' || b.name, b.move_id, b.partner,
                           %(company)s, b.day, b.amount, '客户破产，无法收回',
                           'posted', 'within', %(uid)s, b.day::timestamp,
                           %(uid)s, b.day::timestamp
                      FROM review_bad_debts b
                      JOIN account_move m ON m.id = b.move_id
                    """,
                    company=company.id,
                    uid=env.uid,
                ),
            )
        )
        bad_debts = cr.rowcount

        # the customers, for the checks (in other connections)
        cr.execute(
            "DROP TABLE IF EXISTS bench_review_customers;"
            " CREATE UNLOGGED TABLE bench_review_customers AS"
            " SELECT g, id, cash FROM review_customers"
        )
        # the templates are not reviewed: archived
        cr.execute(
            "UPDATE res_partner SET active = false WHERE id = %s", [tpl["partner"].id]
        )
        for table in (
            "res_partner",
            "account_move",
            "account_move_line",
            "account_partial_reconcile",
            "account_full_reconcile",
            BALANCE_TABLE,
            "sale_order",
            "sale_order_line",
            "customer_care_credit_request",
            "customer_care_credit_bad_debt",
            "helpdesk_ticket",
        ):
            cr.execute(SQL("ANALYZE %s", SQL.identifier(table)))
        facts = expected(cr, params, rolling, cash)
        facts.update(
            company=company.id,
            today=today,
            window=window,
            rolling=rolling,
            cash=cash,
            partners=partners,
            orders=orders,
            requests=requests,
            tickets=tickets,
            bad_debts=bad_debts,
            chart=chart,
            batch=company.care_risk_batch_size or 1000,
            **invoices,
        )
        commit(cr)
        facts["seconds"] = time.perf_counter() - start
    return facts


def write_ledger(cr, tpl, params):
    """The invoices of ``review_invoices``, their payments and reconciles,
    and the kept balances. Returns the counts."""
    from odoo.tools import SQL

    counts = {}
    start = time.perf_counter()
    set_triggers(cr, False)
    # Here plans cached by the connection are cheaper than a plan per row
    # (force_custom_plan): account_move has 27 foreign keys, planned at each
    # row 3 to 4 times slower. ANALYZE first, so that no cached plan of the
    # foreign-key checks is one of a table still small (ANALYZE invalidates
    # them).
    analyze(cr, "res_partner", "account_full_reconcile")
    cr.execute("SET LOCAL plan_cache_mode = auto")
    paid = SQL("n.paid_on IS NOT NULL")

    def scaled(*names):
        # the template's amounts are for 100
        return {
            name: SQL("t.%s * n.amount / 100", SQL.identifier(name)) for name in names
        }

    amount = SQL("n.amount")
    residual = SQL("CASE WHEN n.paid_on IS NULL THEN n.amount ELSE 0 END")
    insert_copies(
        cr,
        "account_full_reconcile",
        SQL(
            "FROM review_invoices n JOIN account_full_reconcile t ON t.id = %s"
            " WHERE n.paid_on IS NOT NULL",
            tpl["full"].id,
        ),
        {"id": SQL("n.full_id"), "exchange_move_id": SQL("NULL")},
    )
    name = SQL("'RV/' || lpad(n.i::text, 7, '0')")
    counts["invoices"] = insert_copies(
        cr,
        "account_move",
        SQL(
            "FROM review_invoices n JOIN account_move t ON t.id = %s", tpl["invoice"].id
        ),
        {
            "id": SQL("n.move_id"),
            "name": name,
            "payment_reference": name,
            "sequence_prefix": SQL("'RV/'"),
            "sequence_number": SQL("n.i"),
            "date": SQL("n.day"),
            "invoice_date": SQL("n.day"),
            "invoice_date_due": SQL("n.due"),
            "partner_id": SQL("n.partner"),
            "commercial_partner_id": SQL("n.partner"),
            "partner_shipping_id": SQL("n.partner"),
            "invoice_partner_display_name": SQL("n.name"),
            "amount_untaxed": amount,
            "amount_total": amount,
            "amount_residual": residual,
            "amount_untaxed_signed": amount,
            "amount_untaxed_in_currency_signed": amount,
            "amount_total_signed": amount,
            "amount_total_in_currency_signed": amount,
            "amount_residual_signed": residual,
            "payment_state": SQL("CASE WHEN %s THEN 'paid' ELSE 'not_paid' END", paid),
            "create_date": SQL("n.day::timestamp"),
            "write_date": SQL("COALESCE(n.paid_on, n.day)::timestamp"),
        },
    )
    analyze(cr, "account_move")
    lines = {
        "move_id": SQL("n.move_id"),
        "move_name": name,
        "date": SQL("n.day"),
        "invoice_date": SQL("n.day"),
        "partner_id": SQL("n.partner"),
        "create_date": SQL("n.day::timestamp"),
        "write_date": SQL("COALESCE(n.paid_on, n.day)::timestamp"),
    }
    counts["lines"] = insert_copies(
        cr,
        "account_move_line",
        SQL(
            "FROM review_invoices n JOIN account_move_line t ON t.id = %s",
            tpl["receivable"].id,
        ),
        {
            **lines,
            "id": SQL("n.line_id"),
            "date_maturity": SQL("n.due"),
            "debit": amount,
            "credit": SQL("0"),
            "balance": amount,
            "amount_currency": amount,
            **scaled("price_unit", "price_subtotal", "price_total"),
            "amount_residual": residual,
            "amount_residual_currency": residual,
            "reconciled": paid,
            "full_reconcile_id": SQL("n.full_id"),
            "matching_number": SQL("n.full_id::text"),
        },
    )
    counts["lines"] += insert_copies(
        cr,
        "account_move_line",
        SQL(
            "FROM review_invoices n JOIN account_move_line t ON t.id = %s",
            tpl["income"].id,
        ),
        {
            **lines,
            "debit": SQL("0"),
            "credit": amount,
            "balance": SQL("-n.amount"),
            "amount_currency": SQL("-n.amount"),
            **scaled("price_unit", "price_subtotal", "price_total"),
        },
    )
    # the payments: an entry of two lines each, its receivable line reconciled
    # with the invoice's
    name = SQL("'RP/' || lpad(n.i::text, 7, '0')")

    def source(template_line):
        return SQL(
            "FROM review_invoices n JOIN account_move_line t ON t.id = %s"
            " WHERE n.paid_on IS NOT NULL",
            template_line.id,
        )

    counts["payments"] = insert_copies(
        cr,
        "account_move",
        SQL(
            "FROM review_invoices n JOIN account_move t ON t.id = %s"
            " WHERE n.paid_on IS NOT NULL",
            tpl["payment_move"].id,
        ),
        {
            "id": SQL("n.pay_move_id"),
            "name": name,
            "ref": name,
            "payment_reference": name,
            "sequence_prefix": SQL("'RP/'"),
            "sequence_number": SQL("n.i"),
            "date": SQL("n.paid_on"),
            "partner_id": SQL("n.partner"),
            "commercial_partner_id": SQL("n.partner"),
            "origin_payment_id": SQL("NULL"),
            "amount_untaxed": amount,
            "amount_total": amount,
            "amount_untaxed_signed": amount,
            "amount_untaxed_in_currency_signed": amount,
            "amount_total_signed": amount,
            "amount_total_in_currency_signed": amount,
            "create_date": SQL("n.paid_on::timestamp"),
            "write_date": SQL("n.paid_on::timestamp"),
        },
    )
    analyze(cr, "account_move")
    lines = {
        "move_id": SQL("n.pay_move_id"),
        "move_name": name,
        "date": SQL("n.paid_on"),
        "date_maturity": SQL("n.paid_on"),
        "partner_id": SQL("n.partner"),
        "payment_id": SQL("NULL"),
        "create_date": SQL("n.paid_on::timestamp"),
        "write_date": SQL("n.paid_on::timestamp"),
    }
    counts["lines"] += insert_copies(
        cr,
        "account_move_line",
        source(tpl["payment_receivable"]),
        {
            **lines,
            "id": SQL("n.pay_line_id"),
            "debit": SQL("0"),
            "credit": amount,
            "balance": SQL("-n.amount"),
            "amount_currency": SQL("-n.amount"),
            "amount_residual": SQL("0"),
            "amount_residual_currency": SQL("0"),
            "reconciled": SQL("true"),
            "full_reconcile_id": SQL("n.full_id"),
            "matching_number": SQL("n.full_id::text"),
        },
    )
    counts["lines"] += insert_copies(
        cr,
        "account_move_line",
        source(tpl["payment_liquidity"]),
        {
            **lines,
            "debit": amount,
            "credit": SQL("0"),
            "balance": amount,
            "amount_currency": amount,
            "amount_residual": amount,
            "amount_residual_currency": amount,
        },
    )
    analyze(cr, "account_move_line")
    insert_copies(
        cr,
        "account_partial_reconcile",
        SQL(
            "FROM review_invoices n JOIN account_partial_reconcile t ON t.id = %s"
            " WHERE n.paid_on IS NOT NULL",
            tpl["partial"].id,
        ),
        {
            "debit_move_id": SQL("n.line_id"),
            "credit_move_id": SQL("n.pay_line_id"),
            "full_reconcile_id": SQL("n.full_id"),
            "exchange_move_id": SQL("NULL"),
            "amount": amount,
            "debit_amount_currency": amount,
            "credit_amount_currency": amount,
            "max_date": SQL("n.paid_on"),
            "create_date": SQL("n.paid_on::timestamp"),
            "write_date": SQL("n.paid_on::timestamp"),
        },
    )
    # the balances that the triggers would have kept (a row of 0 where every
    # line is reconciled, as a payment leaves it)
    cr.execute(
        SQL(
            """
            INSERT INTO %(table)s AS b
                   (partner_id, account_id, company_id, slot, amount_residual)
            SELECT l.partner_id, l.account_id, l.company_id, 0,
                   COALESCE(SUM(l.amount_residual)
                            FILTER (WHERE l.reconciled IS NOT TRUE), 0)
              FROM account_move_line l
             WHERE l.partner_id IN (SELECT partner FROM review_invoices)
               AND l.parent_state = 'posted'
             GROUP BY l.partner_id, l.account_id, l.company_id
            HAVING bool_or(l.reconciled IS NOT TRUE AND l.amount_residual <> 0)
                   OR bool_and(l.reconciled)
            ON CONFLICT (partner_id, account_id, company_id, slot) DO UPDATE
               SET amount_residual = b.amount_residual + EXCLUDED.amount_residual
            """,
            table=SQL.identifier(BALANCE_TABLE),
        )
    )
    counts["balances"] = cr.rowcount
    set_triggers(cr, True)
    cr.execute("SET LOCAL plan_cache_mode = force_custom_plan")
    cr.execute(
        """
        SELECT count(*) FILTER (WHERE paid_on IS NOT NULL),
               count(*) FILTER (WHERE paid_on IS NULL),
               count(*) FILTER (WHERE paid_on IS NULL AND due < %(today)s),
               count(DISTINCT partner)
          FROM review_invoices
        """,
        params,
    )
    counts["paid"], counts["open"], counts["overdue"], counts["invoiced"] = (
        cr.fetchone()
    )
    cr.execute(
        SQL(
            """
            SELECT count(*) FROM (
                SELECT b.partner_id, b.account_id, SUM(b.amount_residual) AS kept,
                       (SELECT COALESCE(SUM(l.amount_residual), 0)
                          FROM account_move_line l
                         WHERE l.partner_id = b.partner_id
                           AND l.account_id = b.account_id
                           AND l.company_id = b.company_id
                           AND l.parent_state = 'posted'
                           AND l.reconciled IS NOT TRUE) AS recount
                  FROM %s b
                 WHERE b.partner_id IN (SELECT partner FROM review_invoices)
                 GROUP BY b.partner_id, b.account_id, b.company_id
            ) s WHERE kept <> recount
            """,
            SQL.identifier(BALANCE_TABLE),
        )
    )
    counts["balance_mismatches"] = cr.fetchone()[0]
    counts["ledger_seconds"] = time.perf_counter() - start
    return counts


def write_orders(env, tpl, params):
    """The confirmed orders of ``review_orders`` and their requests.
    Returns (orders, requests)."""
    from odoo.tools import SQL

    cr = env.cr
    name = SQL("'RSO/' || lpad(n.i::text, 6, '0')")
    amount = SQL("n.amount")
    orders = insert_copies(
        cr,
        "sale_order",
        SQL("FROM review_orders n JOIN sale_order t ON t.id = %s", tpl["order"].id),
        {
            "id": SQL("n.id"),
            "name": name,
            "state": SQL("'sale'"),
            "partner_id": SQL("n.partner"),
            "partner_invoice_id": SQL("n.partner"),
            "partner_shipping_id": SQL("n.partner"),
            "date_order": SQL("n.decided"),
            "invoice_status": SQL("'to invoice'"),
            "procurement_group_id": SQL("NULL"),
            "amount_untaxed": amount,
            "amount_total": amount,
            "amount_to_invoice": amount,
            "create_date": SQL("n.decided - interval '1 hour'"),
            "write_date": SQL("n.decided"),
        },
    )
    insert_copies(
        cr,
        "sale_order_line",
        SQL(
            "FROM review_orders n JOIN sale_order_line t ON t.order_id = %s",
            tpl["order"].id,
        ),
        {
            "order_id": SQL("n.id"),
            "order_partner_id": SQL("n.partner"),
            "state": SQL("'sale'"),
            "price_unit": amount,
            "price_subtotal": amount,
            "price_total": amount,
            "price_reduce_taxexcl": amount,
            "price_reduce_taxinc": amount,
            "qty_to_invoice": SQL("t.product_uom_qty"),
            "untaxed_amount_to_invoice": amount,
            "invoice_status": SQL("'to invoice'"),
            "create_date": SQL("n.decided - interval '1 hour'"),
            "write_date": SQL("n.decided"),
        },
    )
    cr.execute(
        insert_select(
            env,
            "customer.care.credit.request",
            [
                "name",
                "sale_order_id",
                "partner_id",
                "company_id",
                "state",
                "shipment_kind",
                "requested_by_id",
                "requested_at",
                "approver_id",
                "decided_at",
                "order_amount",
                "exposure",
                "credit_limit",
                "amount_over",
                "ratio",
                "approved_amount",
                "collection_due",
                "collection_state",
                "refusal_reason",
                "create_uid",
                "create_date",
                "write_uid",
                "write_date",
            ],
            SQL(
                """
                SELECT 'Over-limit ' || o.name, n.id, n.partner, %(company)s,
                       CASE WHEN n.o = 2 THEN 'refused' ELSE 'approved' END,
                       'other', %(uid)s, n.decided - interval '2 hours', %(uid)s,
                       n.decided, n.amount, n.amount + 1000, 1000::numeric,
                       n.amount, n.amount / 10, CASE WHEN n.o < 2 THEN n.amount END,
                       CASE WHEN n.o < 2 THEN (date_trunc('month', n.decided)
                            + interval '1 month - 1 day')::date END,
                       CASE WHEN n.o = 2 THEN NULL
                            WHEN mod(n.g, 40) = 0 THEN 'overdue' ELSE 'paid' END,
                       CASE WHEN n.o = 2 THEN '超出额度过多' END,
                       %(uid)s, n.decided - interval '2 hours', %(uid)s, n.decided
                  FROM review_orders n JOIN sale_order o ON o.id = n.id
                 WHERE n.o < 3
                """,
                company=tpl["company"].id,
                uid=env.uid,
            ),
        )
    )
    return orders, cr.rowcount


def expected(cr, params, rolling, cash):
    """What the reviews must show, from the generation's own tables (not
    from the ledger the review reads)."""
    facts = {}
    cr.execute(
        """
        SELECT count(*) FILTER (WHERE NOT cash),
               count(*) FILTER (WHERE cash AND mod(g - %(rolling)s, 3) IN (0, 1))
          FROM review_customers
        """,
        params,
    )
    rolling_due, cash_due = cr.fetchone()
    facts["eligible"] = rolling_due + cash_due
    facts["cash_eligible"] = cash_due
    cr.execute(
        """
        SELECT count(*) FILTER (WHERE late > 0), COALESCE(SUM(late), 0)
          FROM (SELECT partner,
                       MAX(GREATEST(0, COALESCE(paid_on, %(today)s::date) - due))
                           AS late
                  FROM review_invoices
                 WHERE due >= %(window)s AND due < %(today)s
                   -- the cash customers whose invoice is paid are not reviewed
                   AND NOT (cash AND mod(g - %(rolling)s, 3) = 2)
                 GROUP BY partner) s
        """,
        params,
    )
    facts["late_customers"], facts["late_days"] = cr.fetchone()
    # last year not cleared (the rule of _care_credit_last_year_open): the
    # receivables dated before 1 January (invoices, less the payments then)
    # exceed the payments since
    cr.execute(
        """
        SELECT count(*)
          FROM (SELECT partner,
                       COALESCE(SUM(amount) FILTER (WHERE day < %(year_start)s), 0)
                       - COALESCE(SUM(amount) FILTER (WHERE paid_on IS NOT NULL), 0)
                           AS open
                  FROM review_invoices
                 WHERE NOT (cash AND mod(g - %(rolling)s, 3) = 2)
                 GROUP BY partner) s
         WHERE open > 0.005
        """,
        dict(params, year_start=date(params["today"].year, 1, 1)),
    )
    facts["last_year_open"] = cr.fetchone()[0]
    cr.execute(
        """
        SELECT count(*) FILTER (WHERE o < 2 AND decided >= %(window)s::timestamp),
               count(*) FILTER (WHERE o < 2 AND decided >= %(window)s::timestamp
                                  AND mod(g, 40) = 0)
          FROM review_orders
        """,
        params,
    )
    facts["requests_window"], facts["late_requests_window"] = cr.fetchone()
    cr.execute(
        "SELECT count(*) FROM review_tickets"
        " WHERE complaint AND at >= %(window)s::timestamp",
        params,
    )
    facts["complaints_window"] = cr.fetchone()[0]
    cr.execute("SELECT count(*) FROM review_bad_debts WHERE day >= %(window)s", params)
    facts["bad_debts_window"] = cr.fetchone()[0]
    return facts


# ---------------------------------------------------------------------------
# 2. and 3. The review
# ---------------------------------------------------------------------------


def review_count(cr):
    cr.execute("SELECT count(*) FROM customer_care_credit_review")
    return cr.fetchone()[0]


def review_run(registry, facts, label):
    """One run of the scheduled action's method, committed after it."""
    sql = SqlTime()
    with registry.cursor() as cr:
        before = review_count(cr)
        commit(cr)
    reset = reset_peak_rss()
    rss_before, _peak = rss_mb()
    split = Split(
        {
            registry[REVIEW]: ["_care_review_candidates", "_care_risk_figures"],
            registry["res.partner"]: [
                "_care_credit_figures_many",
                "_care_credit_last_year_open",
            ],
        }
    )
    with registry.cursor() as cr, query_hook(sql), split:
        env = environment(cr)
        queries, start = cr.sql_log_count, time.perf_counter()
        cpu = time.process_time()
        error = None
        returned = None
        try:
            returned = env[REVIEW]._cron_care_credit_review(today=facts["today"])
            env.flush_all()
            commit(cr)
        except Exception as exc:  # noqa: BLE001 - a figure, not a test
            cr.rollback()
            error = f"{type(exc).__name__}: {exc}"
            traceback.print_exc()
        seconds = time.perf_counter() - start
        cpu = time.process_time() - cpu
        queries = cr.sql_log_count - queries
    _rss, peak = rss_mb()
    with registry.cursor() as cr:
        opened = review_count(cr) - before
    return {
        "label": label,
        "seconds": seconds,
        "cpu": cpu,
        "queries": queries,
        "opened": opened,
        "returned": returned,
        "error": error,
        "sql": sql,
        "split": split,
        "rss_before": rss_before,
        "rss_peak": peak if reset else None,
    }


def report_run(run, customers):
    per_1000 = run["queries"] / customers * 1000 if customers else 0.0
    split = run["split"]
    batches = split.calls["_care_risk_figures"]
    out(
        f"{run['label']}: {run['opened']} reviews opened (the method returned "
        f"{run['returned']}) in {run['seconds']:.2f} s, {run['queries']} queries"
        f" ({per_1000:.1f} per 1000 customers), {batches} batches"
        + (f" ({run['queries'] / batches:.1f} queries per batch)" if batches else "")
        + (f", FAILED: {run['error']}" if run["error"] else "")
    )
    rest_seconds, rest_queries = run["seconds"], run["queries"]
    for name in ("_care_review_candidates", "_care_risk_figures"):
        rest_seconds -= split.seconds[name]
        rest_queries -= split.queries[name]
    parts = [
        (name, split.calls[name], split.seconds[name], split.queries[name])
        for name in (
            "_care_review_candidates",
            "_care_risk_figures",
            "_care_credit_figures_many",
            "_care_credit_last_year_open",
        )
    ]
    parts.append(
        ("the rest (create, notification, commit)", 0, rest_seconds, rest_queries)
    )
    for name, calls, seconds, queries in parts:
        inner = name.startswith("_care_credit")
        out(
            f"  {'  in it: ' if inner else ''}{name:<{40 if not inner else 32}}"
            f" {seconds:7.2f} s  {queries:6d} queries"
            + (f"  {calls} calls" if calls else "")
        )
    if run["rss_peak"] is not None:
        out(
            f"  RSS {run['rss_before']:.0f} MB before, peak {run['rss_peak']:.0f} MB"
            f" (+{run['rss_peak'] - run['rss_before']:.0f} MB)"
        )
    sql = run["sql"]
    out(
        f"  SQL {sum(sql.seconds.values()):.2f} s in {sum(sql.count.values())} "
        f"queries, Python CPU {run['cpu']:.2f} s; by statement:"
    )
    for key, value in sql.seconds.most_common(8):
        out(f"    {key:<45} {value:7.3f} s  {sql.count[key]:6d} queries")


# ---------------------------------------------------------------------------
# 4. Checks
# ---------------------------------------------------------------------------


def checks(registry, facts):
    """[(label, got, expected)] of the reviews against the data generated."""
    from odoo.tools import SQL

    with registry.cursor() as cr:
        period = half_period(facts["today"])
        cr.execute(
            SQL(
                """
                SELECT count(*),
                       count(*) FILTER (WHERE c.id IS NULL),
                       count(*) FILTER (WHERE c.cash),
                       count(DISTINCT r.partner_id),
                       COALESCE(SUM(r.request_count), 0),
                       COALESCE(SUM(r.late_request_count), 0),
                       COALESCE(SUM(r.complaint_count), 0),
                       COALESCE(SUM(r.bad_debt_count), 0),
                       count(*) FILTER (WHERE r.overdue_max_days > 0),
                       COALESCE(SUM(r.overdue_max_days), 0),
                       count(*) FILTER (WHERE NOT r.last_year_cleared),
                       count(*) FILTER (WHERE r.previous_rating_id IS NOT NULL)
                  FROM customer_care_credit_review r
                  LEFT JOIN bench_review_customers c ON c.id = r.partner_id
                 WHERE r.company_id = %s AND r.period = %s
                """,
                facts["company"],
                period,
            )
        )
        (
            reviews,
            others,
            cash,
            distinct,
            requests,
            late_requests,
            complaints,
            bad_debts,
            late,
            late_days,
            not_cleared,
            rated,
        ) = cr.fetchone()
        cr.execute(
            """
            SELECT g.code, count(*), round(avg(r.score)::numeric, 1)
              FROM customer_care_credit_review r
              JOIN customer_care_credit_rating g ON g.id = r.proposed_rating_id
             WHERE r.company_id = %s AND r.period = %s
             GROUP BY g.code, g.sequence ORDER BY g.sequence
            """,
            [facts["company"], period],
        )
        spread = cr.fetchall()
    facts["ratings"] = spread
    facts["rated"] = rated
    return [
        ("reviews = eligible customers", reviews, facts["eligible"]),
        ("one review per customer", distinct, reviews),
        ("reviews of another partner", others, 0),
        ("reviews of cash customers (exposure)", cash, facts["cash_eligible"]),
        ("approved over-limit requests", requests, facts["requests_window"]),
        ("of them collected late", late_requests, facts["late_requests_window"]),
        ("complaints", complaints, facts["complaints_window"]),
        ("bad debts", bad_debts, facts["bad_debts_window"]),
        ("customers paid late or overdue", late, facts["late_customers"]),
        ("sum of their longest delays (days)", late_days, facts["late_days"]),
        ("last year not cleared", not_cleared, facts["last_year_open"]),
        ("kept balances that differ from a recount", facts["balance_mismatches"], 0),
    ]


def half_period(day):
    return f"{day.year}-H{1 if day.month <= 6 else 2}"


# ---------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------


def main(argv=None):
    opts = parse(argv)
    registry = bootstrap(opts.config, opts.database)
    out(
        f"credit risk review: {opts.customers} rolling-limit customers and "
        f"{max(opts.customers // 10, 3)} cash customers; {os.cpu_count()} CPUs, "
        f"{load()} (other processes on the machine distort the times)"
    )
    facts = populate(registry, opts)
    out(
        f"1. data in {facts['seconds']:.1f} s (chart of accounts: {facts['chart']};"
        f" the ledger {facts['ledger_seconds']:.1f} s): {facts['partners']} "
        f"partners, {facts['invoices']} invoices of {facts['invoiced']} customers"
        f" ({facts['paid']} paid, {facts['open']} open of which {facts['overdue']}"
        f" overdue), {facts['payments']} payments, {facts['lines']} journal items,"
        f" {facts['balances']} kept balances; {facts['orders']} confirmed orders, "
        f"{facts['requests']} over-limit requests, {facts['tickets']} tickets, "
        f"{facts['bad_debts']} bad debts"
    )
    out(
        f"  review of {half_period(facts['today'])} on {facts['today']}, window "
        f"from {facts['window']}, batches of {facts['batch']}: "
        f"{facts['eligible']} customers due ({facts['rolling']} rolling, "
        f"{facts['cash_eligible']} cash customers with exposure)"
    )
    out("")
    first = review_run(registry, facts, "2. review")
    report_run(first, facts["eligible"])
    out("")
    second = review_run(registry, facts, "3. review again")
    report_run(second, facts["eligible"])
    out("")
    results = checks(registry, facts)
    out("4. checks against the data generated:")
    failed = 0
    for label, got, want in results:
        ok = got == want
        failed += not ok
        out(f"  {label:<42} {got:>9} {'=' if ok else '!='} {want:<9} "
            f"{'ok' if ok else 'DIFFERS'}")  # fmt: skip
    ratings = ", ".join(
        f"{code} {count} (score {avg})" for code, count, avg in facts["ratings"]
    )
    out(f"  proposed ratings: {ratings}; rated before {facts['rated']}")
    idempotent = not second["opened"] and not second["error"]
    out("")
    out("=== summary ===")
    out(
        f"review of {facts['eligible']} customers: {first['opened']} reviews "
        f"opened in {first['seconds']:.2f} s, {first['queries']} queries "
        f"({first['queries'] / max(facts['eligible'], 1) * 1000:.1f} per 1000 "
        f"customers); again: {second['opened']} opened in "
        f"{second['seconds']:.2f} s, {second['queries']} queries"
    )
    out(
        f"idempotent: {'yes' if idempotent else 'NO'} ({first['opened']} then "
        f"{second['opened']}); checks: {len(results) - failed} ok, {failed} "
        "failed"
    )
    out(f"load average at the end: {os.getloadavg()[0]:.1f}")
    return 1 if first["error"] or not idempotent or failed else 0


if __name__ == "__main__":
    sys.exit(main())
