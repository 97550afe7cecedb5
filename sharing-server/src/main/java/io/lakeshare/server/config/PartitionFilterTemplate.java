package io.lakeshare.server.config;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A table's {@code partitionFilter} with {@code ${recipient.name}} and {@code
 * ${recipient.<property>}} placeholders, rendered for one recipient. Values are provider-written
 * config, but they land inside SQL string literals, so quotes and backslashes in them are refused
 * rather than escaped.
 */
public final class PartitionFilterTemplate {
  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}]*)}");
  private static final Pattern NAME = Pattern.compile("recipient\\.([A-Za-z0-9_.-]+)");

  private PartitionFilterTemplate() {}

  /** Whether the filter has placeholders, so it differs by recipient. */
  public static boolean isTemplate(String filter) {
    return filter != null && PLACEHOLDER.matcher(filter).find();
  }

  /** Checks the placeholders' syntax. */
  static void check(String filter) {
    Matcher m = PLACEHOLDER.matcher(filter);
    while (m.find()) {
      if (!NAME.matcher(m.group(1)).matches()) {
        throw new IllegalArgumentException(
            "has the placeholder '${"
                + NameRules.display(m.group(1))
                + "}'; write ${recipient.name} or ${recipient.<property>}");
      }
    }
  }

  /**
   * The filter for one recipient.
   *
   * @throws IllegalArgumentException naming a property the recipient lacks or a value that cannot
   *     be placed in SQL
   */
  public static String render(String filter, String recipient, Map<String, String> properties) {
    if (filter == null) {
      return null;
    }
    Matcher m = PLACEHOLDER.matcher(filter);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      Matcher n = NAME.matcher(m.group(1));
      if (!n.matches()) {
        throw new IllegalArgumentException("bad placeholder '${" + m.group(1) + "}'");
      }
      String key = n.group(1);
      String value = key.equals("name") ? recipient : properties.get(key);
      if (value == null) {
        throw new IllegalArgumentException(
            "uses ${recipient." + key + "}, which recipient '" + recipient + "' has no value for");
      }
      if (value.indexOf('\'') >= 0 || value.indexOf('\\') >= 0 || value.indexOf('"') >= 0) {
        throw new IllegalArgumentException(
            "would place property '"
                + key
                + "' of recipient '"
                + recipient
                + "' in SQL, and it contains a quote or backslash");
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }
}
