package io.lakeshare.server.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the server's YAML configuration. Accepts the reference Delta Sharing server's file
 * unchanged (same keys, same defaults); unknown keys are ignored with a warning; every problem is a
 * {@link ConfigException} that names the key and the share, schema or table it belongs to. Stricter
 * than the reference: names follow the protocol's rules, names differing only by case and repeated
 * YAML keys are refused, and a table without {@code id} gets a stable derived one instead of
 * breaking table listings.
 */
public final class ConfigLoader {
  private static final Logger LOG = LoggerFactory.getLogger(ConfigLoader.class);

  private static final int CURRENT_VERSION = 1;
  private static final String DEFAULT_HOST = "localhost";
  private static final int DEFAULT_PORT = 80;
  private static final String DEFAULT_ENDPOINT = "/delta-sharing";
  private static final long DEFAULT_PRESIGNED_URL_TIMEOUT_SECONDS = 3600;
  private static final long DEFAULT_TEMPORARY_CREDENTIAL_VALIDITY_SECONDS = 3600;
  private static final int DEFAULT_DELTA_TABLE_CACHE_SIZE = 10;
  private static final long DEFAULT_REQUEST_TIMEOUT_SECONDS = 30;
  private static final int DEFAULT_QUERY_TABLE_PAGE_SIZE_LIMIT = 10_000;
  private static final long DEFAULT_QUERY_TABLE_PAGE_TOKEN_TTL_MS = 259_200_000L; // 3 days
  private static final long DEFAULT_REFRESH_TOKEN_TTL_MS = 3_600_000L; // 1 hour

  /** 256 bits, the HMAC-SHA256 block-size guidance; shorter keys are guessable offline. */
  private static final int MIN_FILE_SIGNING_KEY_BYTES = 32;

  // A repeated key would otherwise silently win over the first, e.g. a second 'tables:'
  // dropping the tables listed under the first.
  private static final YAMLMapper MAPPER =
      YAMLMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

  private ConfigLoader() {}

  /**
   * Reads and validates the configuration file, which must be named {@code *.yaml} or {@code
   * *.yml}.
   */
  public static ServerConfig load(Path file) {
    Path fileName = file.getFileName();
    String lowerName = fileName == null ? "" : fileName.toString().toLowerCase(Locale.ROOT);
    if (!lowerName.endsWith(".yaml") && !lowerName.endsWith(".yml")) {
      throw new ConfigException("The server config file must be a yml or yaml file: " + file);
    }
    String yaml;
    try {
      yaml = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new ConfigException("The server config file " + file + " does not exist", e);
    } catch (IOException e) {
      throw new ConfigException("Cannot read the server config file " + file + ": " + e, e);
    }
    return parse(yaml, file.toString());
  }

  /** Parses and validates configuration text; {@code sourceName} prefixes every error message. */
  public static ServerConfig parse(String yaml, String sourceName) {
    return parse(
        yaml,
        sourceName,
        path -> LOG.warn("Ignoring unknown key '{}' in server config {}", path, sourceName));
  }

  /** As {@link #parse(String, String)}, handing each unknown key's path to {@code onUnknownKey}. */
  static ServerConfig parse(String yaml, String sourceName, Consumer<String> onUnknownKey) {
    return parse(yaml, sourceName, onUnknownKey, System::getenv);
  }

  /** As above, resolving {@code ${env:NAME}} in storage settings through {@code environment}. */
  static ServerConfig parse(
      String yaml,
      String sourceName,
      Consumer<String> onUnknownKey,
      UnaryOperator<String> environment) {
    JsonNode tree;
    try {
      tree = MAPPER.readTree(yaml);
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      String position =
          at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
      throw new ConfigException(
          sourceName + ": invalid YAML" + position + ": " + yamlProblem(e), e);
    }
    if (tree == null || tree.isMissingNode() || tree.isNull()) {
      tree = JsonNodeFactory.instance.objectNode();
    }
    if (!tree.isObject()) {
      throw new ConfigException(
          sourceName + ": the server config must be a mapping of keys to values");
    }
    ServerConfig config =
        read(new YamlSection(sourceName, (ObjectNode) tree), onUnknownKey, environment);
    if (config.open()) {
      LOG.warn(
          "Server config {} has no 'authorization': any client can read every share", sourceName);
    }
    return config;
  }

