package io.ringfence.gateway.server;

import io.ringfence.gateway.GatewayCounter;
import io.ringfence.gateway.config.ClientConfig;
import io.ringfence.gateway.config.GatewayConfig;
import io.ringfence.gateway.testing.Frames;
import io.ringfence.gateway.testing.GatewayFixture;
import io.ringfence.gateway.testing.TestClient;
import io.ringfence.sbe.RejectCode;
import io.ringfence.sbe.RejectDecoder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Integrator trial: behind a tunnel, VPN or TLS-terminating proxy every client logs on from one address. Five wrong
 * secrets of {@code psp-2} used to throttle that address, so {@code psp-1}, with its right secret, was refused
 * THROTTLED for the back-off too. Failures now count per (address, client id presented), configured or not (unknown
 * ids counted in a bucket of their own told configured ids apart), and an address failing with more ids than the
 * per-address cap is throttled as a whole.
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

    /** The code a logon is refused with, or null if it logged on. */
    private RejectCode answer(final String clientId, final String secret) throws Exception {
        try (TestClient client = TestClient.connect(gateway.port())) {
            client.send(Frames.logon(clientId, secret));
            final TestClient.Frame frame = client.readSkippingHeartbeats();
            if (frame.templateId() != RejectDecoder.TEMPLATE_ID) {
                return null;
            }
            final RejectCode code = frame.reject().code();
            client.expectClosed();
            return code;
        }
    }

    /**
     * On a fresh gateway: six wrong logons of {@code failing}, then a wrong logon of another unknown id and of a
     * configured one. Whether {@code failing} is configured must not show in the answers.
     */
    private List<RejectCode> answersAfterFailing(final String failing) throws Exception {
        gateway = new GatewayFixture(config());
        try {
            final List<RejectCode> answers = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                answers.add(answer(failing, "a-wrong-secret-number-" + i));
            }
            answers.add(answer("someone-else", "a-wrong-secret"));
            answers.add(answer(PSP_1, "a-wrong-secret"));
            return answers;
        } finally {
            gateway.close();
            gateway = null;
        }
    }

    @Test
    void shouldNotTellConfiguredIdsFromUnknownOnesByWhatFailedBefore() throws Exception {
        final List<RejectCode> expected = List.of(RejectCode.BAD_CREDENTIALS, RejectCode.BAD_CREDENTIALS,
            RejectCode.BAD_CREDENTIALS, RejectCode.BAD_CREDENTIALS, RejectCode.BAD_CREDENTIALS, RejectCode.THROTTLED,
            RejectCode.BAD_CREDENTIALS, RejectCode.BAD_CREDENTIALS);
        // counted in a bucket of their own, unknown ids answered THROTTLED after five unknown ones had failed, a
        // configured id's failures left them BAD_CREDENTIALS: the answer to 'someone-else' told whether psp-2 exists
        assertEquals(expected, answersAfterFailing(PSP_2), "a configured id with wrong secrets");
        assertEquals(expected, answersAfterFailing("nobody"), "an unknown id");
    }

    @Test
    void shouldAnswerConfiguredAndUnknownIdsAlikeAfterUnknownIdsFailed() throws Exception {
        gateway = new GatewayFixture(config());
        for (int i = 0; i < 5; i++) {
            refused("nobody-" + i, SECRET_1, RejectCode.BAD_CREDENTIALS);
        }
        // each id is counted apart: neither is throttled (they were told apart by THROTTLED for the unknown one)
        assertEquals(RejectCode.BAD_CREDENTIALS, answer("nobody-else", "psp-1-wrong-secret"), "an unknown id");
        assertEquals(RejectCode.BAD_CREDENTIALS, answer(PSP_1, "psp-1-wrong-secret"), "a configured id, wrong secret");
        // a known id with bytes after its NUL is an id of its own, refused even with the right secret
        assertEquals(RejectCode.BAD_CREDENTIALS, answer(PSP_1 + "\0garbage", SECRET_1));

        logsOn(PSP_1, SECRET_1);
        logsOn(PSP_2, SECRET_2);
        logsOn(OTHER, SECRET_3);
        assertEquals(3, gateway.server().counters().get(GatewayCounter.LOGONS_OK));
        assertEquals(0, gateway.server().counters().get(GatewayCounter.LOGONS_THROTTLED));
    }

    @Test
    void shouldThrottleAnAddressThatScansMoreIdsThanItsCap() throws Exception {
        gateway = new GatewayFixture(config());
        for (int i = 0; i < 16; i++) { // the per-address cap of ids counted apart (GatewayServer)
            refused(i == 7 ? PSP_2 : "scan-" + i, "a-wrong-secret", RejectCode.BAD_CREDENTIALS);
        }
        logsOn(PSP_1, SECRET_1); // within the cap the others still log on
        for (int i = 16; i < 21; i++) { // five failures beyond the cap: counted against the address
            refused("scan-" + i, "a-wrong-secret", RejectCode.BAD_CREDENTIALS);
        }
        refused(PSP_1, SECRET_1, RejectCode.THROTTLED); // the whole address, right secrets too
        refused(OTHER, SECRET_3, RejectCode.THROTTLED);
        refused("scan-99", "a-wrong-secret", RejectCode.THROTTLED);
        assertEquals(3, gateway.server().counters().get(GatewayCounter.LOGONS_THROTTLED));
        assertEquals(21, gateway.server().counters().get(GatewayCounter.LOGONS_FAILED));
    }
}
