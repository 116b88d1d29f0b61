# Copyright 2026 customer_care contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime

import pytz
from werkzeug.exceptions import BadRequest, NotFound

from odoo import fields, http
from odoo.exceptions import UserError, ValidationError
from odoo.http import content_disposition, request

# what the page may say after a redirect: nothing else is echoed back
MESSAGES = ("confirmed", "rescheduled")
# a tokenised page: no cache, no referrer that would carry the token away,
# no indexing
PRIVATE_HEADERS = [
    ("Cache-Control", "no-store"),
    ("Referrer-Policy", "no-referrer"),
    ("X-Robots-Tag", "noindex, nofollow"),
]


class CustomerCarePickupPortal(http.Controller):
    """The page of a pickup notice (seed 003 客户确认): reached without login
    through the tokenised link of the notice, the customer confirms the
    pickup time, asks for another one inside the opening hours or downloads
    the voucher. A missing, wrong, voided or expired link answers 404, the
    same in every case; neither the token nor the code is ever logged. The
    database keeps keyed hashes of the token and the code only: the token of
    the URL is checked against its hash, and the voucher PDF prints the code
    derived from it."""

    # ------------------------------------------------------------
    # ROUTES
    # ------------------------------------------------------------

    @http.route(
        "/care/pickup/<int:voucher_id>/<string:token>",
        type="http",
        auth="public",
        methods=["GET"],
        website=True,
        sitemap=False,
    )
    def care_pickup_page(self, voucher_id, token, message=None, **kwargs):
        voucher = self._care_voucher_or_404(voucher_id, token)
        values = {"message": message if message in MESSAGES else False}
        return self._care_render(voucher, token, values)

    @http.route(
        "/care/pickup/<int:voucher_id>/<string:token>/confirm",
        type="http",
        auth="public",
        methods=["POST"],
        website=True,
        sitemap=False,
        csrf=False,  # checked by hand, after the link: a bad link is a 404 first
    )
    def care_pickup_confirm(self, voucher_id, token, csrf_token=None, **kwargs):
        voucher = self._care_voucher_or_404(voucher_id, token)
        self._care_check_csrf(csrf_token)
        voucher.pickup_id._care_customer_confirm()
        return self._care_redirect(voucher, token, "confirmed")

    @http.route(
        "/care/pickup/<int:voucher_id>/<string:token>/reschedule",
        type="http",
        auth="public",
        methods=["POST"],
        website=True,
        sitemap=False,
        csrf=False,  # checked by hand, after the link: a bad link is a 404 first
    )
    def care_pickup_reschedule(
        self, voucher_id, token, planned_at=None, csrf_token=None, **kwargs
    ):
        voucher = self._care_voucher_or_404(voucher_id, token)
        self._care_check_csrf(csrf_token)
        pickup = voucher.pickup_id
        try:
            when = self._care_parse_local(pickup.point_id, planned_at)
            # nothing is kept of a refused time, whatever the model wrote
            with request.env.cr.savepoint():
                pickup._care_customer_reschedule(when)
        except (UserError, ValidationError) as error:
            values = {"error": error.args[0], "planned_input": planned_at or ""}
            return self._care_render(voucher, token, values, status=400)
        return self._care_redirect(voucher, token, "rescheduled")

    @http.route(
        "/care/pickup/<int:voucher_id>/<string:token>/voucher.pdf",
        type="http",
        auth="public",
        methods=["GET"],
        website=True,
        sitemap=False,
    )
    def care_pickup_voucher_pdf(self, voucher_id, token, **kwargs):
        voucher = self._care_voucher_or_404(voucher_id, token)
        # the link's token is right: the code is derived from it, printed on
        # the voucher and forgotten; the database holds neither
        with voucher._care_clear_scope(voucher._care_secrets(token)):
            pdf, _format = (
                request.env["ir.actions.report"]
                .sudo()
                .with_company(voucher.company_id)
                ._render_qweb_pdf(
                    "customer_care.action_report_pickup_voucher", voucher.ids
                )
            )
        filename = request.env._("Pickup Voucher - %s", voucher.pickup_id.name)
        headers = [
            ("Content-Type", "application/pdf"),
            ("Content-Length", len(pdf)),
            (
                "Content-Disposition",
                content_disposition(filename.replace("/", "-") + ".pdf"),
            ),
            ("X-Content-Type-Options", "nosniff"),
            *PRIVATE_HEADERS,
        ]
        return request.make_response(pdf, headers=headers)

    # ------------------------------------------------------------
    # HELPERS
    # ------------------------------------------------------------

    def _care_voucher_or_404(self, voucher_id, token):
        """The voucher (sudo) of a valid link, read in the customer's
        language; 404 otherwise, alike for every reason."""
        voucher = request.env["customer.care.pickup.voucher"]._care_portal_voucher(
            voucher_id, token
        )
        if not voucher:
            raise NotFound()
        lang = request.env["res.lang"]._get_code(voucher.partner_id.lang)
        if lang:
            request.update_context(lang=lang)
        return voucher.with_context(lang=request.env.lang)

    def _care_check_csrf(self, csrf_token):
        """The CSRF check Odoo makes before a POST route, made after the link
        is checked so that every bad link answers the same 404."""
        if not request.validate_csrf(csrf_token):
            raise BadRequest("Session expired (invalid CSRF token)")

    def _care_url(self, voucher, token):
        return f"/care/pickup/{voucher.id}/{token}"

    def _care_redirect(self, voucher, token, message):
        return request.redirect(
            f"{self._care_url(voucher, token)}?message={message}", code=303
        )

    def _care_parse_local(self, point, value):
        """The time typed in the page ("YYYY-MM-DDTHH:MM" in the point's time
        zone) as naive UTC."""
        try:
            local = datetime.fromisoformat((value or "").strip())
        except ValueError:
            local = None
        if local is None:
            raise UserError(
                request.env._(
                    "Choose the date and time you want to come, e.g. "
                    "2026-03-02 14:00."
                )
            )
        if local.tzinfo is None:
            local = point._care_tz().localize(local)
        return local.astimezone(pytz.utc).replace(tzinfo=None, second=0, microsecond=0)

    def _care_opening_hours(self, calendar):
        """The opening hours by day, e.g. [("Monday", "08:00-12:00, 13:00-17:00")]."""
        days = dict(
            request.env["resource.calendar.attendance"]
            ._fields["dayofweek"]
            ._description_selection(request.env)
        )
        by_day = {}
        for attendance in calendar.attendance_ids.sorted(
            lambda a: (a.dayofweek, a.hour_from)
        ):
            if attendance.display_type or attendance.day_period == "lunch":
                continue
            span = "-".join(
                "{:02d}:{:02d}".format(*divmod(round(hour * 60), 60))
                for hour in (attendance.hour_from, attendance.hour_to)
            )
            spans = by_day.setdefault(attendance.dayofweek, [])
            if span not in spans:
                spans.append(span)
        return [(days[day], ", ".join(spans)) for day, spans in by_day.items()]

    def _care_goods(self, pickup):
        """The goods to collect: the delivery's moves, else the order lines."""
        if pickup.picking_id:
            return pickup.picking_id.move_ids.filtered(lambda m: m.state != "cancel")
        return pickup.sale_order_id.order_line.filtered(
            lambda line: not line.display_type and line.product_id.type == "consu"
        )

    def _care_render(self, voucher, token, values, status=200):
        pickup = voucher.pickup_id
        point = pickup.point_id
        now_local = point._care_local(fields.Datetime.now())
        planned_local = point._care_local(pickup.planned_at)
        values = {
            "voucher": voucher,
            "pickup": pickup,
            "point": point,
            "url": self._care_url(voucher, token),
            "planned_text": point._care_format(pickup.planned_at),
            "planned_input": planned_local and planned_local.strftime("%Y-%m-%dT%H:%M"),
            "min_input": now_local.strftime("%Y-%m-%dT%H:%M"),
            "opening_hours": self._care_opening_hours(point.resource_calendar_id),
            "goods": self._care_goods(pickup),
            "message": False,
            "error": False,
            **values,
        }
        response = request.render(
            "customer_care.pickup_portal_page", values, status=status
        )
        response.headers.update(PRIVATE_HEADERS)
        return response
