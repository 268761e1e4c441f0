package io.ringfence.tools.fraud;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link Selection}: train and evaluate pick complementary sets; bad options are refused with messages that say why. */
class SelectionTest {
    private static final long DAY = 86_400L * 1_000_000L;
    /** 2015-03-01T00:00:00Z in epoch seconds (Python: datetime(2015,3,1,tzinfo=utc).timestamp()). */
    private static final long MARCH_1_2015 = 1_425_168_000L;

    @Test
    void shouldSplitUsersByHoldoutIntoComplementaryDisjointSets() {
        final Selection train = Selection.holdout(0.3, false);
        final Selection eval = Selection.holdout(0.3, true);
        int held = 0;
        for (int i = 0; i < 20_000; i++) {
            final String user = "user-" + i;
            final boolean t = train.selects(user, i);
            final boolean e = eval.selects(user, i);
            assertNotEquals(t, e, user + " must be in exactly one of train and evaluate");
            assertEquals(UserBucket.of(user) < 0.3, e, user);
            // every order of a user lands on the same side, whatever its time
            assertEquals(e, eval.selects(user, Long.MAX_VALUE / 2 - i));
            held += e ? 1 : 0;
        }
        assertEquals(0.3, held / 20_000.0, 0.015);
        assertTrue(Selection.all().selects("anyone", 0));
        assertTrue(eval.describe().contains("held-out users"), eval.describe());
    }

    @Test
    void shouldCutAtAnIsoInstantWithTheInstantItselfOnTheEvaluationSide() {
        final long cut = (MARCH_1_2015 + 3_600) * 1_000_000L;
        final Selection until = Selection.time("2015-03-01T01:00:00Z", false);
        final Selection from = Selection.time("2015-03-01T01:00:00Z", true);
        assertEquals(cut, until.cutMicros());
        assertEquals(cut, from.cutMicros());
        for (final long t : new long[]{cut - DAY, cut - 1, cut, cut + 1, cut + DAY}) {
            assertNotEquals(until.selects("u", t), from.selects("u", t), "time " + t);
            assertEquals(t >= cut, from.selects("u", t), "time " + t);
        }
    }

    @Test
    void shouldReadADateAsMidnightUtc() {
        final Selection until = Selection.time("2015-03-01", false);
        final Selection from = Selection.time(" 2015-03-01 ", true);
        assertEquals(MARCH_1_2015 * 1_000_000L, until.cutMicros());
        assertEquals(MARCH_1_2015 * 1_000_000L, from.cutMicros());
        final long midnight = MARCH_1_2015 * 1_000_000L;
        assertTrue(until.selects("u", midnight - 1));
        assertTrue(!until.selects("u", midnight) && from.selects("u", midnight));
        assertTrue(!from.selects("u", midnight - 1));
    }

    @Test
    void shouldCutSeventyPercentOfDistinctTimesBeforeThePercentPoint() {
        final Random random = new Random(11);
        for (final int n : new int[]{1, 2, 3, 10, 99, 1_000, 4_321}) {
            // distinct shuffled times, with junk after `count` (ScoredEvents.times() is its whole buffer)
            final long[] times = new long[n + 17];
            for (int i = 0; i < n; i++) {
                times[i] = MARCH_1_2015 * 1_000_000L + i * 60_000_000L + random.nextInt(1_000);
            }
            for (int i = n - 1; i > 0; i--) {
                final int j = random.nextInt(i + 1);
                final long x = times[i];
                times[i] = times[j];
                times[j] = x;
            }
            for (int i = n; i < times.length; i++) {
                times[i] = Long.MIN_VALUE + i;
            }
            final Selection until = Selection.time("70%", false);
            final Selection from = Selection.time("70%", true);
            until.resolve(times, n);
            from.resolve(times, n);
            assertEquals(until.cutMicros(), from.cutMicros());
            int before = 0;
            for (int i = 0; i < n; i++) {
                assertNotEquals(until.selects("u", times[i]), from.selects("u", times[i]));
                before += until.selects("u", times[i]) ? 1 : 0;
            }
            assertEquals(0.7 * n, before, 1.0, "n = " + n);
            assertTrue(from.describe().contains("70%"), from.describe());
        }
    }

    @Test
    void shouldLeaveTheCutOfAnInstantAloneOnResolve() {
        final Selection from = Selection.time("2015-03-01", true);
        from.resolve(new long[]{1, 2, 3}, 3);
        assertEquals(MARCH_1_2015 * 1_000_000L, from.cutMicros());
    }

    @Test
    void shouldRefuseHoldoutsOutsideTheOpenUnitInterval() {
        for (final double f : new double[]{0, 1, 1.5, -0.3, Double.NaN}) {
            final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Selection.holdout(f, true));
            assertTrue(e.getMessage().contains("--holdout must be above 0 and below 1"), e.getMessage());
        }
    }

    @Test
    void shouldRefuseTimesThatAreNeitherInstantsDatesNorShares() {
        assertRefused("abc", false, "--until 'abc' is not a time");
        assertRefused("2015-13-01", true, "--from '2015-13-01' is not a valid date");
        assertRefused("2015-02-30", true, "--from '2015-02-30' is not a valid date");
        assertRefused("150%", false, "--until '150%': the percentage must be above 0 and below 100");
        assertRefused("0%", true, "--from '0%': the percentage must be above 0 and below 100");
        assertRefused("100%", true, "--from '100%': the percentage must be above 0 and below 100");
        assertRefused("x%", false, "--until 'x%': not a percentage");
        assertRefused("%", false, "--until '%': not a percentage");
    }

    private static void assertRefused(final String spec, final boolean evaluation, final String expected) {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Selection.time(spec, evaluation), spec);
        assertTrue(e.getMessage().startsWith(expected), "message for '" + spec + "': " + e.getMessage());
    }
}
