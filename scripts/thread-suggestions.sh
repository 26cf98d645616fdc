#!/usr/bin/env bash
# Measures the editor's developing-story suggestion against the corpus's own topics (held-out days) and prints its
# precision and recall: the figures in the README's "Developing stories". Needs ../shared/corpus (or CORPUS=path).
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=${CORPUS:-../shared/corpus/current-events.jsonl}
[ -f "$corpus" ] || { echo "No corpus at $corpus: set CORPUS to current-events.jsonl" >&2; exit 1; }
NEWSPORTAL_CORPUS=$(realpath "$corpus") dotnet test tests/NewsPortal.Tests --configuration Release \
    --filter "FullyQualifiedName~ThreadSuggestionQualityTests" --logger "console;verbosity=detailed" | grep -E "thread suggestions:|Passed!|Failed!"
