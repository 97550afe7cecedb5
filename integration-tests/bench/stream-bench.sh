#!/usr/bin/env bash
# Streaming catch-up benchmark of the Spark connector: a table of 1,000 commits of 10 small
# Parquet files each (generated once without delta-spark, checked with delta-spark, reused), shared
# by the real server in the benchmark JVM, read to the end with Trigger.AvailableNow into the noop
# sink from startingVersion 1 and from the initial snapshot, with maxFilesPerTrigger 1000 (the
# default) and 100. Prints wall time, micro-batches, rows/s, server requests by endpoint and heap
# figures. Everything binds 127.0.0.1. See integration-tests/README.md, section "Benchmarks".
set -euo pipefail
export LC_ALL=C

usage() {
  cat <<'EOF2'
Usage: integration-tests/bench/stream-bench.sh [options]
  --dir DIR          where the table is generated and reused (default /tmp/lakeshare-stream-bench)
  --runs SPECS       comma-separated changes|snapshot:<maxFilesPerTrigger|default>
                     (default changes:default,changes:100,snapshot:default,snapshot:100)
  --commits N        appends after version 0 (default 1000)
  --files-per-commit N  (default 10)
  --rows-per-file N  (default 200)
  --heap SIZE        benchmark JVM -Xmx (default 3g)
  --access-mode M    url (default) or dir: the connector reads the log and the files itself
  --no-build         do not run Maven (use the classes and classpath of the last run)
EOF2
}

REPO=$(cd "$(dirname "$0")/../.." && pwd)
DIR=/tmp/lakeshare-stream-bench
RUNS=changes:default,changes:100,snapshot:default,snapshot:100
COMMITS=1000
FILES=10
ROWS=200
HEAP=3g
ACCESS=url
BUILD=1
while [ $# -gt 0 ]; do
  case "$1" in
    --dir) DIR=$2; shift 2 ;;
    --runs) RUNS=$2; shift 2 ;;
    --commits) COMMITS=$2; shift 2 ;;
    --files-per-commit) FILES=$2; shift 2 ;;
    --rows-per-file) ROWS=$2; shift 2 ;;
    --heap) HEAP=$2; shift 2 ;;
    --access-mode) ACCESS=$2; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "Unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
done
mkdir -p "$DIR"
DIR=$(cd "$DIR" && pwd)
CPFILE="$DIR/classpath.txt"
log() { echo "[stream-bench $(date +%H:%M:%S)] $*" >&2; }

if [ "$BUILD" = 1 ] || [ ! -f "$CPFILE" ]; then
  # One Maven run compiles the modules and writes the test classpath; because the modules are
  # compiled in the same run, the sibling modules resolve to their target/classes, not ~/.m2.
  log "compiling (mvn -pl integration-tests -am test-compile) and resolving the classpath"
  (cd "$REPO" && mvn -ntp -q -B -pl integration-tests -am test-compile dependency:build-classpath \
    -Dmdep.outputFile="$CPFILE" -Dmdep.includeScope=test \
    -Dspotless.check.skip=true -Denforcer.skip=true)
fi
CP="$REPO/integration-tests/target/test-classes:$REPO/integration-tests/target/classes:$(cat "$CPFILE")"
# The JVM options Spark needs on Java 17+, as the Maven test runs use them.
FLAGS=$(sed -n 's:.*<spark.test.jvm.flags>\(.*\)</spark.test.jvm.flags>.*:\1:p' "$REPO/pom.xml")

log "running StreamBench (table in $DIR; log in $DIR/bench.log)"
# shellcheck disable=SC2086 # FLAGS is a list of options
SPARK_LOCAL_IP=127.0.0.1 java -Xmx"$HEAP" $FLAGS \
  -Dlog4j2.configurationFile="$REPO/integration-tests/src/test/resources/log4j2-test.properties" \
  -Dstream.bench.dir="$DIR" -Dstream.bench.runs="$RUNS" -Dstream.bench.commits="$COMMITS" \
  -Dstream.bench.filesPerCommit="$FILES" -Dstream.bench.rowsPerFile="$ROWS" \
  -Dstream.bench.accessMode="$ACCESS" \
  -cp "$CP" io.lakeshare.it.bench.stream.StreamBench 2>"$DIR/bench.log" || {
  tail -40 "$DIR/bench.log" >&2
  exit 1
}
