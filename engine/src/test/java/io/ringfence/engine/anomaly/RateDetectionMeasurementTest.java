package io.ringfence.engine.anomaly;

import io.ringfence.engine.config.EngineConfig;
import io.ringfence.engine.output.OutputBuffer;
import io.ringfence.engine.window.WindowAggregator;
import io.ringfence.engine.window.WindowSpec;
import io.ringfence.sbe.PaymentResult;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Detection quality of {@code rate(failed)} with the settings of {@code examples/rates.yaml}
 * (daily season, two days of warm-up, minCount 20), measured, not asserted by eye: 14 days of
 * hourly EUR payments whose volume follows the day (6 an hour at night, under minCount: gaps;
 * about 60 at the evening peak), each failing with probability 2 %; per run one change injected
 * at a seeded day hour (09:00-18:59, 30 to 60 payments an hour: night hours are gaps and cannot
 * show anything) after day 3: the rate ×3 (6 %) or at 10 % for 3 hours, or 30 % for 1 hour.
 * Both with a daily season (as the example) and without one.
 * Detected = a STARTED alert within 3 intervals of the change's first hour; false alarms = alerts
 * on the same runs without the change. The figures are printed (and in the README); the
 * assertions are loose bounds that would catch a broken detector.
 */
class RateDetectionMeasurementTest {
    private static final long HOUR = AnomalyTraffic.HOUR;
    private static final int DAYS = 14;
    private static final int RUNS = 20;

    private record Change(String name, double rate, int hours) {
    }

    private static EngineConfig config(final boolean daily, final String direction) {
        final AnomalyMonitorConfig m = new AnomalyMonitorConfig().name("failures").window(RateTraffic.PAYMENTS).metric("rate(failed)")
            .detector((daily ? new AnomalyConfig().seasonLength(24).warmupSeasons(2) : new AnomalyConfig().seasonLength(1).gamma(0.0).warmupSeasons(48))
                .direction(direction));
        final EngineConfig c = new EngineConfig();
        c.windows = new java.util.ArrayList<>(List.of(RateTraffic.paymentWindow()));
        c.anomalies = new java.util.ArrayList<>(List.of(m));
        return c;
    }

