package io.lakeshare.server.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.lakeshare.server.config.RecipientConfig;
import io.lakeshare.server.config.ServerConfig;
import io.lakeshare.server.config.TokenIssuerConfig;
import java.net.MalformedURLException;
import java.net.URI;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Token federation: JWT access tokens from configured issuers, verified against each issuer's
 * published key set (Nimbus JOSE+JWT: signature with an asymmetric algorithm, {@code iss}, {@code
 * aud}, {@code exp}/{@code nbf} within the clock skew), and mapped by one claim to the recipient
 * whose {@code federation} names that issuer and value. Key sets are cached and fetched again when
 * a token is signed with a key id not seen before, at most once per {@code jwksMinRefreshSeconds}.
 */
final class FederatedTokens {
  private static final Logger LOG = LoggerFactory.getLogger(FederatedTokens.class);
  private static final Set<JWSAlgorithm> ALGORITHMS =
      Set.of(
          JWSAlgorithm.RS256,
          JWSAlgorithm.RS384,
          JWSAlgorithm.RS512,
          JWSAlgorithm.PS256,
          JWSAlgorithm.PS384,
          JWSAlgorithm.PS512,
          JWSAlgorithm.ES256,
          JWSAlgorithm.ES384,
          JWSAlgorithm.ES512,
          JWSAlgorithm.EdDSA);

  private record Issuer(TokenIssuerConfig config, DefaultJWTProcessor<SecurityContext> processor) {}

  private final List<Issuer> issuers;
  private final Map<String, String> recipientByIdentity;

  private FederatedTokens(List<Issuer> issuers, Map<String, String> recipientByIdentity) {
    this.issuers = issuers;
    this.recipientByIdentity = recipientByIdentity;
  }

  static FederatedTokens of(ServerConfig config) {
    List<Issuer> issuers = new ArrayList<>();
    for (TokenIssuerConfig c : config.tokenIssuers()) {
      issuers.add(new Issuer(c, processor(c)));
    }
    Map<String, String> byIdentity = new HashMap<>();
    for (RecipientConfig r : config.recipients()) {
      if (r.federation() != null) {
        byIdentity.put(key(r.federation().issuer(), r.federation().subject()), r.name());
      }
    }
    return new FederatedTokens(List.copyOf(issuers), Map.copyOf(byIdentity));
  }

  private static DefaultJWTProcessor<SecurityContext> processor(TokenIssuerConfig c) {
    JWKSource<SecurityContext> keys;
    try {
      JWKSourceBuilder<SecurityContext> b =
          JWKSourceBuilder.create(URI.create(c.jwksUrl()).toURL())
              .cache(JWKSourceBuilder.DEFAULT_CACHE_TIME_TO_LIVE, 15_000L);
      b =
          c.jwksMinRefreshSeconds() > 0
              ? b.rateLimited(c.jwksMinRefreshSeconds() * 1000L)
              : b.rateLimited(false);
      keys = b.build();
    } catch (MalformedURLException e) {
      throw new IllegalArgumentException("bad jwksUrl of token issuer " + c.name(), e);
    }
    DefaultJWTProcessor<SecurityContext> p = new DefaultJWTProcessor<>();
    p.setJWSTypeVerifier(
        new DefaultJOSEObjectTypeVerifier<>(
            JOSEObjectType.JWT, new JOSEObjectType("at+jwt"), null));
    p.setJWSKeySelector(new JWSVerificationKeySelector<>(ALGORITHMS, keys));
    DefaultJWTClaimsVerifier<SecurityContext> claims =
        new DefaultJWTClaimsVerifier<>(
            Set.of(c.audience()),
            new JWTClaimsSet.Builder().issuer(c.issuer()).build(),
            Set.of("exp", c.recipientClaim()),
            null);
    claims.setMaxClockSkew((int) Math.min(Integer.MAX_VALUE, c.clockSkewSeconds()));
    p.setJWTClaimsSetVerifier(claims);
    return p;
  }

  private static String key(String issuer, String subject) {
    return issuer.toLowerCase(Locale.ROOT) + "\n" + subject;
  }

  boolean enabled() {
    return !issuers.isEmpty();
  }

  /** The recipient a valid token from a configured issuer belongs to, else null. */
  String recipientOf(String token) {
    if (issuers.isEmpty() || token.chars().filter(ch -> ch == '.').count() != 2) {
      return null;
    }
    SignedJWT jwt;
    String iss;
    try {
      jwt = SignedJWT.parse(token);
      iss = jwt.getJWTClaimsSet().getIssuer();
    } catch (ParseException e) {
      return null;
    }
    for (Issuer i : issuers) {
      if (!i.config().issuer().equals(iss)) {
        continue;
      }
      try {
        JWTClaimsSet claims = i.processor().process(jwt, null);
        Object value = claims.getClaim(i.config().recipientClaim());
        if (!(value instanceof String subject)) {
          return null;
        }
        String recipient = recipientByIdentity.get(key(i.config().name(), subject));
        if (recipient == null) {
          LOG.debug("A valid token of issuer {} names no recipient", i.config().name());
        }
        return recipient;
      } catch (BadJOSEException | JOSEException e) {
        LOG.debug("Refused a token of issuer {}: {}", i.config().name(), e.getMessage());
        return null;
      }
    }
    return null;
  }
}
