from . import crm_lead
from . import crm_team
