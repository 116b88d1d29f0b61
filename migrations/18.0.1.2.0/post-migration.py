# Copyright 2026 customer_care contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""18.0.1.2.0: texts kept in ``noupdate`` templates (issue 13).

- The pickup notice (mail and SMS) names the opening hours and the
  documents to bring: loaded again, their old translations dropped for
  Odoo to load those of the new text right after this script.
- The weekly issue digest is sent once per language of its readers: its
  language is the one of the mail being sent. A language changed by hand
  is kept."""

from openupgradelib import openupgrade

from odoo.addons.customer_care.hooks import reload_templates

PICKUP_TEMPLATES = (
    ("mail_template", "body_html", "customer_care.mail_template_pickup_notice"),
    ("sms_template", "body", "customer_care.sms_template_pickup_notice"),
)
DIGEST = "customer_care.mail_template_callback_issue_digest"
DIGEST_LANG_BEFORE = "{{ object.partner_id.lang }}"
DIGEST_LANG = "{{ ctx.get('care_digest_lang') or object.partner_id.lang }}"


def digest_in_the_readers_language(env):
    digest = env.ref(DIGEST, raise_if_not_found=False)
    if digest and (digest.lang or "").strip() == DIGEST_LANG_BEFORE:
        digest.lang = DIGEST_LANG


@openupgrade.migrate()
def migrate(env, version):
    reload_templates(
        env, "data/customer_care_pickup_template_data.xml", PICKUP_TEMPLATES
    )
    digest_in_the_readers_language(env)
