"""How each PBX signs its requests: the one implementation shared by the adapters (which
check signatures) and ``scripts/replay_calls`` (which makes them).

Only the standard library: the command-line tools load this file without Odoo.
"""

import base64
import binascii
import hashlib
import hmac

ZADARMA_SIGNED_FIELDS = {
    "NOTIFY_START": ("caller_id", "called_did", "call_start"),
    "NOTIFY_INTERNAL": ("caller_id", "called_did", "call_start"),
    "NOTIFY_ANSWER": ("caller_id", "destination", "call_start"),
    "NOTIFY_END": ("caller_id", "called_did", "call_start"),
    "NOTIFY_OUT_START": ("internal", "destination", "call_start"),
    "NOTIFY_OUT_END": ("internal", "destination", "call_start"),
    "NOTIFY_RECORD": ("pbx_call_id", "call_id_with_rec"),
    "NOTIFY_IVR": ("caller_id", "called_did", "call_start"),
    "SMS": ("result",),
    "SPEECH_RECOGNITION": ("result",),
}


def hmac_hex(secret, message, digest=hashlib.sha256):
    return hmac.new(_bytes(secret), _bytes(message), digest).hexdigest()


def hmac_b64(secret, message, digest=hashlib.sha256):
    return base64.b64encode(hmac.new(_bytes(secret), _bytes(message), digest).digest()).decode()


def same(left, right):
    return hmac.compare_digest(_bytes(left or ""), _bytes(right or ""))


def _bytes(value):
    return value if isinstance(value, bytes) else str(value).encode()


def standard_webhooks_key(secret):
    """The HMAC key of a Standard Webhooks secret given as ``whsec_<base64>`` or plain text."""
    if secret.startswith("whsec_"):
        try:
            return base64.b64decode(secret[len("whsec_") :])
        except (binascii.Error, ValueError):
            return secret.encode()
    return secret.encode()


def standard_webhooks_signature(secret, msg_id, timestamp, body):
    """The ``webhook-signature`` header value (``v1,<base64 HMAC-SHA256>``) for a body."""
    content = b"%s.%s.%s" % (str(msg_id).encode(), str(timestamp).encode(), body)
    return "v1," + hmac_b64(standard_webhooks_key(secret), content)


def zadarma_signature(secret, params):
    """The ``Signature`` header Zadarma sends with these notification params."""
    fields = ZADARMA_SIGNED_FIELDS.get(params.get("event"), ())
    message = "".join(str(params.get(name, "")) for name in fields)
    return hmac_b64_of_hex(secret, message)


def hmac_b64_of_hex(secret, message):
    """Zadarma's signatures: base64 of the hex HMAC-SHA1."""
    return base64.b64encode(hmac_hex(secret, message, hashlib.sha1).encode()).decode()


def mango_sign(api_key, json_text, salt):
    """Mango's ``sign``: the hex SHA-256 of api key + json + salt."""
    return hashlib.sha256(f"{api_key}{json_text}{salt}".encode()).hexdigest()
