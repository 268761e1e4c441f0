package io.ringfence.gateway.client;

import io.ringfence.gateway.config.GatewayConfig;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A client fitted to a server ({@link GatewayClientConfig#fitServer}, or by the server's LogonAck) keeps half the
 * server's buffer of messages unacknowledged: an answer can take more of the server's buffer than the message it answers
 * (a payment's Decision with reasons, 1.3 to 1.7 x), so half bounds the answers owed. With the old 4 MiB client default
 * a shop whose reading thread lagged was disconnected as a slow consumer of its own answers.
 */
class ClientServerDefaultsTest {
    @Test
    void shouldNotLetADefaultClientBeOwedMoreThanADefaultServerBuffers() {
        final GatewayClientConfig client = new GatewayClientConfig();
        final GatewayConfig server = new GatewayConfig();
        client.validate();
        // against an older server that does not say its buffer (the LogonAck then halves it, as fitServer does)
        assertTrue(client.unackedBufferBytes <= server.outboundBufferBytes,
            "client unackedBufferBytes " + client.unackedBufferBytes + " > server outboundBufferBytes " + server.outboundBufferBytes);
    }

    @Test
    void shouldFitAClientToAnyValidServer() {
        for (final int[] server : new int[][] {{1 << 20, 64 * 1024}, {4 << 20, 128 * 1024}, {8 * 512, 512}, {128 << 20, 16 << 20}}) {
            final GatewayConfig config = new GatewayConfig();
            config.outboundBufferBytes = server[0];
            config.maxFrameBytes = server[1];
            config.validate();
            final GatewayClientConfig client = new GatewayClientConfig().fitServer(config.outboundBufferBytes, config.maxFrameBytes);
            assertEquals(config.outboundBufferBytes / 2, client.unackedBufferBytes, "owed answers fit the session's buffer");
            assertEquals(config.maxFrameBytes, client.maxFrameBytes);
        }
        assertEquals("client.unackedBufferBytes: '500000' must be a power of two up to 1073741824",
            assertThrows(io.ringfence.engine.config.ConfigException.class,
                () -> new GatewayClientConfig().fitServer(1_000_000, 64 * 1024)).getMessage(), "not from a validated server");
    }
}
