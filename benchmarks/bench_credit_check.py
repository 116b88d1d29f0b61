#!/usr/bin/env python3
# Copyright 2026 customer_care contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Benchmark: the credit check on confirming a sale order, and the daily
recomputation of the rolling limits.

    python3 tools/care.py bench [--customers N] bench_credit_check [ARGS]

or, on a database where customer_care is installed without demo data:

    python3 benchmarks/bench_credit_check.py --config odoo.conf \\
        --database DB [--customers 50000] [--repeat 15] [--profile FILE]

``--customers`` is the number of rolling-limit customers of step 3 here
(``tools/care.py`` passes it under that name).

Steps (every one prints its figures):

0. OCA ``sale_financial_risk`` is installed beside, when its module is on
   the addons path (``pip install --no-deps``, see README.md).
1. Data, by set-based SQL copies of rows made through the ORM: a big
   customer (manual limit, eligible) with ``--invoices`` posted invoices of
   2 lines (100,000 lines) and ``--orders`` confirmed orders not invoiced
   (1,000), a small one (100 lines, 10 orders), and a draft order of one
   line for each.
2. The same draft order confirmed ``--repeat`` times per variant, rolled
   back to a savepoint after each: (a) plain Odoo (our check and OCA's
   skipped), (b) with our check, (c) with OCA's check instead. Wall time
   (median, min), queries; the ratio (b)/(a) against the target 1.10x, the
   extra queries of our check for the big and the small customer, (c)/(b).
   Then ``_care_credit_figures`` alone, the queries of the check and the
   plan (``EXPLAIN (ANALYZE, BUFFERS)``) of each; a cProfile of the check
   when the target is missed (or with ``--profile``).
3. N rolling customers with posted invoices and refunds inside and outside
   the 30 days, and ``_cron_care_credit_rolling_limits`` committed like the
   cron: wall time, queries, history rows, peak memory (RSS, and
   ``tracemalloc`` in a third run on the same data); a second run right
   after must write no history.
4. Step 2 again (the confirmations only, and the plan of the receivable
   query), now that the database has N more customers and their invoices:
   PostgreSQL plans with the statistics of a database of many customers.

This is a measurement, not a test: it asserts nothing and never fails on a
figure. It writes into the database it is given: use a throw-away one.
"""

import argparse
import base64
import collections
import contextlib
import cProfile
import io
import os
import pstats
import resource
import statistics
import sys
import threading
import time
import tracemalloc
from datetime import date, timedelta

from common import parse_args

TARGET_RATIO = 1.10
# the sizes of --smoke (without OCA beside: a smoke run checks our script)
SMOKE = {
    "customers": 200,
    "invoices": 100,
    "orders": 10,
    "small_invoices": 5,
    "small_orders": 2,
    "repeat": 3,
    "warmup": 1,
    "skip_oca": True,
}
OCA_MODULE = "sale_financial_risk"
OCA_PIP = (
    'pip install --no-deps "odoo-addon-sale_financial_risk>=18.0,<18.1" '
    '"odoo-addon-account_financial_risk>=18.0,<18.1"'
)
# Odoo's partial index of the open receivable lines, which the receivable
# query of _care_credit_figures is written to match
RECEIVABLE_INDEX = "account_move_line__unreconciled_index"
# the open balances that the trigger of customer_care keeps (the receivable
# query of the check reads them since 2026-12-01)
BALANCE_TABLE = "customer_care_credit_balance"


def is_receivable_query(text):
    return "SUM(l.amount_residual)" in text or (
        BALANCE_TABLE in text and "SUM(amount_residual)" in text
    )


PRICE = 10.0  # of the one product line of every invoice and order
HIGH_LIMIT = 1e12  # so that the checks pass and the confirmation goes on
# the columns of a copied row that name the customer, by table (only those
# that exist are written: risk_partner_id comes with OCA)
PARTNER_COLUMNS = {
    "account_move": ["partner_id", "commercial_partner_id", "partner_shipping_id"],
    "account_move_line": ["partner_id"],
    "sale_order": ["partner_id", "partner_invoice_id", "partner_shipping_id"],
    "sale_order_line": ["order_partner_id", "risk_partner_id"],
}
VARIANTS = [
    # key, label, context of action_confirm
    ("a", "plain Odoo", {"care_credit_skip_check": True, "bypass_risk": True}),
    ("b", "with our check", {"bypass_risk": True}),
    ("c", "OCA sale_financial_risk", {"care_credit_skip_check": True}),
]


def out(text=""):
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def rss_mb():
    """Current and peak resident memory of this process, in MB."""
    fields = {}
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            key, _sep, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                fields[key] = int(value.split()[0]) / 1024
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return fields.get("VmRSS", 0.0), fields.get("VmHWM", peak)


def reset_peak_rss():
    """Start the peak RSS (VmHWM) again from the current RSS (Linux)."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as refs:
            refs.write("5")
        return True
    except OSError:
        return False


def load():
    return f"load average {os.getloadavg()[0]:.1f}"


# ---------------------------------------------------------------------------
# Odoo
# ---------------------------------------------------------------------------


def bootstrap(config, database):
    import odoo
    from odoo.modules.registry import Registry

    odoo.tools.config.parse_config(
        ["-c", config, "-d", database, "--log-level=warn", "--no-http"]
    )
    return Registry(database)


def environment(cr):
    from odoo import SUPERUSER_ID, api

    # the superuser with an empty context, as the cron (and as every variant
    # below, so that access checks weigh the same on each)
    return api.Environment(cr, SUPERUSER_ID, {})


def commit(cr):
    cr.commit()  # pylint: disable=invalid-commit


