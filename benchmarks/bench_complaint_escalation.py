#!/usr/bin/env python3
# Copyright 2026 customer_care contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Benchmark: escalate the missed deadlines of N complaint tickets.

    python3 tools/care.py bench [--customers N] bench_complaint_escalation [ARGS]

or, on a database where customer_care is installed without demo data:

    python3 benchmarks/bench_complaint_escalation.py --config odoo.conf \\
        --database DB [--customers 200000] [--overdue 0.01] [--profile FILE]

``--customers`` is the number of complaint tickets here (``tools/care.py``
passes it under that name).

Steps (every one prints its figures):

1. N complaint tickets (``helpdesk_ticket`` rows with the columns the ORM
   fills) among a few thousand customers, and their 3 to 5 deadlines, are
   inserted by set-based SQL. About ``--overdue`` of the tickets (1 %) have
   open, not escalated deadlines in the past; the other deadlines are met or
   in the future, and some tickets were escalated before.
2. The search that the escalation run issues is captured and explained
   (``EXPLAIN (ANALYZE, BUFFERS)``): does it read the partial index
   ``customer_care_complaint_deadline_pending_index``?
3. One full escalation run: ``_care_escalate_missed_deadlines(limit)`` until
   nothing more waits, committing after each batch as the cron does. Wall
   time, queries (in total and per batch, split by step and by table),
   deadlines escalated, activities and e-mails created.
4. A second run right after, which must escalate nothing (once only).

