package io.ringfence.gateway.session;

import io.ringfence.gateway.GatewayHandlers;
import io.ringfence.gateway.config.ClientConfig;
import io.ringfence.gateway.config.GatewayConfig;
import io.ringfence.gateway.server.GatewayServer;
import io.ringfence.gateway.testing.RecordingHandler;
import io.ringfence.gateway.testing.TestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CredentialsFileTest {
    @TempDir
    Path dataDir;

    @Test
    void shouldGenerateAnOwnerOnlyFileOnceAndReuseIt() throws Exception {
        final ClientConfig first = CredentialsFile.loadOrCreate(dataDir);
        final Path file = CredentialsFile.path(dataDir);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals(CredentialsFile.LOCAL_CLIENT_ID, first.id);
        assertTrue(first.secret.matches("[0-9a-f]{64}"), "32 random bytes as hex");

        final ClientConfig second = CredentialsFile.loadOrCreate(dataDir);
        assertEquals(first.secret, second.secret, "reused, not regenerated");
        assertEquals(first.secret, CredentialsFile.read(dataDir).secret);

        final Path otherDir = dataDir.resolve("other");
        assertNotEquals(first.secret, CredentialsFile.loadOrCreate(otherDir).secret, "random per data directory");
        try (var files = Files.list(dataDir)) {
            assertFalse(files.anyMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temp file left behind");
        }
    }

    @Test
    void shouldLetTheLocalClientLogOnToAServerWithNoClientsConfigured() throws Exception {
        final GatewayConfig config = new GatewayConfig();
        final RecordingHandler inbound = new RecordingHandler();
        try (GatewayServer server = GatewayServer.start(config, dataDir, GatewayHandlers.of(inbound))) {
            final ClientConfig local = CredentialsFile.read(dataDir);
            try (TestClient client = TestClient.logOn(server.port(), local.id, local.secret)) {
                client.send(io.ringfence.gateway.testing.Frames.order(1, "o-1", 0));
                assertEquals(1, inbound.next().clientSeq());
            }
        }
    }
}