@contextlib.contextmanager
def query_hook(hook):
    """Call ``hook(cr, query, params, start, delay)`` after each query of this
    thread (Odoo's own hook for profilers, see ``sql_db.Cursor.execute``)."""
    thread = threading.current_thread()
    hooks = getattr(thread, "query_hooks", None)
    thread.query_hooks = [*(hooks or ()), hook]
    try:
        yield
    finally:
        if hooks is None:
            del thread.query_hooks
        else:
            thread.query_hooks = hooks


class Recorder:
    """Every query of the thread, with its parameters and time (seconds)."""

    def __init__(self):
        self.queries = []

    def __call__(self, cr, query, params, start, delay):
        text = query if isinstance(query, str) else query.decode()
        self.queries.append((text, params, delay))


class SqlTime:
    """Queries and their time by kind and table (Odoo's categorize_query)."""

    def __init__(self):
        self.seconds = collections.Counter()
        self.count = collections.Counter()

    def __call__(self, cr, query, params, start, delay):
        from odoo.sql_db import categorize_query

        text = query if isinstance(query, str) else query.decode()
        _kind, table = categorize_query(text)
        words = text.replace('"', " ").split()
        head = words[0].upper() if words else "?"
        if head in ("UPDATE", "WITH") and len(words) > 1:
            table = table or words[1]
        key = f"{head} {table}" if table else " ".join(words)[:40]
        self.seconds[key] += delay
        self.count[key] += 1


class Timed:
    """Time and queries spent inside some methods, while instrumented.

    ``names`` maps a model class to the names of its methods to measure."""

    def __init__(self, names):
        self.names = {
            cls: [n for n in ns if hasattr(cls, n)] for cls, ns in names.items()
        }
        self.seconds = collections.Counter()
        self.queries = collections.Counter()

    def __enter__(self):
        for model_class, names in self.names.items():
            for name in names:
                self._wrap(model_class, name, getattr(model_class, name))
        return self

    def _wrap(self, model_class, name, method):
        timed_ = self

        def timed(records, *args, **kwargs):
            cr = records.env.cr
            queries, start = cr.sql_log_count, time.perf_counter()
            try:
                return method(records, *args, **kwargs)
            finally:
                timed_.seconds[name] += time.perf_counter() - start
                timed_.queries[name] += cr.sql_log_count - queries

        timed.__name__ = name
        setattr(model_class, name, timed)

    def __exit__(self, *exc):
        for model_class, names in self.names.items():
            for name in names:
                delattr(model_class, name)

    def take(self):
        figures = dict(self.seconds), dict(self.queries)
        self.seconds.clear()
        self.queries.clear()
        return figures


# ---------------------------------------------------------------------------
# 0. OCA sale_financial_risk beside
# ---------------------------------------------------------------------------


def install_oca(registry, skip):
    """Install OCA sale_financial_risk if its module is there. Returns
    (installed, message)."""
    if skip:
        return False, "skipped (--skip-oca)"
    with registry.cursor() as cr:
        env = environment(cr)
        Module = env["ir.module.module"]
        module = Module.search([("name", "=", OCA_MODULE)])
        if not module:
            Module.update_list()
            module = Module.search([("name", "=", OCA_MODULE)])
        if not module:
            return False, f"not on the addons path; to get it: {OCA_PIP}"
        if module.state == "installed":
            return True, "installed already"
        if module.state != "uninstalled":
            return False, f"module state {module.state!r}, left alone"
        start = time.perf_counter()
        try:
            module.button_immediate_install()
        except Exception as exc:  # noqa: BLE001 - a figure, not a test
            cr.rollback()
            return False, f"install failed: {type(exc).__name__}: {exc}"
        return True, f"installed in {time.perf_counter() - start:.1f} s"


# ---------------------------------------------------------------------------
# 1. Data
# ---------------------------------------------------------------------------


def columns(cr, table):
    cr.execute(
        """
        SELECT column_name FROM information_schema.columns
         WHERE table_schema = current_schema() AND table_name = %s
         ORDER BY ordinal_position
        """,
        [table],
    )
    return [row[0] for row in cr.fetchall()]


def insert_copies(cr, table, source, overrides):
    """``INSERT INTO table SELECT …`` every column of the template row ``t``
    of ``source`` (an SQL ``FROM`` clause), but ``overrides`` (column: SQL).
    The id comes from the sequence unless overridden. Returns the row count."""
    from odoo.tools import SQL

    names = [c for c in columns(cr, table) if c != "id" or "id" in overrides]
    values = [overrides.get(c) or SQL("t.%s", SQL.identifier(c)) for c in names]
    cr.execute(
        SQL(
            "INSERT INTO %s (%s) SELECT %s %s",
            SQL.identifier(table),
            SQL(", ").join(SQL.identifier(c) for c in names),
            SQL(", ").join(values),
            source,
        )
    )
    return cr.rowcount


def new_ids(cr, name, table, count):
    """A temporary table ``name`` (g, id) of ``count`` new ids of ``table``."""
    from odoo.tools import SQL

    cr.execute(SQL("DROP TABLE IF EXISTS %s", SQL.identifier(name)))
    cr.execute(
        SQL(
            "CREATE TEMP TABLE %s AS SELECT g, nextval(%s) AS id"
            " FROM generate_series(1, %s) g",
            SQL.identifier(name),
            f"{table}_id_seq",
            count,
        )
    )


def partner_overrides(table, names, partner_id):
    from odoo.tools import SQL

    return {c: SQL("%s", partner_id) for c in PARTNER_COLUMNS[table] if c in names}


