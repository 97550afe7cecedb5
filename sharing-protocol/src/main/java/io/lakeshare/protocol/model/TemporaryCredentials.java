package io.lakeshare.protocol.model;

/**
 * The answer of the temporary-table-credentials endpoint (CONFORMANCE §1.12): read access to {@code
 * location} until {@code expirationTime} (epoch ms), as exactly one of the three cloud credential
 * kinds. {@link #toString()} shows no secret.
 */
public record TemporaryCredentials(
    String location,
    AwsTempCredentials aws,
    AzureUserDelegationSas azure,
    GcpOauthToken gcp,
    long expirationTime) {

  public TemporaryCredentials {
    if (location == null || location.isEmpty()) {
      throw new IllegalArgumentException("temporary credentials need a location");
    }
    int kinds = (aws == null ? 0 : 1) + (azure == null ? 0 : 1) + (gcp == null ? 0 : 1);
    if (kinds != 1) {
      throw new IllegalArgumentException(
          "temporary credentials carry exactly one of awsTempCredentials, azureUserDelegationSas"
              + " and gcpOauthToken, not "
              + kinds);
    }
  }

  /** S3 session credentials. */
  public record AwsTempCredentials(
      String accessKeyId, String secretAccessKey, String sessionToken) {
    @Override
    public String toString() {
      return "AwsTempCredentials[accessKeyId="
          + accessKeyId
          + ", secretAccessKey=***, sessionToken=***]";
    }
  }

  /** An Azure shared access signature (the query string, without a leading {@code ?}). */
  public record AzureUserDelegationSas(String sasToken) {
    @Override
    public String toString() {
      return "AzureUserDelegationSas[sasToken=***]";
    }
  }

  /** A GCS OAuth 2 access token. */
  public record GcpOauthToken(String oauthToken) {
    @Override
    public String toString() {
      return "GcpOauthToken[oauthToken=***]";
    }
  }
}
