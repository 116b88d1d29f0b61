# Copyright 2026 customer_care contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A text the add-on writes for a person is in that person's language,
whoever writes it: OdooBot's scheduled actions, or a colleague's action."""

import re
from datetime import date, datetime, timedelta

from freezegun import freeze_time
from lxml import html

from odoo import Command, fields
from odoo.tests import TransactionCase, new_test_user, tagged

from .common import ensure_lang, shanghai_calendar

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
        cls.zh_callback_manager = user(
            "lang_zh_callback_manager", "customer_care.group_callback_manager", "zh_CN"
        )
        cls.en_callback_manager = user(
            "lang_en_callback_manager", "customer_care.group_callback_manager", "en_US"
        )

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

    # ------------------------------------------------------------
    # The weekly issue digest: one mail per language, dates included
    # ------------------------------------------------------------

    def _digests(self, company_lang):
        """The weekly digest of one open issue, sent by OdooBot (English) for
        a company working in ``company_lang``: {reader's partner: mail}."""
        self.env.company.partner_id.lang = company_lang
        partner = self.env["res.partner"].create(
            {"name": "无锡宏发", "is_company": True}
        )
        callback = self.env["customer.care.callback"].create(
            {
                "partner_id": partner.id,
                "date": date(2026, 11, 30),
                "state": "done",
                "user_id": self.zh_agent.id,
            }
        )
        self.env["customer.care.callback.issue"].create(
            {
                "callback_id": callback.id,
                "name": "送货延迟",
                "owner_id": self.zh_agent.id,
                "date_due": date(2026, 12, 10),
            }
        )
        # Wednesday 2 December 2026, 10:00 in Shanghai
        with freeze_time("2026-12-02 02:00:00"):
            self.bot["customer.care.callback.issue"]._cron_callback_issue_digest()
        mails = self.env["mail.mail"].search(
            [("model", "=", "res.company"), ("res_id", "=", self.env.company.id)]
        )
        by_reader = {}
        for mail in mails:
            for reader in mail.recipient_ids:
                self.assertNotIn(reader, by_reader, "one digest per reader")
                by_reader[reader] = mail
        # one mail per language: its readers all read that language
        for mail in mails:
            self.assertEqual(len(set(mail.recipient_ids.mapped("lang"))), 1)
        return by_reader

    @staticmethod
    def _text(mail):
        return " ".join(html.fromstring(mail.body_html).text_content().split())

    def test_digest_to_a_chinese_manager_is_chinese_with_a_chinese_date(self):
        # the company and OdooBot work in English, the manager reads Chinese
        mail = self._digests("en_US")[self.zh_callback_manager.partner_id]
        text = self._text(mail)
        self.assertChinese(mail.subject + text)
        self.assertIn("2026年12月02日", text)
        self.assertIn("2026年12月10日", text)
        self.assertNotIn("12/02/2026", text)
        self.assertNotIn(self.en_callback_manager.partner_id, mail.recipient_ids)

    def test_digest_to_an_english_manager_is_english_with_an_english_date(self):
        # the company works in Chinese, the manager reads English
        mail = self._digests("zh_CN")[self.en_callback_manager.partner_id]
        text = self._text(mail)
        self.assertIn("callback issues are not yet reported back", text)
        self.assertIn("12/02/2026", text)
        self.assertNotIn("2026年", text)
        self.assertNotIn(self.zh_callback_manager.partner_id, mail.recipient_ids)

    # ------------------------------------------------------------
    # The after-hours alert of a major complaint
    # ------------------------------------------------------------

    def _after_hours_major_complaint(self, duty, officer):
        """A major complaint received on a Friday evening in Shanghai,
        handled by ``officer``, with ``duty`` on duty."""
        self.env.company.write(
            {
                "resource_calendar_id": shanghai_calendar(self.env).id,
                "care_duty_manager_id": duty.id,
                "care_complaint_manager_id": self.zh_manager.id,
            }
        )
        partner = self.env["res.partner"].create(
            {"name": "苏州恒达", "is_company": True}
        )
        friday_evening = datetime(2026, 11, 20, 11, 0)  # 19:00 in Shanghai
        with freeze_time(friday_evening):
            return (
                self.env["helpdesk.ticket"]
                .with_context(lang="en_US")
                .create(
                    {
                        "name": "送货延误",
                        "description": "x",
                        "partner_id": partner.id,
                        "user_id": officer.id,
                        "care_is_complaint": True,
                        "care_received_at": friday_evening,
                        "care_crit_external": True,
                    }
                )
            )

    def test_the_duty_managers_sms_is_in_their_language(self):
        duty = self.zh_gm
        duty.partner_id.mobile = "+86 139 1600 0001"
        ticket = self._after_hours_major_complaint(duty, self.en_officer)
        self.assertTrue(ticket.care_alerted_at)
        sms = self.env["sms.sms"].search([("number", "=", "+86 139 1600 0001")])
        self.assertEqual(len(sms), 1)
        self.assertChinese(sms.body)
        # the e-mail and the SMS's message on the complaint
        alerts = ticket.message_ids.filtered(lambda m: duty.partner_id in m.partner_ids)
        self.assertTrue(alerts)
        for alert in alerts:
            self.assertChinese(alert.body)

    def test_a_duty_manager_without_mobile_leaves_a_note_for_the_officer(self):
        duty = self.zh_gm
        duty.partner_id.write({"mobile": False, "phone": "+86 21 5080 8888"})
        ticket = self._after_hours_major_complaint(duty, self.en_officer)
        # the e-mail still goes, the SMS cannot
        self.assertTrue(ticket.care_alerted_at)
        self.assertTrue(
            ticket.message_ids.filtered(lambda m: duty.partner_id in m.partner_ids)
        )
        self.assertFalse(
            self.env["sms.sms"].search([("partner_id", "=", duty.partner_id.id)])
        )
        note = ticket.message_ids.filtered(
            lambda m: m.subtype_id == self.env.ref("mail.mt_note")
            and duty.name in (m.body or "")
        )
        self.assertEqual(len(note), 1, "a note says the SMS was not sent")
        # in the English officer's language, not the duty manager's
        self.assertEnglish(html.fromstring(note.body).text_content())
        self.assertIn("no mobile number", note.body)
