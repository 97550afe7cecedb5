package io.lakeshare.protocol.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class ProfileParserTest {
  private static final String SRC = "/tmp/x.share";

  private static Profile parse(String json) {
    return ProfileParser.parse(json, SRC);
  }

  @Test
  void readsVersionOneBearerProfileAndStripsTrailingSlash() {
    Profile p =
        parse(
            "{\"shareCredentialsVersion\":1,"
                + "\"endpoint\":\"https://sharing.delta.io/delta-sharing/\","
                + "\"bearerToken\":\"tok\",\"expirationTime\":\"2021-11-12T00:12:29.0Z\"}");
    assertThat(p.shareCredentialsVersion()).isEqualTo(1);
    assertThat(p.type()).isEqualTo(Profile.TYPE_BEARER_TOKEN);
    assertThat(p.endpoint()).isEqualTo("https://sharing.delta.io/delta-sharing");
    assertThat(p.bearerToken()).isEqualTo("tok");
    assertThat(p.expirationTime()).isEqualTo(Instant.parse("2021-11-12T00:12:29Z"));
  }

  @Test
  void readsFromAStream() {
    Profile p =
        ProfileParser.parse(
            new ByteArrayInputStream(
                ("{\"shareCredentialsVersion\":\"1\",\"endpoint\":\"http://h:1/p\","
                        + "\"bearerToken\":\"t\"}")
                    .getBytes(StandardCharsets.UTF_8)),
            SRC);
    assertThat(p).isEqualTo(Profile.bearer("http://h:1/p", "t", null));
  }

  @Test
  void acceptsVersionTwoBearerToken() {
    Profile p =
        parse(
            "{\"shareCredentialsVersion\":2,\"type\":\"BEARER_TOKEN\",\"endpoint\":\"https://h/p\","
                + "\"bearerToken\":\"t\",\"extra\":{\"nested\":true}}");
    assertThat(p.shareCredentialsVersion()).isEqualTo(2);
    assertThat(p.type()).isEqualTo("bearer_token");
    assertThat(p.bearerToken()).isEqualTo("t");
  }

  @Test
  void readsOauthClientCredentialsProfile() {
    Profile p =
        parse(
            "{\"shareCredentialsVersion\":2,\"type\":\"oauth_client_credentials\","
                + "\"endpoint\":\"https://h/p/\",\"tokenEndpoint\":\"https://idp/token/\","
                + "\"clientId\":\"cid\",\"clientSecret\":\"sec\",\"scope\":\"s1 s2\"}");
    assertThat(p)
        .isEqualTo(
            Profile.oauthClientCredentials(
                "https://h/p", "https://idp/token", "cid", "sec", "s1 s2"));
    assertThat(p.tokenEndpoint()).isEqualTo("https://idp/token");
  }

  @Test
  void readsBasicProfile() {
    Profile p =
        parse(
            "{\"shareCredentialsVersion\":2,\"type\":\"basic\",\"endpoint\":\"https://h/p\","
                + "\"username\":\"u\",\"password\":\"pw\"}");
    assertThat(p).isEqualTo(Profile.basic("https://h/p", "u", "pw"));
  }

  @Test
  void tooNewVersionTellsTheUserToUpgrade() {
    assertThatThrownBy(
            () ->
                parse(
                    "{\"shareCredentialsVersion\":3,\"endpoint\":\"https://h\","
                        + "\"bearerToken\":\"t\"}"))
        .isInstanceOf(ProfileException.class)
        .hasMessageContaining("'shareCredentialsVersion' in the profile is 3 which is too new")
        .hasMessageContaining("Please upgrade")
        .hasMessageContaining(SRC);
  }

  @Test
  void missingFieldsAreNamedWithTheSource() {
    assertThatThrownBy(() -> parse("{\"shareCredentialsVersion\":1,\"bearerToken\":\"t\"}"))
        .isInstanceOf(ProfileException.class)
        .hasMessage("Cannot find the 'endpoint' field in the profile " + SRC);
    assertThatThrownBy(() -> parse("{\"shareCredentialsVersion\":1,\"endpoint\":\"https://h\"}"))
        .hasMessage("Cannot find the 'bearerToken' field in the profile " + SRC);
    assertThatThrownBy(() -> parse("{\"endpoint\":\"https://h\",\"bearerToken\":\"t\"}"))
        .hasMessage("Cannot find the 'shareCredentialsVersion' field in the profile " + SRC);
    assertThatThrownBy(
            () ->
                parse(
                    "{\"shareCredentialsVersion\":2,\"type\":\"oauth_client_credentials\","
                        + "\"endpoint\":\"https://h\",\"tokenEndpoint\":\"https://t\","
                        + "\"clientId\":\"\",\"clientSecret\":\"s\"}"))
        .hasMessage("Cannot find the 'clientId' field in the profile " + SRC);
    assertThatThrownBy(
            () ->
                parse(
                    "{\"shareCredentialsVersion\":2,\"type\":\"basic\",\"endpoint\":\"https://h\","
                        + "\"username\":\"u\"}"))
        .hasMessage("Cannot find the 'password' field in the profile " + SRC);
  }

  @Test
  void typesThatNeedVersionTwoAreRejectedInVersionOne() {
    assertThatThrownBy(
            () ->
                parse(
                    "{\"shareCredentialsVersion\":1,\"type\":\"oauth_client_credentials\","
                        + "\"endpoint\":\"https://h\",\"tokenEndpoint\":\"https://t\","
                        + "\"clientId\":\"c\",\"clientSecret\":\"s\"}"))
        .isInstanceOf(ProfileException.class)
        .hasMessageContaining("needs 'shareCredentialsVersion' 2");
  }

  @Test
  void unsupportedTypesAndBadValuesAreRejected() {
    assertThatThrownBy(
            () ->
                parse(
                    "{\"shareCredentialsVersion\":2,\"type\":\"oauth_jwt_bearer_private_key_jwt\","
                        + "\"endpoint\":\"https://h\"}"))
        .hasMessageStartingWith("Unsupported profile type 'oauth_jwt_bearer_private_key_jwt'");
    assertThatThrownBy(
            () ->
                parse(
                    "{\"shareCredentialsVersion\":1,\"endpoint\":\"ftp://h\","
                        + "\"bearerToken\":\"t\"}"))
        .hasMessage("'endpoint' in the profile " + SRC + " is not an http(s) URL: ftp://h");
    assertThatThrownBy(
            () ->
                parse(
                    "{\"shareCredentialsVersion\":1,\"endpoint\":\"https://h\","
                        + "\"bearerToken\":\"t\","
                        + "\"expirationTime\":\"tomorrow\"}"))
        .hasMessageStartingWith("Invalid 'expirationTime' in the profile " + SRC);
    assertThatThrownBy(() -> parse("{\"shareCredentialsVersion\":0}"))
        .hasMessage("'shareCredentialsVersion' in the profile " + SRC + " must be 1 or 2, got 0");
    assertThatThrownBy(() -> parse("{\"shareCredentialsVersion\":1,\"endpoint\":{}}"))
        .hasMessage("'endpoint' in the profile " + SRC + " must be a string or number");
    assertThatThrownBy(() -> parse("not json"))
        .isInstanceOf(ProfileException.class)
        .hasMessageStartingWith("The profile " + SRC + " is not valid JSON");
    assertThatThrownBy(() -> parse("[]"))
        .hasMessage("The profile " + SRC + " is not a JSON object");
  }

  @Test
  void expirationTimeAcceptsOffsetsAndZonelessUtc() {
    String base =
        "{\"shareCredentialsVersion\":1,\"endpoint\":\"https://h\",\"bearerToken\":\"t\",";
    assertThat(parse(base + "\"expirationTime\":\"2021-11-12T02:12:29+02:00\"}").expirationTime())
        .isEqualTo(Instant.parse("2021-11-12T00:12:29Z"));
    assertThat(parse(base + "\"expirationTime\":\"2021-11-12T00:12:29\"}").expirationTime())
        .isEqualTo(Instant.parse("2021-11-12T00:12:29Z"));
  }

  @Test
  void expiryIsJudgedAgainstTheClock() {
    Instant exp = Instant.parse("2030-01-01T00:00:00Z");
    Profile p = Profile.bearer("https://h", "t", exp);
    assertThat(p.isExpired(Clock.fixed(exp.minusSeconds(1), ZoneOffset.UTC))).isFalse();
    assertThat(p.isExpired(Clock.fixed(exp, ZoneOffset.UTC))).isTrue();
    assertThat(Profile.bearer("https://h", "t", null).isExpired(Clock.systemUTC())).isFalse();
  }

  @Test
  void toJsonRoundTripsEveryType() {
    Profile[] profiles = {
      Profile.bearer("https://h/p", "t", Instant.parse("2021-11-12T00:12:29Z")),
      new Profile(2, "bearer_token", "https://h", "t", null, null, null, null, null, null, null),
      Profile.oauthClientCredentials("https://h", "https://idp/t", "c", "s", null),
      Profile.oauthClientCredentials("https://h", "https://idp/t", "c", "s", "sc"),
      Profile.basic("https://h", "u", "p")
    };
    for (Profile p : profiles) {
      assertThat(ProfileParser.parse(p.toJson(), "roundtrip")).isEqualTo(p);
    }
    assertThat(profiles[0].toJson())
        .isEqualTo(
            "{\"shareCredentialsVersion\":1,\"endpoint\":\"https://h/p\",\"bearerToken\":\"t\","
                + "\"expirationTime\":\"2021-11-12T00:12:29Z\"}");
  }

  @Test
  void toStringHidesSecrets() {
    assertThat(Profile.bearer("https://h", "s3cr3t", null).toString()).doesNotContain("s3cr3t");
    assertThat(
            Profile.oauthClientCredentials("https://h", "https://t", "c", "s3cr3t", null)
                .toString())
        .doesNotContain("s3cr3t");
    assertThat(Profile.basic("https://h", "u", "s3cr3t").toString()).doesNotContain("s3cr3t");
  }
}
