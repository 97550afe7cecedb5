"""Named recipients and a partition-filtered share through the official Python client and the
Lakeshare PySpark helper, unchanged: a recipient's profile sees its grants and its partitions only,
compared with the writers' own reads restricted the same way."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Dict, Iterator

import delta_sharing
import pytest
from delta_sharing.rest_client import DataSharingRestClient

from compare import CDF, PEOPLE, rows_of_pandas, rows_of_spark
from conftest import Server

EU_TOKEN = "py-recipient-eu-token-0123456789"
US_TOKEN = "py-recipient-us-token-0123456789"


@pytest.fixture(scope="module")
def recipients_server(tables, work: Path) -> Iterator[Dict[str, str]]:
    people = json.dumps(str(tables.spark_people.path))
    rust = json.dumps(str(tables.rust_people.path))
    config = work / "recipients.yaml"
    config.write_text(
        "\n".join(
            [
                "version: 1",
                "host: 127.0.0.1",
                "port: 0",
                "shares:",
                "- name: py",
                "  schemas:",
                "  - name: spark",
                "    tables:",
                f"    - {{name: people, location: {people}, historyShared: true,",
                "       partitionFilter: \"region = '${recipient.region}'\"}",
                "  - name: rust",
                "    tables:",
                f"    - {{name: people, location: {rust}, historyShared: true}}",
                "recipients:",
                f"- {{name: eu, token: {EU_TOKEN}, properties: {{region: eu}},",
                "   grants: [{share: py, schemas: [spark]}]}",
                f"- {{name: us, token: {US_TOKEN}, properties: {{region: us}},",
                "   grants: [{share: py}]}",
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    server = Server(config, work / "recipients.log")
    endpoint = f"http://127.0.0.1:{server.port}/delta-sharing"
    profiles = {}
    for name, token in (("eu", EU_TOKEN), ("us", US_TOKEN)):
        p = work / f"recipient-{name}.share"
        p.write_text(
            json.dumps({"shareCredentialsVersion": 1, "endpoint": endpoint, "bearerToken": token}),
            encoding="utf-8",
        )
        profiles[name] = str(p)
    try:
        yield profiles
    finally:
        server.stop()


def _oracle(spark, path: Path, region: str, **options):
    reader = spark.read.format("delta")
    for k, v in options.items():
        reader = reader.option(k, v)
    return reader.load(str(path)).where(f"region = '{region}'")


def test_listings_show_each_recipients_grants(recipients_server):
    eu = delta_sharing.SharingClient(recipients_server["eu"])
    us = delta_sharing.SharingClient(recipients_server["us"])
    assert [f"{t.share}.{t.schema}.{t.name}" for t in eu.list_all_tables()] == ["py.spark.people"]
    assert sorted(f"{t.schema}.{t.name}" for t in us.list_all_tables()) == [
        "rust.people",
        "spark.people",
    ]


@pytest.mark.parametrize("region", ["eu", "us"])
@pytest.mark.parametrize("use_delta_format", [False, True])
def test_official_client_reads_only_the_recipients_partitions(
    recipients_server, spark, tables, region, use_delta_format
):
    url = f"{recipients_server[region]}#py.spark.people"
    pdf = delta_sharing.load_as_pandas(url, use_delta_format=use_delta_format)
    expected = rows_of_spark(_oracle(spark, tables.spark_people.path, region), PEOPLE)
    assert expected
    assert rows_of_pandas(pdf, PEOPLE) == expected
    assert set(pdf["region"]) == {region}
    for version in range(1, tables.spark_people.latest + 1):
        pdf = delta_sharing.load_as_pandas(url, version=version)
        oracle = _oracle(spark, tables.spark_people.path, region, versionAsOf=version)
        assert rows_of_pandas(pdf, PEOPLE) == rows_of_spark(oracle, PEOPLE)


def test_official_client_change_feed_is_the_recipients_partitions(
    recipients_server, spark, tables
):
    url = f"{recipients_server['eu']}#py.spark.people"
    changes = delta_sharing.load_table_changes_as_pandas(url, starting_version=0)
    oracle = _oracle(spark, tables.spark_people.path, "eu", readChangeFeed="true", startingVersion=0)
    expected = rows_of_spark(oracle, CDF)
    assert expected
    assert rows_of_pandas(changes, CDF) == expected


def test_spark_connector_with_a_recipients_profile(recipients_server, spark, tables):
    df = spark.read.format("deltaSharing").load(f"{recipients_server['us']}#py.spark.people")
    assert rows_of_spark(df, PEOPLE) == rows_of_spark(
        _oracle(spark, tables.spark_people.path, "us"), PEOPLE
    )


def test_what_is_not_granted_does_not_exist_for_the_recipient(recipients_server):
    client = DataSharingRestClient(
        delta_sharing.protocol.DeltaSharingProfile.read_from_file(recipients_server["eu"])
    )
    with pytest.raises(Exception) as hidden:
        client.list_tables(delta_sharing.protocol.Schema(name="rust", share="py"))
    with pytest.raises(Exception) as missing:
        client.list_tables(delta_sharing.protocol.Schema(name="nope", share="py"))
    assert "404" in str(hidden.value)
    assert str(hidden.value).replace("rust", "nope") == str(missing.value)
