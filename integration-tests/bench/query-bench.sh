#!/usr/bin/env bash
# Snapshot-query benchmark of the Lakeshare server: generates two synthetic Delta tables (100,000
# and 10,000 files with stats and a Kernel checkpoint), serves them from a fresh server JVM and
# measures query latency, server CPU per request, peak RSS, metadata/shares latency and
# requests/s under load, next to a Kernel-only listing baseline. Prints a summary table. The first
# query of a fresh JVM is measured twice: sent as the port opens, and once /health/ready no longer
# says WARMING (the start-up warm-up has filled the tables' latest file lists).
# Everything binds 127.0.0.1. See integration-tests/README.md, section "Benchmarks".
set -euo pipefail
export LC_ALL=C

usage() {
  cat <<'EOF'
Usage: integration-tests/bench/query-bench.sh [options]
  --work DIR        keep tables and logs in DIR (tables already there are reused); default: a
                    temporary directory removed at the end
  --keep            keep the temporary directory
  --rebuild         rebuild the server jar even if it exists
  --profile         also record the 100k warm queries with JFR and print the top frames
  --large N         files in the large table (default 100000)
  --small N         files in the small table (default 10000)
  --runs N          warm requests per measurement (default 20)
  --warmup N        unmeasured requests after the first query, before the warm ones, so that the
                    JIT compiler has finished with the hot path (default 30)
  --load-seconds N  duration of the load test (default 20)
  --heap SIZE       server -Xmx (default 2g)
  --commits N       commits of the change-query table (10 files each; default 1000; 0 skips the
                    change-query phase)
  --server-java J   the java launcher of the server JVMs (default: java on PATH), e.g. a JDK 25
  --server-opts S   extra JVM options of the server JVMs (split at spaces), e.g. an AOT cache
Environment: LAKESHARE_JAR overrides the server jar.
EOF
}

REPO=$(cd "$(dirname "$0")/../.." && pwd)
JAR=${LAKESHARE_JAR:-$REPO/sharing-server/target/lakeshare-server-0.1.0-SNAPSHOT-all.jar}
WORK=""
KEEP=0
REBUILD=0
PROFILE=0
LARGE=100000
SMALL=10000
RUNS=20
WARMUP=30
LOAD_SECONDS=20
LOAD_THREADS=2
LOAD_CONNECTIONS=4
HEAP=2g
COMMITS=1000
SERVER_JAVA=java
SERVER_OPTS=""
TOKEN=bench-token
SHARE=bench
SCHEMA=default

while [ $# -gt 0 ]; do
  case "$1" in
    --work) WORK=$2; shift 2 ;;
    --keep) KEEP=1; shift ;;
    --rebuild) REBUILD=1; shift ;;
    --profile) PROFILE=1; shift ;;
    --large) LARGE=$2; shift 2 ;;
    --small) SMALL=$2; shift 2 ;;
    --runs) RUNS=$2; shift 2 ;;
    --warmup) WARMUP=$2; shift 2 ;;
    --load-seconds) LOAD_SECONDS=$2; shift 2 ;;
    --heap) HEAP=$2; shift 2 ;;
    --commits) COMMITS=$2; shift 2 ;;
    --server-java) SERVER_JAVA=$2; shift 2 ;;
    --server-opts) SERVER_OPTS=$2; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "Unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
done

if [ -z "$WORK" ]; then
  WORK=$(mktemp -d "${TMPDIR:-/tmp}/lakeshare-bench.XXXXXX")
  OWN_WORK=1
else
  mkdir -p "$WORK"
  WORK=$(cd "$WORK" && pwd)
  OWN_WORK=0
fi
LARGE_T=t$LARGE
SMALL_T=t$SMALL
CHANGES_T=c$COMMITS
TINY_T=t9
SERVER_PID=""

stop_server() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 1 60); do
      kill -0 "$SERVER_PID" 2>/dev/null || break
      sleep 0.5
    done
    kill -0 "$SERVER_PID" 2>/dev/null && kill -KILL "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  SERVER_PID=""
}

cleanup() {
  stop_server
  if [ "$OWN_WORK" = 1 ] && [ "$KEEP" = 0 ]; then
    rm -rf "$WORK"
  fi
}
trap cleanup EXIT

log() { echo "[bench $(date +%H:%M:%S)] $*" >&2; }

# --- build -----------------------------------------------------------------------------------
if [ "$REBUILD" = 1 ] || [ ! -f "$JAR" ]; then
  log "building the server jar"
  (cd "$REPO" && mvn -o -q -B -pl sharing-server -am package -DskipTests \
    -Dspotless.check.skip=true -Denforcer.skip=true)
