#!/usr/bin/env bash
# draft-eval.sh measures `parley draft` on the seed article against the seed's hand-coded
# quads: on the whole article with every pattern, with the general patterns only, and by
# 2-fold cross-validation (patterns written looking at one half of the sentences, scored on
# the other half), then times a draft of the seed. It prints a Markdown table.
#
# Usage: bash bench/draft-eval.sh
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
cd "$REPO"
go build -o "$TMP/parley" .
P="$TMP/parley"
ARTICLE=seed/article.txt
GOLD=seed/article.nq
export PARLEY_DB="$TMP/parley.db"

row() { # name, flags...
  local name=$1
  shift
  "$P" draft "$ARTICLE" --published 2025-03 --eval "$GOLD" "$@" |
    awk -F'\t' -v name="$name" '{printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", name, $1, $2, $3, $4, $5, $6, $7, $8, $9}'
}

echo "Written by \`bash bench/draft-eval.sh\` on $(date -u '+%Y-%m-%d %H:%M') UTC; parley $(git rev-parse --short HEAD)."
echo
echo "| measurement | facts | proposed | gold | matched | precision | recall | speaker right | modality right | evidence verbatim |"
echo "|---|---|---|---|---|---|---|---|---|---|"
row "seed, all patterns"
row "seed, general patterns only" --patterns lexicon
row "fold 1: patterns of half A, scored on B" --patterns lexicon,seed-a --half b
row "fold 2: patterns of half B, scored on A" --patterns lexicon,seed-b --half a
echo
"$P" version >/dev/null 2>&1 || true
"$P" draft "$ARTICLE" --source seed --published 2025-03 >/dev/null 2>&1 # create and seed the store first
start=$(date +%s.%N)
for _ in 1 2 3 4 5; do "$P" draft "$ARTICLE" --source seed --published 2025-03 -o "$TMP/sheet.yaml" 2>/dev/null; done
end=$(date +%s.%N)
awk -v s="$start" -v e="$end" 'BEGIN { printf "A whole `parley draft` of the seed article (open the store, read its names, draft, write): %.3f s (mean of 5).\n", (e - s) / 5 }'
go test ./graph/draft -run XXX -bench DraftSeed -benchtime 50x | awk '/^BenchmarkDraftSeed/ { printf "The draft alone (`go test -bench DraftSeed ./graph/draft`): %.1f ms, %d allocations.\n", $3 / 1e6, $7 }'
