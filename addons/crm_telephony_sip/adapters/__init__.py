from . import common
from .asterisk import AsteriskAdapter
from .generic import GenericAdapter
from .grandstream import GrandstreamAdapter
from .mango import MangoAdapter
from .onlinepbx import OnlinePbxAdapter
from .zadarma import ZadarmaAdapter

ADAPTERS = {
    adapter.provider: adapter()
    for adapter in (
        GenericAdapter,
        OnlinePbxAdapter,
        ZadarmaAdapter,
        MangoAdapter,
        AsteriskAdapter,
        GrandstreamAdapter,
    )
}


def get_adapter(provider):
    return ADAPTERS[provider]
