package io.lakeshare.server.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import org.eclipse.jetty.util.InetAddressSet;

/**
 * IP addresses and CIDR ranges ({@code 10.0.0.0/8}, {@code 2001:db8::/32}, {@code 192.0.2.7}),
 * matched by Jetty's {@link InetAddressSet}. Only numeric forms are accepted, so reading the config
 * never resolves a host name.
 */
public final class AddressRanges {
  private final InetAddressSet set = new InetAddressSet();
  private final boolean empty;

  /** The ranges; each must have passed {@link #problem}. */
  public AddressRanges(List<String> ranges) {
    for (String r : ranges) {
      set.add(r.trim());
    }
    empty = ranges.isEmpty();
  }

  public boolean isEmpty() {
    return empty;
  }

  public boolean contains(InetAddress address) {
    return address != null && set.test(address);
  }

  /** Why {@code range} is not a numeric address or CIDR range, or null when it is. */
  static String problem(String range) {
    String r = range.trim();
    if (r.isEmpty()) {
      return "an empty entry";
    }
    for (int i = 0; i < r.length(); i++) {
      char c = r.charAt(i);
      boolean ok =
          c >= '0' && c <= '9'
              || c >= 'a' && c <= 'f'
              || c >= 'A' && c <= 'F'
              || ":./".indexOf(c) >= 0;
      if (!ok) {
        return "write an IP address or a CIDR range such as 10.0.0.0/8 (no host names)";
      }
    }
    int slash = r.indexOf('/');
    String address = slash < 0 ? r : r.substring(0, slash);
    if (address.indexOf(':') < 0 && address.chars().filter(c -> c == '.').count() != 3) {
      return "an IPv4 address has four parts";
    }
    try {
      InetAddress a = InetAddress.getByName(address); // numeric: no lookup
      if (slash >= 0) {
        int bits = Integer.parseInt(r.substring(slash + 1));
        if (bits < 0 || bits > a.getAddress().length * 8) {
          return "the prefix length must be 0 to " + a.getAddress().length * 8;
        }
      }
    } catch (UnknownHostException | NumberFormatException e) {
      return "not an IP address or CIDR range";
    }
    try {
      new InetAddressSet().add(r);
    } catch (RuntimeException e) {
      return "not an IP address or CIDR range";
    }
    return null;
  }
}
