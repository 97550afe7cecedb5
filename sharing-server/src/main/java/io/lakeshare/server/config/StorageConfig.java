package io.lakeshare.server.config;

/**
 * A named set of object-store settings (the optional top-level {@code storage:} list), referenced
 * by tables through their {@code storage:} key. Secrets never appear in {@code toString()}.
 */
public sealed interface StorageConfig
    permits StorageConfig.S3, StorageConfig.Azure, StorageConfig.Gcs {

  /** The name tables refer to. */
  String name();

  /** The value of {@code type:} in the file. */
  String type();

  /** Whether a table at a location with this URI scheme (lower case) may use these settings. */
  boolean servesScheme(String scheme);

  /** How S3 credentials are found. */
  enum AwsCredentials {
    /** {@code accessKeyId} + {@code secretAccessKey} (+ {@code sessionToken}) from the file. */
    STATIC,
    /** {@code AWS_ACCESS_KEY_ID}, {@code AWS_SECRET_ACCESS_KEY}, {@code AWS_SESSION_TOKEN}. */
    ENVIRONMENT,
    /** The AWS SDK default chain: environment, system properties, profile file, container, EC2. */
    DEFAULT
  }

  /**
   * Amazon S3 or an S3-compatible store (MinIO, Cloudflare R2, ...).
   *
   * @param region signing region; null means the SDK's region chain, or {@code us-east-1} when an
   *     {@code endpoint} is set (what MinIO expects; R2 expects {@code auto})
   * @param endpoint e.g. {@code http://127.0.0.1:9000} or {@code
   *     https://<account>.r2.cloudflarestorage.com}; null for AWS
   * @param pathStyleAccess {@code http://host/bucket/key} instead of {@code
   *     http://bucket.host/key}; null means true when an endpoint is set, false otherwise
   */
  record S3(
      String name,
      String region,
      String endpoint,
      Boolean pathStyleAccess,
      AwsCredentials credentials,
      String accessKeyId,
      String secretAccessKey,
      String sessionToken,
      String roleArn,
      String stsEndpoint)
      implements StorageConfig {
    /** Without directory access ({@code roleArn}). */
    public S3(
        String name,
        String region,
        String endpoint,
        Boolean pathStyleAccess,
        AwsCredentials credentials,
        String accessKeyId,
        String secretAccessKey,
        String sessionToken) {
      this(
          name,
          region,
          endpoint,
          pathStyleAccess,
          credentials,
          accessKeyId,
          secretAccessKey,
          sessionToken,
          null,
          null);
    }

    @Override
    public String type() {
      return "s3";
    }

    @Override
    public boolean servesScheme(String scheme) {
      return scheme.equals("s3") || scheme.equals("s3a") || scheme.equals("s3n");
    }

    @Override
    public String toString() {
      return "S3[name="
          + name
          + ", region="
          + region
          + ", endpoint="
          + endpoint
          + ", pathStyleAccess="
          + pathStyleAccess
          + ", credentials="
          + credentials
          + ", accessKeyId="
          + accessKeyId
          + ", secretAccessKey="
          + Secrets.redacted(secretAccessKey)
          + ", sessionToken="
          + Secrets.redacted(sessionToken)
          + ", roleArn="
          + roleArn
          + ", stsEndpoint="
          + stsEndpoint
          + "]";
    }
  }

  /**
   * Azure Blob Storage or ADLS Gen2, read and signed through the Blob API.
   *
   * @param accountName storage account; null means take it from each table's location
   * @param endpoint blob service URL, e.g. {@code http://127.0.0.1:10000/devstoreaccount1} for
   *     Azurite; null means {@code https://<account>.blob.core.windows.net}
   * @param accountKey shared key (base64)
   * @param sasToken a SAS token (query string, with or without {@code ?})
   * @param tenantId service principal tenant
   * @param clientId service principal application id
   * @param clientSecret service principal secret
   * @param authorityHost Entra ID host for service principals; null means {@code
   *     https://login.microsoftonline.com}
   */
  record Azure(
      String name,
      String accountName,
      String endpoint,
      String accountKey,
      String sasToken,
      String tenantId,
      String clientId,
      String clientSecret,
      String authorityHost,
      boolean directoryAccess)
      implements StorageConfig {
    /** An entry without directory access. */
    public Azure(
        String name,
        String accountName,
        String endpoint,
        String accountKey,
        String sasToken,
        String tenantId,
        String clientId,
        String clientSecret,
        String authorityHost) {
      this(
          name,
          accountName,
          endpoint,
          accountKey,
          sasToken,
          tenantId,
          clientId,
          clientSecret,
          authorityHost,
          false);
    }

    @Override
    public String type() {
      return "azure";
    }

    @Override
    public boolean servesScheme(String scheme) {
      return scheme.equals("abfss")
          || scheme.equals("abfs")
          || scheme.equals("wasbs")
          || scheme.equals("wasb");
    }

    @Override
    public String toString() {
      return "Azure[name="
          + name
          + ", accountName="
          + accountName
          + ", endpoint="
          + endpoint
          + ", accountKey="
          + Secrets.redacted(accountKey)
          + ", sasToken="
          + Secrets.redacted(sasToken)
          + ", tenantId="
          + tenantId
          + ", clientId="
          + clientId
          + ", clientSecret="
          + Secrets.redacted(clientSecret)
          + ", authorityHost="
          + authorityHost
          + ", directoryAccess="
          + directoryAccess
          + "]";
    }
  }

  /**
   * Google Cloud Storage, read through the JSON API and signed with V4 URLs. With neither key
   * given, the application-default credentials are used; only a service-account credential can sign
   * locally.
   *
   * @param serviceAccountKeyFile path of a service account's JSON key file
   * @param serviceAccountKey the JSON key itself, typically {@code ${env:NAME}}
   * @param endpoint API root for an emulator, e.g. {@code http://127.0.0.1:4443}; null means {@code
   *     https://storage.googleapis.com}
   * @param projectId project id; null means the key's {@code project_id}
   * @param hmacAccessId access id of a Cloud Storage HMAC key; with {@code hmacSecret}, URLs are
   *     signed with it ({@code GOOG4-HMAC-SHA256}: tens of thousands per second instead of about a
   *     thousand with the service account's RSA key); the log is still read with the credentials
   *     above
   * @param hmacSecret the HMAC key's secret, typically {@code ${env:NAME}}
   * @param directoryAccess whether tables here offer directory access (downscoped tokens)
   * @param stsEndpoint root of the Security Token Service that exchanges downscoped tokens, e.g.
   *     for a private endpoint or an emulator; null means {@code https://sts.googleapis.com}
   */
  record Gcs(
      String name,
      String serviceAccountKeyFile,
      String serviceAccountKey,
      String endpoint,
      String projectId,
      String hmacAccessId,
      String hmacSecret,
      boolean directoryAccess,
      String stsEndpoint)
      implements StorageConfig {

    /** An entry with Google's own Security Token Service. */
    public Gcs(
        String name,
        String serviceAccountKeyFile,
        String serviceAccountKey,
        String endpoint,
        String projectId,
        String hmacAccessId,
        String hmacSecret,
        boolean directoryAccess) {
      this(
          name,
          serviceAccountKeyFile,
          serviceAccountKey,
          endpoint,
          projectId,
          hmacAccessId,
          hmacSecret,
          directoryAccess,
          null);
    }

    /** An entry without an HMAC key. */
    public Gcs(
        String name,
        String serviceAccountKeyFile,
        String serviceAccountKey,
        String endpoint,
        String projectId) {
      this(name, serviceAccountKeyFile, serviceAccountKey, endpoint, projectId, null, null);
    }

    /** An entry without directory access. */
    public Gcs(
        String name,
        String serviceAccountKeyFile,
        String serviceAccountKey,
        String endpoint,
        String projectId,
        String hmacAccessId,
        String hmacSecret) {
      this(
          name,
          serviceAccountKeyFile,
          serviceAccountKey,
          endpoint,
          projectId,
          hmacAccessId,
          hmacSecret,
          false);
    }

    @Override
    public String type() {
      return "gcs";
    }

    @Override
    public boolean servesScheme(String scheme) {
      return scheme.equals("gs");
    }

    @Override
    public String toString() {
      return "Gcs[name="
          + name
          + ", serviceAccountKeyFile="
          + serviceAccountKeyFile
          + ", serviceAccountKey="
          + Secrets.redacted(serviceAccountKey)
          + ", endpoint="
          + endpoint
          + ", projectId="
          + projectId
          + ", hmacAccessId="
          + hmacAccessId
          + ", hmacSecret="
          + Secrets.redacted(hmacSecret)
          + ", directoryAccess="
          + directoryAccess
          + ", stsEndpoint="
          + stsEndpoint
          + "]";
    }
  }
}
