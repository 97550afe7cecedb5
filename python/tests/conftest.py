"""Session fixtures: one local Spark with the bundled connector and delta-spark, Delta tables
written by delta-spark and by delta-rs (``deltalake``), and the real server from the built jar."""

from __future__ import annotations

import glob
import json
import os
import re
import shutil
import subprocess
import threading
import time
from pathlib import Path
from typing import Dict, Iterator, List, Optional

import pytest

from tables import Tables, write_tables

REPO = Path(__file__).resolve().parents[2]
TOKEN = "py-suite-token"

def _delta_spark() -> str:
    """delta-spark built for the installed PySpark: the writer and oracle of the suites."""
    import pyspark

    return "io.delta:delta-spark_2.12:3.3.2" if pyspark.__version__.startswith("3.5") else "io.delta:delta-spark_2.13:4.4.0"


DELTA_SPARK = _delta_spark()


def _pom_property(name: str) -> str:
    text = (REPO / "pom.xml").read_text(encoding="utf-8")
    return text.split(f"<{name}>", 1)[1].split(f"</{name}>", 1)[0].strip()


def _s3a_packages() -> List[str]:
    """hadoop-aws and the AWS SDK modules it needs (not its 650 MB bundle), for directory-access
    reads through s3a://, when PySpark's Hadoop is the one the build resolves hadoop-aws for."""
    import pyspark

    hadoop = _pom_property("hadoop.version")
    jars = Path(pyspark.__file__).parent / "jars"
    if not (jars / f"hadoop-client-api-{hadoop}.jar").exists():
        return []
    sdk = _pom_property("awssdk.version")
    return [f"org.apache.hadoop:hadoop-aws:{hadoop}"] + [
        f"software.amazon.awssdk:{m}:{sdk}" for m in ("s3-transfer-manager", "apache-client", "sts")
    ]


S3A_PACKAGES = _s3a_packages()
# the SDK's bundle (S3A needs only the modules above), its Netty client (S3A uses the Apache
# one) and commons-codec (Spark ships it)
S3A_EXCLUDED = [
    "software.amazon.awssdk:bundle",
    "software.amazon.awssdk:netty-nio-client",
    "commons-codec:commons-codec",
]
# Spark already ships these (or a compatible version): leave them out of the --packages
# resolution so it needs only what `mvn install` put in ~/.m2 (Ivy also cannot fetch
# snappy-java's "bundle" artifact from a local Maven repository).
SPARK_PROVIDED = [
    "org.xerial.snappy:snappy-java",
    "org.apache.hadoop:hadoop-client-runtime",
    "org.apache.hadoop:hadoop-client-api",
    "org.apache.parquet:parquet-hadoop",
    "org.apache.parquet:parquet-column",
    "org.apache.parquet:parquet-common",
    "org.apache.parquet:parquet-encoding",
    "org.apache.parquet:parquet-format-structures",
    "org.apache.parquet:parquet-jackson",
    "org.slf4j:slf4j-api",
    "org.apache.logging.log4j:log4j-api",
    "org.apache.logging.log4j:log4j-core",
    "org.apache.logging.log4j:log4j-slf4j2-impl",
    "com.fasterxml.jackson.core:jackson-databind",
    "com.fasterxml.jackson.core:jackson-core",
    "com.fasterxml.jackson.core:jackson-annotations",
    "com.fasterxml.jackson.datatype:jackson-datatype-jdk8",
    "com.github.luben:zstd-jni",
    "org.roaringbitmap:RoaringBitmap",
    "org.roaringbitmap:shims",
    "commons-logging:commons-logging",
    "io.airlift:aircompressor",
]


def server_jar() -> Path:
    explicit = os.environ.get("LAKESHARE_SERVER_JAR")
    if explicit:
        return Path(explicit)
    found = sorted(glob.glob(str(REPO / "sharing-server/target/lakeshare-server-*-all.jar")))
    if not found:
        pytest.exit(
            "server jar missing: run `mvn -B -ntp -DskipTests package` at the repository root",
            returncode=2,
        )
    return Path(found[-1])


@pytest.fixture(scope="session")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("lakeshare")


def _local_maven_only(work: Path) -> Path:
    """Ivy settings that resolve from the local Maven repository only: no remote lookups."""
    m2 = Path(os.environ.get("LAKESHARE_M2_REPO", Path.home() / ".m2" / "repository"))
    settings = work / "ivysettings.xml"
    settings.write_text(
        "<ivysettings><settings defaultResolver=\"local-m2\"/><resolvers>"
        f"<ibiblio name=\"local-m2\" m2compatible=\"true\" root=\"{m2.resolve().as_uri()}\"/>"
        "</resolvers></ivysettings>\n",
        encoding="utf-8",
    )
    return settings


