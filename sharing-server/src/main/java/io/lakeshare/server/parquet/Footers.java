package io.lakeshare.server.parquet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.format.converter.ParquetMetadataConverter;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.SeekableInputStream;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.DecimalLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.IntLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimestampLogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveComparator;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;

/**
 * What a Parquet table needs from one file's footer: its schema as Delta schema fields (the way
 * Spark reads Parquet: every field nullable) and a Delta {@code stats} JSON with the file's {@code
 * numRecords} and, for top-level columns, {@code nullCount} and the {@code minValues} and {@code
 * maxValues} that skipping may trust (integers, decimals, dates and short strings; floating point,
 * binary, booleans and timestamps are left out, so filters never prune on them).
 */
final class Footers {
  static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final int MAX_STRING_STAT = 64;

  /**
   * One file's footer, reduced.
   *
   * @param fields the Delta schema fields of the file, in file order
   * @param stats the Delta stats JSON
   */
  record Footer(ArrayNode fields, String stats) {}

  /**
   * Decodes footers; one per thread. Opening a {@code ParquetFileReader} for a footer costs about 2
   * ms (options, codecs), decoding the bytes read here about 0.03 ms.
   */
  private static final ThreadLocal<ParquetMetadataConverter> CONVERTER =
      ThreadLocal.withInitial(
          () -> new ParquetMetadataConverter(ParquetReadOptions.builder().build()));

