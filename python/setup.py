"""Build hook: bundles the shaded connector jars that Maven built into the package.

Metadata lives in pyproject.toml. This file only makes sure `lakeshare/jars/` holds exactly one
connector jar per Spark line (3.5 with Scala 2.12 and 2.13, 4.2 with Scala 2.13) before the wheel is
built, copying them from ../spark-connector/spark-*/target when building from the repository, and
stops the build with a clear message when one is missing.
"""

import glob
import os
import shutil

from setuptools import setup

HERE = os.path.dirname(os.path.abspath(__file__))
JAR_DIR = os.path.join(HERE, "src", "lakeshare", "jars")
CONNECTOR = os.path.join(HERE, "..", "spark-connector")
LINES = ("3.5_2.12", "3.5_2.13", "4.2_2.13")


def _connector_jars(pattern):
    return [
        p
        for p in glob.glob(pattern)
        if not p.endswith(("-sources.jar", "-javadoc.jar", "-tests.jar"))
        and not os.path.basename(p).startswith("original-")
    ]


def stage_connector_jars():
    built = {}
    for line in LINES:
        jars = _connector_jars(os.path.join(CONNECTOR, f"spark-{line}", "target", f"lakeshare-spark-{line}-*.jar"))
        if len(jars) > 1:
            raise SystemExit(f"lakeshare: several connector jars for {line}: {jars}")
        if jars:
            built[line] = jars[0]
    if built:
        if len(built) != len(LINES):
            missing = sorted(set(LINES) - set(built))
            raise SystemExit(f"lakeshare: connector jars missing for {missing}; build all lines (mvn package)")
        os.makedirs(JAR_DIR, exist_ok=True)
        for old in glob.glob(os.path.join(JAR_DIR, "*.jar")):
            os.remove(old)
        for jar in built.values():
            shutil.copy2(jar, JAR_DIR)
    for line in LINES:
        staged = _connector_jars(os.path.join(JAR_DIR, f"lakeshare-spark-{line}-*.jar"))
        if len(staged) != 1:
            raise SystemExit(
                f"lakeshare: the connector jar for Spark {line} is missing. Build the jars first from "
                "the repository root with `mvn -B -ntp -DskipTests package` (it writes "
                "spark-connector/spark-<line>/target/lakeshare-spark-<line>-<version>.jar), then "
                "install this package."
            )


# Runs for every setuptools step (metadata, sdist, wheel): `lakeshare.jars` must exist before
# setuptools looks at the package list.
stage_connector_jars()
setup()
