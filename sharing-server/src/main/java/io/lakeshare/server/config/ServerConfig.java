package io.lakeshare.server.config;

import java.util.List;

/**
 * The server configuration, read from the reference Delta Sharing server's YAML format (every key
 * and default of that format is kept) plus two Lakeshare keys. Build it with {@link ConfigLoader}.
 *
 * @param version config format version; only 1 exists
 * @param shares shares in file order
 * @param authorization bearer-token check, or null when requests are not authenticated
 * @param ssl HTTPS settings, or null for plain HTTP
 * @param host interface the server binds (default {@code localhost}); {@code 0.0.0.0} binds all
 *     interfaces. The reference server only uses this as a virtual-host name and always binds all
 *     interfaces.
 * @param port listen port (default 80); 0 picks a free port
 * @param endpoint URL prefix of all routes (default {@code /delta-sharing}); starts with {@code /}
 *     and never ends with one, so the root prefix is the empty string
 * @param preSignedUrlTimeoutSeconds lifetime of signed file URLs (default 3600)
 * @param temporaryCredentialValiditySeconds lifetime of temporary table credentials (default 3600;
 *     0 or less in the file means the default)
 * @param deltaTableCacheSize how many table handles to keep cached (default 10)
 * @param stalenessAcceptable whether a cached table snapshot may be served without checking for
 *     newer versions (default false)
 * @param evaluatePredicateHints whether SQL {@code predicateHints} prune files (default false)
 * @param evaluateJsonPredicateHints whether {@code jsonPredicateHints} prune files by partition
 *     values (default true)
 * @param evaluateJsonPredicateHintsV2 whether {@code jsonPredicateHints} also prune by file
 *     statistics (default true)
 * @param requestTimeoutSeconds per-request timeout, 0 for none (default 30)
 * @param queryTablePageSizeLimit upper bound on {@code maxFiles} (default 10000)
 * @param queryTablePageTokenTtlMs lifetime of query page tokens (default 3 days)
 * @param refreshTokenTtlMs lifetime of refresh tokens (default 1 hour)
 * @param fileSigningKey Lakeshare extension: standard base64 of the HMAC key (at least 32 bytes)
 *     that signs URLs of local files served by this server; null means a random key per start
 * @param publicBaseUrl Lakeshare extension: absolute http(s) URL through which recipients reach
 *     this server, without a trailing {@code /}; null means derive it from host and bound port
 * @param storage Lakeshare extension: named object-store settings that tables reference
 * @param ops Lakeshare extension: audit log, metrics, health and rate limit
 */
