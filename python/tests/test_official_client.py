"""The official Delta Sharing Python client (``delta-sharing`` on PyPI) against the server jar,
on tables written by delta-spark and by delta-rs; every answer equals the writer's own read."""

from __future__ import annotations

import json
import functools
from typing import Callable, Dict, List

import delta_sharing
import pytest
from delta_sharing.rest_client import DataSharingRestClient

import lakeshare
from compare import CDF, PEOPLE, rows_of_pandas, rows_of_spark
from conftest import url
from features import log_actions


class Writer:
    """One table as its writer reads it: snapshots and change feeds as row lists."""

    def __init__(self, name: str, table, snapshot: Callable, changes: Callable, cdf_cols) -> None:
        self.name, self.table = name, table
        # the writers' reads are the slow part: read each version or range once
        self.snapshot = functools.lru_cache(maxsize=None)(snapshot)
        self.changes = functools.lru_cache(maxsize=None)(changes)
        self.cdf_cols = cdf_cols


@pytest.fixture(scope="module", params=["delta-spark", "delta-rs"])
def writer(request, spark, tables) -> Writer:
    if request.param == "delta-spark":
        path = str(tables.spark_people.path)

        def snapshot(version=None):
            reader = spark.read.format("delta")
            if version is not None:
                reader = reader.option("versionAsOf", version)
            return rows_of_spark(reader.load(path), PEOPLE)

        def changes(start, end):
            df = (
                spark.read.format("delta")
                .option("readChangeFeed", "true")
                .option("startingVersion", start)
                .option("endingVersion", end)
                .load(path)
                .selectExpr("*", "unix_millis(_commit_timestamp) AS _commit_timestamp_ms")
            )
            return rows_of_spark(df, CDF + ("_commit_timestamp_ms",))

        # delta-spark's _commit_timestamp is the commit time the server reports too
        return Writer("spark", tables.spark_people, snapshot, changes, CDF + ("_commit_timestamp",))

    from deltalake import DeltaTable
    import pyarrow as pa

    path = str(tables.rust_people.path)

    def snapshot(version=None):
        dt = DeltaTable(path) if version is None else DeltaTable(path, version=version)
        return rows_of_pandas(dt.to_pandas(), PEOPLE)

    def changes(start, end):
        reader = DeltaTable(path).load_cdf(starting_version=start, ending_version=end)
        return rows_of_pandas(pa.table(reader).to_pandas(), CDF)

    # delta-rs reports commitInfo times in its feed, not the log file times: compare without them
    return Writer("rust", tables.rust_people, snapshot, changes, CDF)


@pytest.fixture(scope="module")
def table_url(writer: Writer, profile: str) -> str:
    return url(profile, "py", writer.name, "people")


# ---------------------------------------------------------------- discovery


def _expected_tables(tables) -> List[tuple]:
    return sorted(
        (share, schema, name)
        for share, schemas in tables.layout().items()
        for schema, entries in schemas.items()
        for name in entries
    )


def test_listing_matches_the_configured_shares(profile, tables):
    client = delta_sharing.SharingClient(profile)
    shares = client.list_shares()
    assert sorted(s.name for s in shares) == ["extra", "features", "py"]
    py = next(s for s in shares if s.name == "py")
    assert sorted(s.name for s in client.list_schemas(py)) == ["rust", "spark"]
    spark_schema = next(s for s in client.list_schemas(py) if s.name == "spark")
    assert sorted(t.name for t in client.list_tables(spark_schema)) == ["people", "stream"]
    everything = sorted((t.share, t.schema, t.name) for t in client.list_all_tables())
    assert everything == _expected_tables(tables)


