#!/usr/bin/env bash
# hardening.sh attacks a built parley the way a hostile user and a failing disk would, class
# by class as issue 13 (hardening) lists them, and prints per class how many attacks were
# tried and how many held, with the times and peak RSS the issue names bounds for: the
# figures of the issue's closing note, from one run. A manual tool: CI runs the Go and
# script tests behind each case, not this script.
#
# Usage: bash bench/hardening.sh [--bin PATH]
#
# It builds the binary of the checkout it lives in (or attacks --bin PATH), works in a
# mktemp -d directory that it removes at exit (parley's own spool files included: TMPDIR
# points inside it), and never touches the user's store: every command names --db under
# that directory. The table goes to stdout, then every attack that did not hold with its
# command, exit status and stderr; progress to stderr.
#   PARLEY_HARDEN_N     repetitions where a class repeats an attack at random moments or
#                       with random bytes: kills, runaway queries, scribbled copies of the
#                       movie store (and 4 N of the seed store) (default 3)
#   PARLEY_HARDEN_SEED  seed of those random moments and bytes (default 13)
#   PARLEY_HARDEN_KEEP  set: keep the work directory, with every command's output, for a look
#
# An attack holds when the command ends (every run is under `timeout`) with the exit status
# the README documents (1 failure, 3 validation, 130 interrupted, 0 where the attack must be
# harmless), with one line of error (one "parley: " line; no Go stack trace, panic, fatal
# error or recovered "runtime error:"), and with the store as before: the same sha256 where
# nothing may change, the same `stats -o json` where a load was rolled back. A damaged store
# may also answer, if it answers exactly what the undamaged store answers. Bounds: a query
# ends within --timeout + 3 s and within a peak RSS of 2 x --max-memory + 200 MB (a doubled
# string, one allocation finishing past the check: 4 x, as the README says); a hostile
# input is refused within 10 s and 512 MB.
#
# Needs python3 (an HTTP listener counting requests; writing damage at chosen offsets), GNU
# time at /usr/bin/time, timeout, gzip, and Go to find Cayley's 30k-movie data. PostgreSQL
# is left out: its timeouts and interrupted transactions are covered by the Go tests with
# PARLEY_TEST_POSTGRES.
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
N=${PARLEY_HARDEN_N:-3}
SEED=${PARLEY_HARDEN_SEED:-13}
BIN=
START=$EPOCHREALTIME

say() { echo "hardening.sh: $*" >&2; }
die() {
  say "$*"
  exit 1
}

while [ $# -gt 0 ]; do
  case $1 in
  --bin)
    [ $# -ge 2 ] || die "--bin needs a PATH"
    BIN=$(realpath "$2")
    shift 2
    ;;
  *) die "usage: bash bench/hardening.sh [--bin PATH]" ;;
  esac
done

[ -x /usr/bin/time ] || die "needs GNU time at /usr/bin/time (apt-get install time)"
command -v python3 >/dev/null || die "needs python3"
command -v go >/dev/null || die "needs Go (to find Cayley's movie data)"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/parley-harden.XXXXXX")
SERVER_PID=
cleanup() {
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; fi
  if [ -n "${PARLEY_HARDEN_KEEP:-}" ]; then say "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
mkdir -p "$WORK/tmp" "$WORK/log"
export TMPDIR=$WORK/tmp # parley's spool of stdin and pipes lands here, and is checked here
RANDOM=$SEED

cd "$REPO"
go mod download github.com/cayleygraph/cayley
DATA=$(go list -m -f '{{.Dir}}' github.com/cayleygraph/cayley)/data/30kmoviedata.nq.gz
[ -s "$DATA" ] || die "no movie data at $DATA"
if [ -z "$BIN" ]; then
  say "building parley from $REPO"
  BIN=$WORK/parley
  go build -o "$BIN" .
fi
[ -x "$BIN" ] || die "no binary at $BIN"

# --- running and judging ---------------------------------------------------------------

SEQ=0
# run LIMIT CMD...: runs CMD under timeout LIMIT (seconds) and GNU time, stdin from $STDIN
# (default /dev/null); sets OUT and ERR (its stdout and stderr files), RC, WALL (s), RSS (KB).
run() {
  local limit=$1
  shift
  if [ "$1" = p ]; then # timeout runs programs, not functions
    shift
    set -- "$BIN" --db "$@"
  fi
  SEQ=$((SEQ + 1))
  OUT=$WORK/log/$SEQ.out ERR=$WORK/log/$SEQ.err CMD="$*"
  echo "$*" >"$WORK/log/$SEQ.cmd"
  RC=0
  /usr/bin/time -f '%e %M' -o "$WORK/log/$SEQ.time" timeout -k 5 "$limit" "$@" \
    <"${STDIN:-/dev/null}" >"$OUT" 2>"$ERR" || RC=$?
  read -r WALL RSS < <(tail -n 1 "$WORK/log/$SEQ.time")
}
p() { "$BIN" --db "$@"; } # p DB ARGS...: parley on store DB

sha() { sha256sum "$1" 2>/dev/null | cut -d' ' -f1; }
quads() { sed -n 's/^ *"quads": *\([0-9]*\).*/\1/p' "$1" | head -n 1; }
# fingerprint DB: sha256 of `stats -o json` (quads, entities, counts by type and predicate).
fingerprint() { "$BIN" --db "$1" stats -o json 2>/dev/null | sha256sum | cut -d' ' -f1; }
max() { awk -v a="$1" -v b="$2" 'BEGIN { print (a + 0 > b + 0) ? a : b }'; }
mb() { echo "$(($1 / 1024)) MB"; }
elapsed() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.2f", b - a }'; }

# The checks below return 1 with WHY set when the last run did not hold.
crashed() { grep -qE 'goroutine [0-9]+|panic:|fatal error:|runtime error:' "$ERR"; }
# ended CODE...: the last run ended, with one of CODEs, without a crash; exit 1 with one line.
ended() {
  case $RC in 124 | 137) WHY="no end within the time limit (killed by timeout)" && return 1 ;; esac
  if crashed; then WHY="a crash (stack trace, panic or runtime error) on stderr" && return 1; fi
  local c
  for c in "$@"; do
    if [ "$RC" = "$c" ]; then
      if [ "$RC" = 1 ] && [ "$(grep -c '^parley: ' "$ERR")" != 1 ]; then
        WHY="exit 1 without exactly one line of error ($(grep -c '^parley: ' "$ERR") 'parley: ' lines)" && return 1
      fi
      return 0
    fi
  done
  WHY="exit $RC where $* was expected" && return 1
}
# unchanged FILE SHA: FILE's sha256 is still SHA.
unchanged() { [ "$(sha "$1")" = "$2" ] || { WHY="$(basename "$1") changed" && return 1; }; }
# located FILE: the last run's stderr names FILE:LINE.
located() { grep -qE "$(basename "$1"):[0-9]+" "$ERR" || { WHY="no $(basename "$1"):LINE on stderr" && return 1; }; }
within() { awk -v w="$WALL" -v l="$1" 'BEGIN { exit !(w <= l) }' || { WHY="took $WALL s, over $1 s" && return 1; }; }
rss_within() { [ "$RSS" -le $(($1 * 1024)) ] || { WHY="peak RSS $(mb "$RSS"), over $1 MB" && return 1; }; }

