# Shared helpers of scripts/setup, scripts/test and scripts/run. Sourced, not run.
# shellcheck shell=bash
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# The Odoo series to use (18.0, 19.0) comes from the environment (README "Odoo series"):
#   ODOO_PYTHON (or PYTHON) names the Python that imports that Odoo (default python3),
#   ODOO_SRC an Odoo tree to put on PYTHONPATH,
#   ODOO_SERIES=19.0 alone picks the Python of that series among odoo_series_found.
# Nothing picks another series than python3's by itself.
PYTHON="${ODOO_PYTHON:-${PYTHON:-python3}}"
# Every addon of addons/ (the glue addons among them would auto-install anyway).
OUR_ADDONS="$(find "$REPO_ROOT/addons" -mindepth 2 -maxdepth 2 -name __manifest__.py \
    -printf '%h\n' | xargs -n1 basename | sort | paste -sd, -)"
OUR_ADDON_COUNT="$(tr ',' '\n' <<<"$OUR_ADDONS" | wc -l)"
STATE_DIR="${CRM_REG_STATE_DIR:-$REPO_ROOT/.local}"
mkdir -p "$STATE_DIR"

# An Odoo source tree that is not installed can be named with ODOO_SRC.
if [[ -n "${ODOO_SRC:-}" ]]; then
    export PYTHONPATH="$ODOO_SRC${PYTHONPATH:+:$PYTHONPATH}"
fi

