package io.ringfence.tools.load;

import io.ringfence.engine.codec.JsonEventParser;
import io.ringfence.engine.codec.ParseResult;
import io.ringfence.gateway.client.GatewayClientConfig;
import io.ringfence.gateway.config.GatewayConfig;
import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The default gateway frames carry an order as large as the largest Online Retail invoice (1,114
 * lines), which `run` accepts: at 64 KiB `load` refused it (776 items at most).
 */
class DefaultFrameSizeTest {
    private static final int SOFH = 6;

    private static String order(final int items) {
        final StringBuilder sb = new StringBuilder("{\"type\":\"order\",\"time\":\"2011-12-09T12:50:00Z\",\"orderId\":\"581219\","
                + "\"userId\":\"guest-581219\",\"amount\":\"" + items + ".00\",\"currency\":\"GBP\",\"country\":\"United Kingdom\",\"items\":[");
        for (int i = 0; i < items; i++) {
            sb.append(i == 0 ? "" : ",").append("{\"sku\":\"").append(20_000 + i).append("\",\"qty\":1,\"unitPrice\":\"1.00\","
                    + "\"category\":\"SET OF 3 CAKE TINS PANTRY DESIGN\"}");
        }
        return sb.append("]}").toString();
    }

    @Test
    void theLargestRealInvoiceFitsTheDefaultFramesBothWays() {
        final int client = new GatewayClientConfig().maxFrameBytes - SOFH;
        final int server = new GatewayConfig().maxFrameBytes - SOFH;
        final ParseResult result = new ParseResult();
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(1 << 18);
        final int length = new JsonEventParser(Math.min(client, server)).parse(order(1_114), 1, 1, buffer, 0, result);
        assertFalse(result.isRejected(), result::toString);
        assertTrue(length <= Math.min(client, server));

        new JsonEventParser(Math.min(client, server)).parse(order(1_600), 1, 1, buffer, 0, result);
        assertTrue(result.isRejected(), "a larger one is refused with the count that fits");
        assertEquals("'items' has more than 1556 entries, the most that fit in a message of 131066 bytes", result.reason());
    }
}
