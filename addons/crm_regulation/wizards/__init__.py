from . import crm_regulation_apply_wizard_line
from . import crm_regulation_apply_wizard
from . import crm_lead_force_stage
from . import crm_regulation_violation_waive