declare -A TRIED HELD FIG
ROWS=() # the classes, in order
FAILS=()
class() { # class NAME: starts a row of the table
  ROWS+=("$1")
  TRIED[$1]=0 HELD[$1]=0 FIG[$1]=
  say "class: $1"
}
# judge CLASS WHAT CHECK...: one attack tried; held when CHECK (a command) succeeds.
judge() {
  local c=$1 what=$2
  shift 2
  WHY=
  TRIED[$c]=$((TRIED[$c] + 1))
  if "$@"; then
    HELD[$c]=$((HELD[$c] + 1))
  else
    FAILS+=("**$c**, $what: $WHY. Command: \`${CMD:-}\` exit ${RC:-}; stderr: \`$(head -n 3 "${ERR:-/dev/null}" | cut -c1-300 | tr '\n' ' ' | sed 's/ *$//')\`")
    say "NOT HELD: $c, $what: $WHY"
  fi
}
fig() { FIG[$1]+="${FIG[$1]:+; }$2"; } # fig CLASS TEXT: adds to the class's figures

# --- the stores and files attacked -----------------------------------------------------

SEEDDB=$WORK/seed.db     # the seeded store
MOVIES=$WORK/movies.db   # the seed and the 30k movies (472,224 quads)
VARIANT=$WORK/variant.nq # 300,000 movie quads under new subjects: a journalled load into MOVIES
NEWQ=$WORK/new.nq        # one new quad
printf '<zz-hardening> <label> "ZZ hardening" .\n' >"$NEWQ"

say "the stores: the seed, and the seed with the 30k movies"
p "$SEEDDB" init 2>/dev/null
p "$MOVIES" init 2>/dev/null
run 300 p "$MOVIES" load --allow-unknown "$DATA"
[ "$RC" = 0 ] || die "loading the movie data failed: $(head -n 3 "$ERR")"
T_LOAD=$WALL # a load of the movie data into a small store: the moments kills aim at
MOVIE_QUADS=$({ gzip -dc "$DATA" || true; } | grep -c '^[<_]')
{ gzip -dc "$DATA" || true; } | head -n 300000 | sed 's/^<\([^>]*\)>/<\1-hardening>/; s/^_:\([^ ]*\)/_:\1h/' >"$VARIANT"
SEED_FP=$(fingerprint "$SEEDDB")
MOVIES_FP=$(fingerprint "$MOVIES")
MOVIES_QUADS=$(p "$MOVIES" stats -o json 2>/dev/null | quads /dev/stdin)
cp "$MOVIES" "$WORK/journalled.db"
run 300 p "$WORK/journalled.db" load --allow-unknown "$VARIANT"
[ "$RC" = 0 ] || die "the journalled load of the variant failed: $(head -n 3 "$ERR")"
T_JOURNAL=$WALL RSS_JOURNAL=$RSS # a journalled load of 300,000 quads into the movie store
JOURNALLED_FP=$(fingerprint "$WORK/journalled.db")
rm -f "$WORK/journalled.db" "$WORK"/journalled.db.*
say "movie data: $MOVIE_QUADS quads, loaded in $T_LOAD s; 300,000 more, journalled, in $T_JOURNAL s"

# --- 1 nothing fetched -----------------------------------------------------------------

# A listener on a loopback port that answers any request with a small JSON-LD context and
# appends its path to a file: the number of requests parley made.
start_server() {
  cat >"$WORK/server.py" <<'EOF'
import http.server, socketserver, sys
class H(http.server.BaseHTTPRequestHandler):
    def answer(self):
        with open(sys.argv[1], 'a') as f:
            f.write(self.command + ' ' + self.path + '\n')
        body = b'{"@context": {"x": "http://example.org/x"}}'
        self.send_response(200)
        self.send_header('Content-Type', 'application/ld+json')
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        if self.command != 'HEAD':
            self.wfile.write(body)
    do_GET = do_POST = do_HEAD = answer
    def log_message(self, *a):
        pass
s = socketserver.TCPServer(('127.0.0.1', 0), H)
print(s.server_address[1], flush=True)
s.serve_forever()
EOF
  : >"$WORK/requests"
  python3 "$WORK/server.py" "$WORK/requests" >"$WORK/port" &
  SERVER_PID=$!
  local i
  for i in $(seq 50); do [ -s "$WORK/port" ] && break || sleep 0.1; done
  PORT=$(cat "$WORK/port")
  python3 -c "import urllib.request, sys; urllib.request.urlopen('http://127.0.0.1:$PORT/selftest').read()"
  [ "$(wc -l <"$WORK/requests")" = 1 ] || die "the counting listener does not count"
}
requests() { wc -l <"$WORK/requests"; }

