/**
 * Turns predicates Spark pushes into a scan into sound server filtering hints ({@code
 * jsonPredicateHints} and legacy SQL {@code predicateHints}); entry point {@link
 * io.lakeshare.spark.pushdown.PushdownConverter}.
 */
package io.lakeshare.spark.pushdown;