  /**
   * Converted schemas of recent footers: the files of a table mostly share one, so it is converted
   * once and its fields are one shared (never modified) instance.
   */
  private static final Map<MessageType, ArrayNode> SCHEMAS =
      java.util.Collections.synchronizedMap(
          new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<MessageType, ArrayNode> eldest) {
              return size() > 256;
            }
          });

  /** Bytes read from the end of a file at once: one request holds most footers. */
  private static final int TAIL = 64 * 1024;

  private static final byte[] MAGIC = {'P', 'A', 'R', '1'};

  private Footers() {}

  /** The serialized footer of a file: its tail, read with one seek (two for a large footer). */
  static byte[] footerBytes(InputFile file, String relativePath) throws IOException {
    long length = file.getLength();
    if (length < 12) {
      throw notParquet(relativePath);
    }
    int tailLength = (int) Math.min(length, TAIL);
    byte[] tail = new byte[tailLength];
    try (SeekableInputStream in = file.newStream()) {
      in.seek(length - tailLength);
      in.readFully(tail);
      if (!java.util.Arrays.equals(tail, tailLength - 4, tailLength, MAGIC, 0, 4)) {
        throw notParquet(relativePath);
      }
      long footerLength =
          (tail[tailLength - 8] & 0xffL)
              | (tail[tailLength - 7] & 0xffL) << 8
              | (tail[tailLength - 6] & 0xffL) << 16
              | (tail[tailLength - 5] & 0xffL) << 24;
      if (footerLength <= 0 || footerLength > length - 12) {
        throw notParquet(relativePath);
      }
      byte[] footer = new byte[(int) footerLength];
      if (footerLength + 8 <= tailLength) {
        System.arraycopy(tail, (int) (tailLength - 8 - footerLength), footer, 0, footer.length);
      } else {
        in.seek(length - 8 - footerLength);
        in.readFully(footer);
      }
      return footer;
    }
  }

  private static IllegalArgumentException notParquet(String relativePath) {
    return new IllegalArgumentException(
        "its file '" + relativePath + "' is not a readable Parquet file");
  }

  /**
   * Reads and reduces a footer.
   *
   * @throws IllegalArgumentException when the file is not Parquet or uses a type Spark cannot read
   */
  static Footer read(InputFile file, String relativePath) throws IOException {
    ParquetMetadata md;
    try {
      md =
          CONVERTER
              .get()
              .readParquetMetadata(
                  new ByteArrayInputStream(footerBytes(file, relativePath)),
                  ParquetMetadataConverter.NO_FILTER);
    } catch (IOException | RuntimeException e) {
      if (e instanceof IllegalArgumentException) {
        throw e;
      }
      throw new IllegalArgumentException(
          "its file '" + relativePath + "' is not a readable Parquet file", e);
    }
    MessageType schema = md.getFileMetaData().getSchema();
    ArrayNode fields = SCHEMAS.get(schema);
    if (fields == null) {
      fields = NODES.arrayNode();
      for (Type t : schema.getFields()) {
        fields.add(field(t.getName(), type(t, relativePath)));
      }
      SCHEMAS.put(schema, fields);
    }
    return new Footer(fields, stats(schema, md.getBlocks(), fields));
  }

  static ObjectNode field(String name, JsonNode type) {
    ObjectNode f = NODES.objectNode();
    f.put("name", name);
    f.set("type", type);
    f.put("nullable", true);
    f.set("metadata", NODES.objectNode());
    return f;
  }

  /** The Delta type of a Parquet field, following Spark's Parquet schema converter. */
  static JsonNode type(Type t, String file) {
    if (t.isPrimitive()) {
      JsonNode p = NODES.textNode(primitive(t.asPrimitiveType(), file));
      return t.isRepetition(Type.Repetition.REPEATED) ? array(p) : p;
    }
    GroupType g = t.asGroupType();
    LogicalTypeAnnotation logical = g.getLogicalTypeAnnotation();
    JsonNode out;
    if (logical instanceof LogicalTypeAnnotation.ListLogicalTypeAnnotation
        && g.getFieldCount() == 1) {
      Type repeated = g.getType(0);
      boolean elementIsRepeated =
          repeated.isPrimitive()
              || repeated.asGroupType().getFieldCount() > 1
              || repeated.getName().equals("array")
              || repeated.getName().equals(g.getName() + "_tuple");
      JsonNode element =
          elementIsRepeated
              ? typeIgnoringRepetition(repeated, file)
              : type(repeated.asGroupType().getType(0), file);
      out = array(element);
    } else if ((logical instanceof LogicalTypeAnnotation.MapLogicalTypeAnnotation
            || logical instanceof LogicalTypeAnnotation.MapKeyValueTypeAnnotation)
        && g.getFieldCount() == 1
        && !g.getType(0).isPrimitive()
        && g.getType(0).asGroupType().getFieldCount() == 2) {
      GroupType kv = g.getType(0).asGroupType();
      ObjectNode m = NODES.objectNode();
      m.put("type", "map");
      m.set("keyType", type(kv.getType(0), file));
      m.set("valueType", type(kv.getType(1), file));
      m.put("valueContainsNull", true);
      out = m;
    } else {
      out = struct(g, file);
    }
    return t.isRepetition(Type.Repetition.REPEATED) && out.isObject() && !isList(logical)
        ? array(out)
        : out;
  }

  private static boolean isList(LogicalTypeAnnotation l) {
    return l instanceof LogicalTypeAnnotation.ListLogicalTypeAnnotation;
  }

  private static JsonNode typeIgnoringRepetition(Type t, String file) {
    if (t.isPrimitive()) {
      return NODES.textNode(primitive(t.asPrimitiveType(), file));
    }
    return struct(t.asGroupType(), file);
  }

  private static ObjectNode struct(GroupType g, String file) {
    ObjectNode s = NODES.objectNode();
    s.put("type", "struct");
    ArrayNode fields = s.putArray("fields");
    for (Type f : g.getFields()) {
      fields.add(field(f.getName(), type(f, file)));
    }
    return s;
  }

  private static ObjectNode array(JsonNode element) {
    ObjectNode a = NODES.objectNode();
    a.put("type", "array");
    a.set("elementType", element);
    a.put("containsNull", true);
    return a;
  }

  static String primitive(PrimitiveType p, String file) {
    LogicalTypeAnnotation l = p.getLogicalTypeAnnotation();
    if (l instanceof DecimalLogicalTypeAnnotation d) {
      return "decimal(" + d.getPrecision() + "," + d.getScale() + ")";
    }
    switch (p.getPrimitiveTypeName()) {
      case BOOLEAN:
        return "boolean";
      case FLOAT:
        return "float";
      case DOUBLE:
        return "double";
      case INT96:
        return "timestamp";
      case INT32:
        if (l == null) {
          return "integer";
        }
        if (l instanceof LogicalTypeAnnotation.DateLogicalTypeAnnotation) {
          return "date";
        }
        if (l instanceof IntLogicalTypeAnnotation i) {
          if (!i.isSigned()) {
            return i.getBitWidth() == 8 ? "short" : i.getBitWidth() == 16 ? "integer" : "long";
          }
          return i.getBitWidth() == 8 ? "byte" : i.getBitWidth() == 16 ? "short" : "integer";
        }
        break;
      case INT64:
        if (l == null) {
          return "long";
        }
        if (l instanceof IntLogicalTypeAnnotation i) {
          return i.isSigned() ? "long" : "decimal(20,0)";
        }
        if (l instanceof TimestampLogicalTypeAnnotation ts
            && ts.getUnit() != LogicalTypeAnnotation.TimeUnit.NANOS) {
          return ts.isAdjustedToUTC() ? "timestamp" : "timestamp_ntz";
        }
        break;
      case BINARY:
        if (l instanceof LogicalTypeAnnotation.StringLogicalTypeAnnotation
            || l instanceof LogicalTypeAnnotation.EnumLogicalTypeAnnotation
            || l instanceof LogicalTypeAnnotation.JsonLogicalTypeAnnotation) {
          return "string";
        }
        if (l == null || l instanceof LogicalTypeAnnotation.BsonLogicalTypeAnnotation) {
          return "binary";
        }
        break;
      case FIXED_LEN_BYTE_ARRAY:
        if (l == null) {
          return "binary";
        }
        break;
      default:
        break;
    }
    throw new IllegalArgumentException(
        "column '"
            + p.getName()
            + "' of '"
            + file
            + "' has the Parquet type "
            + p
            + ", which Spark cannot read");
  }

  /**
   * The Delta stats JSON of a file: row count, and what its row groups say of top-level columns.
   */
  static String stats(MessageType schema, List<BlockMetaData> blocks, ArrayNode fields) {
    long rows = 0;
    for (BlockMetaData b : blocks) {
      rows += b.getRowCount();
    }
    Map<String, String> types = new LinkedHashMap<>();
    for (JsonNode f : fields) {
      if (f.get("type").isTextual()) {
        types.put(f.get("name").asText(), f.get("type").asText());
      }
    }
    ObjectNode min = NODES.objectNode();
    ObjectNode max = NODES.objectNode();
    ObjectNode nulls = NODES.objectNode();
    for (Map.Entry<String, String> col : types.entrySet()) {
      String name = col.getKey();
      Type t = schema.getType(name);
      if (!t.isPrimitive()
          || !t.isRepetition(Type.Repetition.OPTIONAL)
              && !t.isRepetition(Type.Repetition.REQUIRED)) {
        continue;
      }
      boolean nullsKnown = true;
      long nullCount = 0;
      boolean rangeKnown = trustedRange(t.asPrimitiveType(), col.getValue());
      Object lo = null;
      Object hi = null;
      for (BlockMetaData b : blocks) {
        ColumnChunkMetaData c = chunk(b, name);
        Statistics<?> s = c == null ? null : c.getStatistics();
        if (s == null || s.isEmpty()) {
          nullsKnown = false;
          rangeKnown = false;
          break;
        }
        if (s.isNumNullsSet()) {
          nullCount += s.getNumNulls();
        } else {
          nullsKnown = false;
        }
        if (!rangeKnown || !s.hasNonNullValue()) {
          continue;
        }
        @SuppressWarnings({"unchecked", "rawtypes"})
        PrimitiveComparator<Object> cmp = (PrimitiveComparator) s.comparator();
        if (lo == null || cmp.compare(s.genericGetMin(), lo) < 0) {
          lo = s.genericGetMin();
        }
        if (hi == null || cmp.compare(s.genericGetMax(), hi) > 0) {
          hi = s.genericGetMax();
        }
      }
      if (nullsKnown) {
        nulls.put(name, nullCount);
      }
      if (rangeKnown && lo != null && hi != null) {
        PrimitiveType p = t.asPrimitiveType();
        JsonNode a = render(p, col.getValue(), lo);
        JsonNode z = render(p, col.getValue(), hi);
        if (a != null && z != null) {
          min.set(name, a);
          max.set(name, z);
        }
      }
    }
    ObjectNode stats = NODES.objectNode();
    stats.put("numRecords", rows);
    stats.set("minValues", min);
    stats.set("maxValues", max);
    stats.set("nullCount", nulls);
    return stats.toString();
  }

  private static ColumnChunkMetaData chunk(BlockMetaData b, String name) {
    for (ColumnChunkMetaData c : b.getColumns()) {
      String[] path = c.getPath().toArray();
      if (path.length == 1 && path[0].equals(name)) {
        return c;
      }
    }
    return null;
  }

  private static boolean trustedRange(PrimitiveType p, String deltaType) {
    if (p.getLogicalTypeAnnotation() instanceof IntLogicalTypeAnnotation i && !i.isSigned()) {
      return false;
    }
    return switch (deltaType) {
      case "byte", "short", "integer", "long", "date", "string" -> true;
      default -> deltaType.startsWith("decimal(");
    };
  }

  private static JsonNode render(PrimitiveType p, String deltaType, Object v) {
    if (deltaType.startsWith("decimal(")) {
      int scale = ((DecimalLogicalTypeAnnotation) p.getLogicalTypeAnnotation()).getScale();
      BigInteger unscaled =
          v instanceof Binary b
              ? new BigInteger(b.getBytes())
              : BigInteger.valueOf(((Number) v).longValue());
      return NODES.numberNode(new BigDecimal(unscaled, scale));
    }
    return switch (deltaType) {
      case "byte", "short", "integer" -> NODES.numberNode(((Number) v).intValue());
      case "long" -> NODES.numberNode(((Number) v).longValue());
      case "date" -> NODES.textNode(LocalDate.ofEpochDay(((Number) v).intValue()).toString());
      case "string" -> {
        String s = ((Binary) v).toStringUsingUTF8();
        yield s.length() > MAX_STRING_STAT ? null : NODES.textNode(s);
      }
      default -> null;
    };
  }
}
