#!/usr/bin/env bash
# Two NewsPortal nodes behind nginx, sharing PostgreSQL and Redis, all on loopback, as a site that outgrew one box:
#
#   1. Both nodes start at once on an empty database: one migrates and seeds, the other waits (one seed story).
#   2. An editor signs in through node A; that cookie and an antiforgery token from A publish a story through B. The
#      key ring they share in Redis is stored encrypted with the nodes' certificate.
#   3. The new story is on the home page at once through A, through B and through nginx (no stale cached page).
#   4. Readers run through nginx with wrk while a writer publishes through nginx; node A is killed with SIGKILL.
#      nginx must answer every read (failover to B), and every write the site acknowledged must be there.
#
# Prints its figures (requests, errors, failover time, writes) and exits non-zero when a check fails. Needs root on a
# machine without nginx, PostgreSQL, Redis or wrk (it installs them from Debian). CI runs it after the tests.
#
#   scripts/scale-out.sh            (SCALE_OUT_SECONDS=20 by default: how long the readers run)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/stop-and-remove.sh

seconds=${SCALE_OUT_SECONDS:-20}
missing=()
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing+=(nginx)
command -v pg_ctlcluster >/dev/null && ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || missing+=(postgresql)
command -v redis-server >/dev/null || missing+=(redis-server)
command -v wrk >/dev/null || missing+=(wrk)
command -v curl >/dev/null || missing+=(curl)
command -v openssl >/dev/null || missing+=(openssl)
if [ "${#missing[@]}" -gt 0 ]; then
    [ "$(id -u)" -eq 0 ] || { echo "scale-out needs ${missing[*]}: run as root, or apt-get install -y ${missing[*]}" >&2; exit 1; }
    apt-get update
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ca-certificates "${missing[@]}"
fi
nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)

work=$(mktemp -d /tmp/newsportal-scale-out.XXXXXX)
pids=()
cleanup() {
    stop_and_remove "" "${pids[@]}" "$(cat "$work/nginx/nginx.pid" 2>/dev/null)" "$(cat "$work/redis.pid" 2>/dev/null)"
    if [ -n "${database:-}" ]; then
        as_postgres "psql -Xqc 'DROP DATABASE IF EXISTS $database WITH (FORCE)' -c 'DROP ROLE IF EXISTS $database'" >/dev/null 2>&1 || true
    fi
    stop_and_remove "$work"
}
trap cleanup EXIT
[ -n "${SCALE_OUT_KEEP:-}" ] && trap 'echo "kept: $work"' EXIT
as_postgres() { if [ "$(id -u)" -eq 0 ]; then su postgres -c "$1"; else sh -c "$1"; fi; }
# A failure shows what the nodes said, and keeps their logs in artifacts/scale-out (the work folder is removed).
fail() {
    echo "scale-out: FAILED: $*" >&2
    mkdir -p artifacts/scale-out
    # The probe's answers (time and status), to tell which read failed and when.
    cp "$work/probe" artifacts/scale-out/ 2>/dev/null || true
    for log in "$work"/node-*.log; do
        [ -f "$log" ] || continue
        cp "$log" artifacts/scale-out/
        echo "--- last lines of $(basename "$log")" >&2
        tail -n 30 "$log" >&2
    done
    exit 1
}
# A free port below Linux's ephemeral range (32768 and up), where an outgoing connection could already hold it.
port() {
    local candidate
    while :; do
        candidate=$((20000 + RANDOM % 12000))
        ss -Htln "sport = :$candidate" 2>/dev/null | grep -q . || { echo "$candidate"; return; }
    done
}

echo "=== Publishing the app"
source scripts/publish-app.sh
publish_app "$work/app"

echo "=== PostgreSQL and Redis"
cluster=$(pg_lsclusters --no-header | awk 'NR == 1 { print $1 " " $2 }')
read -r pg_version pg_name <<<"$cluster"
pg_ctlcluster "$pg_version" "$pg_name" start 2>/dev/null || true
for _ in $(seq 30); do as_postgres "psql -XAtc 'SELECT 1'" >/dev/null 2>&1 && break; sleep 1; done
pg_port=$(pg_lsclusters --no-header | awk -v v="$pg_version" -v n="$pg_name" '$1 == v && $2 == n { print $3 }')
database="newsportal_scale_$RANDOM$RANDOM"
password=$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')
as_postgres "psql -Xq -v ON_ERROR_STOP=1 -c \"CREATE ROLE $database LOGIN PASSWORD '$password'\" -c 'CREATE DATABASE $database OWNER $database'"
redis_port=$(port)
redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no --dir "$work" \
    --daemonize yes --pidfile "$work/redis.pid" --logfile "$work/redis.log"
for _ in $(seq 50); do redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break; sleep 0.1; done