def test_listing_follows_one_item_pages(profile, tables, monkeypatch):
    """The official client follows nextPageToken; asking for one item per page makes it walk
    every page token the server hands out."""
    calls: Dict[str, int] = {}

    def one_per_page(name: str):
        original = getattr(DataSharingRestClient, name)

        def wrapped(self, *args, **kwargs):
            calls[name] = calls.get(name, 0) + 1
            kwargs["max_results"] = 1
            return original(self, *args, **kwargs)

        monkeypatch.setattr(DataSharingRestClient, name, wrapped)

    for name in ("list_shares", "list_schemas", "list_tables", "list_all_tables"):
        one_per_page(name)
    client = delta_sharing.SharingClient(profile)
    everything = sorted((t.share, t.schema, t.name) for t in client.list_all_tables())
    assert everything == _expected_tables(tables)
    py = delta_sharing.Share(name="py")
    assert sorted(s.name for s in client.list_schemas(py)) == ["rust", "spark"]
    schema = delta_sharing.Schema(name="spark", share="py")
    assert sorted(t.name for t in client.list_tables(schema)) == ["people", "stream"]
    # one call per item: 3 shares; 1 + 3 + 4 tables in the three shares; 2 schemas; 2 tables
    assert calls == {"list_shares": 3, "list_all_tables": 8, "list_schemas": 2, "list_tables": 2}


def test_lakeshare_client_lists_what_the_official_client_lists(profile):
    official = delta_sharing.SharingClient(profile)
    ours = lakeshare.SharingClient(profile)
    paged = lakeshare.SharingClient(profile, max_results=1)
    for client in (ours, paged):
        assert [s.name for s in client.list_shares()] == [s.name for s in official.list_shares()]
        assert [(t.share, t.schema, t.name) for t in client.list_all_tables()] == [
            (t.share, t.schema, t.name) for t in official.list_all_tables()
        ]
        share = lakeshare.Share("py")
        assert [(s.share, s.name) for s in client.list_schemas(share)] == [
            (s.share, s.name) for s in official.list_schemas(delta_sharing.Share("py"))
        ]
        schema = lakeshare.Schema("rust", "py")
        assert [t.url("p") for t in client.list_tables(schema)] == ["p#py.rust.people"]


def test_lakeshare_client_reports_the_servers_refusals(profile, server):
    with pytest.raises(lakeshare.SharingError) as missing:
        lakeshare.SharingClient(profile).list_schemas(lakeshare.Share("no_such_share"))
    assert missing.value.status == 404
    wrong = {"shareCredentialsVersion": 1, "endpoint": server["endpoint"], "bearerToken": "nope"}
    with pytest.raises(lakeshare.SharingError) as refused:
        lakeshare.SharingClient(wrong).list_shares()
    assert refused.value.status == 401


# ---------------------------------------------------------------- snapshots


@pytest.mark.parametrize("use_delta_format", [None, False])
def test_load_as_pandas_equals_the_writers_read(writer, table_url, use_delta_format):
    pdf = delta_sharing.load_as_pandas(table_url, use_delta_format=use_delta_format)
    assert sorted(pdf.columns) == sorted(PEOPLE)
    expected = writer.snapshot()
    assert len(expected) > 30
    assert rows_of_pandas(pdf, PEOPLE) == expected


def test_load_as_pandas_with_limit_returns_that_many_table_rows(writer, table_url):
    full = set(writer.snapshot())
    for limit in (0, 1, 7):
        pdf = delta_sharing.load_as_pandas(table_url, limit=limit)
        rows = rows_of_pandas(pdf, PEOPLE)
        assert len(rows) == limit
        assert set(rows) <= full


def test_load_as_pandas_at_every_version(writer, table_url):
    for version in range(0, writer.table.latest + 1):
        pdf = delta_sharing.load_as_pandas(table_url, version=version)
        assert rows_of_pandas(pdf, PEOPLE) == writer.snapshot(version), f"version {version}"


def test_load_as_pandas_at_a_timestamp_reads_the_version_committed_then(writer, table_url):
    for version in (1, writer.table.latest - 1):
        pdf = delta_sharing.load_as_pandas(table_url, timestamp=writer.table.timestamp(version))
        assert rows_of_pandas(pdf, PEOPLE) == writer.snapshot(version), f"version {version}"


