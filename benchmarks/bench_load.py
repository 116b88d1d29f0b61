#!/usr/bin/env python3
# Copyright 2026 customer_care contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Benchmark: the staff's daily work under load (issue 16, "A load test"),
with Locust driving Odoo's JSON-RPC as the web client does.

    python3 tools/care.py bench --customers 100000 bench_load [ARGS]

or, on a database where customer_care is installed without demo data:

    python3 benchmarks/bench_load.py --config odoo.conf --database DB \\
        [--customers 100000] [--users 30] [--duration 300] [--workers 2]

Steps (every one prints its figures):

1. Data by set-based SQL (copies of records made by the ORM, every column
   filled as the ORM fills it): ``--customers`` customers, 10 callbacks
   each (90 % done over the last year, the others planned), 2 complaints
   each, and one posted invoice per two customers (two lines each: as many
   invoice lines as customers). Through the ORM: the staff (one account per
   simulated person, by role, in Chinese, in Shanghai), the customers they
   work with (each with a contact person and a complete credit file; one in
   ten with a limit too small for any order), today's callbacks of each
   agent, and the pickups ready at a point open all week, with their
   voucher codes.
2. Odoo's prefork server on this database: ``--workers`` HTTP workers and
   a cron worker (the scheduled actions are moved to tomorrow, so that the
   figures are the staff's), on a free local port.
3. Locust (``benchmarks/locustfile.py``), headless: ``--users`` people
   (agents 10, salespeople 8, complaint officers 6, pickup desk 3,
   managers 3 in 30) for ``--duration`` seconds, 1 to 4 s between two
   actions of one person. Printed: per screen and action, the requests,
   errors, p50, p95 and max latency, against the target p95 < 500 ms.
4. Checks on the database afterwards (exit 1 when one fails): every
   callback recorded is done, every complaint registered is there once,
   every pickup handed over is done with its delivery (and no other), no
   order of a customer over the limit is confirmed without an approved
   request, no customer, cadence and day has two generated callbacks.

Locust is found on ``PATH``, in ``CARE_LOCUST`` or with ``--locust`` (``tools/
care.py bench`` installs it in a virtual environment of its own: it must not
change the packages of Odoo's Python). A measurement, not a test: no figure
fails it. It writes into the database it is given: use a throw-away one.
"""

import argparse
import base64
import csv
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from datetime import timedelta
from pathlib import Path

from bench_credit_check import (
    bootstrap,
    commit,
    ensure_chart,
    environment,
    insert_copies,
    new_ids,
)
from common import parse_args

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
TARGET_P95_MS = 500
SMOKE = {"customers": 200, "users": 5, "duration": 20, "pickups": 10}
# the simulated people per role, in 30 (the weights of locustfile.py)
ROLES = {
    "agent": (10, ["customer_care.group_callback_agent"]),
    "salesperson": (8, ["sales_team.group_sale_salesman"]),
    "officer": (6, ["customer_care.group_complaint_officer"]),
    "desk": (3, ["customer_care.group_pickup_desk"]),
    "manager": (
        3,
        [
            "customer_care.group_callback_manager",
            "customer_care.group_complaint_manager",
            "customer_care.group_credit_manager",
        ],
    ),
}
TODAY_PER_AGENT = 60
HIGH_LIMIT = 1e9
TIGHT_LIMIT = 10.0
PDF = base64.b64encode(b"%PDF-1.4\n% bench document\n")


def out(text=""):
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def parse(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--config", required=True)
    parser.add_argument("--database", required=True)
    parser.add_argument("--customers", type=int, default=100000)
    parser.add_argument("--users", type=int, default=30)
    parser.add_argument("--duration", type=int, default=300, help="seconds")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--spawn-rate", type=float, default=5.0)
    parser.add_argument(
        "--pickups", type=int, default=200, help="pickups ready for the desk"
    )
    parser.add_argument(
        "--products", type=int, default=50, help="products the staff sells"
    )
    parser.add_argument("--locust", help="the locust command")
    parser.add_argument("--keep-logs", help="a folder to keep the logs in")
    return parse_args(parser, argv, SMOKE)


# ---------------------------------------------------------------------------
# 1. Data
# ---------------------------------------------------------------------------


def role_counts(users):
    """Accounts per role for ``users`` people: the role's share, at least
    one."""
    total = sum(weight for weight, _groups in ROLES.values())
    return {
        role: max(1, round(users * weight / total))
        for role, (weight, _groups) in ROLES.items()
    }


def make_staff(env, users):
    from odoo import Command

    Users = env["res.users"].with_context(no_reset_password=True)
    logins, staff = {}, {}
    for role, count in role_counts(users).items():
        groups = [env.ref(xmlid).id for xmlid in ROLES[role][1]]
        made = Users.create(
            [
                {
                    "name": f"压测 {role} {n:02d}",
                    "login": f"load_{role}_{n:02d}",
                    "password": f"load_{role}_{n:02d}",
                    "email": f"load_{role}_{n:02d}@example.com",
                    "lang": "zh_CN",
                    "tz": "Asia/Shanghai",
                    "groups_id": [Command.link(group) for group in groups],
                }
                for n in range(1, count + 1)
            ]
        )
        logins[role] = made.mapped("login")
        staff[role] = made
    return logins, staff


def eligible(env, name, limit, salesperson):
    partner = env["res.partner"].create(
        {
            "name": name,
            "is_company": True,
            "customer_rank": 1,
            "email": f"{name.replace(' ', '.')}@example.com",
            "mobile": "+86 139 0000 5678",
            "user_id": salesperson.id,
            "care_business_licence": PDF,
            "care_business_licence_name": "licence.pdf",
            "care_tax_certificate": PDF,
            "care_tax_certificate_name": "tax.pdf",
            "care_id_copy": PDF,
            "care_id_copy_name": "id.pdf",
            "care_credit_contract_type": "distribution",
            "care_credit_contract_date": "2026-01-05",
            "care_credit_contract": PDF,
            "care_credit_contract_name": "contract.pdf",
            "child_ids": [(0, 0, {"name": f"{name} 采购 王经理"})],
        }
    )
    partner.write({"care_credit_mode": "manual", "credit_limit": limit})
    return partner


def all_week_point(env, desk, manager):
    """A pickup point open every day, all day, staffed by ``desk``."""
    from odoo import Command

    calendar = env["resource.calendar"].create(
        {
            "name": "压测 全天",
            "tz": "Asia/Shanghai",
            "attendance_ids": [
                Command.create(
                    {
                        "name": f"{day}",
                        "dayofweek": str(day),
                        "hour_from": 0,
                        "hour_to": 24,
                        "day_period": "morning",
                    }
                )
                for day in range(7)
            ],
        }
    )
    warehouse = env["stock.warehouse"].search(
        [("company_id", "=", env.company.id)], limit=1
    )
    env.company.care_pickup_manager_id = manager
    point = env["customer.care.pickup.point"].create(
        {
            "name": "压测 自提点",
            "warehouse_id": warehouse.id,
            "resource_calendar_id": calendar.id,
            "documents_required": "身份证原件及提货凭证",
            "user_ids": [Command.set(desk.ids)],
        }
    )
    return point, warehouse


def make_pickups(env, count, customers, products, point, warehouse, salesperson):
    """``count`` notified pickups: [{"id", "code"}]."""
    from odoo import Command, fields

    Voucher = type(env["customer.care.pickup.voucher"])
    issue = Voucher._care_issue
    codes = {}

    def _care_issue(self, pickup):
        voucher, clear = issue(self, pickup)
        codes[pickup.id] = clear["code"]
        return voucher, clear

    Voucher._care_issue = _care_issue
    # the notices' PDFs are not what is measured (and wkhtmltopdf would
    # fetch the assets from a server that is not running yet)
    Report = type(env["ir.actions.report"])
    render = Report._render_qweb_pdf
    Report._render_qweb_pdf = lambda *args, **kwargs: (b"%PDF-1.4 bench", "pdf")
    planned = fields.Datetime.now() + timedelta(hours=2)
    try:
        orders = env["sale.order"].create(
            [
                {
                    "partner_id": customers[n % len(customers)].id,
                    "user_id": salesperson.id,
                    "warehouse_id": warehouse.id,
                    "care_pickup": True,
                    "care_pickup_point_id": point.id,
                    "care_pickup_planned_at": planned,
                    "order_line": [
                        Command.create(
                            {
                                "product_id": products[n % len(products)].id,
                                "product_uom_qty": 2,
                            }
                        )
                    ],
                }
                for n in range(count)
            ]
        )
        for order in orders:
            order.action_confirm()
        pickups = orders.care_pickup_ids
        for pickup in pickups:
            if pickup.state == "to_confirm":
                pickup.action_confirm_with_customer()
            if pickup.state == "confirmed":
                pickup.action_check_stock()
            if pickup.state == "ready":
                pickup.action_send_notice()
    finally:
        Voucher._care_issue = issue
        Report._render_qweb_pdf = render
    return [
        {"id": pickup.id, "code": codes[pickup.id]}
        for pickup in pickups
        if pickup.state in ("ready", "notified") and pickup.id in codes
    ]


def bulk(env, customers):
    """The volume: ``customers`` customers, 10 callbacks and 2 complaints
    each, an invoice of two lines per two customers, by SQL copies of rows
    made by the ORM. Returns the counts."""
    from odoo import fields
    from odoo.tools import SQL

    cr = env.cr
    today = env.company._care_today()
    admin = env.ref("base.user_admin")
    template = env["res.partner"].create(
        {"name": "压测 客户模板", "is_company": True, "customer_rank": 1}
    )
    callback = env["customer.care.callback"].create(
        {"partner_id": template.id, "date": today, "user_id": admin.id}
    )
    ticket = env["helpdesk.ticket"].create(
        {
            "name": "投诉模板",
            "description": "<p>投诉模板</p>",
            "partner_id": template.id,
            "care_is_complaint": True,
            "team_id": env.ref("customer_care.team_complaint").id,
            "care_category": "product_quality",
        }
    )
    product = env["product.product"].create(
        {"name": "压测 发票商品", "type": "service", "list_price": 100.0}
    )
    invoice = env["account.move"].create(
        {
            "move_type": "out_invoice",
            "partner_id": template.id,
            "invoice_date": today,
            "invoice_line_ids": [
                (0, 0, {"product_id": product.id, "price_unit": 100.0, "tax_ids": []})
            ],
        }
    )
    invoice.action_post()
    env.flush_all()
    cr.execute("SET LOCAL plan_cache_mode = force_custom_plan")
    counts = {}
    start = time.perf_counter()
    new_ids(cr, "load_customers", "res_partner", customers)
    name = SQL("'压测客户 ' || lpad(n.g::text, 6, '0')")
    counts["customers"] = insert_copies(
        cr,
        "res_partner",
        SQL("FROM load_customers n JOIN res_partner t ON t.id = %s", template.id),
        {
            "id": SQL("n.id"),
            "commercial_partner_id": SQL("n.id"),
            "name": name,
            "complete_name": name,
            "commercial_company_name": name,
        },
    )
    out(f"  customers: {counts['customers']} in {time.perf_counter() - start:.1f} s")
    start = time.perf_counter()
    states = [key for key, _label in callback._fields["state"].selection]
    counts["callbacks"] = insert_copies(
        cr,
        "customer_care_callback",
        SQL(
            """
            FROM (SELECT n.id AS partner, k.k,
                         %(today)s::date - 1 - mod(n.g * 7 + k.k * 37, 365) AS day
                    FROM load_customers n
                   CROSS JOIN generate_series(0, 9) k(k)) n
            JOIN customer_care_callback t ON t.id = %(template)s
            """,
            today=today,
            template=callback.id,
        ),
        {
            "partner_id": SQL("n.partner"),
            "date": SQL("n.day"),
            "state": SQL(
                "CASE WHEN n.k = 9 THEN 'planned' ELSE %s END",
                "done" if "done" in states else states[-1],
            ),
            "name": SQL("'回访 ' || n.partner || '/' || n.k"),
        },
    )
    out(f"  callbacks: {counts['callbacks']} in {time.perf_counter() - start:.1f} s")
    start = time.perf_counter()
    categories = [
        key for key, _label in ticket._fields["care_category"].selection if key
    ]
    counts["tickets"] = insert_copies(
        cr,
        "helpdesk_ticket",
        SQL(
            """
            FROM (SELECT n.id AS partner, n.g, k.k,
                         (%(categories)s::varchar[])[
                             1 + mod(n.g + k.k, %(n_categories)s)] AS category,
                         %(now)s::timestamp - make_interval(
                             hours => mod(n.g * 13 + k.k * 7, 24 * 365)) AS at
                    FROM load_customers n
                   CROSS JOIN generate_series(0, 1) k(k)) n
            JOIN helpdesk_ticket t ON t.id = %(template)s
            """,
            categories=categories,
            n_categories=len(categories),
            now=fields.Datetime.now(),
            template=ticket.id,
        ),
        {
            "partner_id": SQL("n.partner"),
            "commercial_partner_id": SQL("n.partner"),
            "number": SQL("'LT' || lpad((n.g * 2 + n.k)::text, 7, '0')"),
            "care_category": SQL("n.category"),
            "care_received_at": SQL("n.at"),
            "create_date": SQL("n.at"),
        },
    )
    out(f"  complaints: {counts['tickets']} in {time.perf_counter() - start:.1f} s")
    start = time.perf_counter()
    new_ids(cr, "load_moves", "account_move", max(1, customers // 2))
    cr.execute(
        "ALTER TABLE load_moves ADD COLUMN partner int;"
        " UPDATE load_moves m SET partner = c.id"
        "   FROM load_customers c WHERE c.g = m.g * 2"
    )
    name = SQL("'LB/' || lpad(n.g::text, 7, '0')")
    insert_copies(
        cr,
        "account_move",
        SQL(
            "FROM load_moves n JOIN account_move t ON t.id = %s"
            " WHERE n.partner IS NOT NULL",
            invoice.id,
        ),
        {
            "id": SQL("n.id"),
            "name": name,
            "payment_reference": name,
            "sequence_prefix": SQL("'LB/'"),
            "sequence_number": SQL("n.g"),
            "partner_id": SQL("n.partner"),
            "commercial_partner_id": SQL("n.partner"),
            "partner_shipping_id": SQL("n.partner"),
        },
    )
    counts["invoice_lines"] = insert_copies(
        cr,
        "account_move_line",
        SQL(
            "FROM load_moves n JOIN account_move_line t ON t.move_id = %s"
            " WHERE n.partner IS NOT NULL",
            invoice.id,
        ),
        {
            "move_id": SQL("n.id"),
            "move_name": name,
            "partner_id": SQL("n.partner"),
        },
    )
    out(
        f"  invoice lines: {counts['invoice_lines']} in "
        f"{time.perf_counter() - start:.1f} s"
    )
    for table in (
        "res_partner",
        "customer_care_callback",
        "helpdesk_ticket",
        "account_move",
        "account_move_line",
    ):
        cr.execute(SQL("ANALYZE %s", SQL.identifier(table)))
    return counts


def today_callbacks(env, agents, customers, today):
    """``TODAY_PER_AGENT`` planned phone callbacks due today per agent, with
    the customers the staff works with."""
    values = [
        {
            "partner_id": customers[(i * 7 + n) % len(customers)].id,
            "user_id": agent.id,
            "date": today,
            "method": "phone",
        }
        for i, agent in enumerate(agents)
        for n in range(TODAY_PER_AGENT)
    ]
    return env["customer.care.callback"].create(values)


def own(partners):
    """{salesperson's login: [the ids of his customers of ``partners``]}."""
    mine = {}
    for partner in partners:
        mine.setdefault(partner.user_id.login, []).append(partner.id)
    return mine


def populate(registry, opts):
    from odoo import Command

    with registry.cursor() as cr:
        env = environment(cr)
        company = env.company
        start = time.perf_counter()
        ensure_chart(env, company)
        env["res.lang"]._activate_lang("zh_CN")
        env["ir.module.module"].search(
            [("name", "=", "customer_care")]
        )._update_translations(["zh_CN"])
        logins, staff = make_staff(env, opts.users)
        managers = staff["manager"]
        company.write(
            {
                "care_general_manager_id": managers[0].id,
                "care_credit_manager_id": managers[0].id,
                "care_callback_manager_id": managers[0].id,
                "care_complaint_manager_id": managers[0].id,
            }
        )
        team = env.ref("customer_care.team_complaint")
        team.write({"user_ids": [Command.link(uid) for uid in staff["officer"].ids]})
        salespeople = staff["salesperson"]
        salesperson = salespeople[0]
        count = max(20, opts.users * 7)
        # each customer has its salesperson (who alone sells to it: a
        # salesperson sees his own orders only)
        customers = [
            eligible(
                env,
                f"load customer {n:04d}",
                HIGH_LIMIT,
                salespeople[n % len(salespeople)],
            )
            for n in range(count)
        ]
        tight = [
            eligible(
                env,
                f"load tight {n:03d}",
                TIGHT_LIMIT,
                salespeople[n % len(salespeople)],
            )
            for n in range(max(3, count // 10, len(salespeople)))
        ]
        # a catalogue, not one product: every reservation of one product in
        # one location updates its one quant row (Odoo's stock), which would
        # queue all the confirmations and handovers behind each other
        products = env["product.product"].create(
            [
                {
                    "name": f"压测 商品 {n:03d}",
                    "type": "consu",
                    "is_storable": True,
                    "list_price": 100.0,
                    "taxes_id": [Command.clear()],
                }
                for n in range(opts.products)
            ]
        )
        point, warehouse = all_week_point(env, staff["desk"], managers[0])
        for product in products:
            env["stock.quant"]._update_available_quantity(
                product, warehouse.lot_stock_id, 10**6
            )
        today = company._care_today()
        today_callbacks(env, staff["agent"], customers, today)
        out(
            "staff, customers and today's callbacks: "
            f"{time.perf_counter() - start:.1f} s"
        )
        start = time.perf_counter()
        pickups = make_pickups(
            env, opts.pickups, customers, products, point, warehouse, salesperson
        )
        out(f"pickups notified: {len(pickups)} in {time.perf_counter() - start:.1f} s")
        out("bulk data by SQL:")
        counts = bulk(env, opts.customers)
        # the staff's figures, not the scheduled actions': tomorrow
        cr.execute(
            "UPDATE ir_cron SET nextcall = now() AT TIME ZONE 'UTC' + interval '1 day'"
        )
        commit(cr)
        return {
            "database": cr.dbname,
            "company_id": company.id,
            "today": str(today),
            "month_start": str(today.replace(day=1)),
            "repayment_date": str(today + timedelta(days=14)),
            "logins": logins,
            "customers": [partner.id for partner in customers],
            "tight_customers": [partner.id for partner in tight],
            "own_customers": own(customers),
            "own_tight_customers": own(tight),
            "product_ids": products.ids,
            "complaint_team_id": team.id,
            "pickups": pickups,
            "counts": counts,
        }


# ---------------------------------------------------------------------------
# 2. The server
# ---------------------------------------------------------------------------


def care_tool():
    sys.path.insert(0, str(REPO / "tools"))
    import care

    return care


def start_server(opts, folder):
    care = care_tool()
    port, gevent_port = care.free_port(), care.free_port()
    launcher = care.odoo_launcher(folder)
    problem = care.gevent_problem(launcher)
    if problem:
        out(f"note: Odoo's websocket process cannot start ({problem}); not used here")
    cmd = care.serve_command(
        opts.config,
        opts.database,
        port,
        workers=opts.workers,
        gevent_port=gevent_port,
        launcher=launcher,
    )
    log = open(folder / "server.log", "w", encoding="utf-8")  # noqa: SIM115
    proc = subprocess.Popen(
        [*cmd, "--log-level=warn"],
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
        env=dict(os.environ, TZ="UTC"),
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the server stopped (see {folder / 'server.log'})")
        try:
            with urllib.request.urlopen(f"{url}/web/health", timeout=5) as response:
                if response.status == 200:
                    break
        except (urllib.error.URLError, OSError):
            time.sleep(1)
    else:
        raise RuntimeError("the server did not answer within 180 s")
    # warm-up: the first requests of each worker load its registry and
    # the assets' caches
    for _n in range(opts.workers * 2):
        urllib.request.urlopen(f"{url}/web/login", timeout=120).read()
    return proc, url


def stop_server(proc):
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


# ---------------------------------------------------------------------------
# 3. Locust
# ---------------------------------------------------------------------------


def locust_command(opts):
    found = opts.locust or os.environ.get("CARE_LOCUST") or shutil.which("locust")
    if not found:
        raise RuntimeError(
            "Locust is not installed: run this script through `python3 tools/"
            "care.py bench bench_load`, or give --locust (a Locust of a "
            "virtual environment of its own: it must not change Odoo's Python)"
        )
    return found


def run_locust(opts, url, data_path, folder):
    results = folder / "results.json"
    prefix = folder / "locust"
    cmd = [
        locust_command(opts),
        "-f", str(HERE / "locustfile.py"), "--headless",
        "-u", str(opts.users), "-r", str(opts.spawn_rate),
        "-t", f"{opts.duration}s", "--host", url, "--csv", str(prefix),
        "--only-summary", "--stop-timeout", "15", "--loglevel", "WARNING",
    ]  # fmt: skip
    env = dict(
        os.environ, CARE_LOAD_DATA=str(data_path), CARE_LOAD_RESULTS=str(results)
    )
    start = time.perf_counter()
    with open(folder / "locust.log", "w", encoding="utf-8") as log:
        code = subprocess.call(cmd, env=env, stdout=log, stderr=subprocess.STDOUT)
    seconds = time.perf_counter() - start
    stats_file = Path(f"{prefix}_stats.csv")
    if not stats_file.is_file() or not results.is_file():
        raise RuntimeError(
            f"Locust did not run (exit {code}, see {folder / 'locust.log'})"
        )
    with open(stats_file, encoding="utf-8") as handle:
        stats = list(csv.DictReader(handle))
    exceptions = []
    exceptions_file = Path(f"{prefix}_exceptions.csv")
    if exceptions_file.is_file():
        with open(exceptions_file, encoding="utf-8") as handle:
            exceptions = list(csv.DictReader(handle))
    failures = []
    failures_file = Path(f"{prefix}_failures.csv")
    if failures_file.is_file():
        with open(failures_file, encoding="utf-8") as handle:
            failures = list(csv.DictReader(handle))
    return stats, failures, exceptions, json.loads(results.read_text()), seconds


def report_locust(stats, failures, exceptions, seconds, opts):
    out()
    out(
        f"Locust: {opts.users} people for {opts.duration} s ({seconds:.0f} s in "
        f"all), prefork server with {opts.workers} HTTP workers"
    )
    out(
        "| screen or action | requests | errors | p50 ms | p95 ms | max ms | "
        f"p95 < {TARGET_P95_MS} ms |"
    )
    out("| --- | --: | --: | --: | --: | --: | :-: |")
    worst = 0
    for row in sorted(stats, key=lambda r: (r["Name"] == "Aggregated", r["Name"])):
        p95 = float(row["95%"] or 0)
        name = row["Name"]
        # a login is once a day, and its cost is Odoo's password hashing
        if name not in ("Aggregated", "login"):
            worst = max(worst, p95)
        out(
            f"| {'**all**' if name == 'Aggregated' else name} | {row['Request Count']} "
            f"| {row['Failure Count']} | {float(row['50%'] or 0):.0f} | {p95:.0f} "
            f"| {float(row['Max Response Time'] or 0):.0f} "
            f"| {'yes' if p95 < TARGET_P95_MS else 'NO'} |"
        )
    errors = sum(
        int(row["Failure Count"]) for row in stats if row["Name"] != "Aggregated"
    )
    out(
        f"errors: {errors}; worst p95 of a screen or action (the login aside): "
        f"{worst:.0f} ms (target {TARGET_P95_MS} ms)"
    )
    for row in failures[:10]:
        out(f"  error x{row['Occurrences']} {row['Name']}: {row['Error'][:200]}")
    crashed = sum(int(row["Count"]) for row in exceptions)
    out(f"exceptions in the simulated staff's code: {crashed}")
    for row in exceptions[:5]:
        out(f"  x{row['Count']} {row['Message'][:200]}")
    return errors + crashed


# ---------------------------------------------------------------------------
# 4. Checks
# ---------------------------------------------------------------------------


def checks(registry, data, results):
    """[(what, problems)]: nothing lost, nothing doubled."""
    with registry.cursor() as cr:
        env = environment(cr)
        found = []
        done = env["customer.care.callback"].browse(results["callbacks_done"])
        found.append(
            (
                f"the {len(done)} callbacks recorded are done",
                len(done.filtered(lambda c: c.state != "done")),
            )
        )
        created = results["tickets_created"]
        cr.execute(
            "SELECT count(*), count(DISTINCT number) FROM helpdesk_ticket"
            " WHERE id = ANY(%s) AND care_is_complaint",
            [created],
        )
        count, numbers = cr.fetchone()
        found.append(
            (
                f"the {len(created)} complaints registered are there, numbered once",
                (len(created) - count) + (count - numbers),
            )
        )
        handed = set(results["pickups_handed_over"])
        Pickup = env["customer.care.pickup"]
        pickups = Pickup.browse([p["id"] for p in data["pickups"]])
        wrong = pickups.filtered(
            lambda p: (p.id in handed)
            != (p.state == "collected" and p.picking_id.state == "done")
        )
        found.append(
            (
                f"the {len(handed)} pickups handed over are collected (their "
                "delivery done), the others not",
                len(wrong),
            )
        )
        cr.execute(
            """
            SELECT count(*) FROM sale_order o
             WHERE o.partner_id = ANY(%s) AND o.state = 'sale'
               AND NOT EXISTS (
                   SELECT 1 FROM customer_care_credit_request r
                    WHERE r.sale_order_id = o.id AND r.state = 'approved')
            """,
            [data["tight_customers"]],
        )
        found.append(
            (
                "no order over the limit confirmed without an approved request",
                cr.fetchone()[0],
            )
        )
        cr.execute(
            """
            SELECT count(*) FROM (
                SELECT 1 FROM customer_care_callback
                 WHERE cadence_id IS NOT NULL AND state <> 'cancelled'
                 GROUP BY partner_id, cadence_id, date HAVING count(*) > 1) d
            """
        )
        found.append(("no generated callback twice", cr.fetchone()[0]))
        cr.execute(
            """
            SELECT count(*) FROM (
                SELECT 1 FROM customer_care_credit_request
                 WHERE state IN ('requested', 'approved')
                 GROUP BY sale_order_id HAVING count(*) > 1) d
            """
        )
        found.append(("no order with two open requests", cr.fetchone()[0]))
        return found


def main(argv=None):
    opts = parse(argv)
    folder = Path(opts.keep_logs or tempfile.mkdtemp(prefix="care-load-"))
    folder.mkdir(parents=True, exist_ok=True)
    out(
        f"bench_load: {opts.customers} customers, {opts.users} people, "
        f"{opts.duration} s, {opts.workers} workers (logs in {folder})"
    )
    registry = bootstrap(opts.config, opts.database)
    start = time.perf_counter()
    data = populate(registry, opts)
    out(f"data ready in {time.perf_counter() - start:.0f} s: {data['counts']}")
    data_path = folder / "data.json"
    data_path.write_text(json.dumps(data), encoding="utf-8")
    proc, url = start_server(opts, folder)
    try:
        stats, failures, exceptions, results, seconds = run_locust(
            opts, url, data_path, folder
        )
    finally:
        stop_server(proc)
    report_locust(stats, failures, exceptions, seconds, opts)
    out(
        "done by the staff: "
        + ", ".join(f"{key} {len(value)}" for key, value in results.items())
    )
    failed = 0
    for what, problems in checks(registry, data, results):
        out(f"check: {what}: {'ok' if not problems else f'{problems} FOUND'}")
        failed += bool(problems)
    if failed or opts.keep_logs:
        out(f"logs kept in {folder}")
    else:
        shutil.rmtree(folder, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
