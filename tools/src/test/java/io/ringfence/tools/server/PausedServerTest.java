package io.ringfence.tools.server;

import io.ringfence.gateway.client.ClientDisconnectReason;
import io.ringfence.gateway.client.ClientListener;
import io.ringfence.gateway.client.GatewayClient;
import io.ringfence.gateway.client.GatewayClientConfig;
import io.ringfence.gateway.config.ClientConfig;
import io.ringfence.gateway.session.CredentialsFile;
import io.ringfence.tools.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A server whose process does not run for longer than its idle timeout (a SIGSTOP here; a long
 * pause of the VM alike) reads the heartbeats that waited in its sockets before it calls a
 * session idle: it used to close every session at once as it resumed, since the select that
 * resumed returned nothing (Linux interrupts epoll_wait on SIGCONT).
 */
@EnabledOnOs(OS.LINUX)
class PausedServerTest {
    @TempDir
    Path dir;

    /** A server with short heartbeat (200 ms), idle (1 s) and logon (500 ms) timeouts. */
    private ChildJvm.Server fastTimers(final Path data) throws java.io.IOException {
        final Path config = Files.writeString(dir.resolve("fast-timers.yaml"),
            "gateway:\n  heartbeatInterval: 200ms\n  idleTimeout: 1s\n  logonTimeout: 500ms\n  admin: {enabled: false}\n");
        return ChildJvm.server("server", "--data", data.toString(), "--port", "0", "--warmup", "0s", "--config", config.toString());
    }

    @Test
    void shouldReadALogonThatWaitedThroughAPauseBeforeTheLogonTimeout() throws Exception {
        final Path data = dir.resolve("logon");
        final ChildJvm.Server server = fastTimers(data);
        final ClientConfig local = CredentialsFile.read(data);
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(10_000);
            Thread.sleep(200); // accepted: its logon clock runs
            ChildJvm.signal("STOP", server.process());
            socket.getOutputStream().write(logon(local.id, local.secret)); // waits in the stopped server's socket
            Thread.sleep(1_000); // twice the logon timeout
            ChildJvm.signal("CONT", server.process());
            final java.io.DataInputStream in = new java.io.DataInputStream(socket.getInputStream());
            final int length = in.readInt(); // SOFH: 4-byte length (frame included), 2-byte encoding type
            final byte[] frame = new byte[length - 4];
            in.readFully(frame);
            final int templateId = (frame[4] & 0xff) | (frame[5] & 0xff) << 8; // SBE header after the 2-byte encoding type
            assertEquals(io.ringfence.sbe.LogonAckDecoder.TEMPLATE_ID, templateId,
                "logged on, not refused NOT_LOGGED_ON (template " + templateId + ")");
        } finally {
            server.process().destroyForcibly();
            server.process().waitFor(30, TimeUnit.SECONDS);
        }
    }

    private static byte[] logon(final String clientId, final String secret) {
        final org.agrona.concurrent.UnsafeBuffer buffer = new org.agrona.concurrent.UnsafeBuffer(new byte[512]);
        final io.ringfence.sbe.LogonEncoder logon = new io.ringfence.gateway.frame.FrameEncoder()
            .begin(buffer, 0, new io.ringfence.sbe.LogonEncoder()).clientSeq(0).clientId(clientId).heartbeatMillis(200);
        final byte[] secretBytes = secret.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        logon.putSecret(secretBytes, 0, secretBytes.length);
        return java.util.Arrays.copyOf(buffer.byteArray(), io.ringfence.gateway.frame.FrameEncoder.frame(buffer, 0, logon));
    }

    @Test
    void shouldNotCloseASessionAsIdleWhoseHeartbeatsWaitedThroughAPause() throws Exception {
        final Path data = dir.resolve("srv");
        final ChildJvm.Server server = fastTimers(data);
        final List<String> disconnects = new CopyOnWriteArrayList<>();
        final ClientListener listener = new ClientListener() {
            @Override
            public void onDisconnect(final ClientDisconnectReason reason, final String detail, final boolean reconnecting) {
                disconnects.add(reason + ": " + detail);
            }
        };
        final GatewayClientConfig clientConfig = new GatewayClientConfig();
        clientConfig.receiveTimeoutMillis = 60_000; // the server will be silent for 2 s: that is not what this tests
        final ClientConfig local = CredentialsFile.read(data);
        try (GatewayClient client = GatewayClient.open(clientConfig, listener, "127.0.0.1", server.port(), local.id, local.secret)) {
            Thread.sleep(500);
            ChildJvm.signal("STOP", server.process());
            Thread.sleep(2_000); // twice the idle timeout; the client heartbeats every 200 ms meanwhile
            ChildJvm.signal("CONT", server.process());
            Thread.sleep(1_500);
            assertEquals(List.of(), disconnects, "the session outlived the server's pause");
            assertTrue(client.isLoggedOn(), "still logged on");
        } finally {
            server.process().destroyForcibly();
            server.process().waitFor(30, TimeUnit.SECONDS);
        }
    }
}