# jsonld NAME CONTEXT [NODE]: a document whose @context (line 2) is CONTEXT.
jsonld() {
  local node=${3:-'"@id": "https://w3id.org/parley/putin", "http://www.w3.org/2000/01/rdf-schema#label": "Putin"'}
  printf '{\n  "@context": %s,\n  %s\n}\n' "$2" "$node" >"$WORK/$1.jsonld"
}

refused_fetching_nothing() { # DOC SHA REQS: refused at DOC:LINE, no request, store as before
  ended 3 && located "$1" && unchanged "$SEEDDB" "$2" &&
    { [ "$(requests)" = "$3" ] || { WHY="$(($(requests) - $3)) request(s) to the listener" && return 1; }; }
}

class_nothing_fetched() {
  local c="1 nothing fetched: JSON-LD @context" u name slowest=0 before
  class "$c"
  start_server
  u=http://127.0.0.1:$PORT
  mkfifo "$WORK/context.fifo"
  printf '{"@context": {"x": "http://example.org/x"}}\n' >"$WORK/context.jsonld"
  jsonld url "\"$u/context.jsonld\""
  jsonld array "[\"$u/array.jsonld\", {\"parley\": \"https://w3id.org/parley/\"}]"
  jsonld import "{\"@import\": \"$u/import.jsonld\", \"parley\": \"https://w3id.org/parley/\"}"
  jsonld nested '{"parley": "https://w3id.org/parley/"}' \
    "\"@graph\": [{\"@context\": \"$u/nested.jsonld\", \"@id\": \"https://w3id.org/parley/putin\"}]"
  jsonld scoped "{\"demands\": {\"@id\": \"https://w3id.org/parley/demands\", \"@context\": \"$u/scoped.jsonld\"}}" \
    '"@id": "https://w3id.org/parley/putin", "demands": {"@id": "https://w3id.org/parley/x"}'
  jsonld passwd '"/etc/passwd"'
  jsonld fileurl '"file:///etc/passwd"'
  jsonld devzero '"/dev/zero"'
  jsonld fifo "\"$WORK/context.fifo\""
  jsonld relative '"context.jsonld"'
  before=$(sha "$SEEDDB")
  for name in url array import nested scoped passwd fileurl devzero fifo relative; do
    local reqs
    reqs=$(requests)
    run 20 p "$SEEDDB" load "$WORK/$name.jsonld"
    judge "$c" "@context $name" refused_fetching_nothing "$WORK/$name.jsonld" "$before" "$reqs"
    slowest=$(max "$slowest" "$WALL")
  done
  fig "$c" "$(($(requests) - 1)) requests to the listener; slowest refusal $slowest s"
  kill "$SERVER_PID" 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=
}

# --- 2 half-undone ---------------------------------------------------------------------

# moment PID DB DELAY: waits DELAY seconds, or with DELAY "journal:F", until DB's journal
# holds a fraction F of the variant's bytes (the journal holds the quads of the batches
# written, in N-Quads, as the variant does) or the process PID has ended.
moment() {
  case $3 in
  journal:*)
    local want i
    want=$(awk -v f="${3#journal:}" -v n="$(stat -c %s "$VARIANT")" 'BEGIN { printf "%d", f * n }')
    for ((i = 0; i < 6000; i++)); do
      kill -0 "$1" 2>/dev/null || return 0
      [ "$(stat -c %s "$2.journal" 2>/dev/null || echo 0)" -ge "$want" ] && return 0
      sleep 0.02
    done
    ;;
  *) sleep "$3" ;;
  esac
}

# kill_load DB FILE DELAY: starts a load of FILE into DB, SIGKILLs it at moment DELAY;
# KRC is its exit status (137 when killed, 0 when it had finished).
kill_load() {
  "$BIN" --db "$1" load --allow-unknown "$2" >/dev/null 2>"$WORK/log/killed.err" &
  local pid=$!
  moment "$pid" "$1" "$3"
  kill -KILL "$pid" 2>/dev/null || true
  KRC=0
  { wait "$pid"; } 2>/dev/null || KRC=$?
}
# delay T R: a moment in 5..95 % of T, R a $RANDOM taken by the caller (a subshell reseeds it).
delay() { awk -v t="$1" -v r="$2" 'BEGIN { printf "%.2f", t * (0.05 + 0.9 * r / 32767) }'; }

same_store() { # DB FP: `stats -o json` answers FP (run by the caller: RC, OUT, ERR)
  ended 0 && { [ "$(sha256sum <"$OUT" | cut -d' ' -f1)" = "$2" ] || { WHY="stats answers otherwise than before: $(quads "$OUT") quads" && return 1; }; }
}

# before_or_whole DB BEFORE WHOLE: stats (by the caller) answers BEFORE, or WHOLE (a kill
# that came after the load's last commit: all of it), never a mix; no journal is left.
before_or_whole() {
  ended 0 || return 1
  [ ! -e "$1.journal" ] || { WHY="a journal is left after the next command" && return 1; }
  case $(sha256sum <"$OUT" | cut -d' ' -f1) in
  "$2") ;;
  "$3") WHOLE=$((WHOLE + 1)) ;;
  *) WHY="$(quads "$OUT") quads: neither the store before nor the whole load" && return 1 ;;
  esac
}

