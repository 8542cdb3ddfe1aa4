from . import crm_phone_lookup_mixin
from . import crm_stage
from . import crm_lead_scoring_frequency
from . import crm_lead
from . import ir_cron
from . import ir_module_module
