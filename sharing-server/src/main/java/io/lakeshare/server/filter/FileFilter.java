package io.lakeshare.server.filter;

import io.lakeshare.protocol.predicate.JsonPredicate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The per-request file filter built from a query's {@code jsonPredicateHints} and {@code
 * predicateHints} (CONFORMANCE §4). It only ever drops a file that certainly has no row on which
 * every hint is TRUE; any doubt, bad input or internal error keeps the file. Not shared between
 * requests: its error counter is its own.
 */
public final class FileFilter {
  private static final Logger LOG = LoggerFactory.getLogger(FileFilter.class);

  /** After this many failed evaluations in one request we stop trying and keep every file. */
  static final int MAX_ERRORS = 100;

  private final List<Expr> conjuncts;
  private final AtomicInteger errors = new AtomicInteger();

  private FileFilter(List<Expr> conjuncts) {
    this.conjuncts = List.copyOf(conjuncts);
  }

  /**
   * Builds the filter; every argument may be {@code null} (meaning: nothing to filter on). Never
   * throws.
   */
  public static FileFilter create(
      JsonPredicate jsonPredicate,
      List<String> sqlPredicateHints,
      FilterSettings settings,
      TableColumns columns) {
    if (settings == null || columns == null) {
      return new FileFilter(List.of());
    }
    List<Expr> conjuncts = new ArrayList<>();
    try {
      Expr json = compileJson(jsonPredicate, settings, columns);
      if (json != null && json.mayPrune()) {
        conjuncts.add(json);
      }
      if (sqlPredicateHints != null
          && settings.evaluatePredicateHints()
          && columns.isPartitioned()) {
        SqlCompiler sql = new SqlCompiler(columns);
        for (String entry : sqlPredicateHints) {
          Expr e = sql.compile(entry);
          if (e != null && e.mayPrune()) {
            conjuncts.add(e);
          }
        }
      }
    } catch (RuntimeException e) {
      LOG.warn("Ignoring filter hints that could not be compiled: {}", e.toString());
      return new FileFilter(List.of());
    }
    return new FileFilter(conjuncts);
  }

  private static Expr compileJson(
      JsonPredicate jsonPredicate, FilterSettings settings, TableColumns columns) {
    boolean partitions = settings.evaluateJsonPredicateHints();
    boolean stats = settings.evaluateJsonPredicateHintsV2();
    if (jsonPredicate == null || !partitions && !stats) {
      return null;
    }
    if (JsonCompiler.depth(jsonPredicate) > JsonCompiler.MAX_DEPTH) {
      LOG.debug("Ignoring jsonPredicateHints nested deeper than {}", JsonCompiler.MAX_DEPTH);
      return null;
    }
    return new JsonCompiler(columns, partitions, stats).compile(jsonPredicate);
  }

  /** Whether this filter keeps every file, so callers may skip calling {@link #mightMatch}. */
  public boolean isNoop() {
    return conjuncts.isEmpty();
  }

  /**
   * Whether the file may hold a row matching the hints: {@code false} only when it certainly does
   * not. {@code partitionValues} are the file's raw partition values (empty string or {@code null}
   * mean SQL NULL), {@code statsJson} its {@code stats} string; both may be {@code null}.
   */
  public boolean mightMatch(Map<String, String> partitionValues, String statsJson) {
    return mightMatch(partitionValues, statsJson, null);
  }

  /**
   * As {@link #mightMatch(Map, String)}, with the stats kept as the body of a JSON string (see
   * {@link io.lakeshare.server.delta.JsonStringBody}); they are decoded only if a data column's
   * bounds are needed.
   */
  public boolean mightMatchBody(Map<String, String> partitionValues, byte[] statsJsonBody) {
    return mightMatch(partitionValues, null, statsJsonBody);
  }

  private boolean mightMatch(
      Map<String, String> partitionValues, String statsJson, byte[] statsJsonBody) {
    if (conjuncts.isEmpty() || errors.get() >= MAX_ERRORS) {
      return true;
    }
    try {
      FileEvaluator file = new FileEvaluator(partitionValues, statsJson, statsJsonBody);
      for (Expr e : conjuncts) {
        if (!Truth.canBeTrue(file.eval(e))) {
          return false;
        }
      }
      return true;
    } catch (RuntimeException e) {
      if (errors.incrementAndGet() == MAX_ERRORS) {
        LOG.warn(
            "Stopped filtering files for this request after {} errors; last: {}",
            MAX_ERRORS,
            e.toString());
      } else {
        LOG.debug("Keeping a file the filter could not evaluate: {}", e.toString());
      }
      return true;
    }
  }
}
