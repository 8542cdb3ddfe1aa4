from . import adapters
from . import tools
from . import models
from . import controllers
from .hooks import post_load, uninstall_hook
