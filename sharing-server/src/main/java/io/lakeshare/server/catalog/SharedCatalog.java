package io.lakeshare.server.catalog;

import io.lakeshare.server.config.GrantConfig;
import io.lakeshare.server.config.PartitionFilterTemplate;
import io.lakeshare.server.config.RecipientConfig;
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
    this(config.shares());
  }

  private SharedCatalog(List<ShareConfig> shareList) {
    this.shares = List.copyOf(shareList);
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

  /**
   * The part of this catalog that {@code grants} open, in the same order: what a recipient with
   * those grants sees. Everything else is absent from it, so a recipient cannot tell a share,
   * schema or table it was not granted from one that does not exist.
   */
  public SharedCatalog restrictedTo(List<GrantConfig> grants) {
    List<ShareConfig> out = new ArrayList<>();
    for (ShareConfig share : shares) {
      List<GrantConfig> mine =
          grants.stream().filter(g -> g.share().equalsIgnoreCase(share.name())).toList();
      if (mine.isEmpty()) {
        continue;
      }
      if (mine.stream().anyMatch(GrantConfig::wholeShare)) {
        out.add(share);
        continue;
      }
      List<SchemaConfig> schemas = new ArrayList<>();
      for (SchemaConfig schema : share.schemas()) {
        if (mine.stream().anyMatch(g -> g.coversSchema(share.name(), schema.name()))) {
          schemas.add(schema);
          continue;
        }
        List<TableConfig> tables = new ArrayList<>();
        for (TableConfig t : schema.tables()) {
          if (mine.stream().anyMatch(g -> g.covers(share.name(), schema.name(), t.name()))) {
            tables.add(t);
          }
        }
        if (!tables.isEmpty()) {
          schemas.add(new SchemaConfig(schema.name(), tables));
        }
      }
      out.add(new ShareConfig(share.name(), schemas, share.id()));
    }
    return new SharedCatalog(out);
  }

  /**
   * What {@code recipient} sees: the part its grants open, with each table's partition filter
   * rendered for it (its name and properties in place of the placeholders).
   *
   * @throws IllegalArgumentException when a granted table's filter cannot be rendered for it
   */
  public SharedCatalog forRecipient(RecipientConfig recipient) {
    SharedCatalog granted = restrictedTo(recipient.grants());
    List<ShareConfig> out = new ArrayList<>();
    for (ShareConfig share : granted.shares) {
      List<SchemaConfig> schemas = new ArrayList<>();
      for (SchemaConfig schema : share.schemas()) {
        List<TableConfig> tables = new ArrayList<>();
        for (TableConfig t : schema.tables()) {
          String filter;
          try {
            filter =
                PartitionFilterTemplate.render(
                    t.partitionFilter(), recipient.name(), recipient.properties());
          } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                "the partitionFilter of table '"
                    + share.name()
                    + "."
                    + schema.name()
                    + "."
                    + t.name()
                    + "' "
                    + e.getMessage(),
                e);
          }
          tables.add(t.withPartitionFilter(filter));
        }
        schemas.add(new SchemaConfig(schema.name(), tables));
      }
      out.add(new ShareConfig(share.name(), schemas, share.id()));
    }
    return new SharedCatalog(out);
  }

  private static String key(String name) {
    return name == null ? "" : name.toLowerCase(Locale.ROOT);
  }
}
