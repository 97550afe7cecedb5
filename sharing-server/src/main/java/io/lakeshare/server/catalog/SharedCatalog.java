package io.lakeshare.server.catalog;

import io.lakeshare.server.config.SchemaConfig;
import io.lakeshare.server.config.ServerConfig;
import io.lakeshare.server.config.ShareConfig;
import io.lakeshare.server.config.TableConfig;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Shares, schemas and tables from the configuration, looked up case-insensitively. */
public final class SharedCatalog {
  private final List<ShareConfig> shares;
  private final Map<String, ShareConfig> sharesByName = new HashMap<>();
  private final Map<String, SchemaConfig> schemasByKey = new HashMap<>();
  private final Map<String, SharedTable> tablesByKey = new HashMap<>();
  private final Map<String, List<SharedTable>> tablesBySchema = new HashMap<>();
  private final Map<String, List<SharedTable>> tablesByShare = new HashMap<>();

  public SharedCatalog(ServerConfig config) {
    this.shares = List.copyOf(config.shares());
    for (ShareConfig share : shares) {
      String s = key(share.name());
      sharesByName.put(s, share);
      List<SharedTable> inShare = new ArrayList<>();
      for (SchemaConfig schema : share.schemas()) {
        String sc = s + "/" + key(schema.name());
        schemasByKey.put(sc, schema);
        List<SharedTable> inSchema = new ArrayList<>();
        for (TableConfig table : schema.tables()) {
          SharedTable t = new SharedTable(share.name(), schema.name(), table);
          tablesByKey.put(sc + "/" + key(table.name()), t);
          inSchema.add(t);
        }
        tablesBySchema.put(sc, Collections.unmodifiableList(inSchema));
        inShare.addAll(inSchema);
      }
      tablesByShare.put(s, Collections.unmodifiableList(inShare));
    }
  }

  public List<ShareConfig> shares() {
    return shares;
  }

  public Optional<ShareConfig> share(String name) {
    return Optional.ofNullable(sharesByName.get(key(name)));
  }

  public Optional<SchemaConfig> schema(String share, String schema) {
    return Optional.ofNullable(schemasByKey.get(key(share) + "/" + key(schema)));
  }

  public Optional<SharedTable> table(String share, String schema, String table) {
    return Optional.ofNullable(tablesByKey.get(key(share) + "/" + key(schema) + "/" + key(table)));
  }

  public List<SharedTable> tables(String share, String schema) {
    return tablesBySchema.getOrDefault(key(share) + "/" + key(schema), List.of());
  }

  public List<SharedTable> tables(String share) {
    return tablesByShare.getOrDefault(key(share), List.of());
  }

  /** Every table of every share, in configuration order. */
  public List<SharedTable> allTables() {
    List<SharedTable> all = new ArrayList<>();
    for (ShareConfig s : shares) {
      all.addAll(tables(s.name()));
    }
    return all;
  }

  private static String key(String name) {
    return name == null ? "" : name.toLowerCase(Locale.ROOT);
  }
}
