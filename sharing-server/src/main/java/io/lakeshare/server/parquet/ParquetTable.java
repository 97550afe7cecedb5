package io.lakeshare.server.parquet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lakeshare.server.delta.ChangeRange;
import io.lakeshare.server.delta.DeltaTableException;
import io.lakeshare.server.delta.DeltaTableException.Kind;
import io.lakeshare.server.delta.FileExtras;
import io.lakeshare.server.delta.ScanFile;
import io.lakeshare.server.delta.TableSnapshot;
import io.lakeshare.server.delta.TableSource;
import io.lakeshare.server.storage.StorageAccessException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A directory of Parquet files shared as a table (Lakeshare extension, {@code format: parquet}).
 *
 * <p>Its one version is a snapshot of the directory listing: the data files (Spark's rules: names
 * starting with {@code _} or {@code .} are skipped, except partition directories), the partition
 * columns and values of their Hive-style directories, the schema merged from their footers, and
 * each file's statistics from its footer. The version is a fingerprint of the listing (paths,
 * sizes, modification times) and the declared partition types, so every server instance gives the
 * same number for the same files and a new one when a file changes. The listing is kept and checked
 * again after the configured interval; footers of files that did not change are not read again. The
 * last few listings stay answerable by version, so paged answers and URL refreshes outlive a
 * change.
 */
public final class ParquetTable implements TableSource {
  private static final Logger LOG = LoggerFactory.getLogger(ParquetTable.class);
  private static final int KEPT_VERSIONS = 4;
  private static final int FOOTER_BATCH = 64;
  private static final ExecutorService FOOTER_READERS =
      Executors.newFixedThreadPool(
          8,
          r -> {
            Thread t = new Thread(r, "lakeshare-parquet-footers");
            t.setDaemon(true);
            return t;
          });

