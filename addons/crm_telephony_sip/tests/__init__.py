from . import test_telephony_generic
from . import test_telephony_missed
from . import test_telephony_zadarma
from . import test_telephony_onlinepbx
from . import test_telephony_mango
from . import test_telephony_cdr
from . import test_telephony_journal
from . import test_telephony_i18n
