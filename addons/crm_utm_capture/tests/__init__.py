from . import test_capture_endpoint
