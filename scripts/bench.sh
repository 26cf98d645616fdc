#!/usr/bin/env bash
# NewsPortal benchmarks. Numbers go in the README's "Benchmarks" section; they are not tests, and this
# machine is shared and noisy, so each figure is the best of several runs.
#
#   scripts/bench.sh            all benchmarks
#   scripts/bench.sh import     importing the corpus into an empty SQLite store
#
# Needs the shared corpus beside the repository (../shared/corpus) or NEWSPORTAL_CORPUS pointing at it.
set -euo pipefail
cd "$(dirname "$0")/.."

runs=${BENCH_RUNS:-3}
which=${1:-all}
work=$(mktemp -d /tmp/newsportal-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT

command -v /usr/bin/time >/dev/null || { echo "GNU time is needed: apt-get install -y time" >&2; exit 1; }

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
    count=$(grep -c '' "$file")
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
    bench_import "current events (4x, memory check)" "$work/x4/current-events.jsonl"
fi
