package io.ringfence.tools.anomaly;

import io.ringfence.engine.anomaly.AnomalyConfig;
import io.ringfence.engine.anomaly.AnomalySpec;
import io.ringfence.tools.anomaly.OnlineRetailAnomalyDetectionTest.Figures;
import io.ringfence.tools.anomaly.OnlineRetailAnomalyDetectionTest.Injection;
import io.ringfence.tools.anomaly.OnlineRetailAnomalyDetectionTest.Series;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * How the seasonal mean's and the blend's settings were chosen (docs/anomaly.md "Anomaly monitoring"): the Online Retail
 * harness on the positions of a tuning seed, one line per configuration with every series' FA per
 * week and drop / spike / shift detection %, and the orders' drops at 2-10 and at 10 or more
 * expected orders an hour. Not part of the suite (the name is no {@code *Test}); run it with
 * <pre>
 * mvn -B -q -o test -pl journal,engine,gateway,tools -Dtest=SeasonalMeanTuning -Dsurefire.failIfNoSpecifiedTests=false \
 *   "-Dtune.seed=7" "-Dtune.configs=hw;sm,6,0,0;sm,6,0.5,0;sm,6,0,0.01"
 * </pre>
 * A configuration is {@code hw} (the defaults), {@code sm,seasonWindow,seasonTrim,levelRate[,warmupSeasons]} or
 * {@code bl,blendWeight[,seasonWindow]} ({@code forecast: blend}).
 */
class SeasonalMeanTuning {
    @Test
    void shouldPrintTheHarnessFiguresOfEachConfiguration() {
        final List<Series> all = OnlineRetailAnomalyDetectionTest.series();
        assumeTrue(all != null, "Online Retail data absent: skipped");
        final long seed = Long.getLong("tune.seed", OnlineRetailAnomalyDetectionTest.TUNING_SEED);
        final String[] configs = System.getProperty("tune.configs", "hw;sm,5,0.5,0").split(";");
        final DetectabilityCeiling[] ceilings = new DetectabilityCeiling[all.size()];
        for (int i = 0; i < all.size(); i += 2) {
            final AnomalySpec spec = OnlineRetailAnomalyDetectionTest.defaults(all.get(i));
            ceilings[i] = new DetectabilityCeiling(all.get(i), all.get(i).phases(spec), OnlineRetailAnomalyDetectionTest.closedHours(all.get(i)),
                (int) spec.warmupIntervals());
        }
        for (final String conf : configs) {
            final StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "TUNE seed %d %-22s", seed, conf));
            final int[] busyN = new int[2];
            final int[] busyHit = new int[2];
            for (int i = 0; i < all.size(); i++) {
                final Series s = all.get(i);
                final AnomalyConfig c = OnlineRetailAnomalyDetectionTest.shopConfig();
                if (conf.startsWith("bl,")) {
                    final String[] p = conf.split(",");
                    c.forecast("blend").blendWeight(Double.parseDouble(p[1]));
                    if (p.length > 2) {
                        c.seasonWindow(Integer.parseInt(p[2]));
                    }
                } else if (!conf.equals("hw")) {
                    final String[] p = conf.split(",");
                    c.forecast("seasonal-mean").seasonWindow(Integer.parseInt(p[1])).seasonTrim(Double.parseDouble(p[2])).levelRate(Double.parseDouble(p[3]));
                    if (p.length > 4) {
                        c.warmupSeasons(Integer.parseInt(p[4]));
                    }
                }
                final AnomalySpec spec = AnomalySpec.from(c, "anomaly", s.revenue() ? AnomalySpec.Values.SUMS : AnomalySpec.Values.COUNTS);
                final Figures f = OnlineRetailAnomalyDetectionTest.measure(s, spec, seed);
                line.append(String.format(Locale.ROOT, " | %s %.2f %3.0f %3.0f %3.0f", s.name().substring(0, 2), f.falseAlarmsPerWeek(),
                    100 * f.rate(Injection.DROP), 100 * f.rate(Injection.SPIKE), 100 * f.rate(Injection.SHIFT)));
                if (!s.revenue()) {
                    final int[] pos = f.positions()[Injection.DROP.ordinal()];
                    for (int p = 0; p < pos.length; p++) {
                        final double e = ceilings[i].expected(pos[p]);
                        final int k = e >= 10 ? 1 : e >= 2 ? 0 : -1;
                        if (k >= 0) {
                            busyN[k]++;
                            busyHit[k] += f.delays()[Injection.DROP.ordinal()][p] >= 0 ? 1 : 0;
                        }
                    }
                }
            }
            line.append(String.format(Locale.ROOT, " | drops 2-10: %d/%d >=10: %d/%d", busyHit[0], busyN[0], busyHit[1], busyN[1]));
            System.out.println(line);
        }
    }
}
