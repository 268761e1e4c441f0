package io.ringfence.gateway.client;

import io.ringfence.sbe.FilterKind;
import io.ringfence.sbe.Topic;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link GatewayClient#resumeAfter} refuses what would lose pushes silently: a position below 1 or a negative
 * count, and a logon with a position but nothing subscribed to resume it with (the position would be dropped).
 */
class GatewayClientResumeAfterTest {
    @Test
    void shouldRefuseABadPositionAndALogonWithAPositionButNoSubscription() throws Exception {
        final GatewayClient client = new GatewayClient(new GatewayClientConfig(), ClientListener.NONE);
        assertEquals("resume after engine sequence 0 with 0 of its pushes seen: the sequence must be at least 1 and the count at least 0",
            assertThrows(IllegalArgumentException.class, () -> client.resumeAfter(0, 0)).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> client.resumeAfter(5, -1)).getMessage()
            .startsWith("resume after engine sequence 5 with -1 of its pushes seen"));
        client.resumeAfter(5, 1);
        try (ServerSocket listening = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            client.connect("127.0.0.1", listening.getLocalPort());
            final IllegalStateException noSubscription = assertThrows(IllegalStateException.class,
                () -> client.logon("watch", "0123456789abcdef0123456789abcdef"));
            assertTrue(noSubscription.getMessage().contains("nothing is subscribed before logon"), noSubscription.getMessage());
            client.subscribe(1, Topic.FRAUD_ALERT, FilterKind.ALL, ""); // allowed before logon
        } finally {
            client.close();
        }
    }
}
