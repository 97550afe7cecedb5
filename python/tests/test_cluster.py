"""The connector on a real multi-JVM cluster: Spark's ``local-cluster[2,1,1024]`` master starts a
standalone Master and two Workers, and every executor is a separate JVM launched from PySpark's
SPARK_HOME. One spark-submit job (cluster_job.py) reads through the connector there; its results
are compared with delta-spark in this session."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Dict, Iterator, List

import pytest

import lakeshare
from compare import PEOPLE
from conftest import TOKEN, Server

pytestmark = pytest.mark.spark

HERE = Path(__file__).resolve().parent


def _plain(rows) -> List[List[Any]]:
    return sorted(([r[c] for c in r.__fields__] for r in rows), key=lambda r: json.dumps(r, default=str))


@pytest.fixture(scope="module")
def cluster_tables(spark, tables, work: Path) -> Dict[str, Path]:
    stream = work / "cluster_stream"
    spark.sql(f"CREATE TABLE delta.`{stream}` (id BIGINT, v STRING) USING delta")
    spark.range(0, 10).selectExpr("id", "concat('v', id) AS v").coalesce(1).write.format("delta").mode(
        "append"
    ).save(str(stream))
    return {"people": tables.spark_people.path, "stream": stream}


def _server(work: Path, name: str, tables: Dict[str, Path], extra: List[str]) -> Server:
    lines = ["version: 1", "host: 127.0.0.1", "port: 0", "endpoint: /delta-sharing"]
    lines += extra + ["authorization:", f"  bearerToken: {TOKEN}", "shares:", "- name: c", "  schemas:"]
    lines += ["  - name: s", "    tables:"]
    for table, path in tables.items():
        lines += [f"    - name: {table}", f"      location: {json.dumps(str(path))}", "      historyShared: true"]
    config = work / f"{name}.yaml"
    config.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return Server(config, work / f"{name}.log")


def _profile(work: Path, name: str, server: Server) -> str:
    p = work / f"{name}.share"
    endpoint = f"http://127.0.0.1:{server.port}/delta-sharing"
    p.write_text(json.dumps({"shareCredentialsVersion": 1, "endpoint": endpoint, "bearerToken": TOKEN}))
    return str(p)


@pytest.fixture(scope="module")
def cluster_run(spark, cluster_tables, work: Path) -> Iterator[Dict[str, Any]]:
    main = _server(work, "cluster", cluster_tables, [])
    audit = work / "cluster-short-audit.json"
    short = _server(
        work,
        "cluster-short",
        {"people": cluster_tables["people"]},
        ["preSignedUrlTimeoutSeconds: 10", "audit:", f"  file: {json.dumps(str(audit))}"],
    )
    try:
        args = {
            "people": _profile(work, "cluster", main) + "#c.s.people",
            "peopleShortUrls": _profile(work, "cluster-short", short) + "#c.s.people",
            "stream": _profile(work, "cluster", main) + "#c.s.stream",
            "checkpoint": str(work / "cluster-checkpoint"),
            "out": str(work / "cluster-out"),
            "go": str(work / "cluster-go"),
        }
        submit = Path(sys.executable).parent / "spark-submit"
        cmd = [
            str(submit),
            "--master",
            "local-cluster[2,1,1024]",
            "--conf",
            "spark.ui.enabled=false",
            "--conf",
            "spark.driver.host=127.0.0.1",
            "--conf",
            "spark.driver.bindAddress=127.0.0.1",
            "--conf",
            "spark.sql.session.timeZone=UTC",
            "--conf",
            "spark.executor.extraJavaOptions=-XX:TieredStopAtLevel=1",
            "--jars",
            lakeshare.jar_path(),
            str(HERE / "cluster_job.py"),
            json.dumps(args),
        ]
        env = dict(os.environ, SPARK_LOCAL_IP="127.0.0.1")
        env.pop("SPARK_HOME", None)  # the venv's PySpark distribution is the cluster's SPARK_HOME
        # Spark logs to stderr, which goes to its own file: on a shared pipe its lines could split
        # a RESULT line of stdout
        log = open(work / "cluster-job.log", "w", encoding="utf-8")
        err = open(work / "cluster-job.err", "w", encoding="utf-8")
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=err, text=True, env=env)
        results: Dict[str, Any] = {}
        assert proc.stdout is not None
        deadline = time.monotonic() + 600
        for line in proc.stdout:
            log.write(line)
            if line.startswith("RESULT "):
                results.update(json.loads(line[len("RESULT ") :]))
                if "waiting" in results and "appended" not in results:
                    # between the stream runs: two more versions for the restarted stream
                    for lo, hi in ((10, 25), (25, 30)):
                        spark.range(lo, hi).selectExpr("id", "concat('v', id) AS v").coalesce(1).write.format(
                            "delta"
                        ).mode("append").save(str(cluster_tables["stream"]))
                    results["appended"] = True
                    (work / "cluster-go").write_text("go", encoding="utf-8")
            if time.monotonic() > deadline:
                proc.kill()
                break
        rc = proc.wait(60)
        log.close()
        err.close()
        tail = (work / "cluster-job.log").read_text(encoding="utf-8")[-2000:]
        tail += (work / "cluster-job.err").read_text(encoding="utf-8")[-6000:]
        assert rc == 0 and results.get("done"), f"cluster job failed (exit {rc}):\n{tail}"
        results["audit"] = [json.loads(l) for l in audit.read_text(encoding="utf-8").splitlines() if l.strip()]
        yield results
    finally:
        main.stop()
        short.stop()


def _delta(spark, path, **options):
    reader = spark.read.format("delta")
    for k, v in options.items():
        reader = reader.option(k, str(v))
    return reader.load(str(path))


def test_tasks_ran_in_executor_jvms_not_the_driver(cluster_run):
    jvms = cluster_run["taskJvms"]
    assert len(jvms) == cluster_run["batchPartitions"] >= 2
    roles = {role for (pid, role), _ in jvms}
    pids = {pid for (pid, role), _ in jvms}
    assert roles == {"executor"}
    assert cluster_run["driverPid"] not in pids
    tasks = cluster_run["tasksByExecutor"]
    assert tasks.get("driver", 0) == 0
    executors = {k: v for k, v in tasks.items() if k != "driver"}
    assert len(executors) == 2 and sum(executors.values()) > 0
    assert all(v > 0 for v in executors.values()), tasks
    assert all(v > 0 for k, v in cluster_run["tasksByExecutorAfterRestart"].items() if k != "driver")


def test_batch_read_on_the_cluster_equals_delta_spark(spark, cluster_tables, cluster_run):
    expected = _plain(_delta(spark, cluster_tables["people"]).select(*PEOPLE).collect())
    assert len(expected) > 40
    assert cluster_run["batch"] == expected
    assert sum(n for _, n in cluster_run["taskJvms"]) == len(expected)


def test_urls_expiring_mid_scan_are_refreshed_by_the_executors(spark, cluster_tables, cluster_run):
    expected = _plain(_delta(spark, cluster_tables["people"]).select(*PEOPLE).collect())
    assert cluster_run["expiryPartitions"] > 2  # tasks after the first two start after expiry
    assert cluster_run["expirySeconds"] >= 12
    assert cluster_run["expiry"] == expected
    # the driver planned the scan with one query; the executors asked again for the URLs that
    # had expired when their tasks opened the files (the driver ran no task)
    queries = [l for l in cluster_run["audit"] if l.get("endpoint") == "query" and l["status"] == 200]
    assert len(queries) >= 2, queries


def test_change_data_feed_on_the_cluster_equals_delta_spark(spark, cluster_tables, cluster_run):
    cols = list(PEOPLE) + ["_change_type", "_commit_version"]
    expected = _plain(
        _delta(spark, cluster_tables["people"], readChangeFeed="true", startingVersion=1).select(*cols).collect()
    )
    assert len(expected) > 20
    assert cluster_run["cdf"] == expected


def test_available_now_stream_restarted_from_its_checkpoint_writes_each_row_once(cluster_run):
    assert cluster_run["streamFirst"] == list(range(10))
    assert cluster_run["streamSecond"] == list(range(30))