proxy_port=$(port); node_a=$(port); node_b=$(port)
site="http://127.0.0.1:$proxy_port"
admin=editor@scale-out.example.org
admin_password=$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')
# The certificate every node encrypts the shared key ring with (README: DataProtection:Certificate).
certificate_password=$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')
openssl req -x509 -newkey rsa:3072 -nodes -days 30 -subj /CN=newsportal-scale-out -keyout "$work/keys.pem" -out "$work/keys.crt" 2>/dev/null
openssl pkcs12 -export -in "$work/keys.crt" -inkey "$work/keys.pem" -out "$work/keys.pfx" -passout "pass:$certificate_password"
start_node() {
    Database__Provider=Postgres \
    ConnectionStrings__NewsPortal="Host=127.0.0.1;Port=$pg_port;Database=$database;Username=$database;Password=$password" \
    ConnectionStrings__Redis="127.0.0.1:$redis_port" \
    Portal__PublicBaseUrl="$site" Proxy__KnownProxies=127.0.0.1 \
    Admin__Email="$admin" Admin__Password="$admin_password" \
    DataProtection__Certificate="$work/keys.pfx" DataProtection__CertificatePassword="$certificate_password" \
    ASPNETCORE_ENVIRONMENT=Production Serilog__MinimumLevel__Default=Warning \
        dotnet "$work/app/NewsPortal.Web.dll" --urls "http://127.0.0.1:$1" >"$work/node-$2.log" 2>&1 &
    pids+=($!)
    echo $! >"$work/node-$2.pid"
    disown  # its SIGKILL below is the test, not news for the shell
}

echo "=== Two nodes starting at once on an empty database"
start_node "$node_a" a
start_node "$node_b" b
for node in "$node_a" "$node_b"; do
    for _ in $(seq 120); do curl -sf "http://127.0.0.1:$node/health/ready" >/dev/null && break; sleep 0.5; done
    curl -sf "http://127.0.0.1:$node/health/ready" >/dev/null || fail "the node on port $node never became ready (logs in $work)"
done
stories=$(PGPASSWORD=$password psql -XAt -h 127.0.0.1 -p "$pg_port" -U "$database" "$database" -c 'SELECT count(*) FROM "Articles"')
[ "$stories" = 1 ] || fail "the seed was loaded $stories times"
echo "both ready (node A on port $node_a, node B on $node_b, nginx on $proxy_port); the seed was loaded once"

mkdir -p "$work/nginx"
sed -e "s|__PREFIX__|$work/nginx|g" -e "s|__LISTEN__|127.0.0.1:$proxy_port|" \
    -e "s|__NODE_A__|127.0.0.1:$node_a|" -e "s|__NODE_B__|127.0.0.1:$node_b|" scripts/scale-out/nginx.conf >"$work/nginx/nginx.conf"
"$nginx_bin" -p "$work/nginx" -c "$work/nginx/nginx.conf"
for _ in $(seq 50); do curl -sf "$site/health/live" >/dev/null && break; sleep 0.1; done

echo "=== A session from node A works on node B"
jar="$work/cookies"
token_of() { grep -o 'name="__RequestVerificationToken" type="hidden" value="[^"]*"' | sed -n 1p | sed 's/.*value="//; s/"$//'; }
login_token=$(curl -s -c "$jar" -b "$jar" "http://127.0.0.1:$node_a/account/login" | token_of)
code=$(curl -s -o /dev/null -w '%{http_code}' -c "$jar" -b "$jar" "http://127.0.0.1:$node_a/account/login" \
    --data-urlencode "Input.Email=$admin" --data-urlencode "Input.Password=$admin_password" --data-urlencode "__RequestVerificationToken=$login_token")
[ "$code" = 302 ] || fail "signing in through node A answered $code"
form_token=$(curl -s -c "$jar" -b "$jar" "http://127.0.0.1:$node_a/admin/articles/edit" | token_of)
[ -n "$form_token" ] || fail "node A did not show the editor to the signed-in editor"
for node in "$node_a" "$node_b" "$proxy_port"; do curl -s -o /dev/null "http://127.0.0.1:$node/"; done  # warm every cache
publish() { # $1: base URL, $2: title; prints the HTTP status
    curl -s -o /dev/null -w '%{http_code}' -c "$jar" -b "$jar" "$1/admin/articles/edit" \
        --data-urlencode "Form.Title=$2" --data-urlencode "Form.Body=Written during the scale-out test." \
        --data-urlencode "Form.PublishedOn=$(date -u +%F)" --data-urlencode "Form.Language=en" --data-urlencode "Form.Status=Published" \
        --data-urlencode "Form.Version=0" --data-urlencode "__RequestVerificationToken=$form_token"
}
code=$(publish "http://127.0.0.1:$node_b" "Published through node B")
[ "$code" = 302 ] || fail "publishing through node B with node A's cookie and token answered $code"
keys=$(redis-cli -p "$redis_port" LRANGE newsportal:data-protection-keys 0 -1)
grep -q '<key ' <<<"$keys" || fail "the nodes' key ring is not in Redis"
grep -q 'masterKey' <<<"$keys" && fail "the key ring in Redis holds a key unencrypted"
grep -q 'encryptedSecret' <<<"$keys" || fail "the key ring in Redis is not encrypted with the certificate"
echo "signed in on A, published on B; the shared key ring is encrypted"

