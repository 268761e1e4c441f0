package io.ringfence.tools.bench;

import org.HdrHistogram.HistogramIterationValue;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import java.io.IOException;
import java.nio.file.Path;
import java.text.FieldPosition;
import java.text.NumberFormat;
import java.text.ParsePosition;
import java.util.List;

/**
 * {@code latency.png}: latency against percentile, one line per run and baseline. The x axis is
 * {@code 1/(1-p)} on a log scale, labelled as percentiles (90%, 99%, 99.9%, ...), as HdrHistogram's
 * own plotter does, so the tail gets as much room as the median; the y axis is µs, log scale.
 */
final class PercentilePlot {
    private static final int WIDTH = 1000;
    private static final int HEIGHT = 600;
    private static final int TICKS_PER_HALF = 5;

    private PercentilePlot() {
    }

    static Path write(final Path dir, final List<BenchReport.Row> rows, final String title) throws IOException {
        final XYSeriesCollection data = new XYSeriesCollection();
        for (final BenchReport.Row row : rows) {
            for (final RunResult r : row.runs()) {
                data.addSeries(series(r));
            }
        }
        final LogAxis x = new LogAxis("percentile");
        x.setBase(10);
        x.setNumberFormatOverride(new PercentileFormat());
        x.setSmallestValue(1);
        x.setTickUnit(new NumberTickUnit(1.0)); // one tick per decade of 1/(1-p): 0%, 90%, 99%, 99.9%, ...
        final LogAxis y = new LogAxis("latency (µs), intended send -> answer");
        y.setBase(10);
        y.setSmallestValue(1);
        y.setNumberFormatOverride(NumberFormat.getIntegerInstance());
        final XYPlot plot = new XYPlot(data, x, y, new XYLineAndShapeRenderer(true, false));
        final JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        final Path file = dir.resolve("latency.png");
        ChartUtils.saveChartAsPNG(file.toFile(), chart, WIDTH, HEIGHT);
        return file;
    }

    private static XYSeries series(final RunResult r) {
        final XYSeries series = new XYSeries(String.format("%s %,.0f/s", r.name(), r.offered()), true, false);
        for (final HistogramIterationValue v : r.latencyMicros().percentiles(TICKS_PER_HALF)) {
            final double p = v.getPercentileLevelIteratedTo() / 100.0;
            if (p < 1.0) {
                series.addOrUpdate(1.0 / (1.0 - p), Math.max(1, v.getValueIteratedTo()));
            }
        }
        return series;
    }

    /** Labels {@code 1/(1-p)} as the percentile p: 10 is 90%, 1000 is 99.9%. */
    private static final class PercentileFormat extends NumberFormat {
        @Override
        public StringBuffer format(final double number, final StringBuffer toAppendTo, final FieldPosition pos) {
            final double p = 100.0 * (1.0 - 1.0 / number);
            return toAppendTo.append(new java.math.BigDecimal(p).round(new java.math.MathContext(8)).stripTrailingZeros()
                .toPlainString()).append('%');
        }

        @Override
        public StringBuffer format(final long number, final StringBuffer toAppendTo, final FieldPosition pos) {
            return format((double) number, toAppendTo, pos);
        }

        @Override
        public Number parse(final String source, final ParsePosition parsePosition) {
            throw new UnsupportedOperationException("labels only");
        }
    }
}
