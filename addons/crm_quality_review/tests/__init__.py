from . import test_outcomes
from . import test_quality_roles
from . import test_review_flow
from . import test_review_tour
from . import test_russian
from . import test_sampling
from . import test_survey_access
