"""The suite's compatibility layer between Odoo series (issue #18).

One tree installs on Odoo 18.0 and 19.0; every difference of Odoo's API that the suite
meets is named here, once, and the addons use these names instead of testing the
version themselves:

- :func:`sql_constraints` (class decorator): a model's ``_sql_constraints`` list as
  ``models.Constraint`` attributes on 19.0 (19.0 ignores ``_sql_constraints``);
- :data:`USER_GROUPS`, :data:`GROUP_USERS`, :data:`RECORD_GROUPS`: the renamed fields
  ``res.users.groups_id`` / ``res.groups.users`` / ``ir.ui.view``, ``ir.actions.*``
  ``groups_id`` (``group_ids``, ``user_ids``, ``group_ids`` on 19.0);
  :data:`GROUP_ALL_USERS`: a group's users, implied ones included (18.0 stores those
  in ``users``, 19.0 computes ``all_user_ids``); :data:`GROUP_ALL_IMPLIED`: the groups a
  group implies, transitively (``trans_implied_ids``, ``all_implied_ids`` on 19.0);
- :func:`all_groups`: a user's groups, implied ones included (``groups_id`` on 18.0,
  ``all_group_ids`` on 19.0);
- :func:`domain_and`, :func:`domain_or`: ``odoo.osv.expression`` on 18.0,
  ``odoo.fields.Domain`` on 19.0 (``expression`` is deprecated there);
- :data:`PHONE_FIELDS`: the phone fields of ``crm.lead`` and ``res.partner`` (19.0
  dropped ``mobile``);
- :func:`stage_teams`: ``crm.stage`` values of its teams (``team_id`` on 18.0,
  ``team_ids`` on 19.0);
- :func:`id_in_sql`: a search method's "id in (SELECT ...)" (19.0 deprecates SQL as a
  domain value for ``Domain.custom``);
- :func:`open_activity_sql`: on 19.0 a done activity stays in ``mail_activity``,
  archived; SQL reading planned activities must skip those;
- :func:`set_cursor_now`: give a new transaction its timestamp (``cr.now()``, which
  would otherwise ask PostgreSQL for it): the cursor's ``_now`` on both series;
- :func:`set_cached`: put values of a record just written in SQL into its cache;
- :func:`insert_fetched`: put values fetched by a query of one's own in the cache, as
  the ORM's ``_fetch_query`` does (``env.cache.insert_missing`` on 18.0,
  ``Field._insert_cache`` on 19.0);
- ``ir.module.module._crm_load_series_data`` (``models/ir_module_module.py``): data
  files whose fields differ by series (groups' category/privilege, users of a group,
  groups of an action) live in ``series/18.0.xml`` and ``series/19.0.xml`` of an
  addon and are loaded by ``<function>`` from its data; see :data:`SERIES`.
"""

from datetime import datetime, timezone

from odoo import Command, models, release
from odoo.tools import SQL

#: the running series, "18.0" or "19.0": the name of an addon's series data files
SERIES = f"{release.version_info[0]}.0"
MAJOR = release.version_info[0]

if MAJOR >= 19:
    from odoo.fields import Domain

    USER_GROUPS = "group_ids"
    GROUP_USERS = "user_ids"
    GROUP_ALL_USERS = "all_user_ids"
    RECORD_GROUPS = "group_ids"
    ALL_USER_GROUPS = "all_group_ids"
    GROUP_ALL_IMPLIED = "all_implied_ids"
    PHONE_FIELDS = ("phone",)
    STAGE_TEAMS = "team_ids"
else:
    from odoo.osv import expression

    Domain = None
    USER_GROUPS = "groups_id"
    GROUP_USERS = "users"
    GROUP_ALL_USERS = "users"
    RECORD_GROUPS = "groups_id"
    ALL_USER_GROUPS = "groups_id"
    GROUP_ALL_IMPLIED = "trans_implied_ids"
    PHONE_FIELDS = ("phone", "mobile")
    STAGE_TEAMS = "team_id"


def sql_constraints(cls):
    """Class decorator: the class's ``_sql_constraints`` (``[(name, definition,
    message)]``, 18.0's form) become ``models.Constraint`` attributes ``_<name>`` on
    19.0, with the same names in the database (``<table>_<name>``)."""
    if MAJOR < 19:
        return cls
    for name, definition, message in cls.__dict__.get("_sql_constraints", ()):
        constraint = models.Constraint(definition, message)
        setattr(cls, f"_{name}", constraint)
        constraint.__set_name__(cls, f"_{name}")
    if "_sql_constraints" in cls.__dict__:
        delattr(cls, "_sql_constraints")
    return cls


def all_groups(user):
    """Every group of ``user``, implied ones included."""
    return user[ALL_USER_GROUPS]


def domain_and(domains):
    """The conjunction of ``domains`` as a list domain."""
    if Domain is not None:
        return list(Domain.AND(domains))
    return expression.AND(domains)


def domain_or(domains):
    """The disjunction of ``domains`` as a list domain."""
    if Domain is not None:
        return list(Domain.OR(domains))
    return expression.OR(domains)


def open_activity_sql(alias):
    """SQL true for a planned (not done) row ``alias`` of ``mail_activity``: 18.0
    deletes done activities, 19.0 archives them."""
    if MAJOR >= 19:
        return SQL("%s.active", SQL.identifier(alias))
    return SQL("TRUE")


def id_in_sql(subquery, negate=False):
    """The domain "id IN (subquery)" (``NOT IN`` with ``negate``), ``subquery`` being
    the SQL of a parenthesised SELECT of ids."""
    operator = "not in" if negate else "in"
    if Domain is None:
        return [("id", operator, subquery)]
    return Domain.custom(
        to_sql=lambda model, alias, query: SQL(
            "%s %s %s", SQL.identifier(alias, "id"), SQL(operator.upper()), subquery
        )
    )


def stage_teams(teams):
    """``crm.stage`` values that give the stage to ``teams``: 18.0 has one team a stage
    (``team_id``), 19.0 several (``team_ids``)."""
    if MAJOR >= 19:
        return {"team_ids": [Command.set(teams.ids)]}
    return {"team_id": teams[:1].id}


def set_cursor_now(cr, when=None):
    """Set the timestamp ``cr.now()`` answers in the current transaction (create and
    write dates), unless it was already asked: saves the ``SELECT now()`` of a short
    transaction. ``when``: a naive UTC datetime, the current time by default."""
    if getattr(cr, "_now", None) is None:
        cr._now = when or datetime.now(timezone.utc).replace(tzinfo=None)


def insert_fetched(records, field, values):
    """Put ``values`` of ``field`` fetched from the database (as ``_fetch_query`` gets
    them, one per record) in the cache of ``records``, not overwriting what is there
    (``env.cache.insert_missing`` on 18.0, ``Field._insert_cache`` on 19.0)."""
    if MAJOR >= 19:
        field._insert_cache(records, values)
    else:
        records.env.cache.insert_missing(records, field, values)


def set_cached(record, values):
    """Put ``values`` ({field name: value as written}) in the cache of ``record``, which
    SQL just wrote with them, so that reading them costs no query."""
    for fname, value in values.items():
        field = record._fields[fname]
        cache_value = field.convert_to_cache(value, record, validate=False)
        if MAJOR >= 19:
            field._update_cache(record, cache_value)
        else:
            record.env.cache.update(record, field, [cache_value])
