package io.ringfence.gateway.session;

import io.ringfence.engine.config.ConfigException;
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
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
    @Test
    void shouldGenerateASubscribeOnlyWatchClientBesideTheLocalOne() throws Exception {
        final List<ClientConfig> both = CredentialsFile.loadOrCreateAll(dataDir);
        assertEquals(List.of(CredentialsFile.LOCAL_CLIENT_ID, CredentialsFile.WATCH_CLIENT_ID), List.of(both.get(0).id, both.get(1).id));
        assertEquals(List.of("SUBMIT", "SUBSCRIBE", "ADMIN"), both.get(0).roles);
        assertEquals(List.of("SUBSCRIBE"), both.get(1).roles);
        assertTrue(both.get(1).secret.matches("[0-9a-f]{64}"), "32 random bytes as hex");
        assertNotEquals(both.get(0).secret, both.get(1).secret, "each client its own secret");
        assertEquals(both.get(1).secret, CredentialsFile.readWatch(dataDir).secret);
        assertTrue(CredentialsFile.ready(dataDir, true));
        assertEquals(both.get(0).secret, CredentialsFile.read(dataDir).secret);

        final ClientRegistry registry = ClientRegistry.from(new GatewayConfig(), dataDir);
        assertEquals(2, registry.size());
        final Client watch = registry.find(CredentialsFile.WATCH_CLIENT_ID);
        assertTrue(Permissions.allows(watch.roles(), io.ringfence.sbe.SubscribeDecoder.TEMPLATE_ID));
        assertFalse(Permissions.allows(watch.roles(), io.ringfence.sbe.OrderDecoder.TEMPLATE_ID), "the watch client may not submit");
    }

    @Test
    void shouldAddTheWatchClientToAnOlderFileKeepingTheLocalSecretAndOwnerOnly() throws Exception {
        final Path file = CredentialsFile.path(dataDir);
        final String secret = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
        final String old = "# ringfence gateway credentials, generated because gateway.clients is empty.\n"
            + "# Keep private: anyone who reads this file can log on as this client.\n"
            + "id=local\nsecret=" + secret + "\nroles=SUBMIT,SUBSCRIBE,ADMIN\n";
        Files.writeString(file, old);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--")); // shared by mistake: the new file is not
        assertFalse(CredentialsFile.ready(dataDir, true), "no subscribe-only client yet");
        assertTrue(CredentialsFile.ready(dataDir, false));
        final ConfigException notYet = assertThrows(ConfigException.class, () -> CredentialsFile.readWatch(dataDir));
        assertTrue(notYet.getMessage().contains("older version") && notYet.getMessage().contains("ringfence server --data"),
            notYet.getMessage());

        final List<ClientConfig> both = CredentialsFile.loadOrCreateAll(dataDir);
        assertEquals(secret, both.get(0).secret, "the local secret is kept");
        assertEquals(CredentialsFile.WATCH_CLIENT_ID, both.get(1).id);
        assertTrue(both.get(1).secret.matches("[0-9a-f]{64}"));
        final String migrated = Files.readString(file);
        assertTrue(migrated.startsWith(old), "the old lines are kept byte for byte:\n" + migrated);
        assertTrue(migrated.contains("watch.id=local-watch\n") && migrated.contains("watch.roles=SUBSCRIBE\n"), migrated);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals(both.get(1).secret, CredentialsFile.readWatch(dataDir).secret);

        CredentialsFile.loadOrCreateAll(dataDir);
        assertEquals(migrated, Files.readString(file), "added once, then reused as it is");
        try (var files = Files.list(dataDir)) {
            assertFalse(files.anyMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temp file left behind");
        }
    }

    @Test
    void shouldRefuseAWatchClientWithoutASecretOrWithTheLocalId() throws Exception {
        final Path file = CredentialsFile.path(dataDir);
        Files.writeString(file, "id=local\nsecret=0123456789abcdef0123\nwatch.id=local-watch\n");
        final ConfigException noSecret = assertThrows(ConfigException.class, () -> CredentialsFile.loadOrCreateAll(dataDir));
        assertTrue(noSecret.getMessage().contains("watch.secret is missing"), noSecret.getMessage());

        Files.writeString(file, "id=local\nsecret=0123456789abcdef0123\nwatch.id=local\nwatch.secret=fedcba98765432100123\n");
        final ConfigException sameId = assertThrows(ConfigException.class, () -> CredentialsFile.loadOrCreateAll(dataDir));
        assertTrue(sameId.getMessage().contains("watch.id") && sameId.getMessage().contains("other client"), sameId.getMessage());
    }

    @Test
    void shouldRefuseABrokenFileWithoutRewritingIt() throws Exception {
        final Path file = CredentialsFile.path(dataDir);
        final String broken = "secret=0123456789abcdef0123456789abcdef\n"; // no id
        Files.writeString(file, broken);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        final ConfigException e = assertThrows(ConfigException.class, () -> CredentialsFile.loadOrCreateAll(dataDir));
        assertTrue(e.getMessage().contains("id") && e.getMessage().contains("is missing"), e.getMessage());
        assertEquals(broken, Files.readString(file), "left as it was: no watch client added to a file that is refused");
    }
}
