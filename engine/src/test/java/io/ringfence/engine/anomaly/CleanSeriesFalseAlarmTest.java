package io.ringfence.engine.anomaly;

import org.junit.jupiter.api.Test;

import java.util.Locale;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * False alarms of the count defaults on clean seeded Poisson series (no anomaly at all): flat
 * rates of 1, 5 and 20 orders an hour and the daily/weekly profile of {@link AnomalyOutageTest},
 * 12 weeks, counted after the warm-up. A measurement with a regression ceiling, not the target:
 * an audit found 1.25-2.4 alarms a week on such series (issue 7 asks for at most 1), here 1.0-3.7.
 * Two causes, both measured (session 28): the weekly season's 168 indices come from few noisy
 * counts (an hour with 0 in its first week expects 0.2 where 5 come), and the signed root deviance
 * overstates small counts' tails (0 where 5 are expected scores -3.16, exact tail -2.47). A
 * continuity correction (and the mean of the first seasons for each index) took these figures to
 * 2.0 / 0.8 / 0.6 / 1.4 and Online Retail's false alarms down 28 % for 6 % of detections, but broke
 * the outage rules tuned on the uncorrected scores (a 12-hour outage after a burst ENDED while no
 * order came): not taken until those are tuned again.
 */
class CleanSeriesFalseAlarmTest {
    private static final long HOUR = 3_600_000_000L;
    private static final long START = 1_323_043_200_000_000L;
    private static final int WEEKS = 12;
    private static final int SEEDS = 8;

    static double falseAlarmsPerWeek(final AnomalySpec spec, final java.util.function.IntToDoubleFunction rate) {
        int alarms = 0;
        double weeks = 0;
        final long warm = (long) spec.warmupSeasons() * spec.seasonLength();
        for (long seed = 1; seed <= SEEDS; seed++) {
            final Random random = new Random(seed * 7919);
            final AnomalyDetector d = new AnomalyDetector(spec);
            final int hours = WEEKS * 168;
            for (int t = 0; t < hours; t++) {
                final AnomalyResult r = d.observe(START + t * HOUR, AnomalyOutageTest.poisson(random, rate.applyAsDouble(t)));
                alarms += r.status() == AnomalyResult.Status.STARTED ? 1 : 0;
            }
            weeks += (hours - warm) / 168.0;
        }
        return alarms / weeks;
    }

    @Test
    void shouldKeepFalseAlarmsOnCleanCountSeriesUnderTheirMeasuredCeiling() {
        final AnomalySpec spec = AnomalySpec.from(new AnomalyConfig(), "a", AnomalySpec.Values.COUNTS);
        final StringBuilder line = new StringBuilder("clean Poisson series, count defaults, FA/week:");
        double worst = 0;
        for (final double flat : new double[] {1, 5, 20}) {
            final double fa = falseAlarmsPerWeek(spec, t -> flat);
            line.append(String.format(Locale.ROOT, " flat %.0f/h %.2f;", flat, fa));
            worst = Math.max(worst, fa);
        }
        final double profiled = falseAlarmsPerWeek(spec, AnomalyOutageTest::mean);
        line.append(String.format(Locale.ROOT, " daily profile 2-10/h %.2f", profiled));
        worst = Math.max(worst, profiled);
        System.out.println(line);
        assertTrue(worst <= 4.0, "regression ceiling (the target, 1 a week, is not met below 20 an hour): " + line);
    }
}
