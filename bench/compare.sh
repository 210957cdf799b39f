#!/usr/bin/env bash
# compare.sh measures parley against Cayley's own CLI, whole processes on the same data in
# one run: loads (time and peak RSS), the parse-only floor, a 10x larger file, open + one
# question, a 2-hop Gizmo query, a full dump, and PostgreSQL bulk against row-by-row loads.
# It prints a table of ratios (parley/Cayley) against issue 4's goals and writes the same
# to bench/RESULTS.md. A manual tool: CI does not run it.
#
# Usage: bash bench/compare.sh [--build-only]
#
# The first run builds Cayley's CLI at the version go.mod pins (a throwaway module under
# the cache; a few minutes) and synthesises the 10x file; later runs reuse both.
#   PARLEY_BENCH_CACHE        cache directory (default ~/.cache/parley-bench)
#   PARLEY_BENCH_NO_POSTGRES  set: skip PostgreSQL (starting its throwaway server needs root)
#   PARLEY_BENCH_PG_QUADS     quads of the movie data loaded into PostgreSQL (default 50000)
#   PARLEY_BENCH_REPS         runs of each short command; the median counts (default 7)
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
CACHE=${PARLEY_BENCH_CACHE:-$HOME/.cache/parley-bench}
PG_QUADS=${PARLEY_BENCH_PG_QUADS:-50000}
REPS=${PARLEY_BENCH_REPS:-7}
SCALE=10
START=$EPOCHREALTIME

say() { echo "compare.sh: $*" >&2; }
die() {
  say "$*"
  exit 1
}

[ -x /usr/bin/time ] || die "needs GNU time at /usr/bin/time (apt-get install time)"
command -v go >/dev/null || die "needs Go"

cd "$REPO"
go mod download github.com/cayleygraph/cayley github.com/cayleygraph/quad
PIN=$(go list -m -f '{{.Version}}' github.com/cayleygraph/cayley)
QUAD_PIN=$(go list -m -f '{{.Version}}' github.com/cayleygraph/quad)
CAYLEY_DIR=$(go list -m -f '{{.Dir}}' github.com/cayleygraph/cayley)
DATA=$CAYLEY_DIR/data/30kmoviedata.nq.gz
MOD=$CACHE/cayley-$PIN # the throwaway module: Cayley's CLI, nqtool, the 10x file
CAYLEY=$MOD/cayley
NQTOOL=$MOD/nqtool-bin
BIGFILE=$MOD/movies-x$SCALE.nq.gz
PARLEY=$CACHE/parley

# --- build ----------------------------------------------------------------------------

build_cayley() {
  [ -x "$CAYLEY" ] && return
  say "building Cayley's CLI $PIN in $MOD (once; a few minutes)"
  mkdir -p "$MOD"
  {
    printf 'module parleybench\n\ngo 1.22\n\nrequire (\n\tgithub.com/cayleygraph/cayley %s\n\tgithub.com/cayleygraph/quad %s\n)\n\n' "$PIN" "$QUAD_PIN"
    # `go install cayley@version` refuses a module with replace directives: copy them.
    awk '/^replace \(/ {b = 1; print; next} b {print; if ($0 ~ /^\)/) b = 0; next} /^replace / {print}' "$CAYLEY_DIR/go.mod"
  } >"$MOD/go.mod"
  (cd "$MOD" && go get "github.com/cayleygraph/cayley/cmd/cayley@$PIN" "github.com/cayleygraph/quad@$QUAD_PIN" &&
    CGO_ENABLED=0 go build -o "$CAYLEY.tmp" github.com/cayleygraph/cayley/cmd/cayley && mv "$CAYLEY.tmp" "$CAYLEY")
}

build_nqtool() {
  mkdir -p "$MOD/nqtool"
  local src=$MOD/nqtool/main.go
  sed '/^\/\/go:build ignore$/d' "$REPO/bench/nqtool.go" >"$src.new"
  if [ -x "$NQTOOL" ] && cmp -s "$src.new" "$src"; then
    rm "$src.new"
    return
  fi
  mv "$src.new" "$src"
  (cd "$MOD" && go build -o "$NQTOOL" ./nqtool)
}

