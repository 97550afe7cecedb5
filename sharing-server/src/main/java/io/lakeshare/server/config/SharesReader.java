package io.lakeshare.server.config;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

/** Reads and validates {@code shares → schemas → tables}; one instance per config file. */
final class SharesReader {
  private final Consumer<String> onUnknownKey;

  /** Lower-cased table id → "share.schema.table" of the table that owns it. */
  private final Map<String, String> tableIds = new HashMap<>();

  /** Lower-cased share id → name of the share that owns it. */
  private final Map<String, String> shareIds = new HashMap<>();

  SharesReader(Consumer<String> onUnknownKey) {
    this.onUnknownKey = onUnknownKey;
  }

  List<ShareConfig> read(List<YamlSection> shareSections) {
    List<ShareConfig> shares = new ArrayList<>();
    Map<String, String> names = new HashMap<>();
    for (YamlSection section : shareSections) {
      shares.add(readShare(section, names));
    }
    return shares;
  }

  private ShareConfig readShare(YamlSection section, Map<String, String> shareNames) {
    String name = requireName(section, "share", false, "", shareNames);
    String id = section.string("id");
    if (id != null) {
      if (id.isBlank()) {
        throw section.error("'id' in a share must not be empty");
      }
      String owner = shareIds.putIfAbsent(id.toLowerCase(Locale.ROOT), name);
      if (owner != null) {
        throw section.error(
            "'id' '" + NameRules.display(id) + "' is already used by share '" + owner + "'");
      }
    }
    List<SchemaConfig> schemas = new ArrayList<>();
    Map<String, String> schemaNames = new HashMap<>();
    for (YamlSection schema : section.list("schemas", "schema")) {
      schemas.add(readSchema(schema, name, schemaNames));
    }
    section.reportUnknownKeys(onUnknownKey);
    return new ShareConfig(name, schemas, id);
  }

  private SchemaConfig readSchema(
      YamlSection section, String share, Map<String, String> schemaNames) {
    String name = requireName(section, "schema", true, "share", schemaNames);
    List<TableConfig> tables = new ArrayList<>();
    Map<String, String> tableNames = new HashMap<>();
    for (YamlSection table : section.list("tables", "table")) {
      tables.add(readTable(table, share, name, tableNames));
    }
    section.reportUnknownKeys(onUnknownKey);
    return new SchemaConfig(name, tables);
  }

