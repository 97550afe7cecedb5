package io.lakeshare.server.delta;

/** Removes server-side locations from Kernel messages before they can reach a client. */
final class DeltaErrorsMapper {
  private DeltaErrorsMapper() {}

  static String scrub(String message, String tableLocation) {
    if (message == null) {
      return "";
    }
    String m = message;
    if (tableLocation != null && !tableLocation.isEmpty()) {
      m = m.replace(tableLocation, "<table>");
      String noScheme = tableLocation.replaceFirst("^file:(//)?", "");
      if (!noScheme.isEmpty()) {
        m = m.replace(noScheme, "<table>");
      }
    }
    // Any remaining absolute path or URI is dropped; messages must not reveal storage layout.
    return m.replaceAll("(file|s3a?|abfss?|wasbs?|gs|hdfs):[^\\s,)\\]]+", "<path>")
        .replaceAll("(?<![\\w<])/(?:[\\w.\\-=%]+/)+[\\w.\\-=%]*", "<path>");
  }
}
