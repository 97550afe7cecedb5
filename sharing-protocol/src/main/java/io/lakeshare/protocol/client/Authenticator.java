package io.lakeshare.protocol.client;

import io.lakeshare.protocol.profile.Profile;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Supplies the {@code Authorization} header for calls to the sharing server. */
interface Authenticator {
  /** The header value; may perform a token exchange. */
  String authorization();

  /** Drops a cached credential after a 401; true if a fresh one may help. */
  default boolean invalidate() {
    return false;
  }

  static Authenticator forProfile(Profile profile, Transport transport) {
    return switch (profile.type()) {
      case Profile.TYPE_BEARER_TOKEN -> fixed("Bearer " + profile.bearerToken());
      case Profile.TYPE_BASIC -> fixed(basic(profile.username(), profile.password()));
      case Profile.TYPE_OAUTH_CLIENT_CREDENTIALS -> new OAuthClientCredentials(profile, transport);
      default -> throw new IllegalArgumentException("Unsupported profile type: " + profile.type());
    };
  }

  static String basic(String user, String password) {
    String pair = user + ":" + password;
    return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
  }

  private static Authenticator fixed(String value) {
    return () -> value;
  }
}
