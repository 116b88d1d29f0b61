from . import test_access
from . import test_callback
from . import test_callback_report
from . import test_customer_profile
from . import test_i18n
from . import test_ui
from . import test_working_time
