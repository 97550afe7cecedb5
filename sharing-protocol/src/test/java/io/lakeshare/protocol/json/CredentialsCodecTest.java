package io.lakeshare.protocol.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lakeshare.protocol.model.TemporaryCredentials;
import io.lakeshare.protocol.model.TemporaryCredentials.AwsTempCredentials;
import io.lakeshare.protocol.model.TemporaryCredentials.AzureUserDelegationSas;
import io.lakeshare.protocol.model.TemporaryCredentials.GcpOauthToken;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CredentialsCodecTest {

  private static TemporaryCredentials read(String json) {
    return WireJson.readCredentialsResponse(
        new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
  }

  private static String location(String body) {
    return WireJson.readCredentialsRequestLocation(
        new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void eachCredentialKindWritesTheSpecShapeAndReadsBack() {
    TemporaryCredentials aws =
        new TemporaryCredentials(
            "s3://bucket/t",
            new AwsTempCredentials("ASIA1", "secret/+=", "token\"x"),
            null,
            null,
            1718298900000L);
    String json = new String(WireJson.writeCredentialsResponse(aws), StandardCharsets.UTF_8);
    assertThat(json)
        .isEqualTo(
            "{\"credentials\":{\"location\":\"s3://bucket/t\",\"awsTempCredentials\":"
                + "{\"accessKeyId\":\"ASIA1\",\"secretAccessKey\":\"secret/+=\","
                + "\"sessionToken\":\"token\\\"x\"},\"expirationTime\":1718298900000}}");
    assertThat(read(json)).isEqualTo(aws);

    TemporaryCredentials azure =
        new TemporaryCredentials(
            "abfss://c@a.dfs.core.windows.net/t",
            null,
            new AzureUserDelegationSas("sv=2023&sr=d&sig=abc"),
            null,
            5L);
    assertThat(read(new String(WireJson.writeCredentialsResponse(azure), StandardCharsets.UTF_8)))
        .isEqualTo(azure);
    TemporaryCredentials gcp =
        new TemporaryCredentials("gs://b/t", null, null, new GcpOauthToken("ya29.x"), 7L);
    assertThat(read(new String(WireJson.writeCredentialsResponse(gcp), StandardCharsets.UTF_8)))
        .isEqualTo(gcp);
  }

  @Test
  void theReferenceServersNullsAndUnknownFieldsAreRead() {
    // a server may write the two kinds it does not use as null, and fields this client ignores
    TemporaryCredentials c =
        read(
            "{\"credentials\":{\"location\":\"gs://b/t\",\"awsTempCredentials\":null,"
                + "\"azureUserDelegationSas\":null,\"gcpOauthToken\":{\"oauthToken\":\"tok\"},"
                + "\"expirationTime\":12,\"extra\":{\"a\":[1]}},\"other\":1}");
    assertThat(c.gcp().oauthToken()).isEqualTo("tok");
    assertThat(c.expirationTime()).isEqualTo(12L);
  }

  @Test
  void answersWithoutExactlyOneKindOrWithoutRequiredFieldsAreRefused() {
    assertThatThrownBy(
            () -> read("{\"credentials\":{\"location\":\"s3://b/t\",\"expirationTime\":1}}"))
        .isInstanceOf(WireFormatException.class)
        .hasMessageContaining("carry none of awsTempCredentials");
    assertThatThrownBy(
            () ->
                read(
                    "{\"credentials\":{\"location\":\"s3://b/t\",\"expirationTime\":1,"
                        + "\"gcpOauthToken\":{\"oauthToken\":\"a\"},"
                        + "\"azureUserDelegationSas\":{\"sasToken\":\"b\"}}}"))
        .hasMessageContaining("carry 2 of");
    assertThatThrownBy(
            () ->
                read(
                    "{\"credentials\":{\"location\":\"s3://b/t\",\"expirationTime\":1,"
                        + "\"awsTempCredentials\":{\"accessKeyId\":\"a\",\"secretAccessKey\":\"b\"}}}"))
        .hasMessageContaining("sessionToken");
    assertThatThrownBy(() -> read("{\"credentials\":{\"gcpOauthToken\":{\"oauthToken\":\"a\"}}}"))
        .hasMessageContaining("location");
    assertThatThrownBy(() -> read("{}")).hasMessageContaining("credentials");
    assertThatThrownBy(() -> read("[1]")).hasMessageContaining("not a JSON object");
  }

  @Test
  void secretsStayOutOfToString() {
    TemporaryCredentials c =
        new TemporaryCredentials(
            "s3://b/t", new AwsTempCredentials("AKID", "SECRET", "SESSION"), null, null, 1L);
    assertThat(c.toString()).contains("AKID").doesNotContain("SECRET").doesNotContain("SESSION");
    assertThat(new AzureUserDelegationSas("sig=SAS").toString()).doesNotContain("SAS");
    assertThat(new GcpOauthToken("TOKEN").toString()).doesNotContain("TOKEN");
  }

  @Test
  void requestBodiesAreReadLenientlyLikeTheReferenceServer() {
    assertThat(location("")).isNull();
    assertThat(location("not json")).isNull();
    assertThat(location("[\"s3://b/t\"]")).isNull();
    assertThat(location("{}")).isNull();
    assertThat(location("{\"location\":null}")).isNull();
    assertThat(location("{\"other\":{\"x\":1},\"location\":\"s3://b/t/_delta_log\"}"))
        .isEqualTo("s3://b/t/_delta_log");
    assertThatThrownBy(() -> location("{\"location\":5}"))
        .isInstanceOf(WireFormatException.class)
        .hasMessageContaining("location must be a string");
    assertThat(new String(WireJson.writeCredentialsRequest("s3://b/t"), StandardCharsets.UTF_8))
        .isEqualTo("{\"location\":\"s3://b/t\"}");
    assertThat(new String(WireJson.writeCredentialsRequest(null), StandardCharsets.UTF_8))
        .isEqualTo("{}");
  }
}
