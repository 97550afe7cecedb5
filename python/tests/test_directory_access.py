"""Directory access against an STS and S3 emulator: the server assumes the configured role through
moto's STS (signed requests checked, ``INITIAL_NO_AUTH_ACTION_COUNT=0``) and answers the temporary
credentials, which then read the table's objects through moto's S3 as the recipient would.

moto checks signatures, the trust and role policies, but not the inline session policy the server
sends (its evaluation reads only the role's own policies), so the role here carries that same
policy, and the session policy itself is asserted exactly by ``S3SessionPolicyTest`` in the server
module. The emulator runs from its own virtualenv (``LAKESHARE_MOTO_VENV``, made by
``python/run-tests.sh`` from ``requirements-moto.txt``): botocore's pins conflict with the suite's.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any, Dict, Iterator, List

import pytest

from compare import CDF, PEOPLE, rows_of_spark
from conftest import (
    S3A_EXCLUDED,
    S3A_PACKAGES,
    SPARK_PROVIDED,
    TOKEN,
    Server,
    _local_maven_only,
    url,
)
from features import Oracle

HERE = Path(__file__).resolve().parent
ROLE = "arn:aws:iam::123456789012:role/reader"
SESSION_POLICY = (
    '{"Version":"2012-10-17","Statement":['
    '{"Sid":"ReadTableObjects","Effect":"Allow","Action":"s3:GetObject",'
    '"Resource":"arn:aws:s3:::lake/warehouse/sales/*"},'
    '{"Sid":"ListTableDirectory","Effect":"Allow","Action":"s3:ListBucket",'
    '"Resource":"arn:aws:s3:::lake","Condition":{"StringLike":{"s3:prefix":'
    '["warehouse/sales/","warehouse/sales/*"]}}}]}'
)
# moto enforces the role's own policy only: it allows what the session policies of the tables
# used here allow (each table's session policy is asserted exactly by S3SessionPolicyTest)
ROLE_POLICY = (
    '{"Version":"2012-10-17","Statement":['
    '{"Effect":"Allow","Action":"s3:GetObject","Resource":['
    '"arn:aws:s3:::lake/warehouse/sales/*","arn:aws:s3:::lake/warehouse/t/*"]},'
    '{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::lake",'
    '"Condition":{"StringLike":{"s3:prefix":["warehouse/sales/","warehouse/sales/*",'
    '"warehouse/t/*"]}}}]}'
)
# Delta tables copied to the bucket, read by the connector through directory access:
# name in share s, schema d -> key of the suite's fixture tables (tables.py)
DIR_TABLES = {"dv": "dv", "cm_id_dv": "cm_id_dv", "rust_cm": "rust_cm", "people": "spark_people"}
INSIDE = "warehouse/sales/_delta_log/00000000000000000000.json"
OUTSIDE = "warehouse/other/_delta_log/00000000000000000000.json"
SIBLING = "warehouse/sales-old/part-0.parquet"


def _venv() -> Path:
    venv = os.environ.get("LAKESHARE_MOTO_VENV")
    if not venv:
        pytest.skip("LAKESHARE_MOTO_VENV is not set (python/run-tests.sh sets it)")
    return Path(venv)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _moto(args: List[str], payload: Dict[str, Any]) -> Dict[str, Any]:
    out = subprocess.run(
        [str(_venv() / "bin" / "python"), str(HERE / "moto_client.py"), *args, json.dumps(payload)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


def _post(url: str, data: bytes = b"", content_type: str = "text/plain") -> urllib.request.Request:
    # text/plain: moto reads reset-auth's body raw, which a form content type would hide
    return urllib.request.Request(
        url, data=data, method="POST", headers={"Content-Type": content_type}
    )


@pytest.fixture(scope="module")
def moto(work: Path) -> Iterator[str]:
    port = _free_port()
    env = dict(os.environ, INITIAL_NO_AUTH_ACTION_COUNT="0")
    log = open(work / "moto.log", "w", encoding="utf-8")
    proc = subprocess.Popen(
        [str(_venv() / "bin" / "moto_server"), "-H", "127.0.0.1", "-p", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
        env=env,
    )
    endpoint = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(endpoint + "/moto-api/", timeout=5).close()
                break
            except (urllib.error.URLError, ConnectionError):
                assert proc.poll() is None, (work / "moto.log").read_text()
                assert time.monotonic() < deadline, "moto did not start"
                time.sleep(0.2)
        yield endpoint
    finally:
        proc.terminate()
        proc.wait(30)
        log.close()


@pytest.fixture(scope="module")
def provider(moto: str, work: Path, tables) -> Iterator[Dict[str, Any]]:
    # auth off while the provider's account is set up, then on for everything the server does
    urllib.request.urlopen(_post(moto + "/moto-api/reset-auth", b"inf"), timeout=30).close()
    keys = _moto(
        ["setup"],
        {"endpoint": moto, "role_policy": ROLE_POLICY, "objects": [INSIDE, OUTSIDE, SIBLING]},
    )
    files = []
    for name, key in DIR_TABLES.items():
        root = Path(getattr(tables, key).path)
        for f in sorted(root.rglob("*")):
            if f.is_file():
                files.append([str(f), f"warehouse/t/{name}/{f.relative_to(root).as_posix()}"])
    urllib.request.urlopen(_post(moto + "/moto-api/reset-auth", b"0"), timeout=30).close()
    uploaded = _moto(
        ["upload"], {"endpoint": moto, "key": keys["keyId"], "secret": keys["secret"], "files": files}
    )
    assert uploaded["uploaded"] == len(files) > 20
    config = work / "directory.yaml"
    config.write_text(
        "\n".join(
            [
                "version: 1",
                "host: 127.0.0.1",
                "port: 0",
                "temporaryCredentialValiditySeconds: 1800",
                "authorization:",
                f"  bearerToken: {TOKEN}",
                "storage:",
                "- name: lake",
                "  type: s3",
                "  region: us-east-1",
                f"  endpoint: {moto}",
                f"  accessKeyId: {keys['keyId']}",
                f"  secretAccessKey: {keys['secret']}",
                f"  roleArn: {ROLE}",
                f"  stsEndpoint: {moto}",
                "shares:",
                "- name: s",
                "  schemas:",
                "  - name: d",
                "    tables:",
                "    - name: sales",
                "      location: s3a://lake/warehouse/sales",
                "      storage: lake",
                "      historyShared: true",
            ]
            + [
                line
                for name in DIR_TABLES
                for line in (
                    f"    - name: {name}",
                    f"      location: s3a://lake/warehouse/t/{name}",
                    "      storage: lake",
                    "      historyShared: true",
                )
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    server = Server(config, work / "directory.log")
    endpoint = f"http://127.0.0.1:{server.port}/delta-sharing"
    profile = work / "directory.share"
    profile.write_text(
        json.dumps({"shareCredentialsVersion": 1, "endpoint": endpoint, "bearerToken": TOKEN}),
        encoding="utf-8",
    )
    try:
        yield {
            "endpoint": endpoint,
            "profile": str(profile),
            "moto": moto,
            "log": work / "directory.log",
            "secret": keys["secret"],
        }
    finally:
        server.stop()


def _credentials(provider: Dict[str, Any], body: bytes) -> Dict[str, Any]:
    req = _post(
        provider["endpoint"] + "/shares/s/schemas/d/tables/sales/temporary-table-credentials",
        body,
        "application/json",
    )
    req.add_header("Authorization", f"Bearer {TOKEN}")
    with urllib.request.urlopen(req, timeout=120) as r:
        assert r.status == 200
        assert r.headers["Content-Type"].startswith("application/json")
        return json.loads(r.read())


def test_the_vended_credentials_are_the_roles_and_read_the_table(provider: Dict[str, Any]) -> None:
    before = time.time() * 1000
    answer = _credentials(provider, b"{}")
    c = answer["credentials"]
    assert set(c) == {"location", "awsTempCredentials", "expirationTime"}
    assert c["location"] == "s3a://lake/warehouse/sales"
    aws = c["awsTempCredentials"]
    assert aws["accessKeyId"].startswith("ASIA") and aws["sessionToken"]
    # temporaryCredentialValiditySeconds: 1800
    assert before + 1700_000 < c["expirationTime"] < before + 1900_000 + 60_000

    seen = _moto(
        ["read"],
        {
            "endpoint": provider["moto"],
            "key": aws["accessKeyId"],
            "secret": aws["secretAccessKey"],
            "token": aws["sessionToken"],
            "keys": [INSIDE, OUTSIDE, SIBLING],
        },
    )
    assert seen["arn"] == "arn:aws:sts::123456789012:assumed-role/reader/lakeshare-lake"
    assert seen[INSIDE] == "content of " + INSIDE
    # denied by the role policy here (moto does not evaluate session policies; see the docstring)
    assert seen[OUTSIDE] == "error AccessDenied"
    assert seen[SIBLING] == "error AccessDenied"
    assert seen["PutObject"] == "error AccessDenied"

    log = Path(provider["log"]).read_text(encoding="utf-8")
    assert "Issued temporary credentials for table s.d.sales, location s3a://lake/warehouse/sales" in log
    assert aws["secretAccessKey"] not in log and aws["sessionToken"] not in log
    assert provider["secret"] not in log


def test_a_directory_under_the_root_and_the_reference_servers_equivalent_scheme(
    provider: Dict[str, Any],
) -> None:
    c = _credentials(provider, b'{"location": "s3://lake/warehouse/sales/_delta_log/"}')
    assert c["credentials"]["location"] == "s3://lake/warehouse/sales/_delta_log"
    assert c["credentials"]["awsTempCredentials"]["accessKeyId"].startswith("ASIA")


# ---- the connector reading through directory access ---------------------------------------


@pytest.fixture(scope="module")
def s3a(spark, provider: Dict[str, Any]) -> Iterator[None]:
    """The recipient's own S3A settings for the bucket (endpoint, path style); the credentials
    come from the sharing server. Skips where PySpark's Hadoop has no hadoop-aws in this build."""
    if not S3A_PACKAGES:
        pytest.skip("hadoop-aws is resolved here for Spark's Hadoop of the main build only")
    settings = {
        "fs.s3a.bucket.lake.endpoint": provider["moto"],
        "fs.s3a.bucket.lake.endpoint.region": "us-east-1",
        "fs.s3a.bucket.lake.path.style.access": "true",
        "fs.s3a.bucket.lake.attempts.maximum": "1",
        "fs.s3a.bucket.lake.retry.limit": "1",
    }
    for k, v in settings.items():
        spark.conf.set(k, v)
    try:
        yield
    finally:
        for k in settings:
            spark.conf.unset(k)