class_killed() {
  local c="2a SIGKILL during a load" i d r db before rb=0 empty_fp kills=0 done=0
  class "$c"
  WHOLE=0
  # into an empty store: parley builds a new file and renames it over the store
  db=$WORK/killed-empty.db
  p "$db" init --no-seed 2>/dev/null
  empty_fp=$(fingerprint "$db")
  for i in $(seq "$N"); do
    r=$RANDOM
    d=$(delay "$T_LOAD" "$r")
    before=$(sha "$db")
    kill_load "$db" "$DATA" "$d"
    run 60 p "$db" stats -o json
    if [ "$KRC" = 0 ]; then # it finished first: then all of it
      done=$((done + 1))
      judge "$c" "load into an empty store, killed at $d s (it had finished)" eval '[ "$(quads "$OUT")" = "$MOVIE_QUADS" ] || { WHY="$(quads "$OUT") quads after a finished load"; false; }'
    else
      kills=$((kills + 1))
      judge "$c" "load into an empty store, killed at $d s" eval 'same_store "$db" "$empty_fp" && unchanged "$db" "$before" || { [ "$(quads "$OUT")" = "$MOVIE_QUADS" ] && WHOLE=$((WHOLE + 1)); }'
    fi
    if [ "$(quads "$OUT")" != 0 ]; then
      rm -f "$db" "$db".*
      p "$db" init --no-seed 2>/dev/null
      empty_fp=$(fingerprint "$db")
    fi
  done
  # into the movie store: journalled batches, rolled back by the next command
  db=$WORK/killed-movies.db
  rm -f "$db" "$db".*
  cp "$MOVIES" "$db"
  for i in $(seq "$N"); do
    r=$RANDOM
    d=$(delay "$T_JOURNAL" "$r")
    kill_load "$db" "$VARIANT" "$d"
    run 120 p "$db" stats -o json
    if [ "$KRC" = 0 ]; then
      done=$((done + 1))
      judge "$c" "journalled load into the movie store, killed at $d s (it had finished)" eval 'same_store "$db" "$JOURNALLED_FP"'
    else
      kills=$((kills + 1))
      judge "$c" "journalled load into the movie store, killed at $d s" before_or_whole "$db" "$MOVIES_FP" "$JOURNALLED_FP"
      rb=$(max "$rb" "$WALL")
    fi
    if [ "$(sha256sum <"$OUT" | cut -d' ' -f1)" != "$MOVIES_FP" ]; then
      rm -f "$db" "$db".* # a copy over it would read as an older store: refused, rightly
      cp "$MOVIES" "$db"
    fi
  done
  run 120 p "$db" check
  judge "$c" "check after the kills" ended 0
  fig "$c" "$kills killed: $((kills - WHOLE)) left the store as before, $WHOLE after the load's last commit left all of it, none a mix; $done finished first; rollback by the next command (stats) at most $rb s (the load: $T_LOAD s into an empty store, $T_JOURNAL s and $(mb "$RSS_JOURNAL") journalled)"
}

# journal_damage MODE J: damages the journal J in one way.
journal_damage() {
  python3 - "$1" "$2" "$SEED" <<'EOF'
import os, random, sys
mode, path, seed = sys.argv[1], sys.argv[2], int(sys.argv[3])
data = open(path, 'rb').read()
nl1 = data.index(b'\n') + 1             # after the header line
nl2 = data.index(b'\n', nl1) + 1        # after record 1's line: "@ 1 QUADS SIZE CHECKSUM"
size = int(data[nl1:nl2].split()[3])    # the bytes of record 1's quads
mid = nl2 + size // 2
if mode == 'truncated':
    data = data[:mid]
elif mode == 'flipped':
    data = data[:mid] + bytes([data[mid] ^ 0x01]) + data[mid + 1:]
elif mode == 'header':
    data = data[:10] + bytes([data[10] ^ 0x01]) + data[11:]
elif mode == 'empty':
    data = b''
elif mode == 'random':
    data = random.Random(seed).randbytes(len(data))
elif mode == 'torn-tail':  # a record 2 cut short, as a kill while it was written leaves it
    line = data[nl1:nl2].replace(b'@ 1 ', b'@ 2 ', 1)
    data = data + line + data[nl2:nl2 + 3000]
open(path, 'wb').write(data)
EOF
}

# refused_or_rolled_back DB SHA JSHA FP: refused with store and journal as they were, or
# rolled back to FP (stats by the caller).
refused_or_rolled_back() {
  if [ "$RC" = 0 ]; then
    same_store "$1" "$4" && { [ ! -e "$1.journal" ] || { WHY="rolled back but the journal is left" && return 1; }; }
  else
    ended 1 && unchanged "$1" "$2" && unchanged "$1.journal" "$3"
  fi
}

class_journal() {
  local c="2b damaged journal" db=$WORK/journal.db d i mode refused=0 rolled=0 s js
  class "$c"
  d=journal:0.4 # a batch applied, the next one being written
  rm -f "$db" "$db".*
  cp "$MOVIES" "$db"
  kill_load "$db" "$VARIANT" "$d"
  if [ ! -s "$db.journal" ] || [ "$KRC" = 0 ]; then
    TRIED[$c]=1 FAILS+=("**$c**: the kill left no journal (exit $KRC); nothing tried")
    return
  fi
  cp "$db" "$WORK/journal.pristine"
  cp "$db.journal" "$WORK/journal.pristine.journal"
  fig "$c" "journal of a load killed with 40 % of its quads journalled: $(stat -c %s "$db.journal") bytes, $(grep -c '^@ ' "$db.journal" || true) records"
  for mode in truncated flipped header empty random torn-tail; do
    cp "$WORK/journal.pristine" "$db"
    cp "$WORK/journal.pristine.journal" "$db.journal"
    journal_damage "$mode" "$db.journal"
    s=$(sha "$db") js=$(sha "$db.journal")
    run 120 p "$db" stats -o json
    if [ "$mode" = torn-tail ]; then
      judge "$c" "journal $mode: stats rolls back" eval 'same_store "$db" "$MOVIES_FP" && [ ! -e "$db.journal" ] || { WHY=${WHY:-"the journal is left"}; false; }'
    else
      judge "$c" "journal $mode: stats" refused_or_rolled_back "$db" "$s" "$js" "$MOVIES_FP"
    fi
    if [ "$RC" = 0 ]; then rolled=$((rolled + 1)); else refused=$((refused + 1)); fi
    if [ -e "$db.journal" ]; then # still refused: so must a write be
      run 60 p "$db" load --allow-unknown "$NEWQ"
      judge "$c" "journal $mode: load" eval 'ended 1 && unchanged "$db" "$s" && unchanged "$db.journal" "$js"'
      s=$(sha "$db") js=$(sha "$db.journal")
      run 120 p "$db" check
      judge "$c" "journal $mode: check" eval 'ended 1 && unchanged "$db" "$s" && unchanged "$db.journal" "$js"'
    fi
  done
  fig "$c" "$refused damaged journals refused (store and journal unchanged), $rolled rolled back to the quads before"
}

