# Copyright 2026 customer_care contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The credit ratings (客户信用评级, seed 003 风险评估) and the response each
one calls for (风险应对): the company names its ratings, the score from which
the half-yearly review proposes each, and what the credit checks do for a
customer so rated."""

from odoo import api, fields, models
from odoo.exceptions import ValidationError

RESPONSES = [
    ("stop", "Stop Credit (Cash Before Goods)"),
    ("reduce", "Reduce the Limit"),
    ("approve", "Approve Every Order"),
    ("monitor", "Monitor"),
    ("none", "None"),
]


class CustomerCareCreditRating(models.Model):
    _name = "customer.care.credit.rating"
    _description = "Credit Rating"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True, help="A short code, e.g. A, B, C, D.")
    sequence = fields.Integer(
        default=10, help="The best rating first: the last one is the lowest."
    )
    active = fields.Boolean(default=True)
    min_score = fields.Float(
        string="From Score",
        help="The review proposes the best rating whose score the customer "
        "reaches (a customer starts at 100 points; its behaviour takes points "
        "away).",
    )
    response = fields.Selection(
        RESPONSES,
        string="Risk Response",
        required=True,
        default="none",
        help="Stop credit (风险规避): the customer buys cash before goods. Reduce "
        "the limit or approve every order (风险降低): the credit checks apply "
        "the reduced limit, or ask an approved over-limit request for every "
        "order. Monitor: shown on the customer and its orders. None (风险接受).",
    )
    reduce_percent = fields.Float(
        string="Limit Reduced By (%)",
        default=0.0,
        help="With the response Reduce the Limit: the limit in force is cut by "
        "this share.",
    )
    color = fields.Integer()
    partner_count = fields.Integer(string="Customers", compute="_compute_partner_count")
    description = fields.Text()

    _sql_constraints = [
        ("code_unique", "unique(code)", "A rating code is used once."),
    ]

    def _compute_partner_count(self):
        counts = dict(
            self.env["res.partner"]._read_group(
                [("care_credit_rating_id", "in", self.ids)],
                ["care_credit_rating_id"],
                ["__count"],
            )
        )
        for rating in self:
            rating.partner_count = counts.get(rating, 0)

    @api.constrains("reduce_percent", "min_score")
    def _check_reduce_percent(self):
        for rating in self:
            if not 0 <= rating.reduce_percent <= 100:
                raise ValidationError(
                    self.env._(
                        "%(rating)s reduces the limit by a share between 0 and 100.",
                        rating=rating.name,
                    )
                )
            if not 0 <= rating.min_score <= 100:
                raise ValidationError(
                    self.env._(
                        "The score from which %(rating)s is proposed is between 0 "
                        "and 100.",
                        rating=rating.name,
                    )
                )

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    @api.model
    def _care_lowest(self):
        return self.search([], order="sequence desc, id desc", limit=1)

    @api.model
    def _care_for_score(self, score, ratings=None):
        """The best rating whose score ``score`` reaches, else the lowest."""
        ratings = ratings if ratings is not None else self.search([])
        for rating in ratings.sorted(lambda r: (-r.min_score, r.sequence)):
            if score >= rating.min_score:
                return rating
        return ratings.sorted(lambda r: (r.sequence, r.id))[-1:] if ratings else self

    def _care_is_below(self, other):
        """Whether this rating is worse than ``other`` (none: not below)."""
        self.ensure_one()
        if not other:
            return False
        return (self.sequence, self.id) > (other.sequence, other.id)
