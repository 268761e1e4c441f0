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

    @Test
    void shouldNotCloseASessionAsIdleWhoseHeartbeatsWaitedThroughAPause() throws Exception {
        final Path data = dir.resolve("srv");
        final Path config = Files.writeString(dir.resolve("fast-idle.yaml"),
            "gateway:\n  heartbeatInterval: 200ms\n  idleTimeout: 1s\n  admin: {enabled: false}\n");
        final ChildJvm.Server server = ChildJvm.server("server", "--data", data.toString(), "--port", "0", "--warmup", "0s",
            "--config", config.toString());
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