no_spool() { ! compgen -G "$TMPDIR/parley-input-*" >/dev/null || { WHY="a spool file is left: $(ls "$TMPDIR")" && return 1; }; }
loaded_all() { # DB: the run ended 0 and DB holds the movie data
  ended 0 && { [ "$(p "$1" stats -o json 2>/dev/null | quads /dev/stdin)" = "$MOVIE_QUADS" ] || { WHY="not $MOVIE_QUADS quads after the load" && return 1; }; }
}

class_pipes() {
  local c="2c pipes and FIFOs" db=$WORK/pipe.db
  class "$c"
  p "$db" init --no-seed 2>/dev/null
  run 180 bash -c '"$0" --db "$1" load --allow-unknown <(gzip -dc "$2")' "$BIN" "$db" "$DATA"
  judge "$c" "load <(gzip -dc movies)" eval 'loaded_all "$db" && no_spool'
  fig "$c" "process substitution $WALL s, $(mb "$RSS")"
  p "$db" init --no-seed --force 2>/dev/null
  mkfifo "$WORK/movies.nq"
  { gzip -dc "$DATA" >"$WORK/movies.nq" || true; } &
  run 180 p "$db" load --allow-unknown "$WORK/movies.nq"
  wait $! || true
  judge "$c" "load of a named FIFO" eval 'loaded_all "$db" && no_spool'
  fig "$c" "FIFO $WALL s, $(mb "$RSS")"
  p "$db" init --no-seed --force 2>/dev/null
  STDIN=$DATA run 180 bash -c 'gzip -dc | "$0" --db "$1" load --allow-unknown -' "$BIN" "$db"
  judge "$c" "load - from a pipe" eval 'loaded_all "$db" && no_spool'
  rm -f "$db" "$db".*
}

# --- 3 damaged store -------------------------------------------------------------------

# damage.py MODE FILE ARG: truncate to ARG bytes; scribble random bytes over 8 random pages
# in use (seed ARG); or write ARG over bytes 16..24 of the newest meta page's body.
cat >"$WORK/damage.py" <<'EOF'
import random, struct, sys
mode, path, arg = sys.argv[1], sys.argv[2], sys.argv[3]
P = 4096
with open(path, 'r+b') as f:
    head = f.read(2 * P)
    meta = [(struct.unpack_from('<Q', head, p * P + 16 + 48)[0], p) for p in (0, 1)]
    if mode == 'used':  # print the bytes in use: the high-water page of the newest meta
        print(struct.unpack_from('<Q', head, max(meta)[1] * P + 16 + 40)[0] * P)
    elif mode == 'scribble':
        r = random.Random(int(arg))
        used = max(struct.unpack_from('<Q', head, p * P + 16 + 40)[0] for p in (0, 1))
        for _ in range(8):
            f.seek(r.randrange(2, used) * P)
            f.write(r.randbytes(P))
    elif mode == 'meta':
        f.seek(max(meta)[1] * P + 16 + 16)
        f.write(bytes.fromhex(arg))
EOF
damage() { python3 "$WORK/damage.py" "$@"; }

# answers_as_before: the run was refused with one line, or answered as $REF (a file) did.
answers_as_before() {
  if [ "$RC" = 0 ]; then
    cmp -s "$OUT" "$REF" || { WHY="answers otherwise than the undamaged store" && return 1; }
  else
    ended 1
  fi
}

# attack_store C WHAT DB REFDIR QUERY: the commands on the damaged store DB, against the
# answers of the undamaged one in REFDIR (stats, match, query, salvage.count).
attack_store() {
  local c=$1 what=$2 db=$3 ref=$4 q=$5 s stats_ok=0 salvaged=-1
  s=$(sha "$db")
  run 60 p "$db" stats -o json
  REF=$ref/stats judge "$c" "$what: stats" eval 'answers_as_before && unchanged "$db" "$s"'
  [ "$RC" = 0 ] && stats_ok=1
  run 60 p "$db" match Putin demands _
  REF=$ref/match judge "$c" "$what: match" eval 'answers_as_before && unchanged "$db" "$s"'
  run 60 p "$db" query "$q"
  REF=$ref/query judge "$c" "$what: query" eval 'answers_as_before && unchanged "$db" "$s"'
  run 120 p "$db" check
  judge "$c" "$what: check" eval 'ended 0 1 && unchanged "$db" "$s" && { [ "$RC" = 1 ] || [ "$stats_ok" = 1 ] || { WHY="check finds it sound, stats refused it"; false; }; }'
  CHECKS_FAILED=$((CHECKS_FAILED + (RC == 1)))
  run 120 p "$db" salvage "$WORK/salvaged.nq" --force
  judge "$c" "$what: salvage" eval 'ended 0 1 && unchanged "$db" "$s"'
  if [ "$RC" = 0 ]; then
    salvaged=$(salvaged_quads "$WORK/salvaged.nq")
    SALVAGE+=("$(basename "$ref") $salvaged $(cat "$ref/salvage.count")")
  fi
  run 60 p "$db" load --allow-unknown "$NEWQ"
  if [ "$RC" = 0 ]; then # it wrote to the damaged store: nothing else may be lost
    WROTE=$((WROTE + 1))
    local after=-1
    run 120 p "$db" salvage "$WORK/salvaged.nq" --force
    [ "$RC" = 0 ] && after=$(salvaged_quads "$WORK/salvaged.nq")
    judge "$c" "$what: load (written)" eval '[ "$salvaged" -lt 0 ] || [ "$after" = $((salvaged + 1)) ] || { WHY="salvage reads $after quads after the load of one, $salvaged before"; false; }'
    if [ "$stats_ok" = 1 ]; then
      run 60 p "$db" stats -o json
      judge "$c" "$what: stats after the load" eval 'ended 0 && [ "$(quads "$OUT")" = $(($(quads "$ref/stats") + 1)) ] || { WHY=${WHY:-"$(quads "$OUT") quads after the load of one into $(quads "$ref/stats")"}; false; }'
    fi
  else
    judge "$c" "$what: load" eval 'ended 1 && unchanged "$db" "$s"'
  fi
}

