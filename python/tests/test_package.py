"""The lakeshare package itself: bundled jar, builder configuration, URL and profile parsing."""

from __future__ import annotations

import json
import zipfile

import pytest

import lakeshare
from lakeshare._profile import SharingProfile


def test_the_wheel_carries_the_shaded_connector_with_its_data_source():
    with zipfile.ZipFile(lakeshare.jar_path()) as jar:
        names = set(jar.namelist())
        services = jar.read("META-INF/services/org.apache.spark.sql.sources.DataSourceRegister")
    assert "io/lakeshare/spark/DeltaSharingTableProvider.class" in names
    assert b"io.lakeshare.spark.DeltaSharingTableProvider" in services
    assert b"io.lakeshare.spark.LakeshareTableProvider" in services
    # HttpClient 5 is relocated inside the jar, not left at its own package
    assert not any(n.startswith("org/apache/hc/") for n in names)


def test_configure_spark_appends_to_jars_already_on_the_builder():
    from pyspark.sql import SparkSession

    builder = SparkSession.Builder().config("spark.jars", "/opt/other.jar")
    assert lakeshare.configure_spark(builder) is builder
    assert builder._options["spark.jars"] == "/opt/other.jar," + lakeshare.jar_path()
    lakeshare.configure_spark(builder)  # twice: no duplicate
    assert builder._options["spark.jars"].count(lakeshare.jar_path()) == 1


def test_packages_coordinate_names_the_bundled_version():
    import pyspark

    line = "3.5_2.12" if pyspark.__version__.startswith("3.5") else "4.2_2.13"
    version = lakeshare.jar_path().rsplit(f"lakeshare-spark-{line}-", 1)[1][: -len(".jar")]
    assert lakeshare.packages_coordinate() == f"io.lakeshare:lakeshare-spark-{line}:{version}"


def test_one_jar_per_spark_line_and_the_one_matching_each_version():
    version = lakeshare.packages_coordinate().rsplit(":", 1)[1]
    for spark, scala, line in (
        ("3.5.0", None, "3.5_2.12"),
        ("3.5.9", "2.13", "3.5_2.13"),
        ("4.0.1", None, "4.2_2.13"),
        ("4.1.3", None, "4.2_2.13"),
        ("4.2.0", None, "4.2_2.13"),
        ("4.3.0", None, "4.2_2.13"),
    ):
        jar = lakeshare.jar_path(spark, scala)
        assert jar.endswith(f"/lakeshare-spark-{line}-{version}.jar")
        assert lakeshare.packages_coordinate(spark, scala) == f"io.lakeshare:lakeshare-spark-{line}:{version}"
        with zipfile.ZipFile(jar) as z:
            # the jar reports the line it was compiled for
            assert b"io.lakeshare.spark.LakeshareTableProvider" in z.read(
                "META-INF/services/org.apache.spark.sql.sources.DataSourceRegister"
            )
    assert len({lakeshare.jar_path(s, c) for s, c in (("3.5.1", "2.12"), ("3.5.1", "2.13"), ("4.2.1", "2.13"))}) == 3


def test_an_unsupported_spark_is_refused_naming_the_supported_ones():
    supported = "lakeshare supports PySpark 3.5 (Scala 2.12 or 2.13) and PySpark 4.x (Scala 2.13)"
    for spark, scala in (("3.4.1", None), ("3.3.4", None), ("5.0.0", None), ("4.2.0", "2.12")):
        with pytest.raises(ValueError) as e:
            lakeshare.jar_path(spark, scala)
        assert supported in str(e.value)
        assert f"Spark {spark}" in str(e.value)


def test_table_urls_split_at_the_last_hash_like_the_official_client():
    assert lakeshare.parse_table_url("/p/a#b.share#s.sch.t") == ("/p/a#b.share", "s", "sch", "t")
    for bad in ("/p/profile.share", "/p#s.t", "#s.sch.t", "/p#s..t", "/p#a.b.c.d"):
        with pytest.raises(ValueError, match="Invalid table url"):
            lakeshare.parse_table_url(bad)


def test_profiles_read_from_files_and_dicts(tmp_path):
    f = tmp_path / "p.share"
    f.write_text(json.dumps({"shareCredentialsVersion": 1, "endpoint": "http://h/ds/", "bearerToken": "t"}))
    assert SharingProfile.read(str(f)) == SharingProfile(endpoint="http://h/ds", bearer_token="t")
    with pytest.raises(ValueError, match="shareCredentialsVersion 2"):
        SharingProfile.read({"shareCredentialsVersion": 2, "endpoint": "http://h"})
    with pytest.raises(ValueError, match="no 'endpoint'"):
        SharingProfile.read({"shareCredentialsVersion": 1})


def test_response_format_is_checked_before_any_session_or_request():
    table = "/p/profile.share#s.sch.t"
    for read in (
        lambda **kw: lakeshare.load_as_spark(table, **kw),
        lambda **kw: lakeshare.load_table_changes_as_spark(table, starting_version=0, **kw),
        lambda **kw: lakeshare.load_as_spark_stream(table, **kw),
    ):
        with pytest.raises(ValueError, match="use one of 'auto', 'parquet', 'delta'"):
            read(response_format="json")
        with pytest.raises(ValueError, match="conflicts with responseFormat='parquet'"):
            read(response_format="delta", responseFormat="parquet")
