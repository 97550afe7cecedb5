"""The job test_directory_access.py runs with spark-submit on a local-cluster master: a directory
read (accessMode dir) whose tasks run in executor JVMs, which open the bucket with the credentials
the driver's scan carries to them. Uses cluster_job.py's helpers (shipped with --py-files, so that
the executors' Python workers can import them). Prints ``RESULT {json}`` lines."""

from __future__ import annotations

import json
import sys

from cluster_job import emit, jvm_of_this_worker, rows, session, tasks_by_executor


def main() -> None:
    args = json.loads(sys.argv[1])
    spark = session()
    emit("driverPid", __import__("os").getpid())
    df = spark.read.format("deltaSharing").option("accessMode", "dir").load(args["url"])
    emit("rows", rows(df, args["columns"]))
    emit("partitions", df.rdd.getNumPartitions())
    emit("taskJvms", df.rdd.mapPartitions(lambda it: [(jvm_of_this_worker(), sum(1 for _ in it))]).collect())
    emit("tasksByExecutor", tasks_by_executor(spark))
    spark.stop()
    emit("done", True)


if __name__ == "__main__":
    main()
