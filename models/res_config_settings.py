# Copyright 2026 customer_care contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    care_general_manager_id = fields.Many2one(
        related="company_id.care_general_manager_id", readonly=False
    )
    care_calendar_id = fields.Many2one(
        related="company_id.resource_calendar_id",
        readonly=False,
        string="Working Calendar",
    )
    care_default_agent_id = fields.Many2one(
        related="company_id.care_default_agent_id", readonly=False
    )
    care_duty_manager_id = fields.Many2one(
        related="company_id.care_duty_manager_id", readonly=False
    )
    care_duty_manager_warning = fields.Char(
        compute="_compute_care_duty_manager_warning",
        string="Duty Manager Warning",
    )
    care_pickup_manager_id = fields.Many2one(
        related="company_id.care_pickup_manager_id", readonly=False
    )
    care_finance_user_id = fields.Many2one(
        related="company_id.care_finance_user_id", readonly=False
    )
    care_callback_manager_id = fields.Many2one(
        related="company_id.care_callback_manager_id", readonly=False
    )
    care_callback_first_sale_days = fields.Integer(
        related="company_id.care_callback_first_sale_days", readonly=False
    )
    care_callback_delivery_delay_days = fields.Integer(
        related="company_id.care_callback_delivery_delay_days", readonly=False
    )
    care_callback_service_followup_months = fields.Integer(
        related="company_id.care_callback_service_followup_months", readonly=False
    )
    care_callback_escalation_days = fields.Integer(
        related="company_id.care_callback_escalation_days", readonly=False
    )
    care_callback_top_dealer_count = fields.Integer(
        related="company_id.care_callback_top_dealer_count", readonly=False
    )
    care_callback_top_dealer_months = fields.Integer(
        related="company_id.care_callback_top_dealer_months", readonly=False
    )
    care_callback_batch_size = fields.Integer(
        related="company_id.care_callback_batch_size", readonly=False
    )
    care_complaint_manager_id = fields.Many2one(
        related="company_id.care_complaint_manager_id", readonly=False
    )
    care_complaint_repeat_days = fields.Integer(
        related="company_id.care_complaint_repeat_days", readonly=False
    )
    care_complaint_large_loss_amount = fields.Monetary(
        related="company_id.care_complaint_large_loss_amount", readonly=False
    )
    care_complaint_handover_minutes = fields.Integer(
        related="company_id.care_complaint_handover_minutes", readonly=False
    )
    care_complaint_report_days = fields.Float(
        related="company_id.care_complaint_report_days", readonly=False
    )
    care_complaint_proposal_days = fields.Float(
        related="company_id.care_complaint_proposal_days", readonly=False
    )
    care_complaint_progress_days = fields.Float(
        related="company_id.care_complaint_progress_days", readonly=False
    )
    care_complaint_followup_first_day = fields.Integer(
        related="company_id.care_complaint_followup_first_day", readonly=False
    )
    care_complaint_followup_last_day = fields.Integer(
        related="company_id.care_complaint_followup_last_day", readonly=False
    )
    care_pickup_confirm_hours = fields.Float(
        related="company_id.care_pickup_confirm_hours", readonly=False
    )
    care_pickup_prepare_hours = fields.Float(
        related="company_id.care_pickup_prepare_hours", readonly=False
    )
    care_pickup_notice_hours = fields.Float(
        related="company_id.care_pickup_notice_hours", readonly=False
    )
    care_pickup_reply_hours = fields.Float(
        related="company_id.care_pickup_reply_hours", readonly=False
    )
    care_pickup_no_show_hours = fields.Float(
        related="company_id.care_pickup_no_show_hours", readonly=False
    )
    care_pickup_max_attempts = fields.Integer(
        related="company_id.care_pickup_max_attempts", readonly=False
    )
    care_pickup_lock_minutes = fields.Integer(
        related="company_id.care_pickup_lock_minutes", readonly=False
    )
    care_credit_manager_id = fields.Many2one(
        related="company_id.care_credit_manager_id", readonly=False
    )
    care_credit_rolling_days = fields.Integer(
        related="company_id.care_credit_rolling_days", readonly=False
    )
    care_credit_regional_share = fields.Float(
        related="company_id.care_credit_regional_share", readonly=False
    )
    care_credit_overdue_days = fields.Integer(
        related="company_id.care_credit_overdue_days", readonly=False
    )
    care_risk_window_months = fields.Integer(
        related="company_id.care_risk_window_months", readonly=False
    )
    care_risk_review_days = fields.Integer(
        related="company_id.care_risk_review_days", readonly=False
    )
    care_risk_weight_overdue_max = fields.Float(
        related="company_id.care_risk_weight_overdue_max", readonly=False
    )
    care_risk_weight_overdue_avg = fields.Float(
        related="company_id.care_risk_weight_overdue_avg", readonly=False
    )
    care_risk_weight_request = fields.Float(
        related="company_id.care_risk_weight_request", readonly=False
    )
    care_risk_weight_late_request = fields.Float(
        related="company_id.care_risk_weight_late_request", readonly=False
    )
    care_risk_weight_usage = fields.Float(
        related="company_id.care_risk_weight_usage", readonly=False
    )
    care_risk_weight_bad_debt = fields.Float(
        related="company_id.care_risk_weight_bad_debt", readonly=False
    )
    care_risk_weight_complaint = fields.Float(
        related="company_id.care_risk_weight_complaint", readonly=False
    )
    care_risk_weight_return = fields.Float(
        related="company_id.care_risk_weight_return", readonly=False
    )
    care_risk_weight_last_year = fields.Float(
        related="company_id.care_risk_weight_last_year", readonly=False
    )
    care_market_head_id = fields.Many2one(
        related="company_id.care_market_head_id", readonly=False
    )
    care_bad_debt_journal_id = fields.Many2one(
        related="company_id.care_bad_debt_journal_id", readonly=False
    )
    care_bad_debt_account_id = fields.Many2one(
        related="company_id.care_bad_debt_account_id", readonly=False
    )
    care_bad_debt_salesperson_share = fields.Float(
        related="company_id.care_bad_debt_salesperson_share", readonly=False
    )
    care_bad_debt_regional_share = fields.Float(
        related="company_id.care_bad_debt_regional_share", readonly=False
    )
    care_bad_debt_head_share = fields.Float(
        related="company_id.care_bad_debt_head_share", readonly=False
    )
    care_bad_debt_clerk_share = fields.Float(
        related="company_id.care_bad_debt_clerk_share", readonly=False
    )
    care_bad_debt_keeper_share = fields.Float(
        related="company_id.care_bad_debt_keeper_share", readonly=False
    )
    care_bad_debt_release_head_share = fields.Float(
        related="company_id.care_bad_debt_release_head_share", readonly=False
    )
    care_credit_deduction_ratio = fields.Float(
        related="company_id.care_credit_deduction_ratio", readonly=False
    )

    @api.depends(
        "care_duty_manager_id.partner_id.mobile",
        "care_complaint_manager_id.partner_id.mobile",
    )
    def _compute_care_duty_manager_warning(self):
        """The SMS alert of a major complaint received outside working hours
        goes to the duty manager's (else the complaint lead's) mobile: say so
        here when they have none, not only on the complaint."""
        for settings in self:
            duty = settings.care_duty_manager_id or settings.care_complaint_manager_id
            settings.care_duty_manager_warning = (
                self.env._(
                    "%s has no mobile number: the SMS alert of major complaints "
                    "received outside working hours cannot be sent.",
                    duty.name,
                )
                if duty and not duty.partner_id.mobile
                else False
            )
