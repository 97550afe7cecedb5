package io.lakeshare.protocol.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads scalar field values with the leniency of protobuf's JSON rules (int64 as number or string)
 * and error texts modelled on the reference server's. Each method expects the parser to sit on the
 * field's value token and returns {@code null} for a JSON {@code null}.
 */
final class JsonScalars {
  private static final int MAX_ECHO = 100;

  private JsonScalars() {}

  static String string(JsonParser p, String field, String where) throws IOException {
    JsonToken t = p.currentToken();
    if (t == JsonToken.VALUE_NULL) {
      return null;
    }
    if (t == JsonToken.VALUE_STRING
        || t == JsonToken.VALUE_NUMBER_INT
        || t == JsonToken.VALUE_NUMBER_FLOAT) {
      return p.getText();
    }
    throw new WireFormatException(
        "Expected a string for field " + field + " of " + where + ", got " + describe(t));
  }

  static String requiredString(JsonParser p, String field, String where) throws IOException {
    String s = string(p, field, where);
    if (s == null) {
      throw new WireFormatException("Field " + field + " of " + where + " must not be null");
    }
    return s;
  }

  static Long int64(JsonParser p, String field, String where) throws IOException {
    JsonToken t = p.currentToken();
    switch (t) {
      case VALUE_NULL:
        return null;
      case VALUE_NUMBER_INT:
        if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
          throw new WireFormatException("Not an int64 value: " + echo(p.getText()));
        }
        return p.getLongValue();
      case VALUE_NUMBER_FLOAT:
      case VALUE_STRING:
        return parseInt64(p.getText());
      default:
        throw new WireFormatException(
            "Expected a number for field " + field + " of " + where + ", got " + describe(t));
    }
  }

  static Integer int32(JsonParser p, String field, String where) throws IOException {
    Long v;
    try {
      v = int64(p, field, where);
    } catch (WireFormatException e) {
      if (e.getMessage().startsWith("Not an int64 value: ")) {
        throw new WireFormatException("Not an int32 value: " + echo(p.getText()));
      }
      throw e;
    }
    if (v == null) {
      return null;
    }
    if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
      throw new WireFormatException("Not an int32 value: " + echo(p.getText()));
    }
    return v.intValue();
  }

  static Boolean bool(JsonParser p, String field, String where) throws IOException {
    JsonToken t = p.currentToken();
    switch (t) {
      case VALUE_NULL:
        return null;
      case VALUE_TRUE:
        return Boolean.TRUE;
      case VALUE_FALSE:
        return Boolean.FALSE;
      case VALUE_STRING:
        if ("true".equals(p.getText())) {
          return Boolean.TRUE;
        }
        if ("false".equals(p.getText())) {
          return Boolean.FALSE;
        }
        throw notBoolean(field, where, "\"" + echo(p.getText()) + "\"");
      case START_OBJECT:
      case START_ARRAY:
        throw notBoolean(field, where, describe(t));
      default:
        throw notBoolean(field, where, echo(p.getText()));
    }
  }

  private static WireFormatException notBoolean(String field, String where, String got) {
    return new WireFormatException(
        "Not a boolean value for field " + field + " of " + where + ": " + got);
  }

  /** Reads an array of strings; {@code null} for a JSON null, never null elements. */
  static List<String> stringArray(JsonParser p, String field, String where) throws IOException {
    JsonToken t = p.currentToken();
    if (t == JsonToken.VALUE_NULL) {
      return null;
    }
    if (t != JsonToken.START_ARRAY) {
      throw new WireFormatException(
          "Expected an array for repeated field " + field + " of " + where);
    }
    List<String> out = new ArrayList<>();
    while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
      if (t == JsonToken.VALUE_NULL) {
        throw new WireFormatException(
            "Repeated field elements cannot be null in " + field + " of " + where);
      }
      out.add(string(p, field, where));
    }
    return out;
  }

  /**
   * Reads an object of string values, keeping key order. JSON null values are kept as {@code null}
   * when {@code keepNulls}, dropped otherwise.
   */
  static Map<String, String> stringMap(JsonParser p, String field, String where, boolean keepNulls)
      throws IOException {
    JsonToken t = p.currentToken();
    if (t == JsonToken.VALUE_NULL) {
      return null;
    }
    if (t != JsonToken.START_OBJECT) {
      throw new WireFormatException(
          "Expected an object for map field " + field + " of " + where + ", got " + describe(t));
    }
    Map<String, String> out = new LinkedHashMap<>();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String key = p.currentName();
      p.nextToken();
      String value = string(p, field + "." + key, where);
      if (value != null || keepNulls) {
        out.put(key, value);
      }
    }
    return out;
  }

  static void expectObject(JsonParser p, String where) {
    JsonToken t = p.currentToken();
    if (t != JsonToken.START_OBJECT) {
      throw new WireFormatException("Expected a JSON object for " + where + ", got " + describe(t));
    }
  }

  static long parseInt64(String text) {
    String v = text.trim();
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      // fall through: may be "3.0", "1e3" or out of range
    }
    BigDecimal d;
    try {
      d = new BigDecimal(v);
    } catch (NumberFormatException e) {
      throw new WireFormatException("Not a numeric value: " + echo(text));
    }
    try {
      return d.longValueExact();
    } catch (ArithmeticException e) {
      throw new WireFormatException("Not an int64 value: " + echo(text));
    }
  }

  static String describe(JsonToken t) {
    if (t == null) {
      return "end of input";
    }
    return switch (t) {
      case START_OBJECT -> "an object";
      case START_ARRAY -> "an array";
      case VALUE_STRING -> "a string";
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
      case VALUE_TRUE, VALUE_FALSE -> "a boolean";
      case VALUE_NULL -> "null";
      default -> t.name();
    };
  }

  /** Shortens echoed input so that error messages stay small. */
  static String echo(String s) {
    return s.length() <= MAX_ECHO ? s : s.substring(0, MAX_ECHO) + "...";
  }
}