  private TableConfig readTable(
      YamlSection section, String share, String schema, Map<String, String> tableNames) {
    String name = requireName(section, "table", true, "schema", tableNames);
    String location = section.string("location");
    if (location == null || location.isBlank()) {
      throw section.error("'location' in a table must be provided");
    }
    String id = section.string("id");
    if (id == null) {
      id = derivedTableId(share, schema, name);
    } else if (id.isBlank()) {
      throw section.error("'id' in a table must not be empty; omit it to derive one");
    }
    String qualified = share + "." + schema + "." + name;
    String owner = tableIds.putIfAbsent(id.toLowerCase(Locale.ROOT), qualified);
    if (owner != null) {
      throw section.error(
          "'id' '"
              + NameRules.display(id)
              + "' is already used by table '"
              + owner
              + "'; table ids must be unique");
    }
    Boolean historyShared = section.bool("historyShared");
    Long startVersion = section.longValue("startVersion");
    if (startVersion != null && startVersion < 0) {
      throw section.error("'startVersion' must not be negative, got " + startVersion);
    }
    String storage = section.string("storage");
    if (storage != null && storage.isBlank()) {
      throw section.error(
          "'storage' in a table must name an entry of the top-level 'storage' list");
    }
    String partitionFilter = section.string("partitionFilter");
    if (partitionFilter != null && partitionFilter.isBlank()) {
      throw section.error("'partitionFilter' must not be empty; omit it to share every partition");
    }
    if (partitionFilter != null) {
      try {
        PartitionFilterTemplate.check(partitionFilter);
      } catch (IllegalArgumentException e) {
        throw section.error("'partitionFilter' " + e.getMessage());
      }
    }
    String format = section.string("format");
    format = format == null ? TableConfig.DELTA : format.trim().toLowerCase(Locale.ROOT);
    if (!format.equals(TableConfig.DELTA) && !format.equals(TableConfig.PARQUET)) {
      throw section.error(
          "'format' must be 'delta' (the default) or 'parquet', got '"
              + NameRules.display(format)
              + "'");
    }
    Map<String, String> partitionTypes = section.stringMap("partitionColumnTypes");
    if (partitionTypes.isEmpty()) {
      partitionTypes = null;
    }
    Long listingRefresh = section.longValue("listingRefreshSeconds");
    if (listingRefresh != null && listingRefresh < 0) {
      throw section.error("'listingRefreshSeconds' must not be negative, got " + listingRefresh);
    }
    if (listingRefresh != null && !format.equals(TableConfig.PARQUET)) {
      throw section.error("'listingRefreshSeconds' applies only to tables with 'format: parquet'");
    }
    if (format.equals(TableConfig.PARQUET)) {
      if (historyShared != null && historyShared) {
        throw section.error(
            "'historyShared' cannot be true for a Parquet table: a directory of Parquet files has"
                + " no history to share (no time travel, change data feed or streaming)");
      }
      if (startVersion != null) {
        throw section.error(
            "'startVersion' does not apply to a Parquet table: its version is derived from the"
                + " listing of its files");
      }
      if (partitionTypes != null) {
        for (Map.Entry<String, String> e : partitionTypes.entrySet()) {
          if (!PARTITION_TYPES.contains(e.getValue().trim().toLowerCase(Locale.ROOT))) {
            throw section.error(
                "'partitionColumnTypes' gives column '"
                    + NameRules.display(e.getKey())
                    + "' the type '"
                    + NameRules.display(e.getValue())
                    + "'; use one of "
                    + PARTITION_TYPES);
          }
        }
      }
    } else if (partitionTypes != null) {
      throw section.error("'partitionColumnTypes' applies only to tables with 'format: parquet'");
    }
    section.reportUnknownKeys(onUnknownKey);
    return new TableConfig(
        name,
        location,
        id,
        historyShared != null && historyShared,
        startVersion == null ? 0L : startVersion,
        storage == null ? null : storage.trim(),
        partitionFilter == null ? null : partitionFilter.trim(),
        format,
        partitionTypes == null ? null : lowerCaseValues(partitionTypes),
        listingRefresh == null ? TableConfig.DEFAULT_LISTING_REFRESH_SECONDS : listingRefresh);
  }

  /** Partition column types a Parquet table may declare (Spark SQL names). */
  static final List<String> PARTITION_TYPES =
      List.of(
          "string",
          "int",
          "integer",
          "bigint",
          "long",
          "smallint",
          "short",
          "tinyint",
          "byte",
          "double",
          "float",
          "boolean",
          "date",
          "timestamp");

  private static Map<String, String> lowerCaseValues(Map<String, String> types) {
    Map<String, String> out = new java.util.LinkedHashMap<>();
    types.forEach((k, v) -> out.put(k, v.trim().toLowerCase(Locale.ROOT)));
    return out;
  }

  /**
   * The id of a table whose config has none. The reference server leaves it null and then fails
   * every table listing; we derive a name-based (version 3) UUID from the lower-cased {@code
   * share.schema.table} instead. It is stable across restarts and machines, and across renames that
   * only change case (names are case-insensitive), so page and refresh tokens, which embed the id,
   * stay valid. Renaming the share, schema or table changes it. Schema and table names cannot
   * contain dots, so different tables never produce the same input.
   */
  static String derivedTableId(String share, String schema, String table) {
    String key = (share + "." + schema + "." + table).toLowerCase(Locale.ROOT);
    return UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8)).toString();
  }

  /**
   * Reads, checks and records the name of a share, schema or table, then relabels the section with
   * it. {@code siblings} maps lower-cased names already seen under the same parent to their
   * spelling.
   */
  private static String requireName(
      YamlSection section,
      String kind,
      boolean dotForbidden,
      String parentKind,
      Map<String, String> siblings) {
    String name = section.string("name");
    if (name == null || name.isEmpty()) {
      throw section.error("'name' in a " + kind + " must be provided");
    }
    String problem = NameRules.problem(name, dotForbidden);
    if (problem != null) {
      throw section.error("'name' in a " + kind + " is invalid: " + problem);
    }
    section.relabel(kind + " '" + name + "'");
    String previous = siblings.putIfAbsent(name.toLowerCase(Locale.ROOT), name);
    if (previous != null) {
      String scope = parentKind.isEmpty() ? "" : " in the same " + parentKind;
      throw section.error(
          "the name duplicates "
              + kind
              + " '"
              + previous
              + "'"
              + scope
              + " (names are case-insensitive)");
    }
    return name;
  }
}
