package io.lakeshare.server.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;

/**
 * One YAML mapping of the config file with typed, path-aware accessors. Type errors become {@link
 * ConfigException}s naming the key and where it sits; keys never read are reported as unknown.
 */
final class YamlSection {
  private final String source;
  private final ObjectNode node;
  private final Set<String> readKeys = new HashSet<>();
  private final String parent;
  private String label;

  /** The top-level mapping of the file named {@code source}. */
  YamlSection(String source, ObjectNode node) {
    this(source, node, "", "");
  }

  private YamlSection(String source, ObjectNode node, String parent, String label) {
    this.source = source;
    this.node = node;
    this.parent = parent;
    this.label = label;
  }

  /** The name of the file this section comes from. */
  String source() {
    return source;
  }

  /** Renames this section once its name is known, so later messages point at it by name. */
  void relabel(String label) {
    this.label = label;
  }

  /** Where this section sits, e.g. "share 'sales' > schema 'q1' > table #2"; empty at the top. */
  String where() {
    return parent.isEmpty() ? label : parent + " > " + label;
  }

  ConfigException error(String message) {
    String where = where();
    return new ConfigException(source + ": " + (where.isEmpty() ? "" : where + ": ") + message);
  }

  /** The value of {@code key} as text; scalars of other types are accepted like the reference. */
  String string(String key) {
    JsonNode value = value(key);
    if (value == null) {
      return null;
    }
    if (!value.isValueNode()) {
      throw error("'" + key + "' must be a string, got " + describe(value));
    }
    return value.asText();
  }

  private static final java.util.regex.Pattern ENV =
      java.util.regex.Pattern.compile("\\$\\{env:([A-Za-z_][A-Za-z0-9_]*)}");

