#!/usr/bin/env bash
# sameoutput.sh checks that two builds of parley answer alike: it builds parley at a git
# revision (default: HEAD) and from the work tree, runs the same commands with both on the
# seeded store and on Cayley's 30k-movie data, and diffs stdout, stderr and exit status.
# It is the before/after check of a change meant to alter no behaviour (a refactor).
#
# Usage: bash bench/sameoutput.sh [REV] [--no-movies]
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
REV=HEAD
MOVIES=1
for a in "$@"; do
  case $a in
  --no-movies) MOVIES= ;;
  *) REV=$a ;;
  esac
done

say() { echo "sameoutput.sh: $*" >&2; }
WORK=$(mktemp -d) # KEEP=1 keeps it, with every output, for a look
if [ -n "${KEEP:-}" ]; then say "keeping $WORK"; else trap 'rm -rf "$WORK"' EXIT; fi

say "building $REV and the work tree"
git -C "$REPO" worktree add -q --detach "$WORK/before-src" "$REV"
(cd "$WORK/before-src" && go build -o "$WORK/before" .)
git -C "$REPO" worktree remove --force "$WORK/before-src"
(cd "$REPO" && go build -o "$WORK/after" .)

# Commands on the seeded store: every command that answers, in table, TSV and JSON forms.
SEED_CMDS=(
  "match Putin demands _ --why"
  "match _ _ peacekeepers"
  "match _ rejects _ -o json"
  "match _ 'demanded by' _"
  "describe Zaporizhzhia --why"
  "describe Russia -o json"
  "describe Kallas"
  "query 'g.V(\"<putin>\").Out(\"<demands>\").All()'"
  "query -o json 'g.V(\"<putin>\").Out(\"<demands>\").All()'"
  "query --lang graphql '{nodes(id:\"<putin>\"){id}}'"
  "stats"
  "stats -o json"
  "sources"
  "sources -o json"
  "schema"
  "schema -o json"
  "stance Putin"
  "stance Rubio -o json"
  "stance Russia --direct"
  "conflicts"
  "conflicts -o json"
  "common-ground"
  "common-ground -o json"
  "alignment"
  "alignment --people -o json"
  "brokers"
  "brokers --sides -o json"
  "why Russia rejects peacekeepers"
  "why Putin demands _ -o json"
  "path Kallas Zelensky"
  "path Kallas Zelensky --all -o json"
  "neighbors Zaporizhzhia --depth 2"
  "neighbors Putin -o json"
  "export"
  "export --format jsonld"
  "export --format json --around Putin --depth 1"
  "export --format dot --around Zaporizhzhia"
  "export --format graphml --type Position"
  "export --format gml --source src-trump-putin-call"
  "export --format csv --predicate demands"
  "export --format mermaid --around Kallas"
  "export --format svg --around Kallas"
  "export --expand --query 'g.V(\"<putin>\").Out().All()'"
  "match Nobody demands _"
  "describe Moscow"
  "path Putin Nobody"
)
MOVIE_CMDS=(
  "stats"
  "match _ '</film/performance/actor>' _ -o json"
  "describe _:100000"
  "query 'g.V(\"</en/casablanca_1942>\").Out().All()'"
  "export --around _:100000 --depth 1"
  "neighbors _:100000"
)

run_all() { # bin db list: runs each command of the list on the store db, in the store's folder
  local bin=$1 db=$2 list=$3
  local -n cmds=$list
  for c in "${cmds[@]}"; do
    echo "### parley $c"
    eval "set -- $c"
    (cd "$(dirname "$db")" && "$bin" --db "$(basename "$db")" "$@" 2>&1) && echo "[exit 0]" || echo "[exit $?]"
  done
}

status=0
for side in before after; do
  mkdir -p "$WORK/$side.d"
  "$WORK/$side" --db "$WORK/$side.d/seed.db" init >/dev/null 2>&1
  run_all "$WORK/$side" "$WORK/$side.d/seed.db" SEED_CMDS >"$WORK/$side-seed.out"
done
if diff -u "$WORK/before-seed.out" "$WORK/after-seed.out"; then
  say "seed: ${#SEED_CMDS[@]} commands, the same output"
else
  say "seed: outputs differ"
  status=1
fi

if [ -n "$MOVIES" ]; then
  DATA=$(cd "$REPO" && go list -m -f '{{.Dir}}' github.com/cayleygraph/cayley)/data/30kmoviedata.nq.gz
  for side in before after; do
    "$WORK/$side" --db "$WORK/$side.d/movies.db" init --no-seed >/dev/null 2>&1
    { "$WORK/$side" --db "$WORK/$side.d/movies.db" load --allow-unknown "$DATA" 2>&1 | sed -E 's/ in [0-9.]+[mµ]?s//' && echo "[exit 0]"; } >"$WORK/$side-movies.out"
    run_all "$WORK/$side" "$WORK/$side.d/movies.db" MOVIE_CMDS >>"$WORK/$side-movies.out"
  done
  if diff -u "$WORK/before-movies.out" "$WORK/after-movies.out"; then
    say "movies: load and ${#MOVIE_CMDS[@]} commands, the same output"
  else
    say "movies: outputs differ"
    status=1
  fi
fi
exit $status
