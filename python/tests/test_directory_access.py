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
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any, Dict, Iterator, List

import pytest

from conftest import TOKEN, Server

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
def provider(moto: str, work: Path) -> Iterator[Dict[str, Any]]:
    # auth off while the provider's account is set up, then on for everything the server does
    urllib.request.urlopen(_post(moto + "/moto-api/reset-auth", b"inf"), timeout=30).close()
    keys = _moto(
        ["setup"],
        {"endpoint": moto, "role_policy": SESSION_POLICY, "objects": [INSIDE, OUTSIDE, SIBLING]},
    )
    urllib.request.urlopen(_post(moto + "/moto-api/reset-auth", b"0"), timeout=30).close()
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
        )
        + "\n",
        encoding="utf-8",
    )
    server = Server(config, work / "directory.log")
    try:
        yield {
            "endpoint": f"http://127.0.0.1:{server.port}/delta-sharing",
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
