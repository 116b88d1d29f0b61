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

    # ------------------------------------------------------------
    # LANDING
    # ------------------------------------------------------------

    def _care_landing_roles(self):
        """(group, window action, context) of each role, the first that the
        user has wins: who holds several roles (the general manager holds
        them all) lands on the work of the highest."""
        return [
            # the general manager approves the preventive measures
            (
                "customer_care.group_general_manager",
                "customer_care.action_complaint_measure",
                {"search_default_to_approve": 1},
            ),
            # officers and managers handle the open complaints by deadline
            (
                "customer_care.group_complaint_officer",
                "customer_care.action_complaint",
                None,
            ),
            (
                "customer_care.group_callback_manager",
                "customer_care.customer_care_callback_overdue_action",
                None,
            ),
            (
                "customer_care.group_credit_approver",
                "customer_care.customer_care_credit_request_action_to_approve",
                None,
            ),
            (
                "customer_care.group_pickup_desk",
                "customer_care.customer_care_pickup_action_today",
                None,
            ),
            (
                "customer_care.group_callback_agent",
                "customer_care.customer_care_callback_today_action",
                None,
            ),
        ]

    def _care_landing_action(self):
        """The window action the app opens on for this user (the root menu's
        server action): their own work, not the first menu."""
        user = self[:1] or self.env.user
        for group, xmlid, context in self._care_landing_roles():
            if user.has_group(group):
                action = self.env["ir.actions.actions"]._for_xml_id(xmlid)
                if context is not None:
                    action["context"] = context
                return action
        return self.env["ir.actions.actions"]._for_xml_id(
            "customer_care.customer_care_callback_today_action"
        )
