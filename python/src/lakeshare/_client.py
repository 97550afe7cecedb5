"""A small discovery client: the listing calls of the Delta Sharing protocol, standard library only."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any, Callable, Dict, List, Optional, Sequence, TypeVar

from lakeshare._profile import ProfileSource, SharingProfile

T = TypeVar("T")


@dataclass(frozen=True)
class Share:
    """A share, as the official client's ``delta_sharing.Share``."""

    name: str


@dataclass(frozen=True)
class Schema:
    """A schema in a share, as the official client's ``delta_sharing.Schema``."""

    name: str
    share: str


@dataclass(frozen=True)
class Table:
    """A table in a schema, as the official client's ``delta_sharing.Table``."""

    name: str
    share: str
    schema: str

    def url(self, profile: str) -> str:
        """The table URL ``<profile>#share.schema.table`` that the load functions take."""
        return f"{profile}#{self.share}.{self.schema}.{self.name}"


class SharingError(RuntimeError):
    """A request the server refused; carries the HTTP status and the server's error code."""

    def __init__(self, status: int, error_code: Optional[str], message: str) -> None:
        super().__init__(f"HTTP {status} {error_code or ''}: {message}".strip())
        self.status = status
        self.error_code = error_code


class SharingClient:
    """Lists what a profile can read. Method names match ``delta_sharing.SharingClient``."""

    def __init__(
        self, profile: ProfileSource, *, max_results: Optional[int] = None, timeout: float = 120.0
    ) -> None:
        """``max_results`` asks the server for pages of at most that many items (server default
        when None); pages are always followed to the end."""
        self._profile = SharingProfile.read(profile)
        self._max_results = max_results
        self._timeout = timeout

    def list_shares(self) -> List[Share]:
        """Every share the profile may read, following pages."""
        return self._pages("/shares", lambda j: Share(name=j["name"]))

    def list_schemas(self, share: Share) -> List[Schema]:
        """The schemas of one share."""
        return self._pages(
            f"/shares/{_q(share.name)}/schemas",
            lambda j: Schema(name=j["name"], share=j.get("share", share.name)),
        )

    def list_tables(self, schema: Schema) -> List[Table]:
        """The tables of one schema."""
        return self._pages(
            f"/shares/{_q(schema.share)}/schemas/{_q(schema.name)}/tables",
            lambda j: Table(
                name=j["name"],
                share=j.get("share", schema.share),
                schema=j.get("schema", schema.name),
            ),
        )

    def list_all_tables(self) -> List[Table]:
        """Every table of every share, through the ``all-tables`` endpoint."""
        tables: List[Table] = []
        for share in self.list_shares():
            tables.extend(
                self._pages(
                    f"/shares/{_q(share.name)}/all-tables",
                    lambda j: Table(name=j["name"], share=j["share"], schema=j["schema"]),
                )
            )
        return tables

    def _pages(self, path: str, item: Callable[[Dict[str, Any]], T]) -> List[T]:
        out: List[T] = []
        token: Optional[str] = None
        while True:
            params: Dict[str, Any] = {}
            if self._max_results is not None:
                params["maxResults"] = self._max_results
            if token:
                params["pageToken"] = token
            body = self._get(path, params)
            out.extend(item(j) for j in body.get("items", []))
            token = body.get("nextPageToken")
            if not token:
                return out

    def _get(self, path: str, params: Dict[str, Any]) -> Dict[str, Any]:
        url = self._profile.endpoint + path
        if params:
            url += "?" + urllib.parse.urlencode(params)
        request = urllib.request.Request(url, headers={"User-Agent": "lakeshare-python"})
        if self._profile.bearer_token:
            request.add_header("Authorization", f"Bearer {self._profile.bearer_token}")
        try:
            with urllib.request.urlopen(request, timeout=self._timeout) as response:
                parsed: Dict[str, Any] = json.loads(response.read().decode("utf-8"))
                return parsed
        except urllib.error.HTTPError as e:
            raise _sharing_error(e) from None


def _q(name: str) -> str:
    return urllib.parse.quote(name, safe="")


def _sharing_error(e: urllib.error.HTTPError) -> SharingError:
    code: Optional[str] = None
    message = e.reason if isinstance(e.reason, str) else str(e)
    try:
        body = json.loads(e.read().decode("utf-8"))
        code = body.get("errorCode")
        message = body.get("message", message)
    except (ValueError, OSError):
        pass
    return SharingError(e.code, code, message)


__all__: Sequence[str] = ["Share", "Schema", "Table", "SharingClient", "SharingError"]
