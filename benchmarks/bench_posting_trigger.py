#!/usr/bin/env python3
# Copyright 2026 customer_care contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Benchmark: what the add-on's balance trigger on account_move_line costs
the posting of invoices (issue 16, "What the add-on costs the rest of Odoo").

    python3 tools/care.py bench --customers 1000 bench_posting_trigger [ARGS]

or, on a database where customer_care is installed without demo data:

    python3 benchmarks/bench_posting_trigger.py --config odoo.conf \\
        --database DB [--invoices 1000] [--customers 1000] [--workers 4]

Steps (every one prints its figures):

1. Data through the ORM: ``--invoices`` draft invoices (one product line,
   no tax) for one key-account customer, and as many for ``--customers``
   customers (one invoice each round-robin; customers beyond ``--invoices``
   are not made), committed once.
2. Serial: the same drafts posted by ``action_post`` (and flushed) with the
   triggers disabled (``ALTER TABLE account_move_line DISABLE TRIGGER``)
   and enabled, ``--repeat`` times alternately, each run rolled back, so
   every run posts the same data. Median wall times and the ratio against
   the target 1.05x.
3. Concurrent: ``--workers`` threads, each with its own cursor, post the
   one customer's drafts in transactions of ``--batch`` invoices, first with
   the triggers disabled (rolled back), then enabled (committed). Wall
   times, ratio, deadlocks and serialization failures (retried up to 5
   times per batch).
4. Check: the stored open balance (``customer_care_credit_balance``) of
   every (partner, account, company) equals a recount from
   account_move_line. Exit 1 when it does not, or when a batch failed.

