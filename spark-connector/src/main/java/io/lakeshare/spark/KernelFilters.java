package io.lakeshare.spark;

import io.delta.kernel.expressions.Column;
import io.delta.kernel.expressions.Expression;
import io.delta.kernel.expressions.Literal;
import io.delta.kernel.expressions.Predicate;
import io.delta.kernel.types.BooleanType;
import io.delta.kernel.types.DataType;
import io.delta.kernel.types.DateType;
import io.delta.kernel.types.DoubleType;
import io.delta.kernel.types.FloatType;
import io.delta.kernel.types.IntegerType;
import io.delta.kernel.types.LongType;
import io.delta.kernel.types.StringType;
import io.delta.kernel.types.StructField;
import io.delta.kernel.types.StructType;
import io.lakeshare.protocol.predicate.ComparisonOp;
import io.lakeshare.protocol.predicate.JsonPredicate;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The filter hints of a scan as a Delta Kernel predicate, so that a directory read skips files the
 * way the server does for URL reads (partition values, then file statistics). Only what translates
 * exactly is kept: a conjunct that does not translate is left out of an AND (the filter gets
 * weaker, never stronger), while an OR or NOT with such a part is dropped whole. Literals take the
 * column's own type from the snapshot's schema. Spark still applies every filter to the rows.
 */
final class KernelFilters {
  private KernelFilters() {}

  /** The predicate for {@code hint}, or null when nothing of it can be used. */
  static Predicate toKernel(JsonPredicate hint, StructType schema) {
    return hint == null ? null : predicate(hint, schema);
  }

  private static Predicate predicate(JsonPredicate p, StructType schema) {
    if (p instanceof JsonPredicate.And and) {
      List<Predicate> kept = new ArrayList<>();
      for (JsonPredicate c : and.children()) {
        Predicate k = predicate(c, schema);
        if (k != null) {
          kept.add(k);
        }
      }
      return combine("AND", kept);
    }
    if (p instanceof JsonPredicate.Or or) {
      List<Predicate> all = new ArrayList<>();
      for (JsonPredicate c : or.children()) {
        Predicate k = predicate(c, schema);
        if (k == null) {
          return null;
        }
        all.add(k);
      }
      return combine("OR", all);
    }
    if (p instanceof JsonPredicate.Not not) {
      Predicate k = predicate(not.child(), schema);
      return k == null ? null : new Predicate("NOT", k);
    }
    if (p instanceof JsonPredicate.Comparison c) {
      return comparison(c, schema);
    }
    return null;
  }

  private static Predicate combine(String op, List<Predicate> parts) {
    if (parts.isEmpty()) {
      return null;
    }
    Predicate out = parts.get(0);
    for (int i = 1; i < parts.size(); i++) {
      out = new Predicate(op, out, parts.get(i));
    }
    return out;
  }

  private static Predicate comparison(JsonPredicate.Comparison c, StructType schema) {
    ComparisonOp op = c.op();
    JsonPredicate.Column column;
    JsonPredicate.Literal literal;
    if (c.left() instanceof JsonPredicate.Column l
        && c.right() instanceof JsonPredicate.Literal r) {
      column = l;
      literal = r;
    } else if (c.left() instanceof JsonPredicate.Literal l
        && c.right() instanceof JsonPredicate.Column r) {
      column = r;
      literal = l;
      op = op.mirrored();
    } else {
      return null;
    }
    StructField field = field(schema, column.name());
    if (field == null) {
      return null;
    }
    Literal value = literal(field.getDataType(), literal.value());
    if (value == null) {
      return null;
    }
    String name =
        switch (op) {
          case EQUAL -> "=";
          case LESS_THAN -> "<";
          case LESS_THAN_OR_EQUAL -> "<=";
          case GREATER_THAN -> ">";
          case GREATER_THAN_OR_EQUAL -> ">=";
        };
    Expression col = new Column(field.getName());
    return new Predicate(name, col, value);
  }

  /** A top-level column by its logical name, matched case-insensitively like Spark. */
  private static StructField field(StructType schema, String name) {
    StructField found = null;
    for (StructField f : schema.fields()) {
      if (f.getName().toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
        if (found != null) {
          return null; // ambiguous
        }
        found = f;
      }
    }
    return found;
  }

  /** The literal in the column's type, or null when the text is not exactly such a value. */
  static Literal literal(DataType type, String text) {
    try {
      if (type instanceof IntegerType) {
        return Literal.ofInt(Integer.parseInt(text.trim()));
      }
      if (type instanceof LongType) {
        return Literal.ofLong(Long.parseLong(text.trim()));
      }
      if (type instanceof StringType) {
        return Literal.ofString(text);
      }
      if (type instanceof DateType) {
        return Literal.ofDate(Math.toIntExact(LocalDate.parse(text.trim()).toEpochDay()));
      }
      if (type instanceof BooleanType) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        return t.equals("true") || t.equals("false") ? Literal.ofBoolean(t.equals("true")) : null;
      }
      if (type instanceof DoubleType) {
        double d = Double.parseDouble(text.trim());
        return Double.isNaN(d) ? null : Literal.ofDouble(d);
      }
      if (type instanceof FloatType) {
        float f = Float.parseFloat(text.trim());
        return Float.isNaN(f) ? null : Literal.ofFloat(f);
      }
    } catch (RuntimeException e) {
      return null;
    }
    return null; // timestamps, decimals, binary, nested: not used to skip files here
  }
}
