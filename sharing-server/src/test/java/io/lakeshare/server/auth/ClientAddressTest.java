package io.lakeshare.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakeshare.server.config.AddressRanges;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClientAddressTest {
  private static InetAddress ip(String s) throws Exception {
    return InetAddress.getByName(s);
  }

  private static final ClientAddress BEHIND_PROXIES =
      new ClientAddress(new AddressRanges(List.of("10.0.0.0/8", "fd00::/8")));

  @Test
  void withoutTrustedProxiesTheHeaderIsIgnored() throws Exception {
    ClientAddress direct = new ClientAddress(new AddressRanges(List.of()));
    assertThat(direct.of(ip("192.0.2.1"), List.of("198.51.100.7"))).isEqualTo(ip("192.0.2.1"));
  }

  @Test
  void anUntrustedPeerCannotClaimAnotherAddress() throws Exception {
    assertThat(BEHIND_PROXIES.of(ip("192.0.2.1"), List.of("10.1.1.1"))).isEqualTo(ip("192.0.2.1"));
  }

  @Test
  void theRightmostUntrustedHopIsTheClient() throws Exception {
    // the client wrote "203.0.113.9" itself; the proxies appended what they saw
    assertThat(
            BEHIND_PROXIES.of(
                ip("10.0.0.1"), List.of("203.0.113.9, 198.51.100.7", "10.2.2.2, fd00::1")))
        .isEqualTo(ip("198.51.100.7"));
    assertThat(BEHIND_PROXIES.of(ip("10.0.0.1"), List.of("[2001:db8::5]")))
        .isEqualTo(ip("2001:db8::5"));
  }

  @Test
  void onlyProxiesMeansTheLeftmostAndNoHeaderMeansThePeer() throws Exception {
    assertThat(BEHIND_PROXIES.of(ip("10.0.0.1"), List.of("10.3.3.3, 10.2.2.2")))
        .isEqualTo(ip("10.3.3.3"));
    assertThat(BEHIND_PROXIES.of(ip("10.0.0.1"), List.of())).isEqualTo(ip("10.0.0.1"));
  }

  @Test
  void anUnreadableHopIsNoAddressAndNeverALookup() throws Exception {
    assertThat(BEHIND_PROXIES.of(ip("10.0.0.1"), List.of("localhost"))).isNull();
    assertThat(BEHIND_PROXIES.of(ip("10.0.0.1"), List.of("198.51.100.7, unknown"))).isNull();
  }
}
