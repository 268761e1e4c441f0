package io.ringfence.gateway.server;

import io.ringfence.engine.model.Ids;
import io.ringfence.gateway.GatewayCounter;
import io.ringfence.gateway.config.GatewayConfig;
import io.ringfence.gateway.testing.Frames;
import io.ringfence.gateway.testing.GatewayFixture;
import io.ringfence.gateway.testing.RecordingHandler;
import io.ringfence.gateway.testing.TestClient;
import io.ringfence.gateway.testing.TestClient.Frame;
import io.ringfence.sbe.HeartbeatDecoder;
import io.ringfence.sbe.LogonAckDecoder;
import io.ringfence.sbe.MessageHeaderDecoder;
import io.ringfence.sbe.OrderDecoder;
import io.ringfence.sbe.RejectCode;
import io.ringfence.sbe.Role;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static io.ringfence.gateway.testing.GatewayFixture.ADMIN;
import static io.ringfence.gateway.testing.GatewayFixture.SECRET;
import static io.ringfence.gateway.testing.GatewayFixture.SUBMITTER;
import static io.ringfence.gateway.testing.GatewayFixture.WATCHER;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SessionProtocolTest {
    private GatewayFixture gateway;

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    void shouldHandOnAnOrderAfterLogonAndDeliverTheReplyOffered() throws Exception {
        gateway = new GatewayFixture(GatewayFixture.config());
        try (TestClient client = TestClient.connect(gateway.port())) {
            client.send(Frames.logon(SUBMITTER, SECRET));
            final Frame ack = client.readSkippingHeartbeats();
            assertEquals(LogonAckDecoder.TEMPLATE_ID, ack.templateId());
            final LogonAckDecoder logonAck = ack.logonAck();
            assertEquals(Role.SUBMIT, logonAck.role());
            assertEquals(SUBMITTER, logonAck.clientId());
            assertEquals(1000, logonAck.heartbeatMillis());
            final long sessionId = gateway.nextLogon();

            final byte[] order = Frames.order(17, "o-17", 2);
            client.send(order);
            final RecordingHandler.Received received = gateway.inbound().next();
            assertNotNull(received, "the order reached the handler");
            assertEquals(sessionId, received.sessionId());
            assertEquals(17, received.clientSeq());
            assertEquals(OrderDecoder.TEMPLATE_ID, received.templateId());
            final byte[] idBytes = SUBMITTER.getBytes(StandardCharsets.UTF_8);
            assertEquals(Ids.hash(idBytes, 0, idBytes.length), received.clientKey());
            assertArrayEquals(Frames.message(order).byteArray(), received.message(), "the SBE message, unchanged");

            final UnsafeBuffer reply = Frames.message(Frames.heartbeat(4242));
            assertTrue(gateway.server().offer(sessionId, reply, 0, reply.capacity()));
            final Frame delivered = client.read();
            assertEquals(HeartbeatDecoder.TEMPLATE_ID, delivered.templateId());
            assertEquals(4242, new HeartbeatDecoder().wrap(delivered.message(), MessageHeaderDecoder.ENCODED_LENGTH,
                HeartbeatDecoder.BLOCK_LENGTH, 0).sendTime());
        }
        assertEquals(1, gateway.server().counters().get(GatewayCounter.LOGONS_OK));
    }

    @Test
    void shouldRejectAWrongSecretWithBadCredentialsAndDisconnect() throws Exception {
        gateway = new GatewayFixture(GatewayFixture.config());
        try (TestClient client = TestClient.connect(gateway.port())) {
            client.send(Frames.logon(SUBMITTER, "not-the-secret-at-all"));
            client.expectRejectAndClose(RejectCode.BAD_CREDENTIALS);
        }
        try (TestClient client = TestClient.connect(gateway.port())) {
            client.send(Frames.logon("nobody", SECRET));
            client.expectRejectAndClose(RejectCode.BAD_CREDENTIALS);
        }
        try (TestClient client = TestClient.connect(gateway.port())) {
            // re-trial: an id with bytes after its NUL logged on as the id before it
            client.send(Frames.logon(SUBMITTER + "\0garbage", SECRET));
            client.expectRejectAndClose(RejectCode.BAD_CREDENTIALS);
        }
        assertEquals(3, gateway.server().counters().get(GatewayCounter.LOGONS_FAILED));
    }

    @Test
    void shouldRejectAMessageBeforeLogonWithNotLoggedOn() throws Exception {
        gateway = new GatewayFixture(GatewayFixture.config());
        try (TestClient client = TestClient.connect(gateway.port())) {
            client.send(Frames.order(1, "o-1", 0));
            client.expectRejectAndClose(RejectCode.NOT_LOGGED_ON);
        }
        assertEquals(0, gateway.inbound().pending(), "nothing reaches the handler before logon");
        assertEquals(1, gateway.server().counters().get(GatewayCounter.NOT_LOGGED_ON));
    }

    @Test
    void shouldRejectMessagesBeyondTheSessionsRolesWithNotAuthorized() throws Exception {
        gateway = new GatewayFixture(GatewayFixture.config());
        try (TestClient watcher = TestClient.logOn(gateway.port(), WATCHER, SECRET)) {
            watcher.send(Frames.order(1, "o-1", 0));
            watcher.expectRejectAndClose(RejectCode.NOT_AUTHORIZED);
        }
        try (TestClient submitter = TestClient.logOn(gateway.port(), SUBMITTER, SECRET)) {
            submitter.send(Frames.subscribe(2));
            submitter.expectRejectAndClose(RejectCode.NOT_AUTHORIZED);
        }
        try (TestClient admin = TestClient.logOn(gateway.port(), ADMIN, SECRET)) {
            admin.send(Frames.subscribe(1));
            admin.send(Frames.payment(2));
            assertEquals(2, gateway.inbound().next().clientSeq(), "ADMIN may subscribe and submit");
        }
        assertEquals(2, gateway.server().counters().get(GatewayCounter.NOT_AUTHORIZED));
    }

    @Test
    void shouldThrottleAnAddressAfterRepeatedFailedLogons() throws Exception {
        final GatewayConfig config = GatewayFixture.config();
        config.logonThrottle.maxFailures = 3;
        config.logonThrottle.window = "1m";
        config.logonThrottle.backoff = "1m";
        gateway = new GatewayFixture(config);
        for (int i = 0; i < 3; i++) {
            try (TestClient client = TestClient.connect(gateway.port())) {
                client.send(Frames.logon(SUBMITTER, "wrong-secret-number-" + i));
                client.expectRejectAndClose(RejectCode.BAD_CREDENTIALS);
            }
        }
        try (TestClient client = TestClient.connect(gateway.port())) {
            client.send(Frames.logon(SUBMITTER, SECRET));
            client.expectRejectAndClose(RejectCode.THROTTLED);
        }
        assertEquals(1, gateway.server().counters().get(GatewayCounter.LOGONS_THROTTLED));
        assertEquals(0, gateway.server().counters().get(GatewayCounter.LOGONS_OK), "even the right secret is refused while throttled");
    }

    @Test
    void shouldRefuseASecondLogonOfALiveClientAndKeepTheFirst() throws Exception {
        gateway = new GatewayFixture(GatewayFixture.config());
        try (TestClient first = TestClient.logOn(gateway.port(), SUBMITTER, SECRET)) {
            try (TestClient second = TestClient.connect(gateway.port())) {
                second.send(Frames.logon(SUBMITTER, SECRET));
                second.expectRejectAndClose(RejectCode.NOT_AUTHORIZED);
            }
            first.send(Frames.order(5, "o-5", 0));
            assertEquals(5, gateway.inbound().next().clientSeq(), "the live session still works");
        }
        assertEquals(1, gateway.server().counters().get(GatewayCounter.LOGONS_DUPLICATE));
        try (TestClient again = TestClient.logOn(gateway.port(), SUBMITTER, SECRET)) {
            again.send(Frames.logon(SUBMITTER, SECRET)); // a second Logon on the same session
            final TestClient.Frame refused = again.readSkippingHeartbeats();
            assertEquals(RejectCode.NOT_LOGGED_ON, refused.reject().code(), refused.toString());
            assertEquals("the first message must be a Logon, and only the first", refused.reject().reason());
            again.expectClosed();
        }
        assertEquals(1, gateway.server().counters().get(GatewayCounter.LOGONS_DUPLICATE), "not another client's live session");
    }

    @Test
    void shouldSendHeartbeatsToAQuietSession() throws Exception {
        final GatewayConfig config = GatewayFixture.config();
        config.heartbeatInterval = "100ms";
        config.idleTimeout = "5s";
        gateway = new GatewayFixture(config);
        try (TestClient client = TestClient.logOn(gateway.port(), SUBMITTER, SECRET)) {
            assertEquals(HeartbeatDecoder.TEMPLATE_ID, client.read().templateId());
            assertEquals(HeartbeatDecoder.TEMPLATE_ID, client.read().templateId());
        }
        assertTrue(gateway.server().counters().get(GatewayCounter.HEARTBEATS_SENT) >= 2);
    }
}
