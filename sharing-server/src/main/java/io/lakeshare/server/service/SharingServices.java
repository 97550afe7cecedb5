package io.lakeshare.server.service;

import io.lakeshare.server.catalog.SharedCatalog;
import io.lakeshare.server.config.ServerConfig;
import io.lakeshare.server.delta.DeltaTables;
import io.lakeshare.server.filter.FilterSettings;
import java.time.Clock;

/** Wires the protocol services from a configuration. */
public record SharingServices(ListingService listing, TableService tables) {

  public static SharingServices create(
      ServerConfig config,
      SharedCatalog catalog,
      DeltaTables deltaTables,
      SignerProvider signers,
      byte[] tokenKey,
      Clock clock) {
    TokenSigner tokenSigner = new TokenSigner(tokenKey);
    QueryLimits limits =
        new QueryLimits(
            config.queryTablePageSizeLimit(),
            config.queryTablePageTokenTtlMs(),
            config.refreshTokenTtlMs());
    FilterFactory filters =
        new FilterFactory(
            new FilterSettings(
                config.evaluatePredicateHints(),
                config.evaluateJsonPredicateHints(),
                config.evaluateJsonPredicateHintsV2()));
    return new SharingServices(
        new ListingService(catalog, tokenSigner, signers),
        new TableService(
            catalog,
            deltaTables,
            signers,
            new QueryTokens(tokenSigner, limits, clock),
            limits,
            filters,
            java.time.Duration.ofSeconds(config.temporaryCredentialValiditySeconds())));
  }
}
