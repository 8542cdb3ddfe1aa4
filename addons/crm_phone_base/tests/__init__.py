from . import test_phone
from . import test_request_body
