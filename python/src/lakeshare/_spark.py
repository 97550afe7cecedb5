"""PySpark side: put the bundled connector on a session and read shared tables with it."""

from __future__ import annotations

import glob
import os
import re
from typing import TYPE_CHECKING, Any, Dict, Literal, Mapping, Optional, Tuple, Union

if TYPE_CHECKING:  # PySpark is optional at import time: discovery works without it.
    from pyspark.sql import DataFrame, SparkSession

SPARK_LINES = ("3.5", "4.2")
"""The Spark lines the bundled connector jars are built for: 3.5 (Scala 2.12 and 2.13) and 4.2, which
also serves Spark 4.0, 4.1 and later 4.x releases (Scala 2.13)."""

SUPPORTED = "PySpark 3.5 (Scala 2.12 or 2.13) and PySpark 4.x (Scala 2.13)"

_GROUP = "io.lakeshare"
_FORMAT = "lakeshare"  # the connector's own name: unambiguous next to other Delta Sharing connectors
_JAR = re.compile(r"^lakeshare-spark-(\d+\.\d+)_(\d+\.\d+)-(.+)\.jar$")
OptionValue = Union[str, int, float, bool]
ResponseFormat = Literal["auto", "parquet", "delta"]
_RESPONSE_FORMATS = ("auto", "parquet", "delta")


def _jar_dir() -> str:
    return os.path.join(os.path.dirname(os.path.abspath(__file__)), "jars")


def _line(spark_version: str) -> str:
    """The connector line for a Spark version, or a ValueError naming what is supported."""
    m = re.match(r"^(\d+)\.(\d+)", spark_version)
    if m:
        major, minor = int(m.group(1)), int(m.group(2))
        if (major, minor) == (3, 5):
            return "3.5"
        if major == 4:
            return "4.2"
    raise ValueError(f"lakeshare: Spark {spark_version} is not supported; lakeshare supports {SUPPORTED}")


def _installed_pyspark() -> Tuple[str, str]:
    """The installed PySpark's version and the Scala binary version of the Spark it runs: read from
    the scala-library jar of ``$SPARK_HOME/jars`` (or PySpark's own jars), else the line's default."""
    try:
        import pyspark
    except ImportError as e:  # pragma: no cover - depends on the environment
        raise ImportError(
            "lakeshare: choosing the connector jar needs PySpark (pip install pyspark); "
            "or pass spark_version=... explicitly"
        ) from e
    version = pyspark.__version__
    homes = [os.environ.get("SPARK_HOME", ""), os.path.dirname(os.path.abspath(pyspark.__file__))]
    for home in homes:
        if not home:
            continue
        for jar in glob.glob(os.path.join(home, "jars", "scala-library-*.jar")):
            m = re.match(r"^scala-library-(\d+\.\d+)\.", os.path.basename(jar))
            if m:
                return version, m.group(1)
    return version, "2.12" if version.startswith("3.") else "2.13"


def _choose(spark_version: Optional[str], scala_version: Optional[str]) -> Tuple[str, str]:
    if spark_version is None:
        installed, installed_scala = _installed_pyspark()
        spark_version = installed
        scala_version = scala_version or installed_scala
    line = _line(spark_version)
    scala = scala_version or ("2.12" if line == "3.5" else "2.13")
    if (line, scala) not in (("3.5", "2.12"), ("3.5", "2.13"), ("4.2", "2.13")):
        raise ValueError(
            f"lakeshare: Spark {spark_version} with Scala {scala} is not supported; "
            f"lakeshare supports {SUPPORTED}"
        )
    return line, scala


def jar_path(spark_version: Optional[str] = None, scala_version: Optional[str] = None) -> str:
    """Absolute path of the bundled connector jar for a Spark version (default: the installed
    PySpark's version and Scala). Raises ValueError for a Spark this package does not support."""
    line, scala = _choose(spark_version, scala_version)
    here = _jar_dir()
    jars = sorted(glob.glob(os.path.join(here, f"lakeshare-spark-{line}_{scala}-*.jar")))
    if len(jars) != 1:
        raise FileNotFoundError(
            f"lakeshare: expected one bundled connector jar for Spark {line} / Scala {scala} in "
            f"{here}, found {len(jars)}; reinstall the package from a build that ran `mvn package` first"
        )
    return jars[0]


def packages_coordinate(spark_version: Optional[str] = None, scala_version: Optional[str] = None) -> str:
    """The Maven coordinate for ``--packages`` / ``spark.jars.packages`` matching this package and
    a Spark version (default: the installed PySpark's)."""
    m = _JAR.match(os.path.basename(jar_path(spark_version, scala_version)))
    assert m is not None, "bundled jar names follow lakeshare-spark-<line>_<scala>-<version>.jar"
    return f"{_GROUP}:lakeshare-spark-{m.group(1)}_{m.group(2)}:{m.group(3)}"


def configure_spark(builder: "SparkSession.Builder") -> "SparkSession.Builder":
    """Adds the bundled connector jar for the installed PySpark to a session builder's
    ``spark.jars`` and returns it.

    Call it before ``getOrCreate()``: jars are read when the JVM starts. Jars already set on the
    builder are kept. The alternative without this package is ``--packages`` with
    :func:`packages_coordinate` (for example ``io.lakeshare:lakeshare-spark-3.5_2.12:<version>``).
    Raises ValueError when the installed PySpark is not one this package supports.
    """
    jar = jar_path()
    # Builder keeps its settings in a private dict; read it so existing spark.jars survive.
    options = getattr(builder, "_options", {}) or {}
    existing = [j for j in str(options.get("spark.jars", "")).split(",") if j.strip()]
    if jar not in existing:
        existing.append(jar)
    return builder.config("spark.jars", ",".join(existing))


