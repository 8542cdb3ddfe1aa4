from . import test_regulation_stages
from . import test_stage_gates
