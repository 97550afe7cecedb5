package io.lakeshare.spark;

import java.io.Serializable;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.MetadataBuilder;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Delta column mapping ({@code name} and {@code id} modes): every field, nested ones too, has a
 * stable physical name that the Parquet files and the log's partition values and statistics use,
 * while the schema shows logical names that renames change. Reads ask Spark's Parquet reader for
 * physical names and hand the columns on by position under their logical names. Tables without
 * mapping get the identity.
 */
final class ColumnMapping implements Serializable {
  private static final long serialVersionUID = 1L;

  static final String MODE_PROPERTY = "delta.columnMapping.mode";
  private static final String KEY_PREFIX = "delta.columnMapping.";
  private static final String PHYSICAL_NAME = "delta.columnMapping.physicalName";

  /** The identity mapping. */
  static final ColumnMapping NONE = new ColumnMapping(null);

  /** Logical name to the field's physical name and its children's mapping; null for identity. */
  private final Node root;

  private record Node(String physical, Map<String, Node> children) implements Serializable {}

  private ColumnMapping(Node root) {
    this.root = root;
  }

  /**
   * The mapping of a table whose schema, as the metadata line gives it (with field metadata), is
   * {@code schema} and whose properties are {@code configuration}.
   */
  static ColumnMapping of(StructType schema, Map<String, String> configuration) {
    String mode = configuration == null ? null : configuration.get(MODE_PROPERTY);
    if (mode == null || mode.trim().equalsIgnoreCase("none")) {
      return NONE;
    }
    return new ColumnMapping(new Node(null, children(schema)));
  }

  boolean isIdentity() {
    return root == null;
  }

  /** The schema with the column-mapping field metadata removed, as Delta shows it to readers. */
  static StructType logical(StructType schema) {
    return (StructType) strip(schema);
  }

  /** {@code logical} (a subset of the table's columns, possibly pruned) in physical names. */
  StructType physical(StructType logical) {
    return root == null ? logical : (StructType) rename(logical, root);
  }

  /** The physical name of a top-level column (e.g. a partition column). */
  String physicalName(String logicalName) {
    if (root == null) {
      return logicalName;
    }
    Node n = find(root.children(), logicalName);
    return n == null ? logicalName : n.physical();
  }

  /**
   * The physical path of a dotted column reference such as {@code a.b}, or {@code null} when a
   * segment is unknown.
   */
  String physicalPath(String[] logicalPath) {
    if (root == null) {
      return String.join(".", logicalPath);
    }
    StringBuilder out = new StringBuilder();
    Node at = root;
    for (String segment : logicalPath) {
      Node n = at.children() == null ? null : find(at.children(), segment);
      if (n == null) {
        return null;
      }
      if (out.length() > 0) {
        out.append('.');
      }
      out.append(n.physical());
      at = n;
    }
    return out.toString();
  }

  private static Map<String, Node> children(DataType type) {
    if (type instanceof StructType s) {
      Map<String, Node> out = new HashMap<>();
      for (StructField f : s.fields()) {
        String physical =
            f.metadata().contains(PHYSICAL_NAME) ? f.metadata().getString(PHYSICAL_NAME) : f.name();
        out.put(f.name(), new Node(physical, children(f.dataType())));
      }
      return out;
    }
    if (type instanceof ArrayType a) {
      return children(a.elementType());
    }
    if (type instanceof MapType m) {
      // a map's key and value structs are told apart by the reserved names key and value
      Map<String, Node> out = new HashMap<>();
      out.put("key", new Node("key", children(m.keyType())));
      out.put("value", new Node("value", children(m.valueType())));
      return out;
    }
    return null;
  }

  private static Node find(Map<String, Node> children, String name) {
    Node exact = children.get(name);
    if (exact != null) {
      return exact;
    }
    Node found = null;
    for (Map.Entry<String, Node> e : children.entrySet()) {
      if (e.getKey().toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
        if (found != null) {
          return null; // ambiguous
        }
        found = e.getValue();
      }
    }
    return found;
  }

  private static DataType rename(DataType type, Node node) {
    if (type instanceof StructType s) {
      StructField[] out = new StructField[s.fields().length];
      for (int i = 0; i < out.length; i++) {
        StructField f = s.fields()[i];
        Node n = node == null || node.children() == null ? null : find(node.children(), f.name());
        String name = n == null ? f.name() : n.physical();
        out[i] = new StructField(name, rename(f.dataType(), n), f.nullable(), f.metadata());
      }
      return new StructType(out);
    }
    if (type instanceof ArrayType a) {
      return new ArrayType(rename(a.elementType(), node), a.containsNull());
    }
    if (type instanceof MapType m) {
      Node key = node == null || node.children() == null ? null : node.children().get("key");
      Node value = node == null || node.children() == null ? null : node.children().get("value");
      return new MapType(
          rename(m.keyType(), key), rename(m.valueType(), value), m.valueContainsNull());
    }
    return type;
  }

  private static DataType strip(DataType type) {
    if (type instanceof StructType s) {
      StructField[] out = new StructField[s.fields().length];
      for (int i = 0; i < out.length; i++) {
        StructField f = s.fields()[i];
        out[i] =
            new StructField(f.name(), strip(f.dataType()), f.nullable(), stripped(f.metadata()));
      }
      return new StructType(out);
    }
    if (type instanceof ArrayType a) {
      return new ArrayType(strip(a.elementType()), a.containsNull());
    }
    if (type instanceof MapType m) {
      return new MapType(strip(m.keyType()), strip(m.valueType()), m.valueContainsNull());
    }
    return type;
  }

  private static Metadata stripped(Metadata m) {
    boolean any = false;
    java.util.List<String> keys = keys(m);
    for (String key : keys) {
      any |= key.startsWith(KEY_PREFIX);
    }
    if (!any) {
      return m;
    }
    MetadataBuilder b = new MetadataBuilder().withMetadata(m);
    for (String key : keys) {
      if (key.startsWith(KEY_PREFIX)) {
        b.remove(key);
      }
    }
    return b.build();
  }

  /** The top-level keys of field metadata, read from its JSON (the public view of it). */
  private static java.util.List<String> keys(Metadata m) {
    java.util.List<String> out = new java.util.ArrayList<>();
    try (com.fasterxml.jackson.core.JsonParser p =
        new com.fasterxml.jackson.core.JsonFactory().createParser(m.json())) {
      if (p.nextToken() != com.fasterxml.jackson.core.JsonToken.START_OBJECT) {
        return out;
      }
      while (p.nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
        out.add(p.currentName());
        p.nextToken();
        p.skipChildren();
      }
    } catch (java.io.IOException e) {
      // metadata Spark itself wrote is always valid JSON; keep it as it is otherwise
    }
    return out;
  }
}
