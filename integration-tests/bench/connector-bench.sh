#!/usr/bin/env bash
# Scan benchmark of the Spark connector: a >= 1 GB Delta table (written once by delta-spark and
# kept), read in one JVM through the connector from the in-process server over loopback HTTP and
# with spark.read.parquet / format("delta") on the same files (full scan and a two-column scan,
# noop sink), then driver planning time for a 100,000-file table. Prints a summary table.
# Everything binds 127.0.0.1. See integration-tests/README.md, section "Benchmarks".
set -euo pipefail
export LC_ALL=C

usage() {
  cat <<'EOF'
Usage: integration-tests/bench/connector-bench.sh [options]
  --dir DIR           where the tables are kept and reused (default $LAKESHARE_BENCH_DIR or
                      /tmp/lakeshare-cbench); about 1.3 GB
  --rows N            rows of the scanned table when it is written (default 24000000)
  --files N           Parquet files of the scanned table when it is written (default 12)
  --runs N            measured runs per source and scan, after one warm-up (default 3)
  --planning-files N  files of the planning table (default 100000)
  --only WHAT         scan or planning (default: both)
  --no-profile        skip the JFR profile of one extra full scan per source
  --heap SIZE         -Xmx of the benchmark JVM (default 6g)
  --no-build          do not compile (reuse the last build and class path)
EOF
}

REPO=$(cd "$(dirname "$0")/../.." && pwd)
DIR=${LAKESHARE_BENCH_DIR:-/tmp/lakeshare-cbench}
ROWS=24000000
FILES=12
RUNS=3
PLANNING_FILES=100000
ONLY=all
PROFILE=true
HEAP=6g
BUILD=1

while [ $# -gt 0 ]; do
  case "$1" in
    --dir) DIR=$2; shift 2 ;;
    --rows) ROWS=$2; shift 2 ;;
    --files) FILES=$2; shift 2 ;;
    --runs) RUNS=$2; shift 2 ;;
    --planning-files) PLANNING_FILES=$2; shift 2 ;;
    --only) ONLY=$2; shift 2 ;;
    --no-profile) PROFILE=false; shift ;;
    --heap) HEAP=$2; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "Unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
done

mkdir -p "$DIR"
DIR=$(cd "$DIR" && pwd)
CP_FILE="$REPO/integration-tests/target/bench-classpath.txt"
log() { echo "[bench $(date +%H:%M:%S)] $*" >&2; }

if [ "$BUILD" = 1 ] || [ ! -f "$CP_FILE" ]; then
  log "compiling (sibling modules from their target/classes, nothing installed)"
  # Relative outputFile: each module writes its own; integration-tests' is the one used.
  (cd "$REPO" && mvn -ntp -q -B -pl integration-tests -am -DskipTests \
    -Dspotless.check.skip=true -Denforcer.skip=true \
    test-compile dependency:build-classpath \
    -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test)
fi
[ -f "$CP_FILE" ] || { echo "No class path file $CP_FILE" >&2; exit 1; }
CP="$REPO/integration-tests/target/test-classes:$REPO/integration-tests/target/classes:$(cat "$CP_FILE")"

# The same JVM flags Spark needs in the test fork (pom.xml, property spark.test.jvm.flags).
SPARK_FLAGS=$(sed -n 's:.*<spark.test.jvm.flags>\(.*\)</spark.test.jvm.flags>.*:\1:p' \
  "$REPO/pom.xml")

log "running; tables in $DIR"
# shellcheck disable=SC2086 # SPARK_FLAGS is a list of options
SPARK_LOCAL_IP=127.0.0.1 java -Xmx"$HEAP" -XX:+UseParallelGC $SPARK_FLAGS \
  -Dlakeshare.bench.dir="$DIR" \
  -Dlakeshare.bench.rows="$ROWS" \
  -Dlakeshare.bench.files="$FILES" \
  -Dlakeshare.bench.runs="$RUNS" \
  -Dlakeshare.bench.planningFiles="$PLANNING_FILES" \
  -Dlakeshare.bench.only="$ONLY" \
  -Dlakeshare.bench.profile="$PROFILE" \
  -cp "$CP" io.lakeshare.it.bench.connector.ConnectorScanBench 2> >(tee "$DIR/bench.log" >&2)
echo "commit: $(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo '?');" \
  "java: $(java -version 2>&1 | head -1); log: $DIR/bench.log"
