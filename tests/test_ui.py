# Copyright 2026 customer_care contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import HttpCase, new_test_user, tagged

from .common import WarmUpMixin, ensure_lang


@tagged("post_install", "-at_install")
class TestMenusInTheBrowser(WarmUpMixin, HttpCase):
    """The UI loads in a real (headless Chromium) browser for the roles."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ensure_lang(cls.env, "zh_CN")
        cls.agent = new_test_user(
            cls.env,
            login="care_tour_agent",
            groups="customer_care.group_callback_agent",
            name="王芳 (tour)",
        )
        cls.chinese_gm = new_test_user(
            cls.env,
            login="care_tour_zh",
            groups="customer_care.group_general_manager",
            name="孙建国 (tour)",
            lang="zh_CN",
        )

    def test_callback_agent_opens_customer_care(self):
        self.start_tour("/odoo", "customer_care_menu_tour", login="care_tour_agent")

    def test_chinese_user_sees_chinese_menus(self):
        self.start_tour("/odoo", "customer_care_menu_zh_tour", login="care_tour_zh")
