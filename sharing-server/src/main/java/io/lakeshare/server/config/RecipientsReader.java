package io.lakeshare.server.config;

import io.lakeshare.server.auth.TokenHash;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * Reads the {@code recipients} list: each a name, a token ({@code tokenHash}, or {@code token}
 * given in the clear or as {@code ${env:NAME}} and hashed at once), an optional {@code expiresAt},
 * grants that name existing shares, schemas and tables, and properties.
 */
final class RecipientsReader {
  /** The recipient of the reference format's {@code authorization.bearerToken}. */
  static final String BEARER_TOKEN_RECIPIENT = "default";

  static final int MIN_TOKEN_LENGTH = 16;

  private final Consumer<String> onUnknownKey;
  private final UnaryOperator<String> environment;

  RecipientsReader(Consumer<String> onUnknownKey, UnaryOperator<String> environment) {
    this.onUnknownKey = onUnknownKey;
    this.environment = environment;
  }

  List<RecipientConfig> read(
      List<YamlSection> sections,
      List<ShareConfig> shares,
      boolean bearerTokenConfigured,
      List<TokenIssuerConfig> issuers) {
    List<RecipientConfig> out = new ArrayList<>();
    Map<String, String> names = new HashMap<>();
    Map<String, String> identities = new HashMap<>();
    for (YamlSection s : sections) {
      String name = s.string("name");
      if (name == null || name.isBlank()) {
        throw s.error("'name' in a recipient must be provided");
      }
      String problem = NameRules.problem(name, false);
      if (problem != null) {
        throw s.error("'name' of a recipient is invalid: " + problem);
      }
      s.relabel("recipient '" + NameRules.display(name) + "'");
      String key = name.toLowerCase(Locale.ROOT);
      if (names.putIfAbsent(key, name) != null) {
        throw s.error("the name '" + name + "' is used by another recipient");
      }
      if (bearerTokenConfigured && key.equals(BEARER_TOKEN_RECIPIENT)) {
        throw s.error(
            "'"
                + BEARER_TOKEN_RECIPIENT
                + "' is the recipient of 'authorization' > 'bearerToken'; choose another name");
      }
      RecipientConfig r = readOne(s, name, shares, issuers);
      if (r.federation() != null) {
        String id =
            r.federation().issuer().toLowerCase(Locale.ROOT) + "\n" + r.federation().subject();
        String other = identities.putIfAbsent(id, name);
        if (other != null) {
          throw s.error("its 'federation' identity is already recipient '" + other + "''s");
        }
      }
      out.add(r);
    }
    return out;
  }