    /** Alert interval starts of one run; {@code changeHour} −1 for none. */
    private static List<Long> run(final boolean daily, final String direction, final long seed, final int changeHour, final Change change) {
        final EngineConfig c = config(daily, direction);
        final List<WindowSpec> specs = c.validate();
        final WindowAggregator windows = new WindowAggregator(specs);
        new AnomalyStage(c.anomalySpecs(specs), windows);
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[1024]);
        final OutputBuffer out = new OutputBuffer(4096);
        final List<Long> alerts = new java.util.ArrayList<>();
        final Random random = new Random(seed);
        long seq = 0;
        for (int h = 0; h < DAYS * 24; h++) {
            final int hourOfDay = h % 24;
            final int n = 6 + (int) Math.round(54 * Math.max(0, Math.sin(Math.PI * (hourOfDay - 6) / 16.0)));
            final double p = change != null && h >= changeHour && h < changeHour + change.hours() ? change.rate() : 0.02;
            for (int i = 0; i < n; i++) {
                final PaymentResult result = random.nextDouble() < p ? PaymentResult.DECLINED : PaymentResult.AUTHORIZED;
                final RateTraffic.Event e = RateTraffic.Event.payment(AnomalyTraffic.START + h * HOUR + i * (HOUR / n), result);
                RateTraffic.encode(e, (int) seq, buffer);
                out.reset();
                windows.onEvent(++seq, buffer, 0, out);
                for (final AnomalyTraffic.Alert a : AnomalyTraffic.alerts(out)) {
                    alerts.add(a.eventTime());
                }
            }
        }
        return alerts;
    }

    @Test
    void shouldMeasureDetectionAndFalseAlarmsOfPaymentFailureRates() {
        final StringBuilder report = new StringBuilder();
        final double[] daily = measure(true, "both", report);
        final double[] flat = measure(false, "both", report);
        final double[] up = measure(true, "up", report);
        final int[] after = afterBurst(report);
        System.out.print(report);
        assertTrue(daily[0] <= 1.0 && flat[0] <= 1.0 && up[0] <= daily[0], report.toString());
        assertTrue(daily[1] >= 0.9 && flat[1] >= 0.9 && up[1] >= 0.9, report.toString());
        // up: at most the clean series' own false alarms (0.06 a week: ~0.6 expected in 20 runs' 3.5 days)
        assertTrue(after[1] <= 2 && after[0] > 5 * after[1], report.toString());
    }

    /**
     * Alerts (other than the burst's own STARTED, in its first 3 hours) from the burst's start to 3 days after a 12-hour
     * burst at 30 % at the seeded hour: {direction both, direction up}, over the runs.
     */
    private static int[] afterBurst(final StringBuilder report) {
        final int[] after = new int[2];
        final String[] directions = {"both", "up"};
        for (int d = 0; d < 2; d++) {
            for (int run = 0; run < RUNS; run++) {
                final int hour = changeHour(run);
                final long from = AnomalyTraffic.START + hour * HOUR;
                for (final long t : run(true, directions[d], 1_000 + run, hour, new Change("30 % for 12 h", 0.30, 12))) {
                    after[d] += t >= from + 3 * HOUR && t < from + (12 + 72) * HOUR ? 1 : 0;
                }
            }
        }
        report.append(String.format("after 30 %% for 12 h (seasonLength 24): %d other alerts within 3 days of its end in %d runs"
            + " with direction both, %d with direction up%n", after[0], RUNS, after[1]));
        return after;
    }

    /** The seeded hour of a run's change: 09:00-18:59 of a day after the third (30-60 payments an hour). */
    private static int changeHour(final int run) {
        final Random where = new Random(7_000 + run);
        return 3 * 24 + 24 * where.nextInt(DAYS - 4) + 9 + where.nextInt(10);
    }

    /** @return {false alarms per week, share of 30 % hours detected} */
    private static double[] measure(final boolean daily, final String direction, final StringBuilder report) {
        final Change[] changes = {new Change("x3 (6 %) for 3 h", 0.06, 3), new Change("10 % for 3 h", 0.10, 3),
            new Change("30 % for 1 h", 0.30, 1)};
        int falseAlarms = 0;
        for (int run = 0; run < RUNS; run++) {
            falseAlarms += run(daily, direction, 1_000 + run, -1, null).size();
        }
        final double weeks = RUNS * (DAYS - 2) / 7.0; // after the two days of warm-up
        report.append(String.format("rate(failed), %s, direction %s, %d runs of %d days, 2 %% failures: %.2f false alarms/week%n",
            daily ? "seasonLength 24, warmupSeasons 2" : "seasonLength 1, warmupSeasons 48", direction, RUNS, DAYS, falseAlarms / weeks));
        double detected30 = 0;
        for (final Change change : changes) {
            int detected = 0;
            long delays = 0;
            for (int run = 0; run < RUNS; run++) {
                final int hour = changeHour(run);
                final long from = AnomalyTraffic.START + hour * HOUR;
                for (final long t : run(daily, direction, 1_000 + run, hour, change)) {
                    if (t >= from && t < from + 3 * HOUR) {
                        detected++;
                        delays += (t - from) / HOUR;
                        break;
                    }
                }
            }
            report.append(String.format("  %-18s detected %3.0f %% within 3 intervals, mean delay %.2f h%n", change.name(),
                100.0 * detected / RUNS, detected == 0 ? 0.0 : (double) delays / detected));
            detected30 = (double) detected / RUNS;
        }
        return new double[] {falseAlarms / weeks, detected30};
    }
}
