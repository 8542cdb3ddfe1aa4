from . import test_call_sampling
from . import test_reviewer_call_access
