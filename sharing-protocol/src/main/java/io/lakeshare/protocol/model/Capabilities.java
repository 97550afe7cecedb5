package io.lakeshare.protocol.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The {@code delta-sharing-capabilities} header (CONFORMANCE §2). Values are trimmed and
 * lower-cased; an empty {@code responseFormats} means the header did not name a format, which
 * stands for parquet.
 */
public record Capabilities(
    List<String> responseFormats,
    Set<String> readerFeatures,
    boolean includeEndStreamAction,
    boolean asyncQuery) {

  /** Key listing the acceptable response formats ({@code parquet}, {@code delta}). */
  public static final String KEY_RESPONSE_FORMAT = "responseformat";

  /** Key listing the Delta reader features the client can process. */
  public static final String KEY_READER_FEATURES = "readerfeatures";

  /** Key asking for a trailing EndStreamAction line. */
  public static final String KEY_INCLUDE_END_STREAM_ACTION = "includeendstreamaction";

  /** Key asking for an asynchronous query. */
  public static final String KEY_ASYNC_QUERY = "asyncquery";

  /** No capability stated: parquet only, no reader features, no end-stream action, no async. */
  public static final Capabilities NONE = new Capabilities(List.of(), Set.of(), false, false);

  public Capabilities {
    responseFormats = List.copyOf(normalize(responseFormats));
    readerFeatures = Collections.unmodifiableSet(new LinkedHashSet<>(normalize(readerFeatures)));
  }

  private static List<String> normalize(java.util.Collection<String> values) {
    LinkedHashSet<String> out = new LinkedHashSet<>();
    if (values != null) {
      for (String v : values) {
        String n = v == null ? "" : v.trim().toLowerCase(Locale.ROOT);
        if (!n.isEmpty()) {
          out.add(n);
        }
      }
    }
    return new ArrayList<>(out);
  }

  /**
   * Parses a header value such as {@code responseformat=delta,parquet;readerfeatures=dv}. Keys,
   * values and list items are trimmed and lower-cased; malformed parts and unknown keys are
   * ignored; a later duplicate key wins. {@code null} or blank gives {@link #NONE}.
   */
  /** The same capabilities with {@code asyncquery} set as given. */
  public Capabilities withAsyncQuery(boolean async) {
    return async == asyncQuery
        ? this
        : new Capabilities(responseFormats, readerFeatures, includeEndStreamAction, async);
  }

  public static Capabilities parse(String headerValue) {
    if (headerValue == null || headerValue.isBlank()) {
      return NONE;
    }
    List<String> formats = List.of();
    Set<String> features = Set.of();
    boolean endStream = false;
    boolean async = false;
    for (String part : headerValue.split(";")) {
      String[] kv = part.split("=", -1);
      if (kv.length != 2) {
        continue;
      }
      String key = kv[0].trim().toLowerCase(Locale.ROOT);
      String value = kv[1].trim().toLowerCase(Locale.ROOT);
      switch (key) {
        case KEY_RESPONSE_FORMAT -> formats = List.of(value.split(","));
        case KEY_READER_FEATURES -> features = new LinkedHashSet<>(List.of(value.split(",")));
        case KEY_INCLUDE_END_STREAM_ACTION -> endStream = value.equals("true");
        case KEY_ASYNC_QUERY -> async = value.equals("true");
        default -> {
          // Unknown keys are ignored so that newer clients keep working (§2.1).
        }
      }
    }
    return new Capabilities(formats, features, endStream, async);
  }

  /** The header value, e.g. {@code responseformat=delta,parquet;includeendstreamaction=true}. */
  public String toHeaderValue() {
    List<String> parts = new ArrayList<>(4);
    if (!responseFormats.isEmpty()) {
      parts.add(KEY_RESPONSE_FORMAT + "=" + String.join(",", responseFormats));
    }
    if (!readerFeatures.isEmpty()) {
      parts.add(KEY_READER_FEATURES + "=" + String.join(",", readerFeatures));
    }
    if (includeEndStreamAction) {
      parts.add(KEY_INCLUDE_END_STREAM_ACTION + "=true");
    }
    if (asyncQuery) {
      parts.add(KEY_ASYNC_QUERY + "=true");
    }
    return String.join(";", parts);
  }

  /** Whether answers in {@code format} are acceptable; parquet when no format was named. */
  public boolean accepts(String format) {
    String f = format.trim().toLowerCase(Locale.ROOT);
    return responseFormats.isEmpty()
        ? f.equals(ProtocolConstants.FORMAT_PARQUET)
        : responseFormats.contains(f);
  }
}
