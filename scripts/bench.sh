#!/usr/bin/env bash
# NewsPortal benchmarks. Numbers go in the README's "Benchmarks" section; they are not tests, and this
# machine is shared and noisy, so each figure is the best of several runs.
#
#   scripts/bench.sh            all benchmarks
#   scripts/bench.sh import     importing the corpus into an empty SQLite store
#   scripts/bench.sh search     search latency over a 100,000-article store, over HTTP with wrk
#
# Needs the shared corpus beside the repository (../shared/corpus) or NEWSPORTAL_CORPUS pointing at it.
set -euo pipefail
cd "$(dirname "$0")/.."

runs=${BENCH_RUNS:-3}
which=${1:-all}
work=$(mktemp -d /tmp/newsportal-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT

command -v /usr/bin/time >/dev/null || { echo "GNU time is needed: apt-get install -y time" >&2; exit 1; }
if [ "$which" = all ] || [ "$which" = search ]; then
    command -v wrk >/dev/null || { echo "wrk is needed: apt-get install -y wrk" >&2; exit 1; }
fi

echo "Building (Release)…"
dotnet build NewsPortal.sln --configuration Release --nologo --verbosity quiet >/dev/null
web=src/NewsPortal.Web/bin/Release/net10.0/NewsPortal.Web.dll
corpus_tool=tests/NewsPortal.Corpus/bin/Release/net10.0/NewsPortal.Corpus.dll

# Imports FILE into a fresh store RUNS times; prints the best import time (from the report) and the largest peak memory.
bench_import() {
    local label=$1 file=$2 best="" peak=0
    for run in $(seq "$runs"); do
        rm -f "$work"/bench.db*
        local out
        out=$(ConnectionStrings__NewsPortal="Data Source=$work/bench.db" Serilog__MinimumLevel__Default=Warning \
            /usr/bin/time -f 'maxrss_kb=%M' dotnet "$web" import "$file" 2>&1)
        local seconds rss
        seconds=$(grep -o 'in [0-9.]* s:' <<<"$out" | head -n 1 | tr -dc '0-9.')
        rss=$(grep -o 'maxrss_kb=[0-9]*' <<<"$out" | cut -d= -f2)
        grep -q ' 0 file(s) rejected' <<<"$out" || { echo "$out" >&2; echo "import reported rejections" >&2; exit 1; }
        if [ -z "$best" ] || awk "BEGIN{exit !($seconds < $best)}"; then best=$seconds; fi
        if [ "$rss" -gt "$peak" ]; then peak=$rss; fi
    done
    local count
    if [ -d "$file" ]; then count=$(cat "$file"/*.jsonl | grep -c ''); else count=$(grep -c '' "$file"); fi
    printf '%-34s %8s stories  best %6.2f s  (%6.0f stories/s)  peak RSS %4d MB\n' \
        "$label" "$count" "$best" "$(awk "BEGIN{print $count/$best}")" "$((peak / 1024))"
}

if [ "$which" = all ] || [ "$which" = import ]; then
    echo "Converting the corpus…"
    dotnet "$corpus_tool" "$work/x1" 1 >/dev/null
    dotnet "$corpus_tool" "$work/x4" 4 >/dev/null
    echo
    echo "Import into an empty SQLite store ($runs runs each; the time is the import's own, start-up excluded):"
    bench_import "current events (1x)" "$work/x1/current-events.jsonl"
    mkdir -p "$work/x4-only" && mv "$work"/x4/current-events*.jsonl "$work/x4-only/"
    bench_import "current events (4 files, memory check)" "$work/x4-only"
fi

if [ "$which" = all ] || [ "$which" = search ]; then
    echo
    echo "Search over a store of 100,000+ articles (the current-events items ten times over, titles and URLs varied):"
    dotnet "$corpus_tool" "$work/x10" 10 >/dev/null
    rm -f "$work"/search.db*
    ConnectionStrings__NewsPortal="Data Source=$work/search.db" Serilog__MinimumLevel__Default=Warning \
        dotnet "$web" import "$work/x10" | tail -n 1
    port=$((20000 + RANDOM % 20000))
    ConnectionStrings__NewsPortal="Data Source=$work/search.db" Serilog__MinimumLevel__Default=Warning \
        ASPNETCORE_ENVIRONMENT=Production Portal__SeedOnStartup=false \
        dotnet "$web" --urls "http://127.0.0.1:$port" >"$work/server.log" 2>&1 &
    server=$!
    trap 'kill $server 2>/dev/null; rm -rf "$work"' EXIT
    for _ in $(seq 60); do curl -sf "http://127.0.0.1:$port/search?q=warmup" >/dev/null && break; sleep 0.5; done
    # Warm-up, then one connection issuing requests back to back: the latency a single reader sees.
    wrk -t1 -c1 -d5s -s scripts/search-bench.lua "http://127.0.0.1:$port" >/dev/null
    wrk -t1 -c1 -d20s -s scripts/search-bench.lua "http://127.0.0.1:$port" | grep search_requests
    kill $server
fi
