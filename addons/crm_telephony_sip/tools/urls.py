from urllib.parse import urlsplit


def is_web_url(url):
    """Whether a link a PBX sent is an absolute http(s) URL: what a recording link may
    be (never ``javascript:``, ``data:``, a scheme-relative ``//host`` or a path)."""
    if not url or not isinstance(url, str):
        return False
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)
