from . import test_telephony_generic
from . import test_telephony_missed
