# Copyright 2026 customer_care contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""migrations/18.0.1.2.0: the texts kept in ``noupdate`` templates reach a
database of version 18.0.1.1.0, in English and in Chinese."""

import importlib.util
import json
from pathlib import Path

from odoo.tests import TransactionCase, tagged
from odoo.tools import SQL

from .common import ensure_lang

MIGRATION = (
    Path(__file__).resolve().parent.parent
    / "migrations"
    / "18.0.1.2.0"
    / "post-migration.py"
)
OLD_SMS = {
    "en_US": "Order {{ object.pickup_id.sale_order_id.name }} is ready for pickup "
    "at {{ object.point_id.name }}. Pickup code {{ object._care_clear('code') }}, "
    "bring your ID.",
    "zh_CN": "订单 {{ object.pickup_id.sale_order_id.name }} 已备货，请到 "
    "{{ object.point_id.name }} 自提。"
    "提货码 {{ object._care_clear('code') }}，请携带身份证。",
}


@tagged("post_install", "-at_install")
class TestUpgradeTexts(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ensure_lang(cls.env, "zh_CN")
        cls.sms = cls.env.ref("customer_care.sms_template_pickup_notice")
        cls.digest = cls.env.ref("customer_care.mail_template_callback_issue_digest")

    def _old_database(self, digest_lang="{{ object.partner_id.lang }}"):
        self.env.cr.execute(
            SQL(
                "UPDATE sms_template SET body = %s::jsonb WHERE id = %s",
                json.dumps(OLD_SMS),
                self.sms.id,
            )
        )
        self.env.cr.execute(
            SQL(
                "UPDATE mail_template SET lang = %s WHERE id = %s",
                digest_lang,
                self.digest.id,
            )
        )
        self.env.invalidate_all()

    def _upgrade(self):
        spec = importlib.util.spec_from_file_location("care_post_1_2", MIGRATION)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        # what Odoo's loader has in its frame, read by openupgradelib
        stage, addon, pyfile = "post", "customer_care", str(MIGRATION)  # noqa: F841
        module.migrate(self.env.cr, "18.0.1.1.0")
        # then Odoo loads the add-on's translations of the new texts
        self.env["ir.module.module"]._load_module_terms(["customer_care"], ["zh_CN"])
        self.env.invalidate_all()

    def test_the_pickup_sms_names_the_hours_and_documents_in_both_languages(self):
        self._old_database()
        self.assertNotIn("_care_opening_hours", self.sms.body)
        self._upgrade()
        english = self.sms.with_context(lang="en_US").body
        chinese = self.sms.with_context(lang="zh_CN").body
        for body in (english, chinese):
            self.assertIn("_care_opening_hours()", body)
            self.assertIn("documents_required", body)
        self.assertIn("Bring:", english)
        self.assertIn("营业时间", chinese)

    def test_the_digest_speaks_the_language_of_its_mail(self):
        self._old_database()
        self._upgrade()
        self.assertIn("care_digest_lang", self.digest.lang)

    def test_a_digest_language_set_by_hand_is_kept(self):
        self._old_database(digest_lang="zh_CN")
        self._upgrade()
        self.assertEqual(self.digest.lang, "zh_CN")