  /**
   * What is wrong with unparsable YAML, without the parser's quote of the line (which may hold a
   * token or a storage secret).
   */
  static String yamlProblem(JsonProcessingException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof org.yaml.snakeyaml.error.MarkedYAMLException m && m.getProblem() != null) {
        return m.getProblem();
      }
    }
    String message = e.getOriginalMessage();
    int newline = message == null ? -1 : message.indexOf('\n');
    return newline < 0 ? String.valueOf(message) : message.substring(0, newline);
  }

  private static ServerConfig read(
      YamlSection root, Consumer<String> onUnknownKey, UnaryOperator<String> environment) {
    int version = readVersion(root);
    List<ShareConfig> shares = new SharesReader(onUnknownKey).read(root.list("shares", "share"));
    List<StorageConfig> storage =
        new StorageReader(onUnknownKey, environment).read(root.list("storage", "storage entry"));
    checkStorageReferences(root, shares, storage);
    AuthorizationConfig authorization =
        readAuthorization(root.section("authorization"), onUnknownKey);
    SslConfig ssl = readSsl(root.section("ssl"), onUnknownKey);
    List<TokenIssuerConfig> tokenIssuers =
        readTokenIssuers(root.list("tokenIssuers", "token issuer"), onUnknownKey);
    List<RecipientConfig> recipients =
        new RecipientsReader(onUnknownKey, environment)
            .read(
                root.list("recipients", "recipient"), shares, authorization != null, tokenIssuers);
    String recipientsFile = root.string("recipientsFile");
    if (recipientsFile != null) {
      if (!recipients.isEmpty()) {
        throw root.error("give recipients either in 'recipients' or in 'recipientsFile', not both");
      }
      Path base = Path.of(root.source()).toAbsolutePath().getParent();
      Path file = base == null ? Path.of(recipientsFile) : base.resolve(recipientsFile);
      recipientsFile = file.toAbsolutePath().normalize().toString();
      recipients =
          readRecipientsFile(
              Path.of(recipientsFile),
              shares,
              authorization != null,
              tokenIssuers,
              onUnknownKey,
              environment);
    }
    String host = orDefault(root.string("host"), DEFAULT_HOST);
    if (host.isBlank() || host.chars().anyMatch(Character::isWhitespace)) {
      throw root.error(
          "'host' must be a host name or IP address, got '" + NameRules.display(host) + "'");
    }
    int port = orDefault(root.integer("port"), DEFAULT_PORT);
    if (port < 0 || port > 65535) {
      throw root.error("'port' must be between 0 and 65535, got " + port);
    }
    String endpoint = normalizeEndpoint(root, orDefault(root.string("endpoint"), DEFAULT_ENDPOINT));
    long preSignedUrlTimeoutSeconds =
        positive(root, "preSignedUrlTimeoutSeconds", DEFAULT_PRESIGNED_URL_TIMEOUT_SECONDS);
    long credentialSeconds =
        orDefault(
            root.longValue("temporaryCredentialValiditySeconds"),
            DEFAULT_TEMPORARY_CREDENTIAL_VALIDITY_SECONDS);
    if (credentialSeconds <= 0) {
      // The reference server does the same rather than refusing to start.
      LOG.warn(
          "'temporaryCredentialValiditySeconds' is {}; using {} instead",
          credentialSeconds,
          DEFAULT_TEMPORARY_CREDENTIAL_VALIDITY_SECONDS);
      credentialSeconds = DEFAULT_TEMPORARY_CREDENTIAL_VALIDITY_SECONDS;
    }
    int deltaTableCacheSize =
        orDefault(root.integer("deltaTableCacheSize"), DEFAULT_DELTA_TABLE_CACHE_SIZE);
    if (deltaTableCacheSize < 0) {
      throw root.error("'deltaTableCacheSize' must not be negative, got " + deltaTableCacheSize);
    }
    boolean stalenessAcceptable = orDefault(root.bool("stalenessAcceptable"), false);
    boolean evaluatePredicateHints = orDefault(root.bool("evaluatePredicateHints"), false);
    boolean evaluateJsonPredicateHints = orDefault(root.bool("evaluateJsonPredicateHints"), true);
    boolean evaluateJsonPredicateHintsV2 =
        orDefault(root.bool("evaluateJsonPredicateHintsV2"), true);
    long requestTimeoutSeconds =
        orDefault(root.longValue("requestTimeoutSeconds"), DEFAULT_REQUEST_TIMEOUT_SECONDS);
    if (requestTimeoutSeconds < 0) {
      throw root.error(
          "'requestTimeoutSeconds' must not be negative (0 means no timeout), got "
              + requestTimeoutSeconds);
    }
    int pageSizeLimit =
        orDefault(root.integer("queryTablePageSizeLimit"), DEFAULT_QUERY_TABLE_PAGE_SIZE_LIMIT);
    if (pageSizeLimit <= 0) {
      throw root.error("'queryTablePageSizeLimit' must be greater than 0, got " + pageSizeLimit);
    }
    // 0 is allowed as in the reference server: every token is then expired at once.
    long pageTokenTtlMs =
        nonNegative(root, "queryTablePageTokenTtlMs", DEFAULT_QUERY_TABLE_PAGE_TOKEN_TTL_MS);
    long refreshTokenTtlMs = nonNegative(root, "refreshTokenTtlMs", DEFAULT_REFRESH_TOKEN_TTL_MS);
    String fileSigningKey = readFileSigningKey(root);
    String publicBaseUrl = readPublicBaseUrl(root);
    List<String> trustedProxies = root.stringList("trustedProxies");
    for (String p : trustedProxies) {
      String problem = AddressRanges.problem(p);
      if (problem != null) {
        throw root.error("'trustedProxies' has '" + NameRules.display(p) + "': " + problem);
      }
    }
    OpsConfig ops = readOps(root, onUnknownKey);
    root.reportUnknownKeys(onUnknownKey);

    ServerConfig config =
        new ServerConfig(
            version,
            shares,
            authorization,
            ssl,
            host,
            port,
            endpoint,
            preSignedUrlTimeoutSeconds,
            credentialSeconds,
            deltaTableCacheSize,
            stalenessAcceptable,
            evaluatePredicateHints,
            evaluateJsonPredicateHints,
            evaluateJsonPredicateHintsV2,
            requestTimeoutSeconds,
            pageSizeLimit,
            pageTokenTtlMs,
            refreshTokenTtlMs,
            fileSigningKey,
            publicBaseUrl,
            storage,
            recipients,
            trustedProxies,
            tokenIssuers,
            recipientsFile,
            ops);
    checkFilterTemplates(root, shares, config.recipients(), authorization != null, config.open());
    return config;
  }

  /**
   * The configuration with its {@code recipientsFile} read again, checked as at start.
   *
   * @throws ConfigException when the file cannot be read or is invalid (the caller keeps the old)
   */
  public static ServerConfig reloadRecipients(ServerConfig config) {
    if (config.recipientsFile() == null) {
      return config;
    }
    List<RecipientConfig> recipients =
        readRecipientsFile(
            Path.of(config.recipientsFile()),
            config.shares(),
            config.authorization() != null,
            config.tokenIssuers(),
            path -> LOG.warn("Ignoring unknown key '{}' in {}", path, config.recipientsFile()),
            System::getenv);
    return config.withRecipients(recipients);
  }

  private static List<RecipientConfig> readRecipientsFile(
      Path file,
      List<ShareConfig> shares,
      boolean bearerToken,
      List<TokenIssuerConfig> issuers,
      Consumer<String> onUnknownKey,
      UnaryOperator<String> environment) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ConfigException("Cannot read the recipients file " + file + ": " + e, e);
    }
    JsonNode tree;
    try {
      tree = MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      // position only: the parser's message quotes the line, which may hold a token
      JsonLocation at = e.getLocation();
      throw new ConfigException(
          file
              + ": invalid YAML"
              + (at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr()));
    }
    if (tree == null || tree.isMissingNode() || tree.isNull()) {
      tree = JsonNodeFactory.instance.objectNode();
    }
    if (!tree.isObject()) {
      throw new ConfigException(file + ": the recipients file must be a mapping with 'recipients'");
    }
    YamlSection root = new YamlSection(file.toString(), (ObjectNode) tree);
    List<RecipientConfig> recipients =
        new RecipientsReader(onUnknownKey, environment)
            .read(root.list("recipients", "recipient"), shares, bearerToken, issuers);
    root.reportUnknownKeys(onUnknownKey);
    checkFilterTemplates(root, shares, recipients, bearerToken, false);
    return recipients;
  }

  private static List<TokenIssuerConfig> readTokenIssuers(
      List<YamlSection> sections, Consumer<String> onUnknownKey) {
    List<TokenIssuerConfig> out = new ArrayList<>();
    for (YamlSection s : sections) {
      String name = s.string("name");
      if (name == null || name.isBlank()) {
        throw s.error("'name' in a token issuer must be provided");
      }
      s.relabel("token issuer '" + NameRules.display(name) + "'");
      if (out.stream().anyMatch(i -> i.name().equalsIgnoreCase(name.trim()))) {
        throw s.error("the name '" + name + "' is used by another token issuer");
      }
      String issuer = s.string("issuer");
      String audience = s.string("audience");
      String jwks = s.string("jwksUrl");
      if (issuer == null || issuer.isBlank() || audience == null || audience.isBlank()) {
        throw s.error("'issuer' and 'audience' must be provided");
      }
      if (jwks == null
          || !(jwks.startsWith("https://") || jwks.startsWith("http://"))
          || !isUri(jwks)) {
        throw s.error("'jwksUrl' must be the http(s) URL of the issuer's key set");
      }
      String claim = orDefault(s.string("recipientClaim"), "sub");
      long skew = orDefault(s.longValue("clockSkewSeconds"), 60L);
      long refresh = orDefault(s.longValue("jwksMinRefreshSeconds"), 30L);
      if (skew < 0 || refresh < 0) {
        throw s.error("'clockSkewSeconds' and 'jwksMinRefreshSeconds' must not be negative");
      }
      s.reportUnknownKeys(onUnknownKey);
      out.add(
          new TokenIssuerConfig(
              name.trim(), issuer.trim(), jwks.trim(), audience.trim(), claim, skew, refresh));
    }
    return out;
  }

  private static boolean isUri(String text) {
    try {
      return java.net.URI.create(text).getHost() != null;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /**
   * A partition filter with placeholders needs a recipient to fill them: the recipient of {@code
   * authorization.bearerToken} (or of an open server) sees every table but has no properties, so
   * such a table can only be shared through named recipients, each of which must fill them.
   */
  private static void checkFilterTemplates(
      YamlSection root,
      List<ShareConfig> shares,
      List<RecipientConfig> recipients,
      boolean bearerToken,
      boolean open) {
    boolean defaultRecipient = bearerToken || open;
    for (ShareConfig share : shares) {
      for (SchemaConfig schema : share.schemas()) {
        for (TableConfig t : schema.tables()) {
          String filter = t.partitionFilter();
          if (!PartitionFilterTemplate.isTemplate(filter)) {
            continue;
          }
          String full = share.name() + "." + schema.name() + "." + t.name();
          if (defaultRecipient) {
            throw root.error(
                "table '"
                    + full
                    + "' has a partitionFilter with placeholders, which the recipient of "
                    + (bearerToken
                        ? "'authorization' > 'bearerToken'"
                        : "an open server (no tokens)")
                    + " sees without any values for them; share it through 'recipients' only");
          }
          for (RecipientConfig r : recipients) {
            boolean granted =
                r.grants().stream().anyMatch(g -> g.covers(share.name(), schema.name(), t.name()));
            if (!granted) {
              continue;
            }
            try {
              PartitionFilterTemplate.render(filter, r.name(), r.properties());
            } catch (IllegalArgumentException e) {
              throw root.error(
                  "recipient '"
                      + r.name()
                      + "': the partitionFilter of table '"
                      + full
                      + "' "
                      + e.getMessage());
            }
          }
        }
      }
    }
  }

  /** Each table's {@code storage} must exist and serve the scheme of the table's location. */
  private static void checkStorageReferences(
      YamlSection root, List<ShareConfig> shares, List<StorageConfig> storage) {
    for (ShareConfig share : shares) {
      for (SchemaConfig schema : share.schemas()) {
        for (TableConfig table : schema.tables()) {
          if (table.storage() == null) {
            continue;
          }
          String where =
              "share '"
                  + share.name()
                  + "' > schema '"
                  + schema.name()
                  + "' > table '"
                  + table.name()
                  + "'";
          StorageConfig found =
              storage.stream()
                  .filter(s -> s.name().equalsIgnoreCase(table.storage()))
                  .findFirst()
                  .orElseThrow(
                      () ->
                          root.error(
                              where
                                  + ": 'storage' names '"
                                  + NameRules.display(table.storage())
                                  + "', which is not an entry of the top-level 'storage' list"));
          String location = table.location().trim();
          int colon = location.indexOf(':');
          String scheme =
              colon > 1 ? location.substring(0, colon).toLowerCase(Locale.ROOT) : "file";
          if (!found.servesScheme(scheme)) {
            throw root.error(
                where
                    + ": storage '"
                    + found.name()
                    + "' is of type "
                    + found.type()
                    + " and cannot serve a '"
                    + scheme
                    + ":' location");
          }
        }
      }
    }
  }

  private static int readVersion(YamlSection root) {
    Integer version = root.integer("version");
    if (version == null) {
      throw root.error("'version' must be provided");
    }
    if (version <= 0) {
      throw root.error("'version' must be greater than 0");
    }
    if (version > CURRENT_VERSION) {
      throw root.error(
          "The 'version' in the server config is "
              + version
              + " which is too new. The current"
              + " release supports version "
              + CURRENT_VERSION
              + " and below. Please upgrade to a"
              + " newer release.");
    }
    return version;
  }

  private static AuthorizationConfig readAuthorization(
      YamlSection section, Consumer<String> onUnknownKey) {
    if (section == null) {
      return null;
    }
    String token = section.string("bearerToken");
    // An empty token would make "Authorization: Bearer " a valid credential.
    if (token == null || token.isBlank()) {
      throw section.error("'bearerToken' in 'authorization' must be provided");
    }
    section.reportUnknownKeys(onUnknownKey);
    return new AuthorizationConfig(token);
  }

  private static OpsConfig readOps(YamlSection root, Consumer<String> onUnknownKey) {
    OpsConfig d = OpsConfig.NONE;
    String auditFile = null;
    int maxSize = d.auditMaxFileSizeMb();
    int maxFiles = d.auditMaxFiles();
    YamlSection audit = root.section("audit");
    if (audit != null) {
      auditFile = audit.string("file");
      if (auditFile == null || auditFile.isBlank()) {
        throw audit.error("'audit' needs 'file', the path of the audit log");
      }
      Path base = Path.of(root.source()).toAbsolutePath().getParent();
      Path f = base == null ? Path.of(auditFile) : base.resolve(auditFile);
      auditFile = f.toAbsolutePath().normalize().toString();
      maxSize = orDefault(audit.integer("maxFileSizeMb"), maxSize);
      maxFiles = orDefault(audit.integer("maxFiles"), maxFiles);
      if (maxSize <= 0 || maxFiles <= 0) {
        throw audit.error("'maxFileSizeMb' and 'maxFiles' must be greater than 0");
      }
      audit.reportUnknownKeys(onUnknownKey);
    }
    String metricsPath = null;
    Integer metricsPort = null;
    YamlSection metrics = root.section("metrics");
    if (metrics != null) {
      metricsPath = orDefault(metrics.string("path"), "/metrics");
      if (!metricsPath.startsWith("/") || metricsPath.length() < 2) {
        throw metrics.error(
            "'path' must start with '/', such as /metrics, got '" + metricsPath + "'");
      }
      metricsPort = metrics.integer("port");
      if (metricsPort != null && (metricsPort < 0 || metricsPort > 65535)) {
        throw metrics.error("'port' must be between 0 and 65535, got " + metricsPort);
      }
      metrics.reportUnknownKeys(onUnknownKey);
    }
    double perSecond = 0;
    int burst = 0;
    YamlSection rate = root.section("rateLimit");
    if (rate != null) {
      String text = rate.string("requestsPerSecond");
      try {
        perSecond = text == null ? 0 : Double.parseDouble(text);
      } catch (NumberFormatException e) {
        perSecond = -1;
      }
      if (!(perSecond > 0) || Double.isInfinite(perSecond)) {
        throw rate.error("'requestsPerSecond' must be a number greater than 0, got '" + text + "'");
      }
      burst = orDefault(rate.integer("burst"), (int) Math.max(1, Math.ceil(perSecond)));
      if (burst < 1) {
        throw rate.error("'burst' must be at least 1, got " + burst);
      }
      rate.reportUnknownKeys(onUnknownKey);
    }
    int grace = orDefault(root.integer("shutdownGraceSeconds"), d.shutdownGraceSeconds());
    if (grace < 0) {
      throw root.error("'shutdownGraceSeconds' must not be negative, got " + grace);
    }
    boolean warmLists = d.warmUpFileLists();
    int readyWait = d.warmUpReadyWaitSeconds();
    YamlSection warm = root.section("warmUp");
    if (warm != null) {
      warmLists = orDefault(warm.bool("fileLists"), warmLists);
      readyWait = orDefault(warm.integer("readyWaitSeconds"), readyWait);
      if (readyWait < 0) {
        throw warm.error("'readyWaitSeconds' must not be negative, got " + readyWait);
      }
      warm.reportUnknownKeys(onUnknownKey);
    }
    return new OpsConfig(
        auditFile,
        maxSize,
        maxFiles,
        metricsPath,
        metricsPort,
        perSecond,
        burst,
        grace,
        warmLists,
        readyWait);
  }

  private static SslConfig readSsl(YamlSection section, Consumer<String> onUnknownKey) {
    if (section == null) {
      return null;
    }
    boolean selfSigned = orDefault(section.bool("selfSigned"), false);
    String certificateFile = section.string("certificateFile");
    String certificateKeyFile = section.string("certificateKeyFile");
    String passwordFile = section.string("certificatePasswordFile");
    if (!selfSigned) {
      if (certificateFile == null || certificateFile.isBlank()) {
        throw section.error("'certificateFile' in a SSL config must be provided");
      }
      if (certificateKeyFile == null || certificateKeyFile.isBlank()) {
        throw section.error("'certificateKeyFile' in a SSL config must be provided");
      }
    }
    section.reportUnknownKeys(onUnknownKey);
    return new SslConfig(selfSigned, certificateFile, certificateKeyFile, passwordFile);
  }

  /** Gives {@code /x} for "x", "/x/" or "//x"; the root prefix is the empty string. */
  private static String normalizeEndpoint(YamlSection root, String raw) {
    String endpoint = raw.trim();
    for (int i = 0; i < endpoint.length(); i++) {
      char c = endpoint.charAt(i);
      if (c <= 0x20 || c == 0x7F || c == '?' || c == '#' || c == '%' || c == '\\') {
        throw root.error(
            "'endpoint' must be a URL path such as /delta-sharing, got '"
                + NameRules.display(raw)
                + "'");
      }
    }
    endpoint = endpoint.replaceAll("/{2,}", "/");
    if (endpoint.endsWith("/")) {
      endpoint = endpoint.substring(0, endpoint.length() - 1);
    }
    return endpoint.isEmpty() || endpoint.startsWith("/") ? endpoint : "/" + endpoint;
  }

  private static String readFileSigningKey(YamlSection root) {
    String key = root.string("fileSigningKey");
    if (key == null) {
      return null;
    }
    key = key.trim();
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(key);
    } catch (IllegalArgumentException e) {
      bytes = new byte[0];
    }
    // The key itself stays out of the message: the file may be readable by fewer people than logs.
    if (bytes.length < MIN_FILE_SIGNING_KEY_BYTES) {
      throw root.error(
          "'fileSigningKey' must be standard base64 of at least "
              + MIN_FILE_SIGNING_KEY_BYTES
              + " random bytes, e.g. the output of 'openssl rand -base64 32'");
    }
    return key;
  }

  private static String readPublicBaseUrl(YamlSection root) {
    String raw = root.string("publicBaseUrl");
    if (raw == null) {
      return null;
    }
    String url = raw.trim();
    while (url.endsWith("/")) {
      url = url.substring(0, url.length() - 1);
    }
    try {
      URI uri = new URI(url);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if ((scheme.equals("http") || scheme.equals("https"))
          && uri.getHost() != null
          && uri.getRawUserInfo() == null
          && uri.getRawQuery() == null
          && uri.getRawFragment() == null) {
        return url;
      }
    } catch (URISyntaxException e) {
      // reported below
    }
    throw root.error(
        "'publicBaseUrl' must be an absolute http or https URL without query, such as"
            + " https://share.example.com, got '"
            + NameRules.display(raw)
            + "'");
  }

  private static long positive(YamlSection root, String key, long defaultValue) {
    long value = orDefault(root.longValue(key), defaultValue);
    if (value <= 0) {
      throw root.error("'" + key + "' must be greater than 0, got " + value);
    }
    return value;
  }

  private static long nonNegative(YamlSection root, String key, long defaultValue) {
    long value = orDefault(root.longValue(key), defaultValue);
    if (value < 0) {
      throw root.error("'" + key + "' must not be negative, got " + value);
    }
    return value;
  }

  private static <T> T orDefault(T value, T defaultValue) {
    return value == null ? defaultValue : value;
  }
}
