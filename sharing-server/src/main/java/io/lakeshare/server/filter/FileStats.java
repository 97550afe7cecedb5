package io.lakeshare.server.filter;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lakeshare.server.delta.JsonStringBody;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.Iterator;
import java.util.Locale;

/**
 * The per-file statistics of CONFORMANCE §3.6, read leniently: anything missing, malformed, nested
 * or not provably a bound becomes an unknown bound.
 */
final class FileStats {
  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
  private static final FileStats NONE = new FileStats(null);
  private static final ThreadLocal<byte[]> DECODED = ThreadLocal.withInitial(() -> new byte[1024]);

  /** Statistics timestamps carry milliseconds only; we widen both ends by one millisecond. */
  private static final long TIMESTAMP_SLACK_MICROS = 1000;

  private final JsonNode root;

  private FileStats(JsonNode root) {
    this.root = root;
  }

  static FileStats parse(String statsJson) {
    if (statsJson == null || statsJson.isBlank()) {
      return NONE;
    }
    try {
      JsonNode node = MAPPER.readTree(statsJson);
      return node != null && node.isObject() ? new FileStats(node) : NONE;
    } catch (JsonProcessingException e) {
      return NONE;
    }
  }

  /**
   * As {@link #parse}, from the stats kept as the body of a JSON string: the common ASCII case is
   * decoded into bytes that Jackson's byte parser reads directly.
   */
  static FileStats parseBody(byte[] statsJsonBody) {
    // a filter decodes the stats of every file it checks: the decoded bytes go to a buffer of the
    // thread's (Jackson copies what it keeps), kept up to 64 KB
    byte[] ascii = DECODED.get();
    if (ascii.length < statsJsonBody.length) {
      ascii = new byte[statsJsonBody.length];
      if (ascii.length <= 64 * 1024) {
        DECODED.set(ascii);
      }
    }
    int n = JsonStringBody.decodeAscii(statsJsonBody, ascii);
    if (n < 0) {
      return parse(JsonStringBody.decode(statsJsonBody));
    }
    try {
      JsonNode node = MAPPER.readTree(ascii, 0, n);
      return node != null && node.isObject() ? new FileStats(node) : NONE;
    } catch (IOException e) {
      return NONE;
    }
  }

  /** The native range of a data column over this file's rows. */
  Range columnRange(ColumnInfo column) {
    if (root == null) {
      return Range.UNKNOWN;
    }
    Long numRecords = count(root.get("numRecords"));
    Long nullCount = count(field(root.get("nullCount"), column));
    boolean canBeNull = nullCount == null || nullCount > 0;
    boolean canBeValue = nullCount == null || numRecords == null || nullCount < numRecords;
    Object lo = lowerBound(column.kind(), field(root.get("minValues"), column));
    Object hi = upperBound(column.kind(), field(root.get("maxValues"), column));
    boolean prefix = column.kind() == ColumnKind.STRING && hi != null;
    return new Range(lo, hi, prefix, canBeNull, canBeValue);
  }

  /**
   * Top-level key of the column: under column mapping only its physical name (a logical name may be
   * another column's physical name, e.g. after a rename and re-add); else the name, then
   * case-insensitive.
   */
  private static JsonNode field(JsonNode map, ColumnInfo column) {
    if (map == null || !map.isObject()) {
      return null;
    }
    JsonNode value = null;
    if (column.physicalName() != null) {
      value = map.get(column.physicalName());
      return value == null || value.isNull() || value.isContainerNode() ? null : value;
    }
    if (value == null) {
      value = map.get(column.name());
    }
    if (value == null) {
      String lower = column.name().toLowerCase(Locale.ROOT);
      for (Iterator<String> it = map.fieldNames(); it.hasNext(); ) {
        String key = it.next();
        if (key.toLowerCase(Locale.ROOT).equals(lower)) {
          if (value != null) {
            return null; // ambiguous
          }
          value = map.get(key);
        }
      }
    }
    return value == null || value.isNull() || value.isContainerNode() ? null : value;
  }