build_cayley
build_nqtool
say "building parley from $REPO"
go build -o "$PARLEY" .
if [ ! -s "$BIGFILE" ]; then
  say "synthesising the ${SCALE}x file $BIGFILE (once)"
  "$NQTOOL" synth "$DATA" "$SCALE" "$BIGFILE"
fi
[ "${1:-}" = "--build-only" ] && exit 0

# --- measuring ------------------------------------------------------------------------

WORK=$(mktemp -d "${TMPDIR:-/tmp}/parley-bench.XXXXXX")
PGDATA_DIR=
cleanup() {
  if [ -n "$PGDATA_DIR" ]; then bash "$REPO/.ci/postgres.sh" stop "$PGDATA_DIR" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

declare -A SEC RSS # median wall seconds and largest peak RSS (KB) of each measurement

# timed NAME REPS CMD...: runs CMD REPS times, stdout to $WORK/NAME.out, stderr to
# $WORK/NAME.err; records the median wall time and the largest peak RSS.
timed() {
  local name=$1 reps=$2 i t0 t1 rss max=0
  shift 2
  local walls=()
  for ((i = 0; i < reps; i++)); do
    t0=$EPOCHREALTIME
    if ! /usr/bin/time -f '%M' -o "$WORK/$name.rss" "$@" >"$WORK/$name.out" 2>"$WORK/$name.err"; then
      say "$name failed: $*"
      tail -n 5 "$WORK/$name.err" >&2
      exit 1
    fi
    t1=$EPOCHREALTIME
    walls+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.4f", b - a }')")
    rss=$(tail -n 1 "$WORK/$name.rss")
    if ((rss > max)); then max=$rss; fi
  done
  SEC[$name]=$(printf '%s\n' "${walls[@]}" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }')
  RSS[$name]=$max
  say "$(printf '%-22s %9.3f s %8d MB' "$name" "${SEC[$name]}" $((max / 1024)))"
}

# quick NAME CMD...: a short command, run once to warm the page cache, then REPS times; a
# command that takes over 2 s is not short: its first run counts.
quick() {
  local name=$1
  shift
  timed "$name" 1 "$@"
  if awk -v x="${SEC[$name]}" 'BEGIN { exit !(x < 2) }'; then
    timed "$name" "$REPS" "$@"
  fi
}

P30=$WORK/movies.db        # parley, the movie data
P10=$WORK/movies-x10.db    # parley, the 10x file, then the seed
PSEED=$WORK/seed.db        # parley, the seed
C30=$WORK/cayley-bolt      # Cayley, the movie data
C500=$WORK/cayley-bolt-500 # Cayley, the movie data, --batch 500

say "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
say "parse-only floor"
quick gunzip gzip -dc "$DATA"
quick floor "$NQTOOL" count "$DATA"
QUADS=$(cat "$WORK/floor.out")

say "loading the movie data ($QUADS quads)"
timed cayley_load 1 "$CAYLEY" load --init -d bolt -a "$C30" -i "$DATA"
timed cayley_load500 1 "$CAYLEY" load --init -d bolt -a "$C500" -i "$DATA" --batch 500
rm -rf "$C500"
timed cayley_mem 1 "$CAYLEY" load -d memstore -i "$DATA"
"$PARLEY" --db "$P30" init --no-seed 2>/dev/null
timed parley_load 1 "$PARLEY" --db "$P30" load --allow-unknown "$DATA"
grep -q "$QUADS quads read, $QUADS added" "$WORK/parley_load.err" || die "parley load: $(cat "$WORK/parley_load.err")"

say "loading the ${SCALE}x file"
"$PARLEY" --db "$P10" init --no-seed 2>/dev/null
timed parley_load10 1 "$PARLEY" --db "$P10" load --allow-unknown "$BIGFILE"
grep -q "$((QUADS * SCALE)) added" "$WORK/parley_load10.err" || die "parley load: $(cat "$WORK/parley_load10.err")"
"$PARLEY" --db "$P10" load "$REPO/seed/article.nq" 2>/dev/null # the same questions as on the seed
"$PARLEY" --db "$PSEED" init 2>/dev/null

