package io.lakeshare.spark;

/**
 * The connector under the format name {@code lakeshare}: {@code spark.read.format("lakeshare")} and
 * {@code CREATE TABLE ... USING lakeshare}. Spark refuses a short name that two jars on the
 * classpath register ("Multiple sources found for deltaSharing"), and every Delta Sharing connector
 * registers {@code deltaSharing}; this name stays unambiguous next to them.
 */
public final class LakeshareTableProvider extends DeltaSharingTableProvider {
  @Override
  public String shortName() {
    return ALIAS;
  }
}
