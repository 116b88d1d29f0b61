# Copyright 2026 customer_care contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import TransactionCase, tagged

from ..hooks import load_chinese
from .common import ensure_lang


@tagged("post_install", "-at_install")
class TestI18nHelpdesk(TransactionCase):
    """helpdesk_mgmt ships no Chinese: the add-on completes it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ensure_lang(cls.env)
        cls.env["ir.module.module"]._load_module_terms(["helpdesk_mgmt"], ["zh_CN"])
        cls.Ticket = cls.env["helpdesk.ticket"].with_context(lang="zh_CN")

    def test_ticket_field_labels_read_chinese(self):
        fields = self.Ticket.fields_get(
            ["team_id", "user_id", "priority", "partner_name"], ["string"]
        )
        self.assertEqual(fields["team_id"]["string"], "团队")
        self.assertEqual(fields["user_id"]["string"], "负责人")
        self.assertEqual(fields["priority"]["string"], "优先级")
        self.assertEqual(fields["partner_name"]["string"], "客户名称")

    def test_priority_selection_reads_chinese(self):
        selection = dict(
            self.Ticket.fields_get(["priority"], ["selection"])["priority"]["selection"]
        )
        self.assertEqual(selection["0"], "低")
        self.assertEqual(selection["3"], "非常高")

    def test_views_read_chinese(self):
        search = self.Ticket.get_view(
            self.env.ref("helpdesk_mgmt.helpdesk_ticket_view_search").id, "search"
        )["arch"]
        self.assertIn('string="未关闭"', search)
        form = self.Ticket.get_view(
            self.env.ref("helpdesk_mgmt.ticket_view_form").id, "form"
        )["arch"]
        self.assertIn("其他信息", form)
        self.assertNotIn('string="Other Information"', form)

    def test_ticket_created_subtype_reads_chinese(self):
        subtype = self.env.ref("helpdesk_mgmt.hlp_tck_created")
        self.assertEqual(subtype.with_context(lang="zh_CN").description, "工单已创建")

    def test_install_loads_chinese_for_odoo_modules(self):
        menu = self.env.ref("sale.sale_menu_root")
        chinese = menu.with_context(lang="zh_CN").name
        self.assertNotEqual(chinese, menu.with_context(lang="en_US").name)
        self.env.cr.execute(
            "UPDATE ir_ui_menu SET name = name - 'zh_CN' WHERE id = %s", [menu.id]
        )
        self.env.invalidate_all()
        self.assertEqual(menu.with_context(lang="zh_CN").name, "Sales")
        load_chinese(self.env)
        self.assertEqual(menu.with_context(lang="zh_CN").name, chinese)
