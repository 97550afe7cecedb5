"""The Delta tables the suites share: written once per session by delta-spark and by delta-rs."""

from __future__ import annotations

import datetime as dt
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict

# Commit times are set on the log files (Delta without in-commit timestamps takes a version's
# time from its commit file's modification time), one minute apart, so timestamp queries land
# on known versions without sleeping between commits.
STEP_SECONDS = 60


@dataclass
class Table:
    path: Path
    commit_ms: Dict[int, int] = field(default_factory=dict)

    def timestamp(self, version: int) -> str:
        """The commit time of ``version`` as ``YYYY-MM-DDThh:mm:ssZ``."""
        t = dt.datetime.fromtimestamp(self.commit_ms[version] / 1000, tz=dt.timezone.utc)
        return t.strftime("%Y-%m-%dT%H:%M:%SZ")

    @property
    def latest(self) -> int:
        return max(self.commit_ms)


@dataclass
class Tables:
    spark_people: Table  # delta-spark, partitioned by region, CDF, versions 0-4
    rust_people: Table  # delta-rs, partitioned by region, CDF, versions 0-3
    spark_stream: Table  # delta-spark, CDF, versions 0-1; tests append to it

    def layout(self) -> Dict[str, Dict[str, Dict[str, Path]]]:
        """share -> schema -> table -> location, as served."""
        return {
            "py": {
                "spark": {"people": self.spark_people.path, "stream": self.spark_stream.path},
                "rust": {"people": self.rust_people.path},
            },
            "extra": {"misc": {"people_alias": self.spark_people.path}},
        }


def _write_spark_people(spark, path: Path) -> None:
    spark.sql(
        f"CREATE TABLE delta.`{path}` (id BIGINT, name STRING, score DOUBLE, region STRING)"
        " USING delta PARTITIONED BY (region) TBLPROPERTIES ("
        "'delta.enableChangeDataFeed' = 'true', 'delta.enableDeletionVectors' = 'false')"
    )
    for lo, hi in ((0, 40), (40, 60)):
        spark.range(lo, hi).selectExpr(
            "id",
            "concat('n', id) AS name",
            "CAST(id * 1.5 AS DOUBLE) AS score",
            "element_at(array('eu', 'us', 'asia'), CAST(id % 3 AS INT) + 1) AS region",
        ).repartition(2).write.format("delta").mode("append").save(str(path))
    spark.sql(f"DELETE FROM delta.`{path}` WHERE id % 7 = 0")
    spark.sql(f"UPDATE delta.`{path}` SET score = score + 100 WHERE region = 'eu'")


def _write_spark_stream(spark, path: Path) -> None:
    spark.sql(
        f"CREATE TABLE delta.`{path}` (id BIGINT, v STRING) USING delta TBLPROPERTIES ("
        "'delta.enableChangeDataFeed' = 'true', 'delta.enableDeletionVectors' = 'false')"
    )
    append_stream_rows(spark, path, 0, 10)


def append_stream_rows(spark, path: Path, lo: int, hi: int) -> None:
    spark.range(lo, hi).selectExpr("id", "concat('v', id) AS v").coalesce(1).write.format(
        "delta"
    ).mode("append").save(str(path))


def rust_batch(lo: int, hi: int):
    import pyarrow as pa

    ids = list(range(lo, hi))
    return pa.table(
        {
            "id": pa.array(ids, pa.int64()),
            "name": pa.array([f"r{i}" for i in ids], pa.string()),
            "score": pa.array([i * 0.25 for i in ids], pa.float64()),
            "region": pa.array([("eu", "us", "asia")[i % 3] for i in ids], pa.string()),
        }
    )


def _write_rust_people(path: Path) -> None:
    from deltalake import DeltaTable, write_deltalake

    write_deltalake(
        str(path),
        rust_batch(0, 30),
        partition_by=["region"],
        configuration={"delta.enableChangeDataFeed": "true"},
    )
    write_deltalake(str(path), rust_batch(30, 50), mode="append")
    DeltaTable(str(path)).delete("id < 5")
    DeltaTable(str(path)).update(updates={"score": "score + 100"}, predicate="region = 'eu'")


def _spread_commit_times(path: Path, base_s: int) -> Dict[int, int]:
    log = path / "_delta_log"
    times: Dict[int, int] = {}
    for f in sorted(log.glob("*.json")):
        stem = f.name[: -len(".json")]
        if len(stem) != 20 or not stem.isdigit():
            continue
        version = int(stem)
        t = base_s + version * STEP_SECONDS
        os.utime(f, (t, t))
        times[version] = t * 1000
    return times


def write_tables(spark, root: Path) -> Tables:
    root.mkdir(parents=True, exist_ok=True)
    base = int(time.time()) - 86400
    tables = Tables(
        spark_people=Table(root / "spark_people"),
        rust_people=Table(root / "rust_people"),
        spark_stream=Table(root / "spark_stream"),
    )
    _write_spark_people(spark, tables.spark_people.path)
    _write_spark_stream(spark, tables.spark_stream.path)
    _write_rust_people(tables.rust_people.path)
    for t in (tables.spark_people, tables.rust_people, tables.spark_stream):
        t.commit_ms = _spread_commit_times(t.path, base)
    return tables
