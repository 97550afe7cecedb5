"""Lakeshare for Python: read Delta Sharing tables with PySpark and discover what is shared.

The wheel bundles the Lakeshare Spark connector for Spark 3.5 (Scala 2.12 and 2.13) and Spark 4.2+
(formats ``deltaSharing`` and ``lakeshare``), so ``configure_spark(SparkSession.builder)`` is all a
PySpark session needs: it picks the jar matching the installed PySpark. No network, no ``--packages``.
"""

from lakeshare._client import Schema, Share, SharingClient, SharingError, Table
from lakeshare._profile import SharingProfile, parse_table_url
from lakeshare._spark import (
    SPARK_LINES,
    SUPPORTED,
    ResponseFormat,
    configure_spark,
    jar_path,
    load_as_spark,
    load_as_spark_stream,
    load_table_changes_as_spark,
    packages_coordinate,
)

__version__ = "0.1.0.dev0"

__all__ = [
    "SPARK_LINES",
    "SUPPORTED",
    "ResponseFormat",
    "Schema",
    "Share",
    "SharingClient",
    "SharingError",
    "SharingProfile",
    "Table",
    "configure_spark",
    "jar_path",
    "load_as_spark",
    "load_as_spark_stream",
    "load_table_changes_as_spark",
    "packages_coordinate",
    "parse_table_url",
]
