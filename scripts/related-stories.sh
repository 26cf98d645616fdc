#!/usr/bin/env bash
# Measures related stories on the corpus (the repository's copy, or the folder NEWSPORTAL_CORPUS names): of the related
# stories shown on 400 pages of stories in a developing story, how many are in the same one, and how far apart in time
# they are. The figures in the README (its "Search engines and link previews"). About a minute. NEWSPORTAL_MEASURE_SEED
# (7 by default) draws another 400.
set -euo pipefail
cd "$(dirname "$0")/.."
NEWSPORTAL_MEASURE=related-stories dotnet test tests/NewsPortal.Tests --configuration Release \
    --filter "FullyQualifiedName~RelatedStoryQualityTests" --logger "console;verbosity=detailed" | grep -E "^ related stories:|Test Run|Assert"
