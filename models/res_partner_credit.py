# Copyright 2026 customer_care contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
from datetime import date, timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL
from odoo.tools.sql import index_exists

from .res_partner import CARE_DOCUMENT_GROUPS

_logger = logging.getLogger(__name__)

CREDIT_INDEX = "customer_care_aml_open_receivable_index"
# the open balance of every (partner, account, company), kept by a trigger on
# account_move_line so that the credit check reads one row instead of summing
# every open line of the customer (see _care_credit_balance_init)
BALANCE_TABLE = "customer_care_credit_balance"
BALANCE_FUNCTION = "customer_care_credit_balance_update"
# rows per customer, account and company among which concurrent transactions
# spread their additions (see _care_credit_balance_init)
BALANCE_SLOTS = 8
BALANCE_TRIGGERS = (
    "customer_care_credit_balance_insert_delete",
    "customer_care_credit_balance_update",
)


def drop_balance_triggers(cr):
    """Drop the triggers that keep the balances (update and uninstall)."""
    for trigger in BALANCE_TRIGGERS:
        cr.execute(
            SQL(
                "DROP TRIGGER IF EXISTS %s ON account_move_line",
                SQL.identifier(trigger),
            )
        )


CREDIT_MODES = [
    ("none", "No Credit (Cash Before Goods)"),
    ("rolling", "Rolling Limit"),
    ("manual", "Manual Limit"),
    # the customers who already bought when the add-on was installed, until
    # the credit manager classifies them (Credit Onboarding): warned, not
    # blocked
    ("unclassified", "Not Classified Yet"),
]
# the modes without a limit: no check of the exposure
NO_LIMIT_MODES = ("none", "unclassified")


