# Copyright 2026 customer_care contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date, datetime

from psycopg2 import IntegrityError

from odoo.tests import HttpCase, TransactionCase, tagged
from odoo.tools import mute_logger

from .common import CareApiMixin, CareUsersMixin, shanghai_calendar

# All times are naive UTC; Shanghai is UTC+8. The calendar works 8:30-12:00
# and 13:30-17:30, Monday to Friday.
# Wednesday 2026-09-30 16:00 in Shanghai: the eve of National Day
EVE_1600 = datetime(2026, 9, 30, 8, 0)
# Friday 2026-10-09 16:00: the eve of the make-up Saturday 10-10
FRI_1600 = datetime(2026, 10, 9, 8, 0)


def national_day(env, company):
    """The company's schedule around National Day 2026, as the State
    Council's notice sets it (and the add-on ships it): 10-01 to 10-07 off,
    Sunday 09-20 and Saturday 10-10 worked."""
    schedule = {date(2026, 10, day): "off" for day in range(1, 8)}
    schedule.update({date(2026, 9, 20): "worked", date(2026, 10, 10): "worked"})
    Holiday = env["customer.care.holiday"]
    lines = Holiday.search(
        [("company_id", "=", company.id), ("date", "in", list(schedule))]
    )
    for line in lines:
        line.kind = schedule.pop(line.date)
    return lines | Holiday.create(
        [
            {"date": day, "kind": kind, "name": "国庆节", "company_id": company.id}
            for day, kind in schedule.items()
        ]
    )