fi
[ -f "$JAR" ] || { echo "No server jar at $JAR" >&2; exit 1; }

log "compiling the benchmark classes against $JAR"
rm -rf "$WORK/classes"
mkdir -p "$WORK/classes"
javac --release 17 -nowarn -cp "$JAR" -d "$WORK/classes" \
  "$REPO"/integration-tests/src/test/java/io/lakeshare/it/bench/*.java
CP="$WORK/classes:$JAR"
PKG=io.lakeshare.it.bench

LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)

# --- tables ----------------------------------------------------------------------------------
generate() { # name files [commits] [partitions]
  if [ -d "$WORK/$1/_delta_log" ]; then
    log "reusing $WORK/$1"
  else
    log "generating $1 ($2 files, ${3:-10} commits)"
    java -Xmx3g -cp "$CP" "$PKG.SyntheticDeltaLog" "$WORK/$1" "$2" "${3:-10}" "${4:-100}" \
      2>"$WORK/gen-$1.err" \
      | tee "$WORK/gen-$1.out" >&2 || { cat "$WORK/gen-$1.err" >&2; exit 1; }
  fi
}
generate "$LARGE_T" "$LARGE"
generate "$SMALL_T" "$SMALL"
generate "$TINY_T" 9 3 3
if [ "$COMMITS" -gt 0 ]; then
  generate "$CHANGES_T" $((COMMITS * 10)) "$COMMITS"
fi

# --- Kernel-only baseline (before any server runs, so nothing competes with it) --------------
kv() { # key line -> value of key=value in line
  tr ' ' '\n' <<<"$2" | awk -F= -v k="$1" '$1==k {print $2}'
}
log "Kernel baseline on $LARGE_T"
BASE_L=$(java -Xmx"$HEAP" -cp "$CP" "$PKG.KernelScanBaseline" "$WORK/$LARGE_T" "$RUNS" \
  2>"$WORK/baseline.err" | tail -1)
log "$BASE_L"
log "Kernel baseline on $SMALL_T"
BASE_S=$(java -Xmx"$HEAP" -cp "$CP" "$PKG.KernelScanBaseline" "$WORK/$SMALL_T" "$RUNS" \
  2>>"$WORK/baseline.err" | tail -1)
log "$BASE_S"

# --- server ----------------------------------------------------------------------------------
cat >"$WORK/bench.yaml" <<EOF
version: 1
shares:
- name: "$SHARE"
  schemas:
  - name: "$SCHEMA"
    tables:
    - name: "$LARGE_T"
      location: "$WORK/$LARGE_T"
      id: "00000000-0000-4000-8000-00000000b100"
    - name: "$SMALL_T"
      location: "$WORK/$SMALL_T"
      id: "00000000-0000-4000-8000-00000000b010"
    - name: "$TINY_T"
      location: "$WORK/$TINY_T"
      id: "00000000-0000-4000-8000-000000000009"
    - name: "$CHANGES_T"
      location: "$WORK/$CHANGES_T"
      id: "00000000-0000-4000-8000-00000000c100"
      historyShared: true
authorization:
  bearerToken: "$TOKEN"
host: "127.0.0.1"
port: 0
endpoint: "/delta-sharing"
requestTimeoutSeconds: 900
metrics:
  path: /metrics
EOF

start_server() { # label [extra JVM options...]
  local label=$1
  shift
  local out="$WORK/server-$label.log"
  : >"$out" # exists before the background job opens it, for the polling below
  LAUNCHED=$(date +%s.%N)
  # shellcheck disable=SC2086
  "$SERVER_JAVA" -Xmx"$HEAP" $SERVER_OPTS "$@" -jar "$JAR" serve --config "$WORK/bench.yaml" \
    >"$out" 2>&1 &
  SERVER_PID=$!
  PORT=""
  for _ in $(seq 1 240); do
    PORT=$(sed -n 's/.*Lakeshare is serving on port \([0-9]*\).*/\1/p' "$out" | head -1)
    [ -n "$PORT" ] && break
    kill -0 "$SERVER_PID" 2>/dev/null || { cat "$out" >&2; echo "server died" >&2; exit 1; }
    sleep 0.5
  done
  [ -n "$PORT" ] || { cat "$out" >&2; echo "server did not start in 120 s" >&2; exit 1; }
  BASE="http://127.0.0.1:$PORT/delta-sharing"
  PORT_S=$(since "$LAUNCHED")
  log "server $label: pid $SERVER_PID, $BASE, port open ${PORT_S}s after launch"
}

since() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN {printf "%.2f", b - a}'; }

# Waits until readiness no longer says the start-up warm-up runs (it fills the latest file lists
# of the shared tables); sets READY_S, seconds from launch.
wait_warm_up() {
  local body
  for _ in $(seq 1 3000); do
    body=$(curl -s "http://127.0.0.1:$PORT/health/ready" || true)
    case "$body" in *WARMING*) sleep 0.1 ;; *) break ;; esac
  done
  READY_S=$(since "$LAUNCHED")
  log "warm-up over ${READY_S}s after launch: $body"
}

TABLES_URL() { echo "$BASE/shares/$SHARE/schemas/$SCHEMA/tables/$1"; }

query() { # table [outfile] [body] -> "code ttfb total bytes"
  curl -sS -o "${2:-/dev/null}" --max-time 900 \
    -w '%{http_code} %{time_starttransfer} %{time_total} %{size_download}\n' \
    -X POST -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
    --data "${3:-"{}"}" "$(TABLES_URL "$1")/query"
}

get() { # url -> "code ttfb total bytes"
  curl -sS -o /dev/null --max-time 120 \
    -w '%{http_code} %{time_starttransfer} %{time_total} %{size_download}\n' \
    -H "Authorization: Bearer $TOKEN" "$1"
}

