"""Connecting to a running Odoo over RPC with odoorpc.

Settings come, in this order of precedence, from command-line flags, environment
variables and a configuration file. The password (or API key) is never a flag: it comes
from ``ODOO_PASSWORD``, the configuration file, or an interactive prompt.
"""

import configparser
import getpass
import os
import sys
import urllib.error
from pathlib import Path
from urllib.parse import urlparse

import odoorpc

DEFAULT_CONFIG = Path("~/.config/crmreg/odoo.ini")
CONNECTION_HELP = """connection:
  Settings come from the flags, then the environment (ODOO_URL, ODOO_DB, ODOO_LOGIN,
  ODOO_PASSWORD), then the configuration file (--config, CRMREG_CONFIG or
  ~/.config/crmreg/odoo.ini), section [odoo] with keys url, db, login, password.
  The password or API key is never given on the command line.
"""


class CliError(Exception):
    """Bad input or an unusable server: the tool prints the message and exits with 2."""


def add_connection_arguments(parser):
    group = parser.add_argument_group("connection")
    group.add_argument("--url", help="Odoo URL, e.g. https://erp.example.com (env ODOO_URL)")
    group.add_argument("--db", help="database name (env ODOO_DB)")
    group.add_argument("--login", help="user login (env ODOO_LOGIN)")
    group.add_argument(
        "--config",
        help="configuration file with an [odoo] section (env CRMREG_CONFIG, "
        "default ~/.config/crmreg/odoo.ini)",
    )
    group.add_argument(
        "--timeout", type=float, default=300, help="seconds to wait for each RPC call"
    )


def _config_section(path_arg):
    explicit = path_arg or os.environ.get("CRMREG_CONFIG")
    path = Path(explicit or DEFAULT_CONFIG).expanduser()
    if not path.is_file():
        if explicit:
            raise CliError(f"configuration file {path} does not exist")
        return {}
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read(path, encoding="utf-8")
    except (configparser.Error, OSError, UnicodeDecodeError) as error:
        raise CliError(f"cannot read configuration file {path}: {error}") from error
    if "odoo" not in parser:
        raise CliError(f"configuration file {path} has no [odoo] section")
    return dict(parser["odoo"])


def resolve_settings(args):
    """Merge flags, environment and configuration file into url, db, login, password."""
    config = _config_section(args.config)
    settings = {}
    for key in ("url", "db", "login", "password"):
        flag = getattr(args, key, None)
        settings[key] = flag or os.environ.get(f"ODOO_{key.upper()}") or config.get(key)
    missing = [key for key in ("url", "db", "login") if not settings[key]]
    if missing:
        raise CliError(
            "missing connection setting(s): "
            + ", ".join(missing)
            + " (use --url/--db/--login, ODOO_URL/ODOO_DB/ODOO_LOGIN or a config file)"
        )
    if not settings["password"]:
        if not sys.stdin.isatty():
            raise CliError("no password: set ODOO_PASSWORD or put it in the configuration file")
        settings["password"] = getpass.getpass(f"Password for {settings['login']}: ")
    return settings


def _parse_url(url):
    parsed = urlparse(url if "://" in url else f"http://{url}")
    if parsed.scheme not in ("http", "https") or not parsed.hostname:
        raise CliError(f"invalid URL '{url}': expected http(s)://host[:port]")
    ssl = parsed.scheme == "https"
    port = parsed.port or (443 if ssl else 80)
    return parsed.hostname, port, "jsonrpc+ssl" if ssl else "jsonrpc"


def connect(args):
    """Return an odoorpc client logged in with the resolved settings, or raise CliError."""
    settings = resolve_settings(args)
    host, port, protocol = _parse_url(settings["url"])
    try:
        client = odoorpc.ODOO(host, protocol=protocol, port=port, timeout=args.timeout)
        client.login(settings["db"], settings["login"], settings["password"])
    except odoorpc.error.RPCError as error:
        text = str(error)
        if "does not exist" in text:
            raise CliError(f"database '{settings['db']}' does not exist on the server") from error
        if "database" in text.lower():
            first_line = text.strip().splitlines()[0] if text.strip() else text
            raise CliError(f"database '{settings['db']}' is not available: {first_line}") from (
                error
            )
        raise CliError(f"login refused for '{settings['login']}': wrong login or password") from (
            error
        )
    except (urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise CliError(f"cannot reach Odoo at {settings['url']}: {reason}") from error
    except ValueError as error:  # a non-JSON answer: not an Odoo server
        raise CliError(f"{settings['url']} does not answer like an Odoo server") from error
    return client


def rpc_message(error):
    """The user-facing message of an Odoo RPC error, on one line."""
    info = getattr(error, "info", None) or {}
    data = info.get("data") if isinstance(info, dict) else None
    message = (data or {}).get("message") if isinstance(data, dict) else None
    return " ".join((message or str(error)).split())


def run(main):
    """Run a tool's main function: CliError and RPC failures become a one-line exit 2."""
    try:
        return main() or 0
    except CliError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except odoorpc.error.RPCError as error:
        print(f"error: the server refused: {rpc_message(error)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # output piped into e.g. head, which stopped reading
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
