package io.lakeshare.spark.pushdown;

import java.time.Instant;
import java.time.LocalDate;
import org.apache.spark.sql.connector.expressions.Expression;
import org.apache.spark.sql.connector.expressions.Expressions;
import org.apache.spark.sql.connector.expressions.LiteralValue;
import org.apache.spark.sql.connector.expressions.NamedReference;
import org.apache.spark.sql.connector.expressions.filter.AlwaysFalse;
import org.apache.spark.sql.connector.expressions.filter.AlwaysTrue;
import org.apache.spark.sql.connector.expressions.filter.And;
import org.apache.spark.sql.connector.expressions.filter.Not;
import org.apache.spark.sql.connector.expressions.filter.Or;
import org.apache.spark.sql.connector.expressions.filter.Predicate;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.unsafe.types.UTF8String;

/** Builders for Spark V2 predicates in tests, with Catalyst's internal literal values. */
final class Preds {
  private Preds() {}

  /** A reference to the top-level column {@code name}, taken literally (dots and spaces too). */
  static NamedReference col(String name) {
    return new Ref(new String[] {name});
  }

  /** A reference parsed the way Spark parses a column path: {@code "st.x"} is nested. */
  static NamedReference path(String path) {
    return Expressions.column(path);
  }

  /** A column reference with the given name parts. */
  record Ref(String[] fieldNames) implements NamedReference {
    @Override
    public String toString() {
      return String.join(".", fieldNames);
    }
  }

  static LiteralValue<Integer> lit(int v) {
    return new LiteralValue<>(v, DataTypes.IntegerType);
  }

  static LiteralValue<Long> lit(long v) {
    return new LiteralValue<>(v, DataTypes.LongType);
  }

  static LiteralValue<UTF8String> str(String v) {
    return new LiteralValue<>(UTF8String.fromString(v), DataTypes.StringType);
  }

  static LiteralValue<Integer> date(String iso) {
    return new LiteralValue<>((int) LocalDate.parse(iso).toEpochDay(), DataTypes.DateType);
  }

  static LiteralValue<Long> ts(String isoInstant) {
    Instant i = Instant.parse(isoInstant);
    long micros = Math.multiplyExact(i.getEpochSecond(), 1_000_000L) + i.getNano() / 1000;
    return new LiteralValue<>(micros, DataTypes.TimestampType);
  }

  static <T> LiteralValue<T> typed(T value, DataType type) {
    return new LiteralValue<>(value, type);
  }

  static LiteralValue<Object> nullLit(DataType type) {
    return new LiteralValue<>(null, type);
  }

  static Predicate pred(String name, Expression... children) {
    return new Predicate(name, children);
  }

  static Predicate eq(Expression l, Expression r) {
    return pred("=", l, r);
  }

  static Predicate and(Predicate l, Predicate r) {
    return new And(l, r);
  }

  static Predicate or(Predicate l, Predicate r) {
    return new Or(l, r);
  }

  static Predicate not(Predicate p) {
    return new Not(p);
  }

  static Predicate alwaysTrue() {
    return new AlwaysTrue();
  }

  static Predicate alwaysFalse() {
    return new AlwaysFalse();
  }

  /** {@code {"op":..., children: [column, literal]}} as the converter writes it. */
  static String cmp(String op, String column, String type, String value) {
    return "{\"op\":\""
        + op
        + "\",\"children\":["
        + column(column, type)
        + ",{\"op\":\"literal\",\"value\":\""
        + value
        + "\",\"valueType\":\""
        + type
        + "\"}]}";
  }

  static String column(String name, String type) {
    return "{\"op\":\"column\",\"name\":\"" + name + "\",\"valueType\":\"" + type + "\"}";
  }

  static String isNullJson(String column, String type) {
    return "{\"op\":\"isNull\",\"children\":[" + column(column, type) + "]}";
  }

  static String node(String op, String... children) {
    return "{\"op\":\"" + op + "\",\"children\":[" + String.join(",", children) + "]}";
  }
}
