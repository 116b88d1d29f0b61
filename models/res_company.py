# Copyright 2026 customer_care contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import Counter, defaultdict
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import Command, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import float_compare

from odoo.addons.base.models.ir_model import MODULE_UNINSTALL_FLAG

from .customer_care_callback import SCORES

# how many customers and issue texts the monthly summary ranks
TOP_ISSUES = 5


class ResCompany(models.Model):
    _inherit = "res.company"

    # Every number of the customer-care regimes is a field of the company,
    # shown in Settings > Customer Care. Each feature adds its own here.
    care_general_manager_id = fields.Many2one(
        "res.users",
        string="General Manager",
        help="Receives the monthly callback summary and complaint analysis "
        "and approves preventive measures.",
    )
    care_default_agent_id = fields.Many2one(
        "res.users",
        string="Default Callback Agent",
        help="Callbacks of customers without a responsible agent go to this user.",
    )
    care_duty_manager_id = fields.Many2one(
        "res.users",
        string="Duty Manager",
        help="Alerted at once when a major complaint arrives outside working hours.",
    )
    care_pickup_manager_id = fields.Many2one(
        "res.users",
        string="Pickup Desk Manager",
        help="Informed when a pickup handover is locked after wrong codes.",
    )
    care_finance_user_id = fields.Many2one(
        "res.users",
        string="Finance Contact",
        help="Informed of shipments released over the credit limit.",
    )

    # Staff evaluation (seeds 001 第11–13条, 003 考核机制)
    care_evaluation_scale = fields.Integer(
        string="Evaluation Rating Scale",
        default=5,
        help="The manager rates an evaluation from 1 to this number.",
    )
    care_evaluation_days = fields.Integer(
        string="Evaluation Preparation Days",
        default=10,
        help="In these first days of a quarter, the scheduled action prepares "
        "the evaluations of the previous quarter.",
    )

    # Callbacks (seeds 000, 001, 002, 003)
    care_callback_manager_id = fields.Many2one(
        "res.users",
        string="Callback Escalation Manager",
        help="Makes the manager-level calls and receives the major issues. "
        "Defaults to the general manager.",
    )
    care_callback_first_sale_days = fields.Integer(
        string="First Callback After a Sale (days)",
        default=30,
        help="The first callback after a confirmed sale is due within these days.",
    )
    care_callback_delivery_delay_days = fields.Integer(
        string="Callback After Delivery (days)",
        default=1,
        help="Merchants are called this many days after their delivery is done.",
    )
    care_callback_service_followup_months = fields.Integer(
        string="Service Follow-up (months)",
        default=2,
        help="After a closed service ticket: a callback that day and another "
        "after these months.",
    )
    care_callback_escalation_days = fields.Integer(
        string="Repeated Issues Window (days)",
        default=30,
        help="Issues raised in two callbacks within these days call for a "
        "manager-level callback.",
    )
    care_callback_top_dealer_count = fields.Integer(
        string="Top Dealers per Branch", default=10
    )
    care_callback_top_dealer_months = fields.Integer(
        string="Top Dealers Sales Period (months)", default=12
    )
    care_callback_batch_size = fields.Integer(
        string="Callback Generation Batch", default=1000
    )

    # Complaints (seeds 002 (二), 004 篇三 and 篇八)
    care_complaint_manager_id = fields.Many2one(
        "res.users",
        string="Complaint Lead",
        help="Receives major complaints at once, approves compensations and "
        "is told of missed deadlines of complaints without a team leader.",
    )
    care_complaint_repeat_days = fields.Integer(
        string="Repeat Complaint Window (days)",
        default=30,
        help="A complaint of a customer who complained within these days is a "
        "repeat complaint, and so major.",
    )
    care_complaint_large_loss_amount = fields.Monetary(
        string="Large Loss From",
        currency_field="currency_id",
        default=10000.0,
        help="An estimated loss of this amount or more makes a complaint major.",
    )
    care_complaint_handover_minutes = fields.Integer(
        string="Major: to the Lead Within (working minutes)", default=30
    )
    care_complaint_report_days = fields.Float(
        string="Major: Report to Management and Legal (working days)",
        default=1.0,
        help="24 hours in the regime, counted here as working days of the "
        "company's calendar.",
    )
    care_complaint_proposal_days = fields.Float(
        string="Solution Proposal Within (working days)", default=1.0
    )
    care_complaint_progress_days = fields.Float(
        string="Progress Report When Not Solved Within (working days)", default=3.0
    )
    care_complaint_followup_first_day = fields.Integer(
        string="Follow-up From Day", default=5
    )
    care_complaint_followup_last_day = fields.Integer(
        string="Follow-up Until Day", default=7
    )

    # Self-pickup (seed 003 自提业务流程): the regime's "[X] hours"
    care_pickup_confirm_hours = fields.Float(
        string="Confirm Order With the Customer Within (working hours)",
        default=2.0,
        help="Counted on the working calendar from the order's receipt.",
    )
    care_pickup_prepare_hours = fields.Float(
        string="Check and Prepare Stock Within (working hours)",
        default=4.0,
        help="Counted on the working calendar from the confirmation with the "
        "customer.",
    )
    care_pickup_notice_hours = fields.Float(
        string="Pickup Notice Before Pickup (hours)",
        default=24.0,
        help="The notice with the voucher is sent this many hours before the "
        "planned pickup time.",
    )
    care_pickup_reply_hours = fields.Float(
        string="Customer Answers the Notice Within (working hours)",
        default=12.0,
        help="Without an answer the salesperson is asked to call the customer.",
    )
    care_pickup_no_show_hours = fields.Float(
        string="No-Show After (hours)",
        default=24.0,
        help="Hours after the planned time when an uncollected pickup is a "
        "no-show; vouchers expire then too.",
    )
    care_pickup_max_attempts = fields.Integer(
        string="Wrong Voucher Codes Before Lock", default=5
    )
    care_pickup_lock_minutes = fields.Integer(
        string="Handover Lock (minutes)", default=15
    )

    # Credit (seed 004 篇一): the rolling limit, the one-third rule, month end
    care_credit_manager_id = fields.Many2one(
        "res.users",
        string="Credit Manager",
        help="Decides the over-limit requests beyond a regional manager's "
        "right and those of customers long overdue. Empty: the users who hold "
        "the Credit Manager role themselves (not through the General Manager "
        "role).",
    )
    care_credit_rolling_days = fields.Integer(
        string="Rolling Limit Period (days)",
        default=30,
        help="The rolling limit is the customer's posted invoices, net of "
        "refunds, of these days before today.",
    )
    care_credit_regional_share = fields.Float(
        string="Regional Manager's Right (share of the limit)",
        default=1 / 3,
        digits=(4, 4),
        help="A regional manager approves an over-limit shipment alone only "
        "when the amount over is under this share of the limit.",
    )
    care_credit_overdue_days = fields.Integer(
        string="Overdue Customers From (days)",
        default=30,
        help="Customers with receivables overdue by more than these days need "
        "the credit manager's approval, case by case.",
    )
    care_credit_batch_size = fields.Integer(string="Rolling Limit Batch", default=5000)
    # Credit risk (seed 003 风险管理, seed 004 3-4): the rating proposal's
    # window and weights, the half-yearly review, who bears a bad debt
    care_risk_window_months = fields.Integer(
        string="Rating Window (months)",
        default=6,
        help="The behaviour of these months before the review proposes the " "rating.",
    )
    care_risk_review_days = fields.Integer(
        string="Review Due After (days)",
        default=30,
        help="A half-yearly review not decided these days after it opened is "
        "escalated to the general manager.",
    )
    care_risk_batch_size = fields.Integer(string="Review Batch", default=1000)
    care_risk_weight_overdue_max = fields.Float(
        string="Points per Day of the Longest Delay", default=0.5
    )
    care_risk_weight_overdue_avg = fields.Float(
        string="Points per Day of the Average Delay", default=1.0
    )
    care_risk_weight_request = fields.Float(
        string="Points per Over-Limit Shipment", default=5.0
    )
    care_risk_weight_late_request = fields.Float(
        string="Points per Over-Limit Amount Collected Late", default=10.0
    )
    care_risk_weight_usage = fields.Float(
        string="Points for the Whole Limit Used",
        default=20.0,
        help="Taken in proportion to the share of the limit in use (up to "
        "twice these points for an exposure of twice the limit).",
    )
    care_risk_weight_bad_debt = fields.Float(string="Points per Bad Debt", default=40.0)
    care_risk_weight_complaint = fields.Float(
        string="Points per Complaint", default=3.0
    )
    care_risk_weight_return = fields.Float(string="Points per Return", default=3.0)
    care_risk_weight_last_year = fields.Float(
        string="Points for Last Year Not Cleared", default=15.0
    )
    care_market_head_id = fields.Many2one(
        "res.users",
        string="Market Department Head",
        help="Bears a share of bad debts (市场部部长). Empty: the leader of the "
        "order's sales team.",
    )
    care_bad_debt_journal_id = fields.Many2one(
        "account.journal",
        string="Bad-Debt Journal",
        domain="[('type', '=', 'general'), ('company_id', '=', id)]",
    )
    care_bad_debt_account_id = fields.Many2one(
        "account.account",
        string="Bad-Debt Expense Account",
        domain="[('account_type', 'in', ('expense', 'expense_other'))]",
    )
    care_bad_debt_salesperson_share = fields.Float(
        string="Salesperson's Share (%)", default=50.0
    )
    care_bad_debt_regional_share = fields.Float(
        string="Regional Manager's Share (%)", default=30.0
    )
    care_bad_debt_head_share = fields.Float(
        string="Market Department Head's Share (%)", default=20.0
    )
    care_bad_debt_clerk_share = fields.Float(
        string="Logistics Clerk's Share (%)", default=40.0
    )
    care_bad_debt_keeper_share = fields.Float(
        string="Warehouse Keeper's Share (%)", default=30.0
    )
    care_bad_debt_release_head_share = fields.Float(
        string="Department Head's Share of a Release (%)", default=30.0
    )
    care_credit_deduction_ratio = fields.Float(
        string="Month-End Deduction (%)",
        default=10.0,
        help="Of an over-limit amount of a last shipment still unpaid at the "
        "month end, this share is deducted from the signer's pay (seed 004 "
        "4.1).",
    )
    # Odoo's "Sales Credit Limit" switches the credit checks on: on out of the
    # box, for every new company too (switched off in the settings)
    account_use_credit_limit = fields.Boolean(default=True)

    @api.constrains(
        "care_bad_debt_salesperson_share",
        "care_bad_debt_regional_share",
        "care_bad_debt_head_share",
        "care_bad_debt_clerk_share",
        "care_bad_debt_keeper_share",
        "care_bad_debt_release_head_share",
        "care_credit_deduction_ratio",
    )
    def _check_care_bad_debt_shares(self):
        for company in self:
            groups = (
                (
                    company.care_bad_debt_salesperson_share,
                    company.care_bad_debt_regional_share,
                    company.care_bad_debt_head_share,
                ),
                (
                    company.care_bad_debt_clerk_share,
                    company.care_bad_debt_keeper_share,
                    company.care_bad_debt_release_head_share,
                ),
            )
            for shares in groups:
                if any(share < 0 for share in shares) or (
                    float_compare(sum(shares), 100.0, precision_digits=2)
                ):
                    raise ValidationError(
                        self.env._(
                            "The shares of a bad debt add up to %(total)s per cent: "
                            "make them add up to 100, none negative.",
                            total=round(sum(shares), 2),
                        )
                    )
            if not 0 <= company.care_credit_deduction_ratio <= 100:
                raise ValidationError(
                    self.env._("The month-end deduction is between 0 and 100 per cent.")
                )

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        companies = super().create(vals_list)
        # a new company works on China's schedule shipped with the add-on
        self.env["customer.care.holiday"]._care_copy_shipped_schedule(companies)
        return companies

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _care_callback_manager(self):
        self.ensure_one()
        return self.care_callback_manager_id or self.care_general_manager_id

    def _care_role_holders(self, group_xmlid):
        """The active internal users of this company who hold the role of
        ``group_xmlid`` themselves: members of the group, but not only
        through a role that implies it (the general manager and the
        administrator inherit every manager's group, and are not the
        managers). The recipients of a role's work when no one is named in
        the settings."""
        self.ensure_one()
        group = self.env.ref(group_xmlid)
        Groups = self.env["res.groups"].sudo()
        implying = Groups
        parents = Groups.search([("implied_ids", "in", group.ids)])
        while parents - implying:
            implying |= parents
            parents = Groups.search([("implied_ids", "in", parents.ids)])
        users = (
            self.env["res.users"]
            .sudo()
            .search(
                [
                    ("groups_id", "in", group.ids),
                    ("company_ids", "in", self.ids),
                    ("share", "=", False),
                ],
                order="id",
            )
        )
        return users.filtered(lambda user: not (user.groups_id & implying)).sudo(False)

    def _care_credit_managers(self):
        """Who decides what is beyond a regional manager (seed 004 1.4.2,
        2.2.3): the company's credit manager, else the users who hold the
        role themselves."""
        self.ensure_one()
        return self.care_credit_manager_id or self._care_role_holders(
            "customer_care.group_credit_manager"
        )

    def _care_general_managers(self):
        """The company's general manager, else the users who hold the role
        themselves."""
        self.ensure_one()
        return self.care_general_manager_id or self._care_role_holders(
            "customer_care.group_general_manager"
        )

    def _care_duty_manager(self):
        """Who is alerted of a major complaint received outside working
        hours: the duty manager, else the complaint lead."""
        self.ensure_one()
        return self.care_duty_manager_id or self.care_complaint_manager_id

    def _care_callback_digest_recipients(self):
        """The partners of the company's active callback managers with an
        e-mail: they receive the weekly issue digest."""
        self.ensure_one()
        group = self.env.ref("customer_care.group_callback_manager")
        managers = self.env["res.users"].search(
            [
                ("groups_id", "in", group.id),
                ("company_ids", "in", self.id),
                ("email", "!=", False),
            ]
        )
        return managers.partner_id

    def _care_callback_issue_digest_data(self, as_of=None):
        """The company's open callback issues by customer, for the weekly
        digest (seed 000 §3.2.2.1), read with one search, on the company's
        day; or as of the day ``as_of`` (printed on demand): the issues
        raised by then and not yet reported back by then."""
        self.ensure_one()
        today = self._care_today()
        domain = [("company_id", "=", self.id), ("state", "!=", "fed_back")]
        if as_of and as_of < today:
            today = as_of
            domain = [
                ("company_id", "=", self.id),
                ("date_raised", "<=", as_of),
                "|",
                ("state", "!=", "fed_back"),
                ("feedback_callback_id.date", ">", as_of),
            ]
        issues = self.env["customer.care.callback.issue"].search(
            domain, order="partner_id, is_major desc, date_due, id"
        )
        return {
            "date": today,
            "count": len(issues),
            "major_count": len(issues.filtered("is_major")),
            "customers": [
                {
                    "partner": partner,
                    "issues": [
                        {"issue": issue, "days_open": (today - issue.date_raised).days}
                        for issue in partner_issues
                    ],
                }
                for partner, partner_issues in issues.grouped("partner_id").items()
            ],
        }

    def _care_callback_monthly_summary(self, month_start):
        """The callback figures of the month that starts on ``month_start``
        (seed 001 四.9), from aggregates only: the same few queries whatever
        the number of callbacks."""
        self.ensure_one()
        month_end = month_start + relativedelta(months=1, days=-1)
        Callback = self.env["customer.care.callback"]
        Issue = self.env["customer.care.callback.issue"]
        domain = [
            ("company_id", "=", self.id),
            ("date", ">=", month_start),
            ("date", "<=", month_end),
        ]

        def count_states(groupby):
            counts = defaultdict(Counter)
            for group, state, count in Callback._read_group(
                domain, [groupby, "state"], ["__count"]
            ):
                counts[group][state] = count
            return counts

        def completion(states):
            due = states["done"] + states["missed"] + states["planned"]
            return 100.0 * states["done"] / due if due else 0.0

        agents, branches = count_states("user_id"), count_states("branch_id")
        states = sum(agents.values(), Counter())
        # an empty score was not asked: each average is over the scores given
        scores, branch_scores = {}, defaultdict(dict)
        for name in SCORES:
            rows = Callback._read_group(
                [*domain, ("state", "=", "done"), (name, "!=", False)],
                ["branch_id"],
                [f"{name}:avg", "__count"],
            )
            for branch, average, _count in rows:
                branch_scores[branch][name] = average
            given = sum(count for _branch, _average, count in rows)
            scores[name] = (
                sum(average * count for _branch, average, count in rows) / given
                if given
                else 0.0
            )
        issues = [
            ("company_id", "=", self.id),
            ("date_raised", ">=", month_start),
            ("date_raised", "<=", month_end),
        ]
        return {
            "month_start": month_start,
            "month_end": month_end,
            "states": states,
            "total": states.total(),
            "completion": completion(states),
            "overdue": Callback.search_count(
                [*domain, ("state", "=", "planned"), ("is_overdue", "=", True)]
            ),
            "scores": scores,
            "types": dict(Callback._read_group(domain, ["callback_type"], ["__count"])),
            "agents": [
                {
                    "user": user,
                    "states": counts,
                    "total": counts.total(),
                    "completion": completion(counts),
                }
                for user, counts in agents.items()
            ],
            "branches": [
                {
                    "branch": branch,
                    "total": counts.total(),
                    "completion": completion(counts),
                    "scores": branch_scores[branch],
                }
                for branch, counts in branches.items()
            ],
            "issue_count": Issue.search_count(issues),
            "top_customers": Issue._read_group(
                issues,
                ["partner_id"],
                ["__count"],
                order="__count desc",
                limit=TOP_ISSUES,
            ),
            "top_issues": Issue._read_group(
                issues,
                ["name"],
                ["__count"],
                order="__count desc, name",
                limit=TOP_ISSUES,
            ),
        }

    def _care_today(self, timestamp=None):
        """Today (or the day of the naive UTC ``timestamp``) in the time
        zone of the company's working calendar (else of the company),
        whoever runs the code: a scheduled action runs as OdooBot, whose
        day is the UTC one."""
        self.ensure_one()
        tz = self.resource_calendar_id.tz or self.partner_id.tz or "UTC"
        return fields.Date.context_today(self.with_context(tz=tz), timestamp)

    def _care_calendar(self, calendar=None):
        """The company's working calendar (or ``calendar``, e.g. a pickup
        point's opening hours) on the company's holiday schedule: its off
        days have no working time, its make-up days the hours of a weekday.
        Every working-time computation of the add-on goes through it."""
        self.ensure_one()
        calendar = self.resource_calendar_id if calendar is None else calendar
        return calendar.with_context(care_holiday_company_id=self.id)

    def _care_working_deadline(self, start, hours=0.0, days=0):
        """Return the deadline ``start`` + ``days`` working days + ``hours``
        working hours on the company's working calendar (naive UTC).

        The one helper that complaints, pickups and callbacks plan their
        deadlines with, so that none of them adds raw hours to a datetime.
        China's public holidays and make-up working days of the company
        (``customer.care.holiday``) count. Without a calendar, plain calendar
        time is used.
        """
        self.ensure_one()
        calendar = self._care_calendar()
        if not calendar:
            return start + timedelta(days=days, hours=hours)
        deadline = start
        # resource.calendar works on naive UTC in and out, like the ORM.
        if days:
            deadline = calendar.plan_days(days, deadline, compute_leaves=True)
        if hours:
            deadline = calendar.plan_hours(hours, deadline, compute_leaves=True)
        # plan_* answer False when nothing fits in the next 1400 days.
        return deadline or start + timedelta(days=days, hours=hours)

    # ------------------------------------------------------------
    # SCHEDULED ACTIONS
    # ------------------------------------------------------------

    @api.model
    def _cron_callback_monthly_summary(self):
        """On the 2nd (seed 001 四.9): last month's callback summary, as a
        PDF, to the general manager of each company that has one: the month
        before the company's day, not OdooBot's."""
        template = self.env.ref("customer_care.mail_template_callback_monthly_summary")
        for company in self.search([("care_general_manager_id", "!=", False)]):
            month_start = company._care_today().replace(day=1) - relativedelta(months=1)
            month = f"{month_start:%Y-%m}"
            gm_env = company.with_context(lang=company.care_general_manager_id.lang).env
            pdf, _format = self.env["ir.actions.report"]._render_qweb_pdf(
                "customer_care.action_report_callback_monthly_summary",
                company.ids,
                data={"month": month_start.isoformat()},
            )
            attachment = self.env["ir.attachment"].create(
                {
                    "name": gm_env._("Callback Summary %s.pdf", month),
                    "raw": pdf,
                    "res_model": self._name,
                    "res_id": company.id,
                }
            )
            template.with_context(care_summary_month=month).send_mail(
                company.id,
                email_values={"attachment_ids": [Command.link(attachment.id)]},
            )

    # ------------------------------------------------------------
    # DEMO DATA
    # ------------------------------------------------------------

    def _care_demo_trade_in(self, currency, sale_tax, purchase_tax):
        """The demo company trades in ``currency`` with ``sale_tax`` and
        ``purchase_tax`` as its default taxes (demo data only).

        ``account`` installs its generic (US) chart with demo invoices in the
        company's currency, before this add-on's demo loads, and Odoo refuses
        to change the currency of a company with journal items. So, as Odoo
        does itself when a chart is loaded on a demo database, the demo
        entries are dropped, the currency is switched, and ``account``'s demo
        entries are made again in the new currency, with the new taxes."""
        self.ensure_one()
        currency = self.env["res.currency"].browse(currency)
        sale_tax, purchase_tax = self.env["account.tax"].browse(
            [sale_tax, purchase_tax]
        )
        account_demo = self.env.ref("base.module_account").demo
        if self.currency_id != currency:
            if self.root_id._existing_accounting():
                if not account_demo:
                    return False  # real accounting: never touched
                self.env["account.move"].with_context(active_test=False).search(
                    [("company_id", "child_of", self.id)]
                ).with_context(**{MODULE_UNINSTALL_FLAG: True}).unlink()
            currency.active = True
            old_currency = self.currency_id
            self.write(
                {
                    "currency_id": currency.id,
                    "account_fiscal_country_id": sale_tax.country_id.id,
                }
            )
            # the default pricelists (without rules) and the orders without a
            # pricelist or on them are in the company's currency
            pricelists = self.env["product.pricelist"].search(
                [
                    ("company_id", "=", self.id),
                    ("currency_id", "=", old_currency.id),
                    ("item_ids", "=", False),
                ]
            )
            pricelists.currency_id = currency
            orders = self.env["sale.order"].search(
                [
                    ("company_id", "=", self.id),
                    ("pricelist_id", "in", [False, *pricelists.ids]),
                    ("currency_id", "=", old_currency.id),
                ]
            )
            orders.currency_id = currency
        old_taxes = self.account_sale_tax_id | self.account_purchase_tax_id
        # the VAT is booked on the chart's tax accounts
        for new, old in (
            (sale_tax, self.account_sale_tax_id),
            (purchase_tax, self.account_purchase_tax_id),
        ):
            accounts = old.repartition_line_ids.filtered(
                lambda line: line.repartition_type == "tax"
            ).account_id[:1]
            new.repartition_line_ids.filtered(
                lambda line: line.repartition_type == "tax" and not line.account_id
            ).account_id = accounts
        self.write(
            {
                "account_sale_tax_id": sale_tax.id,
                "account_purchase_tax_id": purchase_tax.id,
            }
        )
        # the products sold and bought with the new default taxes
        old_taxes -= sale_tax | purchase_tax
        products = (
            self.env["product.template"]
            .with_context(active_test=False)
            .search(
                [
                    "|",
                    ("taxes_id", "in", old_taxes.ids),
                    ("supplier_taxes_id", "in", old_taxes.ids),
                ]
            )
        )
        for product in products:
            product.write(
                {
                    "taxes_id": [Command.unlink(t.id) for t in old_taxes]
                    + ([Command.link(sale_tax.id)] if product.taxes_id else []),
                    "supplier_taxes_id": [Command.unlink(t.id) for t in old_taxes]
                    + (
                        [Command.link(purchase_tax.id)]
                        if product.supplier_taxes_id
                        else []
                    ),
                }
            )
        if account_demo and not self.env["account.move"].search_count(
            [("company_id", "=", self.id)], limit=1
        ):
            self.env["account.chart.template"]._install_demo(self)
        return True