cpu_ticks() { sed 's/^.*) //' "/proc/$SERVER_PID/stat" | awk '{print $12 + $13}'; }
hwm_mb() { awk '/^VmHWM/ {printf "%.0f", $2 / 1024}' "/proc/$SERVER_PID/status"; }
# The server's own measure of its caches and heap (Prometheus text): "<file-list cache MB> of <budget
# MB>, heap used <MB>", or n/a for a build without these metrics.
cache_mb() {
  curl -s "http://127.0.0.1:$PORT/metrics" | awk '
    /^lakeshare_file_list_cache_bytes / {c = $2}
    /^lakeshare_file_list_cache_max_bytes / {m = $2}
    /^jvm_memory_used_bytes\{area="heap"/ {h = $2}
    END { if (m == "") print "n/a"; else printf "%.0f of %.0f, heap used %.0f", c / 1048576, m / 1048576, h / 1048576 }'
}
# Heap bytes the server JVM has allocated so far (its own counter), or empty for a build without it.
allocated() {
  curl -s "http://127.0.0.1:$PORT/metrics" |
    awk '/^lakeshare_jvm_allocated_bytes_total / {printf "%.0f", $2}'
}
# MB allocated per request between two allocated() readings, or n/a
alloc_mb() { # before after requests
  if [ -z "$1" ] || [ -z "$2" ]; then echo n/a; return; fi
  awk -v a="$1" -v b="$2" -v n="$3" 'BEGIN {printf "%.0f", (b - a) / n / 1048576}'
}
TICKS=$(getconf CLK_TCK)

# "median min max" of numbers on stdin
stats() { sort -g | awk '{a[NR]=$1} END {m = NR % 2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2;
  printf "%.3f %.3f %.3f\n", m, a[1], a[NR]}'; }

require_ok() { # "code ..." what
  [ "${1%% *}" = 200 ] || { echo "$2 answered HTTP ${1%% *}" >&2; exit 1; }
}

# Runs the first query and $RUNS warm ones on a table; sets FIRST, FIRST_TTFB, FIRST_CPU (server
# CPU s), WARM (median min max of total), TTFB (median), BYTES, CPU (s/request), FILES (file
# lines in the answer).
# The first query of a table on this server; sets FIRST, FIRST_TTFB, FIRST_CPU (server CPU s) and
# BYTES.
first_query() { # table [outfile]
  local line before after
  before=$(cpu_ticks)
  line=$(query "$1" "${2:-/dev/null}")
  after=$(cpu_ticks)
  require_ok "$line" "first query on $1"
  FIRST=$(awk '{print $3}' <<<"$line")
  FIRST_TTFB=$(awk '{print $2}' <<<"$line")
  FIRST_CPU=$(awk -v d=$((after - before)) -v tk="$TICKS" 'BEGIN {printf "%.2f", d / tk}')
  BYTES=$(awk '{print $4}' <<<"$line")
}

measure_queries() { # table expected-files
  local t=$1 line before after samples
  first_query "$t" "$WORK/$t.ndjson"
  # The server may separate lines with a leading space (Jackson's root value separator).
  FILES=$(grep -c '^ *{"file"' "$WORK/$t.ndjson" || true)
  mv "$WORK/$t.ndjson" "$WORK/$t.answer.ndjson" # the floor phase serves it again
  log "$t first query: ${FIRST}s (first byte ${FIRST_TTFB}s, server CPU ${FIRST_CPU}s)," \
    "$BYTES bytes, $FILES file lines"
  [ "$FILES" = "$2" ] || { echo "$t answered $FILES files, expected $2" >&2; exit 1; }
  for _ in $(seq 1 "$WARMUP"); do
    line=$(query "$t")
    require_ok "$line" "warm-up query on $t"
  done
  samples="$WORK/$t.samples"
  : >"$samples"
  local alloc0 alloc1
  alloc0=$(allocated)
  before=$(cpu_ticks)
  for i in $(seq 1 "$RUNS"); do
    line=$(query "$t")
    require_ok "$line" "warm query $i on $t"
    echo "$line" >>"$samples"
  done
  after=$(cpu_ticks)
  alloc1=$(allocated)
  ALLOC=$(alloc_mb "$alloc0" "$alloc1" "$RUNS")
  WARM=$(awk '{print $3}' "$samples" | stats)
  TTFB=$(awk '{print $2}' "$samples" | stats | cut -d' ' -f1)
  CPU=$(awk -v d=$((after - before)) -v tk="$TICKS" -v n="$RUNS" \
    'BEGIN {printf "%.2f", d / tk / n}')
  log "$t warm (median min max): $WARM s, ttfb median ${TTFB}s, CPU ${CPU}s/request," \
    "allocated ${ALLOC} MB/request"
}

measure_get() { # url -> sets GETMS (median min max in ms)
  local line samples="$WORK/get.samples"
  : >"$samples"
  for _ in $(seq 1 "$RUNS"); do
    line=$(get "$1")
    require_ok "$line" "GET $1"
    echo "$line" >>"$samples"
  done
  GETMS=$(awk '{print $3 * 1000}' "$samples" | stats)
}

# --- phase A0: the first large query of a fresh JVM that does not wait for its warm-up --------
start_server eager
first_query "$LARGE_T"
E_FIRST=$FIRST E_FIRST_TTFB=$FIRST_TTFB E_FIRST_CPU=$FIRST_CPU E_PORT=$PORT_S
log "$LARGE_T first query sent as the port opened: ${E_FIRST}s (first byte ${E_FIRST_TTFB}s)"
stop_server

# --- phase A: large table in a fresh JVM, first query once readiness says the warm-up is over --
start_server large
wait_warm_up
L_READY=$READY_S
measure_queries "$LARGE_T" "$LARGE"
L_FIRST=$FIRST L_FIRST_TTFB=$FIRST_TTFB L_FIRST_CPU=$FIRST_CPU
L_WARM=$WARM L_TTFB=$TTFB L_BYTES=$BYTES L_CPU=$CPU L_FILES=$FILES L_ALLOC=$ALLOC
L_HWM=$(hwm_mb)
L_CACHE=$(cache_mb)
measure_get "$(TABLES_URL "$LARGE_T")/metadata"
L_META=$GETMS
stop_server

# --- phase B: small table, metadata, shares and load in another fresh JVM --------------------
start_server small
wait_warm_up
measure_queries "$SMALL_T" "$SMALL"
S_FIRST=$FIRST S_FIRST_TTFB=$FIRST_TTFB S_FIRST_CPU=$FIRST_CPU
S_WARM=$WARM S_TTFB=$TTFB S_BYTES=$BYTES S_CPU=$CPU S_FILES=$FILES S_ALLOC=$ALLOC
S_HWM=$(hwm_mb)
S_CACHE=$(cache_mb)
measure_get "$(TABLES_URL "$SMALL_T")/metadata"
S_META=$GETMS
measure_get "$BASE/shares"
SHARES=$GETMS

LOAD_TOOL=""
if ! command -v wrk >/dev/null 2>&1; then
  log "wrk missing; trying apt-get install -y wrk"
  (apt-get update -qq && apt-get install -y -qq wrk) >"$WORK/apt.log" 2>&1 || true
fi
before=$(cpu_ticks)
if command -v wrk >/dev/null 2>&1; then
  LOAD_TOOL="wrk -t$LOAD_THREADS -c$LOAD_CONNECTIONS -d${LOAD_SECONDS}s"
  cat >"$WORK/post.lua" <<EOF
wrk.method = "POST"
wrk.body = "{}"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $TOKEN"
EOF
  # wrk's default 2 s timeout would drop slow answers; let every request finish.
  wrk -t"$LOAD_THREADS" -c"$LOAD_CONNECTIONS" -d"${LOAD_SECONDS}s" --timeout 120s --latency \
    -s "$WORK/post.lua" "$(TABLES_URL "$SMALL_T")/query" >"$WORK/wrk.out" 2>&1
  cat "$WORK/wrk.out" >&2
  RPS=$(awk '/^Requests\/sec:/ {print $2}' "$WORK/wrk.out")
  DONE=$(awk '/requests in/ {print $1}' "$WORK/wrk.out")
  BAD=$(awk '/Non-2xx/ {print $NF}' "$WORK/wrk.out")
  ERRS=$(sed -n 's/.*Socket errors: \(.*\)/\1/p' "$WORK/wrk.out")
  LOAD_NOTE="non-2xx: ${BAD:-0}; socket errors: ${ERRS:-none}"
else
  LOAD_TOOL="Java PostLoad, $LOAD_CONNECTIONS connections, ${LOAD_SECONDS}s (wrk unavailable)"
  line=$(java -cp "$CP" "$PKG.PostLoad" "$(TABLES_URL "$SMALL_T")/query" "$TOKEN" \
    "$LOAD_CONNECTIONS" "$LOAD_SECONDS" | tail -1)
  log "$line"
  RPS=$(kv requestsPerSecond "$line")
  DONE=$(kv ok "$line")
  LOAD_NOTE="failed: $(kv failed "$line")"
fi
after=$(cpu_ticks)
LOAD_CPU=$(awk -v d=$((after - before)) -v tk="$TICKS" -v n="${DONE:-0}" \
  'BEGIN {printf "%.2f", (n > 0 ? d / tk / n : 0)}')
S_HWM_LOAD=$(hwm_mb)

# Small requests with keep-alive connections (wrk): latency of one connection in a loop, and
# requests/s of a 9-file query with $LOAD_CONNECTIONS connections. curl's figures above include a
# new connection per request.
line=$(query "$TINY_T" "$WORK/tiny.ndjson")
require_ok "$line" "query on $TINY_T"
[ "$(grep -c '^ *{"file"' "$WORK/tiny.ndjson" || true)" = 9 ] ||
  { echo "$TINY_T did not answer 9 files" >&2; exit 1; }
SHORT_SECONDS=$(((LOAD_SECONDS + 1) / 2))
# wrk's median latency as milliseconds ("812.00us", "1.23ms", "2.01s")
wrk_ms() {
  awk '{v = $1; u = v; sub(/^[0-9.]+/, "", u); sub(/[a-z]+$/, "", v);
    f = (u == "us") ? 0.001 : (u == "ms") ? 1 : (u == "s") ? 1000 : (u == "m") ? 60000 : -1;
    if (f < 0) print "?"; else printf "%.2f", v * f}'
}
# Sets WRK (requests/s, median ms, 99th percentile ms) or n/a without wrk.
wrk_run() { # label threads connections script url
  local out="$WORK/wrk-$1.out"
  WRK="n/a"
  command -v wrk >/dev/null 2>&1 || return 0
  wrk -t"$2" -c"$3" -d"${SHORT_SECONDS}s" --timeout 120s --latency -s "$WORK/$4" "$5" \
    >"$out" 2>&1
  if grep -q 'Non-2xx' "$out"; then
    cat "$out" >&2
    echo "wrk $1: answers other than 2xx" >&2
    exit 1
  fi
  WRK="$(awk '/^Requests\/sec:/ {printf "%.0f", $2}' "$out") req/s,"
  WRK="$WRK median $(awk '$1 == "50%" {print $2}' "$out" | wrk_ms) ms,"
  WRK="$WRK p99 $(awk '$1 == "99%" {print $2}' "$out" | wrk_ms) ms"
  log "wrk $1: $WRK"
}
cat >"$WORK/get.lua" <<EOF
wrk.headers["Authorization"] = "Bearer $TOKEN"
EOF
wrk_run metadata 1 1 get.lua "$(TABLES_URL "$SMALL_T")/metadata"
K_META=$WRK
wrk_run shares 1 1 get.lua "$BASE/shares"
K_SHARES=$WRK
wrk_run tiny1 1 1 post.lua "$(TABLES_URL "$TINY_T")/query"
K_TINY1=$WRK
wrk_run tiny "$LOAD_THREADS" "$LOAD_CONNECTIONS" post.lua "$(TABLES_URL "$TINY_T")/query"
K_TINY=$WRK
stop_server

