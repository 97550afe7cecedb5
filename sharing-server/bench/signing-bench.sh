#!/usr/bin/env bash
# URL-signing throughput per storage scheme (S3 SigV4, Azure SAS, GCS V4, local HMAC): signs
# 100,000 URLs per scheme on one thread pinned to one core and prints URLs per second. No network.
# Usage: sharing-server/bench/signing-bench.sh [count]
set -euo pipefail
REPO=$(cd "$(dirname "$0")/../.." && pwd)
cd "$REPO"
mvn -o -q -B -pl sharing-protocol,sharing-server -am test-compile \
  -Dspotless.check.skip=true -Denforcer.skip=true
CP_FILE=$(mktemp)
trap 'rm -f "$CP_FILE"' EXIT
mvn -o -q -B -pl sharing-server dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$CP_FILE" -Denforcer.skip=true >/dev/null
CP="$REPO/sharing-server/target/test-classes:$REPO/sharing-server/target/classes:$(cat "$CP_FILE")"
PIN=()
if command -v taskset >/dev/null; then PIN=(taskset -c 0); fi
exec "${PIN[@]}" java -XX:ActiveProcessorCount=1 -Xmx512m -cp "$CP" \
  io.lakeshare.server.storage.SigningBenchmark "${1:-100000}"