def _dir_read(spark, provider: Dict[str, Any], name: str, mode: str = "dir", **options: Any):
    reader = spark.read.format("deltaSharing").option("accessMode", mode)
    for k, v in options.items():
        reader = reader.option(k, str(v))
    return reader.load(f"{provider['profile']}#s.d.{name}")


@pytest.mark.spark
@pytest.mark.parametrize("name", list(DIR_TABLES))
def test_dir_reads_equal_the_writers_read_at_every_version(spark, tables, provider, s3a, name):
    """Deletion vectors, column mapping (name and id), a delta-rs writer and a partitioned table:
    the log is read by Kernel inside the connector through the vended credentials, the files by
    S3A, and every version equals the writer's own read of the local copy."""
    oracle = Oracle(spark, tables, DIR_TABLES[name])
    latest_columns, latest_rows = oracle.snapshot()
    df = _dir_read(spark, provider, name)
    assert tuple(df.columns) == latest_columns
    assert rows_of_spark(df, latest_columns) == latest_rows
    assert len(latest_rows) > 5
    for version in range(0, oracle.table.latest + 1):
        columns, rows = oracle.snapshot(version)
        got = _dir_read(spark, provider, name, versionAsOf=version)
        assert rows_of_spark(got, columns) == rows, f"{name} version {version}"
    # every scan above used the credentials issued for the first: still valid, kept by the driver
    log = Path(provider["log"]).read_text(encoding="utf-8")
    issued = f"Issued temporary credentials for table s.d.{name}, location s3a://lake/warehouse/t/{name},"
    assert log.count(issued) == 1


