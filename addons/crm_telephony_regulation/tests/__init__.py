from . import test_telephony_rules
from . import test_missed_call_deals
from . import test_missed_calls_tile
