# Copyright 2026 customer_care contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

import pytz

from odoo import fields, models
from odoo.exceptions import ValidationError


class CustomerCarePickupPoint(models.Model):
    """A self-pickup point (自提点): where customers collect their goods, when
    it is open and what they must bring (seed 003)."""

    _name = "customer.care.pickup.point"
    _description = "Pickup Point"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    warehouse_id = fields.Many2one(
        "stock.warehouse",
        required=True,
        check_company=True,
        help="The goods collected here leave from this warehouse.",
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Address",
        help="Where customers come to collect their goods.",
    )
    resource_calendar_id = fields.Many2one(
        "resource.calendar",
        string="Opening Hours",
        required=True,
        default=lambda self: self.env.company.resource_calendar_id,
        help="Pickup times must fall inside these hours (and outside the "
        "calendar's closures).",
    )
    documents_required = fields.Text(
        string="Documents to Bring",
        translate=True,
        default=lambda self: self.env._(
            "A valid identity card and the pickup voucher (code or QR code)."
        ),
    )
    user_ids = fields.Many2many(
        "res.users",
        "customer_care_pickup_point_user_rel",
        "point_id",
        "user_id",
        string="Desk Staff",
    )
    note = fields.Html()
    pickup_count = fields.Integer(compute="_compute_pickup_count", string="Pickups")

    # ------------------------------------------------------------
    # COMPUTES
    # ------------------------------------------------------------

    def _compute_pickup_count(self):
        counts = dict(
            self.env["customer.care.pickup"]._read_group(
                [("point_id", "in", self.ids)], ["point_id"], ["__count"]
            )
        )
        for point in self:
            point.pickup_count = counts.get(point, 0)

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_view_pickups(self):
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id(
            "customer_care.customer_care_pickup_action"
        )
        action["domain"] = [("point_id", "=", self.id)]
        action["context"] = {"default_point_id": self.id}
        return action

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _care_tz(self):
        self.ensure_one()
        return pytz.timezone(
            self.resource_calendar_id.tz or self.env.user.tz or "Asia/Shanghai"
        )

    def _care_is_open(self, when):
        """Whether the point is open at ``when`` (naive UTC): the minute that
        starts then lies inside the opening hours."""
        self.ensure_one()
        start = pytz.utc.localize(when)
        # the company's public holidays and make-up days count
        calendar = self.company_id._care_calendar(self.resource_calendar_id)
        intervals = calendar._work_intervals_batch(
            start, start + timedelta(minutes=1), compute_leaves=True
        )[False]
        open_seconds = sum(
            (stop - begin).total_seconds() for begin, stop, _r in intervals
        )
        return open_seconds >= 60

    def _care_local(self, when):
        """``when`` (naive UTC) in the point's time zone, for people."""
        self.ensure_one()
        return pytz.utc.localize(when).astimezone(self._care_tz()) if when else when

    def _care_format(self, when):
        """``when`` (naive UTC) as the customer reads it: local, to the minute."""
        local = self._care_local(when)
        return local.strftime("%Y-%m-%d %H:%M") if local else ""

    def _care_day_names(self):
        """The short names of the days of the week, Monday first, in the
        language of the environment (the reader's)."""
        _ = self.env._
        return [
            _("Mon"),
            _("Tue"),
            _("Wed"),
            _("Thu"),
            _("Fri"),
            _("Sat"),
            _("Sun"),
        ]

    @staticmethod
    def _care_hour_text(hour):
        minutes = round(hour * 60)
        return f"{minutes // 60:02d}:{minutes % 60:02d}"

    def _care_opening_hours(self):
        """The weekly opening hours in words, for people: the days with the
        same hours grouped into ranges, e.g. "Mon–Fri 08:30–12:00,
        13:30–17:30; Sat 09:00–12:00", in the language of the environment.
        Lunch breaks, sections and a resource's own hours are not opening
        hours; a two-week calendar shows its hours of either week."""
        self.ensure_one()
        by_day = {}
        for attendance in self.resource_calendar_id.attendance_ids.sorted(
            lambda a: (int(a.dayofweek), a.hour_from)
        ):
            if (
                attendance.display_type
                or attendance.resource_id
                or attendance.day_period == "lunch"
                or attendance.hour_to <= attendance.hour_from
            ):
                continue
            interval = (attendance.hour_from, attendance.hour_to)
            hours = by_day.setdefault(int(attendance.dayofweek), [])
            if interval not in hours:
                hours.append(interval)
        # consecutive days with the same hours make one range
        groups = []
        for day in sorted(by_day):
            hours = tuple(sorted(by_day[day]))
            if groups and groups[-1][1] == day - 1 and groups[-1][2] == hours:
                groups[-1][1] = day
            else:
                groups.append([day, day, hours])
        names = self._care_day_names()
        parts = []
        for first, last, hours in groups:
            if first == last:
                days = names[first]
            elif last == first + 1:
                days = self.env._(
                    "%(first)s, %(last)s", first=names[first], last=names[last]
                )
            else:
                days = self.env._(
                    "%(first)s–%(last)s", first=names[first], last=names[last]
                )
            times = ", ".join(
                f"{self._care_hour_text(start)}–{self._care_hour_text(stop)}"
                for start, stop in hours
            )
            parts.append(f"{days} {times}")
        return "; ".join(parts) or self.env._("no regular opening hours")

    def _care_check_pickup_time(self, when):
        """Refuse a pickup time (naive UTC) in the past or outside the
        point's opening hours."""
        self.ensure_one()
        if when < fields.Datetime.now():
            raise ValidationError(
                self.env._(
                    "The pickup time %(time)s has passed: choose a time to come.",
                    time=self._care_format(when),
                )
            )
        if not self._care_is_open(when):
            raise ValidationError(
                self.env._(
                    "%(point)s is closed at %(time)s: choose a time inside its "
                    "opening hours (%(hours)s).",
                    point=self.name,
                    time=self._care_format(when),
                    hours=self._care_opening_hours(),
                )
            )
