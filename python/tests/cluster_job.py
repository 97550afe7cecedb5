"""The job test_cluster.py runs with spark-submit on a local-cluster master: every executor is its
own JVM, started by a standalone Worker from PySpark's SPARK_HOME. Prints ``RESULT {json}`` lines;
between the two stream runs it waits for the file ``args["go"]`` (the test appends to the table,
then creates it; spark-submit gives the Python driver no stdin)."""

from __future__ import annotations

import json
import os
import sys
import time
from typing import Any, Dict, List, Tuple

from pyspark.sql import SparkSession


def emit(name: str, value: Any) -> None:
    print("RESULT " + json.dumps({name: value}, default=str), flush=True)


def jvm_of_this_worker() -> Tuple[int, str]:
    """The JVM a Python worker serves: the nearest java ancestor process, and its role."""
    pid = os.getpid()
    for _ in range(8):
        with open(f"/proc/{pid}/status", encoding="ascii") as f:
            pid = int(next(line for line in f if line.startswith("PPid:")).split()[1])
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            cmd = f.read().replace(b"\0", b" ").decode("utf-8", "replace")
        if cmd.split(" ")[0].endswith("java"):
            role = "executor" if "CoarseGrainedExecutorBackend" in cmd else "other"
            if "SparkSubmit" in cmd:
                role = "driver"
            return pid, role
    return -1, "none"


def session() -> SparkSession:
    spark = SparkSession.builder.getOrCreate()
    sc = spark.sparkContext
    deadline = time.monotonic() + 120
    while sc._jsc.sc().getExecutorIds().size() < 2 and time.monotonic() < deadline:
        time.sleep(0.2)
    return spark


def rows(df, columns: List[str]) -> List[List[Any]]:
    return sorted(([r[c] for c in columns] for r in df.collect()), key=lambda r: json.dumps(r, default=str))


def tasks_by_executor(spark: SparkSession) -> Dict[str, int]:
    summaries = spark.sparkContext._jsc.sc().statusStore().executorList(False)
    return {summaries.apply(i).id(): summaries.apply(i).totalTasks() for i in range(summaries.size())}


def main() -> None:
    args = json.loads(sys.argv[1])
    spark = session()
    emit("driverPid", os.getpid())
    emit("spark", spark.version)
    people_cols = ["id", "name", "score", "region"]

    # 1. batch read of a multi-file table; which JVMs ran the scan tasks
    people = spark.read.format("lakeshare").load(args["people"])
    emit("batch", rows(people, people_cols))
    emit("batchPartitions", people.rdd.getNumPartitions())
    emit("taskJvms", people.rdd.mapPartitions(lambda it: [(jvm_of_this_worker(), sum(1 for _ in it))]).collect())

    # 2. a scan whose URLs expire mid-read (10 s URL life): one file per task and two cores, so the
    # tasks after the first two open their files after their planned URLs expired
    spark.conf.set("spark.sql.files.openCostInBytes", str(1 << 30))
    spark.conf.set("spark.sql.files.maxPartitionBytes", str(1 << 30))
    expiring = spark.read.format("lakeshare").load(args["peopleShortUrls"])

    def slow(index, it):
        if index < 2:
            time.sleep(12)
        return it

    start = time.monotonic()
    expired_rows = expiring.rdd.mapPartitionsWithIndex(slow).collect()
    emit("expirySeconds", time.monotonic() - start)
    emit("expiryPartitions", expiring.rdd.getNumPartitions())
    emit("expiry", sorted(([r[c] for c in people_cols] for r in expired_rows), key=lambda r: json.dumps(r)))
    spark.conf.unset("spark.sql.files.openCostInBytes")
    spark.conf.unset("spark.sql.files.maxPartitionBytes")

    # 3. change data feed
    cdf = (
        spark.read.format("lakeshare")
        .option("readChangeFeed", "true")
        .option("startingVersion", "1")
        .load(args["people"])
    )
    emit("cdf", rows(cdf, people_cols + ["_change_type", "_commit_version"]))
    emit("tasksByExecutor", tasks_by_executor(spark))

    # 4. an AvailableNow stream, then a restart from its checkpoint in a new session (new
    # executor JVMs) after the test appended two versions
    def run_stream(s: SparkSession) -> None:
        q = (
            s.readStream.format("lakeshare")
            .load(args["stream"])
            .writeStream.format("parquet")
            .option("checkpointLocation", args["checkpoint"])
            .trigger(availableNow=True)
            .start(args["out"])
        )
        q.awaitTermination(240)
        if q.exception() is not None:
            raise RuntimeError(str(q.exception()))

    run_stream(spark)
    emit("streamFirst", sorted(r["id"] for r in spark.read.parquet(args["out"]).collect()))
    spark.stop()
    emit("waiting", True)
    deadline = time.monotonic() + 300
    while not os.path.exists(args["go"]) and time.monotonic() < deadline:
        time.sleep(0.2)
    spark = session()
    run_stream(spark)
    emit("streamSecond", sorted(r["id"] for r in spark.read.parquet(args["out"]).collect()))
    emit("tasksByExecutorAfterRestart", tasks_by_executor(spark))
    spark.stop()
    emit("done", True)


if __name__ == "__main__":
    main()
