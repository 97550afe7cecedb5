package io.lakeshare.server.auth;

import io.lakeshare.server.config.ConfigLoader;
import java.net.InetAddress;
import java.time.Clock;
import java.util.List;

/**
 * Prints the cost of authenticating one request with 1, 100, 1,000 and 10,000 recipients: the first
 * request of a token (every stored digest is checked) and later ones (verified tokens), and an
 * unknown token (always every digest). A benchmark, not a test. Run:
 *
 * <pre>
 * mvn -o -q -pl sharing-server test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/cp
 * java -cp sharing-server/target/test-classes:sharing-server/target/classes:$(cat /tmp/cp) \
 *   io.lakeshare.server.auth.AuthBench
 * </pre>
 */
public final class AuthBench {
  private AuthBench() {}

  public static void main(String[] args) throws Exception {
    InetAddress peer = InetAddress.getLoopbackAddress();
    System.out.printf(
        "%12s %18s %18s %18s%n", "recipients", "first use (us)", "verified (us)", "unknown (us)");
    for (int n : new int[] {1, 100, 1_000, 10_000}) {
      StringBuilder yaml =
          new StringBuilder(
              "version: 1\nshares: [{name: s, schemas: [{name: a, tables: [{name: t, location:"
                  + " /tmp/t}]}]}]\nrecipients:\n");
      String[] tokens = new String[n];
      for (int i = 0; i < n; i++) {
        tokens[i] = TokenHash.newToken();
        yaml.append("- {name: r")
            .append(i)
            .append(", tokenHash: \"")
            .append(TokenHash.of(tokens[i]))
            .append("\", grants: [{share: s}]}\n");
      }
      Authenticator a =
          Authenticator.of(ConfigLoader.parse(yaml.toString(), "bench.yaml"), Clock.systemUTC());
      // warm the JIT on a separate authenticator so "first use" below is really first
      Authenticator warm =
          Authenticator.of(ConfigLoader.parse(yaml.toString(), "bench.yaml"), Clock.systemUTC());
      for (int i = 0; i < Math.max(200, 20_000 / n); i++) {
        warm.authenticate(tokens[i % n], peer, List.of());
        warm.authenticate("unknown-" + i + "-0123456789abcdef", peer, List.of());
      }
      int firsts = Math.min(n, 500);
      long t0 = System.nanoTime();
      for (int i = 0; i < firsts; i++) {
        check(a.authenticate(tokens[i], peer, List.of()));
      }
      double first = (System.nanoTime() - t0) / 1e3 / firsts;
      int reps = 100_000;
      t0 = System.nanoTime();
      for (int i = 0; i < reps; i++) {
        check(a.authenticate(tokens[i % firsts], peer, List.of()));
      }
      double verified = (System.nanoTime() - t0) / 1e3 / reps;
      int unknownReps = Math.max(50, 100_000 / n);
      t0 = System.nanoTime();
      for (int i = 0; i < unknownReps; i++) {
        if (a.authenticate("unknown-token-" + i + "-0123456789", peer, List.of()) != null) {
          throw new AssertionError("matched an unknown token");
        }
      }
      double unknown = (System.nanoTime() - t0) / 1e3 / unknownReps;
      System.out.printf("%12d %18.2f %18.2f %18.2f%n", n, first, verified, unknown);
    }
  }

  private static void check(Authenticator.Match m) {
    if (m == null) {
      throw new AssertionError("a stored token was not recognised");
    }
  }
}