def eligible_customer(env, name, documents_date):
    """A customer company whose credit file is complete and contract signed,
    in manual mode with a very high limit (Odoo's credit_limit)."""
    pdf = base64.b64encode(b"%PDF-1.4\n% bench document\n")
    partner = env["res.partner"].create(
        {
            "name": name,
            "is_company": True,
            "customer_rank": 1,
            "email": name.lower().replace(" ", ".") + "@example.com",
            "care_business_licence": pdf,
            "care_business_licence_name": "licence.pdf",
            "care_tax_certificate": pdf,
            "care_tax_certificate_name": "tax.pdf",
            "care_id_copy": pdf,
            "care_id_copy_name": "id.pdf",
            "care_credit_contract_type": "distribution",
            "care_credit_contract_date": documents_date,
            "care_credit_contract": pdf,
            "care_credit_contract_name": "contract.pdf",
        }
    )
    partner.write({"care_credit_mode": "manual", "credit_limit": HIGH_LIMIT})
    # OCA's risk: every "include" flag on (the full risk computation), with
    # the same limit
    flags = [
        name
        for name in partner._fields
        if name.startswith("risk_") and name.endswith("_include")
    ]
    if flags:
        partner.write(dict.fromkeys(flags, True))
    return partner, flags


def customer_history(env, partner, product, invoices, orders, tag):
    """``invoices`` posted invoices (product line + receivable line, no tax)
    of this year and ``orders`` confirmed orders not invoiced for
    ``partner``: one of each through the ORM, the others copied from it by
    SQL. Returns the template invoice and order."""
    from odoo import Command, fields
    from odoo.tools import SQL

    cr = env.cr
    today = fields.Date.context_today(env["res.partner"])
    year_start = date(today.year, 1, 1)
    span = max((today - year_start).days, 1)
    move = (
        env["account.move"]
        .with_context(bypass_risk=True)
        .create(
            {
                "move_type": "out_invoice",
                "partner_id": partner.id,
                "invoice_date": year_start,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "product_id": product.id,
                            "quantity": 1,
                            "price_unit": PRICE,
                            "tax_ids": [Command.clear()],
                        }
                    )
                ],
            }
        )
    )
    move.action_post()
    order = env["sale.order"].create(
        {
            "partner_id": partner.id,
            "order_line": [
                Command.create(
                    {
                        "product_id": product.id,
                        "product_uom_qty": 1,
                        "price_unit": PRICE,
                        "tax_id": [Command.clear()],
                    }
                )
            ],
        }
    )
    order.with_context(care_credit_skip_check=True, bypass_risk=True).action_confirm()
    env.flush_all()
    # invoices: this year only (last year stays cleared), unique names
    prefix = f"BENCH/{tag}/"
    day = SQL("(%s::date + mod(n.g, %s))", year_start, span)
    name = SQL("%s || lpad(n.g::text, 7, '0')", prefix)
    new_ids(cr, "bench_moves", "account_move", invoices - 1)
    names = columns(cr, "account_move")
    insert_copies(
        cr,
        "account_move",
        SQL("FROM bench_moves n JOIN account_move t ON t.id = %s", move.id),
        {
            "id": SQL("n.id"),
            "name": name,
            "payment_reference": name,
            "sequence_prefix": SQL("%s", prefix),
            "sequence_number": SQL("n.g"),
            "date": day,
            "invoice_date": day,
            "invoice_date_due": day,
            **partner_overrides("account_move", names, partner.id),
        },
    )
    names = columns(cr, "account_move_line")
    insert_copies(
        cr,
        "account_move_line",
        SQL("FROM bench_moves n JOIN account_move_line t ON t.move_id = %s", move.id),
        {
            "move_id": SQL("n.id"),
            "move_name": name,
            "date": day,
            "invoice_date": day,
            "date_maturity": SQL(
                "CASE WHEN t.date_maturity IS NOT NULL THEN %s END", day
            ),
            **partner_overrides("account_move_line", names, partner.id),
        },
    )
    # confirmed orders, not invoiced (no delivery either: nothing reads it)
    new_ids(cr, "bench_orders", "sale_order", orders - 1)
    names = columns(cr, "sale_order")
    insert_copies(
        cr,
        "sale_order",
        SQL("FROM bench_orders n JOIN sale_order t ON t.id = %s", order.id),
        {
            "id": SQL("n.id"),
            "name": SQL("%s || lpad(n.g::text, 6, '0')", f"BSO/{tag}/"),
            "procurement_group_id": SQL("NULL"),
            **partner_overrides("sale_order", names, partner.id),
        },
    )
    names = columns(cr, "sale_order_line")
    insert_copies(
        cr,
        "sale_order_line",
        SQL("FROM bench_orders n JOIN sale_order_line t ON t.order_id = %s", order.id),
        {
            "order_id": SQL("n.id"),
            **partner_overrides("sale_order_line", names, partner.id),
        },
    )
    return move, order


def draft_order(env, partner, product):
    from odoo import Command

    return env["sale.order"].create(
        {
            "partner_id": partner.id,
            "order_line": [
                Command.create(
                    {
                        "product_id": product.id,
                        "product_uom_qty": 1,
                        "price_unit": PRICE,
                        "tax_id": [Command.clear()],
                    }
                )
            ],
        }
    )


def ensure_chart(env, company):
    """A chart of accounts (Odoo's generic one when none was installed)."""
    Account = env["account.account"]
    domain = [
        *Account._check_company_domain(company),
        ("account_type", "=", "asset_receivable"),
    ]
    if Account.search(domain, limit=1):
        return "present"
    env["account.chart.template"].try_loading(
        "generic_coa", company, install_demo=False
    )
    return "generic_coa loaded"


