#!/usr/bin/env bash
# Parquet-table benchmark (format: parquet): writes a Hive-partitioned directory of small Parquet
# files with parquet-mr, measures the baseline of listing it and reading every footer in one
# thread, then serves it from a fresh server JVM and measures the first query (listing plus every
# footer), warm queries of the kept listing, queries that list the directory again on every
# request (listingRefreshSeconds 0; no footer is read again), and the server's peak RSS.
# Everything binds 127.0.0.1. Prints a summary.
set -euo pipefail
export LC_ALL=C

usage() {
  cat <<'USAGE'
Usage: integration-tests/bench/parquet-bench.sh [options]
  --work DIR     keep the directory and logs in DIR (a directory already there is reused);
                 default: a temporary directory removed at the end
  --files N      Parquet files (default 100000)
  --partitions N partition directories (default 100)
  --runs N       measured warm requests (default 10)
  --heap SIZE    server -Xmx (default 1g)
Environment: LAKESHARE_JAR overrides the server jar.
USAGE
}

REPO=$(cd "$(dirname "$0")/../.." && pwd)
JAR=${LAKESHARE_JAR:-$REPO/sharing-server/target/lakeshare-server-0.1.0-SNAPSHOT-all.jar}
WORK=""
FILES=100000
PARTITIONS=100
RUNS=10
HEAP=1g
TOKEN=bench-token
while [ $# -gt 0 ]; do
  case "$1" in
    --work) WORK=$2; shift 2 ;;
    --files) FILES=$2; shift 2 ;;
    --partitions) PARTITIONS=$2; shift 2 ;;
    --runs) RUNS=$2; shift 2 ;;
    --heap) HEAP=$2; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; exit 2 ;;
  esac
done
TMP=0
if [ -z "$WORK" ]; then
  WORK=$(mktemp -d)
  TMP=1
fi
mkdir -p "$WORK"
SERVER_PID=""
cleanup() {
  [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null || true
  [ "$TMP" = 1 ] && rm -rf "$WORK"
  return 0
}
trap cleanup EXIT
log() { echo "[parquet-bench $(date +%H:%M:%S)] $*" >&2; }

[ -f "$JAR" ] || (cd "$REPO" && mvn -o -q -B -pl sharing-server -am package -DskipTests \
  -Dspotless.check.skip=true -Denforcer.skip=true)
rm -rf "$WORK/classes" && mkdir -p "$WORK/classes"
javac --release 17 -nowarn -cp "$JAR" -d "$WORK/classes" \
  "$REPO"/integration-tests/src/test/java/io/lakeshare/it/bench/SyntheticParquetDir.java
CP="$WORK/classes:$JAR"
DIR="$WORK/pq_$FILES"
if [ -d "$DIR" ]; then
  log "reusing $DIR"
else
  log "writing $FILES files"
  java -Xmx1g -cp "$CP" io.lakeshare.it.bench.SyntheticParquetDir "$DIR" "$FILES" "$PARTITIONS" >&2
fi
log "baseline: list and read every footer in one thread (fresh JVM)"
BASE=$(java -Xmx1g -cp "$CP" io.lakeshare.it.bench.SyntheticParquetDir --baseline "$DIR")
log "$BASE"

write_config() { # table-name listingRefreshSeconds
  cat >"$WORK/bench.yaml" <<YAML
version: 1
host: 127.0.0.1
port: 0
authorization:
  bearerToken: $TOKEN
requestTimeoutSeconds: 900
shares:
- name: bench
  schemas:
  - name: default
    tables:
    - name: $1
      location: "$DIR"
      format: parquet
      listingRefreshSeconds: $2
YAML
}
start_server() {
  OUT="$WORK/server-$1.log"
  : >"$OUT"
  java -Xmx"$HEAP" -jar "$JAR" serve --config "$WORK/bench.yaml" >"$OUT" 2>&1 &
  SERVER_PID=$!
  PORT=""
  for _ in $(seq 1 240); do
    PORT=$(sed -n 's/.*Lakeshare is serving on port \([0-9]*\).*/\1/p' "$OUT" | head -1)
    [ -n "$PORT" ] && break
    sleep 0.5
  done
  [ -n "$PORT" ] || { cat "$OUT" >&2; exit 1; }
  URL="http://127.0.0.1:$PORT/delta-sharing/shares/bench/schemas/default/tables"
}
stop_server() {
  kill "$SERVER_PID" 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=""
}
query() { # table -> "code seconds bytes"
  curl -sS -o /dev/null --max-time 900 -w '%{http_code} %{time_total} %{size_download}\n' \
    -X POST -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
    --data '{}' "$URL/$1/query"
}
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
measure() { # table runs -> median seconds
  for _ in $(seq 1 "$2"); do
    r=$(query "$1")
    [ "${r%% *}" = 200 ] || { echo "query failed: $r" >&2; exit 1; }
    echo "$r" | awk '{print $2}'
  done | median
}

# 1. the listing kept: first query in a fresh server (it waits for the start-up listing and
#    every footer), then warm queries answered from the kept listing
write_config kept 3600
start_server kept
FIRST=$(query kept)
log "first query: $FIRST"
for _ in $(seq 1 20); do query kept >/dev/null; done
WARM=$(measure kept "$RUNS")
BYTES=$(query kept | awk '{print $3}')
RSS=$(awk '/^VmHWM/ {printf "%.0f", $2 / 1024}' "/proc/$SERVER_PID/status")
stop_server

# 2. listed again on every request: footers are kept, only new or changed files are read
write_config relisted 0
start_server relisted
query relisted >/dev/null
for _ in $(seq 1 10); do query relisted >/dev/null; done
RELIST=$(measure relisted "$RUNS")
RSS2=$(awk '/^VmHWM/ {printf "%.0f", $2 / 1024}' "/proc/$SERVER_PID/status")
stop_server

echo
echo "Parquet table of $FILES files in $PARTITIONS partitions (server -Xmx$HEAP, $(nproc) cores)"
echo "  baseline, one thread, fresh JVM:  $BASE"
echo "  first query, fresh server (s, listing and every footer): $(echo "$FIRST" | awk '{print $2}')"
echo "  warm query, kept listing (median s):          $WARM   ($BYTES bytes)"
echo "  query listing again, footers kept (median s): $RELIST"
echo "  server peak RSS (MB): kept $RSS, relisted $RSS2"