  private RecipientConfig readOne(
      YamlSection s, String name, List<ShareConfig> shares, List<TokenIssuerConfig> issuers) {
    FederationConfig federation = null;
    YamlSection f = s.section("federation");
    if (f != null) {
      String issuer = f.string("issuer");
      String subject = f.string("subject");
      if (issuer == null || subject == null || subject.isBlank()) {
        throw f.error("'federation' needs 'issuer' (a name from 'tokenIssuers') and 'subject'");
      }
      TokenIssuerConfig known =
          issuers.stream()
              .filter(i -> i.name().equalsIgnoreCase(issuer.trim()))
              .findFirst()
              .orElseThrow(
                  () ->
                      f.error(
                          "'issuer' names '"
                              + NameRules.display(issuer)
                              + "', which is not in 'tokenIssuers'"));
      f.reportUnknownKeys(onUnknownKey);
      federation = new FederationConfig(known.name(), subject.trim());
    }
    String hash = s.string("tokenHash");
    String token = s.stringWithEnvironment("token", environment);
    if (hash != null && token != null || hash == null && token == null && federation == null) {
      throw s.error(
          "give exactly one of 'token' and 'tokenHash' (or only 'federation' to accept tokens"
              + " from an identity provider alone)");
    }
    if (token != null) {
      if (token.length() < MIN_TOKEN_LENGTH) {
        throw s.error("'token' must be at least " + MIN_TOKEN_LENGTH + " characters");
      }
      hash = TokenHash.of(token);
    } else if (hash != null) {
      try {
        TokenHash.parse(hash.trim());
      } catch (IllegalArgumentException e) {
        throw s.error("'tokenHash' is malformed: " + e.getMessage());
      }
      hash = hash.trim();
    }
    Instant expiresAt = instant(s, "expiresAt");
    List<GrantConfig> grants = new ArrayList<>();
    for (YamlSection g : s.list("grants", "grant")) {
      grants.add(readGrant(g, shares));
    }
    Map<String, String> properties = s.stringMap("properties");
    List<String> allowedIps = s.stringList("allowedIps");
    for (String ip : allowedIps) {
      String problem = AddressRanges.problem(ip);
      if (problem != null) {
        throw s.error("'allowedIps' has '" + NameRules.display(ip) + "': " + problem);
      }
    }
    String previous = s.string("previousTokenHash");
    Instant previousUntil = null;
    if (previous != null) {
      try {
        TokenHash.parse(previous.trim());
      } catch (IllegalArgumentException e) {
        throw s.error("'previousTokenHash' is malformed: " + e.getMessage());
      }
      previous = previous.trim();
      previousUntil = instant(s, "previousTokenExpiresAt");
      if (previousUntil == null) {
        throw s.error("'previousTokenHash' needs 'previousTokenExpiresAt', the end of its grace");
      }
    }
    s.reportUnknownKeys(onUnknownKey);
    return new RecipientConfig(
        name, hash, expiresAt, grants, properties, allowedIps, federation, previous, previousUntil);
  }

  /** An RFC 3339 timestamp under {@code key}, or null when absent. */
  private static Instant instant(YamlSection s, String key) {
    String text = s.string(key);
    if (text == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse(text.trim()).toInstant();
    } catch (DateTimeParseException e) {
      throw s.error(
          "'"
              + key
              + "' must be an RFC 3339 timestamp such as 2027-01-31T00:00:00Z, got '"
              + NameRules.display(text)
              + "'");
    }
  }

  private GrantConfig readGrant(YamlSection g, List<ShareConfig> shares) {
    String shareName = g.string("share");
    if (shareName == null || shareName.isBlank()) {
      throw g.error("'share' in a grant must be provided");
    }
    ShareConfig share =
        shares.stream()
            .filter(x -> x.name().equalsIgnoreCase(shareName.trim()))
            .findFirst()
            .orElseThrow(
                () -> g.error("'share' names '" + NameRules.display(shareName) + "', not a share"));
    List<String> schemas = g.stringList("schemas");
    for (String schema : schemas) {
      if (findSchema(share, schema) == null) {
        throw g.error(
            "'schemas' names '"
                + NameRules.display(schema)
                + "', not a schema of share '"
                + share.name()
                + "'");
      }
    }
    List<String> tables = g.stringList("tables");
    for (String t : tables) {
      int dot = t.indexOf('.');
      SchemaConfig schema = dot <= 0 ? null : findSchema(share, t.substring(0, dot));
      boolean found =
          schema != null
              && schema.tables().stream()
                  .anyMatch(x -> x.name().equalsIgnoreCase(t.substring(dot + 1)));
      if (!found) {
        throw g.error(
            "'tables' names '"
                + NameRules.display(t)
                + "', not a table of share '"
                + share.name()
                + "' (write schema.table)");
      }
    }
    g.reportUnknownKeys(onUnknownKey);
    return new GrantConfig(share.name(), schemas, tables);
  }

  private static SchemaConfig findSchema(ShareConfig share, String name) {
    for (SchemaConfig s : share.schemas()) {
      if (s.name().equalsIgnoreCase(name.trim())) {
        return s;
      }
    }
    return null;
  }
}
