from . import controllers
from . import models
from .tools import db_list_cache


def post_load():
    """Server-wide: public capture requests stop paying a new database connection each
    when a db filter is set (see tools/db_list_cache.py)."""
    db_list_cache.install()
