from . import test_quality_roles
