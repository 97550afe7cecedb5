package io.lakeshare.server.config;

/**
 * An identity provider whose JWT access tokens are accepted as bearer tokens (token federation for
 * {@code oauth_client_credentials} profiles).
 *
 * @param name how recipients refer to it
 * @param issuer the {@code iss} its tokens carry
 * @param jwksUrl where its signing keys are published (fetched, cached and refetched for a key id
 *     not seen before, so key rotation needs no restart)
 * @param audience the {@code aud} a token must name
 * @param recipientClaim the claim whose value names the recipient's identity ({@code sub} by
 *     default)
 * @param clockSkewSeconds tolerance on {@code exp} and {@code nbf}
 * @param jwksMinRefreshSeconds least time between two fetches of the key set
 */
public record TokenIssuerConfig(
    String name,
    String issuer,
    String jwksUrl,
    String audience,
    String recipientClaim,
    long clockSkewSeconds,
    long jwksMinRefreshSeconds) {}
