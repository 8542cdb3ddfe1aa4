from . import crm_phone_lookup_mixin