def test_json_predicate_hints_prune_partitions(writer, table_url):
    hint = json.dumps(
        {
            "op": "equal",
            "children": [
                {"op": "column", "name": "region", "valueType": "string"},
                {"op": "literal", "value": "eu", "valueType": "string"},
            ],
        }
    )
    pdf = delta_sharing.load_as_pandas(table_url, jsonPredicateHints=hint)
    expected = [r for r in writer.snapshot() if r[3] == "eu"]
    assert expected
    # partition pruning is exact, so only the eu files come back, and all of them
    assert rows_of_pandas(pdf, PEOPLE) == expected


def test_load_as_arrow_equals_the_writers_read(writer, table_url):
    load_as_arrow = getattr(delta_sharing, "load_as_arrow", None)
    if load_as_arrow is None:
        pytest.skip(f"delta-sharing {delta_sharing.__version__} has no load_as_arrow")
    table = load_as_arrow(table_url)
    assert rows_of_pandas(table.to_pandas(), PEOPLE) == writer.snapshot()


# ---------------------------------------------------------------- change data feed


def _client_changes(pdf, cols):
    return rows_of_pandas(pdf, cols)


def test_table_changes_by_version_equal_the_writers_change_feed(writer, table_url):
    latest = writer.table.latest
    pdf = delta_sharing.load_table_changes_as_pandas(
        table_url, starting_version=1, ending_version=latest
    )
    expected = writer.changes(1, latest)
    assert {r[4] for r in expected} >= {"insert", "delete", "update_preimage", "update_postimage"}
    assert _client_changes(pdf, writer.cdf_cols) == expected


def test_table_changes_by_timestamp_equal_the_writers_change_feed(writer, table_url):
    latest = writer.table.latest
    pdf = delta_sharing.load_table_changes_as_pandas(
        table_url,
        starting_timestamp=writer.table.timestamp(latest - 1),
        ending_timestamp=writer.table.timestamp(latest),
    )
    assert set(pdf["_commit_version"]) == {latest - 1, latest}
    assert _client_changes(pdf, writer.cdf_cols) == writer.changes(latest - 1, latest)


# ---------------------------------------------------------------- version, metadata, protocol


def test_get_table_version_latest_and_at_a_timestamp(writer, table_url):
    assert delta_sharing.get_table_version(table_url) == writer.table.latest
    assert delta_sharing.get_table_version(table_url, writer.table.timestamp(2)) == 2


def test_get_table_metadata_matches_the_delta_log(writer, table_url):
    log = log_actions(writer.table.path)["metaData"]
    for use_delta_format in (True, False):
        meta = delta_sharing.get_table_metadata(table_url, use_delta_format=use_delta_format)
        assert meta.id == log["id"]
        assert list(meta.partition_columns) == log["partitionColumns"] == ["region"]
        assert json.loads(meta.schema_string) == json.loads(log["schemaString"])
        # the protocol's metaData exposes only this key (as the reference server does)
        assert meta.configuration == {"enableChangeDataFeed": "true"}
        assert log["configuration"]["delta.enableChangeDataFeed"] == "true"
        assert meta.format.provider == "parquet"


def test_get_table_protocol_matches_the_delta_log(writer, table_url):
    log = log_actions(writer.table.path)["protocol"]
    protocol = delta_sharing.get_table_protocol(table_url)
    assert protocol.min_reader_version == log["minReaderVersion"]


# ---------------------------------------------------------------- delta response format
# The same tables asked for in the delta format, which the official client reads with
# delta-kernel-rust-sharing-wrapper; tables only that format expresses: test_delta_format.py.


def test_load_as_pandas_asking_for_delta_format(writer, table_url):
    pdf = delta_sharing.load_as_pandas(table_url, use_delta_format=True)
    assert rows_of_pandas(pdf, PEOPLE) == writer.snapshot()


def test_table_changes_asking_for_delta_format(writer, table_url):
    latest = writer.table.latest
    pdf = delta_sharing.load_table_changes_as_pandas(
        table_url, starting_version=1, ending_version=latest, use_delta_format=True
    )
    expected = [r[: len(CDF)] for r in writer.changes(1, latest)]
    assert {r[4] for r in expected} >= {"insert", "delete", "update_preimage", "update_postimage"}
    assert rows_of_pandas(pdf, CDF) == expected
