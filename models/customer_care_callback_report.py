# Copyright 2026 customer_care contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError

from .customer_care_callback import SCORES


def care_check_report_access(env, group, report_name):
    """Refuse a monthly report to who is not in ``group`` (its managers;
    the general manager is in every one): the figures are the whole
    company's. The crons render it as OdooBot, a general manager."""
    if env.su or env.user.has_group(group):
        return
    raise AccessError(
        env._(
            "The %s is printed by the general manager and the managers of its "
            "department only.",
            report_name,
        )
    )


def care_callback_labels(env, lang):
    """The labels of the callbacks' scores, states and types in ``lang``:
    the reports are rendered in the reader's language, not the user's."""
    env = env(context=dict(env.context, lang=lang))
    fields_ = env["customer.care.callback"]._fields
    return {
        "scores": {name: fields_[name]._description_string(env) for name in SCORES},
        "states": dict(fields_["state"]._description_selection(env)),
        "types": dict(fields_["callback_type"]._description_selection(env)),
    }


class ReportCallbackLedger(models.AbstractModel):
    """The yearly callback ledger of each customer (回访台账, seed 000
    §3.2.2.1): its callbacks of the year with scores, opinions and issues."""

    _name = "report.customer_care.report_callback_ledger"
    _description = "Callback Ledger"

    @api.model
    def _get_report_values(self, docids, data=None):
        # printed with data (the year), the client passes the ids in the context
        partners = self.env["res.partner"].browse(
            docids or self.env.context.get("active_ids", [])
        )
        year = int((data or {}).get("year") or fields.Date.context_today(self).year)
        callbacks = self.env["customer.care.callback"].search(
            [
                ("partner_id", "in", partners.commercial_partner_id.ids),
                ("state", "!=", "cancelled"),
                ("date", ">=", date(year, 1, 1)),
                ("date", "<=", date(year, 12, 31)),
            ],
            order="date, id",
        )
        by_partner = callbacks.grouped("partner_id")
        return {
            "doc_ids": partners.ids,
            "doc_model": "res.partner",
            "docs": partners,
            "year": year,
            "callbacks": {
                partner.id: by_partner.get(partner.commercial_partner_id, callbacks[:0])
                for partner in partners
            },
            "labels": {
                lang: care_callback_labels(self.env, lang)
                for lang in set(partners.mapped("lang"))
            },
        }


class ReportCallbackMonthlySummary(models.AbstractModel):
    """The monthly callback summary of a company for its general manager
    (seed 001 四.9)."""

    _name = "report.customer_care.report_callback_monthly_summary"
    _description = "Monthly Callback Summary"

    @api.model
    def _get_report_values(self, docids, data=None):
        care_check_report_access(
            self.env, "customer_care.group_callback_manager", self._description
        )
        companies = self.env["res.company"].browse(
            docids or self.env.context.get("active_ids", [])
        )
        month = (data or {}).get("month")
        if month:
            month_start = fields.Date.to_date(month).replace(day=1)
        else:
            today = fields.Date.context_today(self)
            month_start = today.replace(day=1) - relativedelta(months=1)
        langs = {
            company.id: company.care_general_manager_id.lang or company.partner_id.lang
            for company in companies
        }
        return {
            "doc_ids": companies.ids,
            "doc_model": "res.company",
            "docs": companies,
            "langs": langs,
            "labels": {
                lang: care_callback_labels(self.env, lang)
                for lang in set(langs.values())
            },
            "summaries": {
                company.id: company._care_callback_monthly_summary(month_start)
                for company in companies
            },
        }
