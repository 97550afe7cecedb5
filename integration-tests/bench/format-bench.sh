#!/usr/bin/env bash
# Response-format benchmark of the server's snapshot query: the 100,000-file synthetic table of
# query-bench.sh answered in responseformat=parquet and in responseformat=delta by the same server
# JVM, alternating, with warm latency, time to first byte, server CPU per request and response
# bytes for each, and their ratio. Optionally profiles both with JFR. Prints a summary table.
# Everything binds 127.0.0.1. See integration-tests/README.md, section "Benchmarks".
set -euo pipefail
export LC_ALL=C

usage() {
  cat <<'EOF'
Usage: integration-tests/bench/format-bench.sh [options]
  --work DIR     keep the table and logs in DIR (a table already there is reused, also one written
                 by query-bench.sh --work DIR); default: a temporary directory removed at the end
  --keep         keep the temporary directory
  --rebuild      rebuild the server jar even if it exists
  --profile      also record 3 warm queries per format with JFR in a second server JVM and print
                 the top frames of each
  --files N      files in the table (default 100000)
  --runs N       warm requests per format (default 10); rounds alternate the order
  --heap SIZE    server -Xmx (default 2g)
Environment: LAKESHARE_JAR overrides the server jar.
EOF
}

REPO=$(cd "$(dirname "$0")/../.." && pwd)
JAR=${LAKESHARE_JAR:-$REPO/sharing-server/target/lakeshare-server-0.1.0-SNAPSHOT-all.jar}
WORK=""
KEEP=0
REBUILD=0
PROFILE=0
FILES=100000
RUNS=10
HEAP=2g
TOKEN=bench-token
SHARE=bench
SCHEMA=default
CAP_PARQUET="responseformat=parquet"
CAP_DELTA="responseformat=delta;readerfeatures=deletionvectors,columnmapping"

while [ $# -gt 0 ]; do
  case "$1" in
    --work) WORK=$2; shift 2 ;;
    --keep) KEEP=1; shift ;;
    --rebuild) REBUILD=1; shift ;;
    --profile) PROFILE=1; shift ;;
    --files) FILES=$2; shift 2 ;;
    --runs) RUNS=$2; shift 2 ;;
    --heap) HEAP=$2; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "Unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
done

if [ -z "$WORK" ]; then
  WORK=$(mktemp -d "${TMPDIR:-/tmp}/lakeshare-fbench.XXXXXX")
  OWN_WORK=1
else
  mkdir -p "$WORK"
  WORK=$(cd "$WORK" && pwd)
  OWN_WORK=0
fi
T=t$FILES
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
# A copy, so that a build running beside the benchmark cannot replace the jar under the server.
cp "$JAR" "$WORK/server.jar"
JAR_SHA=$(sha256sum "$JAR" | cut -c1-12)
JAR=$WORK/server.jar

log "compiling the benchmark classes against $JAR"
rm -rf "$WORK/classes"
mkdir -p "$WORK/classes"
javac --release 17 -nowarn -cp "$JAR" -d "$WORK/classes" \
  "$REPO"/integration-tests/src/test/java/io/lakeshare/it/bench/*.java
CP="$WORK/classes:$JAR"
PKG=io.lakeshare.it.bench

LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)

# --- table (the same generator and arguments as query-bench.sh) -------------------------------
if [ -d "$WORK/$T/_delta_log" ]; then
  log "reusing $WORK/$T"
else
  log "generating $T ($FILES files)"
  java -Xmx3g -cp "$CP" "$PKG.SyntheticDeltaLog" "$WORK/$T" "$FILES" 10 100 2>"$WORK/gen-$T.err" \
    | tee "$WORK/gen-$T.out" >&2 || { cat "$WORK/gen-$T.err" >&2; exit 1; }
fi

# --- server ----------------------------------------------------------------------------------
cat >"$WORK/format-bench.yaml" <<EOF
version: 1
shares:
- name: "$SHARE"
  schemas:
  - name: "$SCHEMA"
    tables:
    - name: "$T"
      location: "$WORK/$T"
      id: "00000000-0000-4000-8000-00000000f100"
authorization:
  bearerToken: "$TOKEN"
host: "127.0.0.1"
port: 0
endpoint: "/delta-sharing"
requestTimeoutSeconds: 900
EOF

start_server() { # label [extra JVM options...]
  local label=$1
  shift
  local out="$WORK/format-server-$label.log"
  : >"$out" # exists before the background job opens it, for the polling below
  java -Xmx"$HEAP" "$@" -jar "$JAR" serve --config "$WORK/format-bench.yaml" >"$out" 2>&1 &
  SERVER_PID=$!
  PORT=""
  for _ in $(seq 1 240); do
    PORT=$(sed -n 's/.*Lakeshare is serving on port \([0-9]*\).*/\1/p' "$out" | head -1)
    [ -n "$PORT" ] && break
    kill -0 "$SERVER_PID" 2>/dev/null || { cat "$out" >&2; echo "server died" >&2; exit 1; }
    sleep 0.5
  done
  [ -n "$PORT" ] || { cat "$out" >&2; echo "server did not start in 120 s" >&2; exit 1; }
  URL="http://127.0.0.1:$PORT/delta-sharing/shares/$SHARE/schemas/$SCHEMA/tables/$T/query"
  log "server $label: pid $SERVER_PID, port $PORT"
}

