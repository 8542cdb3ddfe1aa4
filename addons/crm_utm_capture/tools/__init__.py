from . import utm
from . import inquiry
from . import email_body
from . import request_body
