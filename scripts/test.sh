#!/usr/bin/env bash
# Every test, on a fresh machine, twice over: the whole suite (browser tests included) on the embedded default
# (SQLite), then again on a real PostgreSQL with Redis, as a site run on several nodes uses them.
#
# It installs what the tests need and the machine lacks (Debian's xmllint for the feed schema tests, Chromium for the
# browser tests, PostgreSQL and Redis; that step needs root), starts PostgreSQL (Debian's cluster, loopback only) and
# a Redis of its own for the run (loopback, nothing written to disk), creates a throwaway role for the run's
# databases, installs the browser tests' npm packages from their lockfile, then runs `dotnet test` with any arguments
# given (CI adds Release, --no-build and a TRX logger). A server that cannot be started fails the run. A test that
# hangs is stopped after ten minutes (the slowest passes in under one) and named in the output ("The test running
# when the crash occurred"), rather than holding the run for ever; no memory dump is written.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v xmllint >/dev/null || missing+=(libxml2-utils)
# Playwright drives Debian's Chromium and never downloads a browser of its own.
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v pg_ctlcluster >/dev/null && ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || missing+=(postgresql)
command -v redis-server >/dev/null || missing+=(redis-server)
if [ "${#missing[@]}" -gt 0 ]; then
    if [ "$(id -u)" -ne 0 ]; then
        echo "The tests need ${missing[*]}: run as root, or apt-get install -y ${missing[*]}" >&2
        exit 1
    fi
    apt-get update
    # Debian starts services it installs only where an init system runs them; this script starts its own below.
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ca-certificates "${missing[@]}"
fi

# PostgreSQL: Debian's cluster, started if it is down, with room for the suite's parallel test classes.
cluster=$(pg_lsclusters --no-header | awk 'NR == 1 { print $1 " " $2 }')
[ -n "$cluster" ] || { echo "No PostgreSQL cluster found (pg_lsclusters); install postgresql" >&2; exit 1; }
read -r pg_version pg_name <<<"$cluster"
as_postgres() { if [ "$(id -u)" -eq 0 ]; then su postgres -c "$1"; else sh -c "$1"; fi; }
if [ "$(as_postgres "psql -XAtc 'SHOW max_connections'" 2>/dev/null || echo 0)" -lt 200 ] 2>/dev/null; then
    pg_ctlcluster "$pg_version" "$pg_name" start 2>/dev/null || true
    as_postgres "psql -Xqc 'ALTER SYSTEM SET max_connections = 300'"
    pg_ctlcluster "$pg_version" "$pg_name" restart
fi
pg_port=$(pg_lsclusters --no-header | awk -v v="$pg_version" -v n="$pg_name" '$1 == v && $2 == n { print $3 }')
for _ in $(seq 30); do as_postgres "psql -XAtc 'SELECT 1'" >/dev/null 2>&1 && break; sleep 1; done
as_postgres "psql -XAtc 'SELECT 1'" >/dev/null || { echo "PostgreSQL $pg_version/$pg_name did not start" >&2; exit 1; }
# A role for this run only: it creates a database per test class and drops it after.
pg_password=$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')
as_postgres "psql -Xq -v ON_ERROR_STOP=1" <<SQL
DO \$\$ BEGIN
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'newsportal_test') THEN
        ALTER ROLE newsportal_test LOGIN CREATEDB PASSWORD '$pg_password';
    ELSE
        CREATE ROLE newsportal_test LOGIN CREATEDB PASSWORD '$pg_password';
    END IF;
END \$\$;
-- Dropping a test's database ends its sessions, an autovacuum worker's too.
GRANT pg_signal_backend TO newsportal_test;
SQL

# Redis: one of this run's own, on a loopback port, with persistence off; stopped when the run ends.
redis_port=${NEWSPORTAL_TEST_REDIS_PORT:-6391}
redis_dir=$(mktemp -d /tmp/newsportal-test-redis.XXXXXX)
redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no --dir "$redis_dir" \
    --daemonize yes --pidfile "$redis_dir/redis.pid" --logfile "$redis_dir/redis.log"
source scripts/stop-and-remove.sh
trap 'stop_and_remove "$redis_dir" "$(cat "$redis_dir/redis.pid" 2>/dev/null)"' EXIT
for _ in $(seq 50); do redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break; sleep 0.1; done
redis-cli -p "$redis_port" ping >/dev/null || { echo "Redis did not start on port $redis_port (log: $redis_dir/redis.log)" >&2; exit 1; }

command -v npm >/dev/null || { echo "npm (Node.js) is needed for the browser tests' axe-core" >&2; exit 1; }
npm ci --prefix tests/NewsPortal.BrowserTests --no-audit --no-fund >/dev/null
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1

hang_limit=(--blame-hang --blame-hang-timeout "${NEWSPORTAL_TEST_HANG_LIMIT:-10m}" --blame-hang-dump-type none)
status=0
echo "=== Tests on SQLite (the embedded default), with the browser tests"
NEWSPORTAL_TEST_PROVIDER=Sqlite dotnet test NewsPortal.sln "${hang_limit[@]}" "$@" || status=$?
echo "=== Tests on PostgreSQL $pg_version with Redis, with the browser tests"
NEWSPORTAL_TEST_PROVIDER=Postgres \
NEWSPORTAL_TEST_POSTGRES="Host=127.0.0.1;Port=$pg_port;Username=newsportal_test;Password=$pg_password;Database=postgres" \
NEWSPORTAL_TEST_REDIS="127.0.0.1:$redis_port" \
    dotnet test NewsPortal.sln "${hang_limit[@]}" "$@" || status=$?
exit "$status"
