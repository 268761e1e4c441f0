package io.ringfence.gateway.config;

import io.ringfence.engine.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import java.util.List;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GatewayConfigTest {
    @Test
    void shouldAcceptTheDefaults() {
        final GatewayConfig config = new GatewayConfig();
        assertDoesNotThrow(config::validate);
        assertFalse(config.busyPoll, "busy-poll is opt-in");
        assertTrue(config.bindAddress.startsWith("127."), "loopback by default");
        assertTrue(config.admin.enabled && config.admin.bindAddress.startsWith("127.") && config.admin.port == 0,
            "the admin endpoint is on, on loopback, on an ephemeral port");
        assertEquals(10_000, config.slowConsumerTimeoutMillis(), "a stalled reader goes after 10 s without progress");
        assertEquals(128 << 20, config.pushHistoryMaxBytes(), "the push history grows to 128 MiB for a burst");
        config.pushHistoryBytes = 256 << 20;
        assertDoesNotThrow(config::validate);
        assertEquals(256 << 20, config.pushHistoryMaxBytes(), "a history set larger than the default ceiling is its own ceiling");
    }

    @Test
    void shouldNameTheFieldAndTheProblem() {
        assertRejected("gateway.port", c -> c.port = 70_000);
        assertRejected("gateway.maxSessions", c -> c.maxSessions = 0);
        assertRejected("gateway.maxAwaitingLogonPerAddress", c -> c.maxAwaitingLogonPerAddress = 0);
        assertRejected("gateway.maxAwaitingLogonPerAddress", c -> c.maxAwaitingLogonPerAddress = 65); // above maxSessions (64)
        assertRejected("gateway.maxFrameBytes", c -> c.maxFrameBytes = 100);
        assertRejected("gateway.heartbeatInterval", c -> c.heartbeatInterval = "soon");
        assertRejected("gateway.idleTimeout", c -> c.idleTimeout = "500ms");
        assertRejected("gateway.logonTimeout", c -> c.logonTimeout = "5ms");
        assertRejected("gateway.logonTimeout", c -> c.logonTimeout = "2h");
        assertRejected("gateway.outboundBufferBytes", c -> c.outboundBufferBytes = 100_000);
        assertRejected("gateway.outboundBufferBytes", c -> c.outboundBufferBytes = 64 * 1024);
        assertRejected("gateway.pushHistoryBytes", c -> c.pushHistoryBytes = 1000);
        assertRejected("gateway.pushHistoryBytes", c -> c.pushHistoryBytes = -1);
        assertRejected("gateway.pushHistoryMaxBytes", c -> c.pushHistoryMaxBytes = 1 << 20); // below pushHistoryBytes' 8 MiB
        assertRejected("gateway.pushHistoryMaxBytes", c -> c.pushHistoryMaxBytes = Integer.MAX_VALUE);
        assertRejected("gateway.slowConsumerTimeout", c -> c.slowConsumerTimeout = "50ms");
        assertRejected("gateway.slowConsumerTimeout", c -> c.slowConsumerTimeout = "2h");
        assertRejected("gateway.slowConsumerTimeout", c -> c.slowConsumerTimeout = "never");
        assertRejected("gateway.slowConsumerTimeout", c -> c.slowConsumerTimeout = null);
        assertRejected("gateway.logonThrottle.maxFailures", c -> c.logonThrottle.maxFailures = 0);
        assertRejected("gateway.bindAddress", c -> c.bindAddress = " ");
        assertRejected("gateway.admin.port", c -> c.admin.port = 70_000);
        assertRejected("gateway.admin.port", c -> c.admin.port = -1);
        assertRejected("gateway.admin.port", c -> {
            c.port = 7001;
            c.admin.port = 7001;
        });
        assertRejected("gateway.admin.bindAddress", c -> c.admin.bindAddress = "");
        assertRejected("gateway.admin", c -> c.admin = null);
        assertRejected("gateway.clients[0].roles[1]",
            c -> c.clients = List.of(new ClientConfig("a", "0123456789abcdef", List.of("SUBMIT", "ROOT"))));
        assertRejected("gateway.clients[1].id", c -> c.clients = List.of(
            new ClientConfig("a", "0123456789abcdef", List.of("SUBMIT")),
            new ClientConfig("a", "0123456789abcdef", List.of("SUBMIT"))));
        assertRejected("gateway.clients[0].id",
            c -> c.clients = List.of(new ClientConfig("x".repeat(37), "0123456789abcdef", List.of("SUBMIT"))));
    }

    @Test
    void shouldReadTheAdminSectionFromTheFileAndNameItsBadPort(@TempDir final Path dir) throws IOException {
        final Path good = Files.writeString(dir.resolve("good.yaml"),
            "gateway:\n  port: 7001\n  maxAwaitingLogonPerAddress: 40\n  admin: {enabled: true, bindAddress: 127.0.0.1, port: 9464}\n");
        final GatewayConfig config = GatewayConfigLoader.loadValidated(good);
        assertTrue(config.admin.enabled);
        assertEquals(9464, config.admin.port);
        assertEquals(40, config.maxAwaitingLogonPerAddress);

        final Path bad = Files.writeString(dir.resolve("bad.yaml"), "gateway:\n  admin: {port: 70000}\n");
        final ConfigException e = assertThrows(ConfigException.class, () -> GatewayConfigLoader.loadValidated(bad));
        assertTrue(e.getMessage().contains("gateway.admin.port") && e.getMessage().contains("70000"), e.getMessage());
    }

    @Test
    void shouldNameEveryBadSettingAndClientEachWithItsLine(@TempDir final Path dir) throws IOException {
        final Path bad = Files.writeString(dir.resolve("bad.yaml"), "gateway:\n  port: 70000\n  heartbeatInterval: 1ms\n"
            + "  clients:\n    - {id: a, secret: '0123456789abcdef', roles: [SUBMIT]}\n"
            + "    - {id: b, secret: short, roles: [SUBMIT]}\n    - {id: c, secret: '0123456789abcdef', roles: [ROOT]}\n");
        final ConfigException e = assertThrows(ConfigException.class, () -> GatewayConfigLoader.loadValidated(bad));
        final String[] lines = e.getMessage().split("\n");
        assertEquals(4, lines.length, e.getMessage());
        assertTrue(lines[0].startsWith(bad + " line 2: gateway.port: '70000'"), e.getMessage());
        assertTrue(lines[1].startsWith(bad + " line 3: gateway.heartbeatInterval: '1ms'"), e.getMessage());
        assertTrue(lines[2].startsWith(bad + " line 6: gateway.clients[1].secret must be at least 16 bytes"), e.getMessage());
        assertTrue(lines[3].startsWith(bad + " line 7: gateway.clients[2].roles[0]: 'ROOT'"), e.getMessage());
        assertFalse(e.getMessage().contains("short,"), e.getMessage());
    }

    @Test
    void shouldNeverQuoteASecret() {
        final GatewayConfig config = new GatewayConfig();
        config.clients = List.of(new ClientConfig("a", "short-secret", List.of("SUBMIT")));
        final ConfigException e = assertThrows(ConfigException.class, config::validate);
        assertTrue(e.getMessage().startsWith("gateway.clients[0].secret"), e.getMessage());
        assertFalse(e.getMessage().contains("short-secret"), e.getMessage());
    }

    /** Security trial: the docs' example secrets were accepted as they stand. */
    @Test
    void shouldRefuseTheDocsExampleSecrets() throws Exception {
        final String docs = Files.readString(Path.of("..", "docs", "gateway.md"));
        for (final String example : List.of("change-me-32-bytes-of-randomness", "another-long-random-secret")) {
            assertTrue(docs.contains("secret: \"" + example + "\""), "the docs still show " + example);
            final GatewayConfig config = new GatewayConfig();
            config.clients = List.of(new ClientConfig("a", example, List.of("SUBMIT")));
            final ConfigException e = assertThrows(ConfigException.class, config::validate);
            assertTrue(e.getMessage().startsWith("gateway.clients[0].secret is an example from the docs"), e.getMessage());
            assertFalse(e.getMessage().contains(example), e.getMessage());
        }
    }

    private static void assertRejected(final String field, final Consumer<GatewayConfig> change) {
        final GatewayConfig config = new GatewayConfig();
        change.accept(config);
        final ConfigException e = assertThrows(ConfigException.class, config::validate, field);
        assertTrue(e.getMessage().startsWith(field + ": ") || e.getMessage().startsWith(field + " "), // "field: 'value' ..." or "field is required"
            "expected " + field + " in: " + e.getMessage());
    }
}