@pytest.mark.spark
def test_dir_reads_with_filters_equal_the_writers_filtered_read(spark, tables, provider, s3a):
    """Filters become Kernel predicates that skip partitions and files; Spark re-applies them,
    so a wrong skip would show as missing rows."""
    oracle = spark.read.format("delta").load(str(tables.spark_people.path))
    shared = _dir_read(spark, provider, "people")
    for where in ("region = 'eu'", "region IN ('us', 'asia') AND score > 10", "id < 5 OR region = 'us'"):
        expected = rows_of_spark(oracle.where(where), PEOPLE)
        assert expected, where
        assert rows_of_spark(shared.where(where), PEOPLE) == expected, where


@pytest.mark.spark
def test_auto_reads_the_bucket_itself_not_the_servers_urls(spark, provider, s3a):
    """``auto`` on a table that offers directory access reads the bucket directly: with the
    recipient's S3 endpoint pointing nowhere the read fails in S3A, although the server (which
    would sign URLs for its own endpoint) is fine; restored, it reads."""
    df = _dir_read(spark, provider, "people", mode="auto")
    assert "accessMode=auto" in df._jdf.queryExecution().executedPlan().toString()
    expected = df.count()
    assert expected > 5
    spark.conf.set("fs.s3a.bucket.lake.endpoint", "http://127.0.0.1:9")
    try:
        with pytest.raises(Exception) as failed:
            _dir_read(spark, provider, "people", mode="auto").collect()
        message = str(failed.value)
        assert "127.0.0.1:9" in message or "Connect" in message, message[:3000]
    finally:
        spark.conf.set("fs.s3a.bucket.lake.endpoint", provider["moto"])
    assert _dir_read(spark, provider, "people", mode="auto").count() == expected


