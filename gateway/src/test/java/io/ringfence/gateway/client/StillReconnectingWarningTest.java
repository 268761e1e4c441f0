package io.ringfence.gateway.client;

import io.ringfence.gateway.testing.GatewayFixture;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Chaos trial: with its server gone, `subscribe` kept reconnecting for minutes after a single WARN, which read as a quiet
 * but healthy stream. While it cannot get back, the client says so every {@code stillReconnectingWarnMillis}.
 */
class StillReconnectingWarningTest {
    @Test
    void aClientThatCannotGetBackSaysSoAgainAndAgain() throws Exception {
        final GatewayClientConfig config = ClientTests.clientConfig();
        config.stillReconnectingWarnMillis = 200;
        config.reconnectMaxBackoffMillis = 50;
        final RecordingListener listener = new RecordingListener();
        final PrintStream err = System.err;
        final ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            final ServerSocket server = new ServerSocket(0, 4, InetAddress.getLoopbackAddress());
            final int port = server.getLocalPort();
            final Thread once = new Thread(() -> acceptOneLogonThenGo(server), "one-logon-server");
            once.setDaemon(true);
            once.start();
            try (GatewayClient client = GatewayClient.open(config, listener, ClientTests.HOST, port,
                GatewayFixture.SUBMITTER, GatewayFixture.SECRET)) {
                listener.nextDisconnect(); // the server went: nothing listens on the port any more
                final long deadline = System.nanoTime() + 10_000_000_000L;
                while (count(captured, "still reconnecting to") < 2 && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
            }
        } finally {
            System.setErr(err);
        }
        final String log = captured.toString(StandardCharsets.UTF_8);
        assertTrue(count(captured, "lost its connection") == 1, log);
        assertTrue(count(captured, "still reconnecting to " + ClientTests.HOST) >= 2, log);
        assertTrue(log.contains("attempts failed in"), log);
    }

    @Test
    void aPeriodThatIsNotPositiveIsRefusedNamingTheSetting() {
        final GatewayClientConfig config = ClientTests.clientConfig();
        config.stillReconnectingWarnMillis = 0;
        final io.ringfence.engine.config.ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(
            io.ringfence.engine.config.ConfigException.class, config::validate);
        assertTrue(e.getMessage().contains("client.stillReconnectingWarnMillis"), e.getMessage());
    }

    private static int count(final ByteArrayOutputStream captured, final String what) {
        return captured.toString(StandardCharsets.UTF_8).split(java.util.regex.Pattern.quote(what), -1).length - 1;
    }

    /** Answers one Logon, then closes the connection and stops listening. */
    private static void acceptOneLogonThenGo(final ServerSocket server) {
        final byte[] ackBytes = ClientTests.submitterLogonAck();
        try (server; Socket socket = server.accept()) {
            final DataInputStream in = new DataInputStream(socket.getInputStream());
            final byte[] logon = new byte[in.readInt() - 4];
            in.readFully(logon);
            socket.getOutputStream().write(ackBytes);
            Thread.sleep(200);
        } catch (final java.io.IOException | InterruptedException e) {
            // the test is over
        }
    }
}
