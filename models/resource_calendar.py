# Copyright 2026 customer_care contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime, time, timedelta

from pytz import timezone

from odoo import models

from odoo.addons.resource.models.utils import Intervals


class ResourceCalendar(models.Model):
    _inherit = "resource.calendar"

    # China's holiday schedule (customer.care.holiday) on top of the
    # calendar: asked with the context key ``care_holiday_company_id`` (see
    # ``res.company._care_calendar``), everything Odoo computes from the
    # attendances (plan_hours, plan_days, work intervals) knows that an
    # "off" day has no working time and a "worked" day the hours of a
    # normal weekday.

    def _attendance_intervals_batch(
        self, start_dt, end_dt, resources=None, domain=None, tz=None, lunch=False
    ):
        result = super()._attendance_intervals_batch(
            start_dt, end_dt, resources=resources, domain=domain, tz=tz, lunch=lunch
        )
        company_id = self.env.context.get("care_holiday_company_id")
        if not company_id:
            return result
        # a holiday is a day of the calendar's time zone (China's)
        local_tz = timezone(self.tz or "UTC")
        days = self.env["customer.care.holiday"]._care_days(
            company_id,
            start_dt.astimezone(local_tz).date(),
            end_dt.astimezone(local_tz).date(),
        )
        if not days:
            return result

        def day_bounds(day):
            return (
                local_tz.localize(datetime.combine(day, time.min)),
                local_tz.localize(datetime.combine(day + timedelta(days=1), time.min)),
            )

        Holiday = self.env["customer.care.holiday"]
        off = Intervals(
            [(*day_bounds(day), Holiday) for day, kind in days.items() if kind == "off"]
        )
        worked = [day for day, kind in sorted(days.items()) if kind == "worked"]
        added = {key: [] for key in result}
        weekday = self._care_reference_weekday()
        for day in worked if weekday is not None else ():
            # the hours of the calendar's first weekday of the same week
            # (same week type for a two-week calendar)
            reference = day + timedelta(days=weekday - day.weekday())
            shift = day - reference
            for key, intervals in (
                super()
                ._attendance_intervals_batch(
                    *day_bounds(reference),
                    resources=resources,
                    domain=domain,
                    tz=tz,
                    lunch=lunch,
                )
                .items()
            ):
                for begin, stop, records in intervals:
                    begin, stop = (
                        self._care_shift(value, shift, local_tz)
                        for value in (begin, stop)
                    )
                    begin = max(begin, start_dt.astimezone(begin.tzinfo))
                    stop = min(stop, end_dt.astimezone(stop.tzinfo))
                    if begin < stop and key in added:
                        added[key].append((begin, stop, records))
        for key, intervals in result.items():
            kind = type(intervals)
            if off:
                intervals = intervals - off
            if added[key]:
                intervals = kind([*intervals, *added[key]])
            result[key] = kind(intervals)
        return result

    def _care_reference_weekday(self):
        """The weekday (0 = Monday) whose hours a make-up working day takes:
        the calendar's first working weekday, None without one."""
        self.ensure_one()
        weekdays = [
            int(attendance.dayofweek)
            for attendance in self.attendance_ids
            if not attendance.display_type
            and attendance.day_period != "lunch"
            and int(attendance.dayofweek) < 5
        ]
        return min(weekdays, default=None)

    def _care_shift(self, value, shift, local_tz):
        """``value`` (aware) moved by the days of ``shift`` in local time."""
        local = value.astimezone(local_tz).replace(tzinfo=None) + shift
        return local_tz.localize(local).astimezone(value.tzinfo)