Options: ``--overdue`` (fraction of the tickets, default 0.01),
``--one-missed`` (overdue tickets miss one deadline each instead of 1 to 4),
``--partners``, ``--batch`` (default: the method's own limit, as the cron),
``--profile FILE`` and ``--profile-top N``.

This is a measurement, not a test: it asserts nothing and never fails on a
figure. It writes into the database it is given: use a throw-away one.
"""

import argparse
import collections
import contextlib
import cProfile
import io
import logging
import os
import pstats
import sys
import threading
import time

from common import insert_select, parse_args

TICKET = "helpdesk.ticket"
DEADLINE = "customer.care.complaint.deadline"
INDEX = "customer_care_complaint_deadline_pending_index"
OFFICERS = 10
TARGET_SECONDS = 2.0
# the sizes of --smoke: 200 tickets of 100 customers, 10 overdue, escalated
# in batches of 5 deadlines
SMOKE = {"customers": 200, "overdue": 0.05, "batch": 5}
# the deadlines of a complaint, after receipt, and the company setting each
# one comes from; major complaints also have handover and report. Calendar
# time stands for working time here: what counts is which side of "now"
# each deadline falls on.
KINDS = [
    # kind, major only, company field, unit of the field
    ("handover", True, "care_complaint_handover_minutes", "minutes"),
    ("report", True, "care_complaint_report_days", "days"),
    ("proposal", False, "care_complaint_proposal_days", "days"),
    ("progress", False, "care_complaint_progress_days", "days"),
    ("followup", False, "care_complaint_followup_last_day", "days"),
]
# the columns that the SQL inserts write (the other required ones get their
# ORM defaults)
PARTNER_COLUMNS = [
    "id", "commercial_partner_id", "name", "complete_name",
    "commercial_company_name", "email", "type", "lang", "active", "is_company",
    "partner_share", "color", "customer_rank", "supplier_rank", "message_bounce",
    "invoice_warn", "sale_warn", "picking_warn", "autopost_bills", "create_uid",
    "write_uid", "create_date", "write_date",
]  # fmt: skip
TICKET_COLUMNS = [
    "id", "number", "name", "description", "stage_id", "team_id", "company_id",
    "partner_id", "commercial_partner_id", "partner_name", "partner_email",
    "user_id", "priority", "kanban_state", "sequence", "color", "active",
    "unattended", "last_stage_update", "assigned_date", "care_is_complaint",
    "care_received_at", "care_category", "care_tier", "care_crit_compensation",
    "care_crit_safety", "care_crit_large_loss", "care_crit_external",
    "care_crit_escalation", "care_crit_return", "care_is_repeat",
    "care_loss_amount", "care_compensation_amount", "care_compensation_state",
    "create_uid", "write_uid", "create_date", "write_date",
]  # fmt: skip
DEADLINE_COLUMNS = [
    "ticket_id", "company_id", "kind", "deadline", "done_date", "escalated",
    "create_uid", "write_uid", "create_date", "write_date",
]  # fmt: skip
CATEGORIES = [
    "product_quality",
    "sales_contract",
    "repair_quality",
    "service_quality",
    "suggestion",
]


def out(text=""):
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


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

    # the cron runs as its user (OdooBot, the superuser) with an empty context
    return api.Environment(cr, SUPERUSER_ID, {})


def commit(cr):
    cr.commit()  # pylint: disable=invalid-commit


class Steps:
    """Time and queries of some methods of some models, while instrumented.

    ``names`` maps a model class to the names of its methods to measure."""

    def __init__(self, names):
        self.names = names
        self.seconds = collections.Counter()
        self.queries = collections.Counter()
        self._depth = 0

    def __enter__(self):
        for model_class, names in self.names.items():
            for name in names:
                self._wrap(model_class, name, getattr(model_class, name))
        return self

    def _wrap(self, model_class, name, method):
        steps = self
        label = f"{model_class._name}.{name}"

        def timed(records, *args, **kwargs):
            # only the outermost measured call counts: no time counted twice
            if steps._depth:
                return method(records, *args, **kwargs)
            cr = records.env.cr
            queries, start = cr.sql_log_count, time.perf_counter()
            steps._depth += 1
            try:
                return method(records, *args, **kwargs)
            finally:
                steps._depth -= 1
                steps.seconds[label] += time.perf_counter() - start
                steps.queries[label] += cr.sql_log_count - queries

        timed.__name__ = name
        setattr(model_class, name, timed)

    def __exit__(self, *exc):
        for model_class, names in self.names.items():
            for name in names:
                delattr(model_class, name)

    def take(self):
        """The figures since the last call, and reset."""
        figures = dict(self.seconds), dict(self.queries)
        self.seconds.clear()
        self.queries.clear()
        return figures


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
        if head == "UPDATE" and len(words) > 1:
            table = words[1]
        key = f"{head} {table}" if table else " ".join(words)[:40]
        self.seconds[key] += delay
        self.count[key] += 1


# ---------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------


def populate(registry, tickets, overdue, partners, one_missed=False):
    """Complaint tickets and their deadlines by set-based SQL. Returns the
    facts of the data set."""
    from odoo import Command, fields
    from odoo.tools import SQL

    with registry.cursor() as cr:
        env = environment(cr)
        start = time.perf_counter()
        company = env.company
        team = env.ref("customer_care.team_complaint")
        stage = team._get_applicable_stages()[:1]
        # the managers told of missed deadlines: the team leader for the
        # team's complaints, the company's complaint lead for the others
        Users = env["res.users"].with_context(
            no_reset_password=True, mail_create_nolog=True
        )
        manager_group = env.ref("customer_care.group_complaint_manager")
        officer_group = env.ref("customer_care.group_complaint_officer")
        leader, lead, general = Users.create(
            [
                {
                    "name": name,
                    "login": login,
                    "email": f"{login}@example.com",
                    "groups_id": [Command.link(manager_group.id)],
                }
                for name, login in [
                    ("Bench Team Leader", "bench_team_leader"),
                    ("Bench Complaint Lead", "bench_complaint_lead"),
                    ("Bench General Manager", "bench_general_manager"),
                ]
            ]
        )
        officers = Users.create(
            [
                {
                    "name": f"Bench Officer {n:02d}",
                    "login": f"bench_officer_{n:02d}",
                    "email": f"bench_officer_{n:02d}@example.com",
                    "groups_id": [Command.link(officer_group.id)],
                }
                for n in range(1, OFFICERS + 1)
            ]
        )
        team.write({"user_id": leader.id, "user_ids": [Command.set(officers.ids)]})
        company.write(
            {
                "care_complaint_manager_id": lead.id,
                "care_general_manager_id": general.id,
            }
        )
        env.flush_all()
        now = fields.Datetime.now()
        # Plan each foreign-key check (commercial_partner_id refers to
        # res_partner itself): a plan cached by this connection while the
        # table was small would scan it for every row. See README.md.
        cr.execute("SET LOCAL plan_cache_mode = force_custom_plan")
        # the required columns left out (care_credit_mode…) get their ORM
        # defaults, here and below
        partners_select = SQL(
            """
            SELECT s.id, s.id, s.name, s.name, s.name,
                   'customer' || s.g || '@example.com', 'contact', 'en_US',
                   TRUE, TRUE, TRUE, 0, 1, 0, 0, 'no-message', 'no-message',
                   'no-message', 'ask', %(uid)s, %(uid)s, %(now)s, %(now)s
              FROM (SELECT g, nextval('res_partner_id_seq') AS id,
                           'Bench Customer ' || lpad(g::text, 5, '0') AS name
                      FROM generate_series(1, %(partners)s) g) s
            """,
            uid=env.uid,
            now=now,
            partners=partners,
        )
        cr.execute(insert_select(env, "res.partner", PARTNER_COLUMNS, partners_select))
        cr.execute(
            "SELECT array_agg(id ORDER BY id) FROM res_partner "
            "WHERE name LIKE 'Bench Customer %%'"
        )
        partner_ids = cr.fetchone()[0]
        # Tickets. A ticket is overdue when floor(g * overdue) steps up at g:
        # an even spread of round(N * overdue) tickets. Overdue tickets were
        # received 25 hours to 8 days ago and missed all their deadlines
        # after the handover; the others were received over the last year.
        # One ticket in ten is major, another one in ten has no team (its
        # manager is the complaint lead), by a hash of g. Every ticket is
        # assigned to an officer.
        tickets_select = SQL(
            """
            SELECT nextval('helpdesk_ticket_id_seq'),
                   'HT' || lpad(t.g::text, 7, '0'),
                   'Bench complaint ' || t.g,
                   '<p>Bench complaint ' || t.g || '</p>',
                   %(stage)s,
                   CASE WHEN mod(t.h, 10) = 5 THEN NULL ELSE %(team)s END,
                   %(company)s, t.partner, t.partner, p.name, p.email,
                   (%(officers)s::int[])[1 + mod(t.h / 10, %(n_officers)s)],
                   '1', 'normal', 10, 0, TRUE, %(unattended)s,
                   t.received, t.received, TRUE, t.received,
                   (%(categories)s::varchar[])[1 + mod(t.h / 100, 5)],
                   CASE WHEN mod(t.h, 10) = 0 THEN 'major' ELSE 'general' END,
                   mod(t.h, 10) = 0, FALSE, FALSE, FALSE, FALSE, FALSE, FALSE,
                   0.0, 0.0, 'none', %(uid)s, %(uid)s, t.received, t.received
              FROM (SELECT g, h.h,
                           (%(partners)s::int[])[1 + mod(h.h / 500, %(n_partners)s)]
                               AS partner,
                           CASE WHEN floor(g * %(overdue)s)
                                     > floor((g - 1) * %(overdue)s)
                                THEN %(now)s::timestamp - interval '25 hours'
                                     - make_interval(
                                           mins => mod(g * 7919, 7 * 24 * 60))
                                ELSE %(now)s::timestamp - make_interval(
                                           mins => mod(g * 7919, 365 * 24 * 60))
                           END - make_interval(secs => mod(g * 31, 60))
                               AS received
                      FROM generate_series(1, %(tickets)s) g,
                           -- a hash of g, so that tier, team, officer and
                           -- customer do not follow the overdue tickets
                           LATERAL (SELECT ('x' || substr(md5(g::text), 1, 7))
                                           ::bit(28)::int AS h) h) t
              JOIN res_partner p ON p.id = t.partner
             ORDER BY t.g
            """,
            stage=stage.id,
            team=team.id,
            company=company.id,
            officers=officers.ids,
            n_officers=len(officers),
            unattended=bool(stage.unattended),
            categories=CATEGORIES,
            uid=env.uid,
            partners=partner_ids,
            n_partners=len(partner_ids),
            overdue=overdue,
            now=now,
            tickets=tickets,
        )
        cr.execute(insert_select(env, TICKET, TICKET_COLUMNS, tickets_select))
        # Deadlines. The handover is met (the tickets are assigned). Overdue
        # tickets: no other deadline met, none escalated, so 1 to 4 missed
        # each (with one_missed: the proposal only, the others as on the
        # other tickets). The other tickets: the deadlines already due were
        # met (at 80 % of the time allowed), except on one ticket in 200
        # whose missed proposal was escalated before and is still open; the
        # deadlines not due yet are open. No open deadline falls due in the
        # hour after now (those are met early), so that the run finds the
        # deadlines counted here.
        kinds = SQL(", ").join(
            SQL(
                "(%s, %s, make_interval(mins => %s))",
                kind,
                major_only,
                round(company[field] * (1 if unit == "minutes" else 24 * 60)),
            )
            for kind, major_only, field, unit in KINDS
        )
        deadlines_select = SQL(
            """
            SELECT d.id, d.company_id, d.kind, d.deadline,
                   CASE WHEN d.kind = 'handover' THEN d.met
                        WHEN d.missed AND d.deadline < %(now)s THEN NULL
                        WHEN d.deadline >= %(now)s + interval '1 hour'
                        THEN NULL
                        WHEN d.old_escalation AND d.deadline < %(now)s
                        THEN NULL
                        ELSE d.met
                   END,
                   CASE WHEN d.old_escalation AND NOT d.missed
                             AND d.deadline < %(now)s
                        THEN TRUE END,
                   %(uid)s, %(uid)s, d.received, d.received
              FROM (SELECT t.id, t.company_id, k.kind,
                           t.care_received_at AS received,
                           t.care_received_at + k.delay AS deadline,
                           LEAST(t.care_received_at + k.delay * 0.8, %(now)s)
                               AS met,
                           floor(g.n * %(overdue)s) > floor((g.n - 1) * %(overdue)s)
                           AND (k.kind = 'proposal' OR NOT %(one_missed)s)
                               AS missed,
                           k.kind = 'proposal' AND mod(g.n, 200) = 3
                               AS old_escalation
                      FROM helpdesk_ticket t
                      JOIN LATERAL (SELECT substr(t.number, 3)::int AS n) g
                        ON TRUE
                      JOIN (VALUES %(kinds)s) AS k(kind, major_only, delay)
                        ON NOT k.major_only OR t.care_tier = 'major'
                     WHERE t.care_is_complaint) d
             ORDER BY d.id, d.kind
            """,
            now=now,
            uid=env.uid,
            overdue=overdue,
            one_missed=one_missed,
            kinds=kinds,
        )
        cr.execute(insert_select(env, DEADLINE, DEADLINE_COLUMNS, deadlines_select))
        # the stored computed next deadline: the earliest one not met
        cr.execute(
            """
            UPDATE helpdesk_ticket t
               SET care_next_deadline = d.next
              FROM (SELECT ticket_id, min(deadline) AS next
                      FROM customer_care_complaint_deadline
                     WHERE done_date IS NULL
                     GROUP BY ticket_id) d
             WHERE d.ticket_id = t.id
            """
        )
        for table in (
            "res_partner",
            "helpdesk_ticket",
            "customer_care_complaint_deadline",
        ):
            cr.execute(SQL("ANALYZE %s", SQL.identifier(table)))
        commit(cr)
        env.invalidate_all()
        env.registry.clear_cache()
        facts = deadline_facts(cr, now)
        facts["seconds"] = time.perf_counter() - start
        facts["partners"] = len(partner_ids)
        facts["managers"] = [leader.name, lead.name]
        return facts


def deadline_facts(cr, now):
    cr.execute(
        """
        SELECT count(*) FILTER (WHERE care_is_complaint),
               count(*) FILTER (WHERE care_tier = 'major'),
               count(*) FILTER (WHERE team_id IS NULL)
          FROM helpdesk_ticket
        """
    )
    tickets, major, without_team = cr.fetchone()
    cr.execute(
        """
        SELECT count(*),
               count(*) FILTER (WHERE done_date IS NOT NULL),
               count(*) FILTER (WHERE done_date IS NULL AND deadline >= %(now)s),
               count(*) FILTER (WHERE done_date IS NULL AND escalated),
               count(*) FILTER (WHERE done_date IS NULL AND escalated IS NOT TRUE
                                  AND deadline < %(now)s),
               count(DISTINCT ticket_id) FILTER (
                   WHERE done_date IS NULL AND escalated IS NOT TRUE
                     AND deadline < %(now)s)
          FROM customer_care_complaint_deadline
        """,
        {"now": now},
    )
    total, done, future, escalated, missed, missed_tickets = cr.fetchone()
    cr.execute(
        """
        SELECT pg_size_pretty(pg_relation_size(%s::regclass)),
               pg_size_pretty(pg_relation_size('customer_care_complaint_deadline'))
        """,
        [INDEX],
    )
    index_size, table_size = cr.fetchone()
    return {
        "tickets": tickets,
        "major": major,
        "without_team": without_team,
        "deadlines": total,
        "done": done,
        "future": future,
        "escalated_before": escalated,
        "missed": missed,
        "missed_tickets": missed_tickets,
        "index_size": index_size,
        "table_size": table_size,
    }


def counts(cr):
    """Rows of the tables the escalation writes to."""
    cr.execute(
        """
        SELECT (SELECT count(*) FROM mail_activity WHERE res_model = %s),
               (SELECT count(*) FROM mail_mail),
               (SELECT count(*) FROM mail_message),
               (SELECT count(*) FROM mail_followers WHERE res_model = %s),
               (SELECT count(*) FROM customer_care_complaint_deadline
                 WHERE escalated)
        """,
        [TICKET, TICKET],
    )
    return dict(
        zip(
            ["activities", "mails", "messages", "followers", "escalated"],
            cr.fetchone(),
            strict=True,
        )
    )


# ---------------------------------------------------------------------------
# The search and its plan
# ---------------------------------------------------------------------------


class Captured(Exception):
    """Raised by the query hook to stop the run once the search has run."""


def capture_search(registry, batch):
    """The query with which the escalation run reads the missed deadlines,
    captured from a run stopped right after it (and rolled back)."""
    from odoo.sql_db import categorize_query

    found = []

    def hook(cr, query, params, start, delay):
        text = query if isinstance(query, str) else query.decode()
        kind, table = categorize_query(text)
        if (
            kind == "from"
            and table == "customer_care_complaint_deadline"
            and text.lstrip().upper().startswith("SELECT")
        ):
            found.append((text, params))
            raise Captured

    with registry.cursor() as cr, query_hook(hook):
        env = environment(cr)
        # the hook stops the run right after the search
        with contextlib.suppress(Captured):
            env[TICKET]._care_escalate_missed_deadlines(limit=batch)
        cr.rollback()
    return found[0] if found else (None, None)


def explain(registry, query, params):
    """EXPLAIN (ANALYZE, BUFFERS) of ``query``: the plan's lines, whether it
    reads the open-deadlines index and how."""
    from odoo.tools import SQL

    with registry.cursor() as cr:
        # the ORM's queries take positional parameters
        cr.execute(SQL("EXPLAIN (ANALYZE, BUFFERS) %s", SQL(query, *(params or ()))))
        lines = [row[0] for row in cr.fetchall()]
        cr.rollback()
    scans = [line.strip() for line in lines if INDEX in line]
    seq = sorted(
        {
            line.split("Seq Scan on ", 1)[1].split()[0]
            for line in lines
            if "Seq Scan on " in line
        }
    )
    return lines, scans, seq


# ---------------------------------------------------------------------------
# Escalation runs
# ---------------------------------------------------------------------------


def escalation_run(registry, batch, label, profile=None):
    """Escalate until nothing more waits, one commit per batch like the cron.

    Returns a dict of figures."""
    model_steps = {
        registry[TICKET]: ["_care_responsible_manager"],
        registry[DEADLINE]: ["search", "write"],
        registry["mail.activity"]: ["create"],
        registry["mail.template"]: ["send_mail"],
    }
    batches = []
    error = None
    sql = SqlTime()
    with registry.cursor() as cr:
        before = counts(cr)
        commit(cr)
    # a failing batch is reported below; Odoo's "bad query" log would print
    # the whole statement (hundreds of rows of values)
    sql_logger = logging.getLogger("odoo.sql_db")
    sql_level = sql_logger.level
    sql_logger.setLevel(logging.CRITICAL)
    with registry.cursor() as cr, Steps(model_steps) as steps, query_hook(sql):
        env = environment(cr)
        model = env[TICKET]
        queries_start = cr.sql_log_count
        start, cpu = time.perf_counter(), time.process_time()
        if profile:
            profile.enable()
        while True:
            queries, begin = cr.sql_log_count, time.perf_counter()
            try:
                missed, more = model._care_escalate_missed_deadlines(limit=batch)
                escalated = len(missed)
                queries_run = cr.sql_log_count - queries
                commit(cr)
            except Exception as exc:  # noqa: BLE001 - a figure, not a test
                # the cron's transaction would be rolled back the same way
                cr.rollback()
                error = f"batch {len(batches) + 1} failed: {type(exc).__name__}: "
                error += str(exc).strip().splitlines()[0] if str(exc).strip() else ""
                steps.take()
                break
            seconds, step_queries = steps.take()
            batches.append(
                {
                    "escalated": escalated,
                    "queries": cr.sql_log_count - queries,
                    "queries_run": queries_run,
                    "seconds": time.perf_counter() - begin,
                    "seconds_steps": seconds,
                    "queries_steps": step_queries,
                }
            )
            if not more:
                break
        if profile:
            profile.disable()
        total = time.perf_counter() - start
        cpu = time.process_time() - cpu
        queries = cr.sql_log_count - queries_start
    sql_logger.setLevel(sql_level)
    with registry.cursor() as cr:
        after = counts(cr)
    return {
        "label": label,
        "seconds": total,
        "cpu": cpu,
        "queries": queries,
        "batches": batches,
        "escalated": sum(b["escalated"] for b in batches),
        "written": {key: after[key] - before[key] for key in after},
        "sql": sql,
        "error": error,
    }


def report_run(run):
    batches = run["batches"]
    written = run["written"]
    out(
        f"{run['label']}: {run['escalated']} deadlines escalated in "
        f"{len(batches)} batch(es): {run['seconds']:.3f} s, {run['queries']} "
        "queries"
    )
    if run["error"]:
        out(f"  FAILED: {run['error']} (rolled back)")
    out(
        f"  written: {written['activities']} activities, {written['mails']} "
        f"mails ({written['messages']} messages), {written['followers']} "
        f"followers, {written['escalated']} deadlines marked escalated"
    )
    out("  per batch (queries with the commit's flush):")
    out("    escalated  seconds  queries  of which in the method")
    for b in batches:
        out(
            f"    {b['escalated']:9d}  {b['seconds']:7.3f}  {b['queries']:7d}  "
            f"{b['queries_run']:7d}"
        )
    seconds = collections.Counter()
    queries = collections.Counter()
    for b in batches:
        seconds.update(b["seconds_steps"])
        queries.update(b["queries_steps"])
    if seconds:
        out("  where the time goes:")
        for name, value in seconds.most_common():
            out(f"    {name:<45} {value:7.3f} s  {queries[name]:6d} queries")
        out(
            f"    {'rest (reads, loop, flush, commit)':<45} "
            f"{run['seconds'] - sum(seconds.values()):7.3f} s"
        )
    sql = run["sql"]
    total = sum(sql.seconds.values())
    out(
        f"  SQL: {total:.3f} s in {sum(sql.count.values())} queries "
        f"({total / run['seconds']:.0%} of the wall time); the most expensive:"
        if run["seconds"]
        else "  SQL: -"
    )
    for key, value in sql.seconds.most_common(8):
        out(f"    {key:<45} {value:7.3f} s  {sql.count[key]:6d} queries")
    out(
        f"  CPU of this process (Python): {run['cpu']:.3f} s; wall time less "
        f"SQL and Python CPU (waiting for a CPU): "
        f"{max(run['seconds'] - total - run['cpu'], 0):.3f} s"
    )


# ---------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------


def print_profile(profile, top):
    for sort in ("tottime", "cumulative"):
        buffer = io.StringIO()
        stats = pstats.Stats(profile, stream=buffer)
        stats.strip_dirs().sort_stats(sort).print_stats(top)
        out(f"--- profile of the escalation run, top {top} by {sort} ---")
        lines = buffer.getvalue().splitlines()
        start = next((i for i, line in enumerate(lines) if "ncalls" in line), 0)
        for line in lines[start:]:
            if line.strip():
                out(line.rstrip())


def main(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--config", required=True, help="the Odoo configuration file")
    parser.add_argument("--database", required=True)
    parser.add_argument(
        "--customers",
        type=int,
        default=200000,
        help="complaint tickets to create (the name is the one tools/care.py "
        "passes)",
    )
    parser.add_argument(
        "--overdue",
        type=float,
        default=0.01,
        help="fraction of the tickets with missed deadlines not escalated yet",
    )
    parser.add_argument(
        "--one-missed",
        action="store_true",
        help="overdue tickets miss their proposal only (by default they miss "
        "every deadline after the handover: 1 to 4 each)",
    )
    parser.add_argument(
        "--partners",
        type=int,
        default=0,
        help="customers the tickets are spread over (default: N / 40, "
        "between 100 and 5000)",
    )
    parser.add_argument(
        "--batch",
        type=int,
        default=0,
        help="deadlines per batch (default: the method's own, as the cron)",
    )
    parser.add_argument(
        "--profile",
        metavar="FILE",
        help="profile the timed run with cProfile, save the stats to FILE and "
        "print the top functions",
    )
    parser.add_argument("--profile-top", type=int, default=30)
    opts = parse_args(parser, argv, SMOKE)
    partners = opts.partners or min(5000, max(100, opts.customers // 40))
    batch = opts.batch or None

    registry = bootstrap(opts.config, opts.database)
    with registry.cursor() as cr:
        cr.execute("SELECT count(*) FROM customer_care_complaint_deadline")
        if cr.fetchone()[0]:
            sys.exit("the database has complaint deadlines already: use a fresh one")
    out(
        f"{opts.customers} complaint tickets, {opts.overdue:.1%} overdue, "
        f"batch {batch or 'of the method'}; {os.cpu_count()} CPUs, load "
        f"average {os.getloadavg()[0]:.1f} (other processes on the machine "
        "distort the times)"
    )

    # 1. data
    facts = populate(registry, opts.customers, opts.overdue, partners, opts.one_missed)
    out(
        f"populated {facts['tickets']} tickets ({facts['major']} major, "
        f"{facts['without_team']} without team) of {facts['partners']} "
        f"customers in {facts['seconds']:.1f} s"
    )
    out(
        f"  {facts['deadlines']} deadlines: {facts['done']} met, "
        f"{facts['future']} open and not due, {facts['escalated_before']} "
        f"escalated before and open, {facts['missed']} missed and not "
        f"escalated on {facts['missed_tickets']} tickets "
        f"({facts['missed_tickets'] / facts['tickets']:.2%})"
    )
    out(
        f"  table {facts['table_size']}, partial index {INDEX} "
        f"{facts['index_size']}; managers: {', '.join(facts['managers'])}"
    )

    # 2. the search and its plan
    query, params = capture_search(registry, batch)
    uses_index, seq = False, []
    if query is None:
        out("search: not captured (no SELECT on the deadlines in the run)")
    else:
        out("search issued by the run:")
        out("  " + " ".join(query.split()))
        out(f"  parameters: {params}")
        lines, scans, seq = explain(registry, query, params)
        out("EXPLAIN (ANALYZE, BUFFERS):")
        for line in lines:
            out("  " + line)
        uses_index = bool(scans)
        out(
            f"index {INDEX}: "
            + (
                f"USED ({scans[0].split(' on ')[0].lstrip('-> ')})"
                if scans
                else "NOT used"
            )
            + (f"; sequential scans of {', '.join(seq)}" if seq else "")
        )

    # 3. the escalation, timed (and profiled when asked)
    profile = cProfile.Profile() if opts.profile else None
    first = escalation_run(registry, batch, "escalation run", profile)
    report_run(first)
    if profile:
        profile.dump_stats(opts.profile)
        out(f"  profile saved to {opts.profile}")
        print_profile(profile, opts.profile_top)

    # 4. once only: a second run finds nothing
    second = escalation_run(registry, batch, "second run (must escalate 0)")
    report_run(second)

    # 5. summary
    full = [b["queries"] for b in first["batches"] if b["escalated"]]
    per_batch = (
        f"{min(full)}-{max(full)}" if full and min(full) != max(full) else
        str(full[0]) if full else "-"
    )  # fmt: skip
    failed = first["error"] or second["error"]
    met = not failed and first["seconds"] < TARGET_SECONDS and uses_index
    out("")
    out(
        f"=== {facts['tickets']} tickets, {facts['deadlines']} deadlines, "
        f"{facts['missed']} missed on {facts['missed_tickets']} tickets ==="
    )
    out(
        f"escalation: {first['escalated']} of {facts['missed']} escalated in "
        f"{first['seconds']:.3f} s, {first['queries']} queries "
        f"({len(first['batches'])} batches, {per_batch} per batch), "
        f"{first['written']['activities']} activities, "
        f"{first['written']['mails']} mails"
        + (f", FAILED ({first['error']})" if first["error"] else "")
    )
    out(
        f"second run: {second['escalated']} escalated (must be 0) in "
        f"{second['seconds']:.3f} s, {second['queries']} queries"
        + (f", FAILED ({second['error']})" if second["error"] else "")
    )
    out(
        f"index {INDEX}: {'used' if uses_index else 'NOT used'}"
        + (f" (sequential scans of {', '.join(seq)})" if seq else "")
    )
    out(
        f"target (under {TARGET_SECONDS:.0f} s, reading the index): time "
        f"{'within' if first['seconds'] < TARGET_SECONDS else 'over'}, index "
        f"{'used' if uses_index else 'not used'}"
        + (", run failed" if failed else "")
        + f": {'MET' if met else 'MISSED'}"
    )
    out(f"load average at the end: {os.getloadavg()[0]:.1f}")
    # a batch that raised fails the run (the figures never do)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
