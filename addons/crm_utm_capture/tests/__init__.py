from . import test_capture_endpoint
from . import test_capture_spam
from . import test_capture_dedupe
from . import test_email_capture
from . import test_utm_attribution_report
from . import test_capture_queries
from . import test_capture_translation
from . import test_capture_snippet
