"""The tables of share ``features`` (deletion vectors, column mapping) as their writers read
them: the oracles both the official client's and the connector's reads are compared with."""

from __future__ import annotations

import functools
import json
import math
from pathlib import Path
from typing import Any, Dict, List, Tuple

from compare import rows_of_pandas, rows_of_spark
from tables import Table, Tables

# table key in Tables -> (schema, table) in share "features"
FEATURES: Dict[str, Tuple[str, str]] = {
    "dv": ("spark", "dv"),
    "cm_name": ("spark", "cm_name"),
    "cm_id_dv": ("spark", "cm_id_dv"),
    "rust_cm": ("rust", "cm_name"),
}
CDF_META = ("_change_type", "_commit_version", "_commit_seconds")
Rows = List[Tuple[Any, ...]]


def feature_url(profile: str, key: str) -> str:
    schema, name = FEATURES[key]
    return f"{profile}#features.{schema}.{name}"


class Oracle:
    """One feature table read by its own writer: delta-spark, or deltalake's DataFusion scan."""

    def __init__(self, spark, tables: Tables, key: str) -> None:
        self.key = key
        self.table: Table = getattr(tables, key)
        self.writer = "delta-rs" if key.startswith("rust") else "delta-spark"
        self._spark = spark
        # the writers' reads are the slow part: read each version or range once
        self.snapshot = functools.lru_cache(maxsize=None)(self._snapshot)
        self.changes = functools.lru_cache(maxsize=None)(self._changes)

    def _snapshot(self, version: int | None = None) -> Tuple[Tuple[str, ...], Rows]:
        """(columns in schema order, rows) of the table at ``version`` (latest when None)."""
        path = str(self.table.path)
        if self.writer == "delta-rs":
            import pyarrow as pa
            from deltalake import DeltaTable

            dt = DeltaTable(path) if version is None else DeltaTable(path, version=version)
            # scan() applies column mapping; to_pandas()/to_pyarrow_dataset() do not (deltalake
            # 1.6 returns nulls for every mapped column there)
            arrow = pa.table(dt.scan())
            columns = tuple(arrow.schema.names)
            return columns, rows_of_pandas(arrow.to_pandas(), columns)
        reader = self._spark.read.format("delta")
        if version is not None:
            reader = reader.option("versionAsOf", version)
        df = reader.load(path)
        columns = tuple(df.columns)
        return columns, rows_of_spark(df, columns)

    def _changes(self, start: int, end: int) -> Tuple[Tuple[str, ...], Rows]:
        """delta-spark's change feed over [start, end]: the data columns, then CDF_META with the
        commit time in whole seconds (what the official client's feed can carry)."""
        assert self.writer == "delta-spark"
        df = (
            self._spark.read.format("delta")
            .option("readChangeFeed", "true")
            .option("startingVersion", start)
            .option("endingVersion", end)
            .load(str(self.table.path))
        )
        data = tuple(c for c in df.columns if not c.startswith("_"))
        df = df.selectExpr("*", "unix_seconds(_commit_timestamp) AS _commit_seconds")
        return data, rows_of_spark(df, data + CDF_META)


def with_commit_seconds(pdf):
    """Adds ``_commit_seconds`` to a change feed read by the official client. Its Delta-format
    reader takes commit times from the modification times it gives its temporary log files,
    which have whole seconds only (``os.utime(..., ms // 1000)``), so the feed is compared with
    delta-spark's at second precision."""
    import pandas as pd

    stamps = pd.to_datetime(pdf["_commit_timestamp"], utc=True)
    pdf = pdf.copy()
    pdf["_commit_seconds"] = [math.floor(t.timestamp()) for t in stamps]
    return pdf


def log_actions(path: Path) -> Dict[str, dict]:
    """protocol and metaData as of the latest version, replayed from the JSON commits."""
    found: Dict[str, dict] = {}
    for f in sorted((path / "_delta_log").glob("*.json")):
        for line in f.read_text(encoding="utf-8").splitlines():
            action = json.loads(line)
            for key in ("protocol", "metaData"):
                if key in action:
                    found[key] = action[key]
    return found


def log_file_actions(path: Path) -> Dict[int, List[Tuple[str, dict]]]:
    """version -> [(kind, action)] for the add, remove and cdc actions of each JSON commit."""
    found: Dict[int, List[Tuple[str, dict]]] = {}
    for f in sorted((path / "_delta_log").glob("*.json")):
        stem = f.name[: -len(".json")]
        if not stem.isdigit():
            continue
        actions = found.setdefault(int(stem), [])
        for line in f.read_text(encoding="utf-8").splitlines():
            action = json.loads(line)
            for kind in ("add", "remove", "cdc"):
                if kind in action:
                    actions.append((kind, action[kind]))
    return found
