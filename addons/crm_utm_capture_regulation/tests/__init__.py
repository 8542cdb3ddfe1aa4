from . import test_regulation_inquiries
