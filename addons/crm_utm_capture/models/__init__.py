from . import utm_mixin
from . import crm_capture_site
from . import crm_capture_submission
from . import crm_capture_rate_bucket
from . import crm_touchpoint
from . import crm_lead
from . import res_config_settings
from . import crm_utm_report
