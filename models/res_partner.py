# Copyright 2026 customer_care contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


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

    # ------------------------------------------------------------
    # COMPUTES
    # ------------------------------------------------------------

    @api.depends("care_branch_id")
    def _compute_care_regional_manager_id(self):
        for partner in self:
            if partner.care_branch_id.user_id:
                partner.care_regional_manager_id = partner.care_branch_id.user_id

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