def _session(spark: Optional["SparkSession"]) -> "SparkSession":
    if spark is not None:
        return spark
    try:
        from pyspark.sql import SparkSession
    except ImportError as e:  # pragma: no cover - depends on the environment
        raise ImportError("lakeshare: reading as Spark needs PySpark (pip install pyspark)") from e
    active = SparkSession.getActiveSession()
    if active is None:
        raise RuntimeError(
            "lakeshare: no active SparkSession; create one with "
            "lakeshare.configure_spark(SparkSession.builder).getOrCreate()"
        )
    return active


def _text(value: OptionValue) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _with_response_format(
    options: Mapping[str, Any], response_format: Optional[ResponseFormat]
) -> Dict[str, Any]:
    """The reader options with ``responseFormat`` set from the keyword, checked early so a typo
    fails here rather than at the first request."""
    merged = dict(options)
    if response_format is None:
        return merged
    if response_format not in _RESPONSE_FORMATS:
        raise ValueError(
            f"lakeshare: response_format={response_format!r}; use one of "
            + ", ".join(repr(f) for f in _RESPONSE_FORMATS)
        )
    if "responseFormat" in merged and str(merged["responseFormat"]) != response_format:
        raise ValueError(
            f"lakeshare: response_format={response_format!r} conflicts with "
            f"responseFormat={merged['responseFormat']!r}; give one of them"
        )
    merged["responseFormat"] = response_format
    return merged


def load_as_spark(
    url: str,
    version: Optional[int] = None,
    timestamp: Optional[str] = None,
    *,
    response_format: Optional[ResponseFormat] = None,
    spark: Optional["SparkSession"] = None,
    **options: OptionValue,
) -> "DataFrame":
    """Reads a shared table (``<profile>#share.schema.table``) as a Spark DataFrame.

    ``version`` or ``timestamp`` read an older snapshot (not both). ``response_format`` sets the
    connector option ``responseFormat``: ``"auto"`` (the connector's default: ask for both, the
    server answers ``delta`` exactly for tables that need it, such as tables with deletion
    vectors or column mapping), ``"parquet"`` or ``"delta"`` (ask for that format only; the
    server refuses with a 400 what the format cannot express). Other keyword arguments are
    passed as reader options.
    """
    if version is not None and timestamp is not None:
        raise ValueError("lakeshare: give version or timestamp, not both")
    options = _with_response_format(options, response_format)
    reader = _session(spark).read.format(_FORMAT)
    if version is not None:
        reader = reader.option("versionAsOf", _text(version))
    if timestamp is not None:
        reader = reader.option("timestampAsOf", _text(timestamp))
    for key, value in options.items():
        reader = reader.option(key, _text(value))
    return reader.load(url)


def load_table_changes_as_spark(
    url: str,
    starting_version: Optional[int] = None,
    ending_version: Optional[int] = None,
    starting_timestamp: Optional[str] = None,
    ending_timestamp: Optional[str] = None,
    *,
    response_format: Optional[ResponseFormat] = None,
    spark: Optional["SparkSession"] = None,
    **options: OptionValue,
) -> "DataFrame":
    """Reads a shared table's change data feed as a DataFrame with ``_change_type``,
    ``_commit_version`` and ``_commit_timestamp``. Bounds are inclusive; give a start.
    ``response_format`` is as in :func:`load_as_spark`."""
    if starting_version is None and starting_timestamp is None:
        raise ValueError("lakeshare: give starting_version or starting_timestamp")
    options = _with_response_format(options, response_format)
    reader = _session(spark).read.format(_FORMAT).option("readChangeFeed", "true")
    bounds: Dict[str, Optional[OptionValue]] = {
        "startingVersion": starting_version,
        "endingVersion": ending_version,
        "startingTimestamp": starting_timestamp,
        "endingTimestamp": ending_timestamp,
    }
    for key, bound in bounds.items():
        if bound is not None:
            reader = reader.option(key, _text(bound))
    for key, value in options.items():
        reader = reader.option(key, _text(value))
    return reader.load(url)


def load_as_spark_stream(
    url: str,
    starting_version: Optional[int] = None,
    starting_timestamp: Optional[str] = None,
    read_change_feed: bool = False,
    *,
    response_format: Optional[ResponseFormat] = None,
    spark: Optional["SparkSession"] = None,
    **options: Any,
) -> "DataFrame":
    """A streaming DataFrame over a shared table (``spark.readStream``).

    Without a start it begins with the current snapshot, then follows new versions; with
    ``read_change_feed=True`` it streams the change data feed. Other options (``maxFilesPerTrigger``,
    ``maxBytesPerTrigger``, ``ignoreDeletes``, ``ignoreChanges``, ``skipChangeCommits``) pass
    through; ``response_format`` is as in :func:`load_as_spark`. Run it with any trigger, for
    example ``.trigger(availableNow=True)``.
    """
    options = _with_response_format(options, response_format)
    reader = _session(spark).readStream.format(_FORMAT)
    if starting_version is not None:
        reader = reader.option("startingVersion", _text(starting_version))
    if starting_timestamp is not None:
        reader = reader.option("startingTimestamp", _text(starting_timestamp))
    if read_change_feed:
        reader = reader.option("readChangeFeed", "true")
    for key, value in options.items():
        reader = reader.option(key, _text(value))
    return reader.load(url)
