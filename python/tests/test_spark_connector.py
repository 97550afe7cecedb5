"""PySpark with the bundled connector against the server jar, checked against delta-spark."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import lakeshare
from compare import CDF, PEOPLE, rows_of_spark
from conftest import url
from tables import append_stream_rows

pytestmark = pytest.mark.spark


@pytest.fixture(scope="module")
def people(profile):
    return url(profile, "py", "spark", "people")


def delta(spark, path, **options):
    reader = spark.read.format("delta")
    for k, v in options.items():
        reader = reader.option(k, str(v))
    return reader.load(str(path))


def test_configure_spark_adds_the_bundled_jar_and_the_format_resolves(spark):
    jars = spark.sparkContext.getConf().get("spark.jars")
    assert lakeshare.jar_path() in jars.split(",")
    assert os.path.getsize(lakeshare.jar_path()) > 1_000_000  # the shaded jar, not the thin one
    jvm = spark.sparkContext._jvm
    loader = jvm.Thread.currentThread().getContextClassLoader()
    provider = jvm.java.lang.Class.forName("io.lakeshare.spark.DeltaSharingTableProvider", True, loader)
    assert provider.getName() == "io.lakeshare.spark.DeltaSharingTableProvider"
    line = "3.5_2.12" if spark.version.startswith("3.5") else "4.2_2.13"
    assert lakeshare.packages_coordinate().startswith(f"io.lakeshare:lakeshare-spark-{line}:")
    assert os.path.basename(lakeshare.jar_path()).startswith(f"lakeshare-spark-{line}-")
    assert jvm.io.lakeshare.spark.SparkLine.LINE == line[:3]


def test_batch_read_equals_delta_spark(spark, tables, people):
    df = lakeshare.load_as_spark(people)
    assert df.columns == list(PEOPLE)
    expected = rows_of_spark(delta(spark, tables.spark_people.path), PEOPLE)
    assert len(expected) > 40
    assert rows_of_spark(df, PEOPLE) == expected
    eu = df.where("region = 'eu' AND id > 20").select("id", "score")
    assert rows_of_spark(eu, ("id", "score")) == rows_of_spark(
        delta(spark, tables.spark_people.path).where("region = 'eu' AND id > 20"), ("id", "score")
    )


def test_time_travel_by_version_and_timestamp_equals_delta_spark(spark, tables, people):
    path = tables.spark_people.path
    for version in (0, 2, tables.spark_people.latest):
        expected = rows_of_spark(delta(spark, path, versionAsOf=version), PEOPLE)
        assert rows_of_spark(lakeshare.load_as_spark(people, version=version), PEOPLE) == expected
    for version in (3,):
        ts = tables.spark_people.timestamp(version)
        expected = rows_of_spark(delta(spark, path, timestampAsOf=ts.replace("T", " ")[:-1]), PEOPLE)
        assert expected == rows_of_spark(delta(spark, path, versionAsOf=version), PEOPLE)
        assert rows_of_spark(lakeshare.load_as_spark(people, timestamp=ts), PEOPLE) == expected
    with pytest.raises(ValueError):
        lakeshare.load_as_spark(people, version=1, timestamp=tables.spark_people.timestamp(1))


def _cdf_oracle(spark, path, start, end):
    return delta(spark, path, readChangeFeed="true", startingVersion=start, endingVersion=end)


def test_change_data_feed_by_version_and_timestamp_equals_delta_spark(spark, tables, people):
    path = tables.spark_people.path
    changes = lakeshare.load_table_changes_as_spark(people, starting_version=1, ending_version=4)
    assert set(changes.columns) >= set(CDF) | {"_commit_timestamp"}
    expected = rows_of_spark(_cdf_oracle(spark, path, 1, 4), CDF)
    kinds = {r[4] for r in expected}
    assert kinds == {"insert", "delete", "update_preimage", "update_postimage"}
    assert rows_of_spark(changes, CDF) == expected
    ts_cols = CDF + ("ms",)
    by_time = lakeshare.load_table_changes_as_spark(
        people,
        starting_timestamp=tables.spark_people.timestamp(3),
        ending_timestamp=tables.spark_people.timestamp(4),
    ).selectExpr("*", "unix_millis(_commit_timestamp) AS ms")
    oracle = _cdf_oracle(spark, path, 3, 4).selectExpr("*", "unix_millis(_commit_timestamp) AS ms")
    assert rows_of_spark(by_time, ts_cols) == rows_of_spark(oracle, ts_cols)
    with pytest.raises(ValueError):
        lakeshare.load_table_changes_as_spark(people)


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


def test_stream_available_now_picks_up_new_versions(spark, tables, profile, work):
    table = tables.spark_stream
    stream_url = url(profile, "py", "spark", "stream")
    out, checkpoint = work / "stream-out", work / "stream-checkpoint"
    cols = ("id", "v")
    _run_available_now(lakeshare.load_as_spark_stream(stream_url), out, checkpoint)
    first = rows_of_spark(spark.read.parquet(str(out)), cols)
    assert first == rows_of_spark(delta(spark, table.path), cols)
    assert len(first) == 10

    append_stream_rows(spark, table.path, 10, 25)
    append_stream_rows(spark, table.path, 25, 30)
    _run_available_now(lakeshare.load_as_spark_stream(stream_url), out, checkpoint)
    second = rows_of_spark(spark.read.parquet(str(out)), cols)
    assert second == rows_of_spark(delta(spark, table.path), cols)
    assert len(second) == 30  # each row exactly once across the two runs


def test_change_feed_stream_equals_delta_spark_change_feed(spark, tables, people, work):
    out, checkpoint = work / "cdf-stream-out", work / "cdf-stream-checkpoint"
    df = lakeshare.load_as_spark_stream(people, starting_version=2, read_change_feed=True)
    _run_available_now(df, out, checkpoint)
    got = rows_of_spark(spark.read.parquet(str(out)), CDF)
    path = tables.spark_people.path
    assert got == rows_of_spark(_cdf_oracle(spark, path, 2, tables.spark_people.latest), CDF)


def test_create_table_using_delta_sharing_in_spark_sql(spark, tables, people):
    spark.sql("DROP TABLE IF EXISTS shared_people")
    spark.sql(f"CREATE TABLE shared_people USING deltaSharing LOCATION '{people}'")
    try:
        got = spark.sql(
            "SELECT region, count(*) AS n, sum(score) AS total FROM shared_people"
            " WHERE id >= 10 GROUP BY region"
        )
        oracle = (
            delta(spark, tables.spark_people.path)
            .where("id >= 10")
            .groupBy("region")
            .agg({"*": "count", "score": "sum"})
            .withColumnRenamed("count(1)", "n")
            .withColumnRenamed("sum(score)", "total")
        )
        assert rows_of_spark(got, ("region", "n", "total")) == rows_of_spark(
            oracle, ("region", "n", "total")
        )
        spark.sql("DROP TABLE IF EXISTS shared_v1")
        spark.sql(
            f"CREATE TABLE shared_v1 USING deltaSharing OPTIONS (versionAsOf 1) LOCATION '{people}'"
        )
        assert rows_of_spark(spark.table("shared_v1"), PEOPLE) == rows_of_spark(
            delta(spark, tables.spark_people.path, versionAsOf=1), PEOPLE
        )
    finally:
        spark.sql("DROP TABLE IF EXISTS shared_people")
        spark.sql("DROP TABLE IF EXISTS shared_v1")


def _with_pagination(spark, read):
    spark.conf.set("spark.delta.sharing.queryPagination.enabled", "true")
    try:
        return read()
    finally:
        spark.conf.unset("spark.delta.sharing.queryPagination.enabled")


def test_change_feed_follows_small_server_pages(spark, tables, small_pages_server):
    small = url(str(small_pages_server["profile"]), "py", "spark", "people")
    path = tables.spark_people.path
    latest = tables.spark_people.latest
    got = _with_pagination(
        spark,
        lambda: rows_of_spark(
            lakeshare.load_table_changes_as_spark(small, starting_version=0), CDF
        ),
    )
    assert got == rows_of_spark(_cdf_oracle(spark, path, 0, latest), CDF)
    assert len(delta(spark, path).inputFiles()) > 2  # a page limit of 2 means several pages


def test_snapshot_read_follows_small_server_pages(spark, tables, small_pages_server):
    small = url(str(small_pages_server["profile"]), "py", "spark", "people")
    got = _with_pagination(spark, lambda: rows_of_spark(lakeshare.load_as_spark(small), PEOPLE))
    assert got == rows_of_spark(delta(spark, tables.spark_people.path), PEOPLE)


def test_time_travel_follows_small_server_pages(spark, tables, small_pages_server):
    small = url(str(small_pages_server["profile"]), "py", "spark", "people")
    got = _with_pagination(
        spark, lambda: rows_of_spark(lakeshare.load_as_spark(small, version=3), PEOPLE)
    )
    assert got == rows_of_spark(delta(spark, tables.spark_people.path, versionAsOf=3), PEOPLE)
