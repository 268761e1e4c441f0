package io.ringfence.engine.anomaly;

import io.ringfence.engine.snapshot.StateReader;
import io.ringfence.engine.snapshot.StateWriter;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Outages on seeded Poisson counts (~6 orders an hour on average, 2 at night, 10 in the
 * afternoon, less at weekends) with the count defaults (a weekly season of hours): an anomaly
 * that starts with an outage lasts while the outage lasts, and the return of the orders raises no
 * more alerts than the same hours without the outage. A re-trial found a 12-hour outage ENDED at
 * zero in 8 of 12 seeded runs, with false spikes after it: Holt-Winters learned the outage as the
 * new level, and three zeros in night hours where ~4 orders were expected in all passed for quiet.
 */
class AnomalyOutageTest {
    private static final long HOUR = 3_600_000_000L;
    /** 2011-12-05T00:00Z, a Monday. */
    private static final long START = 1_323_043_200_000_000L;
    private static final int SEEDS = 12;

    /** Expected orders in hour t. */
    static double mean(final int t) {
        final int hour = t % 24;
        final int day = (t / 24) % 7;
        final double daily = 6.0 + 4.0 * Math.sin(2 * Math.PI * (hour - 8) / 24.0);
        return Math.max(0.5, daily * (day >= 5 ? 0.7 : 1.0));
    }

    static int poisson(final Random random, final double m) {
        final double limit = Math.exp(-m);
        int n = 0;
        double p = random.nextDouble();
        while (p > limit) {
            n++;
            p *= random.nextDouble();
        }
        return n;
    }

    /** What one seeded run saw of an outage of {@code hours} (0: the same hours without it). */
    record Outcome(boolean started, boolean endedDuring, int startsAfter) {
    }

    /** An outage of {@code hours} somewhere in the fourth week (after two of warm-up), and the 24 hours after it. */
    static Outcome run(final AnomalySpec spec, final long seed, final int hours, final int outageHours) {
        final Random random = new Random(seed);
        final int from = 24 * 7 * 3 + random.nextInt(24 * 7);
        final int to = from + outageHours;
        final AnomalyDetector d = new AnomalyDetector(spec);
        boolean started = false;
        boolean ended = false;
        int after = 0;
        for (int t = 0; t < to + 24; t++) {
            final int drawn = poisson(random, mean(t)); // drawn either way: runs with and without the outage see the same orders
            final boolean out = t >= from && t < to && hours > 0;
            final AnomalyResult r = d.observe(START + t * HOUR, out ? 0 : drawn);
            started |= out && r.status() == AnomalyResult.Status.STARTED;
            ended |= out && r.status() == AnomalyResult.Status.ENDED;
            after += t >= to && r.status() == AnomalyResult.Status.STARTED ? 1 : 0;
        }
        return new Outcome(started, ended, after);
    }

    private static AnomalySpec counts(final AnomalyConfig c) {
        return AnomalySpec.from(c, "a", AnomalySpec.Values.COUNTS);
    }

    @Test
    void shouldLastAsLongAsAnOutageOfUpToADayAndRaiseNothingWhenOrdersReturn() {
        final AnomalySpec spec = counts(new AnomalyConfig());
        assertEquals(24, spec.holdIntervals());
        for (final int hours : new int[] {6, 12, 24}) {
            int started = 0;
            int endedDuring = 0;
            int after = 0;
            int afterWithout = 0;
            for (long seed = 1; seed <= SEEDS; seed++) {
                final Outcome o = run(spec, seed, hours, hours);
                started += o.started() ? 1 : 0;
                endedDuring += o.endedDuring() ? 1 : 0;
                after += o.startsAfter();
                afterWithout += run(spec, seed, 0, hours).startsAfter();
            }
            System.out.println("outage of " + hours + " h in " + SEEDS + " runs: started " + started + ", ended during it " + endedDuring
                + ", alerts in the 24 h after it " + after + " (the same hours without the outage: " + afterWithout + ")");
            assertTrue(started >= SEEDS - 1, hours + " h: started " + started);
            assertEquals(0, endedDuring, hours + " h: ended while no order came");
            assertTrue(after <= afterWithout + 1, hours + " h: alerts after the outage " + after + ", without it " + afterWithout);
        }
    }

    @Test
    void shouldLearnADropThatOutlastsTheHoldAsTheNewLevel() {
        // a fall that lasts three days is learned after the first day, and ends at its new level (a bounded hold:
        // a series that really fell does not stay in anomaly for ever)
        int endedDuring = 0;
        for (long seed = 1; seed <= SEEDS; seed++) {
            endedDuring += run(counts(new AnomalyConfig()), seed, 72, 72).endedDuring() ? 1 : 0;
        }
        assertTrue(endedDuring >= SEEDS - 1, "a 72 h drop ended as the new level in " + endedDuring);
    }

    @Test
    void shouldEndAnOutageAtZeroWithoutTheHold() {
        // holdIntervals: 0 learns the drop as it comes, as before the hold: the level sinks into a day-long outage
        int endedDuring = 0;
        for (long seed = 1; seed <= SEEDS; seed++) {
            endedDuring += run(counts(new AnomalyConfig().holdIntervals(0)), seed, 24, 24).endedDuring() ? 1 : 0;
        }
        assertTrue(endedDuring >= SEEDS / 2, "ended during a 24 h outage without the hold in " + endedDuring);
    }

    @Test
    void shouldContinueAHeldDropFromASnapshotExactlyLikeAnUninterruptedDetector() {
        // a snapshot in the middle of an outage: the restored detector knows the anomaly is a drop and how much of the hold is used
        final AnomalySpec spec = counts(new AnomalyConfig());
        final Random random = new Random(3);
        final int from = 24 * 7 * 3 + 10;
        final double[] y = new double[from + 48];
        for (int t = 0; t < y.length; t++) {
            final int drawn = poisson(random, mean(t));
            y[t] = t >= from && t < from + 30 ? 0 : drawn; // longer than the hold: the end of the hold is restored too
        }
        final AnomalyDetector whole = new AnomalyDetector(spec);
        final StringBuilder expected = new StringBuilder();
        for (int t = 0; t < y.length; t++) {
            expected.append(whole.observe(START + t * HOUR, y[t])).append('\n');
        }
        final int split = from + 8;
        final AnomalyDetector first = new AnomalyDetector(spec);
        final StringBuilder joined = new StringBuilder();
        for (int t = 0; t < split; t++) {
            joined.append(first.observe(START + t * HOUR, y[t])).append('\n');
        }
        assertTrue(first.inAnomaly(), "the outage is in progress at the snapshot");
        final StateWriter w = new StateWriter(1 << 14);
        first.writeState(w);
        final ByteBuffer bytes = w.buffer().byteBuffer().duplicate();
        bytes.limit(w.position()).position(0);
        final AnomalyDetector restored = new AnomalyDetector(spec);
        restored.readState(new StateReader(bytes));
        assertEquals(first.stateHash(), restored.stateHash());
        for (int t = split; t < y.length; t++) {
            joined.append(restored.observe(START + t * HOUR, y[t])).append('\n');
        }
        assertEquals(expected.toString(), joined.toString());
        assertEquals(whole.stateHash(), restored.stateHash());
    }
}
