package io.ringfence.engine.fraud;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The running totals of {@link VelocityBuckets} against a naive model: an update at bucket b is
 * kept iff b is within the horizon of the newest bucket N seen so far (b > N − n), and a query at
 * bucket c counts the kept updates numbered in (max(c, N) − n, c]. Random times: mostly forward
 * in small and large steps, some late.
 */
class VelocityBucketsTest {
    @Test
    void shouldMatchTheNaiveSumsForRandomForwardAndLateEvents() {
        final SplittableRandom random = new SplittableRandom(3);
        final VelocityBuckets velocity = new VelocityBuckets(true);
        velocity.grow(4);
        velocity.clear(2);
        final BucketClock clock = new BucketClock();
        final int[] newest = {Integer.MIN_VALUE, Integer.MIN_VALUE, Integer.MIN_VALUE};
        final List<List<long[]>> keptPerHorizon = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        final double[] v = new double[12];
        long t = FraudEvents.T0;
        for (int i = 0; i < 20_000; i++) {
            final int step = random.nextInt(10);
            if (step < 6) {
                t += random.nextLong(20_000_000L);
            } else if (step < 8) {
                t += random.nextLong(4 * 3_600_000_000L);
            }
            final long at = step == 9 ? t - random.nextLong(26 * 3_600_000_000L) : t;
            clock.set(at);
            velocity.queryOrders(2, clock, v, 0);
            velocity.queryPayments(2, clock, v, 6);
            for (int h = 0; h < Horizon.COUNT; h++) {
                final int c = clock.bucket[h];
                final int n = Horizon.BUCKETS[h];
                final long lo = Math.max((long) c, newest[h]) - n;
                long count = 0;
                long sum = 0;
                long failed = 0;
                for (final long[] e : keptPerHorizon.get(h)) {
                    final int b = Horizon.bucket(h, e[0]);
                    if (b > lo && b <= c) {
                        count++;
                        sum += e[1];
                        failed += e[2];
                    }
                }
                assertEquals(count, v[2 * h], "orders, horizon " + h + ", event " + i);
                assertEquals(sum, v[2 * h + 1], "amount, horizon " + h + ", event " + i);
                assertEquals(count, v[6 + 2 * h], "payments, horizon " + h + ", event " + i);
                assertEquals(failed, v[6 + 2 * h + 1], "failed, horizon " + h + ", event " + i);
            }
            final long amount = 1 + random.nextInt(1000);
            final boolean isFailed = random.nextBoolean();
            velocity.addOrder(2, clock, amount);
            velocity.addPayment(2, clock, isFailed);
            for (int h = 0; h < Horizon.COUNT; h++) {
                final int b = clock.bucket[h];
                if (newest[h] == Integer.MIN_VALUE || b > (long) newest[h] - Horizon.BUCKETS[h]) {
                    keptPerHorizon.get(h).add(new long[] {at, amount, isFailed ? 1 : 0});
                    newest[h] = Math.max(newest[h], b);
                }
            }
        }
    }

    @Test
    void shouldGiveTheSameValuesAndStateQueryingAndAddingInOnePass() {
        final SplittableRandom random = new SplittableRandom(5);
        final VelocityBuckets apart = new VelocityBuckets(true, 3);
        final VelocityBuckets fused = new VelocityBuckets(true, 3);
        apart.grow(2);
        fused.grow(2);
        apart.clear(1);
        fused.clear(1);
        final BucketClock clock = new BucketClock();
        final double[] expected = new double[12];
        final double[] actual = new double[12];
        long t = FraudEvents.T0;
        for (int i = 0; i < 50_000; i++) {
            final int step = random.nextInt(10);
            if (step < 6) {
                t += random.nextLong(20_000_000L);
            } else if (step < 8) {
                t += random.nextLong(4 * 3_600_000_000L);
            }
            clock.set(step == 9 ? t - random.nextLong(26 * 3_600_000_000L) : t);
            apart.queryOrders(1, clock, expected, 0);
            apart.queryPayments(1, clock, expected, 6);
            final boolean isFailed = random.nextBoolean();
            final long amount = 1 + random.nextInt(1000);
            if (random.nextBoolean()) {
                apart.addOrder(1, clock, amount);
                fused.queryAndAddOrder(1, clock, actual, 0, 6, amount);
            } else {
                apart.addPayment(1, clock, isFailed);
                fused.queryAndAddPayment(1, clock, actual, 0, 6, isFailed);
            }
            assertArrayEquals(expected, actual, "event " + i);
            assertEquals(apart.hash(1, 0), fused.hash(1, 0), "state after event " + i);
        }
    }

    /**
     * A block as the earlier layout left it (every ring position holding its live bucket, the ones
     * not written since numbered in the window and empty), which snapshots written before stale
     * buckets were kept still hold, gives the same values from then on as the block it came from.
     */
    @Test
    void shouldGiveTheSameValuesFromABlockInTheEarlierLayout() {
        final SplittableRandom random = new SplittableRandom(7);
        final VelocityBuckets lazy = new VelocityBuckets(true);
        final VelocityBuckets strict = new VelocityBuckets(true);
        lazy.grow(1);
        strict.grow(1);
        lazy.clear(0);
        strict.clear(0);
        final BucketClock clock = new BucketClock();
        final double[] expected = new double[12];
        final double[] actual = new double[12];
        long t = FraudEvents.T0;
        int rewritten = 0;
        for (int i = 0; i < 50_000; i++) {
            final int step = random.nextInt(10);
            if (step < 6) {
                t += random.nextLong(20_000_000L);
            } else if (step < 8) {
                t += random.nextLong(4 * 3_600_000_000L);
            }
            clock.set(step == 9 ? t - random.nextLong(26 * 3_600_000_000L) : t);
            if (i % 97 == 0) {
                System.arraycopy(lazy.page(0), 0, strict.page(0), 0, lazy.stride());
                rewritten += toEarlierLayout(strict.page(0));
            }
            final long amount = 1 + random.nextInt(1000);
            if (random.nextBoolean()) {
                lazy.queryAndAddOrder(0, clock, expected, 0, 6, amount);
                strict.queryAndAddOrder(0, clock, actual, 0, 6, amount);
            } else {
                final boolean isFailed = random.nextBoolean();
                lazy.queryAndAddPayment(0, clock, expected, 0, 6, isFailed);
                strict.queryAndAddPayment(0, clock, actual, 0, 6, isFailed);
            }
            assertArrayEquals(expected, actual, "event " + i);
        }
        assertTrue(rewritten > 1_000, "stale buckets were rewritten: " + rewritten);
    }

    /** Rewrites every stale bucket of a header-less payments block as the earlier layout had it; returns how many. */
    private static int toEarlierLayout(final long[] d) {
        int rewritten = 0;
        for (int h = 0; h < Horizon.COUNT; h++) {
            final int n = Horizon.BUCKETS[h];
            final long newest = d[3 * h] >> 32;
            if (newest == Integer.MIN_VALUE) {
                continue;
            }
            for (int p = 0; p < n; p++) {
                final int k = 3 * (Horizon.COUNT + Horizon.BASE[h] + p);
                final long live = newest - Math.floorMod(newest - p, n); // the number in (newest - n, newest] at position p
                if ((d[k] >> 32) != live) {
                    d[k] = live << 32;
                    d[k + 1] = 0;
                    d[k + 2] = 0;
                    rewritten++;
                }
            }
        }
        return rewritten;
    }
}
