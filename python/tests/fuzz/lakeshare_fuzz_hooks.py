"""Schemathesis hooks for the API fuzz run (loaded through ``SCHEMATHESIS_HOOKS``).

* Every answer the fuzzer receives is recorded, one JSON line per call, in the file named by
  ``LAKESHARE_FUZZ_CALLS`` (method, path template, status, generation mode), so the test can report
  the request count and the status histogram and check that no answer was a 5xx.
* "Schema-valid request rejected" (ST202) is excused only for rules OpenAPI cannot state about
  query parameters or that depend on the table's contents, each matched by the server's exact
  answer: an invented ``pageToken`` (opaque and signed, so never genuine: 400 naming
  ``nextPageToken``); parameters that exclude each other (``version``/``timestamp``/
  ``startingVersion``, ``pageToken``/``refreshToken``, the two starts or ends of a change query);
  a change query without its required start; a table whose features the parquet format cannot
  express, asked for without the delta format; a timestamp before its first or after its latest commit, a range whose start is after its
  end or a version after its latest (a HEAD answer, which has no body, is matched by
  asking the same with GET). Every other 400 to a schema-valid request still fails the run.
"""

import json
import os
import threading
import urllib.parse
from typing import Any

import requests
import schemathesis

_lock = threading.Lock()


@schemathesis.hook
def after_call(context: Any, case: Any, response: Any) -> None:
    path = os.environ.get("LAKESHARE_FUZZ_CALLS")
    if not path:
        return
    meta = getattr(case, "meta", None)
    mode = getattr(getattr(meta, "generation", None), "mode", None)
    record = {
        "method": case.method.upper(),
        "path": case.path,
        "status": response.status_code,
        "mode": str(getattr(mode, "value", mode)),
    }
    with _lock, open(path, "a", encoding="utf-8") as out:
        out.write(json.dumps(record) + "\n")


# (error code, start of the message) of the 400s that answer a rule OpenAPI cannot express
_UNSTATABLE_RULES = (
    ("INVALID_PARAMETER_VALUE", "invalid 'nextPageToken'"),
    ("INVALID_PARAMETER_VALUE", "Please only provide one of:"),
    ("INVALID_PARAMETER_VALUE", "No startingVersion or startingTimestamp provided"),
    ("MALFORMED_REQUEST", "The provided timestamp ("),
    ("INVALID_PARAMETER_VALUE", "Provided Start version("),
    ("MALFORMED_REQUEST", "Cannot load table version"),
    ("INVALID_PARAMETER_VALUE", "Multiple starting arguments provided for CDF read"),
    ("INVALID_PARAMETER_VALUE", "Multiple ending arguments provided for CDF read"),
    ("INVALID_PARAMETER_VALUE", "refreshToken cannot be used when querying a specific version"),
    ("INVALID_PARAMETER_VALUE", "refreshToken must be used in the first page request"),
    ("INVALID_PARAMETER_VALUE", "includeRefreshToken cannot be used when querying a specific version"),
    # a change range over versions written before the table's change data feed was on
    ("INVALID_PARAMETER_VALUE", "Error getting change data for range"),
    ("INVALID_PARAMETER_VALUE", "The provided timestamp ("),
    # a range's start after its end
    ("INVALID_PARAMETER_VALUE", "startingVersion("),
    # a table with deletion vectors or column mapping asked for in the parquet format
    ("UNSUPPORTED_OPERATION", "Table '"),
)


def _unstatable_rule(response: Any) -> bool:
    if response.status_code != 400:
        return False
    request = response.request
    if request.method == "HEAD":
        # HEAD answers have no body to tell the rule: ask the same question with GET
        # the HEAD form of the table's version answers what GET .../version answers
        parts = urllib.parse.urlsplit(request.url)
        path = parts.path if parts.path.endswith("/version") else parts.path + "/version"
        url = urllib.parse.urlunsplit(parts._replace(path=path))
        replay = requests.get(url, headers=dict(request.headers), timeout=30)
        return replay.status_code == 400 and _unstatable_rule(replay)
    try:
        body = json.loads(response.content)
    except ValueError:
        return False
    code, message = body.get("errorCode"), str(body.get("message"))
    return any(code == c and message.startswith(m) for c, m in _UNSTATABLE_RULES)


@schemathesis.hook
def filter_failure(context: Any, failure: Any, case: Any, response: Any) -> bool:
    if getattr(failure, "code", "") == "ST202" and _unstatable_rule(response):
        return False
    return True