  /**
   * The text of {@code key} with every {@code ${env:NAME}} replaced through {@code environment},
   * trimmed; null when absent or empty. A variable that is not set is an error naming it.
   */
  String stringWithEnvironment(String key, java.util.function.UnaryOperator<String> environment) {
    String raw = string(key);
    if (raw == null) {
      return null;
    }
    java.util.regex.Matcher m = ENV.matcher(raw);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String v = environment.apply(m.group(1));
      if (v == null) {
        throw error(
            "'"
                + key
                + "' refers to the environment variable "
                + m.group(1)
                + ", which is not set");
      }
      m.appendReplacement(out, java.util.regex.Matcher.quoteReplacement(v));
    }
    m.appendTail(out);
    String v = out.toString().trim();
    return v.isEmpty() ? null : v;
  }

  /** The texts listed under {@code key} (a list of scalars); empty when absent. */
  List<String> stringList(String key) {
    JsonNode value = value(key);
    List<String> out = new ArrayList<>();
    if (value == null) {
      return out;
    }
    if (!value.isArray()) {
      throw error("'" + key + "' must be a list, got " + describe(value));
    }
    for (JsonNode item : value) {
      if (!item.isValueNode() || item.isNull()) {
        throw error("each item of '" + key + "' must be a string, got " + describe(item));
      }
      out.add(item.asText());
    }
    return out;
  }

  /** A mapping of names to scalar texts under {@code key}, in file order; empty when absent. */
  java.util.Map<String, String> stringMap(String key) {
    JsonNode value = value(key);
    java.util.Map<String, String> out = new java.util.LinkedHashMap<>();
    if (value == null) {
      return out;
    }
    if (!value.isObject()) {
      throw error("'" + key + "' must be a mapping of keys to values, got " + describe(value));
    }
    for (Iterator<java.util.Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
      java.util.Map.Entry<String, JsonNode> e = it.next();
      if (!e.getValue().isValueNode() || e.getValue().isNull()) {
        throw error(
            "'" + key + "' > '" + e.getKey() + "' must be a string, got " + describe(e.getValue()));
      }
      out.put(e.getKey(), e.getValue().asText());
    }
    return out;
  }

  Boolean bool(String key) {
    JsonNode value = value(key);
    if (value == null) {
      return null;
    }
    if (value.isBoolean()) {
      return value.booleanValue();
    }
    if (value.isTextual()) {
      String text = value.textValue().trim().toLowerCase(Locale.ROOT);
      if (text.equals("true") || text.equals("false")) {
        return Boolean.valueOf(text);
      }
    }
    throw error("'" + key + "' must be true or false, got " + describe(value));
  }

  Integer integer(String key) {
    Long value = longValue(key);
    if (value == null) {
      return null;
    }
    if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
      throw error("'" + key + "' is out of range: " + value);
    }
    return value.intValue();
  }

  /**
   * A whole number; quoted digits and floats without a fraction are accepted like the reference.
   */
  Long longValue(String key) {
    JsonNode value = value(key);
    if (value == null) {
      return null;
    }
    if (value.isIntegralNumber()) {
      if (!value.canConvertToLong()) {
        throw error("'" + key + "' is out of range: " + value.asText());
      }
      return value.longValue();
    }
    try {
      if (value.isFloatingPointNumber()) {
        return value.decimalValue().longValueExact();
      }
      if (value.isTextual()) {
        return new BigDecimal(value.textValue().trim()).longValueExact();
      }
    } catch (ArithmeticException | NumberFormatException e) {
      // fall through to the type error below
    }
    throw error("'" + key + "' must be a whole number, got " + describe(value));
  }

  /**
   * The nested mapping under {@code key}, or null when the key is absent. An explicit empty value
   * ({@code key:} with nothing after it) counts as an empty mapping, so that a section the operator
   * started but did not finish is validated instead of silently dropped.
   */
  YamlSection section(String key) {
    readKeys.add(key);
    JsonNode value = node.get(key);
    if (value == null) {
      return null;
    }
    if (value.isNull()) {
      return new YamlSection(source, JsonNodeFactory.instance.objectNode(), where(), key);
    }
    if (!value.isObject()) {
      throw error("'" + key + "' must be a mapping of keys to values, got " + describe(value));
    }
    return new YamlSection(source, (ObjectNode) value, where(), key);
  }

  /** The mappings listed under {@code key}, each labelled "{@code itemKind} #n" (1-based). */
  List<YamlSection> list(String key, String itemKind) {
    JsonNode value = value(key);
    List<YamlSection> items = new ArrayList<>();
    if (value == null) {
      return items;
    }
    if (!value.isArray()) {
      throw error("'" + key + "' must be a list, got " + describe(value));
    }
    for (int i = 0; i < value.size(); i++) {
      JsonNode item = value.get(i);
      String itemLabel = itemKind + " #" + (i + 1);
      if (!item.isObject()) {
        throw new YamlSection(source, node, where(), itemLabel)
            .error(
                "each item of '"
                    + key
                    + "' must be a mapping of keys to values, got "
                    + describe(item));
      }
      items.add(new YamlSection(source, (ObjectNode) item, where(), itemLabel));
    }
    return items;
  }

  /** Hands the path of every key that no accessor asked for to {@code onUnknownKey}. */
  void reportUnknownKeys(Consumer<String> onUnknownKey) {
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!readKeys.contains(name)) {
        onUnknownKey.accept(child(name));
      }
    }
  }

  private JsonNode value(String key) {
    readKeys.add(key);
    JsonNode value = node.get(key);
    return value == null || value.isNull() ? null : value;
  }

  private String child(String key) {
    String where = where();
    return where.isEmpty() ? key : where + " > " + key;
  }

  private static String describe(JsonNode value) {
    if (value.isArray()) {
      return "a list";
    }
    if (value.isObject()) {
      return "a mapping";
    }
    if (value.isNull()) {
      return "nothing";
    }
    return "'" + NameRules.display(value.asText()) + "'";
  }
}
