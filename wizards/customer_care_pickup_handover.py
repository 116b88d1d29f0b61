# Copyright 2026 customer_care contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare, float_is_zero

from ..models.customer_care_pickup import is_masked_id_number


class CustomerCarePickupHandover(models.TransientModel):
    """The handover at the desk (seed 003 客户自提): the voucher code, the
    collector's identity, the goods checked line by line with the customer."""

    _name = "customer.care.pickup.handover"
    _description = "Pickup Handover"

    pickup_id = fields.Many2one("customer.care.pickup", required=True, readonly=True)
    partner_id = fields.Many2one(related="pickup_id.commercial_partner_id")
    code = fields.Char(string="Voucher Code")
    error = fields.Char(readonly=True)
    collector_partner_id = fields.Many2one(
        "res.partner",
        string="Authorised Collector",
        domain="[('commercial_partner_id', '=', partner_id), "
        "('care_pickup_authorised', '=', True)]",
    )
    collector_name = fields.Char(
        string="Collected By",
        compute="_compute_collector_name",
        store=True,
        readonly=False,
    )
    collector_id_number = fields.Char(
        string="ID Number",
        help="Kept masked but for its last 4 characters once saved.",
    )
    collector_id_hash = fields.Char(string="ID Number Hash", readonly=True)
    id_checked = fields.Boolean(
        string="ID Checked",
        help="The identity card was shown and matches the collector.",
    )
    documents_required = fields.Text(related="pickup_id.documents_required")
    has_overdue = fields.Boolean(related="pickup_id.has_overdue")
    overdue_amount = fields.Monetary(related="pickup_id.overdue_amount")
    currency_id = fields.Many2one(related="pickup_id.currency_id")
    line_ids = fields.One2many(
        "customer.care.pickup.handover.line",
        "wizard_id",
        compute="_compute_line_ids",
        store=True,
        readonly=False,
    )
    discrepancy_note = fields.Text(
        help="What the customer found wrong or missing, for follow-up."
    )
    open_complaint = fields.Boolean(
        string="Open a Complaint",
        help="Register the discrepancy as a complaint of the customer.",
    )

    @api.depends("collector_partner_id")
    def _compute_collector_name(self):
        for wizard in self:
            if wizard.collector_partner_id:
                wizard.collector_name = wizard.collector_partner_id.name

    @api.depends("pickup_id")
    def _compute_line_ids(self):
        for wizard in self:
            moves = wizard.pickup_id.picking_id.move_ids.filtered(
                lambda m: m.state not in ("done", "cancel")
            )
            wizard.line_ids = [Command.clear()] + [
                Command.create(
                    {
                        "move_id": move.id,
                        "product_id": move.product_id.id,
                        "uom_id": move.product_uom.id,
                        "ordered_qty": move.product_uom_qty,
                        "handed_qty": move.product_uom_qty,
                    }
                )
                for move in moves
            ]

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        return super().create([self._care_mask_id_number(vals) for vals in vals_list])

    def write(self, vals):
        return super().write(self._care_mask_id_number(vals))

    def _care_mask_id_number(self, vals):
        """The ID number typed is kept masked, with its keyed hash: never in
        clear, not even in this wizard's table. A masked value sent back
        unchanged keeps the hash."""
        # the hash is the server's: never taken from the client
        vals = {k: v for k, v in vals.items() if k != "collector_id_hash"}
        if "collector_id_number" not in vals:
            return vals
        number = vals["collector_id_number"]
        if number and is_masked_id_number(number):
            return {k: v for k, v in vals.items() if k != "collector_id_number"}
        return dict(
            vals, **self.env["customer.care.pickup"]._care_collector_id_vals(number)
        )

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def _reopen(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Hand Over %s", self.pickup_id.name),
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "views": [
                (
                    self.env.ref(
                        "customer_care.customer_care_pickup_handover_view_form"
                    ).id,
                    "form",
                )
            ],
            "target": "new",
        }

    def action_hand_over(self):
        self.ensure_one()
        pickup = self.pickup_id
        pickup._care_check_state(("ready", "notified"), self.env._("handed over"))
        pickup._care_check_not_locked()
        if not (self.code or "").strip():
            raise UserError(
                self.env._("Enter or scan the voucher code the customer shows.")
            )
        voucher = pickup.voucher_id
        if (
            not voucher
            or not voucher._care_is_valid()
            or not voucher._care_matches(self.code)
        ):
            # the wrong code is counted (that is the one thing written), the
            # desk sees why, and the goods stay where they are
            voided = any(
                v._care_matches(self.code)
                for v in pickup.voucher_ids.filtered(lambda v: v.state == "voided")
            )
            locked = pickup._care_register_wrong_code()
            if locked:
                message = self.env._(
                    "Too many wrong codes: the handover is locked for %s minutes "
                    "and the desk manager has been informed.",
                    pickup.company_id.care_pickup_lock_minutes,
                )
            elif voided:
                message = self.env._(
                    "This code was voided when a new pickup notice was sent: ask "
                    "the customer for the latest notice."
                )
            else:
                message = self.env._(
                    "Wrong voucher code: nothing was handed over. Check the code "
                    "with the customer."
                )
            self.write({"error": message, "code": False})
            return self._reopen()
        lines = self._care_checked_lines()
        vals = self._care_checked_identity()
        if self.open_complaint and not (self.discrepancy_note or "").strip():
            raise UserError(
                self.env._("Describe the discrepancy to open a complaint about it.")
            )
        vals["discrepancy_note"] = self.discrepancy_note
        result = pickup._care_record_handover(vals, lines)
        if result is not True:
            return result
        if self.open_complaint:
            pickup._care_open_complaint(self.discrepancy_note)
        # nothing of the code typed stays in the wizard's table
        self.write({"code": False})
        return {"type": "ir.actions.act_window_close"}

    def _care_checked_identity(self):
        name = (self.collector_name or "").strip()
        if not name or not self.collector_id_hash:
            raise UserError(
                self.env._(
                    "Enter the collector's name and identity card number: nobody "
                    "collects without a checked identity."
                )
            )
        if not self.id_checked:
            raise UserError(
                self.env._(
                    "Check the collector's identity card, then tick 'ID Checked'."
                )
            )
        partner = self.collector_partner_id
        if partner and (
            partner.commercial_partner_id != self.partner_id
            or not partner.care_pickup_authorised
        ):
            raise UserError(
                self.env._(
                    "%s is not authorised to collect for this customer.",
                    partner.display_name,
                )
            )
        return {
            "collector_partner_id": partner.id,
            "collector_name": name,
            "collector_id_number": self.collector_id_number,
            "collector_id_hash": self.collector_id_hash,
        }

    def _care_checked_lines(self):
        lines = []
        for line in self.line_ids:
            rounding = line.uom_id.rounding or 0.001
            if float_compare(line.handed_qty, 0.0, precision_rounding=rounding) < 0:
                raise UserError(
                    self.env._(
                        "The quantity handed over of %s cannot be negative.",
                        line.product_id.display_name,
                    )
                )
            if (
                float_compare(
                    line.handed_qty, line.ordered_qty, precision_rounding=rounding
                )
                > 0
            ):
                raise UserError(
                    self.env._(
                        "%(product)s: %(handed)s handed over is more than the "
                        "%(ordered)s ordered.",
                        product=line.product_id.display_name,
                        handed=line.handed_qty,
                        ordered=line.ordered_qty,
                    )
                )
            lines.append(
                {
                    "move_id": line.move_id.id,
                    "product_id": line.product_id.id,
                    "uom_id": line.uom_id.id,
                    "ordered_qty": line.ordered_qty,
                    "handed_qty": line.handed_qty,
                }
            )
        if all(float_is_zero(line["handed_qty"], precision_digits=6) for line in lines):
            raise UserError(
                self.env._(
                    "Nothing is handed over: enter the quantities the customer "
                    "takes, or mark the pickup as a no-show."
                )
            )
        return lines


class CustomerCarePickupHandoverLine(models.TransientModel):
    _name = "customer.care.pickup.handover.line"
    _description = "Pickup Handover Line"

    wizard_id = fields.Many2one(
        "customer.care.pickup.handover", required=True, ondelete="cascade"
    )
    move_id = fields.Many2one("stock.move")
    product_id = fields.Many2one("product.product", required=True, readonly=True)
    uom_id = fields.Many2one("uom.uom", string="Unit", readonly=True)
    ordered_qty = fields.Float(
        string="Ordered", digits="Product Unit of Measure", readonly=True
    )
    handed_qty = fields.Float(string="Handed Over", digits="Product Unit of Measure")
