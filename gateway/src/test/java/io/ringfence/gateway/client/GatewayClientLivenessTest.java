package io.ringfence.gateway.client;

import io.ringfence.gateway.testing.GatewayFixture;
import org.junit.jupiter.api.Test;

import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A server that answers the logon and then says nothing, not even heartbeats: the link counts as dead. */
class GatewayClientLivenessTest {
    @Test
    void shouldReconnectWhenTheServerFallsSilent() throws Exception {
        final List<Socket> accepted = new CopyOnWriteArrayList<>();
        final GatewayClientConfig config = ClientTests.clientConfig();
        config.receiveTimeoutMillis = 300;
        final RecordingListener listener = new RecordingListener();
        try (ServerSocket silent = new ServerSocket(0, 4, InetAddress.getLoopbackAddress())) {
            final Thread server = new Thread(() -> acceptAndGoSilent(silent, accepted), "silent-server");
            server.setDaemon(true);
            server.start();
            try (GatewayClient client = GatewayClient.open(config, listener, ClientTests.HOST, silent.getLocalPort(),
                GatewayFixture.SUBMITTER, GatewayFixture.SECRET)) {

                final RecordingListener.Disconnect dead = listener.nextDisconnect();

                assertEquals(ClientDisconnectReason.SERVER_SILENT, dead.reason());
                assertTrue(dead.reconnecting());
                GatewayFixture.await("a second logon", () -> listener.logons() >= 2);
                assertEquals(1, client.reconnects());
            }
        } finally {
            for (final Socket socket : accepted) {
                socket.close();
            }
        }
    }

    /** Accepts connections; answers each Logon with a LogonAck (heartbeat 100 ms) and then sends nothing. */
    private static void acceptAndGoSilent(final ServerSocket server, final List<Socket> accepted) {
        final byte[] ackBytes = ClientTests.submitterLogonAck();
        try {
            while (true) {
                final Socket socket = server.accept();
                accepted.add(socket);
                final DataInputStream in = new DataInputStream(socket.getInputStream());
                final byte[] logon = new byte[in.readInt() - 4];
                in.readFully(logon);
                socket.getOutputStream().write(ackBytes);
            }
        } catch (final IOException e) {
            // the test is over
        }
    }
}
