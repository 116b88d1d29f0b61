# Copyright 2026 customer_care contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A text the add-on writes for a person is in that person's language,
whoever writes it: OdooBot's scheduled actions, or a colleague's action."""

import re
from datetime import timedelta

from odoo import Command, fields
from odoo.tests import TransactionCase, new_test_user, tagged

from .common import ensure_lang

CJK = re.compile(r"[\u4e00-\u9fff]")


@tagged("post_install", "-at_install")
class TestRecipientLanguage(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ensure_lang(cls.env, "zh_CN")
        cls.env["res.lang"]._activate_lang("en_US")
        # OdooBot writes in English; the recipients read their own language
        cls.env.ref("base.user_root").lang = "en_US"
        cls.bot = cls.env(user=cls.env.ref("base.user_root"), context={"lang": "en_US"})

        def user(login, groups, lang):
            return new_test_user(
                cls.env, login=login, groups=groups, lang=lang, name=login
            )

        cls.zh_manager = user(
            "lang_zh_manager", "customer_care.group_complaint_manager", "zh_CN"
        )
        cls.en_manager = user(
            "lang_en_manager", "customer_care.group_complaint_manager", "en_US"
        )
        cls.zh_agent = user(
            "lang_zh_agent", "customer_care.group_callback_agent", "zh_CN"
        )
        cls.en_agent = user(
            "lang_en_agent", "customer_care.group_callback_agent", "en_US"
        )
        cls.en_officer = user(
            "lang_en_officer", "customer_care.group_complaint_officer", "en_US"
        )
        cls.zh_gm = user("lang_zh_gm", "customer_care.group_general_manager", "zh_CN")

    def assertChinese(self, text):
        self.assertRegex(text or "", CJK, f"not in Chinese: {text!r}")

    def assertEnglish(self, text):
        self.assertTrue(text)
        self.assertNotRegex(text, CJK, f"not in English: {text!r}")

    def test_escalation_activities_speak_each_managers_language(self):
        team_zh = self.env["helpdesk.ticket.team"].create(
            {"name": "华东投诉组", "user_id": self.zh_manager.id}
        )
        team_en = self.env["helpdesk.ticket.team"].create(
            {"name": "Export complaints", "user_id": self.en_manager.id}
        )
        partner = self.env["res.partner"].create(
            {"name": "苏州恒达", "is_company": True}
        )
        tickets = self.env["helpdesk.ticket"].create(
            [
                {
                    "name": "送货延误",
                    "description": "x",
                    "partner_id": partner.id,
                    "care_is_complaint": True,
                    "team_id": team.id,
                    "care_received_at": fields.Datetime.now() - timedelta(days=30),
                }
                for team in (team_zh, team_en)
            ]
        )
        self.bot["helpdesk.ticket"]._care_escalate_missed_deadlines()
        for ticket, manager, check in (
            (tickets[0], self.zh_manager, self.assertChinese),
            (tickets[1], self.en_manager, self.assertEnglish),
        ):
            activity = ticket.activity_ids.filtered(lambda a, m=manager: a.user_id == m)
            self.assertEqual(len(activity), 1)
            check(activity.summary)

    def test_generated_callbacks_speak_their_agents_language(self):
        cadence = self.env.ref("customer_care.cadence_key_account_phone")
        segment = cadence.segment_ids[:1]
        partners = self.env["res.partner"].create(
            [
                {
                    "name": name,
                    "is_company": True,
                    "care_agent_id": agent.id,
                    "care_segment_ids": [Command.link(segment.id)],
                }
                for name, agent in (
                    ("上海甲", self.zh_agent),
                    ("Shanghai B", self.en_agent),
                )
            ]
        )
        today = fields.Date.today()
        self.bot["customer.care.callback"]._care_generate_due_callbacks(today)
        callbacks = self.env["customer.care.callback"].search(
            [("partner_id", "in", partners.ids), ("cadence_id", "=", cadence.id)]
        )
        self.assertEqual(len(callbacks), 2)
        by_agent = {c.user_id: c for c in callbacks}
        self.assertChinese(by_agent[self.zh_agent].summary)
        self.assertChinese(by_agent[self.zh_agent].activity_ids.summary)
        self.assertEnglish(by_agent[self.en_agent].summary)
        self.assertEnglish(by_agent[self.en_agent].activity_ids.summary)

    def test_a_colleagues_action_writes_in_the_recipients_language(self):
        # an English-speaking officer's request reaches a Chinese general
        # manager in Chinese
        self.env.company.care_general_manager_id = self.zh_gm
        measure = (
            self.env["customer.care.complaint.measure"]
            .with_user(self.en_officer)
            .with_context(lang="en_US")
            .create({"name": "出库复核", "date_deadline": fields.Date.today()})
        )
        measure.action_request()
        activity = measure.activity_ids.filtered(lambda a: a.user_id == self.zh_gm)
        self.assertChinese(activity.summary)
        # and the approval's task for the English officer is English
        measure.with_user(self.zh_gm).with_context(lang="zh_CN").action_approve()
        task = measure.activity_ids.filtered(lambda a: a.user_id == self.en_officer)
        self.assertEnglish(task.summary)
