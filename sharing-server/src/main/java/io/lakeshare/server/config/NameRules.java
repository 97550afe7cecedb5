package io.lakeshare.server.config;

import java.util.Locale;

/**
 * Share, schema and table name rules of the protocol: names travel in URL paths, and the connector
 * joins {@code share.schema.table} with dots, so those characters would make a name unreachable.
 */
final class NameRules {
  static final int MAX_LENGTH = 255;
  private static final int DISPLAY_LENGTH = 64;

  private NameRules() {}

  /** Why {@code name} is not acceptable, or null when it is. */
  static String problem(String name, boolean dotForbidden) {
    if (name.length() > MAX_LENGTH) {
      return "it is longer than " + MAX_LENGTH + " characters";
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == ' ') {
        return "'" + display(name) + "' contains a space";
      }
      if (c == '/') {
        return "'" + display(name) + "' contains '/'";
      }
      if (c < 0x20 || c == 0x7F) {
        return "'"
            + display(name)
            + "' contains the control character "
            + String.format(Locale.ROOT, "U+%04X", (int) c);
      }
      if (c == '.' && dotForbidden) {
        return "'" + display(name) + "' contains '.', which schema and table names may not contain";
      }
    }
    return null;
  }

  /** {@code text} made safe to print: control characters escaped, long text shortened. */
  static String display(String text) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < text.length() && i < DISPLAY_LENGTH; i++) {
      char c = text.charAt(i);
      if (c < 0x20 || c == 0x7F) {
        out.append(String.format(Locale.ROOT, "\\u%04X", (int) c));
      } else {
        out.append(c);
      }
    }
    if (text.length() > DISPLAY_LENGTH) {
      out.append("...");
    }
    return out.toString();
  }
}