@pytest.fixture(scope="session")
def spark(work: Path):
    from pyspark.sql import SparkSession

    import lakeshare

    builder = (
        SparkSession.builder.master("local[2]")
        .appName("lakeshare-python-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.default.parallelism", "2")
        # delta-spark rebuilds each new table state in 50 partitions by default: the tiny test
        # tables' DML spends most of its time there
        .config("spark.databricks.delta.snapshotPartitions", "2")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
        .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
        .config("spark.jars.packages", ",".join([DELTA_SPARK] + S3A_PACKAGES))
        .config("spark.jars.excludes", ",".join(SPARK_PROVIDED + S3A_EXCLUDED))
        .config("spark.jars.ivy", os.environ.get("LAKESHARE_IVY_DIR", str(work / "ivy")))
        .config("spark.jars.ivySettings", str(_local_maven_only(work)))
        .config("spark.sql.warehouse.dir", str(work / "warehouse"))
        .config("spark.driver.extraJavaOptions", f"-Dderby.system.home={work / 'derby'}")
    )
    session = lakeshare.configure_spark(builder).getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.fixture(scope="session")
def tables(spark, work: Path) -> Tables:
    return write_tables(spark, work / "tables")


class Server:
    """The Lakeshare server jar running as a child process."""

    def __init__(self, config: Path, log: Path) -> None:
        self._log = open(log, "w", encoding="utf-8")
        java = shutil.which("java") or "java"
        self.proc = subprocess.Popen(
            [java, "-Xmx768m", "-jar", str(server_jar()), "serve", "--config", str(config)],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.log_path = log
        self.port = self._await_port()
        threading.Thread(target=self._drain, daemon=True).start()

    def _await_port(self) -> int:
        deadline = time.monotonic() + 120
        assert self.proc.stdout is not None
        lines: List[str] = []
        while time.monotonic() < deadline:
            line = self.proc.stdout.readline()
            if not line:
                break
            self._log.write(line)
            self._log.flush()
            lines.append(line)
            m = re.search(r"serving on port (\d+)", line)
            if m:
                return int(m.group(1))
        self.proc.kill()
        raise RuntimeError("server did not start:\n" + "".join(lines[-50:]))

    def _drain(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self._log.write(line)
            self._log.flush()

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self._log.close()


def _yaml_config(tables: Tables, page_limit: int) -> str:
    lines = [
        "version: 1",
        "host: 127.0.0.1",
        "port: 0",
        "endpoint: /delta-sharing",
        f"queryTablePageSizeLimit: {page_limit}",
        "authorization:",
        f"  bearerToken: {TOKEN}",
        "shares:",
    ]
    for share, schemas in tables.layout().items():
        lines += [f"- name: {share}", "  schemas:"]
        for schema, entries in schemas.items():
            lines += [f"  - name: {schema}", "    tables:"]
            for name, location in entries.items():
                lines += [
                    f"    - name: {name}",
                    f"      location: {json.dumps(str(location))}",
                    "      historyShared: true",
                ]
    return "\n".join(lines) + "\n"


def _start(tables: Tables, work: Path, name: str, page_limit: int) -> Iterator[Dict[str, object]]:
    config = work / f"{name}.yaml"
    config.write_text(_yaml_config(tables, page_limit), encoding="utf-8")
    server = Server(config, work / f"{name}.log")
    profile = work / f"{name}.share"
    endpoint = f"http://127.0.0.1:{server.port}/delta-sharing"
    profile.write_text(
        json.dumps({"shareCredentialsVersion": 1, "endpoint": endpoint, "bearerToken": TOKEN}),
        encoding="utf-8",
    )
    try:
        yield {"profile": str(profile), "endpoint": endpoint, "server": server}
    finally:
        server.stop()


@pytest.fixture(scope="session")
def server(tables: Tables, work: Path) -> Iterator[Dict[str, object]]:
    """Server with default page limits."""
    yield from _start(tables, work, "server", 10000)


@pytest.fixture(scope="session")
def small_pages_server(tables: Tables, work: Path) -> Iterator[Dict[str, object]]:
    """Same tables, but every query page holds at most 2 files (``queryTablePageSizeLimit: 2``)."""
    yield from _start(tables, work, "small-pages", 2)


@pytest.fixture(scope="session")
def profile(server: Dict[str, object]) -> str:
    return str(server["profile"])


def url(profile_path: str, share: str, schema: str, table: str) -> str:
    return f"{profile_path}#{share}.{schema}.{table}"


def pytest_report_header(config: pytest.Config) -> Optional[str]:
    return f"lakeshare server jar: {server_jar()}"
