# Copyright 2026 customer_care contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models


class ResUsers(models.Model):
    _inherit = "res.users"

    def _care_lang(self):
        """The language of the texts the add-on writes for this person (an
        activity, a callback's summary): theirs, else their company's, else
        the running one's. A scheduled action runs as OdooBot, a user's
        action in the actor's language: neither is the recipient's."""
        user = self[:1]
        return user.lang or user.company_id.partner_id.lang or self.env.lang or "en_US"

    def _care_env(self, env):
        """``env`` speaking this person's language: ``user._care_env(self.env)._(…)``
        writes a text for them."""
        return env(context=dict(env.context, lang=self._care_lang()))
