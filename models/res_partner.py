# Copyright 2026 customer_care contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command, api, fields, models

# who sees the customer's licence and tax certificate copies: the desk checks
# identities, credit staff check the file, sales managers keep it up to date
CARE_DOCUMENT_GROUPS = (
    "customer_care.group_pickup_desk,customer_care.group_credit_approver,"
    "sales_team.group_sale_manager"
)


class ResPartner(models.Model):
    """The customer profile shared by the four features: segments, the branch
    (the sales team) serving the customer, its regional manager and the agent
    responsible for its callbacks."""

    _inherit = "res.partner"

    care_segment_ids = fields.Many2many(
        "customer.care.segment",
        "res_partner_care_segment_rel",
        "partner_id",
        "segment_id",
        string="Customer Segments",
        tracking=True,
        help="Key account, ordinary customer, dealer, business partner, "
        "self-pickup, big or very big customer: decides the callback cadence.",
    )
    care_branch_id = fields.Many2one(
        "crm.team",
        string="Branch",
        tracking=True,
        index="btree_not_null",
        help="The branch (sales team) that serves this customer; its leader is "
        "the customer's regional manager.",
    )
    care_agent_id = fields.Many2one(
        "res.users",
        string="Callback Agent",
        tracking=True,
        help="Customer-service agent responsible for this customer's callbacks.",
    )
    care_regional_manager_id = fields.Many2one(
        "res.users",
        string="Regional Manager",
        compute="_compute_care_regional_manager_id",
        store=True,
        readonly=False,
        precompute=True,
        tracking=True,
        help="Approves this customer's over-limit shipments. Defaults to the "
        "leader of the customer's branch.",
    )

    # Customer documents (seed 003 客户信息收集 / 信息安全): copies kept on the
    # customer file, seen only by the roles that check them
    care_business_licence = fields.Binary(
        string="Business Licence Copy",
        attachment=True,
        copy=False,
        groups=CARE_DOCUMENT_GROUPS,
    )
    care_business_licence_name = fields.Char(
        string="Business Licence File Name", copy=False, groups=CARE_DOCUMENT_GROUPS
    )
    care_tax_certificate = fields.Binary(
        string="Tax Registration Certificate Copy",
        attachment=True,
        copy=False,
        groups=CARE_DOCUMENT_GROUPS,
    )
    care_tax_certificate_name = fields.Char(
        string="Tax Certificate File Name", copy=False, groups=CARE_DOCUMENT_GROUPS
    )
    care_pickup_authorised = fields.Boolean(
        string="Authorised to Collect",
        help="This contact may collect the customer's self-pickup orders at "
        "the desk (with an identity card).",
    )

    care_callback_ids = fields.One2many(
        "customer.care.callback", "partner_id", string="Callbacks"
    )
    care_callback_count = fields.Integer(
        compute="_compute_care_callback_stats", string="Callback Count"
    )
    care_satisfaction = fields.Float(
        compute="_compute_care_callback_stats",
        string="Satisfaction",
        digits=(3, 2),
        help="Average overall satisfaction of the last 12 months' callbacks.",
    )

    # ------------------------------------------------------------
    # COMPUTES
    # ------------------------------------------------------------

    @api.depends("care_branch_id")
    def _compute_care_regional_manager_id(self):
        for partner in self:
            if partner.care_branch_id.user_id:
                partner.care_regional_manager_id = partner.care_branch_id.user_id

    def _compute_care_callback_stats(self):
        Callback = self.env["customer.care.callback"]
        counts = dict(
            Callback._read_group(
                [("partner_id", "in", self.ids)], ["partner_id"], ["__count"]
            )
        )
        since = fields.Date.subtract(fields.Date.context_today(self), months=12)
        scores = dict(
            Callback._read_group(
                [
                    ("partner_id", "in", self.ids),
                    ("state", "=", "done"),
                    ("date", ">=", since),
                    ("score_overall", "!=", False),
                ],
                ["partner_id"],
                ["score_overall:avg"],
            )
        )
        for partner in self:
            partner.care_callback_count = counts.get(partner, 0)
            partner.care_satisfaction = scores.get(partner, 0.0)

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_care_view_callbacks(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "customer_care.customer_care_callback_action"
        )
        action["domain"] = [("partner_id", "child_of", self.commercial_partner_id.id)]
        action["context"] = {"default_partner_id": self.commercial_partner_id.id}
        return action

    def action_care_satisfaction_trend(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "customer_care.customer_care_callback_analysis_action"
        )
        action["domain"] = [
            ("partner_id", "=", self.commercial_partner_id.id),
            ("state", "=", "done"),
        ]
        action["context"] = {"graph_groupbys": ["date:month"], "graph_mode": "line"}
        action["display_name"] = self.env._(
            "Satisfaction of %s", self.commercial_partner_id.name
        )
        return action

    def action_care_log_callback(self):
        self.ensure_one()
        return self.env["customer.care.callback"]._care_action_log(self)

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _care_has_segment(self, code):
        """Whether the commercial entity of the partner is in segment ``code``."""
        self.ensure_one()
        return code in self.commercial_partner_id.care_segment_ids.mapped("code")

    def _care_get_agent(self):
        """The user who makes this customer's callbacks: its own agent, else
        the agent of its commercial entity, else the company's default."""
        self.ensure_one()
        return (
            self.care_agent_id
            or self.commercial_partner_id.care_agent_id
            or (self.company_id or self.env.company).care_default_agent_id
        )

    @api.model
    def _cron_care_top_dealers(self):
        """Seed 000 §3.1.2: the top dealers of each branch, by the sales of the
        last months, are put in the "Top Dealer" segment (and so called)."""
        top = self.env.ref("customer_care.segment_top_dealer")
        dealer = self.env.ref("customer_care.segment_dealer")
        for company in self.env["res.company"].search([]):
            since = fields.Datetime.subtract(
                fields.Datetime.now(), months=company.care_callback_top_dealer_months
            )
            sales = self.env["sale.order"]._read_group(
                [
                    ("company_id", "=", company.id),
                    ("state", "=", "sale"),
                    ("date_order", ">=", since),
                    (
                        "partner_id.commercial_partner_id.care_segment_ids",
                        "in",
                        dealer.ids,
                    ),
                ],
                ["partner_id"],
                ["amount_untaxed:sum"],
            )
            totals = {}
            for partner, amount in sales:
                dealer_partner = partner.commercial_partner_id
                totals[dealer_partner] = totals.get(dealer_partner, 0.0) + amount
            by_branch = {}
            for partner, amount in totals.items():
                by_branch.setdefault(partner.care_branch_id, []).append(
                    (amount, partner)
                )
            winners = self.browse()
            for ranked in by_branch.values():
                ranked.sort(key=lambda item: (-item[0], item[1].id))
                for _amount, partner in ranked[
                    : company.care_callback_top_dealer_count
                ]:
                    winners |= partner
            current = self.search(
                [
                    ("care_segment_ids", "in", top.ids),
                    "|",
                    ("company_id", "=", company.id),
                    ("company_id", "=", False),
                ]
            )
            (current - winners).write({"care_segment_ids": [Command.unlink(top.id)]})
            (winners - current).write({"care_segment_ids": [Command.link(top.id)]})