# references DB DIR QUERY: the undamaged store's answers.
references() {
  mkdir -p "$2"
  p "$1" stats -o json >"$2/stats" 2>/dev/null
  p "$1" match Putin demands _ >"$2/match" 2>/dev/null
  p "$1" query "$3" >"$2/query" 2>/dev/null
  p "$1" salvage "$2/salvage.nq" 2>/dev/null
  salvaged_quads "$2/salvage.nq" >"$2/salvage.count"
}

# salvaged_quads OUT.nq: the quads a salvage wrote, kept (OUT.nq) and set apart
# (OUT.rejected.nq, each after its problems as '#' lines).
salvaged_quads() {
  cat "$1" "${1%.nq}.rejected.nq" | grep -vc '^#\|^$' || true
}

class_damaged() {
  local c="3 damaged store" name src q size used t seed ref m
  class "$c"
  CHECKS_FAILED=0 WROTE=0 SALVAGE=()
  local started=$EPOCHREALTIME slowest=0 t0
  for name in seed movies; do
    src=$SEEDDB q='g.V("<putin>").Out("<demands>").All()'
    [ $name = movies ] && src=$MOVIES q='g.V("</en/blade_runner>").Out().All()'
    ref=$WORK/ref-$name
    references "$src" "$ref" "$q"
    size=$(stat -c %s "$src")
    used=$(damage used "$src" x)
    for t in 8192 16384 $((size / 2)) $((size * 9 / 10)) $((used / 2)); do
      rm -f "$WORK/damaged.db" "$WORK"/damaged.db.*
      cp "$src" "$WORK/damaged.db"
      truncate -s "$t" "$WORK/damaged.db"
      t0=$EPOCHREALTIME
      attack_store "$c" "$name truncated to $t bytes" "$WORK/damaged.db" "$ref" "$q"
      slowest=$(max "$slowest" "$(elapsed "$t0")")
    done
    local copies=$N # the seed store's cases take a second: four times as many
    [ $name = seed ] && copies=$((4 * N))
    for seed in $(seq "$SEED" $((SEED + copies - 1))); do
      rm -f "$WORK/damaged.db" "$WORK"/damaged.db.*
      cp "$src" "$WORK/damaged.db"
      damage scribble "$WORK/damaged.db" "$seed"
      t0=$EPOCHREALTIME
      attack_store "$c" "$name, 8 pages scribbled (seed $seed)" "$WORK/damaged.db" "$ref" "$q"
      slowest=$(max "$slowest" "$(elapsed "$t0")")
    done
  done
  fig "$c" "salvage of the damaged copies read $(printf '%s\n' "${SALVAGE[@]}" | awk '
    { n[$1]++; if (!($1 in lo) || $2 < lo[$1]) lo[$1] = $2; if ($2 > hi[$1]) hi[$1] = $2; of[$1] = $3 }
    END { for (k in n) s = s (s ? ", " : "") lo[k] "–" hi[k] " of " of[k] " quads (" substr(k, 5) ", " n[k] " copies)"; print s }'); check failed on $CHECKS_FAILED; a load wrote to $WROTE damaged copies; slowest case (6 commands) $slowest s"
}

# A damaged newest meta page, on a copy (no state record) and on the store parley wrote
# (its record): the same quads as before, or refused; never fewer.
class_meta() {
  local c="3 damaged newest meta page" name src db bytes kind q ref answered=0 refused=0
  class "$c"
  for name in seed movies; do
    src=$SEEDDB q='g.V("<putin>").Out("<demands>").All()'
    [ $name = movies ] && src=$MOVIES q='g.V("</en/blade_runner>").Out().All()'
    for kind in copy own; do
      db=$WORK/meta-$name.db
      rm -f "$db" "$db".*
      if [ $kind = copy ]; then
        cp "$src" "$db"
      else # restored, then written by parley: its state record, both meta pages alike
        p "$db" init --no-seed 2>/dev/null
        p "$db" restore "$src" 2>/dev/null
        p "$db" load --allow-unknown "$NEWQ" 2>/dev/null
      fi
      ref=$WORK/ref-meta-$name-$kind
      references "$db" "$ref" "$q"
      cp "$db" "$db.pristine"
      [ ! -e "$db.state" ] || cp "$db.state" "$db.state.pristine"
      for bytes in ffffffffffffffff 0000000000000000 0300000000000000 "$(printf '%016x' $((RANDOM * RANDOM)))"; do
        cp "$db.pristine" "$db" # over the file: the same inode, so the state record holds
        if [ -e "$db.state.pristine" ]; then cp "$db.state.pristine" "$db.state"; else rm -f "$db.state"; fi
        damage meta "$db" "$bytes"
        local s
        s=$(sha "$db")
        run 60 p "$db" stats -o json
        REF=$ref/stats judge "$c" "$name ($kind), root of the newest meta page $bytes: stats" eval 'answers_as_before && unchanged "$db" "$s"'
        if [ "$RC" = 0 ]; then answered=$((answered + 1)); else refused=$((refused + 1)); fi
        run 60 p "$db" query "$q"
        REF=$ref/query judge "$c" "$name ($kind), root of the newest meta page $bytes: query" eval 'answers_as_before && unchanged "$db" "$s"'
        run 60 p "$db" load --allow-unknown "$NEWQ"
        judge "$c" "$name ($kind), root of the newest meta page $bytes: load" eval 'ended 0 1 && { [ "$RC" = 0 ] || unchanged "$db" "$s"; }'
        if [ "$RC" = 0 ]; then # written: the same quads as before (the quad was there)
          run 60 p "$db" stats -o json
          REF=$ref/stats judge "$c" "$name ($kind), root of the newest meta page $bytes: stats after a load" answers_as_before
        fi
        run 120 p "$db" check
        judge "$c" "$name ($kind), root of the newest meta page $bytes: check" ended 0 1
        run 120 p "$db" salvage "$WORK/salvaged.nq" --force
        judge "$c" "$name ($kind), root of the newest meta page $bytes: salvage" ended 0 1
      done
      rm -f "$db" "$db".*
    done
  done
  fig "$c" "stats answered with the quads as before $answered times, refused $refused times, never fewer quads"
}

