package io.lakeshare.protocol.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.lakeshare.protocol.model.TemporaryCredentials;
import io.lakeshare.protocol.model.TemporaryCredentials.AwsTempCredentials;
import io.lakeshare.protocol.model.TemporaryCredentials.AzureUserDelegationSas;
import io.lakeshare.protocol.model.TemporaryCredentials.GcpOauthToken;
import java.io.IOException;

/** {@code {"credentials":{...}}}, the temporary-table-credentials answer (CONFORMANCE §1.12). */
final class CredentialsCodec {
  private static final String WHERE = "temporary table credentials";

  private CredentialsCodec() {}

  static void write(TemporaryCredentials c, JsonGenerator g) throws IOException {
    g.writeStartObject();
    g.writeObjectFieldStart("credentials");
    g.writeStringField("location", c.location());
    if (c.aws() != null) {
      g.writeObjectFieldStart("awsTempCredentials");
      g.writeStringField("accessKeyId", c.aws().accessKeyId());
      g.writeStringField("secretAccessKey", c.aws().secretAccessKey());
      g.writeStringField("sessionToken", c.aws().sessionToken());
      g.writeEndObject();
    }
    if (c.azure() != null) {
      g.writeObjectFieldStart("azureUserDelegationSas");
      g.writeStringField("sasToken", c.azure().sasToken());
      g.writeEndObject();
    }
    if (c.gcp() != null) {
      g.writeObjectFieldStart("gcpOauthToken");
      g.writeStringField("oauthToken", c.gcp().oauthToken());
      g.writeEndObject();
    }
    g.writeNumberField("expirationTime", c.expirationTime());
    g.writeEndObject();
    g.writeEndObject();
  }

  static TemporaryCredentials read(JsonParser p) throws IOException {
    if (p.nextToken() != JsonToken.START_OBJECT) {
      throw new WireFormatException("A temporary-table-credentials answer is not a JSON object");
    }
    TemporaryCredentials c = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      p.nextToken();
      if (field.equals("credentials")) {
        c = credentials(p);
      } else {
        p.skipChildren();
      }
    }
    FileActionCodec.requirePresent(c, "credentials", "the temporary-table-credentials answer");
    return c;
  }

  private static TemporaryCredentials credentials(JsonParser p) throws IOException {
    JsonScalars.expectObject(p, WHERE);
    String location = null;
    Long expiration = null;
    AwsTempCredentials aws = null;
    AzureUserDelegationSas azure = null;
    GcpOauthToken gcp = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      p.nextToken();
      switch (field) {
        case "location" -> location = JsonScalars.string(p, field, WHERE);
        case "expirationTime" -> expiration = JsonScalars.int64(p, field, WHERE);
        case "awsTempCredentials" -> aws = p.currentToken() == JsonToken.VALUE_NULL ? null : aws(p);
        case "azureUserDelegationSas" ->
            azure =
                p.currentToken() == JsonToken.VALUE_NULL
                    ? null
                    : new AzureUserDelegationSas(
                        fields(p, "azureUserDelegationSas", "sasToken")[0]);
        case "gcpOauthToken" ->
            gcp =
                p.currentToken() == JsonToken.VALUE_NULL
                    ? null
                    : new GcpOauthToken(fields(p, "gcpOauthToken", "oauthToken")[0]);
        default -> p.skipChildren();
      }
    }
    FileActionCodec.requirePresent(location, "location", WHERE);
    FileActionCodec.requirePresent(expiration, "expirationTime", WHERE);
    int kinds = (aws == null ? 0 : 1) + (azure == null ? 0 : 1) + (gcp == null ? 0 : 1);
    if (kinds != 1) {
      throw new WireFormatException(
          "The temporary table credentials carry "
              + (kinds == 0 ? "none" : kinds)
              + " of awsTempCredentials, azureUserDelegationSas and gcpOauthToken; exactly one is"
              + " needed");
    }
    return new TemporaryCredentials(location, aws, azure, gcp, expiration);
  }

  private static AwsTempCredentials aws(JsonParser p) throws IOException {
    String[] v = fields(p, "awsTempCredentials", "accessKeyId", "secretAccessKey", "sessionToken");
    return new AwsTempCredentials(v[0], v[1], v[2]);
  }

  /** The named string fields of an object, each required. */
  private static String[] fields(JsonParser p, String where, String... names) throws IOException {
    JsonScalars.expectObject(p, where);
    String[] values = new String[names.length];
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      p.nextToken();
      int i = java.util.Arrays.asList(names).indexOf(field);
      if (i >= 0) {
        values[i] = JsonScalars.string(p, field, where);
      } else {
        p.skipChildren();
      }
    }
    for (int i = 0; i < names.length; i++) {
      FileActionCodec.requirePresent(values[i], names[i], where);
    }
    return values;
  }
}