echo "=== The new story is everywhere at once"
for base in "http://127.0.0.1:$node_a" "$site" "http://127.0.0.1:$node_b"; do
    # Read whole, then searched: grep -q stopping at the first match would cut curl off, a failure under pipefail.
    home=$(curl -s "$base/")
    grep -q "Published through node B" <<<"$home" || fail "the home page through $base does not show the story just published (a stale cached page)"
    code=$(curl -s -o /dev/null -w '%{http_code}' "$base/articles/published-through-node-b")
    [ "$code" = 200 ] || fail "the new story through $base answered $code"
done
echo "home page and story fresh through A, B and nginx"

echo "=== Readers through nginx for ${seconds}s; a writer publishing; node A killed (SIGKILL) part-way"
cat >"$work/readers.lua" <<'LUA'
local paths = { "/", "/articles/russia-ukraine-resume-peace-talks-in-istanbul-after-three-years", "/categories/english", "/sources", "/feed.atom" }
local i = 0
request = function() i = i + 1; return wrk.format("GET", paths[(i % #paths) + 1]) end
LUA
wrk -t2 -c32 -d"${seconds}s" --latency -s "$work/readers.lua" "$site" >"$work/wrk.txt" 2>&1 &
wrk_pid=$!
# The writer: one story at a time through nginx; a 302 is an acknowledged write.
: >"$work/acknowledged"
(
    n=0
    while kill -0 "$wrk_pid" 2>/dev/null; do
        n=$((n + 1))
        [ "$(publish "$site" "Scale-out write $n")" = 302 ] && echo "scale-out-write-$n" >>"$work/acknowledged"
        sleep 0.2
    done
) &
writer=$!
# A probe of its own: when reads through nginx stop failing after the kill.
(
    while kill -0 "$wrk_pid" 2>/dev/null; do
        code=$(curl -s -o /dev/null -m 5 -w '%{http_code}' "$site/") || code=000
        echo "$(date +%s.%N) $code"
        sleep 0.05
    done
) >"$work/probe" &
probe=$!
sleep $((seconds / 3))
killed_at=$(date +%s.%N)
kill -9 "$(cat "$work/node-a.pid")"
wait "$wrk_pid" || true
wait "$writer" "$probe" || true

requests=$(awk '/requests in/ { print $1 }' "$work/wrk.txt")
rate=$(awk '/Requests\/sec/ { print $2 }' "$work/wrk.txt")
non2xx=$(awk '/Non-2xx or 3xx responses/ { print $NF }' "$work/wrk.txt"); non2xx=${non2xx:-0}
socket=$(awk '/Socket errors/ { for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+,?$/) s += $i } END { print s + 0 }' "$work/wrk.txt")
p99=$(awk '$1 == "99%" { print $2 }' "$work/wrk.txt")
failed_probes=$(awk '$2 != 200' "$work/probe" | wc -l)
failover=$(awk -v k="$killed_at" '$1 >= k && $2 != 200 { last = $1 } END { printf "%.2f", (last ? last - k : 0) }' "$work/probe")
acknowledged=$(wc -l <"$work/acknowledged")
lost=0
while read -r slug; do
    code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$node_b/articles/$slug")
    [ "$code" = 200 ] || { lost=$((lost + 1)); echo "lost: $slug ($code)" >&2; }
done <"$work/acknowledged"

echo
echo "scale-out figures (2 nodes behind nginx, PostgreSQL $pg_version, Redis; node A killed after $((seconds / 3))s of ${seconds}s):"
echo "  reads through nginx: $requests requests, $rate req/s, p99 $p99, errors: $non2xx non-2xx, $socket socket errors"
echo "  probe every 50 ms: $failed_probes failed; reads failing for ${failover}s after the kill"
echo "  writes through nginx: $acknowledged acknowledged, $lost lost"
[ "$non2xx" = 0 ] && [ "$socket" = 0 ] || fail "nginx did not answer every read ($non2xx non-2xx, $socket socket errors)"
[ "$failed_probes" = 0 ] || fail "$failed_probes probe reads failed"
[ "$acknowledged" -gt 0 ] || fail "no write was acknowledged"
[ "$lost" = 0 ] || fail "$lost acknowledged writes are missing"
echo "scale-out: every check passed"