def populate(registry, opts):
    """The two customers of the confirm measurement. Returns their facts."""
    from odoo import Command, fields
    from odoo.tools import SQL

    with registry.cursor() as cr:
        env = environment(cr)
        start = time.perf_counter()
        # Plan each foreign-key check of the copies: a plan cached by this
        # connection while a table was small would scan it for every row
        # (see bench_callback_generation in README.md).
        cr.execute("SET LOCAL plan_cache_mode = force_custom_plan")
        company = env.company
        chart = ensure_chart(env, company)
        company.account_use_credit_limit = True
        product = env["product.product"].create(
            {
                "name": "Bench Credit Product",
                "type": "consu",
                "list_price": PRICE,
                "invoice_policy": "order",
                "taxes_id": [Command.clear()],
            }
        )
        signed = fields.Date.context_today(company) - timedelta(days=60)
        customers = {}
        for key, name, invoices, orders in (
            ("big", "Bench Big Customer", opts.invoices, opts.orders),
            ("small", "Bench Small Customer", opts.small_invoices, opts.small_orders),
        ):
            partner, flags = eligible_customer(env, name, signed)
            move, _order = customer_history(
                env, partner, product, invoices, orders, key
            )
            order = draft_order(env, partner, product)
            customers[key] = {
                "partner": partner.id,
                "order": order.id,
                "name": name,
                "template_move": move.id,
            }
        env.flush_all()
        for table in (
            "res_partner",
            "account_move",
            "account_move_line",
            "sale_order",
            "sale_order_line",
        ):
            cr.execute(SQL("ANALYZE %s", SQL.identifier(table)))
        commit(cr)
        env.invalidate_all()
        for facts in customers.values():
            facts.update(customer_facts(env, facts["partner"], facts["order"]))
        return {
            "seconds": time.perf_counter() - start,
            "chart": chart,
            "customers": customers,
            "oca_flags": flags,
            "company": company.id,
        }


def customer_facts(env, partner_id, order_id):
    cr = env.cr
    cr.execute(
        """
        SELECT count(*),
               count(*) FILTER (WHERE l.parent_state = 'posted'),
               count(DISTINCT l.move_id)
          FROM account_move_line l WHERE l.partner_id = %s
        """,
        [partner_id],
    )
    lines, posted, moves = cr.fetchone()
    cr.execute(
        """
        SELECT count(*) FILTER (WHERE state = 'sale'),
               count(*) FILTER (WHERE state = 'draft')
          FROM sale_order WHERE partner_id = %s
        """,
        [partner_id],
    )
    confirmed, draft = cr.fetchone()
    partner = env["res.partner"].browse(partner_id)
    order = env["sale.order"].browse(order_id)
    figures = partner._care_credit_figures(env.company, order=order)
    return {
        "lines": lines,
        "posted_lines": posted,
        "invoices": moves,
        "confirmed": confirmed,
        "draft": draft,
        "eligible": partner.care_credit_eligible,
        "figures": figures,
        "order_name": order.name,
    }


# ---------------------------------------------------------------------------
# 2. Confirming an order
# ---------------------------------------------------------------------------


def confirm_once(env, order_id, context):
    """Confirm the order in a savepoint, with the flush and the precommit
    hooks a commit would run, then roll back. Returns (seconds, queries,
    state reached, draft again)."""
    cr = env.cr
    cr.execute("SAVEPOINT bench_confirm")
    env.invalidate_all()
    order = env["sale.order"].browse(order_id).with_context(**context)
    queries, start = cr.sql_log_count, time.perf_counter()
    order.action_confirm()
    cr.flush()  # the ORM flush and the precommit hooks (tracking) of a commit
    seconds = time.perf_counter() - start
    queries = cr.sql_log_count - queries
    state = order.state
    cr.execute("ROLLBACK TO SAVEPOINT bench_confirm")
    cr.execute("RELEASE SAVEPOINT bench_confirm")
    cr.precommit.clear()
    cr.postcommit.clear()
    env.invalidate_all()
    draft = env["sale.order"].browse(order_id).state == "draft"
    return seconds, queries, state, draft


def confirm_runs(registry, customers, variants, repeat, warmup):
    """Each variant and customer ``warmup + repeat`` times, interleaved (the
    order of the variants turns each round), so that a change of the load
    of the machine weighs on all of them. Returns
    {(variant, customer): figures}."""
    runs = collections.defaultdict(
        lambda: {"seconds": [], "queries": [], "states": set(), "not_draft": 0,
                 "check_seconds": [], "check_queries": []}
    )  # fmt: skip
    with registry.cursor() as cr:
        env = environment(cr)
        timed = Timed(
            {
                registry["sale.order"]: [
                    "_customer_care_check_credit",
                    "evaluate_risk_message",
                ]
            }
        )
        with timed:
            for round_ in range(warmup + repeat):
                turn = (
                    variants[round_ % len(variants) :]
                    + variants[: round_ % len(variants)]
                )
                for key, _label, context in turn:
                    for name, facts in customers.items():
                        seconds, queries, state, draft = confirm_once(
                            env, facts["order"], context
                        )
                        check_seconds, check_queries = timed.take()
                        if round_ < warmup:
                            continue
                        run = runs[key, name]
                        run["seconds"].append(seconds)
                        run["queries"].append(queries)
                        run["states"].add(state)
                        run["not_draft"] += not draft
                        run["check_seconds"].append(sum(check_seconds.values()))
                        run["check_queries"].append(sum(check_queries.values()))
        cr.rollback()
    return runs


def spread(values):
    low, high = min(values), max(values)
    return str(low) if low == high else f"{low}-{high}"


def report_confirms(runs, variants, customers):
    out("  variant                       customer  median ms  min ms  queries"
        "  in the check: ms  queries  state, after the rollback")  # fmt: skip
    for key, label, _context in variants:
        for name in customers:
            run = runs.get((key, name))
            if not run or not run["seconds"]:
                continue
            out(
                f"  ({key}) {label:<25} {name:<8} "
                f"{statistics.median(run['seconds']) * 1000:9.1f} "
                f"{min(run['seconds']) * 1000:7.1f}  {spread(run['queries']):>7}"
                f"  {statistics.median(run['check_seconds']) * 1000:16.1f}"
                f"  {spread(run['check_queries']):>7}  "
                f"{'/'.join(sorted(run['states']))}, "
                + (
                    f"NOT draft again {run['not_draft']} times"
                    if run["not_draft"]
                    else "draft again"
                )
            )


