package io.lakeshare.server.storage;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * A signed local URL of the current shape ({@code
 * {prefix}{tableKey}/{name}?p=..&sp=r&se=..&sig=..}) taken apart, so that a test can change one
 * piece and put the URL back together. Parameters keep their order and their raw (still encoded)
 * spelling.
 */
record LocalUrl(
    String prefix, String tableKey, String name, List<Map.Entry<String, String>> params) {

  LocalUrl {
    params = List.copyOf(params);
  }

  static LocalUrl parse(String url) {
    int filesAt = url.indexOf("/files/") + "/files/".length();
    int queryAt = url.indexOf('?', filesAt);
    if (filesAt < "/files/".length() || queryAt < 0) {
      throw new IllegalArgumentException("Not a signed local URL of the current shape: " + url);
    }
    String path = url.substring(filesAt, queryAt);
    int slash = path.indexOf('/');
    List<Map.Entry<String, String>> params = new ArrayList<>();
    for (String part : url.substring(queryAt + 1).split("&")) {
      int eq = part.indexOf('=');
      params.add(Map.entry(part.substring(0, eq), part.substring(eq + 1)));
    }
    return new LocalUrl(
        url.substring(0, filesAt), path.substring(0, slash), path.substring(slash + 1), params);
  }

  /** The first value of a parameter as sent, or {@code null}. */
  String param(String key) {
    return params.stream()
        .filter(e -> e.getKey().equals(key))
        .map(Map.Entry::getValue)
        .findFirst()
        .orElse(null);
  }

  /** The relative path {@code p} names, decoded. */
  String relativePath() {
    return new String(Base64.getUrlDecoder().decode(param("p")), UTF_8);
  }

  /** Expiry in epoch seconds. */
  long expiry() {
    return Long.parseLong(param("se"));
  }

  LocalUrl withPrefix(String newPrefix) {
    return new LocalUrl(newPrefix, tableKey, name, params);
  }

  LocalUrl withTableKey(String newKey) {
    return new LocalUrl(prefix, newKey, name, params);
  }

  LocalUrl withName(String newName) {
    return new LocalUrl(prefix, tableKey, newName, params);
  }

  /** Replaces the value of every parameter of that name, in place. */
  LocalUrl with(String key, String value) {
    List<Map.Entry<String, String>> out = new ArrayList<>();
    for (Map.Entry<String, String> e : params) {
      out.add(e.getKey().equals(key) ? Map.entry(key, value) : e);
    }
    return new LocalUrl(prefix, tableKey, name, out);
  }

  /** Adds a parameter in front of the others. */
  LocalUrl prepend(String key, String value) {
    List<Map.Entry<String, String>> out = new ArrayList<>();
    out.add(Map.entry(key, value));
    out.addAll(params);
    return new LocalUrl(prefix, tableKey, name, out);
  }

  /** Adds a parameter after the others. */
  LocalUrl append(String key, String value) {
    List<Map.Entry<String, String>> out = new ArrayList<>(params);
    out.add(Map.entry(key, value));
    return new LocalUrl(prefix, tableKey, name, out);
  }

  LocalUrl withParams(List<Map.Entry<String, String>> newParams) {
    return new LocalUrl(prefix, tableKey, name, newParams);
  }

  String query() {
    StringBuilder out = new StringBuilder();
    for (Map.Entry<String, String> e : params) {
      out.append(out.length() == 0 ? "" : "&").append(e.getKey()).append('=').append(e.getValue());
    }
    return out.toString();
  }

  String url() {
    return prefix + tableKey + "/" + name + "?" + query();
  }
}
