# Copyright 2026 customer_care contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from psycopg2 import IntegrityError

from odoo.tests import Form, TransactionCase, tagged
from odoo.tools import mute_logger

from .common import SEGMENT_CODES, CareUsersMixin


@tagged("post_install", "-at_install")
class TestCustomerProfile(CareUsersMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._create_care_users()
        cls.branch = cls.env["crm.team"].create(
            {"name": "华东分公司", "user_id": cls.users["approver"].id}
        )
        cls.dealer = cls.env.ref("customer_care.segment_dealer")

    def test_regional_manager_defaults_to_the_branch_leader(self):
        with Form(self.env["res.partner"]) as form:
            form.name = "苏州恒达电器经营部"
            form.company_type = "company"
            form.care_branch_id = self.branch
        self.assertEqual(form.record.care_regional_manager_id, self.users["approver"])

    def test_regional_manager_can_be_set_by_hand(self):
        partner = self.env["res.partner"].create(
            {
                "name": "济南鑫源家电经销部",
                "care_branch_id": self.branch.id,
                "care_regional_manager_id": self.users["credit_manager"].id,
            }
        )
        self.assertEqual(partner.care_regional_manager_id, self.users["credit_manager"])

    def test_segments_are_read_on_the_commercial_entity(self):
        company = self.env["res.partner"].create(
            {
                "name": "青岛海润电器商行",
                "is_company": True,
                "care_segment_ids": [(4, self.dealer.id)],
            }
        )
        contact = self.env["res.partner"].create(
            {"name": "周涛", "parent_id": company.id}
        )
        self.assertTrue(contact._care_has_segment("dealer"))
        self.assertFalse(contact._care_has_segment("key_account"))

    def test_agent_falls_back_to_company_then_default(self):
        self.env.company.care_default_agent_id = self.users["callback_manager"]
        company = self.env["res.partner"].create(
            {"name": "上海联华超市", "is_company": True}
        )
        contact = self.env["res.partner"].create(
            {"name": "张丽", "parent_id": company.id}
        )
        self.assertEqual(contact._care_get_agent(), self.users["callback_manager"])
        company.care_agent_id = self.users["agent"]
        self.assertEqual(contact._care_get_agent(), self.users["agent"])

    def test_segment_changes_are_tracked(self):
        partner = self.env["res.partner"].create(
            {"name": "无锡宏发五金店", "is_company": True}
        )
        # changes of a record created in the same transaction are not tracked
        self._commit_tracking()
        partner.care_segment_ids = [(4, self.dealer.id)]
        partner.care_agent_id = self.users["agent"]
        self._commit_tracking()
        tracked = (
            self.env["mail.tracking.value"]
            .search(
                [
                    ("mail_message_id.model", "=", "res.partner"),
                    ("mail_message_id.res_id", "=", partner.id),
                ]
            )
            .field_id.mapped("name")
        )
        self.assertIn("care_agent_id", tracked)

    def _commit_tracking(self):
        """What a commit does for tracking, without committing."""
        self.env.flush_all()
        self.env.cr.precommit.run()

    def test_segment_code_is_unique(self):
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            self.env["customer.care.segment"].create(
                {"name": "Dealer 2", "code": "dealer"}
            )
            self.env.flush_all()

    def test_segment_counts_its_customers(self):
        before = self.dealer.partner_count
        self.env["res.partner"].create(
            {
                "name": "烟台福星家电",
                "is_company": True,
                "care_segment_ids": [(4, self.dealer.id)],
            }
        )
        self.dealer.invalidate_recordset(["partner_count"])
        self.assertEqual(self.dealer.partner_count, before + 1)
        action = self.dealer.action_view_partners()
        self.assertIn(("care_segment_ids", "in", self.dealer.ids), action["domain"])


@tagged("post_install", "-at_install")
class TestSettings(TransactionCase):
    def test_settings_write_the_company(self):
        gm = self.env["res.users"].create(
            {"name": "孙建国", "login": "care_gm_settings"}
        )
        settings = self.env["res.config.settings"].create(
            {"care_general_manager_id": gm.id}
        )
        settings.execute()
        self.assertEqual(self.env.company.care_general_manager_id, gm)

    def test_settings_view_has_the_customer_care_section(self):
        arch = self.env["res.config.settings"].get_views([(False, "form")])["views"][
            "form"
        ]["arch"]
        for block in (
            "customer_care_general",
            "customer_care_callback",
            "customer_care_complaint",
            "customer_care_pickup",
            "customer_care_credit",
        ):
            self.assertIn(f'name="{block}"', arch)


@tagged("post_install", "-at_install")
class TestDemoData(TransactionCase):
    """The demo company the later features build their demo records on."""

    def setUp(self):
        super().setUp()
        if not self.env.ref(
            "customer_care.user_callback_agent", raise_if_not_found=False
        ):
            self.skipTest("database without demo data")

    def test_demo_has_a_user_per_role(self):
        for xmlid, group in [
            ("user_callback_agent", "group_callback_agent"),
            ("user_callback_manager", "group_callback_manager"),
            ("user_complaint_officer", "group_complaint_officer"),
            ("user_complaint_manager", "group_complaint_manager"),
            ("user_credit_approver", "group_credit_approver"),
            ("user_credit_manager", "group_credit_manager"),
            ("user_pickup_desk", "group_pickup_desk"),
            ("user_general_manager", "group_general_manager"),
        ]:
            user = self.env.ref(f"customer_care.{xmlid}")
            self.assertTrue(user.has_group(f"customer_care.{group}"), xmlid)
            self.assertEqual(user.lang, "zh_CN")

    def test_demo_customers_cover_the_segments(self):
        partners = self.env["res.partner"].search([("care_segment_ids", "!=", False)])
        codes = set(partners.care_segment_ids.mapped("code"))
        self.assertLessEqual(
            set(SEGMENT_CODES),
            codes,
        )
        key_account = self.env.ref("customer_care.partner_key_account")
        self.assertTrue(key_account.child_ids.filtered("is_company"), "branch offices")
        self.assertEqual(
            key_account.care_regional_manager_id,
            self.env.ref("customer_care.user_credit_approver_north"),
        )