def figures_alone(registry, customers, repeat):
    """``_care_credit_figures`` alone, with the ORM cache emptied before each
    call (as in a fresh request). Returns {customer: (median s, min s,
    queries)}."""
    result = {}
    with registry.cursor() as cr:
        env = environment(cr)
        for name, facts in customers.items():
            seconds, queries = [], []
            for _round in range(repeat + 1):
                env.invalidate_all()
                partner = env["res.partner"].browse(facts["partner"])
                order = env["sale.order"].browse(facts["order"])
                count, start = cr.sql_log_count, time.perf_counter()
                partner._care_credit_figures(env.company, order=order)
                seconds.append(time.perf_counter() - start)
                queries.append(cr.sql_log_count - count)
            # the first call fills Odoo's caches of the registry
            result[name] = (
                statistics.median(seconds[1:]),
                min(seconds[1:]),
                spread(queries[1:]),
            )
        cr.rollback()
    return result


def call_check(env, order_id, method):
    """Our check, or OCA's on the partner its action_confirm passes."""
    order = env["sale.order"].browse(order_id)
    if method == "evaluate_risk_message":
        return order.evaluate_risk_message(
            order.partner_invoice_id.commercial_partner_id
        )
    return getattr(order, method)()


def check_queries(registry, facts, method):
    """The queries of one call of ``sale.order.<method>`` on the draft
    order (rolled back), after a call that warms the registry caches:
    [(text, params, seconds)]."""
    recorder = Recorder()
    with registry.cursor() as cr:
        env = environment(cr)
        call_check(env, facts["order"], method)
        cr.rollback()
        env.invalidate_all()
        with query_hook(recorder):
            call_check(env, facts["order"], method)
        cr.rollback()
    return recorder.queries


def short(text, width=110):
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def explain(registry, query, params):
    """EXPLAIN (ANALYZE, BUFFERS) of a SELECT, rolled back: the plan's lines."""
    from odoo.tools import SQL

    with registry.cursor() as cr:
        cr.execute(SQL("EXPLAIN (ANALYZE, BUFFERS) %s", SQL(query, *(params or ()))))
        lines = [row[0] for row in cr.fetchall()]
        cr.rollback()
    return lines


def plan_summary(lines):
    """The scans of a plan and its execution time, on one line."""
    scans = []
    for line in lines:
        text = line.strip().lstrip("-> ").strip()
        if " on " in text and ("Scan" in text.split(" on ")[0]):
            scans.append(text.split("  (")[0])
    total = next((li.strip() for li in lines if li.startswith("Execution Time")), "")
    return "; ".join(scans), total


def report_check_queries(registry, label, queries, receivable_plan=False):
    out(
        f"  {label}: {len(queries)} queries, "
        f"{sum(q[2] for q in queries) * 1000:.1f} ms in SQL"
    )
    for text, params, delay in queries:
        out(f"    {delay * 1000:7.2f} ms  {short(text)}")
        if not text.lstrip().upper().startswith("SELECT"):
            continue
        if not any(
            table in text
            for table in ("account_move_line", "sale_order_line", BALANCE_TABLE)
        ):
            continue
        lines = explain(registry, text, params)
        scans, total = plan_summary(lines)
        if receivable_plan and is_receivable_query(text):
            out("      EXPLAIN (ANALYZE, BUFFERS) of the receivable query:")
            for line in lines:
                out("        " + line)
            used = any(RECEIVABLE_INDEX in line for line in lines)
            out(
                f"      index {RECEIVABLE_INDEX}: {'USED' if used else 'NOT used'}"
                f"; scans: {scans} ({total})"
            )
            continue
        out(f"      plan: {scans} ({total})")


def profile_check(registry, facts, rounds, path, top):
    """cProfile of ``_customer_care_check_credit`` on the draft order."""
    profile = cProfile.Profile()
    with registry.cursor() as cr:
        env = environment(cr)
        for _round in range(rounds + 1):
            cr.execute("SAVEPOINT bench_profile")
            env.invalidate_all()
            order = env["sale.order"].browse(facts["order"])
            if _round:
                profile.enable()
            order._customer_care_check_credit()
            if _round:
                profile.disable()
            cr.execute("ROLLBACK TO SAVEPOINT bench_profile")
        cr.rollback()
    if path:
        profile.dump_stats(path)
        out(f"  profile saved to {path}")
    for sort in ("cumulative", "tottime"):
        buffer = io.StringIO()
        stats = pstats.Stats(profile, stream=buffer)
        stats.strip_dirs().sort_stats(sort).print_stats(top)
        out(f"--- profile of {rounds} checks (big customer), top {top} by {sort} ---")
        lines = buffer.getvalue().splitlines()
        start = next((i for i, line in enumerate(lines) if "ncalls" in line), 0)
        for line in lines[start:]:
            if line.strip():
                out(line.rstrip())


# ---------------------------------------------------------------------------
# 3. Rolling limits
# ---------------------------------------------------------------------------