say "start-up, and open + one question"
quick cayley_version "$CAYLEY" version
quick parley_version "$PARLEY" version
FILM='</en/blade_runner>'
quick cayley_query1 "$CAYLEY" query -d bolt -a "$C30" --lang gizmo "g.V(\"$FILM\").Out().All()"
printf '{"store": {"backend": "bolt", "address": "%s", "options": {"no_bloom": true}}}\n' "$C30" >"$WORK/nobloom.json"
quick cayley_query1_nobloom "$CAYLEY" -c "$WORK/nobloom.json" query --lang gizmo "g.V(\"$FILM\").Out().All()"
quick parley_query1 "$PARLEY" --db "$P30" query "g.V(\"$FILM\").Out().All()"
quick parley_match30 "$PARLEY" --db "$P30" match "$FILM" _ _
for store in seed x10; do
  db=$PSEED
  [ "$store" = x10 ] && db=$P10
  quick "parley_match_$store" "$PARLEY" --db "$db" match Putin demands _
  quick "parley_describe_$store" "$PARLEY" --db "$db" describe Zaporizhzhia
  quick "parley_conflicts_$store" "$PARLEY" --db "$db" conflicts
  quick "parley_neighbors_$store" "$PARLEY" --db "$db" neighbors Zaporizhzhia --depth 2
  quick "parley_path_$store" "$PARLEY" --db "$db" path Putin Zelensky --all
done
for q in match describe conflicts neighbors path; do
  cmp -s "$WORK/parley_${q}_seed.out" "$WORK/parley_${q}_x10.out" || die "$q differs on the seed and the ${SCALE}x store"
done

# ids prints the sorted "id" values of Cayley's JSON results (Cayley's CLI, which escapes
# < > & as \u003c \u003e \u0026, or parley -o json).
ids() { grep -o '"id": *"[^"]*"' "$1" | sed 's/"id": *//; s/\\u003c/</g; s/\\u003e/>/g; s/\\u0026/\&/g' | sort; }

say "a 2-hop Gizmo query"
TWOHOP="g.V(\"$FILM\").Out(\"</film/film/starring>\").Out(\"</film/performance/actor>\").All()"
quick cayley_query2 "$CAYLEY" query -d bolt -a "$C30" --lang gizmo -n 1000 "$TWOHOP"
quick parley_query2 "$PARLEY" --db "$P30" query -o json --limit 1000 "$TWOHOP"
[ -n "$(ids "$WORK/cayley_query2.out")" ] && [ "$(ids "$WORK/cayley_query2.out")" = "$(ids "$WORK/parley_query2.out")" ] ||
  die "the 2-hop query answers differently: $(ids "$WORK/cayley_query2.out" | wc -l) ids from Cayley, $(ids "$WORK/parley_query2.out" | wc -l) from parley"
# parley writes Cayley's own layout: Cayley's CLI, on a copy of parley's store (its bolt
# backend wants a directory holding indexes.bolt), answers as on its own.
mkdir -p "$WORK/parley-as-cayley"
cp "$P30" "$WORK/parley-as-cayley/indexes.bolt"
"$CAYLEY" query -d bolt -a "$WORK/parley-as-cayley" --lang gizmo -n 1000 "$TWOHOP" >"$WORK/cayley_on_parley.out" 2>/dev/null
[ "$(ids "$WORK/cayley_query2.out")" = "$(ids "$WORK/cayley_on_parley.out")" ] ||
  die "Cayley's CLI answers the 2-hop query differently on parley's store"
rm -rf "$WORK/parley-as-cayley"

