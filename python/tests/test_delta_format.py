"""The official Delta Sharing client (``delta-sharing`` on PyPI) on tables only the delta response
format can express: deletion vectors and column mapping, written by delta-spark and by delta-rs
(share ``features``, see tables.py). The client reads that format with
delta-kernel-rust-sharing-wrapper, which fetches the signed URLs of data files and of
deletion-vector files over HTTP; every answer equals the writer's own read."""

from __future__ import annotations

import json
from typing import Dict, List, Tuple

import delta_sharing
import pytest
import requests
from delta_sharing.rest_client import DataSharingRestClient

from compare import PEOPLE, rows_of_pandas, rows_of_spark
from conftest import url
from features import (
    CDF_META,
    FEATURES,
    Oracle,
    feature_url,
    log_actions,
    log_file_actions,
    with_commit_seconds,
)


@pytest.fixture(scope="module")
def oracles(spark, tables) -> Dict[str, Oracle]:
    return {key: Oracle(spark, tables, key) for key in FEATURES}


@pytest.fixture(params=list(FEATURES))
def feature(request, oracles, profile) -> Tuple[Oracle, str]:
    return oracles[request.param], feature_url(profile, request.param)


def _assert_snapshot(pdf, expected, label: str = "") -> None:
    columns, rows = expected
    assert tuple(pdf.columns) == columns, label
    assert rows_of_pandas(pdf, columns) == rows, label


# ---------------------------------------------------------------- the tables themselves


def test_dv_table_has_the_commits_the_change_feed_tests_need(tables):
    """Guards the fixture: what delta-spark wrote is what the tests below claim to cover."""
    log = log_file_actions(tables.dv.path)
    for version in (2, 3):  # DELETE only: remove/add pairs of the same file, vectors, no cdc
        kinds = [k for k, _ in log[version]]
        assert "cdc" not in kinds and kinds.count("add") == kinds.count("remove") == 2
        adds = {a["path"] for k, a in log[version] if k == "add" and a.get("deletionVector")}
        assert adds == {a["path"] for k, a in log[version] if k == "remove"}
    for version in (4, 5):  # UPDATE and MERGE: new vectors and cdc files
        assert any(k == "add" and a.get("deletionVector") for k, a in log[version])
        assert any(k == "cdc" for k, _ in log[version])
    vectors_by_path: Dict[str, int] = {}
    for actions in log.values():
        for kind, action in actions:
            if kind == "add" and action.get("deletionVector"):
                vectors_by_path[action["path"]] = vectors_by_path.get(action["path"], 0) + 1
    assert max(vectors_by_path.values()) >= 4  # one file, a new vector at 2, 3, 4 and 5
    assert (tables.dv.path / "_delta_log" / f"{3:020d}.checkpoint.parquet").exists()
    id_dv = log_file_actions(tables.cm_id_dv.path)
    assert any(k == "add" and a.get("deletionVector") for k, a in id_dv[2])
    assert log_actions(tables.cm_id_dv.path)["metaData"]["configuration"][
        "delta.columnMapping.mode"
    ] == "id"


def test_delta_rs_writes_column_mapping_but_no_deletion_vectors(tables, tmp_path):
    """deltalake (delta-rs) 1.6 writes column mapping `name` mode: physical names in the schema,
    in the Parquet files and as partition-value keys. It writes no deletion vectors: on a table
    created with ``delta.enableDeletionVectors`` it declares the feature, yet its DELETE rewrites
    the file without the deleted rows. So the delta-rs table of share ``features`` has column
    mapping only. (It cannot rename, drop or add columns under column mapping either, and its
    ``to_pandas()`` does not apply the mapping: the oracle is its DataFusion ``scan()``.)"""
    import pyarrow as pa
    import pyarrow.parquet as pq
    from deltalake import DeltaTable, write_deltalake

    probe = tmp_path / "dv_probe"
    rows = pa.table({"id": pa.array(range(10), pa.int64())})
    write_deltalake(str(probe), rows, configuration={"delta.enableDeletionVectors": "true"})
    DeltaTable(str(probe)).delete("id = 3")
    assert "deletionVectors" in (DeltaTable(str(probe)).protocol().reader_features or [])
    after = log_file_actions(probe)[1]
    assert {k for k, _ in after} == {"add", "remove"}
    assert not any(a.get("deletionVector") for _, a in after)
    assert sorted(pa.table(DeltaTable(str(probe)).scan())["id"].to_pylist()) == [0, 1, 2, 4, 5, 6, 7, 8, 9]

    meta = log_actions(tables.rust_cm.path)["metaData"]
    assert meta["configuration"]["delta.columnMapping.mode"] == "name"
    physical = {
        f["name"]: f["metadata"]["delta.columnMapping.physicalName"]
        for f in json.loads(meta["schemaString"])["fields"]
    }
    assert all(p.startswith("col-") for p in physical.values())
    adds = [a for actions in log_file_actions(tables.rust_cm.path).values() for k, a in actions if k == "add"]
    assert all(set(a["partitionValues"]) == {physical["region"]} for a in adds)
    assert not any(a.get("deletionVector") for a in adds)
    first = tables.rust_cm.path / adds[0]["path"]
    assert set(pq.read_schema(first).names) == {physical[c] for c in ("id", "name", "score")}


