from .urls import is_web_url
from .cache import cache_values, cached_values
