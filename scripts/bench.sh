#!/usr/bin/env bash
# NewsPortal benchmarks. Numbers go in the README's "Benchmarks" section; they are not tests, and this machine is
# shared and noisy, so read them as orders of magnitude and compare runs on the same machine in the same hour.
#
#   scripts/bench.sh            everything below, ending with one table
#   scripts/bench.sh import     a folder of 10,252 snippet files; 1,000,000 JSON Lines stories (time, peak memory)
#   scripts/bench.sh pages      every public page and feed on stores of BENCH_SIZES stories (default 10000 100000
#                               1000000): one reader with the output cache off; at the largest size also 32 readers
#                               with it off and on, against Kestrel serving the same bytes as a static file
#   scripts/bench.sh search     search latency over the largest store, one reader (scripts/search-bench.lua), and
#                               the costliest searches, one reader and four (scripts/search-worst-bench.lua)
#   scripts/bench.sh postgres   pages and search again with the stores on PostgreSQL (BENCH_SIZES defaults to
#                               10000 100000 there): Debian's cluster, a throwaway role and a database per size
#
# Reads the corpus in tests/corpus (or the folder NEWSPORTAL_CORPUS names). Needs GNU time, wrk, curl and
# sqlite3 (apt-get install -y time wrk curl sqlite3). Stores are generated from the corpus by tests/NewsPortal.Corpus
# (titles, slugs and URLs varied, dates spread over the ten years up to the run, the corpus's categories and sources kept).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/stop-and-remove.sh

which=${1:-all}
provider=sqlite
if [ "$which" = postgres ]; then
    provider=postgres
    sizes=(${BENCH_SIZES:-10000 100000})
else
    sizes=(${BENCH_SIZES:-10000 100000 1000000})
fi
seconds=${BENCH_SECONDS:-5}
work=${BENCH_WORK:-$(mktemp -d /tmp/newsportal-bench.XXXXXX)}
mkdir -p "$work"
servers=()
cleanup() {
    stop_and_remove "$([ -n "${BENCH_KEEP:-}" ] || echo "$work")" "${servers[@]}"
}
trap cleanup EXIT

for tool in /usr/bin/time wrk curl sqlite3; do
    command -v "$tool" >/dev/null || { echo "$tool is needed: apt-get install -y time wrk curl sqlite3" >&2; exit 1; }
done

as_postgres() { if [ "$(id -u)" -eq 0 ]; then su postgres -c "$1"; else sh -c "$1"; fi; }
if [ "$provider" = postgres ]; then
    cluster=$(pg_lsclusters --no-header | awk 'NR == 1 { print $1 " " $2 }')
    read -r pg_version pg_name <<<"$cluster"
    pg_ctlcluster "$pg_version" "$pg_name" start 2>/dev/null || true
    pg_port=$(pg_lsclusters --no-header | awk -v v="$pg_version" -v n="$pg_name" '$1 == v && $2 == n { print $3 }')
    as_postgres "psql -Xq -c \"DROP ROLE IF EXISTS newsportal_bench\" -c \"CREATE ROLE newsportal_bench LOGIN CREATEDB PASSWORD 'newsportal_bench'\"" 2>/dev/null \
        || as_postgres "psql -Xq -c \"ALTER ROLE newsportal_bench LOGIN CREATEDB PASSWORD 'newsportal_bench'\""
fi

# The settings that put the site on a store, one a line: a SQLite file, or a PostgreSQL database named after it.
store_settings() {
    if [ "$provider" = postgres ]; then
        echo "Database__Provider=Postgres"
        echo "ConnectionStrings__NewsPortal=Host=127.0.0.1;Port=$pg_port;Username=newsportal_bench;Password=newsportal_bench;Database=$(basename "$1" .db | tr '-' '_')"
    else
        echo "ConnectionStrings__NewsPortal=Data Source=$1"
    fi
}

