"""Plain Parquet tables (``format: parquet``): a Hive-partitioned directory written by PySpark,
with NULL partitions, shared by the server jar and read by the official client, the ``lakeshare``
package and the connector, each equal to ``spark.read.parquet`` of the same directory."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Dict, Iterator

import delta_sharing
import pytest

import lakeshare
from compare import rows_of_pandas, rows_of_spark
from conftest import TOKEN, Server, url

COLUMNS = ("id", "name", "score", "region", "year")


@pytest.fixture(scope="module")
def parquet_dir(spark, work: Path) -> Path:
    root = work / "parquet_people"
    rows = (
        "SELECT * FROM VALUES"
        " (1L, 'ann', 1.5D, 'eu', 2023), (2L, 'bob', NULL, 'eu', 2024),"
        " (3L, NULL, 3.25D, 'us', 2024), (4L, 'dee', 4.0D, NULL, 2024),"
        " (5L, 'eve', 5.5D, 'us', NULL), (6L, 'fay', 6.0D, NULL, NULL),"
        " (7L, 'gus', 7.0D, 'a b/c=d', 2023)"
        " AS t(id, name, score, region, year)"
    )
    for batch in (rows, rows.replace("(", "(10 + ", 1)):
        spark.sql(batch).repartition(2).write.mode("append").partitionBy("region", "year").parquet(
            str(root)
        )
    return root


@pytest.fixture(scope="module")
def parquet_server(parquet_dir: Path, work: Path) -> Iterator[Dict[str, str]]:
    config = work / "parquet.yaml"
    config.write_text(
        "\n".join(
            [
                "version: 1",
                "host: 127.0.0.1",
                "port: 0",
                "endpoint: /delta-sharing",
                "authorization:",
                f"  bearerToken: {TOKEN}",
                "shares:",
                "- name: files",
                "  schemas:",
                "  - name: raw",
                "    tables:",
                "    - name: people",
                f"      location: {json.dumps(str(parquet_dir))}",
                "      format: parquet",
                "      listingRefreshSeconds: 0",
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    server = Server(config, work / "parquet.log")
    profile = work / "parquet.share"
    profile.write_text(
        json.dumps(
            {
                "shareCredentialsVersion": 1,
                "endpoint": f"http://127.0.0.1:{server.port}/delta-sharing",
                "bearerToken": TOKEN,
            }
        ),
        encoding="utf-8",
    )
    try:
        yield {"url": url(str(profile), "files", "raw", "people"), "profile": str(profile)}
    finally:
        server.stop()


def _oracle(spark, parquet_dir: Path):
    return spark.read.parquet(str(parquet_dir))


def test_official_client_reads_what_spark_reads(spark, parquet_dir, parquet_server):
    expected = rows_of_spark(_oracle(spark, parquet_dir), COLUMNS)
    assert len(expected) == 14
    pdf = delta_sharing.load_as_pandas(parquet_server["url"])
    assert list(pdf.columns) == list(COLUMNS)
    assert rows_of_pandas(pdf, COLUMNS) == expected


def test_official_client_sees_the_inferred_schema_and_no_history(parquet_server):
    client = delta_sharing.SharingClient(parquet_server["profile"])
    tables = client.list_all_tables()
    assert [t.name for t in tables] == ["people"]
    from delta_sharing.protocol import Table

    rest = client._rest_client
    meta = rest.query_table_metadata(Table(name="people", share="files", schema="raw"))
    schema = json.loads(meta.metadata.schema_string)
    assert [(f["name"], f["type"]) for f in schema["fields"]] == [
        ("id", "long"),
        ("name", "string"),
        ("score", "double"),
        ("region", "string"),
        ("year", "integer"),
    ]
    assert meta.metadata.partition_columns == ["region", "year"]
    with pytest.raises(Exception) as e:
        delta_sharing.load_table_changes_as_pandas(parquet_server["url"], starting_version=0)
    assert "cdf is not enabled" in str(e.value)


def test_lakeshare_package_reads_what_spark_reads(spark, parquet_dir, parquet_server):
    oracle = _oracle(spark, parquet_dir)
    for response_format in (None, "parquet", "delta"):
        df = lakeshare.load_as_spark(parquet_server["url"], response_format=response_format)
        assert df.columns == list(COLUMNS)
        assert rows_of_spark(df, COLUMNS) == rows_of_spark(oracle, COLUMNS), response_format
    for condition in ("region IS NULL", "year = 2024", "id > 10", "region = 'a b/c=d'"):
        df = lakeshare.load_as_spark(parquet_server["url"]).where(condition)
        assert rows_of_spark(df, COLUMNS) == rows_of_spark(oracle.where(condition), COLUMNS), (
            condition
        )
