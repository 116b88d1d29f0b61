# Copyright 2026 customer_care contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import contextlib
import contextvars
import logging
from datetime import timedelta

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.osv import expression

from .customer_care_guard import transition
from .customer_care_pickup_voucher import care_hash

_logger = logging.getLogger(__name__)

PICKUP_STATES = [
    ("to_confirm", "To Confirm"),
    ("confirmed", "Confirmed"),
    ("ready", "Ready"),
    ("notified", "Notified"),
    ("collected", "Collected"),
    ("partial", "Partially Collected"),
    ("no_show", "No-Show"),
    ("cancel", "Cancelled"),
]
OPEN_STATES = ("to_confirm", "confirmed", "ready", "notified")
# how many notices one run of the scheduled action sends per batch
NOTICE_BATCH = 200


# Set while the desk's handover validates the delivery of a pickup: a
# context variable of the thread, which no client can set (a context key
# would be, since clients send the context).
_IN_HANDOVER = contextvars.ContextVar("customer_care_pickup_handover", default=False)


@contextlib.contextmanager
def handover_scope():
    """The delivery of a pickup is validated inside this block by its
    handover (with the collector and the voucher), and nowhere else."""
    token = _IN_HANDOVER.set(True)
    try:
        yield
    finally:
        _IN_HANDOVER.reset(token)


def in_handover():
    return _IN_HANDOVER.get()


def normalize_id_number(number):
    """An identity card number without spaces, its check letter upper case."""
    return "".join((number or "").split()).upper()


def mask_id_number(number):
    """The number with all but its last 4 characters hidden (all of a number
    of 4 characters or fewer), e.g. ``**************1234``."""
    number = normalize_id_number(number)
    if len(number) <= 4:
        return "*" * len(number)
    return "*" * (len(number) - 4) + number[-4:]


def is_masked_id_number(number):
    number = normalize_id_number(number)
    return bool(number) and mask_id_number(number) == number


