# Copyright 2026 customer_care contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64
import secrets
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import consteq

# no 0/O, 1/I/L: read aloud and typed at the desk without mistakes
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8  # 31**8 ≈ 8.5e11 codes, and 5 tries before a lock


def normalize_code(code):
    """The code as typed or scanned at the desk, without spaces, dashes or case."""
    return "".join((code or "").split()).replace("-", "").upper()


class CustomerCarePickupVoucher(models.Model):
    """A pickup voucher (提货凭证): the code and the portal link of one pickup
    notice. Sending the notice again voids it and makes a new one. The code is
    readable by no role: only the notice, the voucher PDF and the check at the
    desk (which compares it in constant time) read it, with sudo."""

    _name = "customer.care.pickup.voucher"
    _description = "Pickup Voucher"
    _order = "id desc"

    name = fields.Char(required=True, readonly=True)
    pickup_id = fields.Many2one(
        "customer.care.pickup",
        required=True,
        readonly=True,
        ondelete="cascade",
        index=True,
    )
    company_id = fields.Many2one(related="pickup_id.company_id", store=True)
    partner_id = fields.Many2one(related="pickup_id.partner_id")
    point_id = fields.Many2one(related="pickup_id.point_id")
    planned_at = fields.Datetime(related="pickup_id.planned_at")
    code = fields.Char(readonly=True, copy=False, groups="base.group_system")
    access_token = fields.Char(readonly=True, copy=False, groups="base.group_system")
    state = fields.Selection(
        [("active", "Valid"), ("voided", "Voided"), ("used", "Used")],
        default="active",
        required=True,
        readonly=True,
    )
    sent_at = fields.Datetime(readonly=True)
    voided_at = fields.Datetime(readonly=True)
    expires_at = fields.Datetime(
        compute="_compute_expires_at",
        store=True,
        help="The portal link and the code stop working then.",
    )
    portal_url = fields.Char(compute="_compute_portal_url", compute_sudo=True)

    # ------------------------------------------------------------
    # COMPUTES
    # ------------------------------------------------------------

    @api.depends("pickup_id.planned_at", "company_id.care_pickup_no_show_hours")
    def _compute_expires_at(self):
        for voucher in self:
            planned = voucher.pickup_id.planned_at
            voucher.expires_at = planned and planned + timedelta(
                hours=voucher.company_id.care_pickup_no_show_hours
            )

    def _compute_portal_url(self):
        for voucher in self:
            voucher.portal_url = voucher.id and (
                f"{voucher.get_base_url()}/care/pickup/{voucher.id}/"
                f"{voucher.sudo().access_token}"
            )

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    @api.model
    def _care_issue(self, pickup):
        """Void the pickup's valid vouchers and make a new one."""
        pickup.voucher_ids.filtered(lambda v: v.state == "active").sudo().write(
            {"state": "voided", "voided_at": fields.Datetime.now()}
        )
        number = len(pickup.voucher_ids) + 1
        return self.sudo().create(
            {
                "name": f"{pickup.name} #{number}",
                "pickup_id": pickup.id,
                "code": "".join(
                    secrets.choice(CODE_ALPHABET) for _i in range(CODE_LENGTH)
                ),
                "access_token": secrets.token_urlsafe(32),
                "sent_at": fields.Datetime.now(),
            }
        )

    def _care_matches(self, code):
        """Whether ``code`` is this voucher's code (constant-time compare)."""
        self.ensure_one()
        entered = normalize_code(code)
        return bool(entered) and consteq(
            entered.encode(), (self.sudo().code or "").encode()
        )

    def _care_is_valid(self):
        self.ensure_one()
        return (
            self.state == "active"
            and self.pickup_id.state in ("ready", "notified")
            and (not self.expires_at or self.expires_at > fields.Datetime.now())
        )

    @api.model
    def _care_portal_voucher(self, voucher_id, token):
        """The voucher behind a portal link, with sudo, or an empty recordset
        for a missing, wrong, voided or expired link: the caller answers 404
        alike in every case."""
        voucher = self.sudo().browse(int(voucher_id)).exists()
        if (
            not voucher
            or not token
            or not consteq(str(token).encode(), (voucher.access_token or "").encode())
            or not voucher._care_is_valid()
        ):
            return self.sudo().browse()
        return voucher

    def _care_qr_data_uri(self):
        """The code as a QR image in a data URI, so that it never travels in
        a URL (nor in the server's logs)."""
        self.ensure_one()
        png = self.env["ir.actions.report"].barcode(
            "QR", self.sudo().code or "", width=240, height=240
        )
        return "data:image/png;base64," + base64.b64encode(png).decode()
