#!/usr/bin/env bash
# Mixed-endpoint load on the server: the server jar's embedded demo table served by a fresh JVM,
# N connections cycling through listings, version, metadata, snapshot queries and a
# signed file download for a fixed time (MixedLoad). Prints req/s, p50/p99, the status histogram,
# transport errors, the server's peak RSS and how many ERROR/WARN lines and stack-trace lines the
# server logged. With --before COMMIT the same run is made first against a jar built from COMMIT
# (in a temporary git worktree), so both figures come from one machine state.
# Everything binds 127.0.0.1. See integration-tests/README.md, section "Benchmarks".
set -euo pipefail
export LC_ALL=C

usage() {
  cat <<'EOF'
Usage: integration-tests/bench/load-bench.sh [options]
  --connections N   concurrent connections (default 64)
  --seconds N       length of the measured window (default 60)
  --before COMMIT   also measure a server jar built from COMMIT
  --work DIR        working directory (default: a temporary directory, removed at the end)
  --heap SIZE       server -Xmx (default 2g)
Environment: LAKESHARE_JAR overrides the server jar under test.
EOF
}

REPO=$(cd "$(dirname "$0")/../.." && pwd)
JAR=${LAKESHARE_JAR:-$REPO/sharing-server/target/lakeshare-server-0.1.0-SNAPSHOT-all.jar}
CONNECTIONS=64
SECONDS_=60
BEFORE=""
WORK=""
HEAP=2g
while [ $# -gt 0 ]; do
  case "$1" in
    --connections) CONNECTIONS=$2; shift 2 ;;
    --seconds) SECONDS_=$2; shift 2 ;;
    --before) BEFORE=$2; shift 2 ;;
    --work) WORK=$2; shift 2 ;;
    --heap) HEAP=$2; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "Unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
done
log() { echo "[load $(date +%H:%M:%S)] $*" >&2; }

TMP=0
if [ -z "$WORK" ]; then WORK=$(mktemp -d); TMP=1; fi
mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)
SERVER_PID=""
cleanup() {
  [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null || true
  if [ -n "$BEFORE" ] && [ -d "$WORK/before-src" ]; then
    git -C "$REPO" worktree remove --force "$WORK/before-src" >/dev/null 2>&1 || true
  fi
  if [ "$TMP" = 1 ]; then rm -rf "$WORK"; fi
}
trap cleanup EXIT

[ -f "$JAR" ] || { echo "No server jar at $JAR: run mvn package first" >&2; exit 1; }
cp "$JAR" "$WORK/after.jar"
log "compiling MixedLoad"
mkdir -p "$WORK/classes"
javac --release 17 -nowarn -d "$WORK/classes" \
  "$REPO/integration-tests/src/test/java/io/lakeshare/it/bench/MixedLoad.java"

if [ -n "$BEFORE" ]; then
  log "building the server jar of $BEFORE"
  git -C "$REPO" worktree add --detach "$WORK/before-src" "$BEFORE" >/dev/null 2>&1
  (cd "$WORK/before-src" && mvn -o -q -B package -DskipTests -Dspotless.check.skip=true \
    -pl sharing-server -am) >"$WORK/before-build.log" 2>&1 \
    || { tail -30 "$WORK/before-build.log" >&2; exit 1; }
  cp "$WORK"/before-src/sharing-server/target/lakeshare-server-*-all.jar "$WORK/before.jar"
fi

run() {
  local label=$1 jar=$2 dir="$WORK/run-$1"
  rm -rf "$dir"; mkdir -p "$dir"
  local port
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  java -Xmx"$HEAP" -jar "$jar" demo --port "$port" --dir "$dir/demo" >"$dir/server.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 120); do
    [ -f "$dir/demo/demo.share" ] && curl -fs -o /dev/null \
      -H "Authorization: Bearer $(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["bearerToken"])' "$dir/demo/demo.share")" \
      "http://127.0.0.1:$port/delta-sharing/shares" && break
    sleep 0.5
  done
  local endpoint token
  endpoint=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["endpoint"])' "$dir/demo/demo.share")
  token=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["bearerToken"])' "$dir/demo/demo.share")
  # a short warm-up, not counted
  java -cp "$WORK/classes" io.lakeshare.it.bench.MixedLoad "$endpoint" "$token" demo.default.sales 8 10 >/dev/null
  local before_lines
  before_lines=$(wc -l <"$dir/server.log")
  log "$label: $CONNECTIONS connections for $SECONDS_ s"
  local result
  result=$(java -cp "$WORK/classes" io.lakeshare.it.bench.MixedLoad "$endpoint" "$token" demo.default.sales "$CONNECTIONS" "$SECONDS_")
  local rss
  rss=$(awk '/VmHWM/{print int($2/1024)}' "/proc/$SERVER_PID/status")
  local logged errors stacks
  logged=$(tail -n +"$((before_lines + 1))" "$dir/server.log")
  errors=$(grep -cE ' (ERROR|WARN) ' <<<"$logged" || true)
  stacks=$(grep -cE '^\s+at ' <<<"$logged" || true)
  kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=""
  echo "$label: $result peak_rss_mb=$rss log_error_warn_lines=$errors log_stack_lines=$stacks"
}

echo "=== Lakeshare mixed-endpoint load (demo table; $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg)) ==="
[ -n "$BEFORE" ] && run "before($BEFORE)" "$WORK/before.jar"
run "after($(git -C "$REPO" rev-parse --short HEAD))" "$WORK/after.jar"
echo "java: $(java -version 2>&1 | head -1); server -Xmx$HEAP; load generator in the same machine"