def populate_rolling(registry, count, template_move):
    """``count`` rolling customers (copies of a partner made by the ORM) and
    their posted invoices and refunds (copies of an invoice header): 2
    invoices in the 30 days before today, 1 older, a refund in the 30 days
    for one customer in 5, an invoice of today (not counted yet) for one in
    7. Returns the facts."""
    from odoo import fields
    from odoo.tools import SQL

    with registry.cursor() as cr:
        env = environment(cr)
        start = time.perf_counter()
        company = env.company
        today = fields.Date.context_today(company)
        template = env["res.partner"].create(
            {"name": "Bench Rolling Template", "is_company": True, "customer_rank": 1}
        )
        env.flush_all()
        cr.execute("SET LOCAL plan_cache_mode = force_custom_plan")
        new_ids(cr, "bench_rolling", "res_partner", count)
        name = SQL("'Bench Rolling Customer ' || lpad(n.g::text, 6, '0')")
        insert_copies(
            cr,
            "res_partner",
            SQL("FROM bench_rolling n JOIN res_partner t ON t.id = %s", template.id),
            {
                "id": SQL("n.id"),
                "commercial_partner_id": SQL("n.id"),
                "name": name,
                "complete_name": name,
                "commercial_company_name": name,
                "email": SQL("'rolling' || n.g || '@example.com'"),
                "care_credit_mode": SQL("'rolling'"),
                "care_credit_rolling_amount": SQL("NULL"),
                "care_credit_rolling_date": SQL("NULL"),
            },
        )
        kinds = SQL(
            """
            FROM (SELECT n.g, n.id AS partner, k.k,
                         CASE WHEN k.k = 3 THEN 'out_refund' ELSE 'out_invoice' END
                             AS move_type,
                         CASE WHEN k.k IN (0, 1)
                              THEN %(today)s::date - 1 - mod(n.g * 7 + k.k * 11, 29)
                              WHEN k.k = 2
                              THEN %(today)s::date - 31 - mod(n.g * 13, 300)
                              WHEN k.k = 3
                              THEN %(today)s::date - 1 - mod(n.g, 29)
                              ELSE %(today)s::date END AS day,
                         CASE WHEN k.k = 3 THEN -(10 + mod(n.g, 50))
                              ELSE 100 + mod(n.g * 37 + k.k * 11, 900)
                         END::numeric AS amount
                    FROM bench_rolling n
                   CROSS JOIN (VALUES (0), (1), (2), (3), (4)) k(k)
                   WHERE k.k < 3 OR (k.k = 3 AND mod(n.g, 5) = 0)
                         OR (k.k = 4 AND mod(n.g, 7) = 0)) n
            JOIN account_move t ON t.id = %(template)s
            """,
            today=today,
            template=template_move,
        )
        name = SQL("'RB/' || lpad(n.g::text, 6, '0') || '/' || n.k")
        amount = SQL("n.amount")
        moves = insert_copies(
            cr,
            "account_move",
            kinds,
            {
                "name": name,
                "payment_reference": name,
                "sequence_prefix": SQL("'RB/'"),
                "sequence_number": SQL("n.g * 10 + n.k"),
                "move_type": SQL("n.move_type"),
                "date": SQL("n.day"),
                "invoice_date": SQL("n.day"),
                "invoice_date_due": SQL("n.day"),
                "partner_id": SQL("n.partner"),
                "commercial_partner_id": SQL("n.partner"),
                "partner_shipping_id": SQL("n.partner"),
                "amount_untaxed": SQL("abs(n.amount)"),
                "amount_total": SQL("abs(n.amount)"),
                "amount_residual": SQL("abs(n.amount)"),
                "amount_untaxed_signed": amount,
                "amount_total_signed": amount,
                "amount_total_in_currency_signed": amount,
                "amount_residual_signed": amount,
            },
        )
        for table in ("res_partner", "account_move"):
            cr.execute(SQL("ANALYZE %s", SQL.identifier(table)))
        commit(cr)
        return {
            "customers": count,
            "moves": moves,
            "seconds": time.perf_counter() - start,
            "today": today,
        }


def rolling_expected_mismatches(cr, today, days):
    """Rolling customers whose stored limit differs from the same sum made in
    SQL (posted invoices net of refunds of the days before today, not below
    zero)."""
    cr.execute(
        """
        SELECT count(*) FILTER (
                   WHERE abs(COALESCE(p.care_credit_rolling_amount, -1)
                             - GREATEST(COALESCE(s.total, 0), 0)) > 0.005),
               count(*) FILTER (WHERE p.care_credit_rolling_date = %(today)s),
               sum(p.care_credit_rolling_amount)
          FROM res_partner p
          LEFT JOIN (SELECT commercial_partner_id AS id,
                            sum(amount_total_signed) AS total
                       FROM account_move
                      WHERE state = 'posted'
                        AND move_type IN ('out_invoice', 'out_refund')
                        AND invoice_date >= %(today)s::date - %(days)s
                        AND invoice_date < %(today)s
                      GROUP BY commercial_partner_id) s ON s.id = p.id
         WHERE p.care_credit_mode = 'rolling' AND p.id = p.commercial_partner_id
        """,
        {"today": today, "days": days},
    )
    return cr.fetchone()


def history_count(cr):
    cr.execute("SELECT count(*) FROM customer_care_credit_history")
    return cr.fetchone()[0]


def rolling_run(registry, label, traced=False):
    """One run of the daily recomputation, committed as the cron does."""
    sql = SqlTime()
    with registry.cursor() as cr:
        before = history_count(cr)
        commit(cr)
    reset = reset_peak_rss()
    rss_before, _peak = rss_mb()
    if traced:
        tracemalloc.start()
    with registry.cursor() as cr, query_hook(sql):
        env = environment(cr)
        queries, start = cr.sql_log_count, time.perf_counter()
        cpu = time.process_time()
        error = None
        try:
            env["res.partner"]._cron_care_credit_rolling_limits()
            commit(cr)
        except Exception as exc:  # noqa: BLE001 - a figure, not a test
            cr.rollback()
            error = f"{type(exc).__name__}: {exc}"
        seconds = time.perf_counter() - start
        cpu = time.process_time() - cpu
        queries = cr.sql_log_count - queries
    traced_peak = None
    if traced:
        traced_peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    rss_after, peak = rss_mb()
    with registry.cursor() as cr:
        written = history_count(cr) - before
    return {
        "label": label,
        "seconds": seconds,
        "cpu": cpu,
        "queries": queries,
        "written": written,
        "sql": sql,
        "error": error,
        "rss_before": rss_before,
        "rss_peak": peak if reset else None,
        "rss_after": rss_after,
        "traced_peak": traced_peak,
    }


