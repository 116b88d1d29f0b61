# Copyright 2026 customer_care contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .customer_care_callback import CALLBACK_METHODS, CALLBACK_TYPES


class CustomerCareCallbackCadence(models.Model):
    """Who is called back, how and how often (seeds 000 §3.2.1, 001 第4-6条,
    002 (三), 003 沟通机制): one rule per segment and method."""

    _name = "customer.care.callback.cadence"
    _description = "Callback Cadence"
    _inherit = ["customer.care.guard.mixin"]
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    segment_ids = fields.Many2many(
        "customer.care.segment",
        string="Segments",
        help="Customers in any of these segments are called by this rule; "
        "empty means every customer that is in a segment.",
    )
    exclude_segment_ids = fields.Many2many(
        "customer.care.segment",
        "customer_care_callback_cadence_exclude_rel",
        "cadence_id",
        "segment_id",
        string="Except Segments",
        help="Customers in any of these segments are not called by this rule.",
    )
    buyers_only = fields.Boolean(
        string="Customers Who Bought",
        help="Only customers with a confirmed sale: the first callback is "
        "planned when the sale is confirmed, then one per interval.",
    )
    method = fields.Selection(CALLBACK_METHODS, required=True, default="phone")
    callback_type = fields.Selection(
        CALLBACK_TYPES,
        required=True,
        default="customer",
        help="Decides which scores are asked.",
    )
    interval_number = fields.Integer(string="Every", required=True, default=1)
    interval_type = fields.Selection(
        [("days", "Days"), ("weeks", "Weeks"), ("months", "Months")],
        string="Interval Unit",
        required=True,
        default="weeks",
    )
    callback_count = fields.Integer(compute="_compute_callback_count")
    # where the daily generation of this cadence stands (technical)
    generation_date = fields.Date(readonly=True, copy=False)
    generation_partner_id = fields.Integer(
        string="Generated Up to Customer", readonly=True, copy=False
    )

    # ------------------------------------------------------------
    # COMPUTES
    # ------------------------------------------------------------

    def _compute_callback_count(self):
        counts = dict(
            self.env["customer.care.callback"]._read_group(
                [("cadence_id", "in", self.ids)], ["cadence_id"], ["__count"]
            )
        )
        for cadence in self:
            cadence.callback_count = counts.get(cadence, 0)

    # ------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------

    @api.constrains("interval_number")
    def _check_interval_number(self):
        for cadence in self:
            if cadence.interval_number <= 0:
                raise ValidationError(
                    self.env._(
                        "The interval of the cadence “%(name)s” must be at least "
                        "one day, week or month.",
                        name=cadence.name,
                    )
                )

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_view_callbacks(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "customer_care.customer_care_callback_action"
        )
        action["domain"] = [("cadence_id", "=", self.id)]
        action["context"] = {"default_cadence_id": self.id}
        return action

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _interval(self):
        self.ensure_one()
        return relativedelta(**{self.interval_type: self.interval_number})

    @api.model
    def _care_guarded_fields(self):
        hint = self.env._(
            "the scheduled generation of callbacks: it records how far it went"
        )
        return dict(
            super()._care_guarded_fields(),
            **dict.fromkeys(("generation_date", "generation_partner_id"), hint),
        )

    def _care_generation_reached(self, today, partner_id):
        """Record that generating ``today`` went up to customer ``partner_id``."""
        self.ensure_one()
        if (self.generation_date, self.generation_partner_id) != (today, partner_id):
            self.sudo().write(
                {"generation_date": today, "generation_partner_id": partner_id}
            )
