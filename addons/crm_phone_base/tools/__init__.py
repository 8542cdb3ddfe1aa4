from .phone import Phone, parse_phone, parse_phones
from . import request_body
from . import db_list_cache
from . import compat