cpu_ticks() { sed 's/^.*) //' "/proc/$SERVER_PID/stat" | awk '{print $12 + $13}'; }
hwm_mb() { awk '/^VmHWM/ {printf "%.0f", $2 / 1024}' "/proc/$SERVER_PID/status"; }
TICKS=$(getconf CLK_TCK)

cap_of() { if [ "$1" = parquet ]; then echo "$CAP_PARQUET"; else echo "$CAP_DELTA"; fi; }

# One query in format $1; prints "code ttfb total bytes cpu_s". $2: body file, $3: header file.
query() {
  local before after line
  before=$(cpu_ticks)
  line=$(curl -sS -o "${2:-/dev/null}" -D "${3:-/dev/null}" --max-time 900 \
    -w '%{http_code} %{time_starttransfer} %{time_total} %{size_download}' \
    -X POST -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
    -H "delta-sharing-capabilities: $(cap_of "$1")" --data '{}' "$URL")
  after=$(cpu_ticks)
  awk -v l="$line" -v d=$((after - before)) -v tk="$TICKS" 'BEGIN {printf "%s %.2f\n", l, d / tk}'
}

require_ok() { # "code ..." what
  [ "${1%% *}" = 200 ] || { echo "$2 answered HTTP ${1%% *}" >&2; exit 1; }
}

# "median min max" of numbers on stdin
stats() { sort -g | awk '{a[NR]=$1} END {m = NR % 2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2;
  printf "%.3f %.3f %.3f\n", m, a[1], a[NR]}'; }

# --- measurement: one server JVM, both formats ------------------------------------------------
start_server main
declare -A FIRST FIRST_TTFB FIRST_CPU FILE_LINES DELTA_LINES ANSWERED
for f in parquet delta; do
  line=$(query "$f" "$WORK/$f.ndjson" "$WORK/$f.headers")
  require_ok "$line" "first $f query"
  read -r _ ttfb total bytes cpu <<<"$line"
  FIRST[$f]=$total FIRST_TTFB[$f]=$ttfb FIRST_CPU[$f]=$cpu
  # The server may separate lines with a leading space (Jackson's root value separator).
  FILE_LINES[$f]=$(grep -c '^ *{"file"' "$WORK/$f.ndjson" || true)
  DELTA_LINES[$f]=$(grep -c '"deltaSingleAction"' "$WORK/$f.ndjson" || true)
  ANSWERED[$f]=$(tr -d '\r' <"$WORK/$f.headers" \
    | sed -n 's/^delta-sharing-capabilities: *//Ip' | head -1)
  log "first $f query: ${total}s (first byte ${ttfb}s, server CPU ${cpu}s), $bytes bytes," \
    "${FILE_LINES[$f]} file lines (${DELTA_LINES[$f]} deltaSingleAction);" \
    "capabilities answered: ${ANSWERED[$f]}"
  [ "${FILE_LINES[$f]}" = "$FILES" ] \
    || { echo "$f answered ${FILE_LINES[$f]} files, expected $FILES" >&2; exit 1; }
  rm -f "$WORK/$f.ndjson"
done
[ "${DELTA_LINES[delta]}" = "$FILES" ] && [ "${DELTA_LINES[parquet]}" = 0 ] \
  || { echo "the formats were not answered as asked" >&2; exit 1; }

: >"$WORK/parquet.samples"
: >"$WORK/delta.samples"
for i in $(seq 1 "$RUNS"); do
  # Rounds alternate which format goes first, so that drifting load and JIT hit both alike.
  if [ $((i % 2)) = 1 ]; then order="parquet delta"; else order="delta parquet"; fi
  for f in $order; do
    line=$(query "$f")
    require_ok "$line" "warm $f query $i"
    echo "$line" >>"$WORK/$f.samples"
    log "round $i $f: $line"
  done
done
HWM=$(hwm_mb)
stop_server

