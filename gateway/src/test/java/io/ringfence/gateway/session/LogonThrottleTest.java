package io.ringfence.gateway.session;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LogonThrottleTest {
    private static final long WINDOW = 60_000;
    private static final long BACKOFF = 30_000;
    private static final int ID_BYTES = 36; // the Logon's fixed-length clientId field
    private static final byte[] PSP_1 = id("psp-1");
    private static final byte[] PSP_2 = id("psp-2");
    private static final byte[] NOBODY = id("nobody");

    private final LogonThrottle throttle = new LogonThrottle(3, WINDOW, BACKOFF, 2, 16);
    private final InetAddress attacker = InetAddress.getLoopbackAddress();

    private static byte[] id(final String id) {
        final byte[] bytes = new byte[ID_BYTES];
        final byte[] text = id.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(text, 0, bytes, 0, text.length);
        return bytes;
    }

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
    void shouldBoundTheRecordsItHolds() throws Exception {
        final LogonThrottle small = new LogonThrottle(3, WINDOW, BACKOFF, 4, 16);
        small.onFailure(InetAddress.getByName("10.0.0.1"), PSP_1, 0);
        small.onFailure(InetAddress.getByName("10.0.0.2"), PSP_1, 0);
        small.onFailure(InetAddress.getByName("10.0.0.3"), PSP_1, 0);
        assertEquals(4, small.tracked(), "an address and its id are a record each, 4 at most");
        small.onFailure(InetAddress.getByName("10.0.0.4"), PSP_1, WINDOW + 1);
        assertEquals(2, small.tracked(), "expired records make room");
    }

    @Test
    void shouldThrottleOnlyTheIdThatFailedFromTheAddress() {
        for (int i = 0; i < 3; i++) {
            throttle.onFailure(attacker, PSP_2, i);
        }
        assertTrue(throttle.isThrottled(attacker, PSP_2, 3));
        assertFalse(throttle.isThrottled(attacker, PSP_1, 3), "another client behind the same address (a proxy) logs on");
        assertFalse(throttle.isThrottled(attacker, NOBODY, 3));
        throttle.onSuccess(attacker, PSP_1);
        assertTrue(throttle.isThrottled(attacker, PSP_2, 4), "another client's success does not forgive psp-2");
        assertTrue(throttle.isThrottled(attacker, PSP_2, 2 + BACKOFF - 1));
        assertFalse(throttle.isThrottled(attacker, PSP_2, 2 + BACKOFF));
    }

    @Test
    void shouldCountEveryIdApartWhetherConfiguredOrNot() {
        final byte[] padded = id("psp-1");
        padded[10] = 'x'; // bytes after the NUL: an id of its own
        for (int i = 0; i < 3; i++) {
            throttle.onFailure(attacker, padded, i);
        }
        assertTrue(throttle.isThrottled(attacker, padded, 3));
        assertFalse(throttle.isThrottled(attacker, PSP_1, 3));
        assertFalse(throttle.isThrottled(attacker, NOBODY, 3), "unknown ids share no count");
        assertEquals(2, throttle.tracked(), "the address and its one id");
    }

    @Test
    void shouldCountEachIdApartOnEachAddress() throws Exception {
        final LogonThrottle wide = new LogonThrottle(2, WINDOW, BACKOFF, 100, 16);
        final InetAddress other = InetAddress.getByName("10.0.0.9");
        wide.onFailure(attacker, PSP_1, 0);
        wide.onFailure(other, PSP_1, 0);
        wide.onFailure(attacker, PSP_2, 0);
        assertFalse(wide.isThrottled(attacker, PSP_1, 1));
        wide.onFailure(attacker, PSP_1, 1);
        assertTrue(wide.isThrottled(attacker, PSP_1, 2));
        assertFalse(wide.isThrottled(other, PSP_1, 2), "the same id from another address is counted apart");
        assertFalse(wide.isThrottled(attacker, PSP_2, 2));
        assertEquals(5, wide.tracked(), "two addresses, three (address, id)");
    }

    @Test
    void shouldThrottleAnAddressThatFailsWithMoreIdsThanItsCap() throws Exception {
        final LogonThrottle capped = new LogonThrottle(3, WINDOW, BACKOFF, 100, 4);
        final InetAddress bystander = InetAddress.getByName("10.0.0.9");
        for (int i = 0; i < 4; i++) {
            capped.onFailure(attacker, id("scan-" + i), i);
        }
        assertFalse(capped.isThrottled(attacker, PSP_1, 4), "within the cap every id is counted apart");
        for (int i = 4; i < 6; i++) {
            capped.onFailure(attacker, id("scan-" + i), i);
        }
        assertFalse(capped.isThrottled(attacker, PSP_1, 6));
        capped.onFailure(attacker, id("scan-6"), 6); // the 3rd failure beyond the cap
        assertTrue(capped.isThrottled(attacker, PSP_1, 7), "a scan throttles every id from its address");
        assertTrue(capped.isAddressThrottled(attacker, 7));
        assertTrue(capped.isThrottled(attacker, id("scan-0"), 7));
        assertFalse(capped.isThrottled(bystander, PSP_1, 7), "only that address");
        capped.onSuccess(attacker, PSP_1);
        assertTrue(capped.isThrottled(attacker, PSP_2, 8), "a success does not clear the address's count");
        assertEquals(5, capped.tracked(), "the address and its 4 ids, no more");
        assertFalse(capped.isThrottled(attacker, PSP_1, 6 + BACKOFF));
    }

    @Test
    void shouldReuseAnExpiredIdRecordOfTheAddressBeforeCountingAgainstIt() {
        final LogonThrottle capped = new LogonThrottle(2, WINDOW, BACKOFF, 100, 2);
        capped.onFailure(attacker, id("a"), 0);
        capped.onFailure(attacker, id("b"), 0);
        capped.onFailure(attacker, id("c"), WINDOW + 1); // a and b have expired: c takes a record
        capped.onFailure(attacker, id("d"), WINDOW + 1);
        capped.onFailure(attacker, id("c"), WINDOW + 2);
        assertTrue(capped.isThrottled(attacker, id("c"), WINDOW + 3));
        assertFalse(capped.isAddressThrottled(attacker, WINDOW + 3));
        assertFalse(capped.isThrottled(attacker, id("a"), WINDOW + 3));
        assertEquals(3, capped.tracked());
    }

    @Test
    void shouldKeepCountingWhenEveryRecordIsLive() throws Exception {
        final LogonThrottle full = new LogonThrottle(2, WINDOW, BACKOFF, 4, 16);
        final InetAddress first = InetAddress.getByName("10.0.0.1");
        final InetAddress second = InetAddress.getByName("10.0.0.2");
        full.onFailure(first, PSP_1, 0);
        full.onFailure(second, PSP_1, 1);
        full.onFailure(second, PSP_1, 2);
        assertTrue(full.isThrottled(second, PSP_1, 3));
        assertEquals(4, full.tracked(), "full, every record live");

        final InetAddress guesser = InetAddress.getByName("10.0.0.3");
        full.onFailure(guesser, PSP_2, 10);
        full.onFailure(guesser, PSP_2, 11);
        assertTrue(full.isThrottled(guesser, PSP_2, 12), "a new address's failures are counted: the oldest was forgotten");
        assertFalse(full.isThrottled(first, PSP_1, 12));
        assertTrue(full.isThrottled(second, PSP_1, 12), "the address whose last failure is newer is kept");
        assertEquals(4, full.tracked());

        full.onFailure(guesser, NOBODY, 13); // another id of an address already held: room made the same way
        full.onFailure(guesser, NOBODY, 14);
        assertTrue(full.isThrottled(guesser, NOBODY, 15));
        assertTrue(full.isThrottled(guesser, PSP_2, 15));
        assertEquals(3, full.tracked(), "the guesser and its two ids");
    }
}
