package io.lakeshare.protocol.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import io.lakeshare.protocol.model.ErrorResponse;
import io.lakeshare.protocol.model.Page;
import io.lakeshare.protocol.model.QueryTableRequest;
import io.lakeshare.protocol.model.ResponseAction;
import io.lakeshare.protocol.model.Schema;
import io.lakeshare.protocol.model.Share;
import io.lakeshare.protocol.model.Table;
import io.lakeshare.protocol.model.TemporaryCredentials;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Entry point to the hand-written JSON codecs of the Delta Sharing wire format. Writers omit absent
 * optional fields and emit keys in a fixed order, so equal records give identical bytes. Readers
 * ignore unknown fields and throw {@link WireFormatException} (client-safe message) on malformed
 * input; I/O failures of a stream surface as {@link UncheckedIOException}.
 */
public final class WireJson {
  // Streams belong to the caller; NdjsonReader closes its own explicitly.
  static final JsonFactory FACTORY =
      JsonFactory.builder().disable(StreamReadFeature.AUTO_CLOSE_SOURCE).build();

  private WireJson() {}

  /**
   * Writes one action line's wrapper object, without a newline. To put several lines on one
   * generator, build its factory with {@code new JsonFactoryBuilder().rootValueSeparator((String)
   * null)} and write each {@code '\n'} with {@code writeRaw}; otherwise Jackson puts a space before
   * every root value after the first.
   */
  public static void writeAction(ResponseAction a, JsonGenerator g) throws IOException {
    ActionCodec.write(a, g);
  }

  /** UTF-8 bytes of {@link #writeAction}, without a newline. */
  public static byte[] actionBytes(ResponseAction a) {
    return bytes(g -> ActionCodec.write(a, g));
  }

