package io.ringfence.gateway.session;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LogonThrottleTest {
    private static final long WINDOW = 60_000;
    private static final long BACKOFF = 30_000;

    private final LogonThrottle throttle = new LogonThrottle(3, WINDOW, BACKOFF, 2);
    private final InetAddress attacker = InetAddress.getLoopbackAddress();

    @Test
    void shouldBlockAfterTheLimitForTheBackoffOnly() {
        throttle.onFailure(attacker, 0);
        throttle.onFailure(attacker, 10);
        assertFalse(throttle.isThrottled(attacker, 20));
        throttle.onFailure(attacker, 20);
        assertTrue(throttle.isThrottled(attacker, 21));
        assertTrue(throttle.isThrottled(attacker, 20 + BACKOFF - 1));
        assertFalse(throttle.isThrottled(attacker, 20 + BACKOFF));
    }

    @Test
    void shouldForgetFailuresOutsideTheWindow() {
        throttle.onFailure(attacker, 0);
        throttle.onFailure(attacker, 10);
        throttle.onFailure(attacker, 10 + WINDOW + 1);
        assertFalse(throttle.isThrottled(attacker, 10 + WINDOW + 2));
    }

    @Test
    void shouldForgiveOnSuccess() {
        throttle.onFailure(attacker, 0);
        throttle.onFailure(attacker, 1);
        throttle.onSuccess(attacker);
        throttle.onFailure(attacker, 2);
        assertFalse(throttle.isThrottled(attacker, 3));
    }

    @Test
    void shouldBoundTheAddressesItRemembers() throws Exception {
        throttle.onFailure(InetAddress.getByName("10.0.0.1"), 0);
        throttle.onFailure(InetAddress.getByName("10.0.0.2"), 0);
        throttle.onFailure(InetAddress.getByName("10.0.0.3"), 0);
        assertEquals(2, throttle.tracked());
        throttle.onFailure(InetAddress.getByName("10.0.0.3"), WINDOW + 1);
        assertEquals(1, throttle.tracked(), "expired records make room");
    }
}