@tagged("post_install", "-at_install")
class TestChinaCalendar(TransactionCase):
    """Deadlines count China's public holidays and the weekend days worked
    in their place (调休)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.calendar = shanghai_calendar(cls.env)
        cls.company.write(
            {
                "resource_calendar_id": cls.calendar.id,
                "care_complaint_report_days": 1.0,
                "care_complaint_proposal_days": 1.0,
                "care_pickup_confirm_hours": 2.0,
            }
        )
        national_day(cls.env, cls.company)
        cls.Holiday = cls.env["customer.care.holiday"]
        cls.customer = cls.env["res.partner"].create(
            {"name": "苏州恒达商贸", "is_company": True}
        )

    def _complaint(self, received, **values):
        return self.env["helpdesk.ticket"].create(
            {
                "name": "送货延误",
                "description": "<p>客户投诉送货延误三天。</p>",
                "partner_id": self.customer.id,
                "team_id": self.env.ref("customer_care.team_complaint").id,
                "care_is_complaint": True,
                "care_received_at": received,
                "care_category": "service_quality",
                **values,
            }
        )

    def _deadline(self, ticket, kind):
        return ticket.care_deadline_ids.filtered(lambda d: d.kind == kind).deadline

    def test_complaint_deadlines_skip_national_day(self):
        ticket = self._complaint(EVE_1600, care_crit_safety=True)
        # 30 working minutes: 16:30 the same day
        self.assertEqual(
            self._deadline(ticket, "handover"), datetime(2026, 9, 30, 8, 30)
        )
        # one working day (7.5 h): 1.5 h on 09-30, 6 h on Thursday 10-08,
        # the first working day after the holiday: 16:00 Shanghai
        self.assertEqual(self._deadline(ticket, "report"), datetime(2026, 10, 8, 8, 0))
        self.assertEqual(
            self._deadline(ticket, "proposal"), datetime(2026, 10, 8, 8, 0)
        )

    def test_handover_on_a_holiday_waits_for_the_next_working_day(self):
        # a major complaint on 10-02 10:00: taken over by 10-08 09:00, and
        # the duty manager is alerted (outside working hours)
        received = datetime(2026, 10, 2, 2, 0)
        ticket = self._complaint(received)
        self.assertFalse(ticket._care_in_working_hours(received))
        self.assertTrue(ticket._care_in_working_hours(datetime(2026, 10, 8, 1, 0)))
        ticket.care_crit_safety = True
        self.assertEqual(
            self._deadline(ticket, "handover"), datetime(2026, 10, 8, 1, 0)
        )

    def test_a_make_up_saturday_is_a_working_day(self):
        # one working day (7.5 h) from Friday 10-09 16:00: 1.5 h on Friday,
        # 6 h on Saturday 10-10 (Monday's hours): 16:00 on Saturday
        ticket = self._complaint(FRI_1600)
        self.assertEqual(
            self._deadline(ticket, "proposal"), datetime(2026, 10, 10, 8, 0)
        )
        # and counted as a day: Friday, Saturday
        deadline = self.company._care_working_deadline(FRI_1600, days=2)
        self.assertEqual(deadline.date(), date(2026, 10, 10))

    def test_a_make_up_sunday_is_a_working_day(self):
        # Friday 09-18 17:00 + 1 working hour: Sunday 09-20 09:00
        deadline = self.company._care_working_deadline(
            datetime(2026, 9, 18, 9, 0), hours=1
        )
        self.assertEqual(deadline, datetime(2026, 9, 20, 1, 0))

    def test_pickup_deadline_skips_the_holiday(self):
        # the order received 09-30 16:30 must be confirmed within 2 working
        # hours: 1 h on 09-30, 1 h on 10-08: 09:30 Shanghai
        pickup = self.env["customer.care.pickup"].new(
            {"company_id": self.company.id, "received_at": datetime(2026, 9, 30, 8, 30)}
        )
        self.assertEqual(pickup.confirm_deadline, datetime(2026, 10, 8, 1, 30))

    def test_pickup_point_is_closed_on_holidays_and_open_on_make_up_days(self):
        warehouse = self.env["stock.warehouse"].search(
            [("company_id", "=", self.company.id)], limit=1
        )
        point = self.env["customer.care.pickup.point"].create(
            {
                "name": "测试自提点",
                "warehouse_id": warehouse.id,
                "resource_calendar_id": self.calendar.id,
            }
        )
        # Friday 10-02 10:00 (a holiday), Saturday 10-10 10:00 (worked)
        self.assertFalse(point._care_is_open(datetime(2026, 10, 2, 2, 0)))
        self.assertTrue(point._care_is_open(datetime(2026, 10, 10, 2, 0)))
        self.assertFalse(point._care_is_open(datetime(2026, 10, 17, 2, 0)))

    def test_import_a_year_with_load(self):
        result = self.Holiday.load(
            ["date", "kind", "name"],
            [
                ["2027-01-01", "off", "元旦"],
                ["2027-01-02", "Day Off (休)", "元旦"],
                ["2027-01-03", "off", "元旦"],
                ["2027-01-09", "worked", "元旦"],
            ],
        )
        self.assertFalse(result["messages"])
        lines = self.Holiday.browse(result["ids"])
        self.assertEqual(lines.company_id, self.company)
        self.assertEqual(
            lines.mapped("kind").count("off"), 3, "the label is imported too"
        )
        # Thursday 2026-12-31 17:00 + 1 working hour: Monday 2027-01-04
        # 09:00, Friday 01-01 is off
        self.assertEqual(
            self.company._care_working_deadline(datetime(2026, 12, 31, 9, 0), hours=1),
            datetime(2027, 1, 4, 1, 0),
        )

    def test_one_line_per_date_and_company(self):
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            with self.cr.savepoint():
                self.Holiday.create(
                    {"date": date(2026, 10, 1), "kind": "worked", "name": "国庆节"}
                )
        with mute_logger("odoo.sql_db"):
            result = self.Holiday.load(
                ["date", "kind", "name"], [["2026-10-01", "worked", "国庆节"]]
            )
        self.assertFalse(result["ids"])
        self.assertEqual(result["messages"][0]["type"], "error")
        # another company may have the date
        other = self.env["res.company"].create({"name": "北京分公司"})
        self.assertTrue(
            self.Holiday.search(
                [("company_id", "=", other.id), ("date", "=", date(2026, 10, 1))]
            )
        )

    def test_a_new_company_gets_the_shipped_2026_schedule(self):
        other = self.env["res.company"].create({"name": "广州分公司"})
        days = self.Holiday._care_days(other.id, date(2026, 1, 1), date(2026, 12, 31))
        self.assertEqual(len(days), 39)
        self.assertEqual(list(days.values()).count("worked"), 6)
        self.assertEqual(days[date(2026, 10, 1)], "off")
        self.assertEqual(days[date(2026, 2, 23)], "off")
        self.assertEqual(days[date(2026, 2, 14)], "worked")
        self.assertEqual(days[date(2026, 10, 10)], "worked")
        self.assertNotIn(date(2026, 10, 8), days)


@tagged("post_install", "-at_install")
class TestChinaCalendarAccess(CareApiMixin, CareUsersMixin, HttpCase):
    """The general manager (and the administrator) keep the schedule; the
    other roles read it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._create_care_users()
        cls.line = cls.env["customer.care.holiday"].create(
            {"date": date(2030, 10, 1), "kind": "off", "name": "国庆节"}
        )

    def test_the_general_manager_edits_the_schedule(self):
        self.api_as(self.users["gm"])
        self.api(
            "customer.care.holiday",
            "create",
            [{"date": "2030-10-12", "kind": "worked", "name": "国庆节"}],
        )
        self.api("customer.care.holiday", "write", [self.line.id], {"kind": "worked"})
        self.assertEqual(self.line.kind, "worked")

    def test_other_roles_only_read_it(self):
        for role in ("agent", "officer", "complaint_manager", "desk", "credit_manager"):
            with self.subTest(role=role):
                self.api_as(self.users[role])
                rows = self.api(
                    "customer.care.holiday", "read", [self.line.id], ["kind"]
                )
                self.assertEqual(rows[0]["kind"], "off")
                error = self.api_refused(
                    "customer.care.holiday",
                    "write",
                    [self.line.id],
                    {"kind": "worked"},
                )
                self.assertEqual(error["name"], "odoo.exceptions.AccessError")
                self.api_refused(
                    "customer.care.holiday",
                    "create",
                    [{"date": "2030-10-13", "kind": "worked", "name": "国庆节"}],
                )
        self.assertEqual(self.line.kind, "off")
