from . import common
from .generic import GenericAdapter
from .zadarma import ZadarmaAdapter

ADAPTERS = {adapter.provider: adapter() for adapter in (GenericAdapter, ZadarmaAdapter)}


def get_adapter(provider):
    return ADAPTERS[provider]
