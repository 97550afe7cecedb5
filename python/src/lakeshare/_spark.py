"""PySpark side: put the bundled connector on a session and read shared tables with it."""

from __future__ import annotations

import glob
import os
from typing import TYPE_CHECKING, Any, Dict, Literal, Mapping, Optional, Union

if TYPE_CHECKING:  # PySpark is optional at import time: discovery works without it.
    from pyspark.sql import DataFrame, SparkSession

SPARK_VERSION = "4.2"
"""The Spark line the bundled connector is built for (Scala 2.13)."""

_ARTIFACT = "io.lakeshare:lakeshare-spark_2.13"
_FORMAT = "deltaSharing"
OptionValue = Union[str, int, float, bool]
ResponseFormat = Literal["auto", "parquet", "delta"]
_RESPONSE_FORMATS = ("auto", "parquet", "delta")


def jar_path() -> str:
    """Absolute path of the connector jar bundled in this package."""
    here = os.path.join(os.path.dirname(os.path.abspath(__file__)), "jars")
    jars = sorted(glob.glob(os.path.join(here, "lakeshare-spark_2.13-*.jar")))
    if len(jars) != 1:
        raise FileNotFoundError(
            f"lakeshare: expected one bundled connector jar in {here}, found {len(jars)}; "
            "reinstall the package from a build that ran `mvn package` first"
        )
    return jars[0]


def packages_coordinate() -> str:
    """The Maven coordinate for ``--packages`` / ``spark.jars.packages`` matching this package."""
    return f"{_ARTIFACT}:{_maven_version()}"


def _maven_version() -> str:
    name = os.path.basename(jar_path())
    return name[len("lakeshare-spark_2.13-") : -len(".jar")]


def configure_spark(builder: "SparkSession.Builder") -> "SparkSession.Builder":
    """Adds the bundled connector jar to a session builder's ``spark.jars`` and returns it.

    Call it before ``getOrCreate()``: jars are read when the JVM starts. Jars already set on the
    builder are kept. The alternative without this package is
    ``--packages io.lakeshare:lakeshare-spark_2.13:<version>`` (or ``spark.jars.packages``).
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
