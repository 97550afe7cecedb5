package io.lakeshare.spark;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.sources.And;
import org.apache.spark.sql.sources.EqualNullSafe;
import org.apache.spark.sql.sources.EqualTo;
import org.apache.spark.sql.sources.Filter;
import org.apache.spark.sql.sources.GreaterThan;
import org.apache.spark.sql.sources.GreaterThanOrEqual;
import org.apache.spark.sql.sources.In;
import org.apache.spark.sql.sources.IsNotNull;
import org.apache.spark.sql.sources.IsNull;
import org.apache.spark.sql.sources.LessThan;
import org.apache.spark.sql.sources.LessThanOrEqual;
import org.apache.spark.sql.sources.Not;
import org.apache.spark.sql.sources.Or;
import org.apache.spark.sql.sources.StringContains;
import org.apache.spark.sql.sources.StringEndsWith;
import org.apache.spark.sql.sources.StringStartsWith;

/**
 * Row-group filters for Spark's Parquet reader in the files' physical column names. A filter that
 * cannot be renamed exactly (an unknown column, a quoted name, a filter type not listed here) is
 * dropped: these filters only skip row groups, and Spark evaluates every predicate again.
 */
final class PhysicalFilters {
  private PhysicalFilters() {}

  static Filter[] rename(Filter[] filters, ColumnMapping mapping) {
    if (mapping.isIdentity()) {
      return filters;
    }
    List<Filter> out = new ArrayList<>();
    for (Filter f : filters) {
      Filter renamed = rename(f, mapping);
      if (renamed != null) {
        out.add(renamed);
      }
    }
    return out.toArray(new Filter[0]);
  }

  /** The filter in physical names, or null. Under NOT and OR a dropped side drops the whole. */
  private static Filter rename(Filter f, ColumnMapping m) {
    if (f instanceof And a) {
      Filter l = rename(a.left(), m);
      Filter r = rename(a.right(), m);
      return l == null || r == null ? (l == null ? r : l) : new And(l, r);
    }
    if (f instanceof Or o) {
      Filter l = rename(o.left(), m);
      Filter r = rename(o.right(), m);
      return l == null || r == null ? null : new Or(l, r);
    }
    if (f instanceof Not n) {
      Filter c = rename(n.child(), m);
      // NOT of a weakened child would be stronger than the original: only exact children
      return c == null || !exact(n.child(), m) ? null : new Not(c);
    }
    String a = f.references().length == 1 ? column(f.references()[0], m) : null;
    if (a == null) {
      return null;
    }
    if (f instanceof EqualTo x) {
      return new EqualTo(a, x.value());
    } else if (f instanceof EqualNullSafe x) {
      return new EqualNullSafe(a, x.value());
    } else if (f instanceof GreaterThan x) {
      return new GreaterThan(a, x.value());
    } else if (f instanceof GreaterThanOrEqual x) {
      return new GreaterThanOrEqual(a, x.value());
    } else if (f instanceof LessThan x) {
      return new LessThan(a, x.value());
    } else if (f instanceof LessThanOrEqual x) {
      return new LessThanOrEqual(a, x.value());
    } else if (f instanceof In x) {
      return new In(a, x.values());
    } else if (f instanceof IsNull) {
      return new IsNull(a);
    } else if (f instanceof IsNotNull) {
      return new IsNotNull(a);
    } else if (f instanceof StringStartsWith x) {
      return new StringStartsWith(a, x.value());
    } else if (f instanceof StringEndsWith x) {
      return new StringEndsWith(a, x.value());
    } else if (f instanceof StringContains x) {
      return new StringContains(a, x.value());
    }
    return null;
  }

  /** Whether every part of {@code f} renames, so that the renamed filter means the same. */
  private static boolean exact(Filter f, ColumnMapping m) {
    if (f instanceof And a) {
      return exact(a.left(), m) && exact(a.right(), m);
    }
    if (f instanceof Or o) {
      return exact(o.left(), m) && exact(o.right(), m);
    }
    if (f instanceof Not n) {
      return exact(n.child(), m);
    }
    return rename(f, m) != null;
  }

  /** A dotted column reference in physical names; null for quoted names Spark escapes. */
  private static String column(String attribute, ColumnMapping m) {
    if (attribute.indexOf('`') >= 0) {
      return null;
    }
    return m.physicalPath(attribute.split("\\.", -1));
  }
}
