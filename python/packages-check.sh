#!/usr/bin/env bash
# Proves `pyspark --packages io.lakeshare:lakeshare-spark-<line>_<scala>:<version>` and the same with
# `spark-submit` read the demo table with no network (once per Spark line: the venv's PySpark and
# the connector jar of its line): Ivy gets a home whose ~/.m2/repository holds
# only the io/lakeshare artifacts that `mvn install` wrote plus the POMs their parent POM needs
# (its parent chain and imported BOMs: no jar), every remote repository is a dead address, and the
# connector jar Ivy delivers must be the one just built.
# Usage: packages-check.sh <venv> <connector jar> <server jar>
#   LAKESHARE_M2_REPO: Maven repository to copy io/lakeshare from (default ~/.m2/repository).
set -euo pipefail
venv="$1"; connector="$2"; server="$3"
name=$(basename "$connector" .jar)
# lakeshare-spark-<line>_<scala>-<version>
artifact=$(printf '%s' "$name" | sed -n 's/^\(lakeshare-spark-[0-9.]*_[0-9.]*\)-.*$/\1/p')
[ -n "$artifact" ] || { echo "packages-check: not a connector jar name: $name" >&2; exit 1; }
version="${name#"$artifact"-}"
source_repo="${LAKESHARE_M2_REPO:-$HOME/.m2/repository}"
installed="$source_repo/io/lakeshare/$artifact/$version/$name.jar"
if ! cmp -s "$installed" "$connector"; then
  echo "packages-check: $installed is missing or not the jar just built; run \`mvn -B -ntp install\`" \
    "(or set LAKESHARE_SKIP_PACKAGES_CHECK=1)" >&2
  exit 1
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/lakeshare-packages.XXXXXX")
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

home="$work/home"
mkdir -p "$home/.m2/repository/io"
cp -r "$source_repo/io/lakeshare" "$home/.m2/repository/io/"
# The connector POM inherits lakeshare-parent, whose dependencyManagement imports BOMs: Ivy reads
# those POMs (never their jars) to resolve the connector.
"$venv/bin/python" "$(dirname "$0")/pom_closure.py" "$source_repo" io.lakeshare \
  "$artifact" "$version" | while read -r pom; do
  mkdir -p "$home/.m2/repository/$(dirname "$pom")"
  cp -n "$source_repo/$pom" "$home/.m2/repository/$pom"
done
echo "packages-check: scratch repository has $(find "$home/.m2/repository" -name '*.jar' | wc -l) jar(s)," \
  "$(find "$home/.m2/repository" -name '*.pom' | wc -l) POM(s)"

java -jar "$server" demo --exit --dir "$work/demo" > "$work/demo.log" 2>&1 \
  || { cat "$work/demo.log" >&2; exit 1; }
rows=$(sed -n 's/^Wrote Delta table .*, \([0-9]*\) rows$/\1/p' "$work/demo.log")
[ -n "$rows" ] || { echo "packages-check: no row count in the demo output" >&2; cat "$work/demo.log" >&2; exit 1; }
java -Xmx512m -jar "$server" serve --config "$work/demo/server.yaml" > "$work/server.log" 2>&1 &
server_pid=$!
port=""
for _ in $(seq 1 240); do
  port=$(sed -n 's/.*serving on port \([0-9]*\).*/\1/p' "$work/server.log")
  [ -n "$port" ] && break
  kill -0 "$server_pid" 2>/dev/null || break
  sleep 0.5
done
[ -n "$port" ] || { echo "packages-check: server did not start" >&2; cat "$work/server.log" >&2; exit 1; }
token=$(sed -n 's/^  bearerToken: //p' "$work/demo/server.yaml")
profile="$work/demo.share"
printf '{"shareCredentialsVersion":1,"endpoint":"http://127.0.0.1:%s/delta-sharing","bearerToken":"%s"}\n' \
  "$port" "$token" > "$profile"
table="$profile#demo.default.sales"

cat > "$work/read.py" <<PY
import sys
from pyspark.sql import SparkSession
spark = SparkSession.builder.getOrCreate()
# spark-submit reads with the drop-in name, pyspark with the connector's own one
name = "deltaSharing" if len(sys.argv) > 1 else "lakeshare"
df = spark.read.format(name).load(sys.argv[1] if len(sys.argv) > 1 else "$table")
print("lakeshare-rows=%d" % df.count())
print("lakeshare-spark=%s" % spark.version)
PY

run() {  # run <label> <command...>; output in $work/<label>.log
  local label="$1"; shift
  local ivy="$work/ivy-$label"
  set +e
  env -u PYTHONSTARTUP HOME="$home" SPARK_SUBMIT_OPTS="-Duser.home=$home" \
    DEFAULT_ARTIFACT_REPOSITORY="http://127.0.0.1:9/" SPARK_LOCAL_IP=127.0.0.1 \
    PYSPARK_PYTHON="$venv/bin/python" PYSPARK_DRIVER_PYTHON="$venv/bin/python" \
    timeout 300 "$@" --master "local[2]" --conf spark.ui.enabled=false --conf spark.ui.showConsoleProgress=false \
    --conf spark.driver.host=127.0.0.1 --conf spark.driver.bindAddress=127.0.0.1 \
    --conf "spark.jars.ivy=$ivy" --packages "io.lakeshare:$artifact:$version" \
    ${extra_args[@]+"${extra_args[@]}"} > "$work/$label.log" 2>&1 < "${stdin:-/dev/null}"
  local rc=$?
  set -e
  local delivered="$ivy/jars/io.lakeshare_$artifact-$version.jar"
  if [ "$rc" != 0 ] \
    || ! grep -q "found io.lakeshare#$artifact;$version in local-m2-cache" "$work/$label.log" \
    || ! grep -qx "lakeshare-rows=$rows" "$work/$label.log" \
    || ! cmp -s "$delivered" "$connector"; then
    echo "packages-check: $label FAILED (exit $rc); log:" >&2
    tail -60 "$work/$label.log" >&2
    exit 1
  fi
  echo "packages-check: $label on Spark $(sed -n 's/^lakeshare-spark=//p' "$work/$label.log") --packages" \
    "io.lakeshare:$artifact read $rows rows offline from $home/.m2 (jar identical to the build)"
}

extra_args=("$work/read.py" "$table")
stdin=/dev/null run spark-submit "$venv/bin/spark-submit"
extra_args=()
stdin="$work/read.py" run pyspark "$venv/bin/pyspark"
echo "packages-check: 2 passed, 0 failed"