  /**
   * Parses one NDJSON line. Returns {@code null} for a blank line or one whose wrapper key is not
   * known (callers skip it).
   */
  public static ResponseAction readAction(String line) {
    try (JsonParser p = FACTORY.createParser(line)) {
      if (p.nextToken() == null) {
        return null;
      }
      ResponseAction a = ActionCodec.read(p);
      if (p.nextToken() != null) {
        throw new WireFormatException("Unexpected content after the action object");
      }
      return a;
    } catch (JsonProcessingException e) {
      throw new WireFormatException("Action line is not valid JSON: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Parses a query request body. A zero-length or whitespace-only body is {@link
   * QueryTableRequest#EMPTY}.
   */
  public static QueryTableRequest readQueryRequest(InputStream body) {
    try (JsonParser p = FACTORY.createParser(body)) {
      return QueryRequestCodec.read(p);
    } catch (JsonProcessingException e) {
      throw new WireFormatException(
          "Request body is not a JSON object: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The {@code queryStatus} line of an asynchronous query answer (CONFORMANCE §1.11): {@code
   * [queryId, status, errorMessage]} (absent fields null), or null when the body holds no such
   * line. Lines with other wrapper keys are skipped.
   */
  public static String[] readQueryStatus(InputStream in) throws IOException {
    try (JsonParser p = FACTORY.createParser(in)) {
      JsonToken t;
      while ((t = p.nextToken()) != null) {
        if (t != JsonToken.START_OBJECT) {
          throw new WireFormatException("An asynchronous query answer line is not a JSON object.");
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String key = p.currentName();
          JsonToken v = p.nextToken();
          if (!"queryStatus".equals(key) || v != JsonToken.START_OBJECT) {
            p.skipChildren();
            continue;
          }
          String[] out = new String[3];
          while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            String text = value == JsonToken.VALUE_STRING ? p.getText() : null;
            switch (name) {
              case "queryId" -> out[0] = text;
              case "status" -> out[1] = text;
              case "errorMessage" -> out[2] = text;
              default -> p.skipChildren();
            }
          }
          return out;
        }
      }
    } catch (JsonProcessingException e) {
      throw new WireFormatException("Unreadable queryStatus line: " + e.getOriginalMessage(), e);
    }
    return null;
  }

  /** Serializes a query request with camelCase names, omitting unset fields. */
  public static byte[] writeQueryRequest(QueryTableRequest r) {
    return bytes(g -> QueryRequestCodec.write(r, g));
  }

  /** {@code {"items":[...],"nextPageToken":"..."}} for list shares. */
  public static byte[] writeSharesPage(Page<Share> page) {
    return bytes(g -> PageCodec.write(page, ShareCodec.INSTANCE, g));
  }

  /** {@code {"items":[...],"nextPageToken":"..."}} for list schemas. */
  public static byte[] writeSchemasPage(Page<Schema> page) {
    return bytes(g -> PageCodec.write(page, SchemaCodec.INSTANCE, g));
  }

  /** {@code {"items":[...],"nextPageToken":"..."}} for list tables and all-tables. */
  public static byte[] writeTablesPage(Page<Table> page) {
    return bytes(g -> PageCodec.write(page, TableCodec.INSTANCE, g));
  }

  /** {@code {"share":{...}}} for get share. */
  public static byte[] writeShareResponse(Share share) {
    return bytes(
        g -> {
          g.writeStartObject();
          g.writeFieldName("share");
          ShareCodec.INSTANCE.write(share, g);
          g.writeEndObject();
        });
  }

  /** Reads a list-shares answer. */
  public static Page<Share> readSharesPage(InputStream in) {
    return read(in, p -> PageCodec.read(p, ShareCodec.INSTANCE, "shares"));
  }

  /** Reads a list-schemas answer. */
  public static Page<Schema> readSchemasPage(InputStream in) {
    return read(in, p -> PageCodec.read(p, SchemaCodec.INSTANCE, "schemas"));
  }

  /** Reads a list-tables or all-tables answer. */
  public static Page<Table> readTablesPage(InputStream in) {
    return read(in, p -> PageCodec.read(p, TableCodec.INSTANCE, "tables"));
  }

  /** Reads a get-share answer {@code {"share":{...}}}. */
  public static Share readShareResponse(InputStream in) {
    return read(in, WireJson::readShareResponse);
  }

  /** {@code {"credentials":{...}}} for temporary-table-credentials. */
  public static byte[] writeCredentialsResponse(TemporaryCredentials c) {
    return bytes(g -> CredentialsCodec.write(c, g));
  }

  /** Reads a temporary-table-credentials answer. */
  public static TemporaryCredentials readCredentialsResponse(InputStream in) {
    return read(in, CredentialsCodec::read);
  }

  /** The temporary-table-credentials request body: {@code {}} or {@code {"location":"..."}}. */
  public static byte[] writeCredentialsRequest(String location) {
    return bytes(
        g -> {
          g.writeStartObject();
          if (location != null) {
            g.writeStringField("location", location);
          }
          g.writeEndObject();
        });
  }

  /**
   * The {@code location} of a temporary-table-credentials request body, read leniently like the
   * reference server: an empty body, one that is not JSON or not an object, or one without the
   * field asks for the table root ({@code null}).
   *
   * @throws WireFormatException when {@code location} is there but not a string
   */
  public static String readCredentialsRequestLocation(InputStream body) {
    try (JsonParser p = FACTORY.createParser(body)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      String location = null;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken t = p.nextToken();
        if (field.equals("location")) {
          if (t == JsonToken.VALUE_NULL) {
            location = null;
          } else if (t == JsonToken.VALUE_STRING) {
            location = p.getText();
          } else {
            throw new WireFormatException("The field location must be a string");
          }
        } else {
          p.skipChildren();
        }
      }
      return location;
    } catch (JsonProcessingException e) {
      return null;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Serializes the error envelope. */
  public static byte[] writeError(ErrorResponse e) {
    return bytes(g -> ErrorCodec.write(e, g));
  }

  /** Parses an error envelope; {@code null} when the body is not one. */
  public static ErrorResponse readError(byte[] body) {
    if (body == null || body.length == 0) {
      return null;
    }
    try (JsonParser p = FACTORY.createParser(body)) {
      return ErrorCodec.read(p);
    } catch (IOException e) {
      return null;
    }
  }

  private interface Writer {
    void write(JsonGenerator g) throws IOException;
  }

  private interface Reader<T> {
    T read(JsonParser p) throws IOException;
  }

  private static byte[] bytes(Writer w) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      w.write(g);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static <T> T read(InputStream in, Reader<T> r) {
    try (JsonParser p = FACTORY.createParser(in)) {
      return r.read(p);
    } catch (JsonProcessingException e) {
      throw new WireFormatException("Answer is not valid JSON: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Share readShareResponse(JsonParser p) throws IOException {
    if (p.nextToken() != JsonToken.START_OBJECT) {
      throw new WireFormatException("A get-share answer is not a JSON object");
    }
    Share share = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      p.nextToken();
      if (field.equals("share")) {
        share = ShareCodec.INSTANCE.read(p);
      } else {
        p.skipChildren();
      }
    }
    if (share == null) {
      throw new WireFormatException("A get-share answer has no share object");
    }
    return share;
  }
}