  private final String location;
  private final ParquetFiles files;
  private final Map<String, String> declaredTypes;
  private final long refreshNanos;
  private final int maxFiles;
  private final Object lock = new Object();
  private volatile ParquetSnapshot current;
  private volatile long checkedAtNanos;
  private Map<String, Known> footers = Map.of();
  private final Map<Long, ParquetSnapshot> recent =
      new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, ParquetSnapshot> eldest) {
          return size() > KEPT_VERSIONS;
        }
      };

  private record Known(long size, long modificationTime, Footers.Footer footer) {}

  /**
   * @param location the normalized root
   * @param declaredTypes partition column types from the config (Spark SQL names, lower case)
   * @param refresh how long a listing is trusted before the directory is listed again
   */
  public ParquetTable(
      String location, ParquetFiles files, Map<String, String> declaredTypes, Duration refresh) {
    this(location, files, declaredTypes, refresh, defaultMaxFiles());
  }

  /**
   * @param maxFiles the most data files a listing may hold: the listing is kept in memory (about 1
   *     KB a file), so a larger directory is refused rather than allowed to exhaust the heap
   */
  public ParquetTable(
      String location,
      ParquetFiles files,
      Map<String, String> declaredTypes,
      Duration refresh,
      int maxFiles) {
    this.maxFiles = maxFiles;
    this.location = location;
    this.files = files;
    this.declaredTypes = Map.copyOf(declaredTypes);
    this.refreshNanos = refresh.toNanos();
  }

  /** {@code -Dlakeshare.parquet.maxFiles}, default 1,000,000. */
  static int defaultMaxFiles() {
    return Integer.getInteger("lakeshare.parquet.maxFiles", 1_000_000);
  }

  @Override
  public String location() {
    return location;
  }

  @Override
  public TableSnapshot latest() {
    ParquetSnapshot c = current;
    if (c != null && System.nanoTime() - checkedAtNanos < refreshNanos) {
      return c;
    }
    synchronized (lock) {
      c = current;
      if (c != null && System.nanoTime() - checkedAtNanos < refreshNanos) {
        return c;
      }
      ParquetSnapshot fresh = load(c);
      current = fresh;
      checkedAtNanos = System.nanoTime();
      synchronized (recent) {
        recent.put(fresh.version(), fresh);
      }
      return fresh;
    }
  }

  @Override
  public TableSnapshot atVersion(long version) {
    synchronized (recent) {
      ParquetSnapshot s = recent.get(version);
      if (s != null) {
        return s;
      }
    }
    TableSnapshot head = latest();
    if (head.version() == version) {
      return head;
    }
    throw new DeltaTableException(
        Kind.VERSION_NOT_FOUND,
        "Cannot load table version "
            + version
            + ": a Parquet table has only the version of its current listing ("
            + head.version()
            + ")",
        null);
  }

  @Override
  public long versionAtOrBefore(long millis) {
    throw noHistory();
  }

  @Override
  public long versionAtOrAfter(long millis) {
    throw noHistory();
  }

  @Override
  public ChangeRange changes(long from, long to, TableSnapshot start) {
    throw noHistory();
  }

  @Override
  public long earliestVersion() {
    return latest().version();
  }

  private static DeltaTableException noHistory() {
    return new DeltaTableException(
        Kind.UNSUPPORTED, "a Parquet table has no history (no time travel or change data)", null);
  }

  /** A new snapshot of the directory, or {@code previous} when its listing did not change. */
  private ParquetSnapshot load(ParquetSnapshot previous) {
    List<ParquetFiles.Listed> listed;
    try {
      listed = files.listAll(location);
    } catch (FileNotFoundException e) {
      throw new DeltaTableException(
          Kind.TABLE_NOT_FOUND, "no directory at the configured location", e);
    } catch (StorageAccessException e) {
      throw new DeltaTableException(Kind.STORAGE, e.getMessage(), e);
    } catch (IOException e) {
      throw new DeltaTableException(Kind.STORAGE, "listing the table's directory failed", e);
    }
    List<ParquetFiles.Listed> data = new ArrayList<>();
    for (ParquetFiles.Listed f : listed) {
      if (isDataFile(f.relativePath()) && f.size() > 0) {
        data.add(f);
      }
    }
    data.sort(Comparator.comparing(ParquetFiles.Listed::relativePath));
    if (data.isEmpty()) {
      throw unsupported("its directory holds no Parquet files to read a schema from");
    }
    if (data.size() > maxFiles) {
      throw unsupported(
          "it holds "
              + data.size()
              + " Parquet files, more than the "
              + maxFiles
              + " a Parquet table may have on this server (-Dlakeshare.parquet.maxFiles)");
    }
    long version = fingerprint(data);
    if (previous != null && previous.version() == version) {
      return previous;
    }
    Partitions partitions;
    try {
      partitions =
          Partitions.of(
              data.stream().map(ParquetFiles.Listed::relativePath).toList(), declaredTypes);
    } catch (IllegalArgumentException e) {
      throw unsupported(e.getMessage());
    }
    List<Footers.Footer> read = footers(data);
    String schema = mergedSchema(data, read, partitions);
    long newest = 0;
    List<ScanFile> scanFiles = new ArrayList<>(data.size());
    for (int i = 0; i < data.size(); i++) {
      ParquetFiles.Listed f = data.get(i);
      newest = Math.max(newest, f.modificationTime());
      scanFiles.add(
          new ScanFile(
              f.relativePath(),
              f.location(),
              partitions.values.get(f.relativePath()),
              f.size(),
              f.modificationTime(),
              read.get(i).stats(),
              FileExtras.PLAIN));
    }
    String id =
        UUID.nameUUIDFromBytes(("parquet:" + location).getBytes(StandardCharsets.UTF_8)).toString();
    return new ParquetSnapshot(
        location, version, newest, id, schema, partitions.columns, scanFiles);
  }

  /**
   * Spark's rule for the paths a file source reads: no name starting with {@code .}, none starting
   * with {@code _} unless it is a partition directory ({@code _col=value}), no copy in progress.
   */
  static boolean isDataFile(String relativePath) {
    String[] parts = relativePath.split("/");
    for (int i = 0; i < parts.length; i++) {
      String p = parts[i];
      if (p.isEmpty() || p.startsWith(".") || p.endsWith("._COPYING_")) {
        return false;
      }
      if (p.startsWith("_") && (i == parts.length - 1 || !p.contains("="))) {
        return false;
      }
    }
    return true;
  }

  /** Footers of the listed files: remembered ones when size and time are unchanged, else read. */
  private List<Footers.Footer> footers(List<ParquetFiles.Listed> data) {
    Map<String, Known> before = footers;
    Footers.Footer[] out = new Footers.Footer[data.size()];
    List<Integer> missing = new ArrayList<>();
    for (int i = 0; i < data.size(); i++) {
      ParquetFiles.Listed f = data.get(i);
      Known k = before.get(f.location());
      if (k != null && k.size() == f.size() && k.modificationTime() == f.modificationTime()) {
        out[i] = k.footer();
      } else {
        missing.add(i);
      }
    }
    Map<String, ArrayNode> sameFields = new HashMap<>();
    Map<ArrayNode, ArrayNode> seen = new java.util.IdentityHashMap<>();
    List<Future<?>> tasks = new ArrayList<>();
    for (int from = 0; from < missing.size(); from += FOOTER_BATCH) {
      List<Integer> batch = missing.subList(from, Math.min(missing.size(), from + FOOTER_BATCH));
      tasks.add(
          FOOTER_READERS.submit(
              () -> {
                for (int i : batch) {
                  ParquetFiles.Listed f = data.get(i);
                  try {
                    out[i] = Footers.read(files.open(f), f.relativePath());
                  } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                  }
                }
                return null;
              }));
    }
    try {
      for (Future<?> t : tasks) {
        t.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DeltaTableException(Kind.STORAGE, "interrupted reading footers", e);
    } catch (ExecutionException e) {
      tasks.forEach(t -> t.cancel(true));
      Throwable cause = e.getCause();
      if (cause instanceof IllegalArgumentException) {
        throw unsupported(cause.getMessage());
      }
      throw new DeltaTableException(Kind.STORAGE, "reading a Parquet footer failed", cause);
    }
    Map<String, Known> now = new HashMap<>(data.size() * 2);
    for (int i = 0; i < data.size(); i++) {
      ParquetFiles.Listed f = data.get(i);
      Footers.Footer footer = out[i];
      // files of one table mostly share a schema: keep one copy of it
      ArrayNode own = footer.fields();
      ArrayNode fields = seen.get(own);
      if (fields == null) {
        fields = sameFields.computeIfAbsent(own.toString(), k -> own);
        seen.put(own, fields);
      }
      if (fields != own) {
        footer = new Footers.Footer(fields, footer.stats());
        out[i] = footer;
      }
      now.put(f.location(), new Known(f.size(), f.modificationTime(), footer));
    }
    footers = now;
    if (!missing.isEmpty()) {
      LOG.debug("{}: read {} Parquet footers", location, missing.size());
    }
    return List.of(out);
  }

  /**
   * The table schema: the data columns of every file merged by name in path order (a column a later
   * file adds goes last; nested structs merge the same way), then the partition columns. Two files
   * that give one column different types make the table unreadable, as they would for Spark's
   * {@code mergeSchema}.
   */
  private String mergedSchema(
      List<ParquetFiles.Listed> data, List<Footers.Footer> read, Partitions partitions) {
    java.util.Set<String> partitionNames = new java.util.HashSet<>();
    for (String c : partitions.columns) {
      partitionNames.add(c.toLowerCase(Locale.ROOT));
    }
    LinkedHashMap<String, ObjectNode> merged = new LinkedHashMap<>();
    Map<String, String> from = new HashMap<>();
    ArrayNode previous = null;
    for (int i = 0; i < read.size(); i++) {
      ArrayNode fields = read.get(i).fields();
      if (fields == previous) {
        continue;
      }
      previous = fields;
      String file = data.get(i).relativePath();
      for (JsonNode f : fields) {
        String name = f.get("name").asText();
        if (partitionNames.contains(name.toLowerCase(Locale.ROOT))) {
          continue;
        }
        ObjectNode known = merged.get(name);
        if (known == null) {
          merged.put(name, ((ObjectNode) f).deepCopy());
          from.put(name, file);
        } else {
          JsonNode type = mergeTypes(known.get("type"), f.get("type"));
          if (type == null) {
            throw unsupported(
                "its files disagree on the type of column '"
                    + name
                    + "': "
                    + typeName(known.get("type"))
                    + " in '"
                    + from.get(name)
                    + "', "
                    + typeName(f.get("type"))
                    + " in '"
                    + file
                    + "'");
          }
          known.set("type", type);
        }
      }
    }
    ObjectNode schema = Footers.MAPPER.createObjectNode();
    schema.put("type", "struct");
    ArrayNode out = schema.putArray("fields");
    merged.values().forEach(out::add);
    for (int c = 0; c < partitions.columns.size(); c++) {
      out.add(
          Footers.field(
              partitions.columns.get(c),
              Footers.MAPPER.getNodeFactory().textNode(partitions.types.get(c))));
    }
    return schema.toString();
  }

  /** The merge of two field types, or null when they conflict. */
  private static JsonNode mergeTypes(JsonNode a, JsonNode b) {
    if (a.equals(b)) {
      return a;
    }
    if (a.isObject()
        && b.isObject()
        && "struct".equals(a.path("type").asText())
        && "struct".equals(b.path("type").asText())) {
      LinkedHashMap<String, JsonNode> fields = new LinkedHashMap<>();
      for (JsonNode f : a.get("fields")) {
        fields.put(f.get("name").asText(), f);
      }
      for (JsonNode f : b.get("fields")) {
        String name = f.get("name").asText();
        JsonNode known = fields.get(name);
        if (known == null) {
          fields.put(name, f);
        } else {
          JsonNode t = mergeTypes(known.get("type"), f.get("type"));
          if (t == null) {
            return null;
          }
          ObjectNode copy = ((ObjectNode) known).deepCopy();
          copy.set("type", t);
          fields.put(name, copy);
        }
      }
      ObjectNode s = Footers.MAPPER.createObjectNode();
      s.put("type", "struct");
      ArrayNode arr = s.putArray("fields");
      fields.values().forEach(arr::add);
      return s;
    }
    return null;
  }

  private static String typeName(JsonNode type) {
    return type.isTextual() ? type.asText() : type.path("type").asText();
  }

  /**
   * The version of a listing: a hash of the declared partition types and every file's path, size
   * and modification time (the schema and everything else follow from these).
   */
  private long fingerprint(List<ParquetFiles.Listed> data) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update(new java.util.TreeMap<>(declaredTypes).toString().getBytes(StandardCharsets.UTF_8));
      for (ParquetFiles.Listed f : data) {
        md.update(
            ("\n" + f.relativePath() + "\t" + f.size() + "\t" + f.modificationTime())
                .getBytes(StandardCharsets.UTF_8));
      }
      byte[] h = md.digest();
      long v = 0;
      for (int i = 0; i < 8; i++) {
        v = (v << 8) | (h[i] & 0xff);
      }
      return v & Long.MAX_VALUE;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static DeltaTableException unsupported(String why) {
    return new DeltaTableException(Kind.UNSUPPORTED, why, null);
  }
}
