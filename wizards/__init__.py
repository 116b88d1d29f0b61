# Wizards of the features (log a call, handover, approval requests) live here.
from . import customer_care_callback_ledger_wizard
from . import customer_care_complaint_followup_wizard
from . import customer_care_pickup_handover
from . import customer_care_credit_block
from . import customer_care_credit_onboarding
from . import customer_care_monthly_report
