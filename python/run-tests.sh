#!/usr/bin/env bash
# Python suites: PySpark with the bundled connector and the official delta-sharing client against
# the server jar, then the `pyspark --packages` / `spark-submit --packages` check.
# Needs the jars built first (`mvn -B -ntp install`, or `package` plus LAKESHARE_SKIP_PACKAGES_CHECK=1).
# Two PySpark lines: 4.2 runs every suite, 3.5 (Scala 2.12, as on PyPI) the package, connector and
# multi-JVM cluster suites; the --packages check also runs with PySpark 4.0.1 and 4.1.1 (the 4.2
# jar). LAKESHARE_SPARK_LINES="4.2" (or "3.5") runs one line.
# The virtualenvs are cached per Python version, Spark line and requirements hash:
#   ${LAKESHARE_PY_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/lakeshare}/venv-<py>-spark<line>-<hash>
# Extra arguments go to pytest (e.g. `-k interop -x`).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
py="${PYTHON:-python3}"
req="$here/requirements-test.txt"

jar_of() {  # the shaded connector jar of one Spark line module
  ls "$root"/spark-connector/spark-$1/target/lakeshare-spark-$1-*.jar 2>/dev/null \
    | grep -v -e '-sources.jar$' -e '-javadoc.jar$' -e '-tests.jar$' || true
}
connector=$(jar_of 4.2_2.13)
connector35=$(jar_of 3.5_2.12)
server=$(ls "$root"/sharing-server/target/lakeshare-server-*-all.jar 2>/dev/null || true)
if [ "$(printf '%s\n' "$connector" | grep -c .)" != 1 ] || [ "$(printf '%s\n' "$connector35" | grep -c .)" != 1 ] \
  || [ -z "$server" ]; then
  echo "python/run-tests.sh: build the jars first (mvn -B -ntp install at the repository root):" >&2
  echo "  connector jars: ${connector:-missing} ${connector35:-missing}; server jar: ${server:-missing}" >&2
  exit 1
fi

pyver=$("$py" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
cache="${LAKESHARE_PY_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/lakeshare}"

make_venv() {  # make_venv <label> <requirements file>: prints the cached venv's path
  local label="$1" reqs="$2" hash venv
  hash=$(sha256sum < "$reqs" | cut -c1-16)
  venv="$cache/venv-$pyver-$label-$hash"
  if [ ! -f "$venv/.complete" ]; then
    echo "Creating $venv" >&2
    rm -rf "$venv"
    # venvs of older requirement sets of this line are dead weight in the cache
    find "$cache" -maxdepth 1 -name "venv-*" ! -name "venv-$pyver-*" -exec rm -rf {} + 2>/dev/null || true
    find "$cache" -maxdepth 1 -name "venv-$pyver-$label-*" ! -name "$(basename "$venv")" \
      -exec rm -rf {} + 2>/dev/null || true
    mkdir -p "$cache"
    "$py" -m venv "$venv"
    "$venv/bin/python" -m pip install -q --disable-pip-version-check -r "$reqs" >&2
    touch "$venv/.complete"
  else
    echo "Reusing $venv" >&2
  fi
  echo "$venv"
}

install_package() {  # install_package <venv> <the jar the installed PySpark must get>
  # setup.py copies the connector jars into lakeshare/jars before building; reinstall every run so
  # the package always carries the jars just built.
  rm -rf "$here/build" "$here"/src/*.egg-info
  "$1/bin/python" -m pip install -q --disable-pip-version-check --no-build-isolation --no-deps \
    --force-reinstall "$here"
  rm -rf "$here/build" "$here"/src/*.egg-info
  "$1/bin/python" - "$2" <<'PY'
import filecmp, sys, lakeshare, pyspark
assert filecmp.cmp(lakeshare.jar_path(), sys.argv[1], shallow=False), "bundled jar differs"
print("lakeshare installed with", lakeshare.jar_path(), "for PySpark", pyspark.__version__)
PY
}

run_pytest() {  # run_pytest <venv> <label> <pytest arguments...>
  local venv="$1" label="$2" rc start
  shift 2
  export PYSPARK_PYTHON="$venv/bin/python"
  export PYSPARK_DRIVER_PYTHON="$venv/bin/python"
  start=$(date +%s)
  set +e
  (cd "$here" && "$venv/bin/python" -m pytest -p no:cacheprovider "$@")
  rc=$?
  set -e
  echo "pytest ($label) finished in $(( $(date +%s) - start )) s with exit code $rc"
  if [ "$rc" = 5 ]; then
    echo "python/run-tests.sh: pytest collected no tests ($label)" >&2
    exit 1
  fi
  [ "$rc" = 0 ] || exit "$rc"
}

export LAKESHARE_SERVER_JAR="$server"
export SPARK_LOCAL_IP=127.0.0.1
export LAKESHARE_IVY_DIR="$cache/ivy"   # delta-spark's jars, resolved from ~/.m2 once
lines="${LAKESHARE_SPARK_LINES:-4.2 3.5}"

# Spark 4.2: every suite
# the STS/S3 emulator of tests/test_directory_access.py, in its own venv (requirements-moto.txt)
LAKESHARE_MOTO_VENV=$(make_venv moto "$here/requirements-moto.txt")
export LAKESHARE_MOTO_VENV

venv=$(make_venv spark4.2 "$req")
install_package "$venv" "$connector"
echo "+ mypy --strict src/lakeshare"
(cd "$here" && "$venv/bin/python" -m mypy --strict --no-incremental src/lakeshare)
case " $lines " in *" 4.2 "*) run_pytest "$venv" "PySpark 4.2" "$@" ;; esac

# Spark 3.5 (PyPI's PySpark 3.5 is Scala 2.12): the same requirements with PySpark 3.5.9, its
# py4j and delta-spark 3.3.2; the package, PySpark connector and cluster suites (the delta-format
# reads run on Spark 3.5 in the Java suites)
req35="$cache/requirements-spark3.5.txt"
mkdir -p "$cache"
sed -e 's/^pyspark==.*/pyspark==3.5.9/' -e 's/^py4j==.*/py4j==0.10.9.7/' -e 's/^delta_spark==.*/delta_spark==3.3.2/' \
  "$req" > "$req35"
case " $lines " in *" 3.5 "*)
  venv35=$(make_venv spark3.5 "$req35")
  install_package "$venv35" "$connector35"
  run_pytest "$venv35" "PySpark 3.5" tests/test_package.py tests/test_spark_connector.py \
    tests/test_cluster.py "$@"
  ;;
esac

if [ "${LAKESHARE_SKIP_PACKAGES_CHECK:-0}" = 1 ]; then
  echo "Skipping the --packages check (LAKESHARE_SKIP_PACKAGES_CHECK=1)"
else
  bash "$here/packages-check.sh" "$venv" "$connector" "$server"
  case " $lines " in *" 3.5 "*) bash "$here/packages-check.sh" "$venv35" "$connector35" "$server" ;; esac
  # Spark 4.0 and 4.1 run the 4.2 jar (the APIs that differ are looked up at run time): the same
  # offline --packages read with each of them, in venvs that hold only that PySpark
  case " $lines " in *" 4.2 "*)
    for v in 4.0.1 4.1.1; do
      reqv="$cache/requirements-spark$v.txt"
      printf 'pyspark==%s\n' "$v" > "$reqv"
      bash "$here/packages-check.sh" "$(make_venv "spark$v" "$reqv")" "$connector" "$server"
    done
    ;;
  esac
fi
