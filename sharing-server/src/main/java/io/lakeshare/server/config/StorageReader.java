package io.lakeshare.server.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * Reads the optional top-level {@code storage:} list. Every string value may be written as {@code
 * ${env:NAME}} to take it from the environment, so secrets need not sit in the file.
 */
final class StorageReader {
  private final Consumer<String> onUnknownKey;
  private final UnaryOperator<String> environment;

  StorageReader(Consumer<String> onUnknownKey, UnaryOperator<String> environment) {
    this.onUnknownKey = onUnknownKey;
    this.environment = environment;
  }

  List<StorageConfig> read(List<YamlSection> sections) {
    List<StorageConfig> out = new ArrayList<>();
    Map<String, String> names = new HashMap<>();
    for (YamlSection section : sections) {
      String name = section.string("name");
      if (name == null || name.isBlank()) {
        throw section.error("'name' in a storage entry must be provided");
      }
      section.relabel("storage '" + name + "'");
      if (names.putIfAbsent(name.toLowerCase(Locale.ROOT), name) != null) {
        throw section.error(
            "the name is used by another storage entry (names are case-insensitive)");
      }
      String type = section.string("type");
      if (type == null) {
        throw section.error("'type' must be provided: one of s3, azure, gcs");
      }
      StorageConfig config =
          switch (type.trim().toLowerCase(Locale.ROOT)) {
            case "s3" -> readS3(section, name);
            case "azure" -> readAzure(section, name);
            case "gcs" -> readGcs(section, name);
            default ->
                throw section.error(
                    "'type' must be one of s3, azure, gcs, got '" + NameRules.display(type) + "'");
          };
      section.reportUnknownKeys(onUnknownKey);
      out.add(config);
    }
    return out;
  }

  private StorageConfig readS3(YamlSection s, String name) {
    String endpoint = value(s, "endpoint");
    if (endpoint != null && !endpoint.matches("(?i)^https?://[^\\s/?#]+(/[^\\s?#]*)?$")) {
      throw s.error(
          "'endpoint' must be an http or https URL such as http://127.0.0.1:9000, got '"
              + NameRules.display(endpoint)
              + "'");
    }
    String keyId = value(s, "accessKeyId");
    String secret = value(s, "secretAccessKey");
    String token = value(s, "sessionToken");
    String mode = value(s, "credentials");
    StorageConfig.AwsCredentials credentials;
    if (mode == null) {
      credentials =
          keyId != null || secret != null
              ? StorageConfig.AwsCredentials.STATIC
              : StorageConfig.AwsCredentials.DEFAULT;
    } else {
      credentials =
          switch (mode.trim().toLowerCase(Locale.ROOT)) {
            case "static" -> StorageConfig.AwsCredentials.STATIC;
            case "environment" -> StorageConfig.AwsCredentials.ENVIRONMENT;
            case "default" -> StorageConfig.AwsCredentials.DEFAULT;
            default ->
                throw s.error(
                    "'credentials' must be one of static, environment, default, got '"
                        + NameRules.display(mode)
                        + "'");
          };
    }
    if (credentials == StorageConfig.AwsCredentials.STATIC && (keyId == null || secret == null)) {
      throw s.error(
          "static S3 credentials need both 'accessKeyId' and 'secretAccessKey'; omit both to use"
              + " the AWS default credential chain");
    }
    String roleArn = value(s, "roleArn");
    if (roleArn != null && !roleArn.matches("^arn:aws[a-z-]*:iam::[0-9]{12}:role/[\\w+=,.@/-]+$")) {
      throw s.error(
          "'roleArn' must be an IAM role ARN such as arn:aws:iam::123456789012:role/sharing-reader,"
              + " got '"
              + NameRules.display(roleArn)
              + "'");
    }
    String stsEndpoint = value(s, "stsEndpoint");
    if (stsEndpoint != null && !stsEndpoint.matches("(?i)^https?://[^\\s/?#]+(/[^\\s?#]*)?$")) {
      throw s.error(
          "'stsEndpoint' must be an http or https URL such as http://127.0.0.1:9000, got '"
              + NameRules.display(stsEndpoint)
              + "'");
    }
    if (stsEndpoint != null && roleArn == null) {
      throw s.error("'stsEndpoint' is used only with 'roleArn' (directory access); give both");
    }
    return new StorageConfig.S3(
        name,
        value(s, "region"),
        endpoint,
        s.bool("pathStyleAccess"),
        credentials,
        keyId,
        secret,
        token,
        roleArn,
        stsEndpoint);
  }

