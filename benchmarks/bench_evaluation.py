#!/usr/bin/env python3
# Copyright 2026 customer_care contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Benchmark: the quarterly preparation of the staff evaluations (issue 15,
"the quarterly preparation over 200 staff and 1,000,000 callbacks runs in
seconds").

    python3 tools/care.py bench --customers 100000 bench_evaluation [ARGS]

or, on a database where customer_care is installed without demo data:

    python3 benchmarks/bench_evaluation.py --config odoo.conf --database DB \\
        [--customers 100000] [--staff 200] [--callbacks 1000000]

Steps (every one prints its figures):

1. Data by SQL copies of rows made by the ORM: ``--staff`` callback agents
   (through the ORM), ``--customers`` customers and ``--callbacks`` callbacks
   in the last quarter, spread over the agents and the customers' days: 8 in
   10 done (1 in 10 of them late), with scores; and two tickets per agent
   handled in the quarter.
2. ``customer.care.evaluation._care_prepare(company, year, quarter)``, the
   method of the scheduled action: wall time, queries, evaluations made.
3. The same again: nothing new is made (idempotent), with its time.

A measurement, not a test: no figure fails it. It writes into the database
it is given: use a throw-away one.
"""

import argparse
import sys
import time
from datetime import date

from bench_credit_check import bootstrap, commit, environment, insert_copies, new_ids
from common import parse_args

SMOKE = {"customers": 200, "staff": 10, "callbacks": 2000}


def out(text=""):
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def parse(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--config", required=True)
    parser.add_argument("--database", required=True)
    parser.add_argument("--customers", type=int, default=100000)
    parser.add_argument("--staff", type=int, default=200)
    parser.add_argument("--callbacks", type=int, default=1000000)
    return parse_args(parser, argv, SMOKE)


def populate(registry, opts):
    from odoo import Command
    from odoo.tools import SQL

    with registry.cursor() as cr:
        env = environment(cr)
        company = env.company
        Evaluation = env["customer.care.evaluation"]
        year, quarter = Evaluation._care_previous_quarter(company._care_today())
        first = date(year, 3 * (int(quarter) - 1) + 1, 1)
        start = time.perf_counter()
        group = env.ref("customer_care.group_callback_agent")
        agents = (
            env["res.users"]
            .with_context(no_reset_password=True, mail_create_nolog=True)
            .create(
                [
                    {
                        "name": f"考评 回访专员 {n:03d}",
                        "login": f"bench_eval_agent_{n:03d}",
                        "groups_id": [Command.link(group.id)],
                    }
                    for n in range(opts.staff)
                ]
            )
        )
        template = env["res.partner"].create(
            {"name": "考评 客户模板", "is_company": True, "customer_rank": 1}
        )
        callback = env["customer.care.callback"].create(
            {"partner_id": template.id, "date": first, "user_id": agents[0].id}
        )
        ticket = env["helpdesk.ticket"].create(
            {
                "name": "服务工单",
                "description": "<p>服务工单</p>",
                "partner_id": template.id,
                "user_id": agents[0].id,
            }
        )
        env.flush_all()
        cr.execute("SET LOCAL plan_cache_mode = force_custom_plan")
        new_ids(cr, "eval_customers", "res_partner", opts.customers)
        name = SQL("'考评客户 ' || lpad(n.g::text, 6, '0')")
        insert_copies(
            cr,
            "res_partner",
            SQL("FROM eval_customers n JOIN res_partner t ON t.id = %s", template.id),
            {
                "id": SQL("n.id"),
                "commercial_partner_id": SQL("n.id"),
                "name": name,
                "complete_name": name,
                "commercial_company_name": name,
            },
        )
        cr.execute(
            "CREATE TEMP TABLE eval_agents AS"
            " SELECT row_number() OVER (ORDER BY id) - 1 AS k, id"
            " FROM res_users WHERE id = ANY(%s)",
            [agents.ids],
        )
        callbacks = insert_copies(
            cr,
            "customer_care_callback",
            SQL(
                """
                FROM (SELECT s.g, c.id AS partner, a.id AS agent,
                             %(first)s::date + mod(s.g * 7, 90) AS day,
                             mod(s.g, 10) AS k
                        FROM generate_series(1, %(count)s) s(g)
                        JOIN eval_customers c ON c.g = 1 + mod(s.g, %(customers)s)
                        JOIN eval_agents a ON a.k = mod(s.g, %(staff)s)) n
                JOIN customer_care_callback t ON t.id = %(template)s
                """,
                first=first,
                count=opts.callbacks,
                customers=opts.customers,
                staff=opts.staff,
                template=callback.id,
            ),
            {
                "partner_id": SQL("n.partner"),
                "user_id": SQL("n.agent"),
                "date": SQL("n.day"),
                "state": SQL("CASE WHEN n.k < 8 THEN 'done' ELSE 'planned' END"),
                "care_done_date": SQL(
                    "CASE WHEN n.k < 8 THEN n.day + (n.k = 7)::int END"
                ),
                "care_done_late": SQL("n.k = 7"),
                "care_done_on_time": SQL("n.k < 7"),
                "care_done_same_day": SQL("n.k < 7"),
                "score_overall": SQL(
                    "CASE WHEN n.k < 8 THEN (1 + mod(n.g, 5))::text END"
                ),
                "score_average": SQL("CASE WHEN n.k < 8 THEN 1 + mod(n.g, 5) END"),
            },
        )
        tickets = insert_copies(
            cr,
            "helpdesk_ticket",
            SQL(
                """
                FROM (SELECT a.id AS agent, a.k, k.k AS j
                        FROM eval_agents a CROSS JOIN generate_series(0, 1) k(k)) n
                JOIN helpdesk_ticket t ON t.id = %s
                """,
                ticket.id,
            ),
            {
                "user_id": SQL("n.agent"),
                "number": SQL("'EV' || lpad((n.k * 2 + n.j)::text, 6, '0')"),
                "create_date": SQL("%s::timestamp + interval '10 days'", first),
                "care_received_at": SQL("NULL"),
            },
        )
        for table in ("res_partner", "customer_care_callback", "helpdesk_ticket"):
            cr.execute(SQL("ANALYZE %s", SQL.identifier(table)))
        commit(cr)
        out(
            f"data: {opts.staff} agents, {opts.customers} customers, {callbacks} "
            f"callbacks and {tickets} tickets in {year} Q{quarter}, in "
            f"{time.perf_counter() - start:.1f} s"
        )
        return company.id, year, quarter


def prepare(registry, company_id, year, quarter, label):
    with registry.cursor() as cr:
        env = environment(cr)
        Evaluation = env["customer.care.evaluation"]
        company = env["res.company"].browse(company_id)
        before = Evaluation.search_count([])
        queries = cr.sql_log_count
        start = time.perf_counter()
        Evaluation._care_prepare(company, year, quarter)
        env.flush_all()
        seconds = time.perf_counter() - start
        queries = cr.sql_log_count - queries
        made = Evaluation.search_count([]) - before
        commit(cr)
    out(f"{label}: {made} evaluations made in {seconds:.2f} s, {queries} queries")
    return made


def main(argv=None):
    opts = parse(argv)
    registry = bootstrap(opts.config, opts.database)
    company_id, year, quarter = populate(registry, opts)
    made = prepare(registry, company_id, year, quarter, "prepare the quarter")
    again = prepare(registry, company_id, year, quarter, "prepare it again")
    out(f"idempotent: {'yes' if not again else 'NO'} ({made} then {again})")
    return 1 if again else 0


if __name__ == "__main__":
    sys.exit(main())
