package io.ringfence.engine;

import io.ringfence.engine.config.EngineConfig;
import io.ringfence.engine.config.EngineConfigLoader;
import io.ringfence.engine.output.OutputBuffer;
import io.ringfence.engine.snapshot.StateReader;
import io.ringfence.engine.snapshot.StateWriter;
import io.ringfence.engine.trending.PushEvents;
import io.ringfence.engine.trending.PushTraffic;
import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Trending lists and cart promotions survive a snapshot: snapshot at several points, restore into
 * a fresh engine logic, continue, and the outputs (every byte, every event) and the state hash
 * equal those of uninterrupted processing; and two runs of the same events are identical.
 */
class PushStagesSnapshotTest {
    private static final int EVENTS = 6_000;

    private static EngineConfig config() {
        final EngineConfig config = EngineConfigLoader.defaults();
        config.trending.size = "10m";
        config.trending.step = "1m";
        config.trending.minInterval = "10s";
        config.trending.k = 3;
        config.trending.maxCategories = 6;   // of 8 (plus unknown): drops happen
        config.trending.maxSkusPerCategory = 4;   // full categories: their least skus are replaced
        config.trending.maxSkus = 100;
        config.trending.skuTtl = "20m";
        config.carts.delay = "5m";
        config.carts.idleTtl = "30m";
        config.carts.maxCarts = 20;          // of 60 users: drops happen
        config.carts.maxItemsPerCart = 3;
        return config;
    }

    private static EngineLogic logic() {
        final EngineConfig c = config();
        return new EngineLogic(BusinessSpec.of(c), null);
    }

    /** Per event, the output bytes. */
    private static void run(final EngineLogic logic, final List<byte[]> encoded, final int from, final int to, final List<byte[]> outputs) {
        final OutputBuffer out = new OutputBuffer(4096);
        final ExpandableArrayBuffer in = new ExpandableArrayBuffer(1024);
        for (int i = from; i < to; i++) {
            in.putBytes(0, encoded.get(i));
            out.reset();
            logic.onEvent(i + 1, 1_000L * i, in, 0, encoded.get(i).length, out);
            final byte[] bytes = new byte[out.length()];
            out.buffer().getBytes(0, bytes);
            outputs.add(bytes);
        }
    }

    private static List<byte[]> encode() {
        final PushEvents events = new PushEvents();
        final List<byte[]> encoded = new ArrayList<>();
        for (final String line : PushTraffic.lines(5, EVENTS, 60)) {
            encoded.add(events.bytes(line));
        }
        return encoded;
    }

    @Test
    void shouldContinueFromASnapshotExactlyAsWithoutOne() {
        final List<byte[]> encoded = encode();
        final EngineLogic whole = logic();
        final List<byte[]> expected = new ArrayList<>();
        run(whole, encoded, 0, EVENTS, expected);
        assertTrue(whole.trending().pushes() > 200, "trending pushes: " + whole.trending().pushes());
        assertTrue(whole.carts().pushes() > 50, "cart promotions: " + whole.carts().pushes());
        assertTrue(whole.carts().cartsDropped() > 0 && whole.carts().idleEvicted() > 0 && whole.carts().ordersClosing() > 0,
            "carts dropped " + whole.carts().cartsDropped() + ", idle " + whole.carts().idleEvicted() + ", ordered " + whole.carts().ordersClosing());
        assertTrue(whole.trending().counter("sales", "droppedCategories") > 0);
        assertTrue(whole.trending().counter("sales", "replacedSkus") > 0, "full categories' least skus replaced");

        for (final int cut : new int[] {1, 777, 2_500, 5_999}) {
            final EngineLogic first = logic();
            final List<byte[]> outputs = new ArrayList<>();
            run(first, encoded, 0, cut, outputs);
            final StateWriter w = new StateWriter(1 << 16);
            first.writeState(w);
            final ByteBuffer bytes = ByteBuffer.allocate(w.position());
            w.buffer().getBytes(0, bytes, w.position());
            bytes.flip();
            final EngineLogic restored = logic();
            restored.readState(new StateReader(bytes));
            assertEquals(first.stateHash(), restored.stateHash(), "restored state at " + cut);
            run(restored, encoded, cut, EVENTS, outputs);
            for (int i = 0; i < EVENTS; i++) {
                assertArrayEquals(expected.get(i), outputs.get(i), "outputs of event " + (i + 1) + " after a snapshot at " + cut);
            }
            assertEquals(whole.stateHash(), restored.stateHash(), "final state after a snapshot at " + cut);
        }
    }

    @Test
    void shouldGiveTheSameOutputsAndStateOnEveryRunAndHashEveryChange() {
        final List<byte[]> encoded = encode();
        final EngineLogic a = logic();
        final EngineLogic b = logic();
        final List<byte[]> outA = new ArrayList<>();
        final List<byte[]> outB = new ArrayList<>();
        run(a, encoded, 0, EVENTS, outA);
        run(b, encoded, 0, EVENTS, outB);
        for (int i = 0; i < EVENTS; i++) {
            assertArrayEquals(outA.get(i), outB.get(i), "outputs of event " + (i + 1));
        }
        assertEquals(a.stateHash(), b.stateHash());

        final PushEvents events = new PushEvents();
        final long carts = a.carts().stateHash();
        final long trending = a.trending().stateHash();
        final List<byte[]> more = List.of(events.bytes(PushEvents.activity(200_000, "u-new", "ADD_TO_CART", "sku-1")));
        run(a, more, 0, 1, new ArrayList<>());
        assertNotEquals(carts, a.carts().stateHash(), "a new cart changes the carts' hash");
        final List<byte[]> view = List.of(events.bytes(PushEvents.activity(200_001, "u-new", "VIEW", "sku-1")));
        run(a, view, 0, 1, new ArrayList<>());
        assertNotEquals(trending, a.trending().stateHash(), "a view changes the trending hash");
    }
}
