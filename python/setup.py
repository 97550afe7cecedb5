"""Build hook: bundles the shaded connector jar that Maven built into the package.

Metadata lives in pyproject.toml. This file only makes sure `lakeshare/jars/` holds exactly one
connector jar before the wheel is built, copying it from ../spark-connector/target when building
from the repository, and stops the build with a clear message when there is none.
"""

import glob
import os
import shutil

from setuptools import setup

HERE = os.path.dirname(os.path.abspath(__file__))
JAR_DIR = os.path.join(HERE, "src", "lakeshare", "jars")
BUILT = os.path.join(HERE, "..", "spark-connector", "target", "lakeshare-spark_2.13-*.jar")


def _connector_jars(pattern):
    return [
        p
        for p in glob.glob(pattern)
        if not p.endswith(("-sources.jar", "-javadoc.jar", "-tests.jar"))
        and not os.path.basename(p).startswith("original-")
    ]


def stage_connector_jar():
    built = _connector_jars(BUILT)
    if len(built) > 1:
        raise SystemExit(f"lakeshare: several connector jars in spark-connector/target: {built}")
    if built:
        os.makedirs(JAR_DIR, exist_ok=True)
        for old in glob.glob(os.path.join(JAR_DIR, "*.jar")):
            os.remove(old)
        shutil.copy2(built[0], JAR_DIR)
    staged = _connector_jars(os.path.join(JAR_DIR, "*.jar"))
    if len(staged) != 1:
        raise SystemExit(
            "lakeshare: the connector jar is missing. Build it first from the repository root with "
            "`mvn -B -ntp -DskipTests package` (it writes "
            "spark-connector/target/lakeshare-spark_2.13-<version>.jar), then install this package."
        )


# Runs for every setuptools step (metadata, sdist, wheel): `lakeshare.jars` must exist before
# setuptools looks at the package list.
stage_connector_jar()
setup()
