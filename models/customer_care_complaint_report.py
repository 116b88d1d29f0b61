# Copyright 2026 customer_care contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The monthly complaint analysis for the general manager (seeds 002
(二)4(1), 004 篇八): complaints by category, tier, department and cause,
the repeat rate and how the deadlines were kept, e-mailed on the 1st."""

from collections import Counter, defaultdict
from datetime import datetime, time

import pytz
from dateutil.relativedelta import relativedelta

from odoo import Command, api, fields, models
from odoo.tools import SQL

from .customer_care_callback_report import care_check_report_access
from .customer_care_complaint import COMPLAINT_CATEGORIES
from .customer_care_complaint_deadline import DEADLINE_KINDS

# how many (cause, department) pairs the analysis ranks
TOP_CAUSES = 10
# what the analysis counts for the whole month, a category or a department
TALLY_KEYS = (
    "total",
    "general",
    "major",
    "repeat",
    "cause",
    "open",
    "solved",
    "closed",
)
# what it counts of the deadlines that fell due
COMPLIANCE_KEYS = ("due", "on_time", "late", "missed", "pending")


def care_rate(part, whole):
    """``part`` as a percentage of ``whole``; 0 when there is no whole."""
    return 100.0 * part / whole if whole else 0.0


def care_report_month(model, data):
    """The first day of the month a monthly report covers: the ``month``
    of its data, last month by default."""
    month = (data or {}).get("month")
    if month:
        return fields.Date.to_date(month).replace(day=1)
    return fields.Date.context_today(model).replace(day=1) - relativedelta(months=1)


def care_week_start(day):
    """The Monday of the week of ``day``: the company's week runs Monday to
    Sunday (seed 004 篇三 2.8)."""
    day = fields.Date.to_date(day)
    return day - relativedelta(days=day.weekday())


def care_report_week(model, data):
    """The Monday of the week a weekly report covers: the week of the
    ``week`` of its data, last week by default."""
    week = (data or {}).get("week")
    if week:
        return care_week_start(week)
    return care_week_start(fields.Date.context_today(model)) - relativedelta(days=7)


def care_complaint_labels(env, lang):
    """The labels of the complaints' categories, tiers and deadline kinds in
    ``lang``: the analysis is printed in the reader's language."""
    env = env(context=dict(env.context, lang=lang))
    ticket_fields = env["helpdesk.ticket"]._fields
    deadline_fields = env["customer.care.complaint.deadline"]._fields
    return {
        "categories": dict(ticket_fields["care_category"]._description_selection(env)),
        "tiers": dict(ticket_fields["care_tier"]._description_selection(env)),
        "kinds": dict(deadline_fields["kind"]._description_selection(env)),
    }


