package io.lakeshare.server.storage.s3;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/**
 * The inline session policy of temporary table credentials: read the objects under one directory of
 * one bucket ({@code s3:GetObject} on {@code <bucket>/<prefix>/*}) and list only that directory
 * ({@code s3:ListBucket} on the bucket with {@code s3:prefix} {@code <prefix>/} or {@code
 * <prefix>/*}); nothing else. The effective permissions are those the role's own policies also
 * allow. A prefix with a character IAM would read as a wildcard ({@code *}, {@code ?}) or a policy
 * variable ({@code $}) is refused rather than widened.
 */
final class S3SessionPolicy {
  private static final JsonFactory JSON = new JsonFactory();

  private S3SessionPolicy() {}

  /**
   * @param partition the ARN partition of the role ({@code aws}, {@code aws-cn}, ...)
   * @param bucket the bucket
   * @param prefix the directory's key prefix without leading or trailing {@code /}; empty for the
   *     whole bucket
   * @throws IllegalArgumentException when the prefix cannot be written without widening it
   */
  static String readOnly(String partition, String bucket, String prefix) {
    if (prefix.matches(".*[*?$].*") || bucket.matches(".*[*?$].*")) {
      throw new IllegalArgumentException(
          "the location has '*', '?' or '$', which a policy would read as a wildcard or variable");
    }
    String dir = prefix.isEmpty() ? "" : prefix + "/";
    StringWriter out = new StringWriter();
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("Version", "2012-10-17");
      g.writeArrayFieldStart("Statement");
      g.writeStartObject();
      g.writeStringField("Sid", "ReadTableObjects");
      g.writeStringField("Effect", "Allow");
      g.writeStringField("Action", "s3:GetObject");
      g.writeStringField("Resource", "arn:" + partition + ":s3:::" + bucket + "/" + dir + "*");
      g.writeEndObject();
      g.writeStartObject();
      g.writeStringField("Sid", "ListTableDirectory");
      g.writeStringField("Effect", "Allow");
      g.writeStringField("Action", "s3:ListBucket");
      g.writeStringField("Resource", "arn:" + partition + ":s3:::" + bucket);
      if (!dir.isEmpty()) {
        g.writeObjectFieldStart("Condition");
        g.writeObjectFieldStart("StringLike");
        g.writeArrayFieldStart("s3:prefix");
        g.writeString(dir);
        g.writeString(dir + "*");
        g.writeEndArray();
        g.writeEndObject();
        g.writeEndObject();
      }
      g.writeEndObject();
      g.writeEndArray();
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }
}
