# Copyright 2026 customer_care contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64
import contextlib
import contextvars
import hashlib
import hmac
import secrets
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import index_exists

from .customer_care_guard import transition

# no 0/O, 1/I/L: read aloud and typed at the desk without mistakes
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8  # 31**8 ≈ 8.5e11 codes, and 5 tries before a lock

# The clear token, code and link of the voucher whose notice or PDF is being
# rendered, by voucher id: set by the server around the rendering, read by
# the templates. A context variable of the thread, not a context key: no
# client can set it, and nothing of it is stored.
_CLEAR = contextvars.ContextVar("customer_care_voucher_clear", default=None)


def normalize_code(code):
    """The code as typed or scanned at the desk, without spaces, dashes or case."""
    return "".join((code or "").split()).replace("-", "").upper()


def care_hash(env, scope, value):
    """HMAC-SHA256 of ``value`` with a key derived, for ``scope``, from the
    database secret (``database.secret``): who reads the database without
    that secret can neither recompute nor reverse it."""
    secret = env["ir.config_parameter"].sudo().get_param("database.secret")
    key = hmac.new(
        secret.encode(), f"customer_care.{scope}".encode(), hashlib.sha256
    ).digest()
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()


def code_from_token(env, token):
    """The voucher code of a link token: a keyed hash of the token written
    with ``CODE_ALPHABET``. Whoever holds the link can be shown its code;
    the database keeps neither."""
    number = int(care_hash(env, "pickup.code", token), 16)
    chars = []
    for _i in range(CODE_LENGTH):
        number, index = divmod(number, len(CODE_ALPHABET))
        chars.append(CODE_ALPHABET[index])
    return "".join(chars)


class CustomerCarePickupVoucher(models.Model):
    """A pickup voucher (提货凭证): the code and the portal link of one pickup
    notice. Sending the notice again voids it and makes a new one.

    Neither the link's token nor the code is stored: the token is random,
    the code is derived from it with a keyed hash, and the voucher keeps
    keyed hashes of both. The clear values exist in memory while the notice
    is rendered (then only in the notice sent to the customer) and while the
    portal, given the token by the customer's link, renders the voucher PDF.
    The desk compares the hash of the code typed with the stored one."""

    _name = "customer.care.pickup.voucher"
    _description = "Pickup Voucher"
    _inherit = ["customer.care.guard.mixin"]
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
    token_hash = fields.Char(readonly=True, copy=False, groups="base.group_system")
    code_hash = fields.Char(readonly=True, copy=False, groups="base.group_system")
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

    @api.model
    def _care_guarded_fields(self):
        hint = self.env._(
            "the Send Notice button of the pickup: it voids the voucher and "
            "issues a new one"
        )
        return dict(
            super()._care_guarded_fields(),
            **dict.fromkeys(
                (
                    "name",
                    "pickup_id",
                    "token_hash",
                    "code_hash",
                    "state",
                    "sent_at",
                    "voided_at",
                    "expires_at",
                ),
                hint,
            ),
        )

    def init(self):
        # one valid voucher (one open notice) per pickup
        if not index_exists(self.env.cr, "customer_care_pickup_voucher_active_unique"):
            self.env.cr.execute(
                "CREATE UNIQUE INDEX customer_care_pickup_voucher_active_unique "
                "ON customer_care_pickup_voucher (pickup_id) WHERE state = 'active'"
            )

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    @transition
    @api.model
    def _care_issue(self, pickup):
        """Void the pickup's valid vouchers and make a new one: (the voucher
        with sudo, its clear secrets as ``_care_secrets`` gives them). The
        caller passes the secrets to the notice and forgets them. The
        pickup's row is locked first: two notices at once number their
        vouchers one after the other, and one stays valid (a partial UNIQUE
        index)."""
        self.env["customer.care.job.run"]._care_lock_rows(pickup)
        pickup.voucher_ids.filtered(lambda v: v.state == "active").sudo().write(
            {"state": "voided", "voided_at": fields.Datetime.now()}
        )
        # in the table before the new one (the index of the valid ones)
        self.flush_model(["state", "voided_at"])
        number = len(pickup.voucher_ids) + 1
        token = secrets.token_urlsafe(32)
        voucher = self.sudo().create(
            {
                "name": f"{pickup.name} #{number}",
                "pickup_id": pickup.id,
                "token_hash": self._care_token_hash(token),
                "code_hash": self._care_code_hash(code_from_token(self.env, token)),
                "sent_at": fields.Datetime.now(),
            }
        )
        return voucher, voucher._care_secrets(token)

    @api.model
    def _care_token_hash(self, token):
        return care_hash(self.env, "pickup.token", token)

    @api.model
    def _care_code_hash(self, code):
        return care_hash(self.env, "pickup.code_hash", normalize_code(code))

    def _care_secrets(self, token):
        """{"token", "code", "url"} of this voucher's link ``token`` (known
        to be right). The code is empty for a voucher whose code was not
        derived from its token (one issued before version 18.0.1.1.0)."""
        self.ensure_one()
        code = code_from_token(self.env, token)
        return {
            "token": token,
            "code": code if self._care_matches(code) else "",
            "url": f"{self.get_base_url()}/care/pickup/{self.id}/{token}",
        }

    @contextlib.contextmanager
    def _care_clear_scope(self, clear):
        """Render the notice or the PDF of this voucher inside this block:
        its templates read the ``clear`` secrets (from ``_care_secrets``)
        with ``_care_clear``."""
        self.ensure_one()
        reset = _CLEAR.set({**(_CLEAR.get() or {}), self.id: clear})
        try:
            yield
        finally:
            _CLEAR.reset(reset)

    def _care_clear(self, key):
        """The clear "token", "code" or "url" of this voucher while its notice
        or PDF is rendered by the server; empty anywhere else."""
        self.ensure_one()
        return ((_CLEAR.get() or {}).get(self.id) or {}).get(key) or ""

    def _care_matches(self, code):
        """Whether ``code`` is this voucher's code (constant-time compare of
        the keyed hashes)."""
        self.ensure_one()
        entered = normalize_code(code)
        stored = self.sudo().code_hash or ""
        return bool(entered and stored) and hmac.compare_digest(
            self._care_code_hash(entered), stored
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
            or not hmac.compare_digest(
                self._care_token_hash(str(token)), voucher.token_hash or ""
            )
            or not voucher._care_is_valid()
        ):
            return self.sudo().browse()
        return voucher

    def _care_qr_data_uri(self, code):
        """``code`` as a QR image in a data URI, so that it never travels in
        a URL (nor in the server's logs)."""
        png = self.env["ir.actions.report"].barcode(
            "QR", code or "", width=240, height=240
        )
        return "data:image/png;base64," + base64.b64encode(png).decode()
