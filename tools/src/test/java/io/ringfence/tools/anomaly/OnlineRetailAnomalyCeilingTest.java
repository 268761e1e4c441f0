package io.ringfence.tools.anomaly;

import io.ringfence.engine.anomaly.AnomalyConfig;
import io.ringfence.engine.anomaly.AnomalySpec;
import io.ringfence.tools.anomaly.OnlineRetailAnomalyDetectionTest.Figures;
import io.ringfence.tools.anomaly.OnlineRetailAnomalyDetectionTest.Injection;
import io.ringfence.tools.anomaly.OnlineRetailAnomalyDetectionTest.Series;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The detectability ceiling of the Online Retail measurement: for every series and injection kind,
 * what a strong non-causal reference ({@link DetectabilityCeiling}) reaches at the same false-alarm
 * budget (1 per week, calibrated on the clean series), next to the engine detector's figures on
 * the same injected positions (seed {@link OnlineRetailAnomalyDetectionTest#SEED}); and both
 * stratified by the expected number of orders at the injected hour, so that misses are explained:
 * a drop to 20 % of 0.3 orders an hour cannot be told from chance in 3 hours by anyone.
 */
class OnlineRetailAnomalyCeilingTest {
    /** Strata of the clean expected orders per hour at the injected hour: [0, 2), [2, 10), [10, ∞). */
    static final double[] STRATA = {2.0, 10.0};
    static final String[] STRATUM_NAMES = {"< 2 orders/h", "2-10 orders/h", ">= 10 orders/h"};

    @Test
    void shouldReportTheDetectabilityCeilingNextToTheEngineDetector() {
        final List<Series> all = OnlineRetailAnomalyDetectionTest.series();
        assumeTrue(all != null, "Online Retail data absent: skipped");
        System.out.println("detectability ceiling vs engine detector (defaults with the shop's zone and closures)");
        final List<Figures> engine = new ArrayList<>();
        final List<DetectabilityCeiling> ceilings = new ArrayList<>();
        final List<int[][]> ceilingDelays = new ArrayList<>();
        for (final Series s : all) {
            final AnomalySpec spec = OnlineRetailAnomalyDetectionTest.defaults(s);
            final Figures f = OnlineRetailAnomalyDetectionTest.measure(s, spec);
            final DetectabilityCeiling c = new DetectabilityCeiling(s, s.phases(spec),
                OnlineRetailAnomalyDetectionTest.closedHours(s), (int) spec.warmupIntervals());
            engine.add(f);
            ceilings.add(c);
            ceilingDelays.add(DetectabilityCeiling.delays(c, s.values(), f.positions()));
        }
        printSeries(engine, ceilings, ceilingDelays);
        printStrata(engine, ceilings, ceilingDelays);
        // the seasonal mean on the same positions (drawn after the same two weeks whatever the spec)
        final List<Figures> median = new ArrayList<>();
        for (final Series s : all) {
            median.add(OnlineRetailAnomalyDetectionTest.measure(s, OnlineRetailAnomalyDetectionTest.seasonalMedian(s)));
        }
        System.out.println("forecast: seasonal-mean vs the same ceiling");
        printSeries(median, ceilings, ceilingDelays);
        printStrata(median, ceilings, ceilingDelays);

        for (int i = 0; i < all.size(); i++) {
            final DetectabilityCeiling c = ceilings.get(i);
            // at most the budget (sparse counts' statistic takes few values: the next threshold down may exceed it)
            assertTrue(c.falseAlarmsPerWeek() <= DetectabilityCeiling.FA_PER_WEEK,
                all.get(i).name() + ": the reference is calibrated to the budget, " + c.falseAlarmsPerWeek());
        }
        // what the reference reaches on the busy UK orders (measured, floors slightly below)
        final int[][] uk = ceilingDelays.get(0);
        assertTrue(rate(uk[Injection.SPIKE.ordinal()]) >= 0.75, "UK orders spikes, ceiling");
        assertTrue(rate(uk[Injection.SHIFT.ordinal()]) >= 0.85, "UK orders shifts, ceiling");
        // sparse countries' drops are below what anyone can see in 3 hours
        for (int i = 2; i < all.size(); i += 2) {
            assertTrue(rate(ceilingDelays.get(i)[Injection.DROP.ordinal()]) <= 0.15, all.get(i).name() + " drops, ceiling");
        }
    }

    static double rate(final int[] delays) {
        int hit = 0;
        for (final int d : delays) {
            hit += d >= 0 ? 1 : 0;
        }
        return delays.length == 0 ? Double.NaN : (double) hit / delays.length;
    }

    private static void printSeries(final List<Figures> engine, final List<DetectabilityCeiling> ceilings, final List<int[][]> ceilingDelays) {
        System.out.println(String.format(Locale.ROOT, "%-26s %13s | %-15s | %-15s | %-15s", "series (engine / ceiling)",
            "FA/week", "drop x0.2 6h", "spike x5 1h", "shift x3"));
        for (int i = 0; i < engine.size(); i++) {
            final Figures f = engine.get(i);
            final StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-26s %5.2f / %5.2f", f.series().name(),
                f.falseAlarmsPerWeek(), ceilings.get(i).falseAlarmsPerWeek()));
            for (final Injection inj : Injection.values()) {
                line.append(String.format(Locale.ROOT, " | %4.0f%% / %4.0f%%", 100 * f.rate(inj),
                    100 * rate(ceilingDelays.get(i)[inj.ordinal()])));
            }
            System.out.println(line);
        }
    }

    /** Detection by the expected orders per hour at the injected hour, the five countries pooled, per metric. */
    private static void printStrata(final List<Figures> engine, final List<DetectabilityCeiling> ceilings, final List<int[][]> ceilingDelays) {
        System.out.println(String.format(Locale.ROOT, "%-9s %-15s | %-19s | %-19s | %-19s", "metric", "expected at hour",
            "drop n eng/ceil", "spike n eng/ceil", "shift n eng/ceil"));
        for (int metric = 0; metric < 2; metric++) {
            for (int stratum = 0; stratum <= STRATA.length; stratum++) {
                final StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-9s %-15s", metric == 0 ? "orders" : "revenue",
                    STRATUM_NAMES[stratum]));
                for (final Injection inj : Injection.values()) {
                    int n = 0;
                    int eng = 0;
                    int ceil = 0;
                    for (int i = metric; i < engine.size(); i += 2) {
                        final DetectabilityCeiling orders = ceilings.get(i - metric); // strata by the country's expected orders
                        final int[] positions = engine.get(i).positions()[inj.ordinal()];
                        for (int p = 0; p < positions.length; p++) {
                            if (stratum(orders.expected(positions[p])) == stratum) {
                                n++;
                                eng += engine.get(i).delays()[inj.ordinal()][p] >= 0 ? 1 : 0;
                                ceil += ceilingDelays.get(i)[inj.ordinal()][p] >= 0 ? 1 : 0;
                            }
                        }
                    }
                    line.append(n == 0 ? String.format(Locale.ROOT, " | %19s", "-")
                        : String.format(Locale.ROOT, " | %3d %4.0f%% / %4.0f%%", n, 100.0 * eng / n, 100.0 * ceil / n));
                }
                System.out.println(line);
            }
        }
    }

    private static int stratum(final double expectedOrders) {
        int s = 0;
        while (s < STRATA.length && !(expectedOrders < STRATA[s])) {
            s++;
        }
        return s;
    }
}
