from . import test_telephony_generic
