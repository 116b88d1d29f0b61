# Copyright 2026 customer_care contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class CustomerCareSegment(models.Model):
    """A customer segment (key account, dealer, self-pickup customer...).

    Segments drive who is called back and how often; a customer may belong to
    several of them (a dealer that also collects its goods itself).
    """

    _name = "customer.care.segment"
    _description = "Customer Segment"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(
        required=True,
        help="Stable technical key used by the rules of the add-on "
        "(key_account, ordinary, dealer, business_partner, self_pickup, big, "
        "very_big).",
    )
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    description = fields.Text(translate=True)
    color = fields.Integer()
    partner_count = fields.Integer(compute="_compute_partner_count")

    _sql_constraints = [
        ("code_uniq", "unique(code)", "A segment code must be unique."),
    ]

    # ------------------------------------------------------------
    # COMPUTES
    # ------------------------------------------------------------

    def _compute_partner_count(self):
        counts = dict(
            self.env["res.partner"]._read_group(
                [("care_segment_ids", "in", self.ids)],
                ["care_segment_ids"],
                ["__count"],
            )
        )
        for segment in self:
            segment.partner_count = counts.get(segment, 0)

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_view_partners(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "customer_care.res_partner_care_action"
        )
        action["domain"] = [("care_segment_ids", "in", self.ids)]
        action["context"] = {"default_care_segment_ids": self.ids}
        return action
