package io.ringfence.gateway.client;

import io.ringfence.gateway.config.GatewayConfig;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A client on its defaults, talking to a server on its defaults, can never be owed more answers
 * than the server buffers for its session: an answer (Decision, Ack, Reject) is no larger than
 * the event it answers, so unacknowledged bytes bound owed bytes. With the old 4 MiB client
 * default a shop whose reading thread lagged was disconnected as a slow consumer of its own
 * answers.
 */
class ClientServerDefaultsTest {
    @Test
    void shouldNotLetADefaultClientBeOwedMoreThanADefaultServerBuffers() {
        final GatewayClientConfig client = new GatewayClientConfig();
        final GatewayConfig server = new GatewayConfig();
        client.validate();
        assertTrue(client.unackedBufferBytes <= server.outboundBufferBytes,
            "client unackedBufferBytes " + client.unackedBufferBytes + " > server outboundBufferBytes " + server.outboundBufferBytes);
    }
}