# Candidate Pythons with an Odoo: python3 and the virtualenvs of ODOO_VENVS_DIR
# (default /opt/odoo-venvs/<series>/bin/python).
odoo_pythons() {
    local candidate
    echo "${PYTHON_DEFAULT:-$PYTHON}"
    for candidate in "${ODOO_VENVS_DIR:-/opt/odoo-venvs}"/*/bin/python; do
        [[ -x "$candidate" ]] && echo "$candidate"
    done
    return 0
}

# Prints "<series> <python>" for every series of Odoo found on this machine (one line
# each, first found wins), e.g. "18.0 python3" and "19.0 /opt/odoo-venvs/19.0/bin/python".
odoo_series_found() {
    local python series seen=" "
    while read -r python; do
        series="$(ODOO_SERIES='' "$python" "$REPO_ROOT/scripts/lib/find_odoo.py" --series 2>/dev/null)" \
            || continue
        [[ "$seen" == *" $series "* ]] && continue
        seen+="$series "
        echo "$series $python"
    done < <(odoo_pythons)
}

if [[ -n "${ODOO_SERIES:-}" && -z "${ODOO_PYTHON:-}" && -z "${ODOO_SRC:-}" ]]; then
    PYTHON_DEFAULT="$PYTHON"
    PYTHON="$(odoo_series_found | awk -v s="$ODOO_SERIES" '$1 == s { print $2; exit }')"
    [[ -n "$PYTHON" ]] || { printf '\nERROR: no Odoo %s found (set ODOO_PYTHON)\n\n' "$ODOO_SERIES" >&2; exit 3; }
fi

# The series of $PYTHON's Odoo ("18.0", "19.0"), or nothing when none is importable.
odoo_series() {
    "$PYTHON" "$REPO_ROOT/scripts/lib/find_odoo.py" --series 2>/dev/null || true
}

# Odoo refuses to connect as "postgres"; anyone else may be used.
default_db_user() {
    local me
    me="$(id -un)"
    if [[ "$me" == "postgres" ]]; then echo "odoo"; else echo "$me"; fi
}
DB_USER="${ODOO_DB_USER:-$(default_db_user)}"
DB_HOST="${ODOO_DB_HOST:-}"
DB_PORT="${ODOO_DB_PORT:-5432}"

say() { printf '==> %s\n' "$*" >&2; }
die() { printf '\nERROR: %s\n\n' "$*" >&2; exit "${EXIT_CODE:-2}"; }

# Prints the addons directory of the importable Odoo (18.0 or 19.0), or explains and exits.
odoo_addons_dir() {
    local out
    if ! out="$("$PYTHON" "$REPO_ROOT/scripts/lib/find_odoo.py" 2>&1)"; then
        printf '\nERROR: %s\n\n' "$out" >&2
        exit 3
    fi
    echo "$out"
}

psql_as_admin() {
    # Try our own role first, then the cluster owner through the socket.
    if psql -X -q -d postgres ${DB_HOST:+-h "$DB_HOST"} -p "$DB_PORT" -c 'select 1' >/dev/null 2>&1; then
        psql -X -d postgres ${DB_HOST:+-h "$DB_HOST"} -p "$DB_PORT" "$@"
    elif command -v runuser >/dev/null && id postgres >/dev/null 2>&1; then
        runuser -u postgres -- psql -X -d postgres ${DB_HOST:+-h "$DB_HOST"} -p "$DB_PORT" "$@"
    else
        psql -X -U postgres -d postgres ${DB_HOST:+-h "$DB_HOST"} -p "$DB_PORT" "$@"
    fi
}

postgres_is_up() {
    pg_isready -q ${DB_HOST:+-h "$DB_HOST"} -p "$DB_PORT" 2>/dev/null
}

# Starts the local PostgreSQL cluster(s) when installed but down.
ensure_postgres() {
    command -v pg_isready >/dev/null || die "PostgreSQL client tools (pg_isready, psql) are not installed. Install PostgreSQL 15 or newer (Debian: apt-get install postgresql) or point ODOO_DB_HOST/ODOO_DB_PORT to a running server."
    if postgres_is_up; then return 0; fi
    if [[ -z "$DB_HOST" || "$DB_HOST" == "127.0.0.1" || "$DB_HOST" == "localhost" ]] && command -v pg_lsclusters >/dev/null; then
        say "PostgreSQL is down: starting the local cluster(s)"
        local version cluster
        while read -r version cluster _; do
            pg_ctlcluster --skip-systemctl-redirect "$version" "$cluster" start || true
        done < <(pg_lsclusters --no-header)
        local i
        for i in $(seq 1 30); do
            postgres_is_up && return 0
            sleep 1
        done
    fi
    die "PostgreSQL is not running at ${DB_HOST:-the local socket}:$DB_PORT and could not be started. Start it (Debian: pg_ctlcluster 15 main start) or set ODOO_DB_HOST/ODOO_DB_PORT to a running server."
}

# Makes sure the role Odoo connects with exists and may create databases.
ensure_db_role() {
    [[ "$DB_USER" == "postgres" ]] && die "Odoo refuses the 'postgres' database role. Set ODOO_DB_USER to another role (it is created when missing)."
    local exists
    exists="$(psql_as_admin -tAc "SELECT 1 FROM pg_roles WHERE rolname = '$DB_USER'" 2>/dev/null || true)"
    if [[ "$exists" != "1" ]]; then
        say "Creating database role '$DB_USER'"
        psql_as_admin -q -c "CREATE ROLE \"$DB_USER\" LOGIN CREATEDB" \
            || die "Could not create the database role '$DB_USER'. Create it yourself: CREATE ROLE \"$DB_USER\" LOGIN CREATEDB;"
    fi
}

# Writes an Odoo configuration file for a database and prints its path.
write_odoo_conf() {
    local db_name="$1" conf="$STATE_DIR/$1.conf"
    local odoo_addons
    odoo_addons="$(odoo_addons_dir)"
    cat >"$conf" <<CONF
[options]
addons_path = $REPO_ROOT/addons,$odoo_addons
data_dir = $STATE_DIR/data
db_name = $db_name
dbfilter = ^$db_name\$
db_user = $DB_USER
${DB_HOST:+db_host = $DB_HOST
}db_port = $DB_PORT
list_db = False
http_port = ${ODOO_HTTP_PORT:-8069}
http_interface = 127.0.0.1
without_demo = False
CONF
    echo "$conf"
}

odoo_cmd() {
    "$PYTHON" "$REPO_ROOT/scripts/lib/odoo-bin" "$@"
}

db_exists() {
    [[ "$(psql_as_admin -tAc "SELECT 1 FROM pg_database WHERE datname = '$1'" 2>/dev/null)" == "1" ]]
}

drop_db() {
    psql_as_admin -q -c "DROP DATABASE IF EXISTS \"$1\" WITH (FORCE)" >/dev/null
    rm -rf "$STATE_DIR/data/filestore/$1"
}
