from .request_body import BodyTooLarge, BodyUnreadable, drain, input_stream, read_bounded
from .urls import is_web_url
