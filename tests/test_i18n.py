# Copyright 2026 customer_care contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import re
from pathlib import Path

import polib

from odoo.tests import TransactionCase, tagged
from odoo.tools.translate import TranslationModuleReader

from .common import ensure_lang

I18N = Path(__file__).resolve().parent.parent / "i18n"
# Terms that read the same in Chinese: an identical msgstr is dropped by the
# OCA PO checks, so they may stay empty.
SAME_IN_CHINESE = {"ID", "<span>%</span>"}


def needs_translation(msgid):
    """Terms with Latin words need Chinese; terms already in Chinese do not."""
    return bool(re.search("[A-Za-z]", msgid)) and msgid not in SAME_IN_CHINESE


@tagged("post_install", "-at_install")
class TestTranslations(TransactionCase):
    """The add-on's users read Chinese first: every term is translated."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.pot = polib.pofile(str(I18N / "customer_care.pot"))
        cls.po = polib.pofile(str(I18N / "zh_CN.po"))

    def test_every_term_of_the_pot_has_a_chinese_translation(self):
        translated = {e.msgid: e.msgstr for e in self.po if not e.obsolete}
        missing = [
            e.msgid
            for e in self.pot
            if needs_translation(e.msgid) and not translated.get(e.msgid, "").strip()
        ]
        self.assertFalse(
            missing, "terms without zh_CN translation:\n" + "\n".join(missing)
        )

    def test_no_translation_is_fuzzy(self):
        fuzzy = [e.msgid for e in self.po if "fuzzy" in e.flags]
        self.assertFalse(fuzzy, "fuzzy zh_CN translations:\n" + "\n".join(fuzzy))

    def test_the_pot_holds_every_term_of_the_add_on(self):
        reader = TranslationModuleReader(
            self.env.cr, modules=["customer_care"], lang="en_US"
        )
        exported = {source for _m, _t, _n, _r, source, _v, _c in reader if source}
        missing = sorted(exported - {e.msgid for e in self.pot})
        self.assertFalse(
            missing,
            "i18n/customer_care.pot is out of date (python3 tools/care.py i18n):\n"
            + "\n".join(missing),
        )

    def test_helpdesk_stages_and_channels_read_chinese(self):
        ensure_lang(self.env)
        self.env["ir.module.module"]._load_module_terms(
            ["helpdesk_mgmt"], ["zh_CN"], overwrite=True
        )
        stage = self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_in_progress")
        channel = self.env.ref("helpdesk_mgmt.helpdesk_ticket_channel_phone")
        self.assertEqual(stage.with_context(lang="zh_CN").name, "处理中")
        self.assertEqual(channel.with_context(lang="zh_CN").name, "电话")
        self.assertEqual(stage.with_context(lang="en_US").name, "In Progress")
