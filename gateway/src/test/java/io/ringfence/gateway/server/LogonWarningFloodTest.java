package io.ringfence.gateway.server;

import io.ringfence.gateway.GatewayCounter;
import io.ringfence.gateway.config.ClientConfig;
import io.ringfence.gateway.config.GatewayConfig;
import io.ringfence.gateway.testing.Frames;
import io.ringfence.gateway.testing.GatewayFixture;
import io.ringfence.gateway.testing.TestClient;
import io.ringfence.sbe.RejectCode;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Security trial: every failed or throttled logon wrote a WARN line of its own, so a client guessing secrets wrote the
 * log at its own pace (3,842 tries a second, 4.1 MB in 5 s). Each kind is now said once per 10 s, the next line saying
 * how many were kept quiet; the counters still count every one.
 */
class LogonWarningFloodTest {
    /** Review: one warning for every id let a scanner's line hide that a configured client's logons failed. */
    @Test
    void shouldNameAConfiguredClientsFailedLogonWhileSomeoneElseIsGuessing() throws Exception {
        final GatewayConfig config = GatewayFixture.config();
        config.clients = List.of(new ClientConfig("shop", "shop-secret-of-thirty-two-bytes!", List.of("SUBMIT")),
            new ClientConfig("warehouse", "warehouse-secret-thirty-two-byte", List.of("SUBMIT")));
        config.logonThrottle.maxFailures = 100;
        final ByteArrayOutputStream captured = new ByteArrayOutputStream();
        final PrintStream err = System.err;
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try (GatewayFixture gateway = new GatewayFixture(config)) {
            for (int i = 0; i < 5; i++) {
                try (TestClient c = TestClient.connect(gateway.port())) { // someone guessing
                    c.send(Frames.logon("admin-" + i, "guess-guess-guess-guess-" + i));
                    c.expectRejectAndClose(RejectCode.BAD_CREDENTIALS);
                }
            }
            try (TestClient c = TestClient.connect(gateway.port())) { // decodes as warehouse, but is no client's id
                c.send(Frames.logon("warehouse\0x", "guess-guess-guess-guess-guess-00"));
                c.expectRejectAndClose(RejectCode.BAD_CREDENTIALS);
            }
            for (int i = 0; i < 3; i++) {
                try (TestClient c = TestClient.connect(gateway.port())) { // a secret rotated on one side only
                    c.send(Frames.logon("warehouse", "old-warehouse-secret-32-bytes!!!"));
                    c.expectRejectAndClose(RejectCode.BAD_CREDENTIALS);
                }
            }
            assertEquals(9, gateway.server().counters().get(GatewayCounter.LOGONS_FAILED));
        } finally {
            System.setErr(err);
        }
        final String log = captured.toString(StandardCharsets.UTF_8);
        assertEquals(1, log.lines().filter(l -> l.contains("logon refused for client id 'warehouse': unknown client or wrong secret")).count(), log);
        assertEquals(1, log.lines().filter(l -> l.contains("logon refused for client id 'admin-")).count(), log);
    }

    @Test
    void shouldWarnOfFailedAndThrottledLogonsOncePerPeriodAndCountEveryOne() throws Exception {
        final GatewayConfig config = GatewayFixture.config();
        config.clients = List.of(new ClientConfig("shop", "shop-secret-of-thirty-two-bytes!", List.of("SUBMIT")));
        config.logonThrottle.maxFailures = 5;
        config.logonThrottle.window = "1m";
        config.logonThrottle.backoff = "1m";
        final ByteArrayOutputStream captured = new ByteArrayOutputStream();
        final PrintStream err = System.err;
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try (GatewayFixture gateway = new GatewayFixture(config)) {
            // 5 wrong secrets of shop, 10 unknown ids once each (11 ids: under the per-address cap of 16), then shop throttled
            for (int i = 0; i < 30; i++) {
                try (TestClient client = TestClient.connect(gateway.port())) {
                    client.send(Frames.logon(i >= 5 && i < 15 ? "guess-" + i : "shop", "wrong-secret-number-" + i));
                    client.expectRejectAndClose(i < 15 ? RejectCode.BAD_CREDENTIALS : RejectCode.THROTTLED);
                }
            }
            assertEquals(15, gateway.server().counters().get(GatewayCounter.LOGONS_FAILED), "every failure counted");
            assertEquals(15, gateway.server().counters().get(GatewayCounter.LOGONS_THROTTLED), "every throttled logon counted");
        } finally {
            System.setErr(err);
        }
        final String log = captured.toString(StandardCharsets.UTF_8);
        final long failed = log.lines().filter(l -> l.contains("logon refused") && l.contains("wrong secret")).count();
        final long throttled = log.lines().filter(l -> l.contains("logon refused") && l.contains("too many recent failed")).count();
        assertEquals(2, failed, "one line for shop's 5 failures, one for the 10 ids no client has, within 10 s:\n" + log);
        assertEquals(1, throttled, "one line for 15 throttled logons within 10 s:\n" + log);
        assertTrue(log.contains("'shop'"), "the first names its client id:\n" + log);
    }
}
