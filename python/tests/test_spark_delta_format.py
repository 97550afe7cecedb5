"""PySpark with the bundled connector on tables only the delta response format can express
(share ``features``: deletion vectors, column mapping), through the lakeshare helpers with the
connector's ``responseFormat`` (default ``auto``); every read equals the writer's own."""

from __future__ import annotations

from pathlib import Path
from typing import Dict

import pytest

import lakeshare
from compare import CDF, PEOPLE, rows_of_spark
from conftest import url
from features import FEATURES, Oracle, feature_url

pytestmark = pytest.mark.spark


@pytest.fixture(scope="module")
def oracles(spark, tables) -> Dict[str, Oracle]:
    return {key: Oracle(spark, tables, key) for key in FEATURES}


def _assert_snapshot(df, expected, label: str = "") -> None:
    columns, rows = expected
    assert tuple(df.columns) == columns, label
    assert rows_of_spark(df, columns) == rows, label


@pytest.mark.parametrize("response_format", [None, "delta"])
@pytest.mark.parametrize("key", list(FEATURES))
def test_load_as_spark_equals_the_writers_read(oracles, profile, key, response_format):
    """None leaves the connector's default, ``auto``."""
    df = lakeshare.load_as_spark(feature_url(profile, key), response_format=response_format)
    expected = oracles[key].snapshot()
    assert len(expected[1]) > 20
    _assert_snapshot(df, expected)


@pytest.mark.parametrize("key", list(FEATURES))
def test_time_travel_to_every_version_equals_the_writers_read(oracles, profile, key):
    oracle = oracles[key]
    for version in range(0, oracle.table.latest + 1):
        df = lakeshare.load_as_spark(feature_url(profile, key), version=version)
        _assert_snapshot(df, oracle.snapshot(version), f"version {version}")


def test_time_travel_by_timestamp_on_the_dv_table(oracles, profile):
    dv = oracles["dv"]
    for version in (3, 5):
        df = lakeshare.load_as_spark(feature_url(profile, "dv"), timestamp=dv.table.timestamp(version))
        _assert_snapshot(df, dv.snapshot(version), f"version {version}")


def test_filters_on_renamed_dropped_and_re_added_columns_equal_delta_spark(spark, tables, profile):
    """Pushed filters become server hints on logical names the server maps to physical ones;
    Spark re-applies them, so any server mistake would show as missing rows, not extra ones."""
    shared = lakeshare.load_as_spark(feature_url(profile, "cm_name"))
    oracle = spark.read.format("delta").load(str(tables.cm_name.path))
    for where in ("area = 'eu'", "score > 100", "score IS NULL AND area = 'us'", "full_name = 'k50'"):
        columns = ("id", "full_name", "score", "area")
        expected = rows_of_spark(oracle.where(where), columns)
        assert expected, where
        assert rows_of_spark(shared.where(where), columns) == expected, where


def test_response_format_parquet_is_refused_for_deletion_vectors(spark, tables, profile):
    """``response_format`` reaches the connector: asked for parquet only, the server refuses the
    DV table's files (400 naming deletion vectors), and serves an ordinary table."""
    with pytest.raises(Exception) as refused:
        lakeshare.load_as_spark(feature_url(profile, "dv"), response_format="parquet").collect()
    message = str(refused.value)
    assert "deletion vectors" in message and "UNSUPPORTED_OPERATION" in message, message[:2000]
    people = url(profile, "py", "spark", "people")
    expected = rows_of_spark(spark.read.format("delta").load(str(tables.spark_people.path)), PEOPLE)
    for response_format in ("parquet", "auto", "delta"):
        df = lakeshare.load_as_spark(people, response_format=response_format)
        assert rows_of_spark(df, PEOPLE) == expected, response_format


# ---------------------------------------------------------------- change data feed

# DELETE-only commits 2 and 3 (no cdc files: remove/add pairs with vectors), UPDATE 4, MERGE 5
CDF_RANGES = [(2, 3), (1, 3), (4, 4), (5, 5), (0, 5)]


def _changes_oracle(spark, path: Path, start: int, end: int):
    return (
        spark.read.format("delta")
        .option("readChangeFeed", "true")
        .option("startingVersion", start)
        .option("endingVersion", end)
        .load(str(path))
    )


_CDF_MS = CDF + ("ms",)


@pytest.mark.parametrize("start,end", CDF_RANGES, ids=[f"{s}-{e}" for s, e in CDF_RANGES])
def test_change_feed_of_the_dv_table_equals_delta_spark(spark, tables, profile, start, end):
    """Including the commit time to the millisecond."""
    changes = lakeshare.load_table_changes_as_spark(
        feature_url(profile, "dv"), starting_version=start, ending_version=end
    ).selectExpr("*", "unix_millis(_commit_timestamp) AS ms")
    oracle = _changes_oracle(spark, tables.dv.path, start, end).selectExpr(
        "*", "unix_millis(_commit_timestamp) AS ms"
    )
    expected = rows_of_spark(oracle, _CDF_MS)
    assert expected
    assert rows_of_spark(changes, _CDF_MS) == expected


def test_change_feed_asking_for_delta_by_timestamp(spark, tables, profile):
    dv = tables.dv
    changes = lakeshare.load_table_changes_as_spark(
        feature_url(profile, "dv"),
        starting_timestamp=dv.timestamp(2),
        ending_timestamp=dv.timestamp(dv.latest),
        response_format="delta",
    ).selectExpr("*", "unix_millis(_commit_timestamp) AS ms")
    oracle = _changes_oracle(spark, dv.path, 2, dv.latest).selectExpr(
        "*", "unix_millis(_commit_timestamp) AS ms"
    )
    assert rows_of_spark(changes, _CDF_MS) == rows_of_spark(oracle, _CDF_MS)


# ---------------------------------------------------------------- streams


def _run_available_now(df, out: Path, checkpoint: Path) -> None:
    query = (
        df.writeStream.format("parquet")
        .option("path", str(out))
        .option("checkpointLocation", str(checkpoint))
        .trigger(availableNow=True)
        .start()
    )
    query.awaitTermination(240)
    assert not query.isActive
    assert query.exception() is None


def test_streams_over_the_dv_table_equal_delta_spark(spark, tables, profile, work):
    """The snapshot phase of a stream keeps deletion vectors; a change-feed stream from version 1
    turns the DELETE-only commits into their deleted rows."""
    table_url = feature_url(profile, "dv")
    out, checkpoint = work / "dv-stream-out", work / "dv-stream-checkpoint"
    _run_available_now(
        lakeshare.load_as_spark_stream(table_url, response_format="delta"), out, checkpoint
    )
    got = spark.read.parquet(str(out))
    assert rows_of_spark(got, PEOPLE) == rows_of_spark(
        spark.read.format("delta").load(str(tables.dv.path)), PEOPLE
    )

    out, checkpoint = work / "dv-cdf-stream-out", work / "dv-cdf-stream-checkpoint"
    _run_available_now(
        lakeshare.load_as_spark_stream(table_url, starting_version=1, read_change_feed=True),
        out,
        checkpoint,
    )
    expected = rows_of_spark(_changes_oracle(spark, tables.dv.path, 1, tables.dv.latest), CDF)
    assert rows_of_spark(spark.read.parquet(str(out)), CDF) == expected