@pytest.mark.spark
def test_dir_mode_on_a_local_table_is_refused_and_auto_reads_through_urls(spark, tables, profile):
    """Local tables vend no credentials: dir names the refusal, auto falls back to URLs."""
    people = url(profile, "py", "spark", "people")
    with pytest.raises(Exception) as refused:
        spark.read.format("deltaSharing").option("accessMode", "dir").load(people).collect()
    message = str(refused.value)
    assert "asking for temporary credentials of the table's directory failed with HTTP 400" in message, message[:2000]
    expected = rows_of_spark(spark.read.format("delta").load(str(tables.spark_people.path)), PEOPLE)
    auto = spark.read.format("deltaSharing").option("accessMode", "auto").load(people)
    assert rows_of_spark(auto, PEOPLE) == expected


def _oracle_changes(spark, tables, key: str, start: int, end: int):
    return (
        spark.read.format("delta")
        .option("readChangeFeed", "true")
        .option("startingVersion", start)
        .option("endingVersion", end)
        .load(str(getattr(tables, key).path))
    )


@pytest.mark.spark
@pytest.mark.parametrize("name,start,end", [("dv", 1, 5), ("dv", 2, 3), ("dv", 4, 5), ("people", 0, 4)])
def test_dir_change_feeds_equal_delta_sparks(spark, tables, provider, s3a, name, start, end):
    """A change data feed in dir mode walks the commits with Kernel through the vended credentials:
    cdc files where a commit wrote them, else its data-changing adds and removes, and a file whose
    deletion vector changed gives the rows the new vector deletes (or restores)."""
    key = DIR_TABLES[name]
    oracle = _oracle_changes(spark, tables, key, start, end)
    expected = rows_of_spark(oracle, CDF)
    assert expected
    got = _dir_read(spark, provider, name, readChangeFeed="true", startingVersion=start, endingVersion=end)
    assert rows_of_spark(got, CDF) == expected


@pytest.mark.spark
def test_dir_streams_equal_delta_sparks_change_feed(spark, tables, provider, s3a, work):
    """A change data feed stream in dir mode, two files per micro-batch, from version 1 to the end."""
    out = work / "dir-stream-out"
    query = (
        spark.readStream.format("deltaSharing")
        .option("accessMode", "dir")
        .option("readChangeFeed", "true")
        .option("startingVersion", "1")
        .option("maxFilesPerTrigger", "2")
        .load(f"{provider['profile']}#s.d.dv")
        .writeStream.format("parquet")
        .option("path", str(out))
        .option("checkpointLocation", str(work / "dir-stream-cp"))
        .trigger(availableNow=True)
        .start()
    )
    query.awaitTermination(600)
    assert query.exception() is None, str(query.exception())
    batches = [p for p in query.recentProgress if p["numInputRows"] > 0]
    assert len(batches) >= 3
    last = Oracle(spark, tables, "dv").table.latest
    expected = rows_of_spark(_oracle_changes(spark, tables, "dv", 1, last), CDF)
    assert rows_of_spark(spark.read.parquet(str(out)), CDF) == expected


