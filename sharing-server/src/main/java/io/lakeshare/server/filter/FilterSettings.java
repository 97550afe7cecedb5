package io.lakeshare.server.filter;

/**
 * Server switches for hint evaluation, with the reference server's meaning (CONFORMANCE §4).
 *
 * @param evaluatePredicateHints evaluate SQL {@code predicateHints}, only on partitioned tables
 * @param evaluateJsonPredicateHints evaluate {@code jsonPredicateHints} on partition columns
 * @param evaluateJsonPredicateHintsV2 also evaluate them on data columns, using per-file stats
 */
public record FilterSettings(
    boolean evaluatePredicateHints,
    boolean evaluateJsonPredicateHints,
    boolean evaluateJsonPredicateHintsV2) {

  /** The reference server's defaults: SQL hints off, JSON hints on (partitions and stats). */
  public static FilterSettings referenceDefaults() {
    return new FilterSettings(false, true, true);
  }
}