  private StorageConfig readAzure(YamlSection s, String name) {
    String accountKey = value(s, "accountKey");
    String sas = value(s, "sasToken");
    String tenant = value(s, "tenantId");
    String client = value(s, "clientId");
    String clientSecret = value(s, "clientSecret");
    int kinds =
        (accountKey != null ? 1 : 0)
            + (sas != null ? 1 : 0)
            + (tenant != null || client != null || clientSecret != null ? 1 : 0);
    if (kinds != 1) {
      throw s.error(
          "give exactly one Azure credential: 'accountKey', 'sasToken', or 'tenantId' +"
              + " 'clientId' + 'clientSecret' (service principal)");
    }
    if ((tenant != null || client != null || clientSecret != null)
        && (tenant == null || client == null || clientSecret == null)) {
      throw s.error("a service principal needs all of 'tenantId', 'clientId' and 'clientSecret'");
    }
    if (sas != null && sas.startsWith("?")) {
      sas = sas.substring(1);
    }
    return new StorageConfig.Azure(
        name,
        value(s, "accountName"),
        trimSlash(value(s, "endpoint")),
        accountKey,
        sas,
        tenant,
        client,
        clientSecret,
        trimSlash(value(s, "authorityHost")),
        Boolean.TRUE.equals(s.bool("directoryAccess")));
  }

  private StorageConfig readGcs(YamlSection s, String name) {
    String keyFile = value(s, "serviceAccountKeyFile");
    String key = value(s, "serviceAccountKey");
    if (keyFile != null && key != null) {
      throw s.error(
          "give at most one of 'serviceAccountKeyFile' and 'serviceAccountKey' (omit both to use"
              + " the application-default credentials)");
    }
    if (key != null && !key.startsWith("{")) {
      // Never echo the value: it may be a key pasted into the wrong setting.
      throw s.error(
          "'serviceAccountKey' must hold the JSON key itself (e.g. ${env:GCS_KEY_JSON}); put a"
              + " path in 'serviceAccountKeyFile' instead");
    }
    String endpoint = rootUrl(s, "endpoint", "http://127.0.0.1:4443");
    String stsEndpoint = rootUrl(s, "stsEndpoint", "https://sts.example.internal");
    String hmacAccessId = value(s, "hmacAccessId");
    String hmacSecret = value(s, "hmacSecret");
    if ((hmacAccessId == null) != (hmacSecret == null)) {
      throw s.error(
          "give both 'hmacAccessId' and 'hmacSecret' (a Cloud Storage HMAC key) or neither");
    }
    boolean directoryAccess = Boolean.TRUE.equals(s.bool("directoryAccess"));
    if (stsEndpoint != null && !directoryAccess) {
      throw s.error(
          "'stsEndpoint' is used only with 'directoryAccess: true' (downscoped tokens); give both");
    }
    return new StorageConfig.Gcs(
        name,
        keyFile,
        key,
        endpoint,
        value(s, "projectId"),
        hmacAccessId,
        hmacSecret,
        directoryAccess,
        stsEndpoint);
  }

  /** An http or https URL without a path (trailing slashes dropped), or null when not given. */
  private String rootUrl(YamlSection s, String key, String example) {
    String url = trimSlash(value(s, key));
    if (url != null && !url.matches("(?i)^https?://[^\\s/?#]+$")) {
      throw s.error(
          "'"
              + key
              + "' must be an http or https URL without a path, such as "
              + example
              + ", got '"
              + NameRules.display(url)
              + "'");
    }
    return url;
  }

  private String value(YamlSection s, String key) {
    return s.stringWithEnvironment(key, environment);
  }

  private static String trimSlash(String v) {
    if (v == null) {
      return null;
    }
    while (v.endsWith("/")) {
      v = v.substring(0, v.length() - 1);
    }
    return v;
  }
}
