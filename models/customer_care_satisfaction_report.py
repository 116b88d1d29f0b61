# Copyright 2026 customer_care contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The yearly satisfaction analysis for the general manager (seed 001
四.13, 满意度分析): the year's callbacks per customer, branch and agent,
their average scores per criterion, the trend by quarter against the
previous year and the weakest criteria; e-mailed in January."""

from datetime import date

from odoo import api, fields, models

from .customer_care_callback import SCORES
from .customer_care_callback_report import (
    care_callback_labels,
    care_check_report_access,
)

# how many of the lowest-scored criteria the analysis names
WEAKEST_CRITERIA = 3
SATISFACTION_REPORT = "customer_care.action_report_satisfaction_yearly_analysis"


def care_report_year(model, data):
    """The year a yearly report covers: the ``year`` of its data, last year
    by default."""
    year = (data or {}).get("year")
    return int(year) if year else fields.Date.context_today(model).year - 1


def care_mean(values):
    """The mean of the averages given (an empty average was not asked)."""
    given = [value for value in values if value]
    return sum(given) / len(given) if given else 0.0


class ResCompany(models.Model):
    _inherit = "res.company"

    def _care_satisfaction_analysis(self, year):
        """The satisfaction figures of the done callbacks of ``year`` (seed
        001 四.13), from aggregates only: a few queries whatever the number
        of callbacks. An average is over the scores given: a score not asked
        does not count."""
        self.ensure_one()
        Callback = self.env["customer.care.callback"]
        averages = [f"{name}:avg" for name in SCORES]

        def domain(year):
            return [
                ("company_id", "=", self.id),
                ("state", "=", "done"),
                ("date", ">=", date(year, 1, 1)),
                ("date", "<=", date(year, 12, 31)),
            ]

        def row(record, count, scores):
            scores = dict(zip(SCORES, scores, strict=True))
            return {
                "record": record,
                "count": count,
                "scores": scores,
                "average": care_mean(scores.values()),
            }

        def rows(groupby):
            return sorted(
                (
                    row(record, count, scores)
                    for record, count, *scores in Callback._read_group(
                        domain(year), [groupby], ["__count", *averages]
                    )
                ),
                key=lambda line: (-line["count"], line["record"].display_name or ""),
            )

        [(count, *scores)] = Callback._read_group(
            domain(year), [], ["__count", *averages]
        )
        totals = row(None, count, scores)
        [(previous_count, *previous_scores)] = Callback._read_group(
            domain(year - 1), [], ["__count", *averages]
        )
        previous = row(None, previous_count, previous_scores)
        quarters = {
            (quarter.year, (quarter.month - 1) // 3 + 1): (count, average)
            for quarter, count, average in Callback._read_group(
                [
                    ("company_id", "=", self.id),
                    ("state", "=", "done"),
                    ("date", ">=", date(year - 1, 1, 1)),
                    ("date", "<=", date(year, 12, 31)),
                ],
                ["date:quarter"],
                ["__count", "score_average:avg"],
            )
        }
        trend = []
        for quarter in (1, 2, 3, 4):
            count, average = quarters.get((year, quarter), (0, 0.0))
            before_count, before = quarters.get((year - 1, quarter), (0, 0.0))
            trend.append(
                {
                    "quarter": quarter,
                    "count": count,
                    "average": average or 0.0,
                    "previous_count": before_count,
                    "previous_average": before or 0.0,
                    "change": (average - before) if average and before else None,
                }
            )
        scored = [name for name in SCORES if totals["scores"][name]]
        return {
            "year": year,
            "totals": totals,
            "previous": previous,
            "criteria": [
                {
                    "name": name,
                    "average": totals["scores"][name] or 0.0,
                    "previous": previous["scores"][name] or 0.0,
                }
                for name in SCORES
            ],
            "weakest": sorted(scored, key=lambda name: totals["scores"][name])[
                :WEAKEST_CRITERIA
            ],
            "trend": trend,
            "customers": rows("partner_id"),
            "branches": rows("branch_id"),
            "agents": rows("user_id"),
        }

    # ------------------------------------------------------------
    # SCHEDULED ACTIONS
    # ------------------------------------------------------------

    @api.model
    def _cron_satisfaction_yearly_analysis(self):
        """Daily, acting in January only (seed 001 四.13): last year's
        satisfaction analysis, as a PDF, to the general managers of each
        company, one mail per language in that language. Once a year: a
        run after the first sends nothing more. January is the company's,
        not OdooBot's."""
        for company in self.search([]):
            today = company._care_today()
            if today.month != 1:
                continue
            readers = company._care_general_managers().filtered("email")
            if not readers:
                continue
            year = today.year - 1
            company._care_mail_report_by_lang(
                SATISFACTION_REPORT,
                "customer_care.mail_template_satisfaction_yearly_analysis",
                {"year": year},
                readers,
                lambda env, year=year: env._("Satisfaction Analysis %s.pdf", str(year)),
                f"{SATISFACTION_REPORT} {year}",
                str(year),
            )


class ReportSatisfactionYearlyAnalysis(models.AbstractModel):
    """The yearly satisfaction analysis of a company for its general
    manager (seed 001 四.13)."""

    _name = "report.customer_care.report_satisfaction_yearly_analysis"
    _description = "Yearly Satisfaction Analysis"

    @api.model
    def _get_report_values(self, docids, data=None):
        care_check_report_access(
            self.env, "customer_care.group_general_manager", self._description
        )
        companies = self.env["res.company"].browse(
            docids or self.env.context.get("active_ids", [])
        )
        year = care_report_year(self, data)
        lang = (data or {}).get("lang")
        langs = {
            company.id: lang or company._care_report_lang() for company in companies
        }
        return {
            "doc_ids": companies.ids,
            "doc_model": "res.company",
            "docs": companies,
            "langs": langs,
            "score_names": list(SCORES),
            "labels": {
                lang: care_callback_labels(self.env, lang)
                for lang in set(langs.values())
            },
            "analyses": {
                company.id: company._care_satisfaction_analysis(year)
                for company in companies
            },
        }


class ReportCallbackIssueDigest(models.AbstractModel):
    """The weekly callback issue digest (seed 000 §3.2.2.1) as a report:
    what the Monday mail carries, as of a chosen day."""

    _name = "report.customer_care.report_callback_issue_digest"
    _description = "Callback Issue Digest"

    @api.model
    def _get_report_values(self, docids, data=None):
        care_check_report_access(
            self.env, "customer_care.group_callback_manager", self._description
        )
        companies = self.env["res.company"].browse(
            docids or self.env.context.get("active_ids", [])
        )
        as_of = (data or {}).get("date")
        as_of = fields.Date.to_date(as_of) if as_of else None
        return {
            "doc_ids": companies.ids,
            "doc_model": "res.company",
            "docs": companies,
            "langs": {company.id: company._care_report_lang() for company in companies},
            "digests": {
                company.id: company._care_callback_issue_digest_data(as_of)
                for company in companies
            },
        }
