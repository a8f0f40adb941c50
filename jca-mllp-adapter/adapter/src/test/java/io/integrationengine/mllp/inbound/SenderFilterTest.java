package io.integrationengine.mllp.inbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SenderFilterTest {

  @ParameterizedTest
  @CsvSource(delimiter = ';', value = {
    "'' ; 10.1.2.3 ; true",
    "10.1.0.0/16 ; 10.1.200.7 ; true",
    "10.1.0.0/16 ; 10.2.0.1 ; false",
    "10.1.0.0/16, 192.168.1.7 ; 192.168.1.7 ; true",
    "192.168.1.7 ; 192.168.1.8 ; false",
    "127.0.0.1/32 ; 127.0.0.2 ; false",
    "10.0.0.0/7 ; 11.255.0.1 ; true",
    "0.0.0.0/0 ; 8.8.8.8 ; true",
    "::1 ; ::1 ; true",
    "2001:db8::/32 ; 2001:db8:1::5 ; true",
    "2001:db8::/32 ; 10.0.0.1 ; false",
  })
  void matchesAddressesAndBlocks(String spec, String peer, boolean allowed) throws Exception {
    assertThat(SenderFilter.parse(spec).allows(InetAddress.getByName(peer))).isEqualTo(allowed);
  }

  @ParameterizedTest
  @CsvSource({"10.0.0.0/33", "not-an-address.invalid/8"})
  void rejectsBadEntries(String spec) {
    assertThatThrownBy(() -> SenderFilter.parse(spec)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("allowedSenders");
  }
}