def report_rolling(run):
    out(
        f"{run['label']}: {run['seconds']:.2f} s, {run['queries']} queries, "
        f"{run['written']} history rows written"
        + (f", FAILED: {run['error']}" if run["error"] else "")
    )
    if run["rss_peak"] is not None:
        out(
            f"  RSS: {run['rss_before']:.0f} MB before, peak {run['rss_peak']:.0f}"
            f" MB (+{run['rss_peak'] - run['rss_before']:.0f} MB), "
            f"{run['rss_after']:.0f} MB after"
        )
    if run["traced_peak"] is not None:
        out(f"  tracemalloc peak of Python allocations: {run['traced_peak']:.1f} MB")
    sql = run["sql"]
    total = sum(sql.seconds.values())
    out(
        f"  SQL {total:.2f} s in {sum(sql.count.values())} queries, Python CPU "
        f"{run['cpu']:.2f} s; by statement:"
    )
    for key, value in sql.seconds.most_common(6):
        out(f"    {key:<45} {value:7.3f} s  {sql.count[key]:6d} queries")


def reset_rolling(registry):
    """Back to the state before the first run: no limits, no history."""
    with registry.cursor() as cr:
        cr.execute(
            """
            UPDATE res_partner
               SET care_credit_rolling_amount = NULL,
                   care_credit_rolling_date = NULL
             WHERE care_credit_mode = 'rolling'
            """
        )
        cr.execute("DELETE FROM customer_care_credit_history")
        commit(cr)


# ---------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------


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
        help="rolling-limit customers of the daily recomputation",
    )
    parser.add_argument(
        "--invoices",
        type=int,
        default=50000,
        help="posted invoices of 2 lines of the big customer",
    )
    parser.add_argument("--orders", type=int, default=1000)
    parser.add_argument("--small-invoices", type=int, default=50)
    parser.add_argument("--small-orders", type=int, default=10)
    parser.add_argument(
        "--repeat", type=int, default=15, help="confirmations per variant"
    )
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--skip-oca", action="store_true")
    parser.add_argument("--skip-tracemalloc", action="store_true")
    parser.add_argument(
        "--profile",
        metavar="FILE",
        help="profile the check with cProfile even within the target, and "
        "save the stats to FILE",
    )
    parser.add_argument("--profile-top", type=int, default=30)
    parser.add_argument("--profile-rounds", type=int, default=20)
    return parse_args(parser, argv, SMOKE)


def step_confirm(registry, data, opts, oca):
    customers = data["customers"]
    variants = [v for v in VARIANTS if v[0] != "c" or oca]
    out("")
    out(
        f"2. confirming each draft order {opts.repeat} times per variant "
        f"(after {opts.warmup} warm-up rounds), interleaved, rolled back "
        f"after each; {load()}"
    )
    runs = confirm_runs(registry, customers, variants, opts.repeat, opts.warmup)
    report_confirms(runs, variants, customers)
    alone = figures_alone(registry, customers, opts.repeat)
    for name, (median, low, queries) in alone.items():
        out(
            f"  _care_credit_figures alone, {name}: median {median * 1000:.1f} ms,"
            f" min {low * 1000:.1f} ms, {queries} queries"
        )
    out("  queries of our check (_customer_care_check_credit), and their plans:")
    for name, facts in customers.items():
        queries = check_queries(registry, facts, "_customer_care_check_credit")
        report_check_queries(registry, name, queries, receivable_plan=name == "big")
    if oca:
        out("  queries of OCA's check (evaluate_risk_message):")
        for name, facts in customers.items():
            queries = check_queries(registry, facts, "evaluate_risk_message")
            report_check_queries(registry, name, queries)
    return runs, alone


def step_confirm_again(registry, data, opts, oca):
    """Step 2 again once the rolling customers and their invoices are in the
    database: the statistics, and so the plans, are those of a database of
    many customers."""
    customers = data["customers"]
    variants = [v for v in VARIANTS if v[0] != "c" or oca]
    out("")
    out(
        f"4. confirming again, now with {opts.customers} more customers and "
        f"their invoices in the database; {load()}"
    )
    runs = confirm_runs(registry, customers, variants, opts.repeat, opts.warmup)
    report_confirms(runs, variants, customers)
    for name, facts in customers.items():
        queries = check_queries(registry, facts, "_customer_care_check_credit")
        for text, params, delay in queries:
            if not is_receivable_query(text):
                continue
            lines = explain(registry, text, params)
            scans, total = plan_summary(lines)
            used = any(RECEIVABLE_INDEX in line for line in lines)
            out(
                f"  receivable query, {name}: {delay * 1000:.1f} ms in the check; "
                f"index {RECEIVABLE_INDEX} {'USED' if used else 'NOT used'}; "
                f"{scans} ({total})"
            )
    out("")
    summary_confirm(runs, data, oca, "4.")
    return runs


def median_of(runs, key, name, field="seconds"):
    run = runs.get((key, name))
    return statistics.median(run[field]) if run and run[field] else None


