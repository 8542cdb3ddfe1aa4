from . import test_tools
from . import test_import_amocrm
from . import test_import_bitrix24
from . import test_import_onec
from . import test_import_plain_excel
from . import test_russian