# --- floor: the large answer's bytes from memory through HTTP and the loopback socket ---------
log "floor: serving the saved $LARGE_T answer from memory"
java -Xmx"$HEAP" -cp "$CP" "$PKG.BytesServer" "$WORK/$LARGE_T.answer.ndjson" \
  >"$WORK/floor.out" 2>&1 &
SERVER_PID=$!
PORT=""
for _ in $(seq 1 100); do
  PORT=$(sed -n 's/^port=//p' "$WORK/floor.out")
  [ -n "$PORT" ] && break
  sleep 0.1
done
[ -n "$PORT" ] || { cat "$WORK/floor.out" >&2; echo "floor server did not start" >&2; exit 1; }
BASE="http://127.0.0.1:$PORT/delta-sharing"
for _ in $(seq 1 "$WARMUP"); do query "$LARGE_T" >/dev/null; done # warm-up
: >"$WORK/floor.samples"
before=$(cpu_ticks)
for _ in $(seq 1 "$RUNS"); do
  line=$(query "$LARGE_T")
  require_ok "$line" "floor request"
  echo "$line" >>"$WORK/floor.samples"
done
after=$(cpu_ticks)
F_WARM=$(awk '{print $3}' "$WORK/floor.samples" | stats)
F_CPU=$(awk -v d=$((after - before)) -v tk="$TICKS" -v n="$RUNS" 'BEGIN {printf "%.2f", d / tk / n}')
F_BYTES=$(awk 'NR == 1 {print $4}' "$WORK/floor.samples")
log "floor: warm $F_WARM s, CPU ${F_CPU}s/request, $F_BYTES bytes"
stop_server
rm -f "$WORK"/*.answer.ndjson

# --- phase D: change queries over many commits (E8 startingVersion) ---------------------------
# Sets <prefix>_FIRST (s), <prefix>_WARM (median min max s), <prefix>_CPU (s/request),
# <prefix>_LINES (file lines of the first answer).
measure_changes() { # prefix body
  local line before after samples="$WORK/changes.samples" out="$WORK/changes.ndjson"
  before=$(cpu_ticks)
  line=$(query "$CHANGES_T" "$out" "$2")
  after=$(cpu_ticks)
  require_ok "$line" "change query $2"
  printf -v "$1_FIRST" '%s' "$(awk '{print $3}' <<<"$line")"
  printf -v "$1_FIRST_CPU" '%s' \
    "$(awk -v d=$((after - before)) -v tk="$TICKS" 'BEGIN {printf "%.2f", d / tk}')"
  printf -v "$1_LINES" '%s' "$(grep -c '^ *{"add"' "$out" || true)"
  rm -f "$out"
  for _ in $(seq 1 "$WARMUP"); do
    line=$(query "$CHANGES_T" /dev/null "$2")
    require_ok "$line" "warm-up change query"
  done
  : >"$samples"
  before=$(cpu_ticks)
  for i in $(seq 1 "$RUNS"); do
    line=$(query "$CHANGES_T" /dev/null "$2")
    require_ok "$line" "warm change query $i"
    echo "$line" >>"$samples"
  done
  after=$(cpu_ticks)
  printf -v "$1_WARM" '%s' "$(awk '{print $3}' "$samples" | stats)"
  printf -v "$1_CPU" '%s' "$(awk -v d=$((after - before)) -v tk="$TICKS" -v n="$RUNS" \
    'BEGIN {printf "%.3f", d / tk / n}')"
  log "change query $2: first $(eval echo "\$$1_FIRST") s, warm $(eval echo "\$$1_WARM") s," \
    "CPU $(eval echo "\$$1_CPU") s/request, $(eval echo "\$$1_LINES") add lines"
}
if [ "$COMMITS" -gt 0 ]; then
  start_server changes
  wait_warm_up
  measure_changes C_ALL '{"startingVersion":1}'
  measure_changes C_PAGE '{"startingVersion":1,"maxFiles":1000}'
  stop_server
fi

# --- optional phase C: JFR profile of warm large-table queries --------------------------------
if [ "$PROFILE" = 1 ]; then
  start_server profile \
    "-XX:StartFlightRecording=filename=$WORK/large.jfr,settings=profile,dumponexit=true"
  COLD_FROM=$(date +%s%3N)
  line=$(query "$LARGE_T")
  require_ok "$line" "profiled first query"
  SINCE=$(date +%s%3N)
  for i in $(seq 1 5); do
    line=$(query "$LARGE_T")
    require_ok "$line" "profiled warm query $i"
  done
  stop_server
  {
    echo "Profile of the 5 warm $LARGE-file queries:"
    java -cp "$CP" "$PKG.JfrTopFrames" "$WORK/large.jfr" 15 "$SINCE"
    echo
    echo "Profile of the first (cold) $LARGE-file query alone:"
    java -cp "$CP" "$PKG.JfrTopFrames" "$WORK/large.jfr" 8 "$COLD_FROM" "$SINCE"
  } >"$WORK/jfr-summary.txt"
fi

LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg)

# --- summary ---------------------------------------------------------------------------------
ms() { awk -v s="$1" 'BEGIN {printf "%.0f", s * 1000}'; }
trio_ms() { awk '{printf "%.0f (%.0f-%.0f)", $1 * 1000, $2 * 1000, $3 * 1000}' <<<"$1"; }
trio_int() { awk '{printf "%.0f (%.0f-%.0f)", $1, $2, $3}' <<<"$1"; }
share() { # part whole -> percent
  awk -v p="$1" -v w="$2" 'BEGIN {printf "%.0f%%", (w > 0 ? 100 * p / w : 0)}'
}
L_MED=$(cut -d' ' -f1 <<<"$L_WARM")
S_MED=$(cut -d' ' -f1 <<<"$S_WARM")

{
  echo
  echo "=== Lakeshare snapshot-query benchmark ==="
  echo "machine: $(nproc) cores," \
    "$(awk '/MemTotal/ {printf "%.0f GB", $2/1048576}' /proc/meminfo) RAM;" \
    "load average at start $LOAD_START, at end $LOAD_END"
  echo "server java: $("$SERVER_JAVA" -version 2>&1 | head -1)${SERVER_OPTS:+ with $SERVER_OPTS};" \
    "server -Xmx$HEAP, fresh JVM per phase;" \
    "$RUNS warm requests after $WARMUP unmeasured ones"
  echo "commit: $(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo '?')"
  echo
  # Reference figures were taken on 100000- and 10000-file tables; they do not apply otherwise.
  ref_l() { [ "$LARGE" != 100000 ] || echo "$1"; }
  ref_s() { [ "$SMALL" != 10000 ] || echo "$1"; }
  row() { printf '%-50s %-28s %s\n' "$1" "$2" "$3"; }
  row "metric" "measured" "reference"
  row "$(printf '%.0s-' {1..50})" "$(printf '%.0s-' {1..28})" "$(printf '%.0s-' {1..20})"
  row "fresh JVM: port open, warm-up over (s after launch)" "$E_PORT, $L_READY" ""
  row "$LARGE files: first query once warmed up (ms)" "$(ms "$L_FIRST")" "$(ref_l 14000-15000)"
  row "  first byte ms, server CPU s" "$(ms "$L_FIRST_TTFB"), $L_FIRST_CPU" ""
  row "$LARGE files: first query as the port opens (ms)" "$(ms "$E_FIRST")" "$(ref_l 14000-15000)"
  row "  first byte ms, server CPU s" "$(ms "$E_FIRST_TTFB"), $E_FIRST_CPU" ""
  row "$LARGE files: warm total, median (min-max) ms" "$(trio_ms "$L_WARM")" "$(ref_l 5000-7200)"
  row "$LARGE files: warm time to first byte, median ms" "$(ms "$L_TTFB")" ""
  row "$LARGE files: server CPU s / warm request" "$L_CPU" "$(ref_l 5.7-7.9)"
  row "$LARGE files: heap allocated MB / warm request" "$L_ALLOC" ""
  row "$LARGE files: response bytes (file lines)" "$L_BYTES ($L_FILES)" ""
  row "$LARGE files: peak RSS (VmHWM) MB" "$L_HWM" "$(ref_l 2300-3400)"
  row "  file-list cache MB of budget, heap used MB" "$L_CACHE" ""
  row "$LARGE files: GET metadata median (min-max) ms" "$(trio_int "$L_META")" ""
  row "$SMALL files: first query once warmed up (ms)" "$(ms "$S_FIRST")" ""
  row "  first byte ms, server CPU s" "$(ms "$S_FIRST_TTFB"), $S_FIRST_CPU" ""
  row "$SMALL files: warm total, median (min-max) ms" "$(trio_ms "$S_WARM")" "$(ref_s 680-940)"
  row "$SMALL files: warm time to first byte, median ms" "$(ms "$S_TTFB")" ""
  row "$SMALL files: server CPU s / warm request" "$S_CPU" ""
  row "$SMALL files: heap allocated MB / warm request" "$S_ALLOC" ""
  row "$SMALL files: response bytes (file lines)" "$S_BYTES ($S_FILES)" ""
  row "$SMALL files: peak RSS MB (after load test)" "$S_HWM ($S_HWM_LOAD)" ""
  row "  file-list cache MB of budget, heap used MB" "$S_CACHE" ""
  row "$SMALL files: GET metadata median (min-max) ms" "$(trio_int "$S_META")" "$(ref_s 37-233)"
  row "GET /shares median (min-max) ms" "$(trio_int "$SHARES")" "5-11"
  row "$SMALL files: requests/s, $LOAD_CONNECTIONS connections" "$RPS" "$(ref_s 2.0-2.2)"
  row "  load: completed requests, CPU s / request" "${DONE:-?}, $LOAD_CPU" ""
  echo "  load tool: $LOAD_TOOL; $LOAD_NOTE"
  echo "keep-alive connections (wrk, ${SHORT_SECONDS} s each): requests/s, median, 99th percentile"
  row "  GET .../metadata, 1 connection" "$K_META" ""
  row "  GET /shares, 1 connection" "$K_SHARES" ""
  row "  9-file query, 1 connection" "$K_TINY1" ""
  row "  9-file query, $LOAD_CONNECTIONS connections" "$K_TINY" ""
  if [ "$COMMITS" -gt 0 ]; then
    row "changes v1-$((COMMITS - 1)) ($C_ALL_LINES adds): first ms, CPU s" \
      "$(ms "$C_ALL_FIRST"), $C_ALL_FIRST_CPU" ""
    row "  warm median (min-max) ms, CPU s / request" "$(trio_ms "$C_ALL_WARM"), $C_ALL_CPU" ""
    row "  first page of 1000 files: first ms, CPU s" \
      "$(ms "$C_PAGE_FIRST"), $C_PAGE_FIRST_CPU" ""
    row "  first page: warm median (min-max) ms, CPU s" \
      "$(trio_ms "$C_PAGE_WARM"), $C_PAGE_CPU" ""
  fi
  echo
  echo "Kernel-only baseline (same fresh-JVM/warm split, no HTTP, JSON or signing):"
  row "$LARGE files: cold snapshot load + listing ms" \
    "$(kv coldSnapshotMs "$BASE_L") + $(kv coldListMs "$BASE_L")" ""
  row "$LARGE files: warm listing median (min-max) ms" \
    "$(kv warmMedianMs "$BASE_L") ($(kv warmMinMs "$BASE_L")-$(kv warmMaxMs "$BASE_L"))" ""
  row "$LARGE files: CPU ms / warm listing" "$(kv warmCpuMsPerListing "$BASE_L")" ""
  row "$SMALL files: warm listing median ms" "$(kv warmMedianMs "$BASE_S")" ""
  row "$SMALL files: CPU ms / warm listing" "$(kv warmCpuMsPerListing "$BASE_S")" ""
  echo "Kernel listing share of the server's warm query: $LARGE files" \
    "$(share "$(kv warmMedianMs "$BASE_L")" "$(ms "$L_MED")") of wall time," \
    "$(share "$(kv warmCpuMsPerListing "$BASE_L")" "$(ms "$L_CPU")") of CPU;" \
    "$SMALL files $(share "$(kv warmMedianMs "$BASE_S")" "$(ms "$S_MED")") of wall time," \
    "$(share "$(kv warmCpuMsPerListing "$BASE_S")" "$(ms "$S_CPU")") of CPU"
  echo "(the rest is JSON writing, file ids, URL signing, HTTP and GC)"
  echo
  echo "Floor: the same $LARGE-file answer ($F_BYTES bytes) from memory through HTTP and loopback:"
  row "warm total, median (min-max) ms" "$(trio_ms "$F_WARM")" ""
  row "CPU s / request (the floor server's process)" "$F_CPU" ""
  echo "Server vs floor: $(awk -v s="$L_MED" -v f="$(cut -d' ' -f1 <<<"$F_WARM")" \
    'BEGIN {printf "%.1fx", s / f}') the wall time," \
    "$(awk -v s="$L_CPU" -v f="$F_CPU" 'BEGIN {printf "%.1fx", (f > 0 ? s / f : 0)}') the CPU"
  if [ "$PROFILE" = 1 ]; then
    echo
    cat "$WORK/jfr-summary.txt"
  fi
  if [ "$OWN_WORK" = 0 ] || [ "$KEEP" = 1 ]; then
    echo
    echo "logs and tables: $WORK"
  fi
}
