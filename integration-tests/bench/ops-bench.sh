#!/usr/bin/env bash
# What the audit log and metrics cost per request: OpsOverheadBench runs two servers in one JVM
# (with and without audit + metrics) over the same synthetic table and prints p50/p90 of
# GET /shares and of a whole-table query for each. Everything binds 127.0.0.1.
# Usage: integration-tests/bench/ops-bench.sh [--work DIR] [--files N (10000)] [--rounds N (30)]
set -euo pipefail
REPO=$(cd "$(dirname "$0")/../.." && pwd)
JAR=${LAKESHARE_JAR:-$REPO/sharing-server/target/lakeshare-server-0.1.0-SNAPSHOT-all.jar}
WORK=""
FILES=10000
ROUNDS=30
while [ $# -gt 0 ]; do
  case "$1" in
    --work) WORK=$2; shift 2 ;;
    --files) FILES=$2; shift 2 ;;
    --rounds) ROUNDS=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
if [ -z "$WORK" ]; then
  WORK=$(mktemp -d)
  trap 'rm -rf "$WORK"' EXIT
fi
if [ ! -f "$JAR" ]; then
  (cd "$REPO" && mvn -o -q -B -pl sharing-server -am package -DskipTests)
fi
mkdir -p "$WORK/classes"
javac --release 17 -nowarn -cp "$JAR" -d "$WORK/classes" \
  "$REPO"/integration-tests/src/test/java/io/lakeshare/it/bench/SyntheticDeltaLog.java \
  "$REPO"/integration-tests/src/test/java/io/lakeshare/it/bench/ScanFileCount.java \
  "$REPO"/integration-tests/src/test/java/io/lakeshare/it/bench/OpsOverheadBench.java
java -Xmx2g -cp "$WORK/classes:$JAR" io.lakeshare.it.bench.OpsOverheadBench "$WORK" "$FILES" "$ROUNDS"
