package io.ringfence.tools;

import io.ringfence.engine.codec.JsonEventParser;
import io.ringfence.engine.codec.ParseResult;
import io.ringfence.gateway.client.ClientListener;
import io.ringfence.gateway.client.GatewayClient;
import io.ringfence.gateway.client.GatewayClientConfig;
import io.ringfence.gateway.config.ClientConfig;
import io.ringfence.gateway.session.CredentialsFile;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** A shop sending JSON events to a test server as the data directory's generated local client. */
public final class ShopClient {
    private ShopClient() {
    }

    /** Sends the events in order and waits until every one is answered. */
    public static void send(final Path data, final int port, final String... events) throws Exception {
        final ClientConfig local = CredentialsFile.read(data);
        try (GatewayClient shop = GatewayClient.open(new GatewayClientConfig(), ClientListener.NONE, "127.0.0.1", port,
            local.id, local.secret)) {
            final UnsafeBuffer event = new UnsafeBuffer(new byte[4096]);
            final JsonEventParser parser = new JsonEventParser();
            final ParseResult parsed = new ParseResult();
            for (int i = 0; i < events.length; i++) {
                final int length = parser.parse(events[i], i + 1, 0, event, 0, parsed);
                assertTrue(length > 0, parsed.toString());
                assertTrue(shop.send(event, 0, length, 5, TimeUnit.SECONDS) > 0);
            }
            assertTrue(shop.awaitAcknowledged(10, TimeUnit.SECONDS), "every event answered");
        }
    }
}