def summary_confirm(runs, data, oca, title):
    customers = data["customers"]
    big = customers["big"]
    a, b = median_of(runs, "a", "big"), median_of(runs, "b", "big")
    ratio = b / a if a and b else None
    low = min(runs["b", "big"]["seconds"]) / min(runs["a", "big"]["seconds"])
    small = median_of(runs, "b", "small") / median_of(runs, "a", "small")
    extra = {
        name: median_of(runs, "b", name, "queries")
        - median_of(runs, "a", name, "queries")
        for name in customers
    }
    out(
        f"{title}: confirm, big customer ({big['lines']} invoice lines, "
        f"{big['confirmed']} open orders): (a) plain {a * 1000:.1f} ms, "
        f"(b) with our check {b * 1000:.1f} ms (medians)"
    )
    inside = median_of(runs, "b", "big", "check_seconds")
    out(
        f"  (b)/(a) = {ratio:.3f} (of the minimums: {low:.3f}; small customer: "
        f"{small:.3f}); target at most {TARGET_RATIO:.2f}: "
        f"{'MET' if ratio <= TARGET_RATIO else 'MISSED'}"
    )
    out(
        f"  time inside our check (median, less noisy than a difference): "
        f"{inside * 1000:.1f} ms, (a + check)/(a) = {1 + inside / a:.3f}"
    )
    out(
        "  extra queries of our check: "
        + ", ".join(f"{name} customer {value:+g}" for name, value in extra.items())
        + (
            " — constant whatever the history"
            if len(set(extra.values())) == 1
            else " — NOT constant"
        )
    )
    c = median_of(runs, "c", "big") if oca else None
    if c:
        out(
            f"  (c) OCA sale_financial_risk {c * 1000:.1f} ms: (c)/(b) = "
            f"{c / b:.3f}, (c)/(a) = {c / a:.3f}; extra time over plain: ours "
            f"{(b - a) * 1000:+.1f} ms, OCA {(c - a) * 1000:+.1f} ms; our check "
            f"{'faster' if b < c else 'NOT faster'} than OCA's"
        )
    else:
        out(f"  (c) OCA sale_financial_risk: not measured; to get it: {OCA_PIP}")
    return ratio


def main(argv=None):
    opts = parse(argv)
    from odoo.modules.registry import Registry

    registry = bootstrap(opts.config, opts.database)
    out(
        f"credit check: big customer {opts.invoices} invoices x 2 lines and "
        f"{opts.orders} open orders, small customer {opts.small_invoices} x 2 "
        f"lines and {opts.small_orders} orders; rolling limits of "
        f"{opts.customers} customers; {os.cpu_count()} CPUs, {load()} (other "
        "processes on the machine distort the times)"
    )

    # 0. OCA beside
    oca, message = install_oca(registry, opts.skip_oca)
    out(f"0. OCA {OCA_MODULE}: {message}")
    if oca:
        registry = Registry(opts.database)  # the new registry

    # 1. data
    data = populate(registry, opts)
    out(
        f"1. populated in {data['seconds']:.1f} s (chart of accounts: "
        f"{data['chart']}; OCA risk flags on: {', '.join(data['oca_flags']) or '-'})"
    )
    for name, facts in data["customers"].items():
        fig = facts["figures"]
        out(
            f"  {name}: {facts['name']}, eligible {facts['eligible']}, "
            f"{facts['lines']} invoice lines ({facts['posted_lines']} posted) in "
            f"{facts['invoices']} invoices, {facts['confirmed']} confirmed orders, "
            f"draft order {facts['order_name']}; receivable {fig['receivable']:.2f}"
            f", to invoice {fig['to_invoice']:.2f}, this order {fig['order']:.2f},"
            f" exposure {fig['exposure']:.2f}, limit {fig['limit']:.0f}, overdue "
            f"{fig['overdue_days']} days"
        )

    # 2. confirm
    runs, alone = step_confirm(registry, data, opts, oca)
    out("")
    ratio = summary_confirm(runs, data, oca, "2.")
    if opts.profile or (ratio and ratio > TARGET_RATIO):
        profile_check(
            registry,
            data["customers"]["big"],
            opts.profile_rounds,
            opts.profile,
            opts.profile_top,
        )

    # 3. rolling limits
    with registry.cursor() as cr:
        days = environment(cr).company.care_credit_rolling_days
    out("")
    rolling = populate_rolling(
        registry, opts.customers, data["customers"]["big"]["template_move"]
    )
    out(
        f"3. {rolling['customers']} rolling customers and {rolling['moves']} "
        f"posted invoices and refunds inserted in {rolling['seconds']:.1f} s; "
        f"{load()}"
    )
    first = rolling_run(registry, "daily recomputation")
    report_rolling(first)
    with registry.cursor() as cr:
        mismatches, dated, total = rolling_expected_mismatches(
            cr, rolling["today"], days
        )
    out(
        f"  checked against the same sum in SQL: {mismatches} customers differ "
        f"(must be 0), {dated} dated today, total of the limits {total or 0:.2f}"
    )
    second = rolling_run(registry, "second run, nothing changed (0 rows written)")
    report_rolling(second)
    traced = None
    if not opts.skip_tracemalloc:
        reset_rolling(registry)
        traced = rolling_run(registry, "first run again, under tracemalloc", True)
        report_rolling(traced)

    # 4. confirm again, among many customers
    again = step_confirm_again(registry, data, opts, oca)

    # summary
    out("")
    out("=== summary ===")
    summary_confirm(runs, data, oca, "2. (before the rolling customers)")
    summary_confirm(
        again, data, oca, f"4. (with the {opts.customers} rolling customers)"
    )
    big = alone.get("big")
    out(
        f"_care_credit_figures alone (big customer): median {big[0] * 1000:.1f} ms,"
        f" {big[2]} queries"
    )
    out(
        f"daily recomputation of {opts.customers} rolling customers: "
        f"{first['seconds']:.2f} s, {first['queries']} queries, "
        f"{first['written']} history rows"
        + (f", peak RSS +{first['rss_peak'] - first['rss_before']:.0f} MB"
           if first["rss_peak"] is not None else "")
        + (f", tracemalloc peak {traced['traced_peak']:.1f} MB" if traced else "")
        + f"; second run {second['seconds']:.2f} s, {second['queries']} queries, "
        f"{second['written']} rows"
    )  # fmt: skip
    out(f"load average at the end: {os.getloadavg()[0]:.1f}")
    # a recomputation that raised fails the run (the figures never do)
    return 1 if any(run and run["error"] for run in (first, second, traced)) else 0


if __name__ == "__main__":
    sys.exit(main())