A measurement, not a test: no figure fails it. It writes into the database
it is given: use a throw-away one.
"""

import argparse
import statistics
import sys
import threading
import time

from bench_credit_check import bootstrap, commit, ensure_chart, environment
from common import parse_args

TARGET_RATIO = 1.05
SMOKE = {"invoices": 20, "customers": 20, "workers": 2, "batch": 5, "repeat": 1}
BALANCE_TABLE = "customer_care_credit_balance"
TRIGGERS = (
    "customer_care_credit_balance_insert_delete",
    "customer_care_credit_balance_update",
)
RETRIES = 5


def out(text=""):
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


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


def populate(registry, opts):
    """The drafts: {"one": [move ids], "many": [move ids]}."""
    from odoo import Command

    with registry.cursor() as cr:
        env = environment(cr)
        start = time.perf_counter()
        chart = ensure_chart(env, env.company)
        product = env["product.product"].create(
            {
                "name": "Bench Posting Product",
                "type": "consu",
                "list_price": 10.0,
                "taxes_id": [Command.clear()],
            }
        )
        Partner = env["res.partner"]
        key = Partner.create({"name": "Bench Key Account", "is_company": True})
        many = Partner.create(
            [
                {"name": f"Bench Posting Customer {i}", "is_company": True}
                for i in range(min(opts.customers, opts.invoices))
            ]
        )

        def drafts(partners):
            Move = env["account.move"].with_context(bypass_risk=True)
            vals = [
                {
                    "move_type": "out_invoice",
                    "partner_id": partners[i % len(partners)].id,
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "product_id": product.id,
                                "quantity": 1,
                                "price_unit": 10.0 + i % 7,
                                "tax_ids": [Command.clear()],
                            }
                        )
                    ],
                }
                for i in range(opts.invoices)
            ]
            ids = []
            for pos in range(0, len(vals), 200):
                ids += Move.create(vals[pos : pos + 200]).ids
            return ids

        moves = {"one": drafts(key), "many": drafts(many), "key": key.id}
        moves["concurrent"] = drafts(key)
        commit(cr)
        out(
            f"data: chart {chart}; 3 x {opts.invoices} draft invoices (one "
            f"customer, {len(many)} customers, concurrent) in "
            f"{time.perf_counter() - start:.1f} s"
        )
    return moves


def post_serial(registry, ids, enabled):
    """Wall time of posting ``ids`` (flushed), rolled back."""
    with registry.cursor() as cr:
        env = environment(cr)
        moves = env["account.move"].browse(ids).with_context(bypass_risk=True)
        moves.mapped("name")  # read before the clock, like a form would
        set_triggers(cr, enabled)
        start = time.perf_counter()
        moves.action_post()
        env.flush_all()
        seconds = time.perf_counter() - start
        cr.rollback()  # the ALTER TABLE too: the triggers are enabled again
    return seconds


def serial(registry, opts, label, ids):
    post_serial(registry, ids[: max(1, len(ids) // 10)], True)  # warm-up
    times = {False: [], True: []}
    for _ in range(opts.repeat):
        for enabled in (False, True):
            times[enabled].append(post_serial(registry, ids, enabled))
    without = statistics.median(times[False])
    with_ = statistics.median(times[True])
    ratio = with_ / without if without else float("nan")
    verdict = "ok" if ratio <= TARGET_RATIO else "missed"
    out(
        f"serial, {label}: {len(ids)} invoices posted without the trigger "
        f"{without:.2f} s, with {with_:.2f} s (median of {opts.repeat}): "
        f"{ratio:.3f}x (target <= {TARGET_RATIO}x: {verdict})"
    )
    return ratio


def concurrent(registry, opts, ids, enabled):
    """``opts.workers`` threads post ``ids`` in batches; with the triggers
    enabled they commit, disabled they roll back. Returns the wall time and
    the counters."""
    import psycopg2.errors

    from odoo.modules.registry import Registry

    counts = {"deadlocks": 0, "serialization": 0, "failed": 0, "posted": 0}
    lock = threading.Lock()
    shares = [ids[i :: opts.workers] for i in range(opts.workers)]

    def work(share):
        Registry(registry.db_name)  # noqa: the registry of this thread
        for pos in range(0, len(share), opts.batch):
            batch = share[pos : pos + opts.batch]
            for attempt in range(RETRIES + 1):
                try:
                    with registry.cursor() as cr:
                        env = environment(cr)
                        moves = env["account.move"].browse(batch)
                        moves.with_context(bypass_risk=True).action_post()
                        env.flush_all()
                        if enabled:
                            commit(cr)
                        else:
                            cr.rollback()
                    with lock:
                        counts["posted"] += len(batch)
                    break
                except psycopg2.errors.DeadlockDetected:
                    key = "deadlocks"
                except psycopg2.errors.SerializationFailure:
                    key = "serialization"
                with lock:
                    counts[key] += 1
                    if attempt == RETRIES:
                        counts["failed"] += 1
                time.sleep(0.05 * (attempt + 1))

    threads = [threading.Thread(target=work, args=(share,)) for share in shares]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - start, counts


def check_balances(registry):
    """Rows of the stored balances that differ from a recount."""
    from odoo.tools import SQL

    with registry.cursor() as cr:
        cr.execute(
            SQL(
                """
            WITH recount AS (
                SELECT partner_id, account_id, company_id,
                       SUM(amount_residual) AS amount
                  FROM account_move_line
                 WHERE partner_id IS NOT NULL AND parent_state = 'posted'
                   AND reconciled IS NOT TRUE AND amount_residual <> 0
                 GROUP BY 1, 2, 3
            )
            SELECT COALESCE(r.partner_id, b.partner_id),
                   COALESCE(r.account_id, b.account_id),
                   COALESCE(r.amount, 0), COALESCE(b.amount_residual, 0)
              FROM recount r
              FULL JOIN (SELECT partner_id, account_id, company_id,
                                SUM(amount_residual) AS amount_residual
                           FROM %s GROUP BY 1, 2, 3) b
                     USING (partner_id, account_id, company_id)
             WHERE COALESCE(r.amount, 0) <> COALESCE(b.amount_residual, 0)
            """,
                SQL.identifier(BALANCE_TABLE),
            )
        )
        return cr.fetchall()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--config", required=True)
    parser.add_argument("--database", required=True)
    parser.add_argument("--customers", type=int, default=1000)
    parser.add_argument("--invoices", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--batch", type=int, default=25)
    parser.add_argument("--repeat", type=int, default=3)
    opts = parse_args(parser, argv, SMOKE)
    registry = bootstrap(opts.config, opts.database)
    problems = 0
    moves = populate(registry, opts)
    serial(registry, opts, "one customer", moves["one"])
    serial(
        registry, opts, f"{min(opts.customers, opts.invoices)} customers", moves["many"]
    )

    with registry.cursor() as cr:
        set_triggers(cr, False)
        commit(cr)
    try:
        without, counts_without = concurrent(registry, opts, moves["concurrent"], False)
    finally:
        with registry.cursor() as cr:
            set_triggers(cr, True)
            commit(cr)
    with_, counts = concurrent(registry, opts, moves["concurrent"], True)
    ratio = with_ / without if without else float("nan")
    for label, seconds, figures in (
        ("without the trigger", without, counts_without),
        ("with the trigger", with_, counts),
    ):
        out(
            f"concurrent, {opts.workers} workers, one customer, {label}: "
            f"{figures['posted']} invoices in {seconds:.2f} s; deadlocks "
            f"{figures['deadlocks']}, serialization failures "
            f"{figures['serialization']} (retried), batches failed "
            f"{figures['failed']}"
        )
        problems += figures["failed"]
    out(f"concurrent ratio with/without: {ratio:.3f}x")

    wrong = check_balances(registry)
    for partner, account, recount, stored in wrong[:10]:
        out(
            f"balance check: partner {partner} account {account}: stored "
            f"{stored} != recount {recount}"
        )
    with registry.cursor() as cr:
        cr.execute(
            f"SELECT COALESCE(SUM(amount_residual), 0) FROM {BALANCE_TABLE}"
            " WHERE partner_id = %s",
            [moves["key"]],
        )
        stored = cr.fetchone()[0]
    out(
        f"balance check: key account stored open balance {stored}; "
        + (
            "ok (equals the recount, every row)"
            if not wrong
            else f"{len(wrong)} rows differ"
        )
    )
    problems += len(wrong)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