# One query on a store (SQL with quoted names, which both stores read alike).
query() {
    if [ "$provider" = postgres ]; then
        PGPASSWORD=newsportal_bench psql -XAt -h 127.0.0.1 -p "$pg_port" -U newsportal_bench "$(basename "$1" .db | tr '-' '_')" -c "$2"
    else
        sqlite3 "$1" "$2"
    fi
}

# Whether a store is there already (BENCH_KEEP reuses them).
store_exists() {
    if [ "$provider" = postgres ]; then
        [ "$(as_postgres "psql -XAtc \"SELECT 1 FROM pg_database WHERE datname = '$(basename "$1" .db | tr '-' '_')'\"")" = 1 ]
    else
        [ -f "$1" ]
    fi
}

echo "Publishing (Release, ReadyToRun, as README's Deploying section)…"
source scripts/publish-app.sh
publish_app "$work/app"
dotnet build tests/NewsPortal.Corpus --configuration Release --nologo --verbosity quiet >/dev/null
web="$work/app/NewsPortal.Web.dll"
corpus_tool=tests/NewsPortal.Corpus/bin/Release/net10.0/NewsPortal.Corpus.dll
# The API's per-client limit would otherwise answer most of wrk's requests with 429.
export Serilog__MinimumLevel__Default=Warning ASPNETCORE_ENVIRONMENT=Production Portal__SeedOnStartup=false Api__RequestsPerMinute=100000000

# A plain Kestrel app serving a folder as static files: the ceiling each page is measured against.
static_server() {
    mkdir -p "$work/static-server"
    cat >"$work/static-server/static-server.csproj" <<'EOF'
<Project Sdk="Microsoft.NET.Sdk.Web">
  <PropertyGroup><TargetFramework>net10.0</TargetFramework><ImplicitUsings>enable</ImplicitUsings><ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally></PropertyGroup>
</Project>
EOF
    cat >"$work/static-server/Program.cs" <<'EOF'
using Microsoft.Extensions.FileProviders;
var app = WebApplication.CreateBuilder(args).Build();
app.UseStaticFiles(new StaticFileOptions { FileProvider = new PhysicalFileProvider(Environment.GetEnvironmentVariable("STATIC_ROOT")!), ServeUnknownFileTypes = true, DefaultContentType = "text/html" });
app.Run();
EOF
    cp Directory.Build.props "$work/static-server/" 2>/dev/null || true
    (cd "$work/static-server" && dotnet build --configuration Release --nologo --verbosity quiet -o out >/dev/null)
}

# Starts the site on a store; leaves the seconds from process start to its first 200 in $startup and the pid in $server.
start_site() {
    local db=$1 port=$2; shift 2
    local started
    started=$(date +%s.%N)
    local settings
    mapfile -t settings < <(store_settings "$db")
    env "${settings[@]}" Portal__PublicBaseUrl="http://127.0.0.1:$port" "$@" dotnet "$web" --urls "http://127.0.0.1:$port" >>"$work/site.log" 2>&1 &
    server=$!
    servers+=("$server")
    until curl -sf -o /dev/null "http://127.0.0.1:$port/"; do sleep 0.02; done
    startup=$(awk "BEGIN{printf \"%.2f\", $(date +%s.%N) - $started}")
}

stop_site() {
    kill "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
}

# wrk summary for one URL: "requests_per_second p50_ms p99_ms".
measure() {
    local url=$1 connections=$2 threads=1 out
    [ "$connections" -gt 1 ] && threads=2
    wrk -t"$threads" -c"$connections" -d1s "$url" >/dev/null 2>&1 || true
    out=$(wrk -t"$threads" -c"$connections" -d"${seconds}s" --latency "$url" 2>&1)
    local rps p50 p99
    rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
    p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
    p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
    echo "$rps $(to_ms "$p50") $(to_ms "$p99")"
}

to_ms() {
    awk -v v="$1" 'BEGIN {
        if (v ~ /us$/) { sub(/us$/, "", v); printf "%.2f", v / 1000 }
        else if (v ~ /ms$/) { sub(/ms$/, "", v); printf "%.2f", v }
        else if (v ~ /s$/) { sub(/s$/, "", v); printf "%.2f", v * 1000 }
        else printf "%s", v }'
}

