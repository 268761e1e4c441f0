package io.ringfence.tools.demo;

import io.ringfence.engine.codec.JsonEventWriter;
import io.ringfence.sbe.MessageHeaderDecoder;
import io.ringfence.sbe.OrderDecoder;
import io.ringfence.sbe.PaymentDecoder;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.util.EnumMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ShopSimulatorTest {
    private static final long START = 1_767_225_600_000_000L;

    private static byte[] digest(final long seed, final int steps) throws Exception {
        final MessageDigest sha = MessageDigest.getInstance("SHA-256");
        final ShopSimulator shop = new ShopSimulator(seed, 500, START, 200_000, 0.02);
        final byte[] copy = new byte[4096];
        for (int i = 0; i < steps; i++) {
            shop.step((buffer, offset, length, pattern) -> {
                buffer.getBytes(offset, copy, 0, length);
                sha.update(copy, 0, length);
                sha.update((byte) pattern.ordinal());
            });
        }
        return sha.digest();
    }

    @Test
    void sameSeedSameEventsByteForByte() throws Exception {
        assertArrayEquals(digest(7, 3_000), digest(7, 3_000));
        assertTrue(!java.util.Arrays.equals(digest(7, 3_000), digest(8, 3_000)), "another seed, another shop");
    }

    @Test
    void injectsEveryPatternWithLabelledOrdersAndPaymentsAndEveryEventReadsBackAsJson() throws Exception {
        final ShopSimulator shop = new ShopSimulator(42, 2_000, START, 200_000, 0.02);
        final Map<FraudPattern, int[]> seen = new EnumMap<>(FraudPattern.class);
        final MessageHeaderDecoder header = new MessageHeaderDecoder();
        final OrderDecoder order = new OrderDecoder();
        final PaymentDecoder payment = new PaymentDecoder();
        final JsonEventWriter json = new JsonEventWriter();
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final long[] lastTime = {0};
        for (int i = 0; i < 20_000; i++) {
            shop.step((buffer, offset, length, pattern) -> {
                header.wrap(buffer, offset);
                final int body = offset + MessageHeaderDecoder.ENCODED_LENGTH;
                int label = -2;
                long time = buffer.getLong(body + 8, java.nio.ByteOrder.LITTLE_ENDIAN);
                if (header.templateId() == OrderDecoder.TEMPLATE_ID) {
                    order.wrap(buffer, body, header.blockLength(), header.version());
                    label = order.label();
                    assertTrue(order.amount() > 0, "an order has a positive amount");
                } else if (header.templateId() == PaymentDecoder.TEMPLATE_ID) {
                    payment.wrap(buffer, body, header.blockLength(), header.version());
                    label = payment.label();
                }
                assertTrue(time >= lastTime[0], "event time never goes back");
                lastTime[0] = time;
                if (label != -2) {
                    assertEquals(pattern == FraudPattern.NONE ? 0 : 1, label, "label matches the pattern");
                    seen.computeIfAbsent(pattern, p -> new int[1])[0]++;
                }
                out.reset();
                json.write(buffer, offset, out);
                assertTrue(out.size() > 10, "writes as JSON");
            });
        }
        for (final FraudPattern p : FraudPattern.values()) {
            assertTrue(seen.containsKey(p) && seen.get(p)[0] > 10, p + " injected: " + (seen.containsKey(p) ? seen.get(p)[0] : 0));
            assertEquals(shop.labelled(p), seen.get(p)[0]);
        }
        assertTrue(seen.get(FraudPattern.NONE)[0] > 4 * seen.get(FraudPattern.CARD_TESTING)[0], "fraud is the exception even at a 2% episode rate");
    }
}
