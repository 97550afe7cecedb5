package io.lakeshare.spark.pushdown;

import io.lakeshare.protocol.predicate.ComparisonOp;
import io.lakeshare.protocol.predicate.JsonPredicate;
import io.lakeshare.protocol.predicate.ValueType;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * A strict server per CONFORMANCE §4.2 "Safe evaluation": no-match / exact-match / maybe per file,
 * {@code not} pushed down (De Morgan, {@code not(=)} as {@code < or >}), partition columns exact,
 * data columns through min/max/nullCount. It is deliberately as harsh as the rules allow:
 * comparisons with a NULL partition value are no-match, strings are ordered as Java does (REF),
 * doubles with {@link Double#compare} (-0.0 below 0.0), double statistics ignore NaN and timestamp
 * statistics are truncated to milliseconds, as Delta writes them.
 */
final class FileSkipping {
  enum Truth {
    NO,
    YES,
    MAYBE
  }

  /** One file: its rows, and which columns are partition columns with which value types. */
  record DataFile(
      List<Map<String, Object>> rows, Map<String, ValueType> types, List<String> partitions) {}

  private FileSkipping() {}

  static Truth eval(JsonPredicate p, DataFile f) {
    return eval(p, f, false);
  }

  private static Truth eval(JsonPredicate p, DataFile f, boolean negated) {
    if (p instanceof JsonPredicate.Not n) {
      return eval(n.child(), f, !negated);
    }
    if (p instanceof JsonPredicate.And a) {
      return negated ? any(a.children(), f, true) : all(a.children(), f, false);
    }
    if (p instanceof JsonPredicate.Or o) {
      return negated ? all(o.children(), f, true) : any(o.children(), f, false);
    }
    if (p instanceof JsonPredicate.IsNull n) {
      return isNull((JsonPredicate.Column) n.child(), f, negated);
    }
    JsonPredicate.Comparison c = (JsonPredicate.Comparison) p;
    JsonPredicate.Column col = (JsonPredicate.Column) c.left();
    JsonPredicate.Literal lit = (JsonPredicate.Literal) c.right();
    if (col.valueType() != f.types().get(col.name()) || lit.valueType() != col.valueType()) {
      throw new AssertionError("unexpected types in " + p);
    }
    if (!negated) {
      return compare(c.op(), col, lit, f);
    }
    return switch (c.op()) {
      case EQUAL ->
          or(
              compare(ComparisonOp.LESS_THAN, col, lit, f),
              compare(ComparisonOp.GREATER_THAN, col, lit, f));
      case LESS_THAN -> compare(ComparisonOp.GREATER_THAN_OR_EQUAL, col, lit, f);
      case LESS_THAN_OR_EQUAL -> compare(ComparisonOp.GREATER_THAN, col, lit, f);
      case GREATER_THAN -> compare(ComparisonOp.LESS_THAN_OR_EQUAL, col, lit, f);
      case GREATER_THAN_OR_EQUAL -> compare(ComparisonOp.LESS_THAN, col, lit, f);
    };
  }

  private static Truth all(List<JsonPredicate> children, DataFile f, boolean negated) {
    boolean allYes = true;
    for (JsonPredicate c : children) {
      Truth t = eval(c, f, negated);
      if (t == Truth.NO) {
        return Truth.NO;
      }
      allYes &= t == Truth.YES;
    }
    return allYes ? Truth.YES : Truth.MAYBE;
  }

  private static Truth any(List<JsonPredicate> children, DataFile f, boolean negated) {
    Truth result = Truth.NO;
    for (JsonPredicate c : children) {
      result = or(result, eval(c, f, negated));
    }
    return result;
  }

  private static Truth or(Truth a, Truth b) {
    if (a == Truth.YES || b == Truth.YES) {
      return Truth.YES;
    }
    return a == Truth.NO && b == Truth.NO ? Truth.NO : Truth.MAYBE;
  }

  private static Truth isNull(JsonPredicate.Column col, DataFile f, boolean negated) {
    if (f.partitions().contains(col.name())) {
      boolean isNull = f.rows().get(0).get(col.name()) == null;
      return isNull != negated ? Truth.YES : Truth.NO;
    }
    long nulls = f.rows().stream().filter(r -> r.get(col.name()) == null).count();
    if (!negated) {
      return nulls == 0 ? Truth.NO : Truth.MAYBE;
    }
    return nulls == f.rows().size() ? Truth.NO : Truth.MAYBE;
  }

  private static Truth compare(
      ComparisonOp op, JsonPredicate.Column col, JsonPredicate.Literal lit, DataFile f) {
    Comparable<Object> literal = parse(lit.value(), lit.valueType());
    if (f.partitions().contains(col.name())) {
      Object v = f.rows().get(0).get(col.name());
      if (v == null) {
        return Truth.NO;
      }
      int cmp = stat(v, col.valueType()).compareTo(literal);
      return holds(op, cmp) ? Truth.YES : Truth.NO;
    }
    List<Comparable<Object>> values = new ArrayList<>();
    for (Map<String, Object> r : f.rows()) {
      Object v = r.get(col.name());
      if (v != null && !(v instanceof Double d && d.isNaN())) {
        values.add(stat(v, col.valueType()));
      }
    }
    if (values.isEmpty()) {
      return Truth.MAYBE;
    }
    Comparable<Object> min = truncate(minimum(values, col.valueType(), true), col.valueType());
    Comparable<Object> max = truncate(minimum(values, col.valueType(), false), col.valueType());
    boolean noMatch =
        switch (op) {
          case EQUAL -> literal.compareTo(min) < 0 || literal.compareTo(max) > 0;
          case LESS_THAN -> min.compareTo(literal) >= 0;
          case LESS_THAN_OR_EQUAL -> min.compareTo(literal) > 0;
          case GREATER_THAN -> max.compareTo(literal) <= 0;
          case GREATER_THAN_OR_EQUAL -> max.compareTo(literal) < 0;
        };
    return noMatch ? Truth.NO : Truth.MAYBE;
  }

  private static boolean holds(ComparisonOp op, int cmp) {
    return switch (op) {
      case EQUAL -> cmp == 0;
      case LESS_THAN -> cmp < 0;
      case LESS_THAN_OR_EQUAL -> cmp <= 0;
      case GREATER_THAN -> cmp > 0;
      case GREATER_THAN_OR_EQUAL -> cmp >= 0;
    };
  }

  /** The writer picks min and max in Spark's order (UTF-8 bytes for strings). */
  private static Comparable<Object> minimum(
      List<Comparable<Object>> values, ValueType type, boolean min) {
    Comparable<Object> best = values.get(0);
    for (Comparable<Object> v : values) {
      int cmp =
          type == ValueType.STRING
              ? UTF8String.fromString(v.toString())
                  .compareTo(UTF8String.fromString(best.toString()))
              : v.compareTo(best);
      if (min ? cmp < 0 : cmp > 0) {
        best = v;
      }
    }
    return best;
  }

  /** Timestamp statistics hold milliseconds: both ends are cut to the millisecond below. */
  @SuppressWarnings("unchecked")
  private static Comparable<Object> truncate(Comparable<Object> v, ValueType type) {
    if (type != ValueType.TIMESTAMP) {
      return v;
    }
    long micros = (Long) (Object) v;
    return (Comparable<Object>) (Object) (Math.floorDiv(micros, 1000L) * 1000L);
  }

  /** A row value as the server holds it after reading statistics or partition values. */
  @SuppressWarnings("unchecked")
  private static Comparable<Object> stat(Object v, ValueType type) {
    Object out =
        switch (type) {
          case INT, LONG, DATE, TIMESTAMP -> ((Number) v).longValue();
          case STRING -> v.toString();
          case FLOAT, DOUBLE -> ((Number) v).doubleValue();
          case BOOL -> v;
        };
    return (Comparable<Object>) out;
  }

  @SuppressWarnings("unchecked")
  private static Comparable<Object> parse(String text, ValueType type) {
    Object out =
        switch (type) {
          case INT, LONG -> Long.parseLong(text);
          case STRING -> text;
          case DATE -> LocalDate.parse(text).toEpochDay();
          case TIMESTAMP -> {
            Instant i = Instant.parse(text);
            yield i.getEpochSecond() * 1_000_000L + i.getNano() / 1000;
          }
          case FLOAT, DOUBLE -> Double.parseDouble(text);
          case BOOL -> Boolean.parseBoolean(text);
        };
    return (Comparable<Object>) out;
  }
}