# ---------------------------------------------------------------- snapshots in the delta format


def test_delta_format_snapshot_equals_the_writers_read(feature):
    oracle, table_url = feature
    expected = oracle.snapshot()
    assert len(expected[1]) > 20
    _assert_snapshot(delta_sharing.load_as_pandas(table_url, use_delta_format=True), expected)


def test_delta_format_at_every_version_equals_the_writers_read(feature):
    oracle, table_url = feature
    for version in range(0, oracle.table.latest + 1):
        pdf = delta_sharing.load_as_pandas(table_url, version=version, use_delta_format=True)
        _assert_snapshot(pdf, oracle.snapshot(version), f"version {version}")


def test_delta_format_at_a_timestamp_reads_the_version_committed_then(oracles, profile):
    dv = oracles["dv"]
    assert dv.snapshot(2) != dv.snapshot(4)
    for version in (2, 4):
        pdf = delta_sharing.load_as_pandas(
            feature_url(profile, "dv"), timestamp=dv.table.timestamp(version), use_delta_format=True
        )
        _assert_snapshot(pdf, dv.snapshot(version), f"version {version}")


# ---------------------------------------------------------------- format auto-detection


def _record_formats(monkeypatch) -> List[Tuple[str, str]]:
    """What the client resolved (from the metadata answer's ``delta-sharing-capabilities``
    header, when asked for both formats) and in which format the query was answered."""
    seen: List[Tuple[str, str]] = []
    resolve = DataSharingRestClient.autoresolve_query_format
    list_files = DataSharingRestClient.list_files_in_table

    def autoresolve(self, table):
        chosen = resolve(self, table)
        seen.append(("resolved", chosen))
        return chosen

    def files(self, table, **kwargs):
        response = list_files(self, table, **kwargs)
        # the client parses protocol/metadata lines itself only for a parquet answer
        seen.append(("answered", "parquet" if response.protocol is not None else "delta"))
        return response

    monkeypatch.setattr(DataSharingRestClient, "autoresolve_query_format", autoresolve)
    monkeypatch.setattr(DataSharingRestClient, "list_files_in_table", files)
    return seen


def test_without_use_delta_format_the_client_is_answered_in_delta(feature, monkeypatch):
    """Plain ``load_as_pandas(url)``: the client asks the metadata endpoint for both formats
    and the server answers delta, because parquet cannot express these tables."""
    oracle, table_url = feature
    seen = _record_formats(monkeypatch)
    pdf = delta_sharing.load_as_pandas(table_url)
    assert seen == [("resolved", "delta"), ("answered", "delta")]
    _assert_snapshot(pdf, oracle.snapshot())
    protocol = delta_sharing.get_table_protocol(table_url)  # asks for both formats too
    assert protocol.min_writer_version is not None  # a deltaProtocol line


def test_without_use_delta_format_an_ordinary_table_is_answered_in_parquet(
    spark, tables, profile, monkeypatch
):
    people = url(profile, "py", "spark", "people")
    seen = _record_formats(monkeypatch)
    pdf = delta_sharing.load_as_pandas(people)
    assert seen == [("resolved", "parquet"), ("answered", "parquet")]
    expected = rows_of_spark(spark.read.format("delta").load(str(tables.spark_people.path)), PEOPLE)
    assert rows_of_pandas(pdf, PEOPLE) == expected
    protocol = delta_sharing.get_table_protocol(people)
    # a parquet protocol line carries minReaderVersion only
    assert (protocol.min_reader_version, protocol.min_writer_version) == (1, None)


