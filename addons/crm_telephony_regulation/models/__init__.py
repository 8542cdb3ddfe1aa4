from . import crm_regulation_rule
from . import crm_lead
from . import crm_telephony_call
from . import crm_regulation_first_contact_report
from . import crm_regulation_dashboard_tile
