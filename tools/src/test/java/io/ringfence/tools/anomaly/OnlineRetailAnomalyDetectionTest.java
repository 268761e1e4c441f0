package io.ringfence.tools.anomaly;

import io.ringfence.engine.anomaly.AnomalyConfig;
import io.ringfence.engine.anomaly.AnomalyDetector;
import io.ringfence.engine.anomaly.AnomalyResult;
import io.ringfence.engine.anomaly.AnomalySpec;
import io.ringfence.engine.anomaly.SeasonClock;
import io.ringfence.tools.convert.OnlineRetailIndependentTotals;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Issue 7 acceptance, anomaly part: detection measured on real series, not asserted by eye.
 *
 * <p>Series: orders (invoices) and revenue (GBP) per hour for the five countries with the most
 * invoices in Online Retail, on one UTC hour grid from the first to the last order of the data
 * set; an hour without orders is 0 for both (the shop is closed at night and on Saturdays, and
 * over Christmas). Totals come from {@link OnlineRetailIndependentTotals} (the converter's
 * documented policy, no engine code).
 *
 * <p>Injected anomalies, each in its own run of a fresh detector over the series, at seeded
 * positions after the warm-up among hours with at least one order in the clean series (an
 * anomaly of a closed shop's zero is no anomaly):
 * <ul>
 *   <li>drop: the series × 0.2 for 6 hours (an outage of a few hours);</li>
 *   <li>spike: × 5 for one hour;</li>
 *   <li>level shift: × 3 from that hour on, for two weeks.</li>
 * </ul>
 * Detected = an alert (an anomaly STARTED) in the injected hour or the two after it
 * (within 3 intervals); delay = hours from the injected hour to that alert. False alarms = alerts
 * on the clean series after the warm-up, per week of data after the warm-up.
 *
 * <p>Season phases come from the hour's local time in the shop's zone ({@link SeasonClock}), as
 * the engine's monitors place them. Settings were chosen on the positions of {@link #TUNING_SEED};
 * the figures reported (README) and asserted are those of {@link #SEED}, not used for choosing.
 */
class OnlineRetailAnomalyDetectionTest {
    static final int COUNTRIES = 5;
    static final int POSITIONS = 40;
    static final int DROP_HOURS = 6;
    static final int SHIFT_HOURS = 14 * 24;
    static final long SEED = 20_111_209L;

    enum Injection {
        DROP(0.2, DROP_HOURS), SPIKE(5.0, 1), SHIFT(3.0, SHIFT_HOURS);

        final double factor;
        final int hours;

        Injection(final double factor, final int hours) {
            this.factor = factor;
            this.hours = hours;
        }
    }

    /** @param firstHour the first value's hour, epoch hours UTC */
    record Series(String name, boolean revenue, long firstHour, double[] values) {
        /** Season phases of the values by the spec's local time ({@link SeasonClock}), as the engine's monitors place them. */
        int[] phases(final AnomalySpec spec) {
            final SeasonClock clock = new SeasonClock(spec.timeZone(), HOUR_MICROS, spec.seasonLength());
            final int[] phases = new int[values.length];
            for (int t = 0; t < phases.length; t++) {
                phases[t] = clock.phase((firstHour + t) * HOUR_MICROS);
            }
            return phases;
        }
    }

    static final long HOUR_MICROS = 3_600_000_000L;

    /** Measured figures of one series. */
    record Figures(Series series, double falseAlarmsPerWeek, int alarms, double weeks,
                   int[] injected, int[] detected, long[] delaySum, int[][] positions, int[][] delays) {
        double rate(final Injection i) {
            return injected[i.ordinal()] == 0 ? Double.NaN : (double) detected[i.ordinal()] / injected[i.ordinal()];
        }

        double delay(final Injection i) {
            return detected[i.ordinal()] == 0 ? Double.NaN : (double) delaySum[i.ordinal()] / detected[i.ordinal()];
        }
    }

    /** The shop's time zone: its weekly season is in London time (the data spans both clock changes of 2011). */
    static final String SHOP_ZONE = "Europe/London";
    /**
     * The shop's known closures (its local dates): the Christmas break and the England bank
     * holidays of 2011 in the data's span. An operator knows these in advance; the data has no
     * order on any of them.
     */
    static final List<String> CLOSURES = List.of("2010-12-24..2011-01-03", "2011-04-22..2011-04-25", "2011-04-29",
        "2011-05-02", "2011-05-30", "2011-08-29");

    /** The series' hours that fall on a {@link #CLOSURES} date in the shop's zone. */
    static boolean[] closedHours(final Series s) {
        final java.time.ZoneId zone = java.time.ZoneId.of(SHOP_ZONE);
        final boolean[] closed = new boolean[s.values().length];
        for (int t = 0; t < closed.length; t++) {
            final java.time.LocalDate day = Instant.ofEpochSecond((s.firstHour() + t) * 3600).atZone(zone).toLocalDate();
            for (final String range : CLOSURES) {
                final int dots = range.indexOf("..");
                final java.time.LocalDate first = java.time.LocalDate.parse(dots < 0 ? range : range.substring(0, dots));
                final java.time.LocalDate last = dots < 0 ? first : java.time.LocalDate.parse(range.substring(dots + 2));
                closed[t] |= !day.isBefore(first) && !day.isAfter(last);
            }
        }
        return closed;
    }

    /**
     * Injected positions are drawn from a day after this many intervals on (the default warm-up of
     * two weeks), for every spec: a detector with a longer warm-up is measured on the same hours
     * and misses those in its warm-up.
     */
    static final long POSITIONS_AFTER = (long) AnomalySpec.DEFAULT_WARMUP_SEASONS * AnomalySpec.DEFAULT_SEASON_LENGTH;

    /** Seed of the positions used while choosing settings; the reported figures use {@link #SEED} only. */
    static final long TUNING_SEED = 7L;

    @Test
    void shouldDetectInjectedAnomaliesOnOnlineRetailHourlySeriesWithFewFalseAlarms() {
        final List<Series> all = series();
        assumeTrue(all != null, "Online Retail data absent: skipped");
        System.out.println("anomaly detection on Online Retail, defaults in shop time with its closures: counts "
            + defaults(all.get(0)) + "; revenue " + defaults(all.get(1)));
        final List<Figures> figures = new ArrayList<>();
        for (final Series s : all) {
            figures.add(measure(s, defaults(s)));
        }
        print(figures);
        System.out.println("the same with forecast: seasonal-mean (" + seasonalMedian(all.get(0)) + ")");
        final List<Figures> median = new ArrayList<>();
        for (final Series s : all) {
            median.add(measure(s, seasonalMedian(s)));
        }
        print(median);
        assertSeasonalMeanFigures(median);
        System.out.println("the same with forecast: blend (" + blend(all.get(0)) + ")");
        final List<Figures> blend = new ArrayList<>();
        for (final Series s : all) {
            blend.add(measure(s, blend(s)));
        }
        print(blend);
        assertFigures("blend", blend, BLEND_FLOORS);
        // what it is for: the UK's drops (45 % with Holt-Winters, 78 % with the seasonal mean)
        assertTrue(median.get(0).rate(Injection.DROP) >= uk(figures).rate(Injection.DROP) + 0.2,
            "seasonal-mean UK drops " + median.get(0).rate(Injection.DROP) + " vs holt-winters " + uk(figures).rate(Injection.DROP));

        // Measured (seed 20111209, 40 positions per kind and series), 2026-12-02, again 2026-12-04 with the
        // Holt-Winters hold of drops and their end rules (holdIntervals 24; UK orders 1.05 -> 1.03 FA/week, UK revenue
        // 2.59 -> 2.77; UK orders spikes 78 -> 80 %, shifts 85 -> 80 %, UK revenue drops 5 -> 3 %, spikes 65 -> 60 %); see
        // the README table.
        // The target (>= 90% within 3 intervals, <= 1 FA per series per week) is met for
        // spikes and shifts of the sparse countries' orders only (but DE shifts, 70%); the
        // detectability ceiling (OnlineRetailAnomalyCeilingTest) shows most of the rest is out of
        // reach on this data. Floors slightly below the measured figures guard against regressions;
        // revenue (compound spread): UK 2.77 FA/week, 60% spikes, 60% shifts; DE/FR/IE/BE
        // 0.39-1.11 FA/week, spikes 70-95%, shifts 60-80%.
        final Figures uk = figures.get(0);
        assertTrue(uk.falseAlarmsPerWeek() <= FLOORS_UK_ORDERS[0], "UK orders false alarms per week " + uk.falseAlarmsPerWeek());
        for (final Injection i : Injection.values()) {
            assertTrue(uk.rate(i) >= FLOORS_UK_ORDERS[1 + i.ordinal()], "UK orders " + i + " detected " + uk.rate(i));
        }
        for (int i = 2; i < figures.size(); i += 2) {
            final Figures f = figures.get(i);
            assertTrue(f.falseAlarmsPerWeek() <= 0.35, f.series().name() + " false alarms per week " + f.falseAlarmsPerWeek());
            assertTrue(f.rate(Injection.SPIKE) >= 0.95, f.series().name() + " spikes detected " + f.rate(Injection.SPIKE));
            assertTrue(f.rate(Injection.SHIFT) >= SPARSE_SHIFT_FLOOR, f.series().name() + " shifts detected " + f.rate(Injection.SHIFT));
        }
        for (int i = 1; i < figures.size(); i += 2) {
            final Figures f = figures.get(i);
            assertTrue(f.falseAlarmsPerWeek() <= (i == 1 ? 2.9 : 1.2), f.series().name() + " false alarms per week " + f.falseAlarmsPerWeek());
            assertTrue(f.rate(Injection.SPIKE) >= 0.6, f.series().name() + " spikes detected " + f.rate(Injection.SPIKE));
            assertTrue(f.rate(Injection.SHIFT) >= 0.55, f.series().name() + " shifts detected " + f.rate(Injection.SHIFT));
        }
    }

    private static Figures uk(final List<Figures> figures) {
        return figures.get(0);
    }

    /**
     * The seasonal mean's figures on the report seed (measured 2026-12-02, README), floors
     * slightly below: per series FA per week at most, then drops, spikes, shifts detected at least.
     */
    static void assertSeasonalMeanFigures(final List<Figures> median) {
        assertFigures("seasonal-mean", median, SEASONAL_MEAN_FLOORS);
    }

    /** Each series' figures against its floors: FA per week at most, then drops, spikes, shifts detected at least. */
    static void assertFigures(final String forecast, final List<Figures> figures, final double[][] floorsBySeries) {
        for (int i = 0; i < figures.size(); i++) {
            final Figures f = figures.get(i);
            final double[] floors = floorsBySeries[i];
            assertTrue(f.falseAlarmsPerWeek() <= floors[0], forecast + " " + f.series().name() + " false alarms per week " + f.falseAlarmsPerWeek());
            for (final Injection inj : Injection.values()) {
                assertTrue(f.rate(inj) >= floors[1 + inj.ordinal()], forecast + " " + f.series().name() + " " + inj + " detected " + f.rate(inj));
            }
        }
    }

    /** The blend's figures on the report seed (measured 2026-12-02, README), floors slightly below, as {@link #SEASONAL_MEAN_FLOORS}. */
    static final double[][] BLEND_FLOORS = {
        {1.0, 0.5, 0.72, 0.8}, {2.3, 0.03, 0.55, 0.55}, // UK: measured 0.95, 55 %, 75 %, 85 %; revenue 2.20, 5, 60, 60 %
        {0.35, 0, 0.95, 0.65}, {0.82, 0, 0.75, 0.62},   // DE: 0.31, 0, 98, 68 %; 0.78, 0, 80, 68 %
        {0.1, 0, 0.95, 0.9}, {1.15, 0, 0.72, 0.65},     // FR: 0.08, 0, 98, 93 %; 1.11, 3, 75, 70 %
        {0.2, 0, 0.95, 0.9}, {0.5, 0, 0.7, 0.55},       // IE: 0.16, 0, 100, 93 %; 0.47, 3, 73, 60 %
        {0.05, 0, 0.95, 0.95}, {0.42, 0, 0.92, 0.78},   // BE: 0.02, 0, 100, 100 %; 0.39, 3, 95, 83 %
    };

    /**
     * The settings measured with {@code forecast: blend}: the defaults by metric, the shop's zone
     * and closures, the blend's default weight (chosen on {@link #TUNING_SEED}).
     */
    static AnomalySpec blend(final Series s) {
        return AnomalySpec.from(shopConfig().forecast("blend"), "anomaly", s.revenue() ? AnomalySpec.Values.SUMS : AnomalySpec.Values.COUNTS);
    }

    /** Per series in {@link #series()} order (orders, revenue of each country): FA/week at most, drop, spike, shift at least. */
    static final double[][] SEASONAL_MEAN_FLOORS = {
        {1.12, 0.72, 0.70, 0.75}, {1.8, 0.18, 0.5, 0.5},   // UK: measured 1.07, 78 %, 75 %, 80 %; revenue 1.71, 23, 55, 55 %
        {0.3, 0, 0.95, 0.68}, {0.8, 0, 0.62, 0.45},        // DE: 0.25, 0, 98, 73 %; 0.74, 0, 68, 50 %
        {0.1, 0, 0.9, 0.9}, {1.05, 0, 0.72, 0.58},         // FR: 0.06, 0, 95, 95 %; 0.99, 0, 78, 63 %
        {0.22, 0, 0.95, 0.88}, {0.46, 0, 0.68, 0.5},       // IE: 0.18, 0, 100, 93 %; 0.41, 3, 73, 55 %
        {0.05, 0, 0.95, 0.93}, {0.44, 0, 0.93, 0.72},      // BE: 0.02, 0, 100, 98 %; 0.39, 3, 98, 78 %
    };

    /**
     * The settings measured with {@code forecast: seasonal-mean}: the defaults by metric and the
     * shop's zone and closures, the seasonal mean's own defaults (the mean of the last 6 weeks'
     * same hour, no level factor: chosen on {@link #TUNING_SEED}).
     */
    static AnomalySpec seasonalMedian(final Series s) {
        return AnomalySpec.from(shopConfig().forecast("seasonal-mean"), "anomaly", s.revenue() ? AnomalySpec.Values.SUMS : AnomalySpec.Values.COUNTS);
    }

    /** UK orders: FA per week at most, then drops, spikes, shifts detected at least (measured figures, slightly relaxed). */
    static final double[] FLOORS_UK_ORDERS = {1.1, 0.4, 0.72, 0.8};
    static final double SPARSE_SHIFT_FLOOR = 0.65;

    /**
     * The closures calendar is worth its false alarms: without it, the Christmas break and the
     * bank holidays read as drops on the UK's order counts.
     */
    @Test
    void shouldRaiseFewerFalseAlarmsWithTheShopsClosures() {
        final List<Series> all = series();
        assumeTrue(all != null, "Online Retail data absent: skipped");
        final Figures with = measure(all.get(0), defaults(all.get(0)));
        final Figures without = measure(all.get(0), AnomalySpec.from(new AnomalyConfig().timeZone(SHOP_ZONE), "anomaly", AnomalySpec.Values.COUNTS));
        System.out.println("UK orders false alarms per week with closures " + with.falseAlarmsPerWeek() + ", without " + without.falseAlarmsPerWeek());
        // 1.05 vs 1.29 before 2026-12-04; 1.03 vs 1.11 since a drop's zeros neither end it nor break its quiet run (a
        // closed day without the calendar is now one long drop rather than several): 4 false alarms fewer in 51 weeks
        assertTrue(with.falseAlarmsPerWeek() < without.falseAlarmsPerWeek() - 0.06,
            "closures: " + with.falseAlarmsPerWeek() + " vs " + without.falseAlarmsPerWeek());
    }

    /**
     * The measured settings of a series: the defaults (of counts for orders, of sums for revenue, as
     * monitors of a window's {@code count} and {@code sum(amount)} get them), in the shop's time
     * zone, with its closures.
     */
    static AnomalySpec defaults(final Series s) {
        return AnomalySpec.from(shopConfig(), "anomaly", s.revenue() ? AnomalySpec.Values.SUMS : AnomalySpec.Values.COUNTS);
    }

    /** What the shop configures: its time zone and its closures. */
    static AnomalyConfig shopConfig() {
        return new AnomalyConfig().timeZone(SHOP_ZONE).closed(CLOSURES);
    }

    static List<Series> series() {
        final String shared = System.getProperty(OnlineRetailIndependentTotals.SHARED_DATA_PROPERTY);
        if (shared == null || !Files.isRegularFile(Path.of(shared, OnlineRetailIndependentTotals.DATA_FILE))) {
            return null;
        }
        final Map<String, long[]> cells = OnlineRetailIndependentTotals.expected(
            Path.of(shared, OnlineRetailIndependentTotals.DATA_FILE));
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        final Map<String, Long> invoices = new HashMap<>();
        for (final Map.Entry<String, long[]> e : cells.entrySet()) {
            final int bar = e.getKey().indexOf('|');
            final long hour = Instant.parse(e.getKey().substring(bar + 1)).getEpochSecond() / 3600;
            first = Math.min(first, hour);
            last = Math.max(last, hour);
            invoices.merge(e.getKey().substring(0, bar), e.getValue()[0], Long::sum);
        }
        final List<String> top = invoices.entrySet().stream()
            .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
            .limit(COUNTRIES).map(Map.Entry::getKey).toList();
        final int hours = (int) (last - first + 1);
        final List<Series> out = new ArrayList<>();
        for (final String country : top) {
            final double[] orders = new double[hours];
            final double[] revenue = new double[hours];
            for (final Map.Entry<String, long[]> e : cells.entrySet()) {
                final int bar = e.getKey().indexOf('|');
                if (e.getKey().substring(0, bar).equals(country)) {
                    final int i = (int) (Instant.parse(e.getKey().substring(bar + 1)).getEpochSecond() / 3600 - first);
                    orders[i] = e.getValue()[0];
                    revenue[i] = e.getValue()[1] / 100.0;
                }
            }
            out.add(new Series(country + " orders/h", false, first, orders));
            out.add(new Series(country + " revenue/h", true, first, revenue));
        }
        return out;
    }

    static Figures measure(final Series s, final AnomalySpec spec) {
        return measure(s, spec, SEED);
    }

    /** @param seed of the injected positions: {@link #SEED} for the reported figures, another one for tuning */
    static Figures measure(final Series s, final AnomalySpec spec, final long seed) {
        final double[] clean = s.values();
        final int[] phases = s.phases(spec);
        final long warmup = spec.warmupIntervals();
        int alarms = 0;
        final AnomalyDetector cleanRun = new AnomalyDetector(spec);
        for (int t = 0; t < clean.length; t++) {
            if (cleanRun.observeAt((s.firstHour() + t) * HOUR_MICROS, clean[t], phases[t]).isAlert() && t >= warmup) {
                alarms++;
            }
        }
        final double weeks = (clean.length - warmup) / 168.0;

        final int[][] positions = positions(s, POSITIONS_AFTER, seed); // the same hours for every spec, whatever its warm-up
        final int[][] delays = new int[positions.length][];
        final int[] injected = new int[Injection.values().length];
        final int[] detected = new int[injected.length];
        final long[] delaySum = new long[injected.length];
        final double[] work = new double[clean.length];
        for (final Injection inj : Injection.values()) {
            delays[inj.ordinal()] = new int[positions[inj.ordinal()].length];
            for (int n = 0; n < positions[inj.ordinal()].length; n++) {
                final int pos = positions[inj.ordinal()][n];
                inject(clean, work, inj, pos);
                injected[inj.ordinal()]++;
                delays[inj.ordinal()][n] = -1;
                final AnomalyDetector d = new AnomalyDetector(spec);
                final int end = Math.min(clean.length, pos + 3);
                for (int t = 0; t < end; t++) {
                    final AnomalyResult r = d.observeAt((s.firstHour() + t) * HOUR_MICROS, work[t], phases[t]);
                    if (t >= pos && r.status() == AnomalyResult.Status.STARTED) {
                        detected[inj.ordinal()]++;
                        delaySum[inj.ordinal()] += t - pos;
                        delays[inj.ordinal()][n] = t - pos;
                        break;
                    }
                }
            }
        }
        return new Figures(s, alarms / weeks, alarms, weeks, injected, detected, delaySum, positions, delays);
    }

    /**
     * The injected hours per kind ({@link Injection} order), {@link #POSITIONS} each, drawn from
     * the hours with orders from a day after the warm-up on.
     */
    static int[][] positions(final Series s, final long warmup, final long seed) {
        final double[] clean = s.values();
        final List<Integer> eligible = new ArrayList<>();
        for (int t = (int) warmup + 24; t < clean.length - 3; t++) {
            if (clean[t] > 0) {
                eligible.add(t);
            }
        }
        final Random random = new Random(seed ^ s.name().hashCode());
        final int[][] positions = new int[Injection.values().length][];
        for (final Injection inj : Injection.values()) {
            positions[inj.ordinal()] = new int[eligible.isEmpty() ? 0 : POSITIONS];
            for (int n = 0; n < positions[inj.ordinal()].length; n++) {
                positions[inj.ordinal()][n] = eligible.get(random.nextInt(eligible.size()));
            }
        }
        return positions;
    }

    /** {@code work} = the clean series with {@code inj} applied from {@code pos} on. */
    static void inject(final double[] clean, final double[] work, final Injection inj, final int pos) {
        System.arraycopy(clean, 0, work, 0, clean.length);
        for (int t = pos; t < Math.min(clean.length, pos + inj.hours); t++) {
            work[t] = clean[t] * inj.factor;
        }
    }

    static void print(final List<Figures> figures) {
        System.out.println(String.format(Locale.ROOT, "%-26s %8s %6s | %-16s | %-16s | %-16s",
            "series", "FA/week", "FA", "drop x0.2 6h", "spike x5 1h", "shift x3"));
        for (final Figures f : figures) {
            final StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-26s %8.2f %6d",
                f.series().name(), f.falseAlarmsPerWeek(), f.alarms()));
            for (final Injection i : Injection.values()) {
                line.append(String.format(Locale.ROOT, " | %3d/%-3d %4.0f%% %3.1fh", f.detected()[i.ordinal()],
                    f.injected()[i.ordinal()], 100 * f.rate(i), f.delay(i)));
            }
            System.out.println(line);
        }
    }
}