say "a full dump"
timed cayley_dump 1 "$CAYLEY" dump -d bolt -a "$C30" -o - --dump_format nquads
timed parley_export 1 "$PARLEY" --db "$P30" export --format nquads
[ "$(wc -l <"$WORK/cayley_dump.out")" = "$(wc -l <"$WORK/parley_export.out")" ] || die "the dump and the export differ in length"
rm -f "$WORK"/*dump.out "$WORK"/*export.out "$C30"/* "$P30"

PG_NOTE=
PG_SAME=
if [ -n "${PARLEY_BENCH_NO_POSTGRES:-}" ]; then
  PG_NOTE="PostgreSQL skipped (PARLEY_BENCH_NO_POSTGRES)."
elif ! pgenv=$(bash "$REPO/.ci/postgres.sh" start 2>"$WORK/pg.err"); then
  PG_NOTE="PostgreSQL skipped: .ci/postgres.sh could not start a server ($(tail -n 1 "$WORK/pg.err"))."
else
  eval "$pgenv" # PARLEY_TEST_POSTGRES, PGDATA_DIR
  say "PostgreSQL: the first $PG_QUADS quads of the movie data"
  { gzip -dc "$DATA" || true; } | head -n "$PG_QUADS" >"$WORK/movies-head.nq"
  psql -q "$PARLEY_TEST_POSTGRES" -c 'CREATE DATABASE bench_parley' -c 'CREATE DATABASE bench_cayley'
  PG_P=${PARLEY_TEST_POSTGRES/\/parley_test\?//bench_parley?}
  PG_C=${PARLEY_TEST_POSTGRES/\/parley_test\?//bench_cayley?}
  "$PARLEY" --backend postgres --address "$PG_P" init --no-seed 2>/dev/null
  timed parley_pg 1 "$PARLEY" --backend postgres --address "$PG_P" load --allow-unknown "$WORK/movies-head.nq"
  timed cayley_pg 1 "$CAYLEY" load --init -d postgres -a "$PG_C" -i "$WORK/movies-head.nq"
  # Cayley's own reader on both databases: characters Johnny Depp played (two hops, literals).
  Q='g.V("</en/johnny_depp>").In("</film/performance/actor>").Out("</film/performance/character>").All()'
  "$CAYLEY" query -d postgres -a "$PG_P" -n 10000 "$Q" >"$WORK/pg_answer_parley" 2>/dev/null
  "$CAYLEY" query -d postgres -a "$PG_C" -n 10000 "$Q" >"$WORK/pg_answer_cayley" 2>/dev/null
  n=$(ids "$WORK/pg_answer_cayley" | wc -l)
  if [ "$n" -gt 0 ] && [ "$(ids "$WORK/pg_answer_parley")" = "$(ids "$WORK/pg_answer_cayley")" ]; then
    PG_SAME="yes ($n results)"
  else
    PG_SAME="NO ($(ids "$WORK/pg_answer_parley" | wc -l) against $n results)"
  fi
  PG_NOTE="PostgreSQL: the first $PG_QUADS quads of the movie data (Cayley's row-by-row load of all of it would take minutes), a throwaway server from .ci/postgres.sh (fsync off)."
fi

# --- report ---------------------------------------------------------------------------

# ratio A B: A/B, rounded for the table.
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { r = a / b; printf (r < 10 ? "%.2f" : "%.0f"), r }'; }
# fits A B LIMIT: "yes" when A/B (unrounded) is at most LIMIT, else "**no**".
fits() { awk -v a="$1" -v b="$2" -v l="$3" 'BEGIN { print (a / b <= l) ? "yes" : "**no**" }'; }
s() { awk -v x="${SEC[$1]}" 'BEGIN { printf (x < 1 ? "%.3f s" : (x < 10 ? "%.2f s" : "%.1f s")), x }'; }
mb() { echo "$((RSS[$1] / 1024)) MB"; }

ROWS=()
# row WHAT PARLEY OTHER A B [LIMIT GOAL]: a table row with the ratio A/B, and whether it is
# at most LIMIT when a goal is given.
row() {
  local met=
  [ -z "${6:-}" ] || met=$(fits "$4" "$5" "$6")
  ROWS+=("| $1 | $2 | $3 | $(ratio "$4" "$5") | ${7:-} | $met |")
}

row "load 30k movies, bolt: time" "$(s parley_load)" "$(s cayley_load) (\`load --init -d bolt\`)" \
  "${SEC[parley_load]}" "${SEC[cayley_load]}" 0.25 "≤ 0.25 (4× faster)"
row "load 30k movies, bolt: peak RSS" "$(mb parley_load)" "$(mb cayley_load)" \
  "${RSS[parley_load]}" "${RSS[cayley_load]}" 1 "≤ 1"
row "load 30k movies, against Cayley \`--batch 500\`" "$(s parley_load)" "$(s cayley_load500), $(mb cayley_load500)" \
  "${SEC[parley_load]}" "${SEC[cayley_load500]}"
row "load 30k movies, against Cayley memstore" "$(s parley_load)" "$(s cayley_mem), $(mb cayley_mem)" \
  "${SEC[parley_load]}" "${SEC[cayley_mem]}"
row "load 30k movies, against the parse-only floor" "$(s parley_load)" "$(s floor) (gunzip + decode; gunzip alone $(s gunzip))" \
  "${SEC[parley_load]}" "${SEC[floor]}" 10 "≤ 10 (in time)"
row "load ${SCALE}× file: time, against 30k movies" "$(s parley_load10)" "$(s parley_load) (parley)" \
  "${SEC[parley_load10]}" "${SEC[parley_load]}" "$SCALE" "≤ $SCALE (linear)"
row "load ${SCALE}× file: peak RSS, against 30k movies" "$(mb parley_load10)" "$(mb parley_load) (parley)" \
  "${RSS[parley_load10]}" "${RSS[parley_load]}" 2 "≤ 2"
row "\`match Putin demands _\`, ${SCALE}× store against seed store" "$(s parley_match_x10)" "$(s parley_match_seed) (parley)" \
  "${SEC[parley_match_x10]}" "${SEC[parley_match_seed]}" 1.5 "≤ 1.5"
row "\`describe Zaporizhzhia\`, ${SCALE}× store against seed store" "$(s parley_describe_x10)" "$(s parley_describe_seed) (parley)" \
  "${SEC[parley_describe_x10]}" "${SEC[parley_describe_seed]}" 1.5 "≤ 1.5"
row "\`conflicts\` (every stance read), ${SCALE}× store against seed store" "$(s parley_conflicts_x10)" "$(s parley_conflicts_seed) (parley)" \
  "${SEC[parley_conflicts_x10]}" "${SEC[parley_conflicts_seed]}"
row "\`neighbors Zaporizhzhia --depth 2\`, ${SCALE}× store against seed store" "$(s parley_neighbors_x10)" "$(s parley_neighbors_seed) (parley)" \
  "${SEC[parley_neighbors_x10]}" "${SEC[parley_neighbors_seed]}"
row "\`path Putin Zelensky --all\`, ${SCALE}× store against seed store" "$(s parley_path_x10)" "$(s parley_path_seed) (parley)" \
  "${SEC[parley_path_x10]}" "${SEC[parley_path_seed]}"
row "a whole question process (that \`match\`, ${SCALE}× store) against \`cayley version\`" "$(s parley_match_x10)" "$(s cayley_version)" \
  "${SEC[parley_match_x10]}" "${SEC[cayley_version]}" 1.5 "≤ 1.5"
row "start-up: \`version\`" "$(s parley_version)" "$(s cayley_version)" \
  "${SEC[parley_version]}" "${SEC[cayley_version]}"
row "open + 1-hop question, 30k store: \`query\` against \`query\`" "$(s parley_query1), $(mb parley_query1)" "$(s cayley_query1), $(mb cayley_query1)" \
  "${SEC[parley_query1]}" "${SEC[cayley_query1]}"
row "open + 1-hop question, 30k store: \`match\` against \`query\` with no_bloom" "$(s parley_match30), $(mb parley_match30)" "$(s cayley_query1_nobloom), $(mb cayley_query1_nobloom)" \
  "${SEC[parley_match30]}" "${SEC[cayley_query1_nobloom]}"
row "2-hop Gizmo query, 30k store (same answers)" "$(s parley_query2)" "$(s cayley_query2)" \
  "${SEC[parley_query2]}" "${SEC[cayley_query2]}"
row "full dump, 30k store: \`export\` against \`dump\`" "$(s parley_export), $(mb parley_export)" "$(s cayley_dump), $(mb cayley_dump)" \
  "${SEC[parley_export]}" "${SEC[cayley_dump]}"
if [ -n "$PG_SAME" ]; then
  row "PostgreSQL load, $PG_QUADS quads: bulk COPY against row by row" "$(s parley_pg), $(mb parley_pg)" "$(s cayley_pg), $(mb cayley_pg)" \
    "${SEC[parley_pg]}" "${SEC[cayley_pg]}" 0.3334 "≤ 0.33 (3× faster)"
  ROWS+=("| PostgreSQL: the same answers (Cayley's reader, 2 hops) | $PG_SAME | | | same | $([ "${PG_SAME%% *}" = yes ] && echo yes || echo '**no**') |")
fi

TOTAL=$(awk -v a="$START" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.0f", b - a }')
CPU=$(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -n 1)
[ -n "$CPU" ] || CPU=$(sed -n 's/^model name\t*: //p' /proc/cpuinfo | head -n 1)
COMMIT=$(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo unknown)
[ -z "$(git -C "$REPO" status --porcelain 2>/dev/null)" ] || COMMIT="$COMMIT (with uncommitted changes)"

{
  echo "# parley against Cayley's CLI"
  echo
  echo "Written by \`bash bench/compare.sh\` on $(date -u '+%Y-%m-%d %H:%M UTC'), in ${TOTAL} s."
  echo
  echo "- machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo) memory, $CPU; load average at the end $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "- $(go version | sed 's/^go version //'); parley $COMMIT; Cayley $PIN"
  echo "- data: Cayley's \`data/30kmoviedata.nq.gz\` ($QUADS quads); the ${SCALE}× file is ${SCALE} copies of it, every IRI and blank node but the predicates suffixed with the copy number ($((QUADS * SCALE)) quads)"
  echo "- time is wall time: the median of $REPS runs for short commands, after one warm-up run (a command whose first run takes over 2 s: that run alone); one run for loads and dumps. Peak RSS is GNU time's maximum resident set size (the largest of the runs)"
  echo
  echo "| measurement | parley | Cayley (or baseline) | ratio | goal | met |"
  echo "|---|---|---|---|---|---|"
  printf '%s\n' "${ROWS[@]}"
  echo
  echo "Notes:"
  echo "- Loads: Cayley \`load --init -d bolt -a DIR -i FILE\` (10,000-quad batches), against \`parley init --no-seed\` (not timed) then \`parley load --allow-unknown FILE\`. Into a store with no more quads than the file, parley builds a new store file and renames it over the old (graph/internal/kvstore/build.go); the seed then loaded into the ${SCALE}× store goes through its journalled bulk writer (graph/internal/kvstore/bulk.go)."
  echo "- The parse-only floor is \`nqtool count\` (bench/nqtool.go): gunzip and Cayley's N-Quads decoder, nothing stored."
  echo "- Questions on the ${SCALE}× store: the ${SCALE}× file and then the seed loaded into one store, asked the same as the seed store, with the same output. Cayley's \`query\` as shipped scans the store for its bloom filter on every open; no_bloom is no CLI flag, only a config file option (\`-c\`, store.options)."
  echo "- The 2-hop query: \`$TWOHOP\`, on both 30k stores; the ids agree, and Cayley's CLI gives the same ids on a copy of parley's store (parley's bulk writer lays down Cayley's own key layout). Cayley does not load the ${SCALE}× file here: at its rate that would take most of the time budget."
  echo "- The dump: Cayley \`dump -o - --dump_format nquads\` against \`parley export --format nquads\`, both to a file, both $QUADS lines."
  [ -z "$PG_NOTE" ] || echo "- $PG_NOTE"
  # The sections other scripts write (bench/draft-eval.sh's) are kept as they are.
  if [ -f "$REPO/bench/RESULTS.md" ]; then
    awk 'NR > 1 && /^## / { keep = 1 } keep' "$REPO/bench/RESULTS.md" | sed '1s/^/\n/'
  fi
} >"$WORK/RESULTS.md"
cp "$WORK/RESULTS.md" "$REPO/bench/RESULTS.md"
cat "$WORK/RESULTS.md"