class ResCompany(models.Model):
    _inherit = "res.company"

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _care_report_lang(self):
        """The language the general manager reads the company's reports in."""
        self.ensure_one()
        return self.care_general_manager_id.lang or self.partner_id.lang

    def _care_month_bounds(self, month_start):
        """The first instants of the month of ``month_start`` and of the next
        one on the company's clock, as naive UTC datetimes."""
        self.ensure_one()
        month_start = month_start.replace(day=1)
        return self._care_period_bounds(
            month_start, month_start + relativedelta(months=1, days=-1)
        )

    def _care_period_bounds(self, date_from, date_to):
        """The first instants of ``date_from`` and of the day after
        ``date_to`` on the company's clock, as naive UTC datetimes."""
        self.ensure_one()
        tz = pytz.timezone(
            self.resource_calendar_id.tz or self.care_general_manager_id.tz or "UTC"
        )
        return tuple(
            tz.localize(datetime.combine(day, time.min))
            .astimezone(pytz.utc)
            .replace(tzinfo=None)
            for day in (date_from, date_to + relativedelta(days=1))
        )

    def _care_complaint_monthly_analysis(self, month_start):
        """The complaint figures of the month of ``month_start`` (seeds 002
        (二)4(1), 004 篇八)."""
        self.ensure_one()
        month_start = month_start.replace(day=1)
        analysis = self._care_complaint_analysis(
            month_start, month_start + relativedelta(months=1, days=-1)
        )
        return {
            **analysis,
            "period": "month",
            "month_start": analysis["date_from"],
            "month_end": analysis["date_to"],
        }

    def _care_complaint_weekly_analysis(self, day):
        """The complaint figures of the week (Monday to Sunday) of ``day``
        (seed 004 篇三 2.8, 周报)."""
        self.ensure_one()
        monday = care_week_start(day)
        return {
            **self._care_complaint_analysis(monday, monday + relativedelta(days=6)),
            "period": "week",
        }

    def _care_complaint_analysis(self, date_from, date_to):
        """The complaint figures of the days ``date_from`` to ``date_to``
        (both included) on the company's clock, from aggregates only: the
        same few queries whatever the number of complaints. The monthly and
        the weekly analyses are this one over their period.

        Complaints count in the period they were received on the company's
        clock, with their tier, stage and department as they are now;
        deadlines in the period they fell due."""
        self.ensure_one()
        start, end = self._care_period_bounds(date_from, date_to)
        Ticket = self.env["helpdesk.ticket"]
        domain = [
            ("company_id", "=", self.id),
            ("care_is_complaint", "=", True),
            ("care_received_at", ">=", start),
            ("care_received_at", "<", end),
        ]

        totals = Counter()
        categories, departments = defaultdict(Counter), defaultdict(Counter)
        for (
            category,
            tier,
            repeat,
            department,
            stage,
            count,
            causes,
        ) in Ticket._read_group(
            domain,
            [
                "care_category",
                "care_tier",
                "care_is_repeat",
                "care_responsible_department",
                "stage_id",
            ],
            ["__count", "care_cause:count"],
        ):
            if stage.closed:
                state = "closed"
            elif stage.care_complaint_solved:
                state = "solved"
            else:
                state = "open"
            tally = {"total": count, tier or "general": count, state: count}
            tally.update(cause=causes, repeat=count if repeat else 0)
            for counter in (totals, categories[category], departments[department]):
                counter.update(tally)

        def row(counts, **key):
            return {
                **key,
                **{name: counts[name] for name in TALLY_KEYS},
                "repeat_rate": care_rate(counts["repeat"], counts["total"]),
            }

        category_order = [key for key, _label in COMPLAINT_CATEGORIES] + [False]
        return {
            "date_from": date_from,
            "date_to": date_to,
            "totals": {
                **row(totals),
                "major_rate": care_rate(totals["major"], totals["total"]),
            },
            "tiers": [
                {
                    "tier": tier,
                    "total": totals[tier],
                    "share": care_rate(totals[tier], totals["total"]),
                }
                for tier in ("general", "major")
            ],
            "categories": [
                row(categories[key], category=key)
                for key in category_order
                if key in categories
            ],
            "departments": [
                row(counts, department=department)
                for department, counts in sorted(
                    departments.items(),
                    # the biggest first, the complaints without one last
                    key=lambda item: (not item[0], -item[1]["total"], item[0] or ""),
                )
            ],
            "top_causes": [
                {"cause": cause, "department": department, "total": count}
                for cause, department, count in Ticket._read_group(
                    [*domain, ("care_cause", "!=", False)],
                    ["care_cause", "care_responsible_department"],
                    ["__count"],
                    order="__count desc, care_cause, care_responsible_department",
                    limit=TOP_CAUSES,
                )
            ],
            **self._care_complaint_deadline_compliance(start, end),
        }

    def _care_complaint_deadline_compliance(self, start, end):
        """How the complaint deadlines that fell due between ``start`` and
        ``end`` were kept, by kind: met on time, met late, missed (not met
        and past) or pending (not met and still ahead), in one query.

        Met on time compares two columns, which a domain cannot: the query
        is built on the deadlines' own ``_search``, so that access rules
        apply as in ``_read_group``. Deadlines of archived complaints are
        left out, like the complaints themselves."""
        self.ensure_one()
        Deadline = self.env["customer.care.complaint.deadline"]
        Deadline.browse().check_access("read")
        query = Deadline._search(
            [
                ("company_id", "=", self.id),
                # a many2one path reads archived records too: say it
                (
                    "ticket_id",
                    "any",
                    [("care_is_complaint", "=", True), ("active", "=", True)],
                ),
                ("deadline", ">=", start),
                ("deadline", "<", end),
            ]
        )
        kind_column, due, done = (
            Deadline._field_to_sql(Deadline._table, name, query)
            for name in ("kind", "deadline", "done_date")
        )
        now = fields.Datetime.now()
        conditions = (  # in the order of COMPLIANCE_KEYS
            SQL("TRUE"),
            SQL("%s <= %s", done, due),
            SQL("%s > %s", done, due),
            SQL("%s IS NULL AND %s < %s", done, due, now),
            SQL("%s IS NULL AND %s >= %s", done, due, now),
        )
        query.groupby = kind_column
        rows = self.env.execute_query(
            query.select(
                kind_column,
                *(SQL("COUNT(*) FILTER (WHERE %s)", cond) for cond in conditions),
            )
        )
        by_kind = {
            key: Counter(dict(zip(COMPLIANCE_KEYS, counts, strict=True)))
            for key, *counts in rows
        }

        def row(counts, **key):
            # the pending ones are neither kept nor missed yet
            judged = counts["on_time"] + counts["late"] + counts["missed"]
            return {
                **key,
                **{name: counts[name] for name in COMPLIANCE_KEYS},
                "compliance": care_rate(counts["on_time"], judged),
            }

        return {
            "deadlines": [
                row(by_kind[kind], kind=kind)
                for kind, _label in DEADLINE_KINDS
                if kind in by_kind
            ],
            "deadline_totals": row(sum(by_kind.values(), Counter())),
        }

    def _care_monthly_report_action(self, report_ref, month_start):
        """The action that prints the monthly report ``report_ref`` of the
        month of ``month_start`` for this company: the PDF the cron mails,
        on demand."""
        self.ensure_one()
        return self._care_report_action(
            report_ref, {"month": month_start.replace(day=1).isoformat()}
        )

    def _care_report_action(self, report_ref, data):
        """The action that prints the report ``report_ref`` of this company
        with ``data`` (its period): the PDF a cron mails, on demand."""
        self.ensure_one()
        return self.env.ref(report_ref).report_action(self, data=data, config=False)

    def _care_report_sent(self, key):
        """Whether the scheduled report ``key`` (the report and its period)
        was sent already. The run that says no has claimed ``key`` for this
        company (``customer.care.job.run``, a UNIQUE key in the database):
        a run overlapping it, in another worker or node, says yes. A report
        sent before that table existed is known by its PDF kept on the
        company with ``key`` as description. The one place that says so,
        for every once-per-period report."""
        self.ensure_one()
        kept = self.env["ir.attachment"].search_count(
            [
                ("res_model", "=", self._name),
                ("res_id", "=", self.id),
                ("description", "=", key),
            ],
            limit=1,
        )
        return bool(kept) or not self.env["customer.care.job.run"]._care_claim(
            f"{key} company:{self.id}", company=self
        )

    def _care_keep_report(self, report_ref, data, name, key):
        """Render the PDF report ``report_ref`` of this company with ``data``
        and keep it on the company, named ``name``, with ``key`` as
        description. Returns the attachment."""
        self.ensure_one()
        pdf, _format = self.env["ir.actions.report"]._render_qweb_pdf(
            report_ref, self.ids, data=data
        )
        return self.env["ir.attachment"].create(
            {
                "name": name,
                "raw": pdf,
                "mimetype": "application/pdf",
                "res_model": self._name,
                "res_id": self.id,
                "description": key,
            }
        )

    def _care_mail_monthly_report(self, report_ref, template_ref, month_start, name):
        """E-mail the PDF report ``report_ref`` of the month of
        ``month_start`` to the general manager with the mail template
        ``template_ref`` (``care_report_month`` in its context), and keep the
        PDF, named ``name``, on the company. Once: when the PDF of that month
        is kept already, nothing is sent again. Returns the attachment made."""
        self.ensure_one()
        month = f"{month_start:%Y-%m}"
        key = f"{report_ref} {month}"
        if self._care_report_sent(key):
            return self.env["ir.attachment"]
        attachment = self._care_keep_report(
            report_ref, {"month": month_start.isoformat()}, name, key
        )
        self.env.ref(template_ref).with_context(care_report_month=month).send_mail(
            self.id, email_values={"attachment_ids": [Command.link(attachment.id)]}
        )
        return attachment

    def _care_mail_report_by_lang(
        self, report_ref, template_ref, data, readers, name, key, period
    ):
        """E-mail the PDF report ``report_ref`` of this company with ``data``
        to the users ``readers``: one mail per language with the template
        ``template_ref``, the PDF and the mail rendered in that language
        (``care_report_lang`` and ``care_report_period`` in its context).
        ``name(env)`` names the PDF in the reader's language. Once: when the
        report ``key`` was sent already, nothing is sent again. Returns the
        attachments made."""
        self.ensure_one()
        attachments = self.env["ir.attachment"]
        if self._care_report_sent(key):
            return attachments
        template = self.env.ref(template_ref)
        for lang, users in readers.grouped(
            lambda user: user.lang or self.partner_id.lang or "en_US"
        ).items():
            lang_env = self.with_context(lang=lang).env
            attachment = self._care_keep_report(
                report_ref, {**data, "lang": lang}, name(lang_env), key
            )
            attachments |= attachment
            template.with_context(
                care_report_lang=lang, care_report_period=period
            ).send_mail(
                self.id,
                email_values={
                    "recipient_ids": [Command.set(users.partner_id.ids)],
                    "attachment_ids": [Command.link(attachment.id)],
                },
            )
        return attachments

    def _care_complaint_weekly_readers(self):
        """Who receives the weekly complaint analysis: the company's
        complaint managers (the role's holders) with an e-mail."""
        self.ensure_one()
        return self._care_role_holders(
            "customer_care.group_complaint_manager"
        ).filtered("email")

    # ------------------------------------------------------------
    # SCHEDULED ACTIONS
    # ------------------------------------------------------------

    @api.model
    def _cron_complaint_monthly_analysis(self):
        """Daily, acting on the 1st only (seed 004 篇八): last month's
        complaint analysis, as a PDF, to the general manager of each company
        that has one. Another run the same day sends nothing more. The 1st
        is the company's (its calendar's time zone), not OdooBot's."""
        for company in self.search([("care_general_manager_id", "!=", False)]):
            today = company._care_today()
            if today.day != 1:
                continue
            month_start = today - relativedelta(months=1)
            month = f"{month_start:%Y-%m}"
            gm_env = company.with_context(lang=company._care_report_lang()).env
            company._care_mail_monthly_report(
                "customer_care.action_report_complaint_monthly_analysis",
                "customer_care.mail_template_complaint_monthly_analysis",
                month_start,
                gm_env._("Complaint Analysis %s.pdf", month),
            )

    @api.model
    def _cron_complaint_weekly_analysis(self):
        """Daily, acting on Mondays only (seed 004 篇三 2.8, 周报): last
        week's complaint analysis, as a PDF, to the complaint managers of
        each company, one mail per language in that language. Another run
        the same Monday sends nothing more. Monday is the company's day, not
        OdooBot's."""
        report_ref = "customer_care.action_report_complaint_weekly_analysis"
        for company in self.search([]):
            today = company._care_today()
            if today.weekday() != 0:
                continue
            readers = company._care_complaint_weekly_readers()
            if not readers:
                continue
            monday = today - relativedelta(days=7)
            period = f"{monday:%Y-%m-%d} – {monday + relativedelta(days=6):%Y-%m-%d}"
            company._care_mail_report_by_lang(
                report_ref,
                "customer_care.mail_template_complaint_weekly_analysis",
                {"week": monday.isoformat()},
                readers,
                lambda env, day=f"{monday:%Y-%m-%d}": env._(
                    "Weekly Complaint Analysis %s.pdf", day
                ),
                f"{report_ref} {monday:%Y-%m-%d}",
                period,
            )


