#!/usr/bin/env bash
# Soak: readers (wrk, scripts/soak/readers.lua) and editors (the API, scripts/soak/editors.py) together for
# SOAK_SECONDS (default 600) against the published app in Production on loopback. Passes with 0 reader errors,
# 0 failed or lost writes (every acknowledged create and update is read back) and memory that stays flat (the last
# sample within 25% of the one taken once warm). A benchmark, not a test; its figures go in the README.
#
# Needs wrk, curl and python3 (apt-get install -y wrk curl python3). The store starts with SOAK_STORIES (default
# 10000) stories generated from the corpus in tests/corpus.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/stop-and-remove.sh

seconds=${SOAK_SECONDS:-600}
stories=${SOAK_STORIES:-10000}
work=$(mktemp -d /tmp/newsportal-soak.XXXXXX)
server=
sampler=
cleanup() {
    stop_and_remove "$work" "$sampler" "$server"
}
trap cleanup EXIT

for tool in wrk curl python3; do
    command -v "$tool" >/dev/null || { echo "$tool is needed: apt-get install -y wrk curl python3" >&2; exit 1; }
done

echo "Publishing (Release, ReadyToRun)…"
source scripts/publish-app.sh
publish_app "$work/app"
web="$work/app/NewsPortal.Web.dll"
port=$((20000 + RANDOM % 12000))
base="http://127.0.0.1:$port"
export ASPNETCORE_ENVIRONMENT=Production Serilog__MinimumLevel__Default=Warning ConnectionStrings__NewsPortal="Data Source=$work/soak.db" \
    Portal__PublicBaseUrl="$base" Admin__Email=soak@example.org Admin__Password='a long soak password' \
    Api__RequestsPerMinute=100000000 Api__TokenRequestsPerMinute=100000000 Security__SignInAttemptsPerMinute=1000

dotnet build tests/NewsPortal.Corpus --configuration Release --nologo --verbosity quiet >/dev/null
dotnet tests/NewsPortal.Corpus/bin/Release/net10.0/NewsPortal.Corpus.dll store "$work/input" "$stories" >/dev/null
dotnet "$web" import "$work/input" >/dev/null || true

dotnet "$web" --urls "$base" >"$work/site.log" 2>&1 &
server=$!
until curl -sf -o /dev/null "$base/"; do sleep 0.2; done

# An editor's token, made as an editor would: sign in, then /admin/tokens.
token_field() { grep -o 'name="__RequestVerificationToken" type="hidden" value="[^"]*"' | sed -n 1p | sed 's/.*value="//;s/"$//'; }
antiforgery=$(curl -s -c "$work/jar" -b "$work/jar" "$base/account/login" | token_field)
curl -s -o /dev/null -c "$work/jar" -b "$work/jar" --data-urlencode "Input.Email=$Admin__Email" --data-urlencode "Input.Password=$Admin__Password" \
    --data-urlencode "__RequestVerificationToken=$antiforgery" "$base/account/login"
antiforgery=$(curl -s -c "$work/jar" -b "$work/jar" "$base/admin/tokens" | token_field)
token=$(curl -s -c "$work/jar" -b "$work/jar" --data-urlencode "name=soak" --data-urlencode "__RequestVerificationToken=$antiforgery" \
    "$base/admin/tokens?handler=Create" | grep -o 'id="new-token">[^<]*' | cut -d'>' -f2)
[ -n "$token" ] || { echo "could not make an API token" >&2; exit 1; }

home=$(curl -s "$base/")
article=$(grep -o 'href="/articles/[^"]*"' <<<"$home" | sed -n 1p | cut -d'"' -f2)
category=$(curl -s "$base$article" | grep -o 'href="/categories/[^"]*"' | sed -n 1p | cut -d'"' -f2)
paths=(/ "$article" "$category" /feed.atom /feed.json /sitemap.xml /sitemaps/news.xml /search?q=talks /api/v1/articles "/api/v1$article" /archive)

# Memory every 10 seconds.
(while kill -0 "$server" 2>/dev/null; do ps -o rss= -p "$server" >>"$work/rss" || true; sleep 10; done) &
sampler=$!

echo "Soaking for $seconds s: 16 readers over ${#paths[@]} pages, 4 editors writing through the API…"
wrk -t2 -c16 -d"${seconds}s" -s scripts/soak/readers.lua "$base" -- "${paths[@]}" >"$work/readers.out" 2>&1 &
readers=$!
editors_status=0
python3 scripts/soak/editors.py "$base" "$token" "$seconds" 4 >"$work/editors.out" 2>&1 || editors_status=$?
wait "$readers" || true

cat "$work/readers.out" | grep -E '^readers:|Non-2xx' || cat "$work/readers.out"
cat "$work/editors.out"
mapfile -t rss <"$work/rss"
warm=${rss[$(( ${#rss[@]} / 10 ))]}
last=${rss[-1]}
max=$(printf '%s\n' "${rss[@]}" | sort -n | tail -n 1)
echo "memory: once warm $((warm / 1024)) MB, highest $((max / 1024)) MB, at the end $((last / 1024)) MB (${#rss[@]} samples)"
server_errors=$(grep -c '"StatusCode": 5\| 5[0-9][0-9] in ' "$work/site.log" || true)
echo "server log: $server_errors responses of 500 or more"

reader_errors=$(grep -o 'errors=[0-9]*' "$work/readers.out" | sed -n 1p | cut -d= -f2)
if [ "${reader_errors:-1}" != 0 ] || [ "$editors_status" != 0 ] || [ "$last" -gt $(( warm * 125 / 100 )) ] || [ "$server_errors" != 0 ]; then
    echo "soak: FAILED"
    exit 1
fi
echo "soak: passed"