# The store of N stories: generated, imported (timed), its bodies rendered by the site in the background.
store() {
    local size=$1 db="$work/store-$1.db" settings
    [ "$provider" = postgres ] && db="$work/pg-store-$1.db"
    if ! store_exists "$db"; then
        if [ "$provider" = postgres ]; then
            as_postgres "psql -Xqc 'CREATE DATABASE $(basename "$db" .db | tr '-' '_') OWNER newsportal_bench'"
        fi
        mapfile -t settings < <(store_settings "$db")
        dotnet "$corpus_tool" store "$work/input-$size" "$size" >/dev/null
        /usr/bin/time -f 'maxrss_kb=%M' -o "$work/import-$provider-$size.time" \
            env "${settings[@]}" dotnet "$web" import "$work/input-$size" >"$work/import-$provider-$size.log" || true
        rm -rf "$work/input-$size"
    fi
    echo "$db"
}

# The pages measured, with real slugs and positions from the store: "name path". The last two read nothing from the
# store, the floors the others stand on: "about" is a Razor page in the site's layout, "health-live" a line of text
# through the same middleware.
pages_of() {
    local db=$1 size=$2 half deep article category source thread month api_cursor
    half=$((size / 2))
    deep=$(query "$db" 'SELECT "SortKey" || '"'.'"' || "Id" FROM "Articles" WHERE "Listed" = true ORDER BY "SortKey" DESC, "Id" DESC LIMIT 1 OFFSET '"$half")
    article=$(query "$db" 'SELECT "Slug" FROM "Articles" WHERE "Listed" = true ORDER BY "SortKey" DESC, "Id" DESC LIMIT 1 OFFSET '"$half")
    category=$(query "$db" 'SELECT "Slug" FROM "Categories" ORDER BY "ArticleCount" DESC LIMIT 1')
    source=$(query "$db" 'SELECT "Slug" FROM "Sources" ORDER BY "ArticleCount" DESC LIMIT 1')
    thread=$(query "$db" 'SELECT "Slug" FROM "Threads" ORDER BY "ArticleCount" DESC LIMIT 1')
    month=$(query "$db" 'SELECT replace(substr("Key", 7), '"'-', '/'"') FROM "ListingCounts" WHERE "Key" LIKE '"'month:%'"' ORDER BY "ArticleCount" DESC LIMIT 1')
    api_cursor=$(printf '%s' "$deep" | base64 -w0 | tr '+/' '-_' | tr -d '=')
    cat <<EOF
home /
home-deep /?before=$deep
article /articles/$article
category /categories/$category
category-deep /categories/$category?before=$deep
source /sources/$source
threads /threads
thread /threads/$thread
thread-feed /threads/$thread/feed.atom
languages /languages
language /languages/en
month /archive/$month
search /search?q=ceasefire
search-miss /search?q=zelenksy
feed-atom /feed.atom
feed-rss /feed.rss
feed-json /feed.json
category-feed /categories/$category/feed.atom
sitemap-index /sitemap.xml
sitemap-articles /sitemaps/articles-1.xml
sitemap-threads /sitemaps/threads-1.xml
sitemap-pages /sitemaps/pages.xml
news-sitemap /sitemaps/news.xml
api-list /api/v1/articles
api-cursor /api/v1/articles?cursor=$api_cursor
api-article /api/v1/articles/$article
about /about
health-live /health/live
EOF
}