class CustomerCarePickup(models.Model):
    """A self-pickup (自提) of one delivery of a sale order: confirmed with the
    customer, prepared, notified with a voucher, handed over at the desk
    (seed 003 自提业务流程)."""

    _name = "customer.care.pickup"
    _description = "Self-Pickup"
    _inherit = ["mail.thread", "mail.activity.mixin", "customer.care.guard.mixin"]
    _order = "planned_at, id"

    name = fields.Char(required=True, readonly=True, default="/")
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    sale_order_id = fields.Many2one(
        "sale.order",
        required=True,
        readonly=True,
        index=True,
        ondelete="restrict",
    )
    picking_id = fields.Many2one(
        "stock.picking", string="Delivery", readonly=True, index="btree_not_null"
    )
    partner_id = fields.Many2one(
        related="sale_order_id.partner_id", store=True, string="Customer"
    )
    commercial_partner_id = fields.Many2one(
        related="partner_id.commercial_partner_id", store=True
    )
    user_id = fields.Many2one(
        related="sale_order_id.user_id", store=True, string="Salesperson"
    )
    point_id = fields.Many2one(
        "customer.care.pickup.point",
        string="Pickup Point",
        required=True,
        tracking=True,
        check_company=True,
    )
    documents_required = fields.Text(related="point_id.documents_required")
    planned_at = fields.Datetime(string="Planned Pickup", tracking=True)
    state = fields.Selection(
        PICKUP_STATES,
        default="to_confirm",
        required=True,
        tracking=True,
        index=True,
        readonly=True,
    )

    # timing (seed 003: confirm within [X] hours, prepare within [X] hours,
    # notice [X] hours before, answer within [X] hours)
    received_at = fields.Datetime(
        string="Order Received", default=fields.Datetime.now, readonly=True
    )
    confirm_deadline = fields.Datetime(
        compute="_compute_confirm_deadline", store=True, string="Confirm By"
    )
    confirmed_at = fields.Datetime(string="Confirmed With Customer", readonly=True)
    prepare_deadline = fields.Datetime(
        compute="_compute_prepare_deadline", store=True, string="Prepare By"
    )
    ready_at = fields.Datetime(readonly=True)
    shortage = fields.Boolean(
        readonly=True,
        tracking=True,
        help="The stock check found too little: the salesperson agrees a new "
        "date or a partial pickup with the customer.",
    )
    notice_due_at = fields.Datetime(
        compute="_compute_notice_due_at", store=True, string="Notice Due"
    )
    notice_sent_at = fields.Datetime(readonly=True)
    reply_deadline = fields.Datetime(
        compute="_compute_reply_deadline", store=True, string="Answer By"
    )
    customer_reply = fields.Selection(
        [("confirmed", "Confirmed by Customer"), ("reschedule", "New Time Asked")],
        readonly=True,
        tracking=True,
    )
    customer_replied_at = fields.Datetime(readonly=True)
    reminder_sent = fields.Boolean(readonly=True)
    is_late = fields.Boolean(
        compute="_compute_is_late",
        search="_search_is_late",
        string="Step Overdue",
    )
    late_step = fields.Char(compute="_compute_is_late", string="Overdue Step")

    # voucher and desk lock
    voucher_ids = fields.One2many(
        "customer.care.pickup.voucher", "pickup_id", string="Vouchers", readonly=True
    )
    voucher_id = fields.Many2one(
        "customer.care.pickup.voucher",
        compute="_compute_voucher_id",
        string="Current Voucher",
    )
    failed_attempts = fields.Integer(string="Wrong Codes", readonly=True)
    locked_until = fields.Datetime(string="Handover Locked Until", readonly=True)

    # the pickup record (提货记录)
    collector_partner_id = fields.Many2one(
        "res.partner", string="Authorised Collector", readonly=True
    )
    collector_name = fields.Char(string="Collected By", readonly=True)
    collector_id_number = fields.Char(
        string="ID Number",
        readonly=True,
        help="Masked: only the last 4 characters are kept.",
    )
    collector_id_hash = fields.Char(
        string="ID Number Hash",
        readonly=True,
        index="btree_not_null",
        copy=False,
        help="Keyed hash of the whole ID number: finds the pickups of the same "
        "person without keeping the number.",
    )
    collector_pickup_count = fields.Integer(
        compute="_compute_collector_pickup_count",
        string="Pickups by the Same Collector",
    )
    collected_at = fields.Datetime(readonly=True)
    desk_user_id = fields.Many2one("res.users", string="Desk Staff", readonly=True)
    line_ids = fields.One2many(
        "customer.care.pickup.line",
        "pickup_id",
        string="Goods Handed Over",
        readonly=True,
    )
    discrepancy_note = fields.Text(readonly=True)
    complaint_id = fields.Many2one("helpdesk.ticket", readonly=True)
    backorder_pickup_id = fields.Many2one(
        "customer.care.pickup", string="Pickup of the Rest", readonly=True
    )

    # finance (seed 003 提货记录与结算: arrears are settled before handover)
    currency_id = fields.Many2one(related="company_id.currency_id")
    overdue_amount = fields.Monetary(
        compute="_compute_overdue_amount", string="Overdue Receivables"
    )
    has_overdue = fields.Boolean(
        compute="_compute_overdue_amount",
        search="_search_has_overdue",
        string="Customer Has Overdue Receivables",
    )

    # ------------------------------------------------------------
    # COMPUTES
    # ------------------------------------------------------------

    @api.depends("received_at", "company_id.care_pickup_confirm_hours")
    def _compute_confirm_deadline(self):
        for pickup in self:
            pickup.confirm_deadline = pickup.received_at and (
                pickup.company_id._care_working_deadline(
                    pickup.received_at,
                    hours=pickup.company_id.care_pickup_confirm_hours,
                )
            )

    @api.depends("confirmed_at", "company_id.care_pickup_prepare_hours")
    def _compute_prepare_deadline(self):
        for pickup in self:
            pickup.prepare_deadline = pickup.confirmed_at and (
                pickup.company_id._care_working_deadline(
                    pickup.confirmed_at,
                    hours=pickup.company_id.care_pickup_prepare_hours,
                )
            )

    @api.depends("planned_at", "company_id.care_pickup_notice_hours")
    def _compute_notice_due_at(self):
        for pickup in self:
            pickup.notice_due_at = pickup.planned_at and (
                pickup.planned_at
                - timedelta(hours=pickup.company_id.care_pickup_notice_hours)
            )

    @api.depends("notice_sent_at", "planned_at", "company_id.care_pickup_reply_hours")
    def _compute_reply_deadline(self):
        """The working hours to answer the notice, but never past the pickup
        time: the salesperson's call must come before it."""
        for pickup in self:
            deadline = pickup.notice_sent_at and (
                pickup.company_id._care_working_deadline(
                    pickup.notice_sent_at,
                    hours=pickup.company_id.care_pickup_reply_hours,
                )
            )
            if deadline and pickup.planned_at:
                deadline = min(deadline, pickup.planned_at)
            pickup.reply_deadline = deadline

    def _late_steps(self):
        """(state, deadline field, extra domain, label) of each step that can
        run late."""
        return [
            (
                "to_confirm",
                "confirm_deadline",
                [],
                self.env._("Confirm with the customer"),
            ),
            (
                "confirmed",
                "prepare_deadline",
                [],
                self.env._("Check and prepare the stock"),
            ),
            (
                "ready",
                "notice_due_at",
                [],
                self.env._("Send the pickup notice"),
            ),
            (
                "notified",
                "reply_deadline",
                [("customer_reply", "=", False)],
                self.env._("The customer has not answered the notice"),
            ),
        ]

    @api.depends_context("uid")
    def _compute_is_late(self):
        now = fields.Datetime.now()
        steps = {
            state: (fname, label) for state, fname, _d, label in self._late_steps()
        }
        for pickup in self:
            fname, label = steps.get(pickup.state, (None, False))
            late = bool(
                fname
                and pickup[fname]
                and pickup[fname] < now
                and not (pickup.state == "notified" and pickup.customer_reply)
            )
            pickup.is_late = late
            pickup.late_step = label if late else False

    def _search_is_late(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Operation not supported."))
        now = fields.Datetime.now()
        domain = expression.OR(
            [
                [("state", "=", state), (fname, "<", now), *extra]
                for state, fname, extra, _label in self._late_steps()
            ]
        )
        if (operator == "=") != value:
            return ["!", *expression.normalize_domain(domain)]
        return domain

    @api.depends("voucher_ids.state")
    def _compute_voucher_id(self):
        for pickup in self:
            pickup.voucher_id = pickup.voucher_ids.filtered(
                lambda v: v.state == "active"
            )[:1]

    @api.depends("collector_id_hash")
    def _compute_collector_pickup_count(self):
        hashes = [h for h in self.mapped("collector_id_hash") if h]
        counts = dict(
            self._read_group(
                [("collector_id_hash", "in", hashes)],
                ["collector_id_hash"],
                ["__count"],
            )
            if hashes
            else []
        )
        for pickup in self:
            pickup.collector_pickup_count = counts.get(pickup.collector_id_hash, 0)

    def _care_overdue_by_partner(self, partners):
        """Overdue receivables (posted, unpaid, past their due date) by
        commercial partner, in one aggregate query: due before the
        company's day."""
        today = self.env.company._care_today()
        groups = (
            self.env["account.move.line"]
            .sudo()
            ._read_group(
                [
                    ("partner_id", "in", partners.ids),
                    ("account_type", "=", "asset_receivable"),
                    ("parent_state", "=", "posted"),
                    ("reconciled", "=", False),
                    ("date_maturity", "<", today),
                    ("amount_residual", ">", 0),
                ],
                ["partner_id"],
                ["amount_residual:sum"],
            )
        )
        return {partner.id: amount for partner, amount in groups}

    @api.depends("commercial_partner_id")
    def _compute_overdue_amount(self):
        amounts = self._care_overdue_by_partner(self.commercial_partner_id)
        for pickup in self:
            amount = amounts.get(pickup.commercial_partner_id.id, 0.0)
            pickup.overdue_amount = amount
            pickup.has_overdue = pickup.currency_id.compare_amounts(amount, 0) > 0

    def _search_has_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Operation not supported."))
        lines = (
            self.env["account.move.line"]
            .sudo()
            ._read_group(
                [
                    ("account_type", "=", "asset_receivable"),
                    ("parent_state", "=", "posted"),
                    ("reconciled", "=", False),
                    ("date_maturity", "<", self.env.company._care_today()),
                    ("amount_residual", ">", 0),
                ],
                ["partner_id"],
            )
        )
        partner_ids = [partner.id for (partner,) in lines]
        op = "in" if (operator == "=") == value else "not in"
        return [("commercial_partner_id", op, partner_ids)]

    # ------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------

    @api.model
    def _care_guarded_fields(self):
        steps = self.env._(
            "the pickup's buttons (Confirmed with Customer, Check Stock, Mark "
            "Ready, Send Notice, No-Show, Cancel): each step records its time "
            "and deadlines"
        )
        desk = self.env._(
            "the Hand Over button at the desk: it checks the voucher code and "
            "the collector's ID and records the handover"
        )
        return dict(
            super()._care_guarded_fields(),
            **dict.fromkeys(
                (
                    "sale_order_id",
                    "picking_id",
                    "state",
                    "received_at",
                    "confirm_deadline",
                    "confirmed_at",
                    "prepare_deadline",
                    "ready_at",
                    "shortage",
                    "notice_due_at",
                    "notice_sent_at",
                    "reply_deadline",
                    "customer_reply",
                    "customer_replied_at",
                    "reminder_sent",
                    "voucher_ids",
                ),
                steps,
            ),
            **dict.fromkeys(
                (
                    "failed_attempts",
                    "locked_until",
                    "collector_partner_id",
                    "collector_name",
                    "collector_id_number",
                    "collector_id_hash",
                    "collected_at",
                    "desk_user_id",
                    "line_ids",
                    "discrepancy_note",
                    "complaint_id",
                    "backorder_pickup_id",
                ),
                desk,
            ),
        )

    @api.model
    def _care_guarded_at_create(self):
        return super()._care_guarded_at_create() | {"sale_order_id", "picking_id"}

    @api.constrains("planned_at", "point_id")
    def _check_planned_at(self):
        for pickup in self.filtered("planned_at"):
            pickup.point_id._care_check_pickup_time(pickup.planned_at)

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        pickups = super().create(vals_list)
        for pickup in pickups.filtered(lambda p: p.name == "/"):
            pickup.name = " / ".join(
                filter(None, [pickup.sale_order_id.name, pickup.picking_id.name])
            )
        return pickups

    @api.ondelete(at_uninstall=False)
    def _unlink_except_started(self):
        if any(p.state not in ("to_confirm", "cancel") for p in self):
            raise UserError(
                self.env._(
                    "A pickup that was confirmed with the customer is kept as a "
                    "record: cancel it instead of deleting it."
                )
            )

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def _care_check_state(self, states, action):
        for pickup in self:
            if pickup.state not in states:
                raise UserError(
                    self.env._(
                        "%(pickup)s is %(state)s: it cannot be %(action)s now.",
                        pickup=pickup.name,
                        state=dict(
                            self._fields["state"]._description_selection(self.env)
                        )[pickup.state],
                        action=action,
                    )
                )

    @transition
    def action_confirm_with_customer(self):
        """The salesperson confirmed the order and pickup time with the
        customer (seed 003: within [X] hours of receipt)."""
        self._care_check_state(("to_confirm",), self.env._("confirmed"))
        self.write({"state": "confirmed", "confirmed_at": fields.Datetime.now()})
        return True

    @transition
    def action_check_stock(self):
        """The warehouse checks the stock (seed 003: within [X] hours of the
        confirmation): enough → ready; short → the salesperson agrees a new
        date or a partial pickup with the customer."""
        self._care_check_state(("confirmed",), self.env._("checked"))
        todo = self.env.ref("mail.mail_activity_data_todo")
        for pickup in self:
            picking = pickup.picking_id
            if picking.state in ("confirmed", "waiting", "assigned"):
                picking.action_assign()
            if picking.state == "assigned" and all(
                move.state == "assigned" for move in picking.move_ids
            ):
                pickup.write(
                    {
                        "state": "ready",
                        "ready_at": fields.Datetime.now(),
                        "shortage": False,
                    }
                )
                continue
            pickup.shortage = True
            salesperson = pickup.user_id or self.env.user
            pickup.activity_schedule(
                activity_type_id=todo.id,
                user_id=salesperson.id,
                summary=salesperson._care_env(self.env)._(
                    "Stock short: agree a new date or a partial pickup"
                ),
                note=salesperson._care_env(self.env)._(
                    "The stock check for %(pickup)s found too little. Agree a new "
                    "pickup date or a partial pickup with the customer, then mark "
                    "the pickup ready.",
                    pickup=pickup.name,
                ),
            )
        return True

    @transition
    def action_mark_ready(self):
        """Ready with what is there, once the customer agreed a partial pickup
        or the goods arrived."""
        self._care_check_state(("confirmed",), self.env._("marked ready"))
        self.write({"state": "ready", "ready_at": fields.Datetime.now()})
        return True

    @transition
    def action_send_notice(self):
        self._care_check_state(("ready", "notified"), self.env._("notified"))
        self._care_send_notice()
        return True

    def action_open_handover(self):
        self.ensure_one()
        self._care_check_state(("ready", "notified"), self.env._("handed over"))
        self._care_check_not_locked()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Hand Over %s", self.name),
            "res_model": "customer.care.pickup.handover",
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
            "context": {"default_pickup_id": self.id},
        }

    @transition
    def action_mark_no_show(self):
        self._care_check_state(("ready", "notified"), self.env._("marked as a no-show"))
        self._care_no_show()
        return True

    @transition
    def action_cancel(self):
        self._care_check_state(OPEN_STATES, self.env._("cancelled"))
        self._care_void_vouchers()
        self.write({"state": "cancel"})
        return True

    def action_print_record(self):
        self.ensure_one()
        return self.env.ref("customer_care.action_report_pickup_record").report_action(
            self
        )

    def action_view_collector_pickups(self):
        """The pickups collected by the same person (same ID number)."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Pickups by %s", self.collector_name),
            "res_model": self._name,
            "view_mode": "list,form",
            "domain": [("id", "in", self._care_same_collector().ids)],
        }

    def action_view_complaint(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "helpdesk.ticket",
            "res_id": self.complaint_id.id,
            "view_mode": "form",
        }

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    @api.model
    def _care_collector_id_vals(self, id_number):
        """The values that record the ID number ``id_number``: masked, and
        its keyed hash for matching; never the number itself."""
        number = normalize_id_number(id_number)
        return {
            "collector_id_number": mask_id_number(number) or False,
            "collector_id_hash": bool(number)
            and care_hash(self.env, "pickup.collector_id", number),
        }

    def _care_masked_id_number(self):
        """The ID number as shown and printed: masked (stored so already)."""
        self.ensure_one()
        return mask_id_number(self.collector_id_number)

    @api.model
    def _care_search_collector(self, id_number):
        """The pickups collected by the holder of ``id_number``."""
        number = self._care_collector_id_vals(id_number)["collector_id_hash"]
        if not number:
            return self.browse()
        return self.search([("collector_id_hash", "=", number)])

    def _care_same_collector(self):
        self.ensure_one()
        if not self.collector_id_hash:
            return self
        return self.search([("collector_id_hash", "=", self.collector_id_hash)])

    @transition
    def _care_void_vouchers(self):
        self.voucher_ids.filtered(lambda v: v.state == "active").sudo().write(
            {"state": "voided", "voided_at": fields.Datetime.now()}
        )

    @transition
    def _care_send_notice(self):
        """Send the pickup notice by e-mail and SMS with a new voucher: the
        previous code and link stop working (seed 003 提货通知)."""
        mail_template = self.env.ref("customer_care.mail_template_pickup_notice")
        sms_template = self.env.ref("customer_care.sms_template_pickup_notice")
        for pickup in self:
            partner = pickup.partner_id
            number = partner.mobile or partner.phone
            if not partner.email and not number:
                raise UserError(
                    self.env._(
                        "%(customer)s has neither an e-mail address nor a mobile "
                        "number: add one to send the pickup notice.",
                        customer=partner.display_name,
                    )
                )
            if not pickup.planned_at:
                raise UserError(
                    self.env._(
                        "Agree a pickup time with the customer before sending "
                        "the notice of %s.",
                        pickup.name,
                    )
                )
            voucher, clear = self.env["customer.care.pickup.voucher"]._care_issue(
                pickup
            )
            channels = []
            # the clear code and link exist only while the notice is
            # rendered (the templates read them with ``_care_clear``): they
            # are in no field, so no one reads them from the voucher
            with voucher._care_clear_scope(clear):
                if partner.email:
                    # neither linked to the voucher nor written by the desk
                    # user (only the administrators read mails), and deleted
                    # once sent
                    mail_template.sudo().send_mail(
                        voucher.id,
                        email_values={
                            "model": False,
                            "res_id": False,
                            "author_id": pickup.company_id.partner_id.id,
                            "auto_delete": True,
                        },
                    )
                    channels.append(self.env._("e-mail"))
                if number:
                    body = sms_template.sudo()._render_field(
                        "body", voucher.ids, compute_lang=True
                    )[voucher.id]
                    # readable by the administrators only, deleted once sent
                    self.env["sms.sms"].sudo().create(
                        {"number": number, "body": body, "partner_id": partner.id}
                    )
                    channels.append(self.env._("SMS"))
            pickup.write(
                {
                    "state": "notified",
                    "notice_sent_at": voucher.sent_at,
                    "customer_reply": False,
                    "customer_replied_at": False,
                    "reminder_sent": False,
                }
            )
            # the chatter says that and how, never the code
            pickup.message_post(
                body=self.env._(
                    "Pickup notice %(voucher)s sent to %(customer)s by %(channels)s; "
                    "earlier vouchers are void.",
                    voucher=voucher.name,
                    customer=partner.display_name,
                    channels=", ".join(channels),
                ),
                subtype_xmlid="mail.mt_note",
            )

    @transition
    def _care_customer_confirm(self):
        """The customer confirmed the pickup time through the portal link."""
        self.ensure_one()
        self.write(
            {
                "customer_reply": "confirmed",
                "customer_replied_at": fields.Datetime.now(),
            }
        )
        self.message_post(
            body=self.env._("The customer confirmed the pickup time online."),
            author_id=self.partner_id.id,
            subtype_xmlid="mail.mt_note",
        )

    @transition
    def _care_customer_reschedule(self, when):
        """The customer asks for another time (naive UTC) through the portal
        link: refused outside opening hours or in the past; otherwise the
        salesperson is asked to check it."""
        self.ensure_one()
        self.point_id._care_check_pickup_time(when)
        self.write(
            {
                "planned_at": when,
                "customer_reply": "reschedule",
                "customer_replied_at": fields.Datetime.now(),
            }
        )
        local = self.point_id._care_format(when)
        self.message_post(
            body=self.env._("The customer asked online to collect on %s.", local),
            author_id=self.partner_id.id,
            subtype_xmlid="mail.mt_note",
        )
        salesperson = self.user_id or self.env.ref("base.user_root")
        self.activity_schedule(
            "mail.mail_activity_data_todo",
            user_id=salesperson.id,
            summary=salesperson._care_env(self.env)._(
                "New pickup time asked: %s", local
            ),
            note=salesperson._care_env(self.env)._(
                "The customer asked to collect %(pickup)s on %(time)s: check the "
                "goods and the desk can make it, or call the customer.",
                pickup=self.name,
                time=local,
            ),
        )

    def _care_check_not_locked(self):
        for pickup in self:
            if pickup.locked_until and pickup.locked_until > fields.Datetime.now():
                raise UserError(
                    self.env._(
                        "The handover of %(pickup)s is locked after too many wrong "
                        "voucher codes until %(time)s. The desk manager has been "
                        "informed.",
                        pickup=pickup.name,
                        time=pickup.point_id._care_format(pickup.locked_until),
                    )
                )

    @transition
    def _care_register_wrong_code(self):
        """Count a wrong code; at the company's limit, lock the handover and
        inform the desk manager. The code typed is never recorded."""
        self.ensure_one()
        company = self.company_id
        # read then written: the row is locked first, so that two desks
        # typing a wrong code at once count two (see customer_care_job.py)
        self.env["customer.care.job.run"]._care_lock_rows(self)
        attempts = self.failed_attempts + 1
        self.message_post(
            body=self.env._(
                "Wrong voucher code entered at the desk by %(user)s (%(count)s of "
                "%(max)s).",
                user=self.env.user.name,
                count=attempts,
                max=company.care_pickup_max_attempts,
            ),
            subtype_xmlid="mail.mt_note",
        )
        if attempts < company.care_pickup_max_attempts:
            self.failed_attempts = attempts
            return False
        locked_until = fields.Datetime.now() + timedelta(
            minutes=company.care_pickup_lock_minutes
        )
        self.write({"failed_attempts": 0, "locked_until": locked_until})
        manager = company.care_pickup_manager_id
        text = self.env._(
            "Handover of %(pickup)s locked for %(minutes)s minutes after "
            "%(count)s wrong voucher codes.",
            pickup=self.name,
            minutes=company.care_pickup_lock_minutes,
            count=attempts,
        )
        self.message_post(
            body=text,
            partner_ids=manager.partner_id.ids,
            subtype_xmlid="mail.mt_comment" if manager else "mail.mt_note",
        )
        if manager:
            self.activity_schedule(
                "mail.mail_activity_data_warning",
                user_id=manager.id,
                summary=manager._care_env(self.env)._("Pickup handover locked"),
                note=text,
            )
        return True

    @transition
    def _care_record_handover(self, vals, lines):
        """Write the pickup record, validate the delivery (a partial pickup
        leaves a backorder with its own pickup) and mark the voucher used."""
        self.ensure_one()
        picking = self.picking_id
        moves = picking.move_ids.filtered(lambda m: m.state not in ("done", "cancel"))
        handed = {line["move_id"]: line["handed_qty"] for line in lines}
        for move in moves:
            move.quantity = handed.get(move.id, 0.0)
            move.picked = True
        # stock_sms asks the first delivery of a company whether to text the
        # customer: its answer would validate the delivery outside the
        # handover, so the handover does not ask (the customer is at the
        # desk and had the pickup notice)
        with handover_scope():
            result = picking.with_context(
                skip_backorder=True, skip_sms=True
            ).button_validate()
        if picking.state != "done":
            # another check (e.g. credit) stopped the validation: its
            # message or wizard is the answer
            if isinstance(result, dict):
                return result
            raise UserError(
                self.env._("The delivery %s could not be validated.", picking.name)
            )
        partial = bool(picking.backorder_ids)
        if not is_masked_id_number(vals.get("collector_id_number")):
            # a clear number is never written
            vals = dict(
                vals, **self._care_collector_id_vals(vals.get("collector_id_number"))
            )
        vals = dict(
            vals,
            state="partial" if partial else "collected",
            collected_at=fields.Datetime.now(),
            desk_user_id=self.env.user.id,
            failed_attempts=0,
            line_ids=[Command.create(line) for line in lines],
        )
        self.write(vals)
        self.voucher_id.sudo().write({"state": "used"})
        if partial:
            self._care_create_backorder_pickups(picking.backorder_ids)
        self.message_post(
            body=self.env._(
                "Collected by %(name)s (ID checked) at the desk of %(point)s.",
                name=self.collector_name,
                point=self.point_id.name,
            ),
            subtype_xmlid="mail.mt_note",
        )
        return True

    @transition
    def _care_create_backorder_pickups(self, backorders):
        self.ensure_one()
        todo = self.env.ref("mail.mail_activity_data_todo")
        for backorder in backorders:
            rest = self.create(
                {
                    "sale_order_id": self.sale_order_id.id,
                    "picking_id": backorder.id,
                    "point_id": self.point_id.id,
                    "company_id": self.company_id.id,
                    "state": "confirmed",
                    "confirmed_at": fields.Datetime.now(),
                }
            )
            self.backorder_pickup_id = rest
            salesperson = self.user_id or self.env.user
            rest.activity_schedule(
                activity_type_id=todo.id,
                user_id=salesperson.id,
                summary=salesperson._care_env(self.env)._(
                    "Agree a date for the rest of the goods"
                ),
                note=salesperson._care_env(self.env)._(
                    "%(pickup)s was collected in part: agree with the customer "
                    "when the rest (%(backorder)s) will be collected.",
                    pickup=self.name,
                    backorder=backorder.name,
                ),
            )

    @transition
    def _care_open_complaint(self, note):
        """A discrepancy at the desk becomes a complaint of the customer
        (the complaint flow), linked back to the pickup."""
        self.ensure_one()
        ticket = self.env["helpdesk.ticket"].create(
            {
                "name": self.env._("Pickup discrepancy: %s", self.name),
                "description": note,
                "partner_id": self.partner_id.id,
                "care_is_complaint": True,
                "care_category": "product_quality",
                "care_sale_order_id": self.sale_order_id.id,
                "care_picking_id": self.picking_id.id,
                "channel_id": self.env.ref("customer_care.channel_onsite").id,
                "team_id": self.env.ref("customer_care.team_complaint").id,
                "company_id": self.company_id.id,
            }
        )
        self.complaint_id = ticket
        return ticket

    @transition
    def _care_no_show(self):
        todo = self.env.ref("mail.mail_activity_data_todo")
        self._care_void_vouchers()
        self.write({"state": "no_show"})
        for pickup in self:
            salesperson = pickup.user_id or self.env.ref("base.user_root")
            pickup.activity_schedule(
                activity_type_id=todo.id,
                user_id=salesperson.id,
                summary=salesperson._care_env(self.env)._(
                    "The customer did not come: agree a new pickup"
                ),
            )

    @transition
    @api.model
    def _care_create_for_orders(self, orders):
        """One pickup per open outgoing delivery of confirmed self-pickup
        orders; their customers join the self-pickup segment (and so its
        quarterly callbacks)."""
        vals_list = []
        for order in orders.filtered("care_pickup"):
            pickings = (
                order.picking_ids.filtered(
                    lambda p: p.picking_type_code == "outgoing"
                    and p.state not in ("done", "cancel")
                )
                - order.care_pickup_ids.picking_id
            )
            for picking in pickings:
                vals_list.append(
                    {
                        "sale_order_id": order.id,
                        "picking_id": picking.id,
                        "point_id": order.care_pickup_point_id.id,
                        "planned_at": order.care_pickup_planned_at,
                        "company_id": order.company_id.id,
                        "received_at": order.create_date,
                    }
                )
        pickups = self.create(vals_list)
        segment = self.env.ref("customer_care.segment_self_pickup")
        customers = pickups.commercial_partner_id.filtered(
            lambda p: segment not in p.care_segment_ids
        )
        customers.sudo().write({"care_segment_ids": [Command.link(segment.id)]})
        return pickups

    # ------------------------------------------------------------
    # SCHEDULED ACTIONS
    # ------------------------------------------------------------

    @api.model
    def _cron_send_notices(self):
        """Send the notices due ([X] hours before the planned time) of the
        pickups that are ready; a pickup that fails is logged and skipped."""
        now = fields.Datetime.now()
        due = self.search(
            [
                ("state", "=", "ready"),
                ("notice_due_at", "<=", now),
                ("planned_at", ">", now),
            ]
        )
        done = 0
        # the pickups another run is notifying are left to it; the state is
        # read again on the locked rows
        Job = self.env["customer.care.job.run"]
        batch = Job._care_lock_rows(due[:NOTICE_BATCH], skip_locked=True)
        for pickup in batch.filtered(lambda p: p.state == "ready"):
            try:
                with self.env.cr.savepoint():
                    pickup._care_send_notice()
            except UserError as error:
                _logger.warning("Pickup notice of %s not sent: %s", pickup.name, error)
            done += 1
        self.env["ir.cron"]._notify_progress(done=done, remaining=len(due) - done)

    @api.model
    def _cron_remind_silent(self):
        """Customers who did not answer the notice in time: the salesperson
        gets a task to call them (once). Pickups not collected long after
        their time become no-shows."""
        now = fields.Datetime.now()
        call = self.env.ref("mail.mail_activity_data_call")
        silent = self.search(
            [
                ("state", "=", "notified"),
                ("customer_reply", "=", False),
                ("reminder_sent", "=", False),
                ("reply_deadline", "<", now),
            ]
        )
        silent = (
            self.env["customer.care.job.run"]
            ._care_lock_rows(silent, skip_locked=True)
            .filtered(lambda p: not p.reminder_sent)
        )
        for pickup in silent:
            salesperson = pickup.user_id or self.env.ref("base.user_root")
            pickup.activity_schedule(
                activity_type_id=call.id,
                user_id=salesperson.id,
                summary=salesperson._care_env(self.env)._(
                    "Call the customer: no answer to the pickup notice"
                ),
                note=salesperson._care_env(self.env)._(
                    "%(customer)s has not answered the pickup notice of "
                    "%(pickup)s: call to confirm the pickup time.",
                    customer=pickup.partner_id.display_name,
                    pickup=pickup.name,
                ),
            )
        silent.reminder_sent = True
        late = self.search(
            [("state", "in", ("ready", "notified")), ("planned_at", "!=", False)]
        ).filtered(
            lambda p: p.planned_at
            + timedelta(hours=p.company_id.care_pickup_no_show_hours)
            < now
        )
        late._care_no_show()


class CustomerCarePickupLine(models.Model):
    """A line of goods handed over at the desk (提货记录明细)."""

    _name = "customer.care.pickup.line"
    _description = "Goods Handed Over"

    pickup_id = fields.Many2one(
        "customer.care.pickup", required=True, ondelete="cascade", index=True
    )
    move_id = fields.Many2one("stock.move", string="Stock Move")
    product_id = fields.Many2one("product.product", required=True)
    uom_id = fields.Many2one("uom.uom", string="Unit")
    ordered_qty = fields.Float(string="Ordered", digits="Product Unit of Measure")
    handed_qty = fields.Float(string="Handed Over", digits="Product Unit of Measure")
    missing_qty = fields.Float(
        compute="_compute_missing_qty",
        string="Left for Later",
        digits="Product Unit of Measure",
    )

    @api.depends("ordered_qty", "handed_qty")
    def _compute_missing_qty(self):
        for line in self:
            line.missing_qty = max(line.ordered_qty - line.handed_qty, 0.0)
