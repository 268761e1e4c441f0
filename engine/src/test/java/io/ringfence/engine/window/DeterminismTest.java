package io.ringfence.engine.window;

import io.ringfence.engine.output.OutputBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DeterminismTest {
    static List<WindowSpec> specs() {
        return WindowSpecs.from(List.of(
            new WindowConfig().name("gmv_by_country_1h").key("country").kind("tumbling").size("1h").lateness("5m")
                .events("order", "payment")
                .metrics("count", "sum(amount)", "min(amount)", "max(amount)", "mean(amount)", "stddev(amount)", "distinct(userId)", "topk(sku, 5)"),
            new WindowConfig().name("country_user_15m").key("country", "user").kind("tumbling").size("15m").maxKeys(300)
                .metrics("count", "sum(amount)"),
            new WindowConfig().name("sku_30m").key("sku").kind("tumbling").size("30m").lateness("1m")
                .metrics("count", "sum(qty)", "mean(qty)", "stddev(qty)", "topk(user, 3)"),
            new WindowConfig().name("user_1h").key("user").kind("sliding").size("1h").step("5m").lateness("1m")
                .events("order", "payment").metrics("count", "sum(amount)", "distinct(deviceId)"),
            new WindowConfig().name("device_10m").key("device").kind("sliding").size("10m").step("1m")
                .events("order", "activity").metrics("count", "distinct(userId)")));
    }

    /** Runs the events through a fresh aggregator; returns every output byte, plus query results folded in. */
    private static byte[] run(final long seed, final int events, final long[] stateHashes) {
        final WindowAggregator aggregator = new WindowAggregator(specs());
        final RandomEvents source = new RandomEvents(seed, 2_000, 20, 500, 0.05);
        final ExpandableArrayBuffer in = new ExpandableArrayBuffer(1024);
        final OutputBuffer out = new OutputBuffer(1024);
        final ByteArrayOutputStream all = new ByteArrayOutputStream();
        final SlidingWindow users = aggregator.sliding("user_1h");
        final WindowView view = new WindowView();
        for (int i = 0; i < events; i++) {
            source.next(in, 0);
            out.reset();
            aggregator.onEvent(i, in, 0, out);
            all.write(out.buffer().byteArray(), 0, out.length());
            if (i % 100 == 0) {
                users.query(users.keyHash(in, 0), i, view);
                all.writeBytes(longBytes(view.count() * 31 + view.sum() + view.distinct(0)));
            }
            if (i % (events / stateHashes.length) == 0) {
                stateHashes[i / (events / stateHashes.length)] = aggregator.stateHash();
            }
        }
        out.reset();
        aggregator.flush(events, out);
        all.write(out.buffer().byteArray(), 0, out.length());
        all.writeBytes(longBytes(aggregator.lateCount("gmv_by_country_1h")));
        all.writeBytes(longBytes(aggregator.keysDropped("country_user_15m")));
        assertTrue(aggregator.lateCount("gmv_by_country_1h") > 0, "the stream has late events");
        assertTrue(aggregator.keysDropped("country_user_15m") > 0, "the stream overflows maxKeys");
        return all.toByteArray();
    }

    private static byte[] longBytes(final long v) {
        return new byte[] {(byte) v, (byte) (v >> 8), (byte) (v >> 16), (byte) (v >> 24), (byte) (v >> 32), (byte) (v >> 40),
            (byte) (v >> 48), (byte) (v >> 56)};
    }

    @Test
    void shouldProduceIdenticalOutputBytesAndStateHashesForTheSameEvents() {
        final long[] hashesA = new long[8];
        final long[] hashesB = new long[8];
        final byte[] a = run(42, 200_000, hashesA);
        final byte[] b = run(42, 200_000, hashesB);
        assertTrue(a.length > 1_000_000, "a meaningful amount of output: " + a.length);
        assertEquals(a.length, b.length);
        assertArrayEquals(a, b);
        assertArrayEquals(hashesA, hashesB);

        final long[] hashesC = new long[8];
        final byte[] c = run(43, 200_000, hashesC);
        assertNotEquals(hashesA[7], hashesC[7], "the state hash sees different state");
        assertTrue(c.length != a.length || !java.util.Arrays.equals(a, c));
    }
}
