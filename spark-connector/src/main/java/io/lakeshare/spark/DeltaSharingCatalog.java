package io.lakeshare.spark;

import io.lakeshare.protocol.client.DeltaSharingClient;
import io.lakeshare.protocol.client.DeltaSharingException;
import io.lakeshare.protocol.model.Schema;
import io.lakeshare.protocol.model.Table;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.catalyst.analysis.NoSuchNamespaceException;
import org.apache.spark.sql.catalyst.analysis.NoSuchTableException;
import org.apache.spark.sql.connector.catalog.Column;
import org.apache.spark.sql.connector.catalog.Identifier;
import org.apache.spark.sql.connector.catalog.NamespaceChange;
import org.apache.spark.sql.connector.catalog.SupportsNamespaces;
import org.apache.spark.sql.connector.catalog.TableCatalog;
import org.apache.spark.sql.connector.catalog.TableChange;
import org.apache.spark.sql.connector.expressions.Transform;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;

/**
 * Every table a profile can read, as a Spark catalog: with {@code
 * spark.sql.catalog.<name>=io.lakeshare.spark.DeltaSharingCatalog} and {@code
 * spark.sql.catalog.<name>.profile=<profile-file>}, tables are {@code
 * <name>.<share>.<schema>.<table>} and SQL time travel works: {@code SELECT * FROM sharing.s.sc.t
 * VERSION AS OF 3} or {@code TIMESTAMP AS OF '2024-05-01'}. Spark's session catalog refuses time
 * travel on tables of other sources, which is why this catalog exists. Read-only.
 */
public final class DeltaSharingCatalog implements TableCatalog, SupportsNamespaces {
  /** Catalog option: the profile (file, Hadoop path or http(s) URL). */
  public static final String PROFILE = "profile";

  private String name;
  private String profile;
  private Map<String, String> options;

  @Override
  public void initialize(String name, CaseInsensitiveStringMap options) {
    SparkLineCheck.verify();
    this.name = name;
    this.profile = options.get(PROFILE);
    if (profile == null || profile.isBlank()) {
      throw new IllegalArgumentException(
          "Catalog "
              + name
              + " needs its profile: set spark.sql.catalog."
              + name
              + ".profile=<profile-file>");
    }
    this.options = new HashMap<>(options.asCaseSensitiveMap());
    this.options.remove(PROFILE);
  }

  @Override
  public String name() {
    return name;
  }

  private DeltaSharingClient client() {
    org.apache.spark.sql.SparkSession spark = org.apache.spark.sql.SparkSession.active();
    io.lakeshare.protocol.profile.Profile p =
        TableLocation.readProfile(profile, SparkInternals.hadoopConf(spark));
    if (p.isExpired(java.time.Clock.systemUTC())) {
      throw ConnectorErrors.profileExpired(profile, p.expirationTime());
    }
    return SharingClients.get(
        p,
        ConnectorConf.from(SparkInternals.sqlConfs()),
        ReadOptions.get(options, DeltaSharingOptions.CALLER_ORG));
  }

  /** Loads {@code share.schema.table} with the catalog's options plus {@code extra}. */
  private DeltaSharingTable tableFor(String coordinates, Map<String, String> extra) {
    Map<String, String> opts = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    opts.putAll(options);
    opts.putAll(extra);
    opts.put("path", profile + "#" + coordinates);
    return DeltaSharingTableProvider.load(opts);
  }

  private static String coordinates(Identifier ident) throws NoSuchTableException {
    String[] ns = ident.namespace();
    if (ns.length != 2) {
      throw new NoSuchTableException(ident);
    }
    return ns[0] + "." + ns[1] + "." + ident.name();
  }

  @Override
  public Identifier[] listTables(String[] namespace) throws NoSuchNamespaceException {
    if (namespace.length != 2) {
      throw new NoSuchNamespaceException(namespace);
    }
    try {
      List<Table> tables = client().listAllTablesInSchema(namespace[0], namespace[1]);
      return tables.stream()
          .map(t -> Identifier.of(new String[] {t.share(), t.schema()}, t.name()))
          .toArray(Identifier[]::new);
    } catch (DeltaSharingException e) {
      if (e.status() == 404) {
        throw new NoSuchNamespaceException(namespace);
      }
      throw ConnectorErrors.server(String.join(".", namespace), "listing tables", e);
    }
  }

