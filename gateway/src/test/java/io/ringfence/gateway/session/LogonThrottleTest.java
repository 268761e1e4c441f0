package io.ringfence.gateway.session;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;

import static io.ringfence.gateway.session.LogonThrottle.UNKNOWN_CLIENT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LogonThrottleTest {
    private static final long WINDOW = 60_000;
    private static final long BACKOFF = 30_000;
    private static final int PSP_1 = 0;
    private static final int PSP_2 = 1;

    private final LogonThrottle throttle = new LogonThrottle(3, WINDOW, BACKOFF, 2);
    private final InetAddress attacker = InetAddress.getLoopbackAddress();

    @Test
    void shouldBlockAfterTheLimitForTheBackoffOnly() {
        throttle.onFailure(attacker, PSP_1, 0);
        throttle.onFailure(attacker, PSP_1, 10);
        assertFalse(throttle.isThrottled(attacker, PSP_1, 20));
        throttle.onFailure(attacker, PSP_1, 20);
        assertTrue(throttle.isThrottled(attacker, PSP_1, 21));
        assertTrue(throttle.isThrottled(attacker, PSP_1, 20 + BACKOFF - 1));
        assertFalse(throttle.isThrottled(attacker, PSP_1, 20 + BACKOFF));
    }

    @Test
    void shouldForgetFailuresOutsideTheWindow() {
        throttle.onFailure(attacker, PSP_1, 0);
        throttle.onFailure(attacker, PSP_1, 10);
        throttle.onFailure(attacker, PSP_1, 10 + WINDOW + 1);
        assertFalse(throttle.isThrottled(attacker, PSP_1, 10 + WINDOW + 2));
    }

    @Test
    void shouldForgiveOnSuccess() {
        throttle.onFailure(attacker, PSP_1, 0);
        throttle.onFailure(attacker, PSP_1, 1);
        throttle.onSuccess(attacker, PSP_1);
        throttle.onFailure(attacker, PSP_1, 2);
        assertFalse(throttle.isThrottled(attacker, PSP_1, 3));
    }

    @Test
    void shouldBoundTheAddressesItRemembers() throws Exception {
        throttle.onFailure(InetAddress.getByName("10.0.0.1"), PSP_1, 0);
        throttle.onFailure(InetAddress.getByName("10.0.0.2"), PSP_1, 0);
        throttle.onFailure(InetAddress.getByName("10.0.0.3"), PSP_1, 0);
        assertEquals(2, throttle.tracked());
        throttle.onFailure(InetAddress.getByName("10.0.0.3"), PSP_1, WINDOW + 1);
        assertEquals(1, throttle.tracked(), "expired records make room");
    }

    @Test
    void shouldThrottleOnlyTheClientThatFailedFromTheAddress() {
        for (int i = 0; i < 3; i++) {
            throttle.onFailure(attacker, PSP_2, i);
        }
        assertTrue(throttle.isThrottled(attacker, PSP_2, 3));
        assertFalse(throttle.isThrottled(attacker, PSP_1, 3), "another client behind the same address (a proxy) logs on");
        assertFalse(throttle.isThrottled(attacker, UNKNOWN_CLIENT, 3));
        throttle.onSuccess(attacker, PSP_1);
        assertTrue(throttle.isThrottled(attacker, PSP_2, 4), "another client's success does not forgive psp-2");
        assertTrue(throttle.isThrottled(attacker, PSP_2, 2 + BACKOFF - 1));
        assertFalse(throttle.isThrottled(attacker, PSP_2, 2 + BACKOFF));
    }

    @Test
    void shouldCountUnknownIdsTogetherAndApartFromKnownClients() {
        for (int i = 0; i < 3; i++) {
            throttle.onFailure(attacker, UNKNOWN_CLIENT, i);
        }
        assertTrue(throttle.isThrottled(attacker, UNKNOWN_CLIENT, 3));
        assertFalse(throttle.isThrottled(attacker, PSP_1, 3));
        assertFalse(throttle.isThrottled(attacker, PSP_2, 3));
        assertEquals(1, throttle.tracked(), "a flood of unknown ids takes one record per address");
    }

    @Test
    void shouldCountEachClientApartOnEachAddress() throws Exception {
        final LogonThrottle wide = new LogonThrottle(2, WINDOW, BACKOFF, 100);
        final InetAddress other = InetAddress.getByName("10.0.0.9");
        wide.onFailure(attacker, PSP_1, 0);
        wide.onFailure(other, PSP_1, 0);
        wide.onFailure(attacker, PSP_2, 0);
        assertFalse(wide.isThrottled(attacker, PSP_1, 1));
        wide.onFailure(attacker, PSP_1, 1);
        assertTrue(wide.isThrottled(attacker, PSP_1, 2));
        assertFalse(wide.isThrottled(other, PSP_1, 2), "the same client from another address is counted apart");
        assertFalse(wide.isThrottled(attacker, PSP_2, 2));
        assertEquals(3, wide.tracked());
    }
}
