package io.lakeshare.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lakeshare.server.auth.TokenHash;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RecipientsConfigTest {
  private static final String SHARES =
      """
      version: 1
      shares:
      - name: s1
        schemas:
        - name: a
          tables:
          - {name: t1, location: /tmp/t1}
          - {name: t2, location: /tmp/t2}
        - name: b
          tables:
          - {name: t3, location: /tmp/t3}
      - name: s2
        schemas:
        - name: c
          tables:
          - {name: t4, location: /tmp/t4}
      """;

  private static final Map<String, String> ENV = Map.of("ALICE_TOKEN", "alice-token-0123456789");

  private static ServerConfig parse(String yaml, List<String> unknown) {
    return ConfigLoader.parse(SHARES + yaml, "test.yaml", unknown::add, ENV::get);
  }

  private static String errorOf(String recipients) {
    try {
      parse(recipients, new ArrayList<>());
    } catch (ConfigException e) {
      return e.getMessage();
    }
    throw new AssertionError("expected a ConfigException for:\n" + recipients);
  }

  @Test
  void recipientsAreReadWithHashedTokensGrantsAndProperties() throws Exception {
    String bobHash = TokenHash.of("bob-token-0123456789");
    List<String> unknown = new ArrayList<>();
    ServerConfig c =
        parse(
            "recipients:\n"
                + "- name: alice\n"
                + "  token: ${env:ALICE_TOKEN}\n"
                + "  expiresAt: 2027-01-31T00:00:00+01:00\n"
                + "  grants:\n"
                + "  - share: S1\n"
                + "  properties: {country: DE, tier: 2}\n"
                + "- name: bob\n"
                + "  tokenHash: '"
                + bobHash
                + "'\n"
                + "  grants:\n"
                + "  - {share: s1, schemas: [b], tables: [a.t2]}\n"
                + "  - {share: s2, tables: [C.T4]}\n"
                + "  colour: blue\n",
            unknown);
    assertThat(c.recipients()).hasSize(2);
    RecipientConfig alice = c.recipients().get(0);
    assertThat(alice.name()).isEqualTo("alice");
    assertThat(alice.expiresAt()).isEqualTo(Instant.parse("2027-01-30T23:00:00Z"));
    assertThat(alice.grants()).containsExactly(new GrantConfig("s1", List.of(), List.of()));
    assertThat(alice.properties()).containsEntry("country", "DE").containsEntry("tier", "2");
    // only the salted hash of the token from the environment is kept
    TokenHash.Parsed p = TokenHash.parse(alice.tokenHash());
    assertThat(
            MessageDigest.isEqual(p.digest(), TokenHash.digest(p.salt(), "alice-token-0123456789")))
        .isTrue();
    assertThat(c.toString()).doesNotContain("alice-token").doesNotContain(alice.tokenHash());
    RecipientConfig bob = c.recipients().get(1);
    assertThat(bob.tokenHash()).isEqualTo(bobHash);
    assertThat(bob.expiresAt()).isNull();
    assertThat(bob.grants())
        .containsExactly(
            new GrantConfig("s1", List.of("b"), List.of("a.t2")),
            new GrantConfig("s2", List.of(), List.of("C.T4")));
    assertThat(unknown).containsExactly("recipient 'bob' > colour");
  }

  @Test
  void twoHashesOfOneTokenDifferBySalt() {
    assertThat(TokenHash.of("same-token-0123456789"))
        .isNotEqualTo(TokenHash.of("same-token-0123456789"));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "- {token: abcdefghijklmnop} | 'name' in a recipient must be provided",
        "- {name: 'a b', token: abcdefghijklmnop} | contains a space",
        "- {name: x} | give exactly one of 'token' and 'tokenHash'",
        "- {name: x, token: abcdefghijklmnop, tokenHash: 'sha256:x:y'}"
            + " | give exactly one of 'token' and 'tokenHash'",
        "- {name: x, token: short} | 'token' must be at least 16 characters",
        "- {name: x, token: '${env:NOPE}'} | environment variable NOPE, which is not set",
        "- {name: x, tokenHash: 'md5:abc'} | 'tokenHash' is malformed: it must start with 'sha256:'",
        "- {name: x, tokenHash: 'sha256:AAAAAAAAAAA:AAAA'} | its digest must be 32 bytes",
        "- {name: x, tokenHash: 'sha256:!!:AAAA'} | must be base64url",
        "- {name: x, token: abcdefghijklmnop, expiresAt: tomorrow}"
            + " | 'expiresAt' must be an RFC 3339 timestamp",
        "- {name: x, token: abcdefghijklmnop}\\n- {name: X, token: abcdefghijklmnoq}"
            + " | the name 'X' is used by another recipient",
        "- {name: x, token: abcdefghijklmnop, grants: [{share: s9}]}"
            + " | 'share' names 's9', not a share",
        "- {name: x, token: abcdefghijklmnop, grants: [{schemas: [a]}]}"
            + " | 'share' in a grant must be provided",
        "- {name: x, token: abcdefghijklmnop, grants: [{share: s1, schemas: [c]}]}"
            + " | 'schemas' names 'c', not a schema of share 's1'",
        "- {name: x, token: abcdefghijklmnop, grants: [{share: s1, tables: [t1]}]}"
            + " | 'tables' names 't1', not a table of share 's1' (write schema.table)",
        "- {name: x, token: abcdefghijklmnop, grants: [{share: s2, tables: [a.t1]}]}"
            + " | 'tables' names 'a.t1', not a table of share 's2'",
        "- {name: x, token: abcdefghijklmnop, properties: {a: [1]}}"
            + " | 'properties' > 'a' must be a string",
        "- {name: x, token: abcdefghijklmnop, allowedIps: [example.com]} | no host names",
        "- {name: x, token: abcdefghijklmnop, allowedIps: [10.0.0/8]} | four parts",
        "- {name: x, token: abcdefghijklmnop, allowedIps: [10.0.0.0/33]} | prefix length",
        "- {name: x, token: abcdefghijklmnop, allowedIps: ['2001:db8::/129']} | prefix length",
      })
  void badRecipientsAreRefusedSayingWhere(String recipients, String expected) {
    String message = errorOf("recipients:\n" + recipients.replace("\\n", "\n") + "\n");
    assertThat(message).startsWith("test.yaml: recipient ").contains(expected);
    assertThat(message).doesNotContain("abcdefghijklmnop");
  }

  @Test
  void tokenIssuersAndFederatedRecipientsAreRead() {
    ServerConfig c =
        parse(
            "tokenIssuers:\n- {name: idp, issuer: 'https://idp.example', jwksUrl:"
                + " 'https://idp.example/keys', audience: lakeshare, recipientClaim: azp}\n"
                + "recipients:\n- {name: x, federation: {issuer: IDP, subject: client-1},"
                + " grants: [{share: s1}]}\n",
            new ArrayList<>());
    assertThat(c.tokenIssuers())
        .containsExactly(
            new TokenIssuerConfig(
                "idp",
                "https://idp.example",
                "https://idp.example/keys",
                "lakeshare",
                "azp",
                60,
                30));
    RecipientConfig x = c.recipients().get(0);
    assertThat(x.tokenHash()).isNull();
    assertThat(x.federation()).isEqualTo(new FederationConfig("idp", "client-1"));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "tokenIssuers: [{name: a, issuer: i, audience: x}] | 'jwksUrl' must be the http(s) URL",
        "tokenIssuers: [{name: a, issuer: i, jwksUrl: 'ftp://h/k', audience: x}]"
            + " | 'jwksUrl' must be the http(s) URL",
        "tokenIssuers: [{name: a, jwksUrl: 'https://h/k', audience: x}]"
            + " | 'issuer' and 'audience' must be provided",
        "recipients: [{name: r, federation: {issuer: nope, subject: s}}]"
            + " | 'issuer' names 'nope', which is not in 'tokenIssuers'",
        "tokenIssuers: [{name: a, issuer: i, jwksUrl: 'https://h/k', audience: x}]\\n"
            + "recipients: [{name: r, federation: {issuer: a, subject: s}},"
            + " {name: q, federation: {issuer: A, subject: s}}]"
            + " | its 'federation' identity is already recipient 'r''s",
      })
  void badFederationIsRefused(String yaml, String expected) {
    assertThat(errorOf(yaml.replace("\\n", "\n") + "\n")).contains(expected);
  }

  @Test
  void addressRangesAreRead() {
    ServerConfig c =
        parse(
            "trustedProxies: [10.0.0.0/8, 'fd00::/8']\nrecipients:\n- {name: x, token:"
                + " abcdefghijklmnop, allowedIps: [192.0.2.0/24, 198.51.100.7, '2001:db8::/32']}\n",
            new ArrayList<>());
    assertThat(c.trustedProxies()).containsExactly("10.0.0.0/8", "fd00::/8");
    assertThat(c.recipients().get(0).allowedIps())
        .containsExactly("192.0.2.0/24", "198.51.100.7", "2001:db8::/32");
    assertThat(errorOf("trustedProxies: [proxy.internal]\n"))
        .contains("'trustedProxies' has 'proxy.internal'");
  }

  @Test
  void theBearerTokenRecipientsNameIsReserved() {
    assertThat(
            errorOf(
                "authorization: {bearerToken: admin-token}\n"
                    + "recipients:\n- {name: Default, token: abcdefghijklmnop}\n"))
        .contains("'default' is the recipient of 'authorization' > 'bearerToken'");
    // without a bearer token the name is free
    assertThat(
            parse("recipients:\n- {name: default, token: abcdefghijklmnop}\n", new ArrayList<>())
                .recipients())
        .hasSize(1);
  }

  private static final String FILTERED =
      """
      version: 1
      shares:
      - name: s1
        schemas:
        - name: a
          tables:
          - {name: t1, location: /tmp/t1, partitionFilter: "country = '${recipient.country}'"}
          - {name: t2, location: /tmp/t2, partitionFilter: "day >= '2024-01-01'"}
      - name: s2
        schemas:
        - name: c
          tables:
          - {name: t4, location: /tmp/t4}
      """;

  private static String filteredError(String rest) {
    try {
      ConfigLoader.parse(FILTERED + rest, "test.yaml", k -> {}, ENV::get);
    } catch (ConfigException e) {
      return e.getMessage();
    }
    throw new AssertionError("expected a ConfigException for:\n" + rest);
  }

  @Test
  void partitionFiltersAreReadAndTemplatesChecked() {
    ServerConfig c =
        ConfigLoader.parse(
            FILTERED
                + "recipients:\n"
                + "- {name: de, token: abcdefghijklmnop, grants: [{share: s1}],"
                + " properties: {country: DE}}\n"
                // not granted the templated table, so it needs no country
                + "- {name: other, token: abcdefghijklmnoq, grants: [{share: s2}]}\n",
            "test.yaml",
            k -> {},
            ENV::get);
    TableConfig t1 = c.shares().get(0).schemas().get(0).tables().get(0);
    assertThat(t1.partitionFilter()).isEqualTo("country = '${recipient.country}'");
    assertThat(PartitionFilterTemplate.render(t1.partitionFilter(), "de", Map.of("country", "DE")))
        .isEqualTo("country = 'DE'");
    assertThat(PartitionFilterTemplate.render("n = '${recipient.name}'", "de", Map.of()))
        .isEqualTo("n = 'de'");
  }

  @Test
  void templatesNeedNamedRecipientsWithTheirValues() {
    assertThat(filteredError("authorization: {bearerToken: admin-token}\n"))
        .contains("table 's1.a.t1' has a partitionFilter with placeholders")
        .contains("'authorization' > 'bearerToken'");
    assertThat(filteredError(""))
        .contains("table 's1.a.t1' has a partitionFilter with placeholders")
        .contains("open server");
    assertThat(
            filteredError(
                "recipients:\n- {name: de, token: abcdefghijklmnop, grants: [{share: s1}]}\n"))
        .contains("recipient 'de': the partitionFilter of table 's1.a.t1'")
        .contains("uses ${recipient.country}, which recipient 'de' has no value for");
    assertThat(
            filteredError(
                "recipients:\n- {name: de, token: abcdefghijklmnop,"
                    + " grants: [{share: s1, tables: [a.t1]}], properties: {country: \"D'E\"}}\n"))
        .contains("contains a quote or backslash");
    String bad =
        FILTERED.replace("${recipient.country}", "${country}")
            + "recipients:\n- {name: de, token: abcdefghijklmnop, grants: [{share: s1}]}\n";
    assertThatThrownBy(() -> ConfigLoader.parse(bad, "test.yaml", k -> {}, ENV::get))
        .hasMessageContaining("'partitionFilter' has the placeholder '${country}'");
  }
}