public record ServerConfig(
    int version,
    List<ShareConfig> shares,
    AuthorizationConfig authorization,
    SslConfig ssl,
    String host,
    int port,
    String endpoint,
    long preSignedUrlTimeoutSeconds,
    long temporaryCredentialValiditySeconds,
    int deltaTableCacheSize,
    boolean stalenessAcceptable,
    boolean evaluatePredicateHints,
    boolean evaluateJsonPredicateHints,
    boolean evaluateJsonPredicateHintsV2,
    long requestTimeoutSeconds,
    int queryTablePageSizeLimit,
    long queryTablePageTokenTtlMs,
    long refreshTokenTtlMs,
    String fileSigningKey,
    String publicBaseUrl,
    List<StorageConfig> storage,
    List<RecipientConfig> recipients,
    List<String> trustedProxies,
    List<TokenIssuerConfig> tokenIssuers,
    String recipientsFile,
    OpsConfig ops) {

  /** Copies the lists so the configuration stays immutable. */
  public ServerConfig {
    shares = shares == null ? List.of() : List.copyOf(shares);
    storage = storage == null ? List.of() : List.copyOf(storage);
    recipients = recipients == null ? List.of() : List.copyOf(recipients);
    trustedProxies = trustedProxies == null ? List.of() : List.copyOf(trustedProxies);
    tokenIssuers = tokenIssuers == null ? List.of() : List.copyOf(tokenIssuers);
    ops = ops == null ? OpsConfig.NONE : ops;
  }

  /**
   * Whether no credential is configured at all, so that every request is accepted as the recipient
   * of the reference format's token. A recipients file or a token issuer keeps a server closed even
   * while they name nobody (a file emptied by revocations must not open the server).
   */
  public boolean open() {
    return authorization == null
        && recipients.isEmpty()
        && recipientsFile == null
        && tokenIssuers.isEmpty();
  }

  /** The same configuration with other recipients (a reload of {@code recipientsFile}). */
  public ServerConfig withRecipients(List<RecipientConfig> newRecipients) {
    return new ServerConfig(
        version,
        shares,
        authorization,
        ssl,
        host,
        port,
        endpoint,
        preSignedUrlTimeoutSeconds,
        temporaryCredentialValiditySeconds,
        deltaTableCacheSize,
        stalenessAcceptable,
        evaluatePredicateHints,
        evaluateJsonPredicateHints,
        evaluateJsonPredicateHintsV2,
        requestTimeoutSeconds,
        queryTablePageSizeLimit,
        queryTablePageTokenTtlMs,
        refreshTokenTtlMs,
        fileSigningKey,
        publicBaseUrl,
        storage,
        newRecipients,
        trustedProxies,
        tokenIssuers,
        recipientsFile,
        ops);
  }

  /**
   * This configuration with the listener settings of {@code running} (host, port, endpoint, ssl,
   * fileSigningKey, publicBaseUrl, requestTimeoutSeconds, and the audit, metrics and rate-limit
   * settings): what a reload cannot change.
   */
  public ServerConfig withListenerOf(ServerConfig running) {
    return new ServerConfig(
        version,
        shares,
        authorization,
        running.ssl,
        running.host,
        running.port,
        running.endpoint,
        preSignedUrlTimeoutSeconds,
        temporaryCredentialValiditySeconds,
        deltaTableCacheSize,
        stalenessAcceptable,
        evaluatePredicateHints,
        evaluateJsonPredicateHints,
        evaluateJsonPredicateHintsV2,
        running.requestTimeoutSeconds,
        queryTablePageSizeLimit,
        queryTablePageTokenTtlMs,
        refreshTokenTtlMs,
        running.fileSigningKey,
        running.publicBaseUrl,
        storage,
        recipients,
        trustedProxies,
        tokenIssuers,
        recipientsFile,
        running.ops);
  }

  /** The {@code storage} entry named {@code name} (case-insensitive), or null. */
  public StorageConfig storage(String name) {
    for (StorageConfig s : storage) {
      if (s.name().equalsIgnoreCase(name)) {
        return s;
      }
    }
    return null;
  }

  /** Lists every component except the signing key, which must not reach logs. */
  @Override
  public String toString() {
    return "ServerConfig["
        + String.join(
            ", ",
            "version=" + version,
            "shares=" + shares,
            "authorization=" + authorization,
            "ssl=" + ssl,
            "host=" + host,
            "port=" + port,
            "endpoint=" + endpoint,
            "preSignedUrlTimeoutSeconds=" + preSignedUrlTimeoutSeconds,
            "temporaryCredentialValiditySeconds=" + temporaryCredentialValiditySeconds,
            "deltaTableCacheSize=" + deltaTableCacheSize,
            "stalenessAcceptable=" + stalenessAcceptable,
            "evaluatePredicateHints=" + evaluatePredicateHints,
            "evaluateJsonPredicateHints=" + evaluateJsonPredicateHints,
            "evaluateJsonPredicateHintsV2=" + evaluateJsonPredicateHintsV2,
            "requestTimeoutSeconds=" + requestTimeoutSeconds,
            "queryTablePageSizeLimit=" + queryTablePageSizeLimit,
            "queryTablePageTokenTtlMs=" + queryTablePageTokenTtlMs,
            "refreshTokenTtlMs=" + refreshTokenTtlMs,
            "fileSigningKey=" + (fileSigningKey == null ? "null" : "<redacted>"),
            "publicBaseUrl=" + publicBaseUrl,
            "storage=" + storage,
            "recipients=" + recipients,
            "trustedProxies=" + trustedProxies,
            "tokenIssuers=" + tokenIssuers,
            "recipientsFile=" + recipientsFile)
        + "]";
  }
}
