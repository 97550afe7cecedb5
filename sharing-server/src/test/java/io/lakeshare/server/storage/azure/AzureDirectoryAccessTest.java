package io.lakeshare.server.storage.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.storage.blob.models.UserDelegationKey;
import io.lakeshare.protocol.model.TemporaryCredentials;
import io.lakeshare.server.config.StorageConfig;
import io.lakeshare.server.storage.BlobPath;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * Directory SAS for directory access: the scope signed (the canonical resource of the directory,
 * {@code sr=d} with its depth, read and list only) read from the string-to-sign the SDK reports,
 * and the signature recomputed here from it, with the account key and with a user-delegation key.
 */
class AzureDirectoryAccessTest {
  private static final String KEY =
      Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes());
  private static final String ROOT = "abfss://lake@acct.dfs.core.windows.net/warehouse/sales";

  private static AzureStorage storage(String accountKey, String sas, boolean directoryAccess) {
    return AzureStorage.of(
        new StorageConfig.Azure(
            "a",
            null,
            null,
            accountKey,
            sas,
            accountKey == null && sas == null ? "tenant" : null,
            accountKey == null && sas == null ? "client" : null,
            accountKey == null && sas == null ? "secret" : null,
            null,
            directoryAccess),
        ROOT);
  }

  private static Map<String, String> query(String sas) {
    Map<String, String> m = new LinkedHashMap<>();
    for (String p : sas.split("&")) {
      int eq = p.indexOf('=');
      m.put(p.substring(0, eq), URLDecoder.decode(p.substring(eq + 1), StandardCharsets.UTF_8));
    }
    return m;
  }

  private static String hmac(String base64Key, String text) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(Base64.getDecoder().decode(base64Key), "HmacSHA256"));
    return Base64.getEncoder().encodeToString(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void anAccountKeySasCoversOneDirectoryForReadingAndListing() throws Exception {
    AzureStorage a = storage(KEY, null, true);
    OffsetDateTime expiry = OffsetDateTime.of(2026, 12, 4, 18, 0, 0, 0, ZoneOffset.UTC);
    List<String> signed = new ArrayList<>();
    String sas = a.directorySas(BlobPath.parse(ROOT + "/"), expiry, null, signed::add);
    Map<String, String> q = query(sas);
    assertThat(q)
        .containsEntry("sr", "d")
        .containsEntry("sdd", "2")
        .containsEntry("sp", "rl")
        .containsEntry("spr", "https")
        .containsEntry("se", "2026-12-04T18:00:00Z")
        .doesNotContainKeys("skoid", "st", "sip");
    assertThat(signed).hasSize(1);
    String[] fields = signed.get(0).split("\n", -1);
    assertThat(fields[0]).isEqualTo("rl");
    assertThat(fields[2]).isEqualTo("2026-12-04T18:00:00Z");
    assertThat(fields[3]).isEqualTo("/blob/acct/lake/warehouse/sales");
    assertThat(signed.get(0)).contains("\nhttps\n" + q.get("sv") + "\nd\n");
    assertThat(q.get("sig")).isEqualTo(hmac(KEY, signed.get(0)));
  }

  @Test
  void aServicePrincipalSignsWithAUserDelegationKey() throws Exception {
    AzureStorage a = storage(null, null, true);
    OffsetDateTime expiry = OffsetDateTime.of(2026, 12, 5, 0, 0, 0, 0, ZoneOffset.UTC);
    UserDelegationKey key =
        new UserDelegationKey()
            .setSignedObjectId("oid-1")
            .setSignedTenantId("tid-1")
            .setSignedStart(expiry.minusDays(6))
            .setSignedExpiry(expiry.plusDays(1))
            .setSignedService("b")
            .setSignedVersion("2025-01-05")
            .setValue(KEY);
    List<String> signed = new ArrayList<>();
    String sas = a.directorySas(BlobPath.parse(ROOT + "/_delta_log"), expiry, key, signed::add);
    Map<String, String> q = query(sas);
    assertThat(q)
        .containsEntry("sr", "d")
        .containsEntry("sdd", "3")
        .containsEntry("sp", "rl")
        .containsEntry("skoid", "oid-1")
        .containsEntry("sktid", "tid-1");
    assertThat(signed.get(0).split("\n", -1)[3])
        .isEqualTo("/blob/acct/lake/warehouse/sales/_delta_log");
    assertThat(q.get("sig")).isEqualTo(hmac(KEY, signed.get(0)));
  }

  @Test
  void credentialsLastTheValidityUpToSevenDays() {
    AzureStorage a = storage(KEY, null, true);
    long now = System.currentTimeMillis();
    TemporaryCredentials c = a.temporaryCredentials(ROOT, Duration.ofHours(1));
    assertThat(c.location()).isEqualTo(ROOT);
    assertThat(c.azure().sasToken()).contains("sr=d").contains("sp=rl");
    assertThat(c.expirationTime()).isBetween(now + 3_590_000, now + 3_610_000);
    TemporaryCredentials capped = a.temporaryCredentials(ROOT, Duration.ofDays(30));
    assertThat(capped.expirationTime())
        .isBetween(
            now + Duration.ofDays(7).toMillis() - 10_000,
            now + Duration.ofDays(7).toMillis() + 10_000);
  }

  @Test
  void onlyHierarchicalLocationsOfEntriesThatCanSignAndOptedIn() {
    assertThat(storage(KEY, null, true).vendsCredentials(ROOT)).isTrue();
    assertThat(storage(null, null, true).vendsCredentials(ROOT)).isTrue();
    // a flat (blob) account location: a SAS could cover the container, not a directory
    assertThat(
            storage(KEY, null, true).vendsCredentials("wasbs://lake@acct.blob.core.windows.net/t"))
        .isFalse();
    assertThat(storage(KEY, null, false).vendsCredentials(ROOT)).isFalse();
    assertThat(storage(null, "sv=2024-01-01&sig=x", true).vendsCredentials(ROOT)).isFalse();
    AzureStorage a = storage(KEY, null, true);
    assertThatThrownBy(
            () ->
                a.directorySas(
                    BlobPath.parse("abfss://lake@acct.dfs.core.windows.net/"),
                    OffsetDateTime.now(ZoneOffset.UTC).plusHours(1),
                    null,
                    null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("root of a container");
  }
}
