package io.lakeshare.spark.pushdown;

import java.util.Map;
import org.apache.spark.sql.connector.expressions.Expression;
import org.apache.spark.sql.connector.expressions.Literal;
import org.apache.spark.sql.connector.expressions.NamedReference;
import org.apache.spark.sql.connector.expressions.filter.Predicate;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * Evaluates Spark V2 predicates on one row with SQL three-valued logic ({@code null} = NULL), with
 * Spark's value semantics: strings by UTF-8 bytes, NaN equal to itself and above every double, and
 * -0.0 equal to 0.0.
 */
final class SparkTruth {
  private SparkTruth() {}

  static Boolean eval(Expression e, Map<String, Object> row) {
    Predicate p = (Predicate) e;
    Expression[] c = p.children();
    switch (p.name()) {
      case "AND":
        return and(eval(c[0], row), eval(c[1], row));
      case "OR":
        return not(and(not(eval(c[0], row)), not(eval(c[1], row))));
      case "NOT":
        return not(eval(c[0], row));
      case "ALWAYS_TRUE":
        return true;
      case "ALWAYS_FALSE":
        return false;
      case "IS_NULL":
        return value(c[0], row) == null;
      case "IS_NOT_NULL":
        return value(c[0], row) != null;
      case "STARTS_WITH":
        {
          Object a = value(c[0], row);
          Object b = value(c[1], row);
          return a == null || b == null ? null : ((UTF8String) a).startsWith((UTF8String) b);
        }
      case "IN":
        {
          Object a = value(c[0], row);
          if (a == null) {
            return null;
          }
          boolean sawNull = false;
          for (int k = 1; k < c.length; k++) {
            Object b = value(c[k], row);
            if (b == null) {
              sawNull = true;
            } else if (compare(a, b) == 0) {
              return true;
            }
          }
          return sawNull ? null : false;
        }
      case "<=>":
        {
          Object a = value(c[0], row);
          Object b = value(c[1], row);
          return a == null || b == null ? a == b : compare(a, b) == 0;
        }
      default:
        {
          Object a = value(c[0], row);
          Object b = value(c[1], row);
          if (a == null || b == null) {
            return null;
          }
          int cmp = compare(a, b);
          return switch (p.name()) {
            case "=" -> cmp == 0;
            case "<>" -> cmp != 0;
            case "<" -> cmp < 0;
            case "<=" -> cmp <= 0;
            case ">" -> cmp > 0;
            case ">=" -> cmp >= 0;
            default -> throw new IllegalArgumentException(p.name());
          };
        }
    }
  }

  static Boolean and(Boolean a, Boolean b) {
    if (Boolean.FALSE.equals(a) || Boolean.FALSE.equals(b)) {
      return false;
    }
    return a == null || b == null ? null : true;
  }

  static Boolean not(Boolean a) {
    return a == null ? null : !a;
  }

  private static Object value(Expression e, Map<String, Object> row) {
    if (e instanceof Literal<?> l) {
      return l.value();
    }
    return row.get(((NamedReference) e).fieldNames()[0]);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  static int compare(Object a, Object b) {
    if (a instanceof Double x && b instanceof Double y) {
      return x.doubleValue() == y.doubleValue() ? 0 : Double.compare(x, y);
    }
    return ((Comparable) a).compareTo(b);
  }
}