bench_import() {
    echo
    echo "Import"
    dotnet "$corpus_tool" snippets "$work/snippets" >/dev/null
    rm -f "$work"/folder.db*
    /usr/bin/time -f 'maxrss_kb=%M' -o "$work/folder.time" \
        env ConnectionStrings__NewsPortal="Data Source=$work/folder.db" dotnet "$web" import "$work/snippets" >"$work/folder.log" || true
    printf '  folder of %s snippet files: %s, peak RSS %s MB\n' "$(ls "$work/snippets" | wc -l)" \
        "$(grep -o 'in [0-9.]* s' "$work/folder.log" | sed -n 1p)" "$(( $(grep -o '[0-9]*' "$work/folder.time" | tail -n 1) / 1024 ))"
    local big=${sizes[-1]} kept=""
    store_exists "$work/store-$big.db" && kept=" (timed when the kept store was made, $(date -r "$work/import-$provider-$big.log" '+%Y-%m-%d %H:%M' 2>/dev/null))"
    store "$big" >/dev/null
    if [ ! -f "$work/import-$provider-$big.log" ]; then
        echo "  $big JSON Lines stories: the store was kept from a run before its import was logged (remove it to time one)"
        return
    fi
    printf '  %s JSON Lines stories (%s files): %s, peak RSS %s MB%s\n' "$big" "$(grep -o '^[0-9]* file' "$work/import-$provider-$big.log" | cut -d' ' -f1)" \
        "$(grep -o 'in [0-9.]* s' "$work/import-$provider-$big.log" | sed -n 1p)" "$(( $(grep -o '[0-9]*' "$work/import-$provider-$big.time" | tail -n 1) / 1024 ))" "$kept"
}

