from . import crm_regulation_import_job
from . import crm_regulation_import_column
from . import crm_regulation_import_stage_map
from . import crm_regulation_import_user_map
from . import crm_lead
from . import res_partner
