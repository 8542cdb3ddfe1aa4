from . import test_regulation_stages
