from . import crm_telephony_connection
from . import crm_telephony_extension
from . import crm_telephony_event
from . import crm_telephony_call
from . import crm_lead
from . import res_partner
from . import mail_activity
