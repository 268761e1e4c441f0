package io.ringfence.gateway.client;

import io.ringfence.gateway.server.GatewayServer;
import io.ringfence.gateway.testing.GatewayFixture;
import io.ringfence.sbe.RejectCode;
import io.ringfence.sbe.Role;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.ringfence.gateway.client.ClientTests.HOST;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GatewayClientLogonTest {
    private final FakeEngine engine = new FakeEngine();
    private GatewayServer server;

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void shouldLogOnAndNumberAfterWhatTheServerHasJournaled() throws Exception {
        server = engine.start(ClientTests.serverConfig());
        engine.seed(GatewayFixture.SUBMITTER, 41);
        final RecordingListener listener = new RecordingListener();
        try (GatewayClient client = ClientTests.logOn(server.port(), GatewayFixture.SUBMITTER, listener)) {
            assertEquals(1, listener.logons());
            assertEquals("ringfence-client-" + GatewayFixture.SUBMITTER, listener.ioThreadName(), "callbacks run on the I/O thread");
            assertTrue(client.isLoggedOn());

            final long seq = client.send(Messages.order(), 0, Messages.order().capacity());

            assertEquals(42, seq, "numbering continues after the journaled clientSeq");
            assertTrue(client.awaitAcknowledged(5, TimeUnit.SECONDS));
            assertEquals(List.of(42L), listener.decisions());
            assertEquals(List.of(42L), engine.accepted());
        }
    }

    @Test
    void shouldReportTheLogonAckToTheCaller() throws Exception {
        server = engine.start(ClientTests.serverConfig());
        engine.seed(GatewayFixture.WATCHER, 7);
        try (GatewayClient client = new GatewayClient(ClientTests.clientConfig(), ClientListener.NONE)) {
            final LogonResult result = client.connect(HOST, server.port()).logon(GatewayFixture.WATCHER, GatewayFixture.SECRET);
            assertEquals(GatewayFixture.WATCHER, result.clientId());
            assertEquals(Role.SUBSCRIBE, result.role());
            assertEquals(7, result.lastJournaledClientSeq());
            assertEquals(1000, result.heartbeatMillis());
        }
    }

    @Test
    void shouldThrowLogonRejectedWithTheCodeAndReasonForAWrongSecret() throws Exception {
        server = engine.start(ClientTests.serverConfig());
        final RecordingListener listener = new RecordingListener();
        final GatewayClient client = new GatewayClient(ClientTests.clientConfig(), listener).connect(HOST, server.port());

        final LogonRejectedException refused = assertThrows(LogonRejectedException.class,
            () -> client.logon(GatewayFixture.SUBMITTER, "not-the-right-secret-at-all"));

        assertEquals(RejectCode.BAD_CREDENTIALS, refused.code());
        assertTrue(refused.reason().contains("wrong secret"), refused.reason());
        assertTrue(client.isStopped());
        final RecordingListener.Disconnect disconnect = listener.nextDisconnect();
        assertEquals(ClientDisconnectReason.LOGON_REJECTED, disconnect.reason());
        assertFalse(disconnect.reconnecting());
        assertThrows(IllegalStateException.class, () -> client.send(Messages.order(), 0, Messages.order().capacity()));
    }

    @Test
    void shouldThrowConnectExceptionWhenNothingListens() throws Exception {
        final int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        try (GatewayClient client = new GatewayClient(ClientTests.clientConfig(), ClientListener.NONE)) {
            final GatewayConnectException refused = assertThrows(GatewayConnectException.class, () -> client.connect(HOST, port));
            assertTrue(refused.getMessage().contains(HOST + ":" + port), refused.getMessage());
        }
    }

    @Test
    void shouldTimeOutWhenTheServerNeverAnswersTheLogon() throws Exception {
        final GatewayClientConfig config = ClientTests.clientConfig();
        config.logonTimeoutMillis = 300;
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             GatewayClient client = new GatewayClient(config, ClientListener.NONE)) {
            client.connect(HOST, silent.getLocalPort());

            final GatewayTimeoutException timeout = assertThrows(GatewayTimeoutException.class,
                () -> client.logon(GatewayFixture.SUBMITTER, GatewayFixture.SECRET));

            assertTrue(timeout.getMessage().contains("300 ms"), timeout.getMessage());
            assertTrue(client.isStopped());
        }
    }

    @Test
    void shouldRefuseSendsBeforeLogonAndMessagesThatAreNotBusinessMessages() throws Exception {
        server = engine.start(ClientTests.serverConfig());
        try (GatewayClient notLoggedOn = new GatewayClient(ClientTests.clientConfig(), ClientListener.NONE)) {
            assertThrows(IllegalStateException.class, () -> notLoggedOn.send(Messages.order(), 0, Messages.order().capacity()));
        }
        try (GatewayClient client = ClientTests.logOn(server.port(), GatewayFixture.SUBMITTER, ClientListener.NONE)) {
            final var heartbeat = io.ringfence.gateway.testing.Frames.message(io.ringfence.gateway.testing.Frames.heartbeat());
            assertThrows(IllegalArgumentException.class, () -> client.send(heartbeat, 0, heartbeat.capacity()));
            final var order = Messages.order();
            assertThrows(IllegalArgumentException.class, () -> client.send(order, 0, order.capacity() - 1), "truncated");
            assertEquals(0, client.lastAssignedSeq(), "nothing refused took a sequence");
        }
    }
}
