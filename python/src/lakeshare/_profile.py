"""Profile files and table URLs, in the official Delta Sharing client's formats."""

from __future__ import annotations

import json
import os
import urllib.request
from dataclasses import dataclass
from typing import Any, Dict, Mapping, Optional, Tuple, Union

ProfileSource = Union[str, "os.PathLike[str]", Mapping[str, Any], "SharingProfile"]


@dataclass(frozen=True)
class SharingProfile:
    """A bearer-token profile: ``{"shareCredentialsVersion": 1, "endpoint": ..., ...}``."""

    endpoint: str
    bearer_token: Optional[str] = None
    share_credentials_version: int = 1
    expiration_time: Optional[str] = None

    @staticmethod
    def from_json(data: Mapping[str, Any]) -> "SharingProfile":
        version = int(data.get("shareCredentialsVersion", 1))
        if version != 1:
            raise ValueError(
                f"profile has shareCredentialsVersion {version}; this client reads version 1"
            )
        endpoint = data.get("endpoint")
        if not isinstance(endpoint, str) or not endpoint:
            raise ValueError("profile has no 'endpoint'")
        kind = data.get("type", "bearer_token")
        if kind != "bearer_token":
            raise ValueError(
                f"profile type '{kind}' is not supported by lakeshare.SharingClient "
                "(the Spark connector reads it)"
            )
        return SharingProfile(
            endpoint=endpoint.rstrip("/"),
            bearer_token=data.get("bearerToken"),
            share_credentials_version=version,
            expiration_time=data.get("expirationTime"),
        )

    @staticmethod
    def read(source: ProfileSource) -> "SharingProfile":
        """Reads a profile from a path, an http(s) URL, a dict, or returns it unchanged."""
        if isinstance(source, SharingProfile):
            return source
        if isinstance(source, Mapping):
            return SharingProfile.from_json(source)
        location = os.fspath(source)
        if location.startswith(("http://", "https://")):
            with urllib.request.urlopen(location, timeout=60) as response:
                text = response.read().decode("utf-8")
        else:
            with open(os.path.expanduser(location), encoding="utf-8") as f:
                text = f.read()
        data: Dict[str, Any] = json.loads(text)
        return SharingProfile.from_json(data)


def parse_table_url(url: str) -> Tuple[str, str, str, str]:
    """Splits ``<profile>#<share>.<schema>.<table>`` into (profile, share, schema, table)."""
    hash_at = url.rfind("#")
    if hash_at < 0:
        raise ValueError(f"Invalid table url '{url}': expected <profile>#<share>.<schema>.<table>")
    profile, names = url[:hash_at], url[hash_at + 1 :].split(".")
    if len(names) != 3 or not profile or not all(names):
        raise ValueError(f"Invalid table url '{url}': expected <profile>#<share>.<schema>.<table>")
    return profile, names[0], names[1], names[2]