class ResPartner(models.Model):
    """Credit (授信) of a customer, seed 004 篇一: eligibility (1.1), the rolling
    limit of the invoices of the last 30 days (1.2, 1.3), cash customers
    (1.4.1), and the exposure that the checks on orders and deliveries
    compare with the limit. Odoo's own ``credit_limit`` is the manual limit."""

    _name = "res.partner"
    _inherit = ["res.partner", "customer.care.guard.mixin"]

    care_credit_mode = fields.Selection(
        CREDIT_MODES,
        string="Credit Mode",
        default="none",
        required=True,
        tracking=True,
        help="No credit: the customer pays before the goods leave. Rolling: the "
        "limit is the invoiced amount of the last days, recomputed daily. "
        "Manual: the credit manager sets the limit. Not classified yet: a "
        "customer from before the add-on, whose orders and deliveries are "
        "not checked until the credit manager classifies it (Credit "
        "Onboarding).",
    )
    # eligibility (1.1): file, contract, last year cleared
    care_id_copy = fields.Binary(
        string="Account Holder's ID Copy",
        attachment=True,
        copy=False,
        groups=CARE_DOCUMENT_GROUPS,
    )
    care_id_copy_name = fields.Char(copy=False, groups=CARE_DOCUMENT_GROUPS)
    care_credit_contract_type = fields.Selection(
        [
            ("distribution", "Distribution Contract"),
            ("direct", "Direct-Sales Contract"),
        ],
        string="Contract",
        tracking=True,
    )
    care_credit_contract_date = fields.Date(string="Contract Signed On", tracking=True)
    care_credit_contract = fields.Binary(
        string="Signed Contract",
        attachment=True,
        copy=False,
        groups=CARE_DOCUMENT_GROUPS,
    )
    care_credit_contract_name = fields.Char(copy=False, groups=CARE_DOCUMENT_GROUPS)
    care_credit_settlement_terms = fields.Text(
        string="Settlement Terms", help="The settlement agreement of the contract."
    )
    care_credit_file_complete = fields.Boolean(
        compute="_compute_care_credit_eligibility",
        string="File Complete",
        help="Business licence, tax certificate and the account holder's ID copy "
        "are attached.",
    )
    care_credit_contract_signed = fields.Boolean(
        compute="_compute_care_credit_eligibility", string="Contract Signed"
    )
    care_credit_last_year_open = fields.Monetary(
        compute="_compute_care_credit_eligibility",
        string="Last Year Still Open",
        currency_field="care_credit_currency_id",
        help="Receivables open at the start of the year, less the payments "
        "received since.",
    )
    care_credit_last_year_cleared = fields.Boolean(
        compute="_compute_care_credit_eligibility", string="Last Year Cleared"
    )
    care_credit_eligible = fields.Boolean(
        compute="_compute_care_credit_eligibility", string="Eligible for Credit"
    )
    # limit (1.2, 1.3)
    care_credit_currency_id = fields.Many2one(
        "res.currency", compute="_compute_care_credit_currency_id"
    )
    care_credit_rolling_amount = fields.Float(
        string="Rolling Limit",
        readonly=True,
        copy=False,
        help="Posted invoices net of refunds of the period before the last "
        "recomputation.",
    )
    care_credit_rolling_date = fields.Date(
        string="Rolling Limit Changed On", readonly=True, copy=False
    )
    care_credit_limit = fields.Monetary(
        compute="_compute_care_credit_figures",
        string="Limit in Force",
        currency_field="care_credit_currency_id",
    )
    care_credit_receivable = fields.Monetary(
        compute="_compute_care_credit_figures",
        string="Open Receivables",
        currency_field="care_credit_currency_id",
    )
    care_credit_to_invoice = fields.Monetary(
        compute="_compute_care_credit_figures",
        string="Confirmed, Not Invoiced",
        currency_field="care_credit_currency_id",
    )
    care_credit_exposure = fields.Monetary(
        compute="_compute_care_credit_figures",
        string="Exposure",
        currency_field="care_credit_currency_id",
    )
    care_credit_overdue_days = fields.Integer(
        compute="_compute_care_credit_figures",
        string="Days Overdue",
        help="Days past due of the oldest unpaid receivable.",
    )
    care_credit_history_ids = fields.One2many(
        "customer.care.credit.history", "partner_id", string="Limit History"
    )
    care_credit_request_ids = fields.One2many(
        "customer.care.credit.request", "partner_id", string="Over-Limit Requests"
    )
    # touched by every credit check: two checks of one customer queue on it
    care_credit_checked_at = fields.Datetime(readonly=True, copy=False)
    care_credit_customer = fields.Boolean(
        string="Credit Customer",
        compute="_compute_care_credit_customer",
        search="_search_care_credit_customer",
        help="A customer of the credit screens: a commercial partner given "
        "credit, served by a branch, with open receivables or orders, or "
        "invoiced before; not a company of ours nor a user's partner.",
    )

    # credit risk (seed 003 风险管理): set by the half-yearly review only
    care_credit_rating_id = fields.Many2one(
        "customer.care.credit.rating",
        string="Credit Rating",
        tracking=True,
        index="btree_not_null",
        copy=False,
        help="Decided in the half-yearly risk review; its response (stop "
        "credit, reduced limit, approval of every order, monitoring) is "
        "applied by the credit checks of orders and deliveries.",
    )
    care_credit_rating_date = fields.Date(string="Rated On", readonly=True, copy=False)
    care_credit_rating_response = fields.Selection(
        related="care_credit_rating_id.response", string="Risk Response"
    )
    care_credit_review_ids = fields.One2many(
        "customer.care.credit.review", "partner_id", string="Risk Reviews"
    )

    # ------------------------------------------------------------
    # COMPUTES
    # ------------------------------------------------------------

    @api.depends_context("company")
    def _compute_care_credit_currency_id(self):
        self.care_credit_currency_id = self.env.company.currency_id

    @api.depends(
        "commercial_partner_id.care_business_licence",
        "commercial_partner_id.care_tax_certificate",
        "commercial_partner_id.care_id_copy",
        "commercial_partner_id.care_credit_contract_type",
        "commercial_partner_id.care_credit_contract_date",
        "commercial_partner_id.care_credit_contract",
    )
    @api.depends_context("company")
    def _compute_care_credit_eligibility(self):
        company = self.env.company
        open_last_year = self._care_credit_last_year_open(company)
        for partner in self:
            entity = partner.commercial_partner_id.sudo()
            partner.care_credit_file_complete = bool(
                entity.care_business_licence
                and entity.care_tax_certificate
                and entity.care_id_copy
            )
            partner.care_credit_contract_signed = bool(
                entity.care_credit_contract_type
                and entity.care_credit_contract_date
                and entity.care_credit_contract
            )
            still_open = open_last_year.get(entity.id, 0.0)
            partner.care_credit_last_year_open = still_open
            partner.care_credit_last_year_cleared = (
                company.currency_id.compare_amounts(still_open, 0.0) <= 0
            )
            partner.care_credit_eligible = (
                partner.care_credit_file_complete
                and partner.care_credit_contract_signed
                and partner.care_credit_last_year_cleared
            )

    @api.depends_context("company")
    def _compute_care_credit_figures(self):
        company = self.env.company
        # a customer being created has no figures yet
        entities = self.commercial_partner_id._origin
        many = entities._care_credit_figures_many(company) if entities else {}
        for partner in self:
            figures = many.get(partner.commercial_partner_id._origin.id) or {
                "limit": 0.0,
                "receivable": 0.0,
                "to_invoice": 0.0,
                "exposure": 0.0,
                "overdue_days": 0,
            }
            partner.care_credit_limit = figures["limit"]
            partner.care_credit_receivable = figures["receivable"]
            partner.care_credit_to_invoice = figures["to_invoice"]
            partner.care_credit_exposure = figures["exposure"]
            partner.care_credit_overdue_days = figures["overdue_days"]

    @api.depends_context("company")
    def _compute_care_credit_customer(self):
        customers = self.filtered_domain(self._care_credit_customer_domain())
        for partner in self:
            partner.care_credit_customer = partner in customers

    def _search_care_credit_customer(self, operator, value):
        if operator not in ("=", "!="):
            raise UserError(
                self.env._("Search the credit customers with “is set” or “is not set”.")
            )
        domain = self._care_credit_customer_domain()
        if (operator == "=") == bool(value):
            return domain
        return ["!", *domain]

    def _care_credit_customer_domain(self):
        """Commercial partners given credit, served by a branch, with open
        receivables or orders in the current company, or invoiced before
        (Odoo's customer rank); never the partners of our companies nor of
        the internal users."""
        company = self.env.company
        ours = self.env["res.company"].sudo().with_context(active_test=False)
        ours = ours.search([]).partner_id
        self.env["account.move.line"].flush_model(
            ["amount_residual", "partner_id", "account_id", "parent_state"]
        )
        self.env["sale.order"].flush_model(["state", "partner_id", "company_id"])
        self.flush_model(["commercial_partner_id"])
        self.env.cr.execute(
            SQL(
                """
                SELECT DISTINCT p.commercial_partner_id
                  FROM %(table)s b
                  JOIN res_partner p ON p.id = b.partner_id
                  JOIN account_account a ON a.id = b.account_id
                 WHERE b.company_id = %(company)s
                   AND a.account_type = 'asset_receivable'
                   AND b.amount_residual != 0
                 UNION
                SELECT DISTINCT p.commercial_partner_id
                  FROM sale_order o
                  JOIN res_partner p ON p.id = o.partner_id
                 WHERE o.state != 'cancel'
                   AND o.company_id = %(company)s
                """,
                table=SQL.identifier(BALANCE_TABLE),
                company=company.id,
            )
        )
        exposed = [row[0] for row in self.env.cr.fetchall() if row[0]]
        return [
            "&",
            "&",
            "&",
            "|",
            ("is_company", "=", True),
            ("parent_id", "=", False),
            ("partner_share", "=", True),
            ("id", "not in", ours.ids),
            "|",
            "|",
            "|",
            ("care_credit_mode", "!=", "none"),
            ("care_branch_id", "!=", False),
            ("customer_rank", ">", 0),
            ("id", "in", exposed),
        ]

    def init(self):
        res = super().init()
        # the days overdue read a customer's open receivable lines (the
        # checks read the kept balance): a partial covering index answers
        # from the index alone (its predicate is the ORM's, as Odoo's own
        # account_move_line__unreconciled_index)
        if not index_exists(self.env.cr, CREDIT_INDEX):
            self.env.cr.execute(
                SQL(
                    """
                    CREATE INDEX %s ON account_move_line (partner_id, account_id)
                    INCLUDE (amount_residual, date_maturity, company_id)
                    WHERE (reconciled IS NULL OR reconciled = false
                           OR reconciled IS NOT true)
                      AND parent_state = 'posted'
                    """,
                    SQL.identifier(CREDIT_INDEX),
                )
            )
        self._care_credit_balance_init()
        return res

    def _care_credit_balance_init(self):
        """Keep the open balance of each (partner, account, company) in a
        table of its own, by a trigger on account_move_line.

        The check must not sum tens of thousands of open lines at each
        order; Odoo keeps no such balance, and account lines change through
        the ORM and through SQL alike, so a trigger (which sees both) keeps
        it: each posted, unreconciled line adds its residual, and the same
        line taken back before a change. Created with its content on
        install; the function and triggers are (re)made on every update.

        A customer's balance is kept in up to ``BALANCE_SLOTS`` rows (the
        readers sum them): each transaction adds to the row of its own slot
        (its transaction id modulo the slots), so that invoices posted for
        one key account at the same time in several workers seldom write the
        same row. On one row, Odoo's REPEATABLE READ transactions fail to
        serialize one another and are retried, or fail after 5 tries."""
        cr = self.env.cr
        cr.execute(SQL("SELECT to_regclass(%s)", BALANCE_TABLE))
        exists = cr.fetchone()[0]
        if not exists:
            cr.execute(
                SQL(
                    """
                    CREATE TABLE %s (
                        partner_id integer NOT NULL,
                        account_id integer NOT NULL,
                        company_id integer NOT NULL,
                        slot smallint NOT NULL DEFAULT 0,
                        amount_residual numeric NOT NULL DEFAULT 0,
                        PRIMARY KEY (partner_id, account_id, company_id, slot)
                    )
                    """,
                    SQL.identifier(BALANCE_TABLE),
                )
            )
        else:
            self._care_credit_balance_add_slots()
        # one row's share: (partner, account, company, residual) when the
        # line is posted, not reconciled and has a residual
        cr.execute(
            SQL(
                """
                CREATE OR REPLACE FUNCTION %(function)s() RETURNS trigger
                LANGUAGE plpgsql AS $body$
                BEGIN
                    IF TG_OP IN ('UPDATE', 'DELETE')
                       AND OLD.partner_id IS NOT NULL
                       AND OLD.parent_state = 'posted'
                       AND OLD.reconciled IS NOT TRUE
                       AND COALESCE(OLD.amount_residual, 0) <> 0 THEN
                        INSERT INTO %(table)s AS b
                               (partner_id, account_id, company_id, slot,
                                amount_residual)
                        VALUES (OLD.partner_id, OLD.account_id, OLD.company_id,
                                mod(txid_current(), %(slots)s), -OLD.amount_residual)
                        ON CONFLICT (partner_id, account_id, company_id, slot)
                        DO UPDATE
                           SET amount_residual = b.amount_residual
                                                 + EXCLUDED.amount_residual;
                    END IF;
                    IF TG_OP IN ('INSERT', 'UPDATE')
                       AND NEW.partner_id IS NOT NULL
                       AND NEW.parent_state = 'posted'
                       AND NEW.reconciled IS NOT TRUE
                       AND COALESCE(NEW.amount_residual, 0) <> 0 THEN
                        INSERT INTO %(table)s AS b
                               (partner_id, account_id, company_id, slot,
                                amount_residual)
                        VALUES (NEW.partner_id, NEW.account_id, NEW.company_id,
                                mod(txid_current(), %(slots)s), NEW.amount_residual)
                        ON CONFLICT (partner_id, account_id, company_id, slot)
                        DO UPDATE
                           SET amount_residual = b.amount_residual
                                                 + EXCLUDED.amount_residual;
                    END IF;
                    RETURN NULL;
                END
                $body$
                """,
                function=SQL.identifier(BALANCE_FUNCTION),
                table=SQL.identifier(BALANCE_TABLE),
                slots=BALANCE_SLOTS,
            )
        )
        insert_delete, update = BALANCE_TRIGGERS
        drop_balance_triggers(cr)
        cr.execute(
            SQL(
                """
                CREATE TRIGGER %s AFTER INSERT OR DELETE ON account_move_line
                FOR EACH ROW EXECUTE FUNCTION %s()
                """,
                SQL.identifier(insert_delete),
                SQL.identifier(BALANCE_FUNCTION),
            )
        )
        cr.execute(
            SQL(
                """
                CREATE TRIGGER %s
                AFTER UPDATE OF partner_id, account_id, company_id, parent_state,
                                reconciled, amount_residual
                ON account_move_line FOR EACH ROW
                WHEN (OLD.partner_id IS DISTINCT FROM NEW.partner_id
                      OR OLD.account_id IS DISTINCT FROM NEW.account_id
                      OR OLD.company_id IS DISTINCT FROM NEW.company_id
                      OR OLD.parent_state IS DISTINCT FROM NEW.parent_state
                      OR OLD.reconciled IS DISTINCT FROM NEW.reconciled
                      OR OLD.amount_residual IS DISTINCT FROM NEW.amount_residual)
                EXECUTE FUNCTION %s()
                """,
                SQL.identifier(update),
                SQL.identifier(BALANCE_FUNCTION),
            )
        )
        if not exists:
            self._care_credit_balance_rebuild()

    def _care_credit_balance_add_slots(self):
        """A table of a version without slots (one row per customer, account
        and company) gets them: its rows become slot 0."""
        cr = self.env.cr
        cr.execute(
            "SELECT 1 FROM information_schema.columns"
            " WHERE table_name = %s AND column_name = 'slot'",
            [BALANCE_TABLE],
        )
        if cr.fetchone():
            return
        cr.execute(
            SQL(
                """
                ALTER TABLE %(table)s
                    ADD COLUMN slot smallint NOT NULL DEFAULT 0,
                    DROP CONSTRAINT %(pkey)s,
                    ADD PRIMARY KEY (partner_id, account_id, company_id, slot)
                """,
                table=SQL.identifier(BALANCE_TABLE),
                pkey=SQL.identifier(f"{BALANCE_TABLE}_pkey"),
            )
        )

    @api.model
    def _care_credit_balance_rebuild(self):
        """Recount the kept balances from the lines (install, repair)."""
        self.env["account.move.line"].flush_model()
        self.env.cr.execute(
            SQL(
                """
                DELETE FROM %(table)s;
                INSERT INTO %(table)s
                       (partner_id, account_id, company_id, amount_residual)
                SELECT partner_id, account_id, company_id, SUM(amount_residual)
                  FROM account_move_line
                 WHERE partner_id IS NOT NULL
                   AND parent_state = 'posted'
                   AND reconciled IS NOT TRUE
                   AND amount_residual <> 0
                 GROUP BY partner_id, account_id, company_id
                """,
                table=SQL.identifier(BALANCE_TABLE),
            )
        )

    # ------------------------------------------------------------
    # CONSTRAINTS AND CRUD
    # ------------------------------------------------------------

    @api.constrains("credit_limit")
    def _check_care_credit_limit(self):
        for partner in self:
            if partner.credit_limit < 0:
                raise ValidationError(
                    self.env._(
                        "The credit limit of %s cannot be negative: enter 0 for "
                        "no credit.",
                        partner.display_name,
                    )
                )

    @api.constrains("care_credit_mode")
    def _check_care_credit_mode(self):
        for partner in self.filtered(
            lambda p: p.care_credit_mode not in NO_LIMIT_MODES
        ):
            missing = partner._care_credit_missing()
            if not missing:
                continue
            raise ValidationError(
                self.env._(
                    "%(customer)s cannot have credit yet: it needs %(missing)s.",
                    customer=partner.display_name,
                    missing=", ".join(missing),
                )
            )

    def _care_credit_missing(self):
        """What the customer lacks to be eligible for credit (seed 004 1.1):
        a list of labels, empty when eligible."""
        self.ensure_one()
        if self.care_credit_eligible:
            return []
        return [
            label
            for ok, label in (
                (self.care_credit_file_complete, self.env._("a complete file")),
                (self.care_credit_contract_signed, self.env._("a signed contract")),
                (
                    self.care_credit_last_year_cleared,
                    self.env._("last year's receivables cleared"),
                ),
            )
            if not ok
        ]

    @api.model
    def _care_guarded_fields(self):
        hint = self.env._(
            "the credit settings of the customer (credit mode and manual limit, "
            "by a credit manager): the rolling limit is recomputed every day "
            "and the other figures are computed from the invoices and orders"
        )
        return dict(
            super()._care_guarded_fields(),
            **dict.fromkeys(
                (
                    "care_credit_rolling_amount",
                    "care_credit_rolling_date",
                    "care_credit_checked_at",
                    "care_credit_limit",
                    "care_credit_receivable",
                    "care_credit_to_invoice",
                    "care_credit_exposure",
                    "care_credit_overdue_days",
                    "care_credit_file_complete",
                    "care_credit_contract_signed",
                    "care_credit_last_year_open",
                    "care_credit_last_year_cleared",
                    "care_credit_eligible",
                ),
                hint,
            ),
            **dict.fromkeys(
                ("care_credit_rating_id", "care_credit_rating_date"),
                self.env._(
                    "the half-yearly risk review (Credit › Risk Reviews), where "
                    "the credit manager decides the rating with a reason"
                ),
            ),
        )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._care_check_credit_vals(
                vals, vals.get("care_credit_mode", "none") != "none"
            )
        return super().create(vals_list)

    def write(self, vals):
        manual = (
            "care_credit_mode" in vals
            and any(p.care_credit_mode != vals["care_credit_mode"] for p in self)
        ) or (
            "credit_limit" in vals and any(p.care_credit_mode == "manual" for p in self)
        )
        self._care_check_credit_vals(vals, manual)
        return super().write(vals)

    def _care_check_credit_vals(self, vals, manual):
        """Make ``vals["credit_limit"]`` a number, and refuse a credit mode or
        a manual limit set by anyone but a credit manager."""
        if "credit_limit" in vals:
            try:
                vals["credit_limit"] = float(vals["credit_limit"] or 0.0)
            except (TypeError, ValueError):
                raise UserError(
                    self.env._(
                        "The credit limit must be a number, not %r.",
                        vals["credit_limit"],
                    )
                ) from None
        if (
            manual
            and not self.env.su
            and not self.env.user.has_group("customer_care.group_credit_manager")
        ):
            raise UserError(
                self.env._(
                    "Only a credit manager sets the credit mode and a manual "
                    "credit limit: ask the credit manager."
                )
            )

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _care_credit_last_year_open(self, company, today=None):
        """{commercial partner id: receivables open at the start of the year
        (of ``today``, the company's day by default) less the payments
        received since}, with two aggregates."""
        entities = self.commercial_partner_id
        if not entities:
            return {}
        year_start = date((today or company._care_today()).year, 1, 1)
        Line = self.env["account.move.line"].sudo()
        base = [
            ("partner_id", "in", entities.ids),
            ("company_id", "=", company.id),
            ("account_type", "=", "asset_receivable"),
            ("parent_state", "=", "posted"),
        ]
        opening = dict(
            Line._read_group(
                [*base, ("date", "<", year_start)], ["partner_id"], ["balance:sum"]
            )
        )
        paid = dict(
            Line._read_group(
                [*base, ("date", ">=", year_start), ("credit", ">", 0)],
                ["partner_id"],
                ["credit:sum"],
            )
        )
        return {
            partner.id: opening.get(partner, 0.0) - paid.get(partner, 0.0)
            for partner in entities
        }

    def _care_credit_limit_in_force(self, company):
        """The limit that the checks apply: 0 for a cash customer. Eligibility
        is checked when credit is granted (the mode's constraint) and shown on
        the customer, not again on every order."""
        self.ensure_one()
        if self.care_credit_mode in NO_LIMIT_MODES:
            return 0.0
        if self.care_credit_mode == "manual":
            # credit_limit is an accounting field: salesmen and warehouse
            # clerks run the check without reading it themselves
            partner = self.sudo()
            if company != self.env.company:
                partner = partner.with_company(company)
            limit = partner.credit_limit
        else:
            limit = self.care_credit_rolling_amount
        # the risk response of a low rating (风险降低): a reduced limit
        rating = self.sudo().care_credit_rating_id
        if rating.response == "reduce" and rating.reduce_percent:
            limit = company.currency_id.round(limit * (1 - rating.reduce_percent / 100))
        return limit

    def _care_credit_rating_gate(self):
        """The message of a customer whose rating asks an approved request
        for every order (风险降低), or False."""
        self.ensure_one()
        rating = self.sudo().care_credit_rating_id
        if rating.response != "approve":
            return False
        return self.env._(
            "%(customer)s is rated %(rating)s: every order needs an approved "
            "over-limit request before it is confirmed and delivered.",
            customer=self.display_name,
            rating=rating.name,
        )

    def _care_credit_figures(self, company, order=None, overdue=True):
        """Limit, open receivables, confirmed-but-uninvoiced orders, the
        order at hand and the oldest overdue days of this commercial
        partner, with a constant number of queries whatever its history
        (seed 004 2.1-2.2)."""
        self.ensure_one()
        return self._care_credit_figures_many(company, order=order, overdue=overdue)[
            self.id
        ]

    def _care_credit_figures_many(self, company, order=None, overdue=True):
        """{commercial partner id: figures} of these commercial partners, in
        three queries however many they are (a list of customers computes
        them at once); ``order`` is the order at hand of the one partner
        that places it. The open receivables are the balances kept by the
        trigger (one row per account); ``overdue`` adds the days overdue of
        the oldest unpaid line, which reads the open lines (the checks, which
        only compare the exposure with the limit, leave it out)."""
        cr = self.env.cr
        self.env["account.move.line"].flush_model(
            [
                "amount_residual",
                "partner_id",
                "parent_state",
                "reconciled",
                "account_id",
            ]
        )
        self.env["sale.order.line"].flush_model(
            ["price_total", "product_uom_qty", "qty_invoiced", "order_id"]
        )
        self.env["sale.order"].flush_model(["state", "partner_id", "company_id"])
        self.flush_model(["commercial_partner_id"])
        # the ids first: with literal arrays the planner uses the indexes on
        # the customers' own lines, whatever the size of the ledger
        cr.execute(
            SQL(
                """
                SELECT ARRAY(SELECT id FROM res_partner
                              WHERE commercial_partner_id = ANY(%(ids)s) ORDER BY id),
                       ARRAY(SELECT commercial_partner_id FROM res_partner
                              WHERE commercial_partner_id = ANY(%(ids)s) ORDER BY id),
                       ARRAY(SELECT id FROM account_account
                              WHERE account_type = 'asset_receivable')
                """,
                ids=self.ids,
            )
        )
        partner_ids, entity_ids, account_ids = cr.fetchone()
        entity_of = dict(zip(partner_ids, entity_ids, strict=True))
        today = company._care_today()
        cr.execute(
            SQL(
                """
                SELECT partner_id, SUM(amount_residual)
                  FROM %(table)s
                 WHERE partner_id = ANY(%(partners)s)
                   AND account_id = ANY(%(accounts)s)
                   AND company_id = %(company)s
                 GROUP BY partner_id
                """,
                table=SQL.identifier(BALANCE_TABLE),
                partners=partner_ids,
                accounts=account_ids,
                company=company.id,
            )
        )
        receivable = dict.fromkeys(self.ids, 0.0)
        for partner_id, amount in cr.fetchall():
            receivable[entity_of[partner_id]] += float(amount or 0.0)
        oldest_due = dict.fromkeys(self.ids)
        if overdue:
            cr.execute(
                SQL(
                    """
                    SELECT l.partner_id, MIN(l.date_maturity)
                      FROM account_move_line l
                     WHERE l.partner_id = ANY(%(partners)s)
                       AND l.account_id = ANY(%(accounts)s)
                       AND (l.reconciled IS NULL OR l.reconciled = false
                            OR l.reconciled IS NOT true)
                       AND l.parent_state = 'posted'
                       AND l.company_id = %(company)s
                       AND l.amount_residual > 0
                       AND l.date_maturity < %(today)s
                     GROUP BY l.partner_id
                    """,
                    today=today,
                    partners=partner_ids,
                    accounts=account_ids,
                    company=company.id,
                )
            )
            for partner_id, due in cr.fetchall():
                entity = entity_of[partner_id]
                if not oldest_due[entity] or due < oldest_due[entity]:
                    oldest_due[entity] = due
        # what confirmed orders still have to invoice, taxes included, by the
        # quantities (untaxed_amount_to_invoice is 0 for goods invoiced on
        # delivery and not delivered yet)
        cr.execute(
            SQL(
                """
                SELECT o.partner_id, o.currency_id,
                       SUM(ol.price_total * (ol.product_uom_qty - ol.qty_invoiced)
                           / ol.product_uom_qty)
                  FROM sale_order_line ol
                  JOIN sale_order o ON o.id = ol.order_id
                 WHERE o.state = 'sale'
                   AND o.partner_id = ANY(%(partners)s)
                   AND o.company_id = %(company)s
                   AND o.id != %(order)s
                   AND ol.product_uom_qty > 0
                   AND ol.qty_invoiced < ol.product_uom_qty
                 GROUP BY o.partner_id, o.currency_id
                """,
                partners=partner_ids,
                company=company.id,
                order=order.id if order and order.id else 0,
            )
        )
        to_invoice = dict.fromkeys(self.ids, 0.0)
        for partner_id, currency_id, amount in cr.fetchall():
            currency = self.env["res.currency"].browse(currency_id)
            to_invoice[entity_of[partner_id]] += currency._convert(
                amount or 0.0, company.currency_id, company, today
            )
        at_hand = 0.0
        if order:
            at_hand = order.currency_id._convert(
                order._care_credit_amount_open(), company.currency_id, company, today
            )
        result = {}
        for partner in self:
            limit = partner._care_credit_limit_in_force(company)
            order_amount = (
                at_hand
                if order and order.partner_id.commercial_partner_id == partner
                else 0.0
            )
            exposure = receivable[partner.id] + to_invoice[partner.id] + order_amount
            due = oldest_due[partner.id]
            result[partner.id] = {
                "limit": limit,
                "receivable": receivable[partner.id],
                "to_invoice": to_invoice[partner.id],
                "order": order_amount,
                "exposure": exposure,
                "over": max(exposure - limit, 0.0),
                "overdue_days": (today - due).days if due else 0,
                "currency": company.currency_id,
            }
        return result

    def _care_credit_unclassified_message(self):
        """What the order and the delivery of a customer not classified yet
        say instead of a check: not blocked, and who classifies it."""
        self.ensure_one()
        return self.env._(
            "%(customer)s has no credit mode yet, so its orders and deliveries "
            "are not checked: the credit manager classifies customers in "
            "Customer Care › Credit › Credit Onboarding (also in Settings).",
            customer=self.display_name,
        )

    def _care_credit_lock(self):
        """Queue the credit checks of this customer: the row is updated, so a
        concurrent check waits for this transaction and then fails to
        serialize (Odoo retries it, and the retry sees this order)."""
        self.ensure_one()
        self.env.cr.execute(
            SQL(
                "UPDATE res_partner"
                " SET care_credit_checked_at = now() AT TIME ZONE 'UTC'"
                " WHERE id = %s",
                self.id,
            )
        )
        self.invalidate_recordset(["care_credit_checked_at"])

    # ------------------------------------------------------------
    # SCHEDULED ACTIONS
    # ------------------------------------------------------------

    @api.model
    def _cron_care_credit_rolling_limits(self, today=None):
        """Recompute the rolling limits (seed 004 1.2-1.3: the invoiced amount
        of the 30 days before today), in batches of customers, with one
        aggregate and one update per batch; a change is kept in the
        history."""
        main_company = self.env.ref("base.main_company", raise_if_not_found=False)
        for company in self.env["res.company"].search([]):
            self._care_credit_recompute_company(
                company,
                today or company._care_today(),
                main_company=main_company or company,
            )

    def _care_credit_recompute_company(
        self, company, today, main_company=None, partner_ids=None
    ):
        """Recompute the rolling limits of the company's customers on
        ``today`` (only those of ``partner_ids`` if given: the onboarding)."""
        main_company = main_company or company
        Move = self.env["account.move"].sudo()
        batch = company.care_credit_batch_size or 5000
        since = today - timedelta(days=company.care_credit_rolling_days)
        last_id = 0
        done = 0
        # the batches select in SQL: pending ORM writes first
        self.flush_model(["care_credit_mode", "commercial_partner_id", "company_id"])
        while True:
            self.env.cr.execute(
                SQL(
                    """
                    SELECT id FROM res_partner
                     WHERE care_credit_mode = 'rolling' AND id > %s
                       AND id = commercial_partner_id
                       AND (company_id = %s OR (company_id IS NULL AND %s))
                       AND (%s OR id = ANY(%s))
                     ORDER BY id LIMIT %s
                    """,
                    last_id,
                    company.id,
                    # customers shared by the companies count the invoices
                    # of the main one (one rolling limit per customer)
                    company == main_company,
                    partner_ids is None,
                    list(partner_ids or []),
                    batch,
                )
            )
            ids = [row[0] for row in self.env.cr.fetchall()]
            if not ids:
                break
            last_id = ids[-1]
            totals = {
                partner.id: amount
                for partner, amount in Move._read_group(
                    [
                        ("commercial_partner_id", "in", ids),
                        ("company_id", "=", company.id),
                        ("state", "=", "posted"),
                        ("move_type", "in", ("out_invoice", "out_refund")),
                        ("invoice_date", ">=", since),
                        ("invoice_date", "<", today),
                    ],
                    ["commercial_partner_id"],
                    ["amount_total_signed:sum"],
                )
            }
            values = [(pid, max(totals.get(pid, 0.0), 0.0)) for pid in ids]
            self.env.cr.execute(
                SQL(
                    """
                    WITH new(id, amount) AS (VALUES %s),
                    old AS (
                        SELECT p.id, p.care_credit_rolling_amount AS before
                          FROM res_partner p JOIN new ON new.id = p.id
                    ),
                    updated AS (
                        UPDATE res_partner p
                           SET care_credit_rolling_amount = new.amount,
                               care_credit_rolling_date = %s
                          FROM new
                         WHERE p.id = new.id
                           AND COALESCE(p.care_credit_rolling_amount, 0)
                               IS DISTINCT FROM new.amount
                    )
                    INSERT INTO customer_care_credit_history
                           (partner_id, company_id, date, amount, create_uid,
                            create_date, write_uid, write_date)
                    SELECT new.id, %s, %s, new.amount, %s, now() AT TIME ZONE 'UTC',
                           %s, now() AT TIME ZONE 'UTC'
                      FROM new JOIN old ON old.id = new.id
                     WHERE COALESCE(old.before, 0) IS DISTINCT FROM new.amount
                    """,
                    SQL(", ").join(
                        SQL("(%s, %s::float8)", pid, amount) for pid, amount in values
                    ),
                    today,
                    company.id,
                    today,
                    self.env.uid,
                    self.env.uid,
                )
            )
            done += len(ids)
            self.invalidate_model(
                ["care_credit_rolling_amount", "care_credit_rolling_date"]
            )
            self.env["ir.cron"]._notify_progress(done=done, remaining=0)
        return done
