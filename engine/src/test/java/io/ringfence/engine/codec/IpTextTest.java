package io.ringfence.engine.codec;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IpTextTest {
    @ParameterizedTest
    @ValueSource(strings = {"10.1.2.3", "0.0.0.0", "255.255.255.255", "192.168.0.1", "::", "::1", "1::", "fe80::1",
        "2001:db8::ff00:42:8329", "2001:0db8:0000:0000:0000:ff00:0042:8329", "1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7::",
        "::ffff:10.1.2.3", "64:ff9b::192.0.2.33", "1:2:3:4:5:6:1.2.3.4", "ABCD:EF01::", "0000:0000:0000:0000:0000:ffff:255.255.255.255"})
    void shouldAcceptAddressText(final String ip) {
        assertTrue(IpText.isValid(ip), ip);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "example.com", "localhost", "256.1.2.3", "1.2.3", "1.2.3.4.5", "01.2.3.4", "1.2.3.04", "1..2.3",
        "1.2.3.4.", ".1.2.3.4", "1.2.3.-4", " 10.1.2.3", "10.1.2.3 ", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7:8::", "1::2::3", ":::",
        ":1:2:3:4:5:6:7", "1:2:3:4:5:6:7:", "12345::", "g::1", "fe80::1%eth0", "::ffff:256.1.2.3", "1:2:3:4:5:6:7:1.2.3.4",
        "::1.2.3", "[::1]", "10.1.2.3:8080", "1.2.3.4/24", "0x7f.0.0.1"})
    void shouldRejectTextThatIsNotAnAddress(final String ip) {
        assertFalse(IpText.isValid(ip), ip);
    }
}