  @Override
  public org.apache.spark.sql.connector.catalog.Table loadTable(Identifier ident)
      throws NoSuchTableException {
    return load(ident, Map.of());
  }

  @Override
  public org.apache.spark.sql.connector.catalog.Table loadTable(Identifier ident, String version)
      throws NoSuchTableException {
    return load(ident, Map.of(DeltaSharingOptions.VERSION_AS_OF, version));
  }

  @Override
  public org.apache.spark.sql.connector.catalog.Table loadTable(Identifier ident, long timestamp)
      throws NoSuchTableException {
    Instant at = Instant.EPOCH.plus(timestamp, ChronoUnit.MICROS);
    return load(ident, Map.of(DeltaSharingOptions.TIMESTAMP_AS_OF, at.toString()));
  }

  private org.apache.spark.sql.connector.catalog.Table load(
      Identifier ident, Map<String, String> extra) throws NoSuchTableException {
    String coordinates = coordinates(ident);
    try {
      return tableFor(coordinates, extra);
    } catch (DeltaSharingReadException e) {
      if (e.getCause() instanceof DeltaSharingException d && d.status() == 404) {
        throw new NoSuchTableException(ident);
      }
      throw e;
    }
  }

  @Override
  public String[][] listNamespaces() {
    try {
      return client().listAllShares().stream()
          .map(s -> new String[] {s.name()})
          .toArray(String[][]::new);
    } catch (DeltaSharingException e) {
      throw ConnectorErrors.server(name, "listing shares", e);
    }
  }

  @Override
  public String[][] listNamespaces(String[] namespace) throws NoSuchNamespaceException {
    if (namespace.length == 0) {
      return listNamespaces();
    }
    if (namespace.length != 1) {
      return new String[0][];
    }
    try {
      List<Schema> schemas = client().listAllSchemas(namespace[0]);
      return schemas.stream().map(s -> new String[] {s.share(), s.name()}).toArray(String[][]::new);
    } catch (DeltaSharingException e) {
      if (e.status() == 404) {
        throw new NoSuchNamespaceException(namespace);
      }
      throw ConnectorErrors.server(namespace[0], "listing schemas", e);
    }
  }

  @Override
  public Map<String, String> loadNamespaceMetadata(String[] namespace)
      throws NoSuchNamespaceException {
    if (namespace.length == 1) {
      for (String[] n : listNamespaces()) {
        if (n[0].equalsIgnoreCase(namespace[0])) {
          return Map.of();
        }
      }
    } else if (namespace.length == 2) {
      for (String[] n : listNamespaces(new String[] {namespace[0]})) {
        if (n[1].equalsIgnoreCase(namespace[1])) {
          return Map.of();
        }
      }
    }
    throw new NoSuchNamespaceException(namespace);
  }

  private UnsupportedOperationException readOnly() {
    return new UnsupportedOperationException(
        "Catalog " + name + " is read-only: shared tables are changed by their provider");
  }

  @Override
  public org.apache.spark.sql.connector.catalog.Table createTable(
      Identifier ident, Column[] columns, Transform[] partitions, Map<String, String> properties) {
    throw readOnly();
  }

  @Override
  @SuppressWarnings("deprecation")
  public org.apache.spark.sql.connector.catalog.Table createTable(
      Identifier ident,
      org.apache.spark.sql.types.StructType schema,
      Transform[] partitions,
      Map<String, String> properties) {
    throw readOnly();
  }

  @Override
  public org.apache.spark.sql.connector.catalog.Table alterTable(
      Identifier ident, TableChange... changes) {
    throw readOnly();
  }

  @Override
  public boolean dropTable(Identifier ident) {
    throw readOnly();
  }

  @Override
  public void renameTable(Identifier oldIdent, Identifier newIdent) {
    throw readOnly();
  }

  @Override
  public void createNamespace(String[] namespace, Map<String, String> metadata) {
    throw readOnly();
  }

  @Override
  public void alterNamespace(String[] namespace, NamespaceChange... changes) {
    throw readOnly();
  }

  @Override
  public boolean dropNamespace(String[] namespace, boolean cascade) {
    throw readOnly();
  }
}
