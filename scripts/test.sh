#!/usr/bin/env bash
# Every test, on a fresh machine: installs what the tests need and the machine lacks (Debian's xmllint for the
# feed schema tests and Chromium for the browser tests; that step needs root), the browser tests' npm packages
# from their lockfile, then runs `dotnet test` with any arguments given (CI adds Release, --no-build and a TRX logger).
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v xmllint >/dev/null || missing+=(libxml2-utils)
# Playwright drives Debian's Chromium and never downloads a browser of its own.
[ -x /usr/bin/chromium ] || missing+=(chromium)
if [ "${#missing[@]}" -gt 0 ]; then
    if [ "$(id -u)" -ne 0 ]; then
        echo "The tests need ${missing[*]}: run as root, or apt-get install -y ${missing[*]}" >&2
        exit 1
    fi
    apt-get update
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ca-certificates "${missing[@]}"
fi

command -v npm >/dev/null || { echo "npm (Node.js) is needed for the browser tests' axe-core" >&2; exit 1; }
npm ci --prefix tests/NewsPortal.BrowserTests --no-audit --no-fund >/dev/null
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
exec dotnet test "$@"