# --- optional JFR profile: 3 warm queries per format in a second JVM --------------------------
if [ "$PROFILE" = 1 ]; then
  start_server profile \
    "-XX:StartFlightRecording=filename=$WORK/formats.jfr,settings=profile,dumponexit=true"
  for f in parquet delta parquet delta; do # warm-up: the first two queries of each format
    require_ok "$(query "$f")" "profile warm-up $f"
  done
  P_FROM=$(date +%s%3N)
  for _ in 1 2 3; do require_ok "$(query parquet)" "profiled parquet query"; done
  D_FROM=$(date +%s%3N)
  for _ in 1 2 3; do require_ok "$(query delta)" "profiled delta query"; done
  D_TO=$(date +%s%3N)
  stop_server
  {
    echo "Profile of 3 warm parquet-format queries:"
    java -cp "$CP" "$PKG.JfrTopFrames" "$WORK/formats.jfr" 12 "$P_FROM" "$D_FROM"
    echo
    echo "Profile of 3 warm delta-format queries:"
    java -cp "$CP" "$PKG.JfrTopFrames" "$WORK/formats.jfr" 12 "$D_FROM" "$D_TO"
  } >"$WORK/format-jfr-summary.txt"
fi

LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg)

# --- summary ---------------------------------------------------------------------------------
col() { awk -v c="$1" '{print $c}' "$2"; }
declare -A WARM TTFB CPU CPUMEAN BYTES
for f in parquet delta; do
  WARM[$f]=$(col 3 "$WORK/$f.samples" | stats)
  TTFB[$f]=$(col 2 "$WORK/$f.samples" | stats | cut -d' ' -f1)
  CPU[$f]=$(col 5 "$WORK/$f.samples" | stats | cut -d' ' -f1)
  CPUMEAN[$f]=$(col 5 "$WORK/$f.samples" | awk '{s += $1} END {printf "%.2f", s / NR}')
  BYTES[$f]=$(col 4 "$WORK/$f.samples" | stats | cut -d' ' -f1)
done
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", (b > 0 ? a / b : 0)}'; }
ms() { awk -v s="$1" 'BEGIN {printf "%.0f", s * 1000}'; }
trio_ms() { awk '{printf "%.0f (%.0f-%.0f)", $1 * 1000, $2 * 1000, $3 * 1000}' <<<"$1"; }
med() { cut -d' ' -f1 <<<"$1"; }

{
  echo
  echo "=== Lakeshare response-format benchmark (snapshot query, $FILES files) ==="
  echo "machine: $(nproc) cores; load average at start $LOAD_START, at end $LOAD_END"
  echo "java: $(java -version 2>&1 | head -1); server -Xmx$HEAP, one fresh JVM for both" \
    "formats; $RUNS warm requests per format, rounds alternate the order"
  echo "commit: $(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo '?')" \
    "(jar sha256 $JAR_SHA)"
  echo "asked: parquet '$CAP_PARQUET', delta '$CAP_DELTA'"
  echo "answered: parquet '${ANSWERED[parquet]}', delta '${ANSWERED[delta]}'"
  echo
  row() { printf '%-40s %-22s %-22s %s\n' "$1" "$2" "$3" "$4"; }
  row "metric" "parquet" "delta" "delta / parquet"
  row "$(printf '%.0s-' {1..40})" "$(printf '%.0s-' {1..22})" "$(printf '%.0s-' {1..22})" \
    "$(printf '%.0s-' {1..15})"
  row "first query ms (parquet first)" "$(ms "${FIRST[parquet]}")" "$(ms "${FIRST[delta]}")" ""
  row "  first byte ms, server CPU s" "$(ms "${FIRST_TTFB[parquet]}"), ${FIRST_CPU[parquet]}" \
    "$(ms "${FIRST_TTFB[delta]}"), ${FIRST_CPU[delta]}" ""
  row "warm total, median (min-max) ms" "$(trio_ms "${WARM[parquet]}")" \
    "$(trio_ms "${WARM[delta]}")" "$(ratio "$(med "${WARM[delta]}")" "$(med "${WARM[parquet]}")")"
  row "warm time to first byte, median ms" "$(ms "${TTFB[parquet]}")" "$(ms "${TTFB[delta]}")" \
    "$(ratio "${TTFB[delta]}" "${TTFB[parquet]}")"
  row "server CPU s / warm request, median" "${CPU[parquet]}" "${CPU[delta]}" \
    "$(ratio "${CPU[delta]}" "${CPU[parquet]}")"
  row "server CPU s / warm request, mean" "${CPUMEAN[parquet]}" "${CPUMEAN[delta]}" \
    "$(ratio "${CPUMEAN[delta]}" "${CPUMEAN[parquet]}")"
  row "response bytes" "${BYTES[parquet]%.*}" "${BYTES[delta]%.*}" \
    "$(ratio "${BYTES[delta]}" "${BYTES[parquet]}")"
  row "file lines" "${FILE_LINES[parquet]}" "${FILE_LINES[delta]}" ""
  echo "peak RSS of the server (VmHWM) after both: $HWM MB"
  echo "server CPU: utime+stime of the server process around each request (/proc, includes GC" \
    "and JIT threads)"
  if [ "$PROFILE" = 1 ]; then
    echo
    cat "$WORK/format-jfr-summary.txt"
  fi
  if [ "$OWN_WORK" = 0 ] || [ "$KEEP" = 1 ]; then
    echo
    echo "logs and table: $WORK"
  fi
}
