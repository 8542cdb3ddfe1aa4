from . import inquiry
from . import email_body