  private static Long count(JsonNode node) {
    if (node == null || !node.isIntegralNumber() || !node.canConvertToLong()) {
      return null;
    }
    long v = node.longValue();
    return v < 0 ? null : v;
  }

  private static Object lowerBound(ColumnKind kind, JsonNode node) {
    if (node == null) {
      return null;
    }
    if (kind == ColumnKind.STRING) {
      // A truncated minimum is a prefix of the true one, hence still a lower bound.
      return node.isTextual() && orderSafe(node.asText()) ? node.asText() : null;
    }
    if (kind == ColumnKind.TIMESTAMP) {
      Range r = timestamp(node);
      return r == null ? null : widen((Long) r.lo(), -TIMESTAMP_SLACK_MICROS);
    }
    return number(kind, node);
  }

  /**
   * Float and double maxima are never used: Spark orders NaN above every number, and writers leave
   * NaN out of the statistics, so a file whose max says 1.0 may still hold NaN &gt; 5.
   *
   * <p>String maxima may be truncated by writers (Delta keeps a 32-character prefix and may append
   * a tie-breaker character), so we drop the last code point and use the rest only as a prefix of
   * the true maximum: that is sound whatever the truncation length and tie-breaker were.
   */
  private static Object upperBound(ColumnKind kind, JsonNode node) {
    if (node == null || kind == ColumnKind.FLOAT || kind == ColumnKind.DOUBLE) {
      return null;
    }
    if (kind == ColumnKind.STRING) {
      if (!node.isTextual() || node.asText().isEmpty()) {
        return null;
      }
      String s = node.asText();
      String prefix = s.substring(0, s.offsetByCodePoints(s.length(), -1));
      return prefix.isEmpty() || !orderSafe(prefix) ? null : prefix;
    }
    if (kind == ColumnKind.TIMESTAMP) {
      Range r = timestamp(node);
      return r == null ? null : widen((Long) r.hi(), TIMESTAMP_SLACK_MICROS);
    }
    return number(kind, node);
  }

  /**
   * A writer may have ordered strings by UTF-16 units instead of code points; the two orders only
   * disagree on characters from U+D800 up, so a bound made of lower characters is a bound in both.
   */
  private static boolean orderSafe(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) >= '\uD800') {
        return false;
      }
    }
    return true;
  }

  private static Long widen(long micros, long by) {
    try {
      return Math.addExact(micros, by);
    } catch (ArithmeticException e) {
      return null;
    }
  }

  private static Range timestamp(JsonNode node) {
    if (!node.isTextual()) {
      return null;
    }
    Range r = TextValues.timestamp(node.asText());
    return r.lo() == null || r.hi() == null ? null : r;
  }

  /** Native value of a numeric, boolean or date statistic; {@code null} when unusable. */
  private static Object number(ColumnKind kind, JsonNode node) {
    try {
      if (kind.isIntegral()) {
        return node.isIntegralNumber() && node.canConvertToLong() ? node.longValue() : null;
      }
      return switch (kind) {
        case FLOAT -> node.isNumber() ? finite(Float.parseFloat(node.asText())) : null;
        case DOUBLE -> node.isNumber() ? finite(Double.parseDouble(node.asText())) : null;
        case DECIMAL -> node.isNumber() ? node.decimalValue() : decimalText(node);
        case BOOLEAN -> node.isBoolean() ? node.booleanValue() : null;
        case DATE -> node.isTextual() ? TextValues.epochDay(node.asText()) : null;
        default -> null;
      };
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static Double finite(double d) {
    return Double.isNaN(d) ? null : TextValues.normalize(d);
  }

  private static BigDecimal decimalText(JsonNode node) {
    if (!node.isTextual()) {
      return null;
    }
    Range r = TextValues.parse(ColumnKind.DECIMAL, node.asText());
    return r.lo() instanceof BigDecimal d ? d : null;
  }
}
