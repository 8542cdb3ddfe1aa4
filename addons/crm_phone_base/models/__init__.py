from . import crm_phone_lookup_mixin
from . import ir_module_module
