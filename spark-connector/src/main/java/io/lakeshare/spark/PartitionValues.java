package io.lakeshare.spark;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.Decimal;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.ShortType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.TimestampNTZType;
import org.apache.spark.sql.types.TimestampType;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * Turns a file's partition values, strings as the Delta log holds them, into Spark's internal
 * values for the partition columns being read.
 */
final class PartitionValues {
  private final StructType partitionSchema;
  private final String[] keys;
  private final ZoneId sessionZone;
  private final String tableName;

  PartitionValues(StructType partitionSchema, ZoneId sessionZone, String tableName) {
    this(partitionSchema, partitionSchema.fieldNames(), sessionZone, tableName);
  }

  /**
   * @param keys the key of each partition column in the files' partition values: its physical name
   *     under column mapping, else its name
   */
  PartitionValues(StructType partitionSchema, String[] keys, ZoneId sessionZone, String tableName) {
    this.partitionSchema = partitionSchema;
    this.keys = keys;
    this.sessionZone = sessionZone;
    this.tableName = tableName;
  }

  InternalRow row(Map<String, String> values) {
    StructField[] fields = partitionSchema.fields();
    Object[] out = new Object[fields.length];
    for (int i = 0; i < fields.length; i++) {
      String raw = lookup(values, keys[i]);
      out[i] = raw == null ? null : convert(fields[i], raw);
    }
    return new GenericInternalRow(out);
  }

  private static String lookup(Map<String, String> values, String name) {
    if (values.containsKey(name)) {
      return values.get(name);
    }
    for (Map.Entry<String, String> e : values.entrySet()) {
      if (e.getKey().equalsIgnoreCase(name)) {
        return e.getValue();
      }
    }
    return null;
  }

  private Object convert(StructField field, String raw) {
    DataType t = field.dataType();
    try {
      if (t instanceof StringType) {
        return UTF8String.fromString(raw);
      }
      if (raw.isEmpty()) {
        return null;
      }
      if (t instanceof IntegerType) {
        return Integer.parseInt(raw.trim());
      } else if (t instanceof LongType) {
        return Long.parseLong(raw.trim());
      } else if (t instanceof ShortType) {
        return Short.parseShort(raw.trim());
      } else if (t instanceof ByteType) {
        return Byte.parseByte(raw.trim());
      } else if (t instanceof BooleanType) {
        String b = raw.trim().toLowerCase(Locale.ROOT);
        if (!b.equals("true") && !b.equals("false")) {
          throw new IllegalArgumentException("not a boolean");
        }
        return Boolean.parseBoolean(b);
      } else if (t instanceof FloatType) {
        return Float.parseFloat(raw.trim());
      } else if (t instanceof DoubleType) {
        return Double.parseDouble(raw.trim());
      } else if (t instanceof DecimalType d) {
        Decimal dec = Decimal.apply(new BigDecimal(raw.trim()));
        if (!dec.changePrecision(d.precision(), d.scale())) {
          throw new IllegalArgumentException("does not fit " + d.simpleString());
        }
        return dec;
      } else if (t instanceof DateType) {
        return (int) LocalDate.parse(raw.trim()).toEpochDay();
      } else if (t instanceof TimestampType) {
        return micros(timestamp(raw.trim(), sessionZone));
      } else if (t instanceof TimestampNTZType) {
        return micros(LocalDateTime.parse(raw.trim().replace(' ', 'T')).toInstant(ZoneOffset.UTC));
      } else if (t instanceof BinaryType) {
        return raw.getBytes(StandardCharsets.UTF_8);
      }
    } catch (DateTimeException | IllegalArgumentException | ArithmeticException e) {
      throw ConnectorErrors.badAnswer(
          tableName,
          "partition value '"
              + raw
              + "' of column "
              + field.name()
              + " is not a valid "
              + t.simpleString()
              + " ("
              + e.getMessage()
              + ")");
    }
    throw ConnectorErrors.badAnswer(
        tableName,
        "partition column " + field.name() + " has unsupported type " + t.simpleString());
  }

  /** Delta writes either an ISO-8601 UTC instant or a zoneless {@code yyyy-MM-dd HH:mm:ss[.S]}. */
  private static Instant timestamp(String raw, ZoneId zone) {
    String t = raw.replace(' ', 'T');
    if (t.endsWith("Z") || t.matches(".*[+-]\\d\\d:?\\d\\d$")) {
      return OffsetDateTime.parse(t).toInstant();
    }
    return LocalDateTime.parse(t).atZone(zone).toInstant();
  }

  private static long micros(Instant i) {
    return ChronoUnit.MICROS.between(Instant.EPOCH, i);
  }
}