bench_pages() {
    local port=$((20000 + RANDOM % 12000)) big=${sizes[-1]}
    declare -A latency p99_one
    echo
    for size in "${sizes[@]}"; do
        local db
        db=$(store "$size")
        start_site "$db" "$port" Cache__Enabled=false
        # Bodies of imported stories are rendered in the background; measure once the store has settled.
        until [ "$(query "$db" 'SELECT count(*) FROM (SELECT 1 FROM "Articles" WHERE "BodyHtml" IS NULL LIMIT 1) u')" = 0 ]; do sleep 2; done
        echo "$size stories: first 200 after ${startup} s from process start; one reader, output cache off"
        while read -r name path; do
            read -r _ p50 p99 < <(measure "http://127.0.0.1:$port$path" 1)
            latency["$name,$size"]=$p50
            p99_one["$name,$size"]=$p99
        done < <(pages_of "$db" "$size")
        if [ "$size" = "$big" ]; then
            declare -A uncached cached static
            while read -r name path; do
                read -r rps _ p99 < <(measure "http://127.0.0.1:$port$path" 32)
                uncached["$name"]="$rps $p99"
            done < <(pages_of "$db" "$size")
            stop_site
            start_site "$db" "$port"
            static_server
            mkdir -p "$work/static"
            while read -r name path; do
                curl -sf -o "$work/static/$name" "http://127.0.0.1:$port$path"
            done < <(pages_of "$db" "$size")
            local static_port=$((port + 1)) site=$server
            # Quiet, as the site is in the benchmark: a line logged per request would lower the ceiling.
            Logging__LogLevel__Default=Warning STATIC_ROOT="$work/static" ASPNETCORE_URLS="http://127.0.0.1:$static_port" dotnet "$work/static-server/out/static-server.dll" >/dev/null 2>&1 &
            server=$!
            servers+=("$server")
            until curl -sf -o /dev/null "http://127.0.0.1:$static_port/home"; do sleep 0.05; done
            # Both servers up at once, both warmed past the JIT's tiering, and each page measured on the site and as
            # a static file in turn, three times, keeping the median of each: this shared machine's speed shifts from
            # minute to minute (at times by half), and a ratio of two runs minutes apart measured the hour as much as
            # the server.
            wrk -t2 -c32 -d5s "http://127.0.0.1:$port/" >/dev/null 2>&1 || true
            wrk -t2 -c32 -d5s "http://127.0.0.1:$static_port/home" >/dev/null 2>&1 || true
            while read -r name path; do
                local site_runs=() static_runs=()
                for _ in 1 2 3; do
                    site_runs+=("$(measure "http://127.0.0.1:$port$path" 32)")
                    static_runs+=("$(measure "http://127.0.0.1:$static_port/$name" 32)")
                done
                read -r rps _ p99 < <(printf '%s\n' "${site_runs[@]}" | sort -g | sed -n 2p)
                cached["$name"]="$rps $p99"
                read -r rps _ _ < <(printf '%s\n' "${static_runs[@]}" | sort -g | sed -n 2p)
                static["$name"]=$rps
            done < <(pages_of "$db" "$size")
            stop_site
            server=$site
            local rss
            rss=$(( $(ps -o rss= -p "$server") / 1024 ))
            stop_site
        else
            stop_site
        fi
    done

    echo
    printf '| page | bytes |'
    for size in "${sizes[@]}"; do printf ' %s: one reader (p50 ms) |' "$size"; done
    printf ' %s / %s | %s, 32 readers, cache off (req/s, %% of static, p99 ms) | cache on (req/s, %% of static, p99 ms) | static file (req/s) |\n' "${sizes[-1]}" "${sizes[0]}" "$big"
    printf '|---|---:|'
    for _ in "${sizes[@]}"; do printf -- '---:|'; done
    printf -- '---:|---:|---:|---:|\n'
    while read -r name _; do
        printf '| %s | %s |' "$name" "$(stat -c %s "$work/static/$name")"
        for size in "${sizes[@]}"; do printf ' %s |' "${latency[$name,$size]}"; done
        local ratio
        ratio=$(awk -v a="${latency[$name,${sizes[-1]}]}" -v b="${latency[$name,${sizes[0]}]}" 'BEGIN{printf "%.2f", a / b}')
        read -r u_rps u_p99 <<<"${uncached[$name]}"
        read -r c_rps c_p99 <<<"${cached[$name]}"
        printf ' %sx | %.0f, %.0f%%, %s | %.0f, %.0f%%, %s | %.0f |\n' "$ratio" \
            "$u_rps" "$(awk -v a="$u_rps" -v b="${static[$name]}" 'BEGIN{print 100 * a / b}')" "$u_p99" \
            "$c_rps" "$(awk -v a="$c_rps" -v b="${static[$name]}" 'BEGIN{print 100 * a / b}')" "$c_p99" "${static[$name]}"
    done < <(pages_of "$(store "$big")" "$big")
    echo
    echo "RSS of the site after the benchmark (output cache on, ${big} stories): ${rss} MB"
}

bench_search() {
    local big=${sizes[-1]} port=$((20000 + RANDOM % 12000))
    local db
    db=$(store "$big")
    start_site "$db" "$port" Cache__Enabled=false
    echo
    echo "Search over $big stories, one reader, output cache off ($seconds s of scripts/search-bench.lua):"
    wrk -t1 -c1 -d2s -s scripts/search-bench.lua "http://127.0.0.1:$port" >/dev/null
    wrk -t1 -c1 -d"${seconds}s" -s scripts/search-bench.lua "http://127.0.0.1:$port" | grep search_requests
    echo "The costliest searches (scripts/search-worst-bench.lua), each stopped at Portal:SearchTimeoutSeconds, one reader and 4:"
    for connections in 1 4; do
        wrk -t1 -c"$connections" -d"$((seconds * 2))s" --timeout 20s -s scripts/search-worst-bench.lua "http://127.0.0.1:$port" | grep worst_search_requests
    done
    stop_site
}

case "$which" in
    import) bench_import ;;
    pages) bench_pages ;;
    search) bench_search ;;
    all) bench_import; bench_pages; bench_search ;;
    postgres) bench_pages; bench_search; for size in "${sizes[@]}"; do
            printf 'Import of %s JSON Lines stories into PostgreSQL: %s\n' "$size" "$(grep -o 'in [0-9.]* s' "$work/import-postgres-$size.log" 2>/dev/null | sed -n 1p)"; done ;;
    *) echo "usage: scripts/bench.sh [all|import|pages|search|postgres]" >&2; exit 2 ;;
esac
