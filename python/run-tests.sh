#!/usr/bin/env bash
# Python suites: PySpark with the bundled connector and the official delta-sharing client against
# the server jar, then the `pyspark --packages` / `spark-submit --packages` check.
# Needs the jars built first (`mvn -B -ntp install`, or `package` plus LAKESHARE_SKIP_PACKAGES_CHECK=1).
# The virtualenv is cached per Python version and requirements hash:
#   ${LAKESHARE_PY_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/lakeshare}/venv-<py>-<hash>
# Extra arguments go to pytest (e.g. `-k interop -x`).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
py="${PYTHON:-python3}"
req="$here/requirements-test.txt"

connector=$(ls "$root"/spark-connector/target/lakeshare-spark_2.13-*.jar 2>/dev/null \
  | grep -v -e '-sources.jar$' -e '-javadoc.jar$' -e '-tests.jar$' || true)
server=$(ls "$root"/sharing-server/target/lakeshare-server-*-all.jar 2>/dev/null || true)
if [ "$(printf '%s\n' "$connector" | grep -c .)" != 1 ] || [ -z "$server" ]; then
  echo "python/run-tests.sh: build the jars first (mvn -B -ntp install at the repository root):" >&2
  echo "  connector jar: ${connector:-missing}; server jar: ${server:-missing}" >&2
  exit 1
fi

pyver=$("$py" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
hash=$(cat "$req" | sha256sum | cut -c1-16)
cache="${LAKESHARE_PY_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/lakeshare}"
venv="$cache/venv-$pyver-$hash"
if [ ! -f "$venv/.complete" ]; then
  echo "Creating $venv"
  rm -rf "$venv"
  # venvs of older requirement sets are dead weight in the cache
  find "$cache" -maxdepth 1 -name 'venv-*' ! -name "$(basename "$venv")" -exec rm -rf {} + 2>/dev/null || true
  mkdir -p "$cache"
  "$py" -m venv "$venv"
  "$venv/bin/python" -m pip install -q --disable-pip-version-check -r "$req"
  touch "$venv/.complete"
else
  echo "Reusing $venv"
fi

# setup.py copies the connector jar into lakeshare/jars before building; reinstall every run so
# the package always carries the jar just built.
rm -rf "$here/build" "$here"/src/*.egg-info
"$venv/bin/python" -m pip install -q --disable-pip-version-check --no-build-isolation --no-deps \
  --force-reinstall "$here"
rm -rf "$here/build" "$here"/src/*.egg-info
"$venv/bin/python" - "$connector" <<'PY'
import filecmp, sys, lakeshare
assert filecmp.cmp(lakeshare.jar_path(), sys.argv[1], shallow=False), "bundled jar differs"
print("lakeshare installed with", lakeshare.jar_path())
PY

echo "+ mypy --strict src/lakeshare"
(cd "$here" && "$venv/bin/python" -m mypy --strict --no-incremental src/lakeshare)

export LAKESHARE_SERVER_JAR="$server"
export SPARK_LOCAL_IP=127.0.0.1
export PYSPARK_PYTHON="$venv/bin/python"
export PYSPARK_DRIVER_PYTHON="$venv/bin/python"
export LAKESHARE_IVY_DIR="$cache/ivy"   # delta-spark's jars, resolved from ~/.m2 once
start=$(date +%s)
set +e
(cd "$here" && "$venv/bin/python" -m pytest -p no:cacheprovider "$@")
rc=$?
set -e
echo "pytest finished in $(( $(date +%s) - start )) s with exit code $rc"
if [ "$rc" = 5 ]; then
  echo "python/run-tests.sh: pytest collected no tests" >&2
  exit 1
fi
[ "$rc" = 0 ] || exit "$rc"

if [ "${LAKESHARE_SKIP_PACKAGES_CHECK:-0}" = 1 ]; then
  echo "Skipping the --packages check (LAKESHARE_SKIP_PACKAGES_CHECK=1)"
else
  bash "$here/packages-check.sh" "$venv" "$connector" "$server"
fi
