#!/usr/bin/env bash
# Runs .ci/run on a fresh clone of the committed main branch, as CI does, so nothing uncommitted hides a failure.
set -euo pipefail
repo=$(git -C "$(dirname "$0")/.." rev-parse --show-toplevel)
work=$(mktemp -d /tmp/newsportal-ci.XXXXXX)
trap 'rm -rf "$work"' EXIT
git clone --quiet "$repo" "$work/NewsPortal"
# Nothing beside the clone: the repository alone must pass (the corpus the tests read is in tests/corpus).
cd "$work/NewsPortal"
CI=true bash .ci/run
