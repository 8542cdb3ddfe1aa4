from .urls import is_web_url
from .cache import cache_copy, cache_values
