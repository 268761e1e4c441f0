package io.ringfence.gateway.server;

import io.ringfence.gateway.GatewayCounter;
import io.ringfence.gateway.config.ClientConfig;
import io.ringfence.gateway.config.GatewayConfig;
import io.ringfence.gateway.testing.Frames;
import io.ringfence.gateway.testing.GatewayFixture;
import io.ringfence.gateway.testing.TestClient;
import io.ringfence.sbe.RejectCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Integrator trial: behind a tunnel, VPN or TLS-terminating proxy every client logs on from one address. Five wrong
 * secrets of {@code psp-2} used to throttle that address, so {@code psp-1}, with its right secret, was refused
 * THROTTLED for the back-off too. Failures now count per (address, client id), unknown ids together per address.
 */
class LogonThrottlePerClientTest {
    private static final String PSP_1 = "psp-1";
    private static final String PSP_2 = "psp-2";
    private static final String OTHER = "psp-3";
    private static final String SECRET_1 = "psp-1-secret-of-thirty-two-bytes";
    private static final String SECRET_2 = "psp-2-secret-of-thirty-two-bytes";
    private static final String SECRET_3 = "psp-3-secret-of-thirty-two-bytes";
    private static final long BACKOFF_MILLIS = 3_000;

    private GatewayFixture gateway;

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    private static GatewayConfig config() {
        final GatewayConfig config = GatewayFixture.config();
        config.clients = List.of(
            new ClientConfig(PSP_1, SECRET_1, List.of("SUBMIT")),
            new ClientConfig(PSP_2, SECRET_2, List.of("SUBMIT")),
            new ClientConfig(OTHER, SECRET_3, List.of("SUBMIT")));
        config.logonThrottle.maxFailures = 5;
        config.logonThrottle.window = "1m";
        config.logonThrottle.backoff = BACKOFF_MILLIS + "ms";
        return config;
    }

    private void refused(final String clientId, final String secret, final RejectCode code) throws Exception {
        try (TestClient client = TestClient.connect(gateway.port())) {
            client.send(Frames.logon(clientId, secret));
            client.expectRejectAndClose(code);
        }
    }

    private void logsOn(final String clientId, final String secret) throws Exception {
        TestClient.logOn(gateway.port(), clientId, secret).close(); // asserts the LogonAck
    }

    @Test
    void shouldThrottleOnlyTheClientIdThatFailedFromAnAddress() throws Exception {
        gateway = new GatewayFixture(config());
        for (int i = 0; i < 5; i++) {
            refused(PSP_2, "psp-2-wrong-secret-number-" + i, RejectCode.BAD_CREDENTIALS);
        }
        final long throttledAt = System.currentTimeMillis();

        logsOn(PSP_1, SECRET_1); // the same address, another client: not locked out
        refused(PSP_2, SECRET_2, RejectCode.THROTTLED); // the one that failed: even its right secret waits out the back-off
        logsOn(OTHER, SECRET_3);
        refused(PSP_2, SECRET_2, RejectCode.THROTTLED);
        assertEquals(2, gateway.server().counters().get(GatewayCounter.LOGONS_THROTTLED));

        final long wait = throttledAt + BACKOFF_MILLIS + 200 - System.currentTimeMillis();
        if (wait > 0) {
            Thread.sleep(wait);
        }
        logsOn(PSP_2, SECRET_2); // after the back-off
        assertEquals(3, gateway.server().counters().get(GatewayCounter.LOGONS_OK));
        assertEquals(5, gateway.server().counters().get(GatewayCounter.LOGONS_FAILED));
    }

    @Test
    void shouldNotLetAFloodOfUnknownIdsLockKnownClientsOut() throws Exception {
        gateway = new GatewayFixture(config());
        for (int i = 0; i < 5; i++) {
            refused("nobody-" + i, SECRET_1, RejectCode.BAD_CREDENTIALS);
        }
        refused("nobody-else", SECRET_1, RejectCode.THROTTLED); // unknown ids are throttled together
        // a known id with bytes after its NUL is no client's: it counts (and is throttled) with the unknown ids
        refused(PSP_1 + "\0garbage", SECRET_1, RejectCode.THROTTLED);

        logsOn(PSP_1, SECRET_1);
        logsOn(PSP_2, SECRET_2);
        refused(OTHER, "psp-3-wrong-secret-at-first", RejectCode.BAD_CREDENTIALS); // a known id's own count starts at 0
        logsOn(OTHER, SECRET_3);
        assertEquals(3, gateway.server().counters().get(GatewayCounter.LOGONS_OK));
        assertEquals(2, gateway.server().counters().get(GatewayCounter.LOGONS_THROTTLED));
    }
}
