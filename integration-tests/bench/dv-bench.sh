#!/usr/bin/env bash
# Deletion-vector scan benchmark of the Spark connector: the connector benchmark's ~1.2 GB table
# written by delta-spark with deletion vectors enabled, then a DELETE of ~10% of the rows spread
# over every file (one vector per file), read in one JVM through the connector (delta response
# format, in-process server over loopback HTTP) and by delta-spark directly, full and two-column
# scans, for the deleted version and the version before the DELETE. Prints a summary table.
# Everything binds 127.0.0.1. See integration-tests/README.md, section "Benchmarks".
set -euo pipefail
export LC_ALL=C

usage() {
  cat <<'EOF2'
Usage: integration-tests/bench/dv-bench.sh [options]
  --dir DIR, --work DIR  where the table is kept and reused (default $LAKESHARE_BENCH_DIR or
                         /tmp/lakeshare-cbench; the table is DIR/dv-table); about 1.2 GB
  --rows N               rows of the table when it is written (default 24000000)
  --files N              Parquet files of the table when it is written (default 12)
  --runs N               measured runs per source and scan, after one warm-up (default 3)
  --no-before            skip the version before the DELETE (halves the run time)
  --no-profile           skip the JFR profile of three 2-column scans per reader
  --heap SIZE            -Xmx of the benchmark JVM (default 6g)
  --no-build             do not compile (reuse the last build and class path)
EOF2
}

REPO=$(cd "$(dirname "$0")/../.." && pwd)
DIR=${LAKESHARE_BENCH_DIR:-/tmp/lakeshare-cbench}
ROWS=24000000
FILES=12
RUNS=3
BEFORE=true
PROFILE=true
HEAP=6g
BUILD=1

while [ $# -gt 0 ]; do
  case "$1" in
    --dir|--work) DIR=$2; shift 2 ;;
    --rows) ROWS=$2; shift 2 ;;
    --files) FILES=$2; shift 2 ;;
    --runs) RUNS=$2; shift 2 ;;
    --no-before) BEFORE=false; shift ;;
    --no-profile) PROFILE=false; shift ;;
    --heap) HEAP=$2; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "Unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
done

mkdir -p "$DIR"
DIR=$(cd "$DIR" && pwd)
CP_FILE="$DIR/dv-bench-classpath.txt"
log() { echo "[bench $(date +%H:%M:%S)] $*" >&2; }

if [ "$BUILD" = 1 ] || [ ! -f "$CP_FILE" ]; then
  log "compiling (sibling modules from their target/classes, nothing installed)"
  # The test class path comes from Surefire's debug output (its "test classpath:" line), because
  # the dependency plugin is not always in an offline local repository; Surefire finds no test in
  # DvScanBench and runs nothing.
  (cd "$REPO" && mvn -ntp -X -B -pl integration-tests -am \
    -Dspotless.check.skip=true -Denforcer.skip=true \
    test-compile surefire:test -Dtest=DvScanBench -Dsurefire.failIfNoSpecifiedTests=false) \
    >"$DIR/dv-bench-build.log" 2>&1 || { tail -40 "$DIR/dv-bench-build.log" >&2; exit 1; }
  LINE=$(grep '\[DEBUG\] test classpath:' "$DIR/dv-bench-build.log" | tail -1)
  [ -n "$LINE" ] || { echo "No test class path in $DIR/dv-bench-build.log" >&2; exit 1; }
  # Class folders of the working tree are copied, so that a build running beside the benchmark
  # cannot change classes under it; jars are used in place.
  rm -rf "$DIR/dv-bench-classes"
  CP=""
  for e in ${LINE#*test classpath:}; do
    case "$e" in
      "$REPO"/*)
        if [ -d "$e" ]; then
          copy="$DIR/dv-bench-classes/$(tr '/' '_' <<<"${e#"$REPO"/}")"
          mkdir -p "$copy"
          cp -r "$e"/. "$copy"/
          e=$copy
        fi ;;
    esac
    CP=${CP:+$CP:}$e
  done
  echo "$CP" >"$CP_FILE"
fi
[ -f "$CP_FILE" ] || { echo "No class path file $CP_FILE" >&2; exit 1; }
CP=$(cat "$CP_FILE")

# The same JVM flags Spark needs in the test fork (pom.xml, property spark.test.jvm.flags).
SPARK_FLAGS=$(sed -n 's:.*<spark.test.jvm.flags>\(.*\)</spark.test.jvm.flags>.*:\1:p' \
  "$REPO/pom.xml")

log "running; table in $DIR/dv-table"
# shellcheck disable=SC2086 # SPARK_FLAGS is a list of options
SPARK_LOCAL_IP=127.0.0.1 java -Xmx"$HEAP" -XX:+UseParallelGC $SPARK_FLAGS \
  -Dlakeshare.bench.dir="$DIR" \
  -Dlakeshare.bench.rows="$ROWS" \
  -Dlakeshare.bench.files="$FILES" \
  -Dlakeshare.bench.runs="$RUNS" \
  -Dlakeshare.bench.before="$BEFORE" \
  -Dlakeshare.bench.profile="$PROFILE" \
  -cp "$CP" io.lakeshare.it.bench.connector.DvScanBench 2> >(tee "$DIR/dv-bench.log" >&2)
echo "commit: $(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo '?');" \
  "java: $(java -version 2>&1 | head -1); log: $DIR/dv-bench.log"
