package io.ringfence.engine.trending;

import io.ringfence.engine.model.Ids;
import io.ringfence.engine.output.OutputBuffer;
import io.ringfence.engine.snapshot.StateReader;
import io.ringfence.engine.snapshot.StateWriter;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The sales board's places in full categories against a plain model of the documented rule
 * (a new sku of a full category is admitted when its recent sales without a place exceed the least
 * estimate, own plus inherited counts, ties by the sku's hash, and takes that sku's place
 * inheriting its counts, Space-Saving on panes; inherited counts leave with their panes; a sku
 * whose own counts are all gone leaves): seeded orders over 600 skus in 4 categories of at most 40
 * places, a Zipf-like mix, event times mostly forward with some late. After every event each
 * sku's own count (or its absence) equals the model's; a board restored from a snapshot mid-way
 * goes on the same. The heap that finds the least is an optimisation the model does not have.
 */
class TrendingReplacementModelTest {
    private static final int PANES = 6;
    private static final long STEP_SECONDS = 60;
    private static final int PLACES = 40;
    private static final int SKUS = 600;
    private static final String[] CATEGORIES = {"c0", "c1", "c2", "c3"};

    private final PushEvents events = new PushEvents();

    private static TrendingSpec spec() {
        final TrendingConfig c = new TrendingConfig();
        c.size = "6m";
        c.step = "1m";
        c.k = 5;
        c.minInterval = "0s";
        c.maxSkusPerCategory = PLACES;
        return c.validate("trending");
    }

    /** The documented rule, written plainly: per category, sku -> own and inherited counts per pane. */
    private static final class Model {
        final Map<String, Map<String, long[][]>> categories = new HashMap<>();
        long currentPane = Long.MIN_VALUE;
        long now = Long.MIN_VALUE;
        long replaced;
        long refused;
        /** The admission filter's counts: the same sketch class (AdmissionSketchTest checks it on its own). */
        final AdmissionSketch recent = new AdmissionSketch(TrendBoard.sketchWidth(256, PLACES), PANES * STEP_SECONDS * 1_000_000L / 2);

        long nowMicros = Long.MIN_VALUE;

        void advance(final long seconds) {
            if (seconds <= now) {
                return;
            }
            now = seconds;
            nowMicros = PushEvents.T0 + seconds * PushEvents.SECOND;
            final long pane = Math.floorDiv(seconds, STEP_SECONDS);
            if (pane <= currentPane) {
                return;
            }
            if (currentPane != Long.MIN_VALUE) {
                final long expiring = Math.min(pane - currentPane, PANES);
                for (final Map<String, long[][]> skus : categories.values()) {
                    skus.values().removeIf(counts -> {
                        for (long q = 1; q <= expiring; q++) {
                            final int p = (int) Math.floorMod(currentPane + q, (long) PANES);
                            counts[0][p] = 0;
                            counts[1][p] = 0;
                        }
                        return sum(counts[0]) == 0;
                    });
                }
                categories.values().removeIf(Map::isEmpty);
            }
            currentPane = pane;
        }

        void add(final long seconds, final String category, final String sku, final long qty) {
            final long pane = Math.floorDiv(seconds, STEP_SECONDS);
            if (pane <= currentPane - PANES) {
                return; // late
            }
            final Map<String, long[][]> skus = categories.computeIfAbsent(category, c -> new LinkedHashMap<>());
            long[][] counts = skus.get(sku);
            if (counts == null) {
                counts = new long[2][PANES];
                if (skus.size() == PLACES) {
                    String least = null;
                    for (final Map.Entry<String, long[][]> e : skus.entrySet()) {
                        if (least == null || lessThan(e.getKey(), e.getValue(), least, skus.get(least))) {
                            least = e.getKey();
                        }
                    }
                    final long sales = recent.add(Ids.combine(Ids.hash(category), Ids.hash(sku)), qty, nowMicros);
                    final long[][] leastCounts = skus.get(least);
                    if (sales <= sum(leastCounts[0]) + sum(leastCounts[1])) {
                        refused++; // not admitted: no more recent sales than the least one's estimate
                        return;
                    }
                    final long[][] gone = skus.remove(least);
                    for (int p = 0; p < PANES; p++) {
                        counts[1][p] = gone[0][p] + gone[1][p];
                    }
                    replaced++;
                }
                skus.put(sku, counts);
            }
            counts[0][(int) Math.floorMod(pane, (long) PANES)] += qty;
        }

