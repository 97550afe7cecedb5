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
    # tables only the delta response format can express (share "features")
    dv: Table  # delta-spark, deletion vectors, CDF, a checkpoint, versions 0-5
    cm_name: Table  # delta-spark, column mapping `name`, renames, drop, re-add, versions 0-7
    cm_id_dv: Table  # delta-spark, column mapping `id` with deletion vectors, versions 0-4
    rust_cm: Table  # delta-rs, column mapping `name`, partitioned, versions 0-3

    def layout(self) -> Dict[str, Dict[str, Dict[str, Path]]]:
        """share -> schema -> table -> location, as served."""
        return {
            "py": {
                "spark": {"people": self.spark_people.path, "stream": self.spark_stream.path},
                "rust": {"people": self.rust_people.path},
            },
            "extra": {"misc": {"people_alias": self.spark_people.path}},
            "features": {
                "spark": {
                    "dv": self.dv.path,
                    "cm_name": self.cm_name.path,
                    "cm_id_dv": self.cm_id_dv.path,
                },
                "rust": {"cm_name": self.rust_cm.path},
            },
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


def _people(spark, lo: int, hi: int, files: int):
    return spark.range(lo, hi, 1, files).selectExpr(
        "id",
        "concat('n', id) AS name",
        "CAST(id * 1.5 AS DOUBLE) AS score",
        "element_at(array('eu', 'us', 'asia'), CAST(id % 3 AS INT) + 1) AS region",
    )


def _write_dv(spark, path: Path) -> None:
    """Deletion vectors written by DELETE, UPDATE and MERGE, CDF on, a checkpoint at version 3.
    Both files of version 1 get a vector at versions 2 and 3 (DELETE only: remove/add pairs and
    no cdc files) and another at 4 (UPDATE); MERGE (5) replaces one of them again."""
    t = f"delta.`{path}`"
    spark.sql(
        f"CREATE TABLE {t} (id BIGINT, name STRING, score DOUBLE, region STRING) USING delta"
        " TBLPROPERTIES ('delta.enableDeletionVectors' = 'true',"
        " 'delta.enableChangeDataFeed' = 'true', 'delta.checkpointInterval' = '3')"
    )
    _people(spark, 0, 60, 2).write.format("delta").mode("append").save(str(path))
    spark.sql(f"DELETE FROM {t} WHERE id % 7 = 0")
    spark.sql(f"DELETE FROM {t} WHERE id % 5 = 0")
    spark.sql(f"UPDATE {t} SET score = score + 100 WHERE id % 3 = 0")
    _people(spark, 50, 70, 1).createOrReplaceTempView("dv_source")
    spark.sql(
        f"MERGE INTO {t} t USING dv_source s ON t.id = s.id"
        " WHEN MATCHED AND s.id % 2 = 0 THEN DELETE"
        " WHEN MATCHED THEN UPDATE SET name = concat(s.name, '-merged')"
        " WHEN NOT MATCHED THEN INSERT *"
    )


def _write_cm_name(spark, path: Path) -> None:
    """Column mapping by name: rename (v2), drop (v3), re-add under the dropped name (v4, a new
    physical name: older files read null), rename of the partition column (v6)."""
    t = f"delta.`{path}`"
    spark.sql(
        f"CREATE TABLE {t} (id BIGINT, name STRING, score DOUBLE, region STRING) USING delta"
        " PARTITIONED BY (region) TBLPROPERTIES ('delta.columnMapping.mode' = 'name',"
        " 'delta.enableDeletionVectors' = 'false')"
    )
    _people(spark, 0, 30, 1).write.format("delta").mode("append").save(str(path))
    spark.sql(f"ALTER TABLE {t} RENAME COLUMN name TO full_name")
    spark.sql(f"ALTER TABLE {t} DROP COLUMN score")
    spark.sql(f"ALTER TABLE {t} ADD COLUMNS (score DOUBLE)")
    spark.sql(
        f"INSERT INTO {t} (id, full_name, region, score) SELECT id, concat('m', id),"
        " element_at(array('eu', 'us', 'asia'), CAST(id % 3 AS INT) + 1), id * 2.0"
        " FROM range(30, 45)"
    )
    spark.sql(f"ALTER TABLE {t} RENAME COLUMN region TO area")
    spark.sql(
        f"INSERT INTO {t} (id, full_name, area, score) SELECT id, concat('k', id),"
        " element_at(array('eu', 'us'), CAST(id % 2 AS INT) + 1), id * 3.0 FROM range(45, 55)"
    )


def _write_cm_id_dv(spark, path: Path) -> None:
    """Column mapping by id (Parquet field ids) with deletion vectors and a rename."""
    t = f"delta.`{path}`"
    spark.sql(
        f"CREATE TABLE {t} (id BIGINT, name STRING, score DOUBLE) USING delta TBLPROPERTIES ("
        "'delta.columnMapping.mode' = 'id', 'delta.enableDeletionVectors' = 'true')"
    )
    _people(spark, 0, 40, 2).drop("region").write.format("delta").mode("append").save(str(path))
    spark.sql(f"DELETE FROM {t} WHERE id % 4 = 0")
    spark.sql(f"ALTER TABLE {t} RENAME COLUMN name TO label")
    spark.sql(f"INSERT INTO {t} SELECT id, concat('x', id), id * 0.5 FROM range(40, 50)")


def _write_rust_cm(path: Path) -> None:
    """delta-rs with column mapping `name`; its DELETE and UPDATE rewrite files (no vectors)."""
    from deltalake import DeltaTable, write_deltalake

    write_deltalake(
        str(path),
        rust_batch(0, 20),
        partition_by=["region"],
        configuration={"delta.columnMapping.mode": "name"},
    )
    write_deltalake(str(path), rust_batch(20, 30), mode="append")
    DeltaTable(str(path)).delete("id < 3")
    DeltaTable(str(path)).update(updates={"name": "concat(name, '_u')"}, predicate="region = 'eu'")


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
        dv=Table(root / "dv"),
        cm_name=Table(root / "cm_name"),
        cm_id_dv=Table(root / "cm_id_dv"),
        rust_cm=Table(root / "rust_cm"),
    )
    _write_spark_people(spark, tables.spark_people.path)
    _write_spark_stream(spark, tables.spark_stream.path)
    _write_rust_people(tables.rust_people.path)
    _write_dv(spark, tables.dv.path)
    _write_cm_name(spark, tables.cm_name.path)
    _write_cm_id_dv(spark, tables.cm_id_dv.path)
    _write_rust_cm(tables.rust_cm.path)
    for t in (
        tables.spark_people,
        tables.rust_people,
        tables.spark_stream,
        tables.dv,
        tables.cm_name,
        tables.cm_id_dv,
        tables.rust_cm,
    ):
        t.commit_ms = _spread_commit_times(t.path, base)
    return tables