# --- 4 unbounded -----------------------------------------------------------------------

class_queries() {
  local c="4 unbounded queries" i slowest=0 top=0 q
  class "$c"
  local s
  s=$(sha "$MOVIES")
  for i in $(seq "$N"); do
    run 30 p "$MOVIES" query --timeout 2s 'g.V().Tag("a").Out().In().Out().In().All()'
    judge "$c" "4-hop query on the movie store, --timeout 2s (run $i)" eval 'ended 1 && within 5 && unchanged "$MOVIES" "$s"'
    slowest=$(max "$slowest" "$WALL") top=$(max "$top" "$RSS")
  done
  fig "$c" "4 hops on the movies, --timeout 2s: at most $slowest s, $(mb "$top")"
  run 30 p "$MOVIES" query --timeout 2s 'while(true){}'
  judge "$c" "while(true){}, --timeout 2s" eval 'ended 1 && within 5'
  fig "$c" "while(true): $WALL s"
  run 60 p "$SEEDDB" query --max-memory 256MiB 'var a = []; while (true) { a.push("xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" + a.length) }'
  judge "$c" "array growth, --max-memory 256MiB" eval 'ended 1 && rss_within 712'
  fig "$c" "array growth, --max-memory 256MiB: $WALL s, $(mb "$RSS")"
  run 60 p "$SEEDDB" query --max-memory 256MiB 'var s = "x"; while (true) { s = s + s }'
  # One allocation under way finishes first: the README gives about four times the
  # budget for a doubled string (4 x 256 MiB + 200 MB).
  judge "$c" "string doubling, --max-memory 256MiB" eval 'ended 1 && rss_within 1224'
  fig "$c" "string doubling, --max-memory 256MiB: $WALL s, $(mb "$RSS")"
  run 30 p "$SEEDDB" query -f /dev/zero
  judge "$c" "query -f /dev/zero" ended 1 2 3
  STDIN=/dev/zero run 30 p "$SEEDDB" query -f -
  judge "$c" "query -f - < /dev/zero" eval 'ended 1 2 3 && within 10 && rss_within 512'
  fig "$c" "query -f - < /dev/zero: $WALL s, $(mb "$RSS")"
}

refused_bounded() { # SHA: refused (1 or 3) within 10 s and 512 MB, store as before, no spool
  ended 1 3 && within 10 && rss_within 512 && unchanged "$SEEDDB" "$1" && no_spool
}

class_inputs() {
  local c="4 unbounded inputs" s
  class "$c"
  s=$(sha "$SEEDDB")
  head -c 1G /dev/zero | gzip -1 >"$WORK/zeros.nq.gz"
  run 60 p "$SEEDDB" load "$WORK/zeros.nq.gz"
  judge "$c" "gzip of 1 GiB of NULs" refused_bounded "$s"
  fig "$c" "1 GiB of NULs gzipped: $WALL s, $(mb "$RSS")"
  rm -f "$WORK/zeros.nq.gz"
  { yes 'not a quad' || true; } | head -n 41000000 | gzip -1 >"$WORK/invalid.nq.gz"
  run 60 p "$SEEDDB" load "$WORK/invalid.nq.gz"
  judge "$c" "gzip of 41 M invalid lines" eval 'refused_bounded "$s" && located "$WORK/invalid.nq.gz"'
  fig "$c" "41 M invalid lines gzipped: $WALL s, $(mb "$RSS")"
  rm -f "$WORK/invalid.nq.gz"
  run 60 bash -c 'cat /dev/urandom | "$0" --db "$1" load -' "$BIN" "$SEEDDB"
  judge "$c" "cat /dev/urandom | load -" refused_bounded "$s"
  fig "$c" "/dev/urandom on stdin: $WALL s, $(mb "$RSS")"
  run 120 bash -c 'cat /dev/zero | "$0" --db "$1" load -' "$BIN" "$SEEDDB"
  judge "$c" "cat /dev/zero | load -" refused_bounded "$s"
  fig "$c" "/dev/zero on stdin: $WALL s, $(mb "$RSS")"
  run 30 p "$SEEDDB" load /dev/zero
  judge "$c" "load /dev/zero" eval 'ended 1 3 && unchanged "$SEEDDB" "$s"'
  run 30 p "$SEEDDB" load /dev/urandom
  judge "$c" "load /dev/urandom" eval 'ended 1 3 && unchanged "$SEEDDB" "$s"'
  run 30 p "$SEEDDB" load "$WORK"
  judge "$c" "load of a directory" eval 'ended 1 3 && unchanged "$SEEDDB" "$s"'
}

# --- 5 silent --------------------------------------------------------------------------

# signal_load SIG DB FILE DELAY: starts a load of FILE into DB, sends SIG at moment DELAY;
# RC, ERR and WALL (from the signal to the exit) of the load.
signal_load() {
  "$BIN" --db "$2" load --allow-unknown "$3" >/dev/null 2>"$WORK/log/signal.err" &
  local pid=$! t0
  moment "$pid" "$2" "$4"
  kill -"$1" "$pid" 2>/dev/null || true
  t0=$EPOCHREALTIME RC=0
  wait "$pid" || RC=$?
  WALL=$(elapsed "$t0") ERR=$WORK/log/signal.err CMD="parley --db $(basename "$2") load --allow-unknown $(basename "$3"), SIG$1 at $4"
}
interrupted() { ended 130 && { grep -q interrupted "$ERR" || { WHY="no word of the interruption" && return 1; }; }; }

