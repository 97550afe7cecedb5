package io.lakeshare.server.service;

import io.lakeshare.protocol.model.QueryTableRequest;
import io.lakeshare.protocol.predicate.JsonPredicate;
import io.lakeshare.protocol.predicate.JsonPredicates;
import io.lakeshare.server.delta.TableSnapshot;
import io.lakeshare.server.filter.FileFilter;
import io.lakeshare.server.filter.FilterSettings;
import io.lakeshare.server.filter.TableColumns;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Builds the per-request file filter; a hint that cannot be used is logged and skipped. */
final class FilterFactory {
  private static final Logger LOG = LoggerFactory.getLogger(FilterFactory.class);
  private final FilterSettings settings;

  FilterFactory(FilterSettings settings) {
    this.settings = settings;
  }

  FileFilter create(QueryTableRequest r, TableSnapshot s) {
    JsonPredicate json = null;
    String text = r.jsonPredicateHints();
    if (text != null && !text.isBlank()) {
      try {
        json = JsonPredicates.parse(text);
      } catch (RuntimeException e) {
        LOG.debug("Ignoring jsonPredicateHints: {}", e.getMessage());
      }
    }
    try {
      return FileFilter.create(
          json,
          r.predicateHints(),
          settings,
          TableColumns.fromSchemaString(s.schemaString(), s.partitionColumns()));
    } catch (RuntimeException e) {
      LOG.debug("Ignoring predicate hints: {}", e.toString());
      return FileFilter.create(
          null,
          null,
          settings,
          TableColumns.fromSchemaString(s.schemaString(), s.partitionColumns()));
    }
  }
}
