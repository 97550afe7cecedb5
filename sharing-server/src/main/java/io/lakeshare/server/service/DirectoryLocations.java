package io.lakeshare.server.service;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Which locations a temporary-credentials request may ask for: the table root or a directory under
 * it, compared like the reference server (CONFORMANCE §1.12): the scheme families {@code
 * s3/s3a/s3n}, {@code wasb/wasbs} and {@code abfs/abfss} are one scheme each, the authority
 * (bucket, container@account) is compared without case, repeated and trailing slashes do not count,
 * and the path must match on whole segments. Unlike the reference server, a location with a {@code
 * .} or {@code ..} segment, a query or a fragment is refused rather than compared.
 */
final class DirectoryLocations {
  static final String OUTSIDE =
      "The requested location must be the same as or under this table's configured storage"
          + " location.";

  private DirectoryLocations() {}

  /** A location split into its comparable parts. */
  private record Parsed(String family, String scheme, String authority, List<String> segments) {
    String text() {
      StringBuilder b = new StringBuilder(scheme).append("://").append(authority);
      for (String s : segments) {
        b.append('/').append(s);
      }
      return b.toString();
    }
  }

  /**
   * The location credentials are issued for: {@code requested} in a normalized form (repeated and
   * trailing slashes dropped), or the table root when nothing was requested.
   *
   * @throws ServiceException 400 when {@code requested} is not the root or under it
   */
  static String within(String root, String requested) {
    if (requested == null) {
      return root;
    }
    Parsed r = parse(requested);
    Parsed t = parse(root);
    if (r == null || t == null || !r.family().equals(t.family())) {
      throw ServerErrors.invalidParameter(OUTSIDE);
    }
    if (!r.authority().equalsIgnoreCase(t.authority())
        || r.segments().size() < t.segments().size()
        || !r.segments().subList(0, t.segments().size()).equals(t.segments())) {
      throw ServerErrors.invalidParameter(OUTSIDE);
    }
    return r.text();
  }

  /** null when the text is not an absolute {@code scheme://authority/path} location. */
  private static Parsed parse(String location) {
    int colon = location.indexOf("://");
    if (colon <= 0 || location.indexOf('?') >= 0 || location.indexOf('#') >= 0) {
      return null;
    }
    String scheme = location.substring(0, colon);
    if (!scheme.matches("[A-Za-z][A-Za-z0-9+.-]*")) {
      return null;
    }
    String rest = location.substring(colon + 3);
    int slash = rest.indexOf('/');
    String authority = slash < 0 ? rest : rest.substring(0, slash);
    if (authority.isEmpty()) {
      return null;
    }
    List<String> segments = new ArrayList<>();
    if (slash >= 0) {
      for (String s : rest.substring(slash + 1).split("/")) {
        if (s.isEmpty()) {
          continue;
        }
        if (s.equals(".") || s.equals("..")) {
          return null;
        }
        segments.add(s);
      }
    }
    String lower = scheme.toLowerCase(Locale.ROOT);
    String family =
        switch (lower) {
          case "s3", "s3a", "s3n" -> "s3";
          case "wasb", "wasbs" -> "wasb";
          case "abfs", "abfss" -> "abfs";
          default -> lower;
        };
    return new Parsed(family, scheme, authority, segments);
  }
}
