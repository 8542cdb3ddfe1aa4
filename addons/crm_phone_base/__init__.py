from . import models
from . import tools
from .tools import db_list_cache


def post_load():
    """Server-wide: the registered public endpoints stop paying a new database
    connection per request when a db filter is set (see tools/db_list_cache.py)."""
    db_list_cache.install()
