from .urls import is_web_url
