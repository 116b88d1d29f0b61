from . import customer_care_segment
from . import res_company
from . import res_config_settings
from . import res_partner