class ReportComplaintMonthlyAnalysis(models.AbstractModel):
    """The monthly complaint analysis of a company for its general manager
    (seeds 002 (二)4(1), 004 篇八)."""

    _name = "report.customer_care.report_complaint_monthly_analysis"
    _description = "Monthly Complaint Analysis"

    @api.model
    def _care_analysis(self, company, data):
        return company._care_complaint_monthly_analysis(care_report_month(self, data))

    @api.model
    def _get_report_values(self, docids, data=None):
        care_check_report_access(
            self.env, "customer_care.group_complaint_manager", self._description
        )
        companies = self.env["res.company"].browse(
            docids or self.env.context.get("active_ids", [])
        )
        # the mails are rendered in their readers' language
        lang = (data or {}).get("lang")
        langs = {
            company.id: lang or company._care_report_lang() for company in companies
        }
        return {
            "doc_ids": companies.ids,
            "doc_model": "res.company",
            "docs": companies,
            "langs": langs,
            "labels": {
                lang: care_complaint_labels(self.env, lang)
                for lang in set(langs.values())
            },
            "analyses": {
                company.id: self._care_analysis(company, data) for company in companies
            },
        }


class ReportComplaintWeeklyAnalysis(models.AbstractModel):
    """The weekly complaint analysis of a company for its complaint managers
    (seed 004 篇三 2.8, 周报): the monthly one over a week."""

    _name = "report.customer_care.report_complaint_weekly_analysis"
    _inherit = "report.customer_care.report_complaint_monthly_analysis"
    _description = "Weekly Complaint Analysis"

    @api.model
    def _care_analysis(self, company, data):
        return company._care_complaint_weekly_analysis(care_report_week(self, data))
