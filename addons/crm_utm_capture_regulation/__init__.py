from . import models


def post_init_hook(env):
    """Teams that already follow the regulation merge repeat e-mails into open deals, as
    teams that start following it later do."""
    env["crm.team"].search([("use_regulation", "=", True)]).inquiry_dedupe = True
