package io.lakeshare.server.filter;

import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Evaluates compiled predicates against one file: partition columns resolve to their single value,
 * data columns to the range their statistics prove, and each node to the set of truth values its
 * rows may take (see {@link Truth}).
 */
final class FileEvaluator {
  private final Map<String, String> partitionValues;
  private final String statsJson;
  private final byte[] statsJsonBody;
  private FileStats stats;

  /** Stats as a JSON string, or as the body of one ({@code statsJsonBody}); at most one is set. */
  FileEvaluator(Map<String, String> partitionValues, String statsJson, byte[] statsJsonBody) {
    this.partitionValues = partitionValues == null ? Map.of() : partitionValues;
    this.statsJson = statsJson;
    this.statsJsonBody = statsJsonBody;
  }

  FileEvaluator(Map<String, String> partitionValues, String statsJson) {
    this(partitionValues, statsJson, null);
  }

  int eval(Expr expr) {
    if (expr instanceof Expr.Compare c) {
      return compare(c, resolve(c.left()), resolve(c.right()));
    }
    if (expr instanceof Expr.NullSafeEqual e) {
      return nullSafeEqual(resolve(e.left()), resolve(e.right()));
    }
    if (expr instanceof Expr.IsNull n) {
      Range r = resolve(n.operand());
      return Truth.of(r.canBeNull(), r.canBeValue(), false);
    }
    if (expr instanceof Expr.BoolValue b) {
      return boolValue(resolve(b.operand()));
    }
    if (expr instanceof Expr.Not n) {
      return Truth.not(eval(n.child()));
    }
    if (expr instanceof Expr.And a) {
      return combine(a.children(), true);
    }
    if (expr instanceof Expr.Or o) {
      return combine(o.children(), false);
    }
    return Truth.ANY;
  }

  private int combine(List<Expr> children, boolean and) {
    if (children.isEmpty()) {
      return Truth.ANY;
    }
    int acc = eval(children.get(0));
    for (int i = 1; i < children.size(); i++) {
      int next = eval(children.get(i));
      acc = and ? Truth.and(acc, next) : Truth.or(acc, next);
    }
    return acc;
  }

  private static int compare(Expr.Compare c, Range a, Range b) {
    boolean nulls = a.canBeNull() || b.canBeNull();
    if (!a.canBeValue() || !b.canBeValue()) {
      return Truth.of(false, false, nulls);
    }
    return switch (c.op()) {
      case EQUAL -> Truth.of(a.mayEqual(b), a.mayDiffer(b), nulls);
      case LESS_THAN -> Truth.of(a.mayBeBelow(b, false), b.mayBeBelow(a, true), nulls);
      case LESS_THAN_OR_EQUAL -> Truth.of(a.mayBeBelow(b, true), b.mayBeBelow(a, false), nulls);
      case GREATER_THAN -> Truth.of(b.mayBeBelow(a, false), a.mayBeBelow(b, true), nulls);
      case GREATER_THAN_OR_EQUAL -> Truth.of(b.mayBeBelow(a, true), a.mayBeBelow(b, false), nulls);
    };
  }

  private static int nullSafeEqual(Range a, Range b) {
    boolean values = a.canBeValue() && b.canBeValue();
    boolean t = a.canBeNull() && b.canBeNull() || values && a.mayEqual(b);
    boolean f =
        a.canBeNull() && b.canBeValue()
            || a.canBeValue() && b.canBeNull()
            || values && a.mayDiffer(b);
    return Truth.of(t, f, false);
  }

  private static int boolValue(Range r) {
    boolean t = r.canBeValue() && (r.hi() == null || Boolean.TRUE.equals(r.hi()));
    boolean f = r.canBeValue() && (r.lo() == null || Boolean.FALSE.equals(r.lo()));
    return Truth.of(t, f, r.canBeNull());
  }

  Range resolve(Operand operand) {
    if (operand instanceof Operand.Const c) {
      return c.range();
    }
    Operand.ColumnRef ref = (Operand.ColumnRef) operand;
    ColumnInfo column = ref.column();
    Range nativeRange = column.partition() ? partitionRange(column) : statsRange(column);
    if (ref.type() == null) {
      return new Range(null, null, false, nativeRange.canBeNull(), nativeRange.canBeValue());
    }
    return ColumnCast.apply(nativeRange, column.kind(), ref.type());
  }

  private Range statsRange(ColumnInfo column) {
    if (stats == null) {
      stats =
          statsJsonBody != null ? FileStats.parseBody(statsJsonBody) : FileStats.parse(statsJson);
    }
    return stats.columnRange(column);
  }

  /** Empty string and JSON null both mean SQL NULL (CONFORMANCE §3.5); a missing key is unknown. */
  private Range partitionRange(ColumnInfo column) {
    String key = partitionKey(column);
    if (key == null) {
      return Range.UNKNOWN;
    }
    String value = partitionValues.get(key);
    if (value == null || value.isEmpty()) {
      return Range.NULL;
    }
    return TextValues.parse(column.kind(), value);
  }

  private String partitionKey(ColumnInfo column) {
    if (column.physicalName() != null) {
      // under column mapping the log keys values by physical name only (see FileStats.field)
      return partitionValues.containsKey(column.physicalName()) ? column.physicalName() : null;
    }
    if (partitionValues.containsKey(column.name())) {
      return column.name();
    }
    String lower = column.name().toLowerCase(Locale.ROOT);
    String found = null;
    for (Iterator<String> it = partitionValues.keySet().iterator(); it.hasNext(); ) {
      String key = it.next();
      if (key != null && key.toLowerCase(Locale.ROOT).equals(lower)) {
        if (found != null) {
          return null;
        }
        found = key;
      }
    }
    return found;
  }
}