class_interrupted() {
  local c="5 SIGINT and SIGTERM during a load" sig db s frac d slowest=0 cases=0
  class "$c"
  for sig in INT TERM; do
    db=$WORK/signal-empty.db
    rm -f "$db" "$db".*
    p "$db" init --no-seed 2>/dev/null
    s=$(sha "$db")
    d=$(awk -v t="$T_LOAD" 'BEGIN { printf "%.2f", t / 2 }')
    signal_load "$sig" "$db" "$DATA" "$d"
    judge "$c" "SIG$sig at $d s of a load into an empty store" eval 'interrupted && unchanged "$db" "$s"'
    slowest=$(max "$slowest" "$WALL") cases=$((cases + 1))
    for frac in 0.1 0.5 0.9; do # the first batch journalled; half; nearly all
      db=$WORK/signal-movies.db
      rm -f "$db" "$db".*
      cp "$MOVIES" "$db"
      d=journal:$frac
      signal_load "$sig" "$db" "$VARIANT" "$d"
      if [ "$RC" = 130 ]; then
        slowest=$(max "$slowest" "$WALL") cases=$((cases + 1))
        local err=$ERR cmd=$CMD
        run 120 p "$db" stats -o json
        ERR=$err CMD=$cmd judge "$c" "SIG$sig once the journal holds ${frac#0.}0 % of the quads, journalled load into the movie store" \
          eval 'same_store "$db" "$MOVIES_FP" && [ ! -e "$db.journal" ] || { WHY=${WHY:-"a journal is left"}; false; }'
      else
        judge "$c" "SIG$sig once the journal holds ${frac#0.}0 % of the quads, journalled load into the movie store: it went on for $WALL s" interrupted
      fi
    done
  done
  fig "$c" "$cases of 8 ended 130 and rolled back; the slowest exit $slowest s after the signal (a journalled load rolls back first)"
}

class_zero_length() {
  local c="5 zero-length store file" db=$WORK/zero.db args
  class "$c"
  for args in "stats" "match Putin demands _" "query g.V().All()" "export" "load --allow-unknown $NEWQ" "check" "salvage $WORK/salvaged.nq --force" "backup $WORK/backup.db --force"; do
    rm -f "$db" "$db".*
    : >"$db"
    # shellcheck disable=SC2086 # the arguments are words
    run 20 p "$db" $args
    judge "$c" "$args" eval 'ended 1 && { [ "$(stat -c %s "$db")" = 0 ] || { WHY="the empty file was written: now $(stat -c %s "$db") bytes"; false; }; } && { ! grep -qiE "bad file descriptor|nil pointer" "$ERR" || { WHY="an unclear line (a raw system or runtime error)"; false; }; }'
  done
}

class_invalid_values() {
  local c="5 invalid JSON-LD values" name s
  class "$c"
  s=$(sha "$SEEDDB")
  # Each document is valid but for one value: a typed, labelled entity of the vocabulary.
  local ctx='{"parley": "https://w3id.org/parley/", "rdfs": "http://www.w3.org/2000/01/rdf-schema#"}'
  local x='"@id": "parley:hardening-x", "@type": "parley:Person"'
  jsonld iri-space "$ctx" '"@id": "parley:x y", "@type": "parley:Person", "rdfs:label": "X"'
  jsonld iri-nul "$ctx" '"@id": "parley:a\u0000b", "@type": "parley:Person", "rdfs:label": "X"'
  jsonld iri-brackets "$ctx" '"@id": "http://exa mple.org/<>", "@type": "parley:Person", "rdfs:label": "X"'
  jsonld iri-newline "$ctx" '"@id": "parley:a\nb", "@type": "parley:Person", "rdfs:label": "X"'
  jsonld type-iri "$ctx" '"@id": "parley:hardening-x", "@type": "parley:Per son", "rdfs:label": "X"'
  jsonld lang-space "$ctx" "$x"', "rdfs:label": {"@value": "X", "@language": "not a tag!"}'
  jsonld lang-empty "$ctx" "$x"', "rdfs:label": {"@value": "X", "@language": ""}'
  jsonld lang-underscore "$ctx" "$x"', "rdfs:label": {"@value": "X", "@language": "en_GB"}'
  jsonld lang-digit "$ctx" "$x"', "rdfs:label": {"@value": "X", "@language": "1en"}'
  jsonld lang-dash "$ctx" "$x"', "rdfs:label": {"@value": "X", "@language": "en-"}'
  for name in iri-space iri-nul iri-brackets iri-newline type-iri lang-space lang-empty lang-underscore lang-digit lang-dash; do
    run 20 p "$SEEDDB" load "$WORK/$name.jsonld"
    judge "$c" "$name" eval 'ended 3 && located "$WORK/$name.jsonld" && unchanged "$SEEDDB" "$s"'
  done
}

# --- the run ---------------------------------------------------------------------------

class_nothing_fetched
class_killed
class_journal
class_pipes
class_damaged
class_meta
class_queries
class_inputs
class_interrupted
class_zero_length
class_invalid_values

TOTAL=$(awk -v a="$START" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.0f", b - a }')
COMMIT=$(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo unknown)
[ -z "$(git -C "$REPO" status --porcelain 2>/dev/null)" ] || COMMIT="$COMMIT (with uncommitted changes)"
echo "Attacks on parley $COMMIT ($BIN), $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, N=$N, seed $SEED: ${TOTAL} s."
echo
echo "| class | tried | held | figures |"
echo "|---|---|---|---|"
for c in "${ROWS[@]}"; do
  echo "| $c | ${TRIED[$c]} | ${HELD[$c]} | ${FIG[$c]} |"
done
if [ ${#FAILS[@]} -gt 0 ]; then
  echo
  echo "Not held:"
  printf -- '- %s\n' "${FAILS[@]}"
fi
say "done in ${TOTAL} s"
