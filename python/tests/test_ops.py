"""Operations seen from a recipient's tools: the official Python client and the Lakeshare
connector read through a rate-limited server (they back off on 429 and get every row), and the
audit log, metrics and health endpoints of that server tell what happened."""

from __future__ import annotations

import json
import time
import urllib.request
from pathlib import Path
from typing import Dict, Iterator

import delta_sharing
import pytest

from compare import PEOPLE, rows_of_pandas, rows_of_spark
from conftest import Server

TOKEN = "py-ops-token-0123456789abcdef"


@pytest.fixture(scope="module")
def limited_server(tables, work: Path) -> Iterator[Dict[str, object]]:
    people = json.dumps(str(tables.spark_people.path))
    audit = work / "ops-logs" / "audit.json"
    audit.parent.mkdir(parents=True, exist_ok=True)
    config = work / "ops.yaml"
    config.write_text(
        "\n".join(
            [
                "version: 1",
                "host: 127.0.0.1",
                "port: 0",
                f"authorization: {{bearerToken: {TOKEN}}}",
                "shares:",
                "- name: py",
                "  schemas:",
                "  - name: spark",
                "    tables:",
                f"    - {{name: people, location: {people}, historyShared: true}}",
                f"audit: {{file: {json.dumps(str(audit))}}}",
                "metrics: {path: /metrics}",
                "rateLimit: {requestsPerSecond: 2, burst: 2}",
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    server = Server(config, work / "ops.log")
    root = f"http://127.0.0.1:{server.port}"
    profile = work / "ops.share"
    profile.write_text(
        json.dumps(
            {
                "shareCredentialsVersion": 1,
                "endpoint": f"{root}/delta-sharing",
                "bearerToken": TOKEN,
            }
        ),
        encoding="utf-8",
    )
    try:
        yield {"profile": str(profile), "root": root, "audit": audit, "server": server}
    finally:
        server.stop()


def _audit(path: Path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=30) as r:
            return r.status, r.read().decode("utf-8")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode("utf-8")


def test_clients_back_off_on_429_and_read_everything(limited_server, spark, tables):
    url = f"{limited_server['profile']}#py.spark.people"
    expected = rows_of_spark(spark.read.format("delta").load(str(tables.spark_people.path)), PEOPLE)
    assert expected
    # six quick reads against 2 requests per second with a burst of 2: some are refused at first
    for _ in range(6):
        assert rows_of_pandas(delta_sharing.load_as_pandas(url), PEOPLE) == expected
    for _ in range(2):
        df = spark.read.format("deltaSharing").load(url)
        assert rows_of_spark(df, PEOPLE) == expected

    status, text = _get(f"{limited_server['root']}/metrics")
    assert status == 200
    limited = [
        float(line.rsplit(" ", 1)[1])
        for line in text.splitlines()
        if line.startswith('lakeshare_rate_limited_total{recipient="default"}')
    ]
    assert limited and limited[0] >= 1

    lines = _audit(limited_server["audit"])
    refused = [l for l in lines if l["status"] == 429]
    assert refused and all(l["errorCode"] == "RESOURCE_EXHAUSTED" for l in refused)
    answered = [l for l in lines if l.get("endpoint") == "query" and l["status"] == 200]
    assert len(answered) >= 6
    assert all(l["recipient"] == "default" and l["table"] == "people" for l in answered)
    assert all(l["files"] > 0 and l["fileBytes"] > 0 for l in answered)
    assert TOKEN not in limited_server["audit"].read_text(encoding="utf-8")


def test_health_endpoints(limited_server):
    assert _get(f"{limited_server['root']}/health/live") == (200, '{"status":"UP"}')
    # readiness answers 503 WARMING while the start-up warm-up fills the table's file list
    deadline = time.monotonic() + 60
    status, body = _get(f"{limited_server['root']}/health/ready")
    while body == '{"status":"WARMING"}' and time.monotonic() < deadline:
        time.sleep(0.1)
        status, body = _get(f"{limited_server['root']}/health/ready")
    assert status == 200
    assert json.loads(body) == {"status": "UP"}
