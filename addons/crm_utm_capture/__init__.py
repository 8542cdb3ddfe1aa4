from . import controllers
from . import models
from odoo.addons.crm_phone_base.tools import db_list_cache


def post_load():
    """Capture posts take the database list from crm_phone_base's short-lived cache when
    a db filter is set (see crm_phone_base/tools/db_list_cache.py)."""
    db_list_cache.register_public_prefix("/crm/capture/")