@pytest.mark.spark
def test_dir_mode_refuses_bad_values(spark, provider):
    with pytest.raises(Exception) as bad:
        _dir_read(spark, provider, "dv", mode="directory").collect()
    assert "accessMode" in str(bad.value) and "directory" in str(bad.value)


@pytest.mark.spark
def test_dir_reads_on_a_multi_jvm_cluster_use_the_credentials_the_scan_carries(
    spark, tables, provider, work
):
    """A real cluster (a standalone Master, two Workers, executor JVMs): the driver of the job asks
    the server for the table's credentials once; the executors read the bucket with the ones the
    scan's tasks carry, so the server issues nothing more, and the rows equal delta-spark's."""
    if not S3A_PACKAGES:
        pytest.skip("hadoop-aws is resolved here for Spark's Hadoop of the main build only")
    import lakeshare

    log = Path(provider["log"])
    issued = "Issued temporary credentials for table s.d.people,"
    before = log.read_text(encoding="utf-8").count(issued)
    ivy = os.environ.get("LAKESHARE_IVY_DIR", str(work / "ivy"))
    bucket = "spark.hadoop.fs.s3a.bucket.lake."
    confs = {
        "spark.ui.enabled": "false",
        "spark.driver.host": "127.0.0.1",
        "spark.driver.bindAddress": "127.0.0.1",
        "spark.sql.session.timeZone": "UTC",
        "spark.executor.extraJavaOptions": "-XX:TieredStopAtLevel=1",
        # one file per task, so that both executors read
        "spark.sql.files.openCostInBytes": str(1 << 30),
        "spark.sql.files.maxPartitionBytes": str(1 << 30),
        "spark.jars.packages": ",".join(S3A_PACKAGES),
        "spark.jars.excludes": ",".join(SPARK_PROVIDED + S3A_EXCLUDED),
        "spark.jars.ivy": ivy,
        "spark.jars.ivySettings": str(_local_maven_only(work)),
        bucket + "endpoint": provider["moto"],
        bucket + "endpoint.region": "us-east-1",
        bucket + "path.style.access": "true",
    }
    cmd = [str(Path(sys.executable).parent / "spark-submit"), "--master", "local-cluster[2,1,1024]"]
    for k, v in confs.items():
        cmd += ["--conf", f"{k}={v}"]
    args = {"url": f"{provider['profile']}#s.d.people", "columns": list(PEOPLE)}
    cmd += ["--jars", lakeshare.jar_path(), "--py-files", str(HERE / "cluster_job.py")]
    cmd += [str(HERE / "cluster_dir_job.py"), json.dumps(args)]
    env = dict(os.environ, SPARK_LOCAL_IP="127.0.0.1")
    env.pop("SPARK_HOME", None)
    with open(work / "cluster-dir.err", "w", encoding="utf-8") as err:
        out = subprocess.run(
            cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=err, text=True, env=env, timeout=600
        )
    results: Dict[str, Any] = {}
    for line in out.stdout.splitlines():
        if line.startswith("RESULT "):
            results.update(json.loads(line[len("RESULT ") :]))
    tail = (work / "cluster-dir.err").read_text(encoding="utf-8")[-6000:]
    assert out.returncode == 0 and results.get("done"), f"cluster job failed ({out.returncode}):\n{tail}"

    oracle = spark.read.format("delta").load(str(tables.spark_people.path))
    expected = sorted(
        ([r[c] for c in PEOPLE] for r in oracle.collect()), key=lambda r: json.dumps(r, default=str)
    )
    assert results["rows"] == json.loads(json.dumps(expected, default=str))
    assert len(expected) > 20
    jvms = results["taskJvms"]
    assert len(jvms) == results["partitions"] >= 2
    assert {role for (pid, role), _ in jvms} == {"executor"}
    assert results["driverPid"] not in {pid for (pid, role), _ in jvms}
    assert sum(n for _, n in jvms) == len(expected)
    executors = {k: v for k, v in results["tasksByExecutor"].items() if k != "driver"}
    assert len(executors) == 2 and all(v > 0 for v in executors.values()), results["tasksByExecutor"]
    # one issuance: the job's driver; the executors asked for nothing
    assert log.read_text(encoding="utf-8").count(issued) == before + 1
