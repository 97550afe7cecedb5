package io.lakeshare.server.auth;

import io.lakeshare.server.config.AddressRanges;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * The address a request comes from: the peer's, unless the peer is a configured trusted proxy, in
 * which case {@code X-Forwarded-For} is read from the right, skipping trusted proxies, and the
 * first address that is not one is the client. Entries a client wrote itself sit left of what the
 * proxies appended, so they are never reached while an untrusted hop is to their right. Without
 * trusted proxies the header is ignored.
 */
public final class ClientAddress {
  private final AddressRanges trustedProxies;

  public ClientAddress(AddressRanges trustedProxies) {
    this.trustedProxies = trustedProxies;
  }

  /**
   * @param peer the connection's remote address
   * @param forwardedFor every {@code X-Forwarded-For} header value, in order
   * @return the client's address, or null when a forwarded entry that matters cannot be read
   */
  public InetAddress of(InetAddress peer, List<String> forwardedFor) {
    if (trustedProxies.isEmpty() || !trustedProxies.contains(peer)) {
      return peer;
    }
    String joined = String.join(",", forwardedFor);
    if (joined.isBlank()) {
      return peer;
    }
    String[] hops = joined.split(",");
    InetAddress last = peer;
    for (int i = hops.length - 1; i >= 0; i--) {
      InetAddress hop = numeric(hops[i].trim());
      if (hop == null) {
        return null;
      }
      last = hop;
      if (!trustedProxies.contains(hop)) {
        return hop;
      }
    }
    return last;
  }

  /** A numeric address, never a name lookup; null when {@code text} is not one. */
  private static InetAddress numeric(String text) {
    String t =
        text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
    if (t.isEmpty()
        || !t.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == '.' || c == ':')) {
      return null;
    }
    try {
      return InetAddress.getByName(t);
    } catch (UnknownHostException e) {
      return null;
    }
  }
}
