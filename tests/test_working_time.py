# Copyright 2026 customer_care contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date, datetime

from odoo.tests import TransactionCase, tagged

from .common import shanghai_calendar


@tagged("post_install", "-at_install")
class TestWorkingDeadline(TransactionCase):
    """Deadlines count working time on the company calendar (DOMAIN §2)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.calendar = shanghai_calendar(cls.env)
        cls.company = cls.env.company
        cls.company.resource_calendar_id = cls.calendar

    def test_friday_evening_lands_on_monday_morning(self):
        # Friday 2026-11-20 19:00 in Shanghai = 11:00 UTC; 0.5 working hour
        start = datetime(2026, 11, 20, 11, 0)
        deadline = self.company._care_working_deadline(start, hours=0.5)
        # Monday 2026-11-23 09:00 Shanghai = 01:00 UTC
        self.assertEqual(deadline, datetime(2026, 11, 23, 1, 0))

    def test_hours_skip_the_lunch_break(self):
        # Tuesday 11:30 Shanghai (03:30 UTC) + 1 h -> 14:00 Shanghai (06:00 UTC)
        deadline = self.company._care_working_deadline(
            datetime(2026, 11, 17, 3, 30), hours=1
        )
        self.assertEqual(deadline, datetime(2026, 11, 17, 6, 0))

    def test_working_days_skip_the_weekend(self):
        # Friday 10:00 Shanghai: Friday, Monday, Tuesday are the 3 working days
        deadline = self.company._care_working_deadline(
            datetime(2026, 11, 20, 2, 0), days=3
        )
        self.assertEqual(deadline.date(), date(2026, 11, 24))

    def test_without_a_calendar_plain_time_is_used(self):
        self.company.resource_calendar_id = False
        deadline = self.company._care_working_deadline(
            datetime(2026, 11, 20, 11, 0), hours=2
        )
        self.assertEqual(deadline, datetime(2026, 11, 20, 13, 0))
