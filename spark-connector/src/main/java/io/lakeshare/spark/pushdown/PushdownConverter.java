package io.lakeshare.spark.pushdown;

import io.lakeshare.protocol.predicate.JsonPredicate;
import io.lakeshare.protocol.predicate.JsonPredicates;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.spark.sql.connector.expressions.filter.Predicate;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Converts the predicates Spark pushes into a scan into server hints: a {@code jsonPredicateHints}
 * tree and legacy SQL {@code predicateHints} (CONFORMANCE §4). Hints are sound: they only ever let
 * the server skip files that cannot hold a row Spark would return. Spark re-evaluates every
 * predicate itself, so dropping any part that cannot be expressed safely is always allowed.
 */
public final class PushdownConverter {
  private static final Logger LOG = LoggerFactory.getLogger(PushdownConverter.class);

  /** Bytes the root {@code and} adds around its children: {@code {"op":"and","children":[]}}. */
  private static final int AND_OVERHEAD = "{\"op\":\"and\",\"children\":[]}".length();

  private final PredicateTranslator translator;
  private final SqlHints sqlHints;

  /**
   * @param schema the table's full Spark schema (data + partition columns, top-level names as in
   *     the Delta schema)
   * @param partitionColumns names of partition columns
   * @param caseSensitive spark.sql.caseSensitive; column references in predicates are resolved
   *     against schema accordingly
   */
  public PushdownConverter(
      StructType schema, List<String> partitionColumns, boolean caseSensitive) {
    ColumnResolver columns =
        new ColumnResolver(
            Objects.requireNonNull(schema, "schema"),
            partitionColumns == null ? List.of() : partitionColumns,
            caseSensitive);
    this.translator = new PredicateTranslator(columns);
    this.sqlHints = new SqlHints(columns);
  }

  /**
   * The hints for the conjunction of {@code predicates}. Never throws for any input predicate;
   * unsupported parts are dropped soundly.
   */
  public Hints convert(Predicate[] predicates) {
    List<JsonPredicate> parts = new ArrayList<>();
    List<String> sql = new ArrayList<>();
    List<Predicate> converted = new ArrayList<>();
    long length = AND_OVERHEAD;
    for (Predicate p : predicates == null ? new Predicate[0] : predicates) {
      if (p == null) {
        continue;
      }
      List<JsonPredicate> own = jsonParts(p);
      long ownLength = fittingLength(own);
      if (!own.isEmpty() && ownLength >= 0 && length + ownLength <= JsonPredicates.MAX_LENGTH) {
        parts.addAll(own);
        converted.add(p);
        length += ownLength;
      }
      String s = sqlHint(p);
      if (s != null) {
        sql.add(s);
      }
    }
    JsonPredicate json = parts.isEmpty() ? null : JsonPredicates.and(parts);
    return new Hints(json, List.copyOf(sql), List.copyOf(converted));
  }

  /** The conjuncts one predicate contributes to the root {@code and}; empty when none. */
  private List<JsonPredicate> jsonParts(Predicate p) {
    Translation t;
    try {
      t = translator.translate(p);
    } catch (RuntimeException | StackOverflowError e) {
      LOG.debug("Not pushing predicate {} to the server: {}", p, e.toString());
      return List.of();
    }
    // TRUE needs no hint; FALSE cannot be written without a column and Spark's optimizer
    // already removes scans under a false filter
    if (t.kind() != Translation.Kind.NODE) {
      return List.of();
    }
    return t.node() instanceof JsonPredicate.And a ? a.children() : List.of(t.node());
  }

  /**
   * Serialized length of the parts plus their commas, or -1 when one of them would end up deeper
   * than the protocol allows once placed under the root {@code and}.
   */
  private static long fittingLength(List<JsonPredicate> parts) {
    long length = 0;
    for (JsonPredicate part : parts) {
      if (depth(part, 1) > JsonPredicates.MAX_DEPTH - 1) {
        return -1;
      }
      length += JsonPredicates.toJson(part).length() + 1;
    }
    return length;
  }

  /** Depth counted from {@code level}; stops descending once over the limit. */
  static int depth(JsonPredicate p, int level) {
    if (level > JsonPredicates.MAX_DEPTH) {
      return level;
    }
    List<JsonPredicate> children;
    if (p instanceof JsonPredicate.And a) {
      children = a.children();
    } else if (p instanceof JsonPredicate.Or o) {
      children = o.children();
    } else if (p instanceof JsonPredicate.Not n) {
      children = List.of(n.child());
    } else if (p instanceof JsonPredicate.IsNull n) {
      children = List.of(n.child());
    } else if (p instanceof JsonPredicate.Comparison c) {
      children = List.of(c.left(), c.right());
    } else {
      return level;
    }
    int max = level;
    for (JsonPredicate c : children) {
      max = Math.max(max, depth(c, level + 1));
    }
    return max;
  }

  private String sqlHint(Predicate p) {
    try {
      return sqlHints.toSql(p);
    } catch (RuntimeException | StackOverflowError e) {
      LOG.debug("No SQL hint for predicate {}: {}", p, e.toString());
      return null;
    }
  }

  /**
   * Hints for one scan.
   *
   * @param json the JSON predicate tree AND-ing every convertible top-level conjunct, or null if
   *     none
   * @param sql legacy SQL predicateHints: one string per top-level conjunct on partition columns
   *     only that the SQL hint grammar can express
   * @param converted the input predicates that contributed to json
   */
  public record Hints(JsonPredicate json, List<String> sql, List<Predicate> converted) {
    public Hints {
      sql = sql == null ? List.of() : List.copyOf(sql);
      converted = converted == null ? List.of() : List.copyOf(converted);
    }

    /** The serialized JSON ({@link JsonPredicates#toJson}) or null. */
    public String jsonString() {
      return json == null ? null : JsonPredicates.toJson(json);
    }
  }
}