        private static boolean lessThan(final String a, final long[][] ca, final String b, final long[][] cb) {
            final long x = sum(ca[0]) + sum(ca[1]);
            final long y = sum(cb[0]) + sum(cb[1]);
            return x != y ? x < y : Ids.hash(a) < Ids.hash(b);
        }

        long count(final String category, final String sku) {
            final Map<String, long[][]> skus = categories.get(category);
            final long[][] counts = skus == null ? null : skus.get(sku);
            return counts == null ? -1 : sum(counts[0]);
        }

        private static long sum(final long[] a) {
            long s = 0;
            for (final long v : a) {
                s += v;
            }
            return s;
        }
    }

    @Test
    void shouldKeepTheSamePlacesAsThePlainRuleAcrossExpiryLateEventsAndASnapshot() {
        final Random random = new Random(20261204);
        final List<String> lines = new ArrayList<>();
        final List<long[]> times = new ArrayList<>();
        long t = 0;
        for (int i = 0; i < 6_000; i++) {
            t += random.nextInt(4);
            final long at = random.nextInt(20) == 0 ? t - random.nextInt(500) : t; // some late, some far too late
            final int lineCount = 1 + random.nextInt(3);
            final String[] items = new String[lineCount * 3];
            for (int l = 0; l < lineCount; l++) {
                // a Zipf-like mix: a few skus sell often, a long tail rarely
                final int sku = (int) Math.min(SKUS - 1, Math.floor(Math.pow(SKUS, random.nextDouble())) - 1);
                items[3 * l] = "sku-" + sku;
                items[3 * l + 1] = String.valueOf(1 + random.nextInt(3));
                items[3 * l + 2] = CATEGORIES[sku % CATEGORIES.length];
            }
            lines.add(PushEvents.order(Math.max(0, at), "u" + i, items));
            times.add(new long[] {Math.max(0, at)});
        }

        final Model model = new Model();
        TrendingStage stage = new TrendingStage(spec());
        final OutputBuffer out = new OutputBuffer(1 << 16);
        long checks = 0;
        for (int i = 0; i < lines.size(); i++) {
            if (i == 3_000) {
                stage = restored(stage);
            }
            out.reset();
            stage.onEvent(i + 1, events.encode(lines.get(i)), 0, false, out);
            final long at = times.get(i)[0];
            model.advance(at);
            final String[] parts = lines.get(i).split("\"sku\":\"");
            for (int l = 1; l < parts.length; l++) {
                final String sku = parts[l].substring(0, parts[l].indexOf('"'));
                final String rest = parts[l].substring(parts[l].indexOf("\"qty\":") + 6);
                final long qty = Long.parseLong(rest.substring(0, rest.indexOf(',')));
                final String category = rest.substring(rest.indexOf("\"category\":\"") + 12, rest.indexOf("\"}"));
                model.add(at, category, sku, qty);
            }
            for (int s = 0; s < SKUS; s++) {
                final String sku = "sku-" + s;
                final String category = CATEGORIES[s % CATEGORIES.length];
                assertEquals(model.count(category, sku), stage.salesCount(category, sku),
                    "own count of " + sku + " in " + category + " after event " + (i + 1));
                checks++;
            }
            assertEquals(model.replaced, stage.counter("sales", "replacedSkus"), "replacements after event " + (i + 1));
            assertEquals(model.refused, stage.counter("sales", "refusedSkus"), "sales not admitted after event " + (i + 1));
        }
        assertTrue(model.replaced > 500 && model.refused > 100, "full categories replaced " + model.replaced
            + " skus and did not admit " + model.refused + " sales");
        assertTrue(checks > 1_000_000);
    }

    private static TrendingStage restored(final TrendingStage stage) {
        final StateWriter w = new StateWriter(1 << 16);
        stage.writeState(w);
        final ByteBuffer bytes = ByteBuffer.allocate(w.position());
        w.buffer().getBytes(0, bytes, w.position());
        bytes.flip();
        final TrendingStage restored = new TrendingStage(spec());
        restored.readState(new StateReader(bytes));
        assertEquals(stage.stateHash(), restored.stateHash());
        return restored;
    }
}