def test_parquet_only_requests_are_refused_with_what_parquet_cannot_express(profile):
    cases = [
        ("dv", lambda u: delta_sharing.load_as_pandas(u, use_delta_format=False), "deletion vectors"),
        (
            "dv",
            lambda u: delta_sharing.load_table_changes_as_pandas(u, starting_version=2, ending_version=3),
            "deletion vectors",
        ),
        ("cm_name", lambda u: delta_sharing.load_as_pandas(u, use_delta_format=False), "column mapping"),
    ]
    for key, read, reason in cases:
        with pytest.raises(requests.HTTPError) as refused:
            read(feature_url(profile, key))
        assert refused.value.response.status_code == 400, key
        body = refused.value.response.json()
        assert body["errorCode"] == "UNSUPPORTED_OPERATION", key
        assert reason in body["message"] and "responseformat=delta" in body["message"], key


# ---------------------------------------------------------------- metadata and protocol


def test_protocol_and_metadata_are_the_delta_logs(feature):
    oracle, table_url = feature
    log = log_actions(oracle.table.path)
    protocol = delta_sharing.get_table_protocol(table_url)
    assert protocol.min_reader_version == log["protocol"]["minReaderVersion"]
    assert protocol.min_writer_version == log["protocol"]["minWriterVersion"]
    assert sorted(protocol.reader_features or []) == sorted(log["protocol"].get("readerFeatures", []))
    assert sorted(protocol.writer_features or []) == sorted(log["protocol"].get("writerFeatures", []))
    meta = delta_sharing.get_table_metadata(table_url)
    assert meta.id == log["metaData"]["id"]
    # column mapping metadata (ids, physical names) is part of the delta-format schema
    assert json.loads(meta.schema_string) == json.loads(log["metaData"]["schemaString"])
    assert list(meta.partition_columns) == log["metaData"]["partitionColumns"]
    assert meta.configuration == log["metaData"]["configuration"]


def test_dv_table_protocol_is_reader_3_with_deletion_vectors(spark, tables, profile):
    table_url = feature_url(profile, "dv")
    protocol = delta_sharing.get_table_protocol(table_url)
    assert (protocol.min_reader_version, protocol.min_writer_version) == (3, 7)
    assert protocol.reader_features == ["deletionVectors"]
    assert "deletionVectors" in (protocol.writer_features or [])
    meta = delta_sharing.get_table_metadata(table_url)
    assert meta.configuration["delta.enableDeletionVectors"] == "true"
    assert meta.configuration["delta.enableChangeDataFeed"] == "true"
    assert meta.num_files == len(spark.read.format("delta").load(str(tables.dv.path)).inputFiles())
    # a client that asks for parquet only still gets the metadata, in the parquet format
    parquet = delta_sharing.get_table_metadata(table_url, use_delta_format=False)
    assert parquet.id == meta.id and parquet.configuration == {"enableChangeDataFeed": "true"}


# ---------------------------------------------------------------- change data feed


# (start, end, change types): DELETE-only commits 2 and 3 have no cdc files, only remove/add
# pairs whose deletion vectors differ; 4 is an UPDATE, 5 a MERGE (update, delete, insert)
CDF_RANGES = [
    (2, 3, {"delete"}),
    (1, 3, {"insert", "delete"}),
    (4, 4, {"update_preimage", "update_postimage"}),
    (5, 5, {"update_preimage", "update_postimage", "delete", "insert"}),
    (0, 5, {"insert", "delete", "update_preimage", "update_postimage"}),
]


@pytest.mark.parametrize("start,end,kinds", CDF_RANGES, ids=[f"{s}-{e}" for s, e, _ in CDF_RANGES])
def test_delta_format_change_feed_of_the_dv_table_equals_delta_spark(oracles, profile, start, end, kinds):
    """Compared with delta-spark's readChangeFeed including the commit time, at second precision
    (see features.with_commit_seconds)."""
    columns, expected = oracles["dv"].changes(start, end)
    assert {r[len(columns)] for r in expected} == kinds
    pdf = delta_sharing.load_table_changes_as_pandas(
        feature_url(profile, "dv"), starting_version=start, ending_version=end, use_delta_format=True
    )
    assert set(pdf.columns) == set(columns) | {"_change_type", "_commit_version", "_commit_timestamp"}
    assert rows_of_pandas(with_commit_seconds(pdf), columns + CDF_META) == expected
