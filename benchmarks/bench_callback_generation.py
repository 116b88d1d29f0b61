#!/usr/bin/env python3
# Copyright 2026 customer_care contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Benchmark: generate the due callbacks of N customers, ORM against SQL.

    python3 tools/care.py bench [--customers N] [bench_callback_generation ARGS]

or, on a database where customer_care is installed without demo data:

    python3 benchmarks/bench_callback_generation.py --config odoo.conf \\
        --database DB [--customers N] [--batch 1000] [--profile FILE]

Steps (every one prints its figures):

1. N customer companies are inserted by set-based SQL, 10 % key accounts,
   80 % ordinary customers, 10 % dealers; 90 % have one of 20 agents, the
   others fall back to the company's default agent.
2. ORM: ``_care_generate_due_callbacks(today, limit=batch)`` until nothing
   more is due, committing after each batch as the cron does. Wall time,
   queries (in total and per batch, split by step), callbacks, activities,
   followers, peak RSS.
3. SQL: the same rows written by ``INSERT ... SELECT``: callbacks only, then
   their activities, then their followers; the rows are checked to be the
   ones the ORM wrote.
4. ORM again, under ``tracemalloc``, for the peak of Python allocations.
5. The monthly summary ``res.company._care_callback_monthly_summary`` over the
   callbacks, some set done with scores, when that method exists.

