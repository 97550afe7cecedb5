package io.lakeshare.server.storage;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.lakeshare.server.config.StorageConfig;
import io.lakeshare.server.storage.azure.AzureStorage;
import io.lakeshare.server.storage.gcs.GcsStorage;
import io.lakeshare.server.storage.s3.S3Storage;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * Signs 100,000 URLs per storage scheme (S3, Azure, GCS, local) on one thread and prints URLs per
 * second. Not a test: run it with {@code mvn -o -q -pl sharing-server test-compile exec:java
 * -Dexec.classpathScope=test -Dexec.mainClass=io.lakeshare.server.storage.SigningBenchmark
 * [-Dexec.args=<count>]}. No network is used: every signer signs locally.
 */
public final class SigningBenchmark {
  private SigningBenchmark() {}

  public static void main(String[] args) throws Exception {
    int count = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    PrintStream out = System.out;
    Map<String, FileSigner> signers = signers();
    out.printf(
        Locale.ROOT,
        "Signing %,d URLs per scheme on one thread (%s, %s)%n",
        count,
        System.getProperty("java.vm.name"),
        System.getProperty("java.version"));
    for (Map.Entry<String, FileSigner> e : signers.entrySet()) {
      FileSigner signer = e.getValue();
      String root = rootOf(e.getKey());
      IntFunction<String> file =
          i -> root + "/part=" + (i % 97) + "/part-" + i + "-c000.snappy.parquet";
      run(signer, file, Math.min(count, 20_000)); // warm-up: JIT, caches
      long sink = 0;
      long start = System.nanoTime();
      sink += run(signer, file, count);
      double seconds = (System.nanoTime() - start) / 1e9;
      out.printf(
          Locale.ROOT,
          "%-8s %,12.0f URLs/s  (%.2f s, %.1f µs/URL, checksum %d)%n",
          e.getKey(),
          count / seconds,
          seconds,
          seconds * 1e6 / count,
          sink % 10);
    }
  }

  private static long run(FileSigner signer, IntFunction<String> file, int n) {
    long total = 0;
    for (int i = 0; i < n; i++) {
      total += signer.sign(file.apply(i)).url().length();
    }
    return total;
  }

  private static final Map<String, String> ROOTS = new LinkedHashMap<>();

  private static String rootOf(String scheme) {
    return ROOTS.get(scheme);
  }

  static Map<String, FileSigner> signers() throws Exception {
    Map<String, FileSigner> out = new LinkedHashMap<>();
    Duration validity = Duration.ofHours(1);

    String s3Root = "s3://bench-bucket/warehouse/sales";
    S3Storage s3 =
        S3Storage.of(
            new StorageConfig.S3(
                "bench",
                "eu-west-1",
                null,
                null,
                StorageConfig.AwsCredentials.STATIC,
                "AKIDEXAMPLE",
                "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
                null));
    ROOTS.put("s3", s3Root);
    out.put("s3", s3.signer(s3Root, validity));

    String azRoot = "abfss://lake@benchaccount.dfs.core.windows.net/warehouse/sales";
    AzureStorage az =
        AzureStorage.of(
            new StorageConfig.Azure(
                "bench",
                null,
                null,
                "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==",
                null,
                null,
                null,
                null,
                null),
            azRoot);
    ROOTS.put("azure", azRoot);
    out.put("azure", az.signer(azRoot, validity));

    // Google's published, inactive test key (see src/test/resources/gcs/v4-signing-vectors.json).
    String gcsKey;
    try (var in = SigningBenchmark.class.getResourceAsStream("/gcs/v4-signing-vectors.json")) {
      gcsKey = new ObjectMapper().readTree(in).get("serviceAccount").toString();
    }
    String gcsRoot = "gs://bench-bucket/warehouse/sales";
    GcsStorage gcs = GcsStorage.of(new StorageConfig.Gcs("bench", null, gcsKey, null, null));
    ROOTS.put("gcs", gcsRoot);
    out.put("gcs", gcs.signer(gcsRoot, validity));
    GcsStorage gcsHmac =
        GcsStorage.of(
            new StorageConfig.Gcs(
                "bench-hmac",
                null,
                gcsKey,
                null,
                null,
                "GOOG1EEXAMPLEACCESSID",
                "bGoa+V7g/yqDXvKRqq+JTFn4uQZbPiQJo4pf9RzJ"));
    ROOTS.put("gcs-hmac", gcsRoot);
    out.put("gcs-hmac", gcsHmac.signer(gcsRoot, validity));

    Path dir = Files.createTempDirectory("sign-bench");
    ROOTS.put("local", dir.toUri().toString().replaceAll("/$", ""));
    out.put(
        "local",
        new LocalFileSigner(
            new byte[32], dir, "http://127.0.0.1:8080/delta-sharing", validity, Clock.systemUTC()));
    return out;
  }
}
