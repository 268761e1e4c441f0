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

    /** Expected orders in hour t: 2 at night to 10 in the afternoon. */
    static double mean(final int t) {
        return profile(t, 6.0, 4.0);
    }

    /** A deep night trough: 0.5 at night (0.35 at weekends) to 9.5 in the afternoon (the pushes trial's France). */
    static double trough(final int t) {
        return profile(t, 5.0, 4.5);
    }

    private static double profile(final int t, final double level, final double swing) {
        final int hour = t % 24;
        final int day = (t / 24) % 7;
        final double daily = level + swing * Math.sin(2 * Math.PI * (hour - 8) / 24.0);
        return Math.max(0.3, daily * (day >= 5 ? 0.7 : 1.0));
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
        return run(spec, random, 24 * 7 * 3 + random.nextInt(24 * 7), hours, outageHours, 0.0, AnomalyOutageTest::mean);
    }

    /**
     * Orders from {@code rate}, times {@code factor} for {@code outageHours} from {@code from} (0: an outage) when
     * {@code hours} &gt; 0; the same orders without it when {@code hours} is 0.
     */
    static Outcome run(final AnomalySpec spec, final Random random, final int from, final int hours, final int outageHours,
                       final double factor, final java.util.function.IntToDoubleFunction rate) {
        final int to = from + outageHours;
        final AnomalyDetector d = new AnomalyDetector(spec);
        boolean started = false;
        boolean ended = false;
        int after = 0;
        for (int t = 0; t < to + 24; t++) {
            final int drawn = poisson(random, rate.applyAsDouble(t)); // drawn either way: runs with and without it see the same orders
            final boolean out = t >= from && t < to && hours > 0;
            final AnomalyResult r = d.observe(START + t * HOUR, out ? Math.round(drawn * factor) : drawn);
            started |= out && r.status() == AnomalyResult.Status.STARTED;
            ended |= out && r.status() == AnomalyResult.Status.ENDED && r.anomalyStart() >= from; // not one of before it
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
    void shouldNotEndAnOutageOnZerosWhereTheNightsForecastIsAFractionOfAnOrder() {
        // pushes trial: a 24-hour outage from 20:00 of a series with 0.9 orders an hour at night ENDED at 05:00 with zero
        // orders (the night hours' forecast was 0.03-0.2 orders: three zeros were quiet), and the orders' return at 20:00
        // the next day raised a false spike; outages starting in the evening, on a deep-trough series, 12 seeds each
        final AnomalySpec spec = counts(new AnomalyConfig());
        for (final int hours : new int[] {12, 24, 30}) {
            int started = 0;
            int endedDuring = 0;
            for (long seed = 1; seed <= SEEDS; seed++) {
                final Random random = new Random(seed);
                final int from = 24 * 7 * 3 + 24 * random.nextInt(5) + 18 + random.nextInt(4); // a weekday, 18:00 to 21:00
                final Outcome o = run(spec, random, from, hours, hours, 0.0, AnomalyOutageTest::trough);
                started += o.started() ? 1 : 0;
                endedDuring += o.endedDuring() ? 1 : 0;
            }
            System.out.println("evening outage of " + hours + " h on the deep-trough series: started " + started + ", ended during it " + endedDuring);
            assertTrue(started >= SEEDS - 2, hours + " h: started " + started);
            assertEquals(0, endedDuring, hours + " h: ended while no order came");
        }
    }

    @Test
    void shouldHoldAnOutageThatFollowsABurstAsADrop() {
        // review: an anomaly decided a drop only at its start, so a burst of retries (+40 orders in an hour) just before
        // an outage started a rise, and the outage in it got neither the hold nor the drop's end rules: ended during a
        // 12 h outage in 8 of 12 runs (24 h: 12 of 12), 13 and 17 alerts after it
        final AnomalySpec spec = counts(new AnomalyConfig());
        for (final int hours : new int[] {12, 24}) {
            int started = 0;
            int endedDuring = 0;
            int after = 0;
            int afterWithout = 0;
            for (long seed = 1; seed <= SEEDS; seed++) {
                final Outcome o = burstThenOutage(spec, seed, hours, true);
                started += o.started() ? 1 : 0;
                endedDuring += o.endedDuring() ? 1 : 0;
                after += o.startsAfter();
                afterWithout += burstThenOutage(spec, seed, hours, false).startsAfter();
            }
            System.out.println("a burst, then an outage of " + hours + " h: a drop started during it " + started + ", ended during it "
                + endedDuring + ", alerts in the 24 h after it " + after + " (without burst and outage: " + afterWithout + ")");
            // review: the outage must be alerted, not only held: the rise's anomaly gives way to a drop, STARTED
            assertTrue(started >= SEEDS - 2, hours + " h after a burst: a drop alerted in " + started);
            assertEquals(0, endedDuring, hours + " h after a burst: ended while no order came");
            assertTrue(after <= afterWithout + 2, hours + " h after a burst: alerts after " + after + ", without " + afterWithout);
        }
    }

    /** The seeded traffic with one hour of 40 more orders just before an outage of {@code hours} (or neither). */
    private static Outcome burstThenOutage(final AnomalySpec spec, final long seed, final int hours, final boolean inject) {
        final Random random = new Random(seed);
        final int from = 24 * 7 * 3 + random.nextInt(24 * 7);
        final AnomalyDetector d = new AnomalyDetector(spec);
        boolean started = false;
        boolean ended = false;
        long start = -1;
        int after = 0;
        for (int t = 0; t < from + hours + 24; t++) {
            final int drawn = poisson(random, mean(t));
            final boolean out = inject && t >= from && t < from + hours;
            final AnomalyResult r = d.observe(START + t * HOUR, out ? 0 : inject && t == from - 1 ? drawn + 40 : drawn);
            if (inject && t == from - 1 && r.status() == AnomalyResult.Status.STARTED) {
                start = r.anomalyStart();
            }
            started |= out && r.status() == AnomalyResult.Status.STARTED && r.alertScore() < 0;
            ended |= out && r.status() == AnomalyResult.Status.ENDED && (r.anomalyStart() >= from || r.anomalyStart() == start);
            after += t >= from + hours && r.status() == AnomalyResult.Status.STARTED ? 1 : 0;
        }
        return new Outcome(started, ended, after);
    }

    @Test
    void shouldEndTheDropOfAKeyThatStopsForGoodWithinASeasonSoThatItCanBeForgotten() {
        // review: zeros that never end a drop kept a key that stopped for good in anomaly for ever: never evicted as idle,
        // a maxSeries slot held, no alert possible for it again; its zeros are neutral for a season only
        for (final String forecast : new String[] {"holt-winters", "seasonal-mean"}) {
            final AnomalySpec spec = counts(new AnomalyConfig().forecast(forecast));
            int ended = 0;
            long latest = 0;
            for (long seed = 1; seed <= SEEDS; seed++) {
                final Random random = new Random(seed);
                final int stop = 24 * 7 * 3 + random.nextInt(24 * 7);
                final AnomalyDetector d = new AnomalyDetector(spec);
                long endedAt = -1;
                // Holt-Winters learns the silence after the hold; the seasonal mean a phase a season, over its seasonWindow
                final int seasons = forecast.equals("holt-winters") ? 2 : spec.seasonWindow() + 2;
                for (int t = 0; t < stop + seasons * spec.seasonLength() && endedAt < 0; t++) {
                    final int drawn = poisson(random, mean(t));
                    final AnomalyResult r = d.observe(START + t * HOUR, t >= stop ? 0 : drawn);
                    if (t >= stop && r.status() == AnomalyResult.Status.ENDED && r.anomalyStart() >= stop) {
                        endedAt = t;
                    }
                }
                ended += endedAt >= 0 ? 1 : 0;
                latest = Math.max(latest, endedAt - stop);
                assertTrue(endedAt < 0 || endedAt >= stop + 24, forecast + ": ended " + (endedAt - stop) + " h after the stop, in its first day");
            }
            System.out.println(forecast + ": a key that stops for good: its drop ended in " + ended + " of " + SEEDS + ", at most " + latest + " h after");
            assertTrue(ended >= SEEDS - 1, forecast + ": ended in " + ended);
        }
    }

    @Test
    void shouldLearnAFallThatOutlastsTheHoldAsTheNewLevel() {
        // a fall to a third that lasts three days is learned after the first day, and ends at its new level (a bounded
        // hold: a series that really fell does not stay in anomaly for ever); an outage (zeros) stays open until orders come
        int started = 0;
        int endedDuring = 0;
        for (long seed = 1; seed <= SEEDS; seed++) {
            final Random random = new Random(seed);
            final Outcome o = run(counts(new AnomalyConfig()), random, 24 * 7 * 3 + random.nextInt(24 * 7), 72, 72, 0.3, AnomalyOutageTest::mean);
            started += o.started() ? 1 : 0;
            endedDuring += o.endedDuring() ? 1 : 0;
        }
        assertTrue(started >= SEEDS - 2, "a fall to 30 % started " + started);
        assertTrue(endedDuring >= started - 1, "a 72 h fall to 30 % ended as the new level in " + endedDuring + " of " + started);
    }

    @Test
    void shouldLearnAFallAsItComesWithoutTheHold() {
        // holdIntervals: 0 learns a fall as it comes, as before the hold: a day at a fifth ends at that level within it
        final int[] endedDuring = new int[2];
        for (final int hold : new int[] {0, 24}) {
            for (long seed = 1; seed <= SEEDS; seed++) {
                final Random random = new Random(seed);
                final Outcome o = run(counts(new AnomalyConfig().holdIntervals(hold)), random, 24 * 7 * 3 + random.nextInt(24 * 7), 24, 24,
                    0.2, AnomalyOutageTest::mean);
                endedDuring[hold == 0 ? 0 : 1] += o.endedDuring() ? 1 : 0;
            }
        }
        System.out.println("a day at a fifth: ended during it without the hold " + endedDuring[0] + ", with it " + endedDuring[1]);
        assertTrue(endedDuring[0] >= endedDuring[1] + SEEDS / 3, "without the hold " + endedDuring[0] + ", with it " + endedDuring[1]);
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
        final ByteBuffer bytes = w.contentCopy();
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

    @Test
    void shouldAlertASpikeThatComesWhileADropIsOpenAsANewAnomaly() {
        // audit: zero orders for 4 hours, then an hour of 5x the usual orders: the drop was STARTED and the spike,
        // ~10 sigmas above the band, passed as the drop's CONTINUING (the reverse order, a spike then a drop, gave two)
        final AnomalySpec spec = counts(new AnomalyConfig());
        int rises = 0;
        for (long seed = 1; seed <= SEEDS; seed++) {
            final Random random = new Random(seed);
            final int from = 24 * 7 * 3 + 24 * random.nextInt(5) + 10; // a weekday, 10:00, in the fourth week
            final int spikeAt = from + 4;
            final AnomalyDetector d = new AnomalyDetector(spec);
            boolean dropStarted = false;
            AnomalyResult.Status atSpike = null;
            double spikeScore = Double.NaN;
            for (int t = 0; t <= spikeAt; t++) {
                final int drawn = poisson(random, mean(t));
                final long y = t >= from && t < spikeAt ? 0 : t == spikeAt ? Math.round(5 * mean(t)) : drawn;
                final AnomalyResult r = d.observe(START + t * HOUR, y);
                dropStarted |= t >= from && t < spikeAt && r.status() == AnomalyResult.Status.STARTED && r.alertScore() < 0;
                if (t == spikeAt) {
                    atSpike = r.status();
                    spikeScore = r.alertScore();
                    assertTrue(d.inAnomaly(), "seed " + seed + ": the spike is an anomaly in progress");
                }
            }
            assertTrue(dropStarted, "seed " + seed + ": the outage started a drop");
            rises += atSpike == AnomalyResult.Status.STARTED && spikeScore > spec.k() ? 1 : 0;
        }
        assertEquals(SEEDS, rises, "spikes after an open drop alerted as new anomalies (rises)");
    }

    @Test
    void shouldNotTurnADropIntoARiseWhenOrdersReturnAfterAnOutageLongerThanTheHold() {
        // review: once the hold is over Holt-Winters learns the outage's zeros, so the first normal hours after a two-day
        // outage score far above the sunk forecast; that is the orders' return, not a spike, and must not switch the drop
        // into a rise (it did in 8 more alerts of 12 runs of 36 h): the switch fires only while the drop is still held
        final AnomalySpec spec = counts(new AnomalyConfig());
        for (final int hours : new int[] {36, 48}) {
            int switched = 0;
            for (long seed = 1; seed <= SEEDS; seed++) {
                final Random random = new Random(seed);
                final int from = 24 * 7 * 3 + random.nextInt(24 * 7);
                final int to = from + hours;
                final AnomalyDetector d = new AnomalyDetector(spec);
                for (int t = 0; t < to + 24; t++) {
                    final int drawn = poisson(random, mean(t));
                    final boolean wasInAnomaly = d.inAnomaly();
                    final AnomalyResult r = d.observe(START + t * HOUR, t >= from && t < to ? 0 : drawn);
                    switched += t >= to && wasInAnomaly && r.status() == AnomalyResult.Status.STARTED && r.alertScore() > 0 ? 1 : 0;
                }
            }
            assertEquals(0, switched, hours + " h: drops switched into rises by the orders' return");
        }
    }
}