This is a measurement, not a test: it asserts nothing and never fails on a
figure. It writes into the database it is given: use a throw-away one.
"""

import argparse
import collections
import cProfile
import datetime
import io
import os
import pstats
import resource
import sys
import time
import tracemalloc

from common import insert_select, parse_args

MODEL = "customer.care.callback"
AGENTS = 20
# the sizes of --smoke: 380 callbacks in 4 batches
SMOKE = {"customers": 200, "batch": 100}
# segment code by customer id % 10: 10 % key accounts, 10 % dealers, 80 % others
MIX = {0: "key_account", 1: "dealer"}
OTHERS = "ordinary"
CALLBACK_COLUMNS = [
    "partner_id", "cadence_id", "date", "method", "callback_type", "user_id",
    "company_id", "branch_id", "contact_id", "state", "active", "is_overdue",
    "summary", "origin_ref", "score_average", "satisfaction", "issue_count",
    "score_delivery", "score_shipping", "score_receipt_return", "score_cargo_safety",
    "score_service_attitude", "score_driver_attitude", "score_damage_handling",
    "score_overall", "create_uid", "write_uid",
]  # fmt: skip
ACTIVITY_COLUMNS = [
    "res_model_id", "res_model", "res_name", "activity_type_id", "summary",
    "note", "date_deadline", "date_done", "user_id", "user_tz", "automated",
    "active", "request_partner_id", "recommended_activity_type_id",
    "previous_activity_type_id", "create_uid", "write_uid",
]  # fmt: skip
# the columns of the customers inserted by SQL (the other required ones get
# their ORM defaults)
PARTNER_COLUMNS = [
    "id", "commercial_partner_id", "name", "complete_name",
    "commercial_company_name", "type", "lang", "active", "is_company",
    "partner_share", "color", "customer_rank", "supplier_rank", "message_bounce",
    "invoice_warn", "sale_warn", "picking_warn", "autopost_bills",
    "care_agent_id", "care_branch_id", "create_uid", "write_uid", "create_date",
    "write_date",
]  # fmt: skip
# the columns that the SQL baseline writes (the other required ones get
# their ORM defaults)
CALLBACK_INSERT_COLUMNS = [
    "partner_id", "cadence_id", "date", "method", "callback_type", "user_id",
    "company_id", "branch_id", "state", "active", "summary", "score_average",
    "satisfaction", "issue_count", "create_uid", "write_uid", "create_date",
    "write_date",
]  # fmt: skip
ACTIVITY_INSERT_COLUMNS = [
    "res_model_id", "res_model", "res_id", "res_name", "activity_type_id",
    "summary", "date_deadline", "user_id", "user_tz", "active", "create_uid",
    "write_uid", "create_date", "write_date",
]  # fmt: skip
FOLLOWER_INSERT_COLUMNS = ["res_model", "res_id", "partner_id"]
ACTIVITY_TYPES = {
    "phone": "mail.mail_activity_data_call",
    "onsite": "mail.mail_activity_data_meeting",
    "email": "mail.mail_activity_data_email",
}
ACTIVITY_TYPE_OTHER = "mail.mail_activity_data_todo"


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
    return fields.get("VmRSS", 0.0), max(peak, fields.get("VmHWM", 0.0))


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
    """Time and queries of some methods of a model, while instrumented."""

    def __init__(self, model_class, names):
        self.model_class = model_class
        self.names = names
        self.seconds = collections.Counter()
        self.queries = collections.Counter()

    def __enter__(self):
        for name in self.names:
            self._wrap(name, getattr(self.model_class, name))
        return self

    def _wrap(self, name, method):
        steps = self

        def timed(records, *args, **kwargs):
            cr = records.env.cr
            queries, start = cr.sql_log_count, time.perf_counter()
            try:
                return method(records, *args, **kwargs)
            finally:
                steps.seconds[name] += time.perf_counter() - start
                steps.queries[name] += cr.sql_log_count - queries

        timed.__name__ = name
        setattr(self.model_class, name, timed)

    def __exit__(self, *exc):
        for name in self.names:
            delattr(self.model_class, name)

    def take(self):
        """The figures since the last call, and reset."""
        figures = dict(self.seconds), dict(self.queries)
        self.seconds.clear()
        self.queries.clear()
        return figures


# ---------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------


def populate(registry, customers):
    from odoo import Command
    from odoo.tools import SQL

    with registry.cursor() as cr:
        env = environment(cr)
        start = time.perf_counter()
        group = env.ref("customer_care.group_callback_agent")
        agents = (
            env["res.users"]
            .with_context(no_reset_password=True, mail_create_nolog=True)
            .create(
                [
                    {
                        "name": f"Bench Agent {n:02d}",
                        "login": f"bench_agent_{n:02d}",
                        "groups_id": [Command.link(group.id)],
                    }
                    for n in range(1, AGENTS + 1)
                ]
            )
        )
        env.company.care_default_agent_id = env.ref("base.user_admin")
        segments = {
            seg.code: seg.id
            for seg in env["customer.care.segment"].search(
                [("code", "in", [*MIX.values(), OTHERS])]
            )
        }
        team = env.ref("sales_team.team_sales_department")
        env.flush_all()
        # The check of commercial_partner_id (a foreign key to res_partner
        # itself) may reuse a plan cached by this connection while res_partner
        # had a few rows: a sequential scan per row, quadratic. Plan each check.
        cr.execute("SET LOCAL plan_cache_mode = force_custom_plan")
        # the other required columns (care_credit_mode…) get their defaults
        partners = insert_select(
            env,
            "res.partner",
            PARTNER_COLUMNS,
            SQL(
                """
                SELECT s.id, s.id, s.name, s.name, s.name, 'contact', 'en_US',
                       TRUE, TRUE, TRUE, 0, 1, 0, 0, 'no-message',
                       'no-message', 'no-message', 'ask',
                       CASE WHEN mod(s.id, 10) = 9 THEN NULL
                            ELSE (%(agents)s::int[])[1 + mod(s.id, %(n_agents)s)]
                       END,
                       %(team)s, %(uid)s, %(uid)s,
                       now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
                  FROM (SELECT nextval('res_partner_id_seq') AS id,
                               'Bench Customer ' || lpad(g::text, 6, '0') AS name
                          FROM generate_series(1, %(customers)s) g) s
                """,
                agents=agents.ids,
                n_agents=len(agents),
                team=team.id,
                uid=env.uid,
                customers=customers,
            ),
        )
        cr.execute(
            SQL(
                """
                WITH new AS (%(partners)s RETURNING id)
                INSERT INTO res_partner_care_segment_rel (partner_id, segment_id)
                SELECT id, CASE mod(id, 10) WHEN 0 THEN %(seg0)s WHEN 1 THEN %(seg1)s
                                ELSE %(others)s END
                  FROM new
                """,
                partners=partners,
                seg0=segments[MIX[0]],
                seg1=segments[MIX[1]],
                others=segments[OTHERS],
            )
        )
        cr.execute("ANALYZE res_partner")
        cr.execute("ANALYZE res_partner_care_segment_rel")
        commit(cr)
        env.invalidate_all()
        env.registry.clear_cache()
        cr.execute(
            """
            SELECT s.code, count(*)
              FROM res_partner_care_segment_rel r
              JOIN customer_care_segment s ON s.id = r.segment_id
             GROUP BY s.code ORDER BY s.code
            """
        )
        mix = ", ".join(f"{code} {count}" for code, count in cr.fetchall())
        out(
            f"populated {customers} customers ({mix}) and {AGENTS} agents "
            f"in {time.perf_counter() - start:.1f} s"
        )


def written(cr):
    """Rows of each table that generating callbacks writes to."""
    counts = {}
    for label, query in [
        ("callbacks", "SELECT count(*) FROM customer_care_callback"),
        ("activities", "SELECT count(*) FROM mail_activity WHERE res_model = %s"),
        ("followers", "SELECT count(*) FROM mail_followers WHERE res_model = %s"),
        (
            "follower subtypes",
            """SELECT count(*) FROM mail_followers_mail_message_subtype_rel r
                 JOIN mail_followers f ON f.id = r.mail_followers_id
                WHERE f.res_model = %s""",
        ),
        ("messages", "SELECT count(*) FROM mail_message WHERE model = %s"),
    ]:
        cr.execute(query, [MODEL] if "%s" in query else [])
        counts[label] = cr.fetchone()[0]
    return counts


def fingerprint(cr):
    """A digest of what was written, ids and timestamps left out."""
    from odoo.tools import SQL

    def columns(alias, names):
        return SQL(", ").join(SQL.identifier(alias, name) for name in names)

    digests = {}
    cr.execute(
        SQL(
            """SELECT md5(string_agg(ROW(%s)::text, '|'
                          ORDER BY cb.partner_id, cb.cadence_id))
                 FROM customer_care_callback cb""",
            columns("cb", CALLBACK_COLUMNS),
        )
    )
    digests["callbacks"] = cr.fetchone()[0]
    cr.execute(
        SQL(
            """SELECT md5(string_agg(ROW(cb.partner_id, cb.cadence_id, %s)::text, '|'
                          ORDER BY cb.partner_id, cb.cadence_id, a.id))
                 FROM mail_activity a
                 JOIN customer_care_callback cb ON cb.id = a.res_id
                WHERE a.res_model = %s""",
            columns("a", ACTIVITY_COLUMNS),
            MODEL,
        )
    )
    digests["activities"] = cr.fetchone()[0]
    cr.execute(
        SQL(
            """SELECT md5(string_agg(ROW(cb.partner_id, cb.cadence_id, f.partner_id,
                                         s.subtypes)::text, '|'
                          ORDER BY cb.partner_id, cb.cadence_id, f.partner_id))
                 FROM mail_followers f
                 JOIN customer_care_callback cb ON cb.id = f.res_id
                 LEFT JOIN LATERAL (
                      SELECT array_agg(r.mail_message_subtype_id
                                       ORDER BY r.mail_message_subtype_id) subtypes
                        FROM mail_followers_mail_message_subtype_rel r
                       WHERE r.mail_followers_id = f.id) s ON TRUE
                WHERE f.res_model = %s""",
            MODEL,
        )
    )
    digests["followers"] = cr.fetchone()[0]
    return digests


def clean(registry):
    """Delete what generating callbacks wrote, then vacuum, so that each run
    starts from the same tables."""
    with registry.cursor() as cr:
        cr.execute("DELETE FROM mail_activity WHERE res_model = %s", [MODEL])
        cr.execute("DELETE FROM mail_followers WHERE res_model = %s", [MODEL])
        cr.execute("DELETE FROM mail_message WHERE model = %s", [MODEL])
        cr.execute("DELETE FROM customer_care_callback")
        # and where each cadence's generation of the day stands
        cr.execute(
            "UPDATE customer_care_callback_cadence"
            " SET generation_date = NULL, generation_partner_id = NULL"
        )
        commit(cr)
    vacuum(registry)


def vacuum(registry):
    """VACUUM ANALYZE the tables written to, on a connection of its own (a
    VACUUM cannot run in a transaction, nor be left on a pooled one)."""
    import psycopg2

    from odoo.sql_db import connection_info_for
    from odoo.tools import SQL

    _db, info = connection_info_for(registry.db_name)
    cnx = psycopg2.connect(**info)
    try:
        cnx.autocommit = True
        with cnx.cursor() as cr:
            for table in [
                "customer_care_callback",
                "mail_activity",
                "mail_followers",
                "mail_followers_mail_message_subtype_rel",
                "mail_message",
            ]:
                query = SQL("VACUUM ANALYZE %s", SQL.identifier(table))
                cr.execute(query.code, query.params)
    finally:
        cnx.close()


# ---------------------------------------------------------------------------
# ORM
# ---------------------------------------------------------------------------


def orm_run(registry, today, batch, label, profile=None):
    """Generate until nothing more is due, one commit per batch like the cron.

    Returns a dict of figures."""
    Callback = registry[MODEL]
    steps_names = [
        "_care_due_pairs",
        "_care_insert_due",
        "_care_create_isolated",
        "_care_schedule_activities",
    ]
    batches = []
    with registry.cursor() as cr, Steps(Callback, steps_names) as steps:
        env = environment(cr)
        model = env[MODEL]
        queries_start = cr.sql_log_count
        start = time.perf_counter()
        if profile:
            profile.enable()
        while True:
            queries, begin = cr.sql_log_count, time.perf_counter()
            callbacks, more = model._care_generate_due_callbacks(today, limit=batch)
            generated = len(callbacks)
            cadences = len(callbacks.cadence_id)
            agents = len(callbacks.user_id)
            queries_generate = cr.sql_log_count - queries
            commit(cr)
            seconds, step_queries = steps.take()
            batches.append(
                {
                    "callbacks": generated,
                    "cadences": cadences,
                    "agents": agents,
                    "queries": cr.sql_log_count - queries,
                    "queries_generate": queries_generate,
                    "queries_steps": step_queries,
                    "seconds": time.perf_counter() - begin,
                    "seconds_steps": seconds,
                }
            )
            if not more:
                break
        if profile:
            profile.disable()
        total = time.perf_counter() - start
        queries = cr.sql_log_count - queries_start
        counts = written(cr)
    return {
        "label": label,
        "seconds": total,
        "queries": queries,
        "batches": batches,
        "written": counts,
    }


def report_orm(run, batch):
    batches = run["batches"]
    out(
        f"{run['label']}: {run['written']['callbacks']} callbacks in "
        f"{len(batches)} batches of at most {batch}: {run['seconds']:.1f} s, "
        f"{run['queries']} queries"
    )
    out("  written: " + ", ".join(f"{k} {v}" for k, v in run["written"].items()))
    # queries per batch, by size of batch and by queries spent finding pairs
    shapes = collections.Counter()
    for b in batches:
        pairs_queries = b["queries_steps"].get("_care_due_pairs", 0)
        key = (b["callbacks"], b["cadences"], b["agents"], b["queries"], pairs_queries)
        shapes[key] += 1
    out("  queries per batch (with the commit's flush):")
    out("    batches  callbacks  cadences  agents  queries  finding pairs  other")
    for key, count in sorted(shapes.items()):
        size, cadences, agents, queries, pairs_queries = key
        out(
            f"    {count:7d}  {size:9d}  {cadences:8d}  {agents:6d}  {queries:7d}  "
            f"{pairs_queries:13d}  {queries - pairs_queries:5d}"
        )
    others = {b["queries"] - b["queries_steps"].get("_care_due_pairs", 0)
              for b in batches if b["callbacks"] == batch}  # fmt: skip
    out(
        "  queries per full batch besides finding the due pairs: "
        + ("constant, " if len(others) == 1 else "NOT constant: ")
        + ", ".join(map(str, sorted(others)))
    )
    seconds = collections.Counter()
    queries = collections.Counter()
    for b in batches:
        seconds.update(b["seconds_steps"])
        queries.update(b["queries_steps"])
    steps = sum(seconds.values())
    out("  where the time goes:")
    for name in [
        "_care_due_pairs",
        "_care_insert_due",
        "_care_create_isolated",
        "_care_schedule_activities",
    ]:
        out(f"    {name:<28} {seconds[name]:8.1f} s  {queries[name]:7d} queries")
    out(f"    {'rest (loop, flush, commit)':<28} " f"{run['seconds'] - steps:8.1f} s")
    firsts = [b["seconds"] for b in batches[:5]]
    lasts = [b["seconds"] for b in batches[-6:-1] or batches[-1:]]
    out(
        "  seconds per batch: first "
        + " ".join(f"{s:.2f}" for s in firsts)
        + " ... last full "
        + " ".join(f"{s:.2f}" for s in lasts)
    )


# ---------------------------------------------------------------------------
# SQL baseline
# ---------------------------------------------------------------------------


def sql_run(registry, today):
    """The same rows as the ORM by INSERT ... SELECT: callbacks, activities,
    followers, each timed with its commit."""
    from odoo.tools import SQL

    figures = {}
    with registry.cursor() as cr:
        env = environment(cr)
        lang = env.lang or "en_US"
        # look-ups first: only the INSERT statements are timed
        types = {method: env.ref(xmlid).id for method, xmlid in ACTIVITY_TYPES.items()}
        todo = env.ref(ACTIVITY_TYPE_OTHER).id
        model_id = env["ir.model"]._get_id(MODEL)
        type_labels = dict(
            env[MODEL]._fields["callback_type"]._description_selection(env)
        )
        subtypes = env["mail.message.subtype"].default_subtypes(MODEL)
        Cadence = env["customer.care.callback.cadence"]
        segments = Cadence._fields["segment_ids"]
        excluded = Cadence._fields["exclude_segment_ids"]
        # and the statements, with the ORM defaults of the required columns
        # they leave out
        due = SQL(
            """
            SELECT p.id, c.id, %(today)s, c.method, c.callback_type,
                   COALESCE(p.care_agent_id, co.care_default_agent_id),
                   c.company_id, p.care_branch_id, 'planned', TRUE,
                   c.summary, 0.0, 0.0, 0, %(uid)s, %(uid)s,
                   now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
              FROM rule c
              JOIN res_company co ON co.id = c.company_id
              JOIN res_partner p
                ON p.active
               AND p.commercial_partner_id = p.id
               AND (p.company_id IS NULL OR p.company_id = c.company_id)
             WHERE EXISTS (
                    SELECT 1 FROM res_partner_care_segment_rel r
                     WHERE r.partner_id = p.id
                       AND (c.segments = '{}' OR r.segment_id = ANY(c.segments)))
               AND NOT EXISTS (
                    SELECT 1 FROM res_partner_care_segment_rel r
                     WHERE r.partner_id = p.id AND r.segment_id = ANY(c.excluded))
               AND (NOT c.buyers_only OR EXISTS (
                    SELECT 1 FROM sale_order so
                      JOIN res_partner sp ON sp.id = so.partner_id
                     WHERE sp.commercial_partner_id = p.id AND so.state = 'sale'))
               AND NOT EXISTS (
                    SELECT 1 FROM customer_care_callback cb
                     WHERE cb.partner_id = p.id
                       AND cb.cadence_id = c.id
                       AND cb.active
                       AND (cb.state = 'planned'
                            OR (cb.state IN ('done', 'missed')
                                AND cb.date > c.cutoff)))
             ORDER BY c.sequence, c.id, p.id
            """,
            today=today,
            uid=env.uid,
        )
        callbacks = SQL(
            """
            WITH rule AS (
                SELECT c.id, c.sequence, c.company_id, c.method,
                       c.callback_type, c.name ->> %(lang)s AS summary,
                       c.buyers_only IS TRUE AS buyers_only,
                       %(today)s::date - (
                           c.interval_number || ' ' || c.interval_type
                       )::interval AS cutoff,
                       ARRAY(SELECT s.%(seg_col2)s FROM %(seg_rel)s s
                              WHERE s.%(seg_col1)s = c.id) AS segments,
                       ARRAY(SELECT x.%(exc_col2)s FROM %(exc_rel)s x
                              WHERE x.%(exc_col1)s = c.id) AS excluded
                  FROM customer_care_callback_cadence c
                 WHERE c.active)
            %(insert)s
            """,
            insert=insert_select(env, MODEL, CALLBACK_INSERT_COLUMNS, due),
            today=today,
            lang=lang,
            seg_rel=SQL.identifier(segments.relation),
            seg_col1=SQL.identifier(segments.column1),
            seg_col2=SQL.identifier(segments.column2),
            exc_rel=SQL.identifier(excluded.relation),
            exc_col1=SQL.identifier(excluded.column1),
            exc_col2=SQL.identifier(excluded.column2),
        )
        planned = SQL(
            """
            SELECT %(model_id)s, %(model)s, cb.id,
                   concat_ws(' - ', p.name,
                             (%(type_labels)s::jsonb) ->> cb.callback_type,
                             cb.date::text),
                   COALESCE((%(types)s::jsonb ->> cb.method)::int, %(todo)s),
                   COALESCE(cb.summary, 'Callback: ' || p.name), cb.date,
                   cb.user_id, up.tz, TRUE, %(uid)s, %(uid)s,
                   now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
              FROM customer_care_callback cb
              JOIN res_partner p ON p.id = cb.partner_id
              JOIN res_users u ON u.id = cb.user_id
              JOIN res_partner up ON up.id = u.partner_id
             WHERE cb.state = 'planned'
             ORDER BY cb.id
            """,
            model_id=model_id,
            model=MODEL,
            type_labels=_json(type_labels),
            types=_json(types),
            todo=todo,
            uid=env.uid,
        )
        activities = insert_select(
            env, "mail.activity", ACTIVITY_INSERT_COLUMNS, planned
        )
        followed = SQL(
            """
            SELECT DISTINCT %(model)s, a.res_id, u.partner_id
              FROM mail_activity a
              JOIN res_users u ON u.id = a.user_id
             WHERE a.res_model = %(model)s
            """,
            model=MODEL,
        )
        followers = SQL(
            """
            WITH followers AS (
                %(insert)s
                ON CONFLICT DO NOTHING
                RETURNING id, partner_id)
            INSERT INTO mail_followers_mail_message_subtype_rel (
                mail_followers_id, mail_message_subtype_id)
            SELECT f.id, s.id
              FROM followers f
              JOIN res_partner fp ON fp.id = f.partner_id
              JOIN mail_message_subtype s
                ON s.id = ANY(CASE WHEN fp.partner_share THEN %(external)s::int[]
                                   ELSE %(default)s::int[] END)
            """,
            insert=insert_select(
                env, "mail.followers", FOLLOWER_INSERT_COLUMNS, followed
            ),
            external=subtypes[2].ids or [0],
            default=subtypes[0].ids or [0],
        )
        queries = cr.sql_log_count
        start = time.perf_counter()
        for key, statement in [
            ("callbacks", callbacks),
            ("activities", activities),
            ("followers", followers),
        ]:
            cr.execute(statement)
            commit(cr)
            figures[key] = time.perf_counter() - start
        figures["queries"] = cr.sql_log_count - queries
        figures["written"] = written(cr)
    return figures


def _json(value):
    import json

    return json.dumps(value)


# ---------------------------------------------------------------------------
# Monthly summary
# ---------------------------------------------------------------------------


def monthly_summary(registry, today):
    from odoo.tools import SQL

    with registry.cursor() as cr:
        env = environment(cr)
        company = env.company
        if not hasattr(company, "_care_callback_monthly_summary"):
            out(
                "monthly summary: res.company._care_callback_monthly_summary "
                "is not available (not written yet): not measured"
            )
            return None
        # 60 % of the callbacks done with scores, a tenth of those with an issue
        cr.execute(
            SQL(
                """
                UPDATE customer_care_callback
                   SET state = 'done',
                       score_delivery = (1 + mod(id, 5))::varchar,
                       score_service_attitude = (1 + mod(id / 5, 5))::varchar,
                       score_cargo_safety = (1 + mod(id / 7, 5))::varchar,
                       score_overall = (1 + mod(id / 3, 5))::varchar,
                       satisfaction = 1 + mod(id / 3, 5),
                       score_average = (4 + mod(id, 5) + mod(id / 5, 5)
                                        + mod(id / 7, 5) + mod(id / 3, 5)) / 4.0
                 WHERE mod(id, 10) < 6
                """
            )
        )
        done = cr.rowcount
        cr.execute(
            "SELECT count(*), count(*) FILTER (WHERE state = 'done') "
            "FROM customer_care_callback WHERE date >= %s",
            [today.replace(day=1)],
        )
        in_month, done_in_month = cr.fetchone()
        commit(cr)
        env.invalidate_all()
        month_start = today.replace(day=1)
        queries, start = cr.sql_log_count, time.perf_counter()
        error = None
        try:
            result = company._care_callback_monthly_summary(month_start)
        except Exception as exc:  # noqa: BLE001 - a figure, not a test
            error = exc
            result = None
        seconds = time.perf_counter() - start
        queries = cr.sql_log_count - queries
        cr.rollback()
        if error:
            out(f"monthly summary: FAILED after {seconds:.2f} s: {error!r}")
            return {"error": repr(error)}
        out(
            f"monthly summary of {month_start:%Y-%m} over {in_month} callbacks "
            f"({done_in_month} done, {done} set done with scores): "
            f"{seconds:.3f} s, {queries} queries"
        )
        shape = (
            f"dict with keys {sorted(result)[:12]}"
            if isinstance(result, dict)
            else type(result).__name__
        )
        out(f"  returned: {shape}")
        return {"seconds": seconds, "queries": queries, "callbacks": in_month}


# ---------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------


def print_profile(profile, top):
    for sort in ("tottime", "cumulative"):
        buffer = io.StringIO()
        stats = pstats.Stats(profile, stream=buffer)
        stats.strip_dirs().sort_stats(sort).print_stats(top)
        out(f"--- profile of the ORM run, top {top} by {sort} ---")
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
    parser.add_argument("--customers", type=int, default=100000)
    parser.add_argument(
        "--batch",
        type=int,
        default=0,
        help="callbacks per batch (default: the company's batch size)",
    )
    parser.add_argument(
        "--today", type=datetime.date.fromisoformat, default=datetime.date.today()
    )
    parser.add_argument(
        "--profile",
        metavar="FILE",
        help="profile the timed ORM run with cProfile, save the stats to FILE "
        "and print the top functions",
    )
    parser.add_argument("--profile-top", type=int, default=30)
    parser.add_argument(
        "--skip-tracemalloc",
        action="store_true",
        help="do not run the ORM a second time under tracemalloc",
    )
    opts = parse_args(parser, argv, SMOKE)

    registry = bootstrap(opts.config, opts.database)
    with registry.cursor() as cr:
        env = environment(cr)
        batch = opts.batch or env.company.care_callback_batch_size or 1000
        cr.execute("SELECT count(*) FROM customer_care_callback")
        if cr.fetchone()[0]:
            sys.exit("the database has callbacks already: use a fresh one")
    out(
        f"today {opts.today}, batch {batch}, {opts.customers} customers; "
        f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} (other "
        "processes on the machine distort the times)"
    )
    _rss, peak_start = rss_mb()
    populate(registry, opts.customers)
    _rss, peak_populated = rss_mb()
    out(f"peak RSS after start and populate: {peak_populated:.0f} MB")

    # 1. ORM, timed (and profiled when asked)
    profile = cProfile.Profile() if opts.profile else None
    orm = orm_run(registry, opts.today, batch, "ORM", profile)
    rss_now, peak_orm = rss_mb()
    report_orm(orm, batch)
    out(
        f"  RSS: peak {peak_orm:.0f} MB (was {peak_populated:.0f} MB before the "
        f"run, so +{peak_orm - peak_populated:.0f} MB), now {rss_now:.0f} MB"
    )
    if profile:
        profile.dump_stats(opts.profile)
        out(f"  profile saved to {opts.profile}")
        print_profile(profile, opts.profile_top)
    with registry.cursor() as cr:
        orm_digest = fingerprint(cr)
    clean(registry)

    # 2. SQL baseline
    sql = sql_run(registry, opts.today)
    with registry.cursor() as cr:
        sql_digest = fingerprint(cr)
    out(
        f"SQL: callbacks {sql['callbacks']:.1f} s, + activities "
        f"{sql['activities']:.1f} s, + followers {sql['followers']:.1f} s, "
        f"{sql['queries']} queries"
    )
    out("  written: " + ", ".join(f"{k} {v}" for k, v in sql["written"].items()))
    same = {key: orm_digest[key] == sql_digest[key] for key in orm_digest}
    out(
        "  same rows as the ORM (ids and timestamps aside): "
        + ", ".join(f"{key} {'yes' if ok else 'NO'}" for key, ok in same.items())
    )
    clean(registry)

    # 3. ORM again, under tracemalloc
    traced_peak = None
    if not opts.skip_tracemalloc:
        tracemalloc.start()
        traced = orm_run(registry, opts.today, batch, "ORM under tracemalloc")
        _current, traced_peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        traced_peak /= 1024 * 1024
        out(
            f"ORM under tracemalloc: {traced['seconds']:.1f} s (slowed down by "
            f"tracing), peak of Python allocations {traced_peak:.1f} MB"
        )
    else:
        orm_run(registry, opts.today, batch, "ORM (for the summary)")

    # 4. Monthly summary over the callbacks just generated
    summary = monthly_summary(registry, opts.today)

    # 5. Table
    batches = len(orm["batches"])
    full = [b["queries"] for b in orm["batches"] if b["callbacks"] == batch]
    per_batch = (
        f"{min(full)}-{max(full)}" if full and min(full) != max(full) else
        str(full[0]) if full else "-"
    )  # fmt: skip
    written_orm = orm["written"]
    orm_seconds = orm["seconds"]
    out("")
    out(
        f"=== {opts.customers} customers, {written_orm['callbacks']} callbacks, "
        f"{written_orm['activities']} activities, {written_orm['followers']} "
        f"followers, batch {batch} ==="
    )
    out(
        f"{'':40} {'seconds':>8} {'ORM / this':>10} {'queries':>8} "
        f"{'q/batch':>8} {'peak MB':>12}"
    )
    rows = [
        ("SQL INSERT..SELECT callbacks only", sql["callbacks"], "1", "-", "-"),
        ("SQL callbacks + activities", sql["activities"], "2", "-", "-"),
        ("SQL callbacks + activities + followers", sql["followers"], "3", "-", "-"),
        ("ORM _care_generate_due_callbacks", orm["seconds"], str(orm["queries"]),
         per_batch, f"{peak_orm:.0f} RSS"),
    ]  # fmt: skip
    if traced_peak is not None:
        rows.append(
            ("ORM, Python allocations", None, "", "", f"{traced_peak:.0f} traced")
        )
    for label, seconds, queries, qb, peak in rows:
        out(
            f"{label:40} {(f'{seconds:.1f}' if seconds else ''):>8} "
            f"{(f'{orm_seconds / seconds:.1f}x' if seconds else ''):>10} "
            f"{queries:>8} {qb:>8} {peak:>12}"
        )
    out(
        f"ORM / SQL: {orm['seconds'] / sql['callbacks']:.1f}x callbacks only, "
        f"{orm['seconds'] / sql['activities']:.1f}x with activities, "
        f"{orm['seconds'] / sql['followers']:.1f}x with followers "
        f"(target 3x); {batches} batches"
    )
    out(
        f"peak memory: RSS {peak_orm:.0f} MB (process, Odoo loaded: "
        f"{peak_start:.0f} MB at start), tracemalloc "
        + (f"{traced_peak:.1f} MB" if traced_peak is not None else "not run")
        + " (target < 500 MB)"
    )
    if summary and "error" in summary:
        out(f"monthly summary: FAILED ({summary['error']})")
    elif summary:
        out(
            f"monthly summary over {summary['callbacks']} callbacks: "
            f"{summary['seconds']:.3f} s, {summary['queries']} queries"
        )
    else:
        out("monthly summary: not measured")
    out(f"load average at the end: {os.getloadavg()[0]:.1f}")
    # a step that raised fails the run (the figures never do)
    return 1 if summary and "error" in summary else 0


if __name__ == "__main__":
    sys.exit(main())
