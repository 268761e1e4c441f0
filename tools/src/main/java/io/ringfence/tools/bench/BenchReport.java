package io.ringfence.tools.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ringfence.gateway.StageLatencies;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** What {@code bench} prints and writes: the table, the JSON object and the {@code .hgrm} files. */
final class BenchReport {
    private static final double[] PERCENTILES = {50, 90, 99, 99.9, 99.99};
    private static final double[] STAGE_PERCENTILES = {50, 99, 99.9, 99.99};
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /**
     * One offered rate: the engine run, the same engine on ArrayBlockingQueues ({@code abq}, null
     * when not run) and the TCP echo.
     */
    record Row(RunResult engine, RunResult abq, RunResult echo) {
        double ratio(final double percentile) {
            return (double) engine.p(percentile) / Math.max(1, echo.p(percentile));
        }

        double abqRatio(final double percentile) {
            return (double) engine.p(percentile) / Math.max(1, abq.p(percentile));
        }

        /** The runs of this rate, engine first. */
        List<RunResult> runs() {
            return abq == null ? List.of(engine, echo) : List.of(engine, abq, echo);
        }
    }

    private BenchReport() {
    }

    static void printRow(final PrintStream out, final Row row) {
        out.printf("%nrate %,.0f/s offered: engine %,.0f/s achieved,%s echo %,.0f/s achieved%n",
            row.engine().offered(), row.engine().achieved(),
            row.abq() == null ? "" : String.format(" abq %,.0f/s achieved,", row.abq().achieved()), row.echo().achieved());
        final StringBuilder head = new StringBuilder(String.format("%-14s", ""));
        for (final double p : PERCENTILES) {
            head.append(String.format("%11s", label(p)));
        }
        out.println(head.append(String.format("%11s", "max")));
        for (final RunResult r : row.runs()) {
            final StringBuilder line = new StringBuilder(String.format("%-14s", r.name()));
            for (final double p : PERCENTILES) {
                line.append(String.format("%,11d", r.p(p)));
            }
            out.println(line.append(String.format("%,11d", r.max())));
        }
        out.printf("%-14s%11s%11s%11s%11s%11s%n", "engine/echo", String.format("%.1fx", row.ratio(50)), "",
            String.format("%.1fx", row.ratio(99)), String.format("%.1fx", row.ratio(99.9)), String.format("%.1fx", row.ratio(99.99)));
        if (row.abq() != null) {
            out.printf("%-14s%11s%11s%11s%11s%11s%n", "engine/abq", String.format("%.2fx", row.abqRatio(50)), "",
                String.format("%.2fx", row.abqRatio(99)), String.format("%.2fx", row.abqRatio(99.9)),
                String.format("%.2fx", row.abqRatio(99.99)));
        }
        final String saturated = saturated(row);
        if (saturated != null) {
            out.println("  " + saturated);
        }
        printBreakdown(out, row.engine());
        out.printf("  gc while measuring: engine run %d collections (%d ms),%s echo run %d (%d ms)%n", row.engine().gc().collections(),
            row.engine().gc().millis(), row.abq() == null ? "" : String.format(" abq run %d (%d ms),", row.abq().gc().collections(),
                row.abq().gc().millis()), row.echo().gc().collections(), row.echo().gc().millis());
    }

    /**
     * A warning when a run of the row could not keep up with the offered rate ({@link RunResult#saturated}), naming
     * which; null when every run did.
     */
    static String saturated(final Row row) {
        final StringBuilder which = new StringBuilder();
        for (final RunResult r : row.runs()) {
            if (r.saturated()) {
                which.append(which.length() == 0 ? "" : ", ").append(String.format("%s %,.0f/s", r.name(), r.achieved()));
            }
        }
        if (which.length() == 0) {
            return null;
        }
        return String.format("SATURATED at %,.0f/s offered: %s achieved (under %.0f %%): a run that cannot keep up measures its"
            + " backlog, which grows with --duration; its percentiles and the ratios above are not its cost (offer less)",
            row.engine().offered(), which, RunResult.KEPT_UP * 100);
    }

    /** Where the engine's time went: the sender's lateness, then each stage inside the server (µs, one decimal). */
    static void printBreakdown(final PrintStream out, final RunResult r) {
        if (r.stageNanos() == null) {
            return;
        }
        final StringBuilder head = new StringBuilder(String.format("  %-38s", "engine breakdown (µs)"));
        for (final double p : STAGE_PERCENTILES) {
            head.append(String.format("%11s", label(p)));
        }
        out.println(head.append(String.format("%11s%11s", "max", "count")));
        out.println(stageLine("sender late (send returned - intended)", r.sendLagMicros(), 1.0));
        for (final StageLatencies.Stage stage : StageLatencies.Stage.values()) {
            out.println(stageLine(stage.label() + " (" + shortDescription(stage) + ")", r.stageNanos()[stage.ordinal()], 1_000.0));
        }
    }

    private static String shortDescription(final StageLatencies.Stage stage) {
        final String d = stage.description();
        final int colon = d.indexOf(':');
        return colon > 0 ? d.substring(0, colon) : d;
    }

    private static String stageLine(final String name, final Histogram h, final double perMicro) {
        final StringBuilder line = new StringBuilder(String.format("  %-38s", name.length() > 38 ? name.substring(0, 38) : name));
        for (final double p : STAGE_PERCENTILES) {
            line.append(micros(h.getValueAtPercentile(p) / perMicro));
        }
        return line.append(micros(h.getMaxValue() / perMicro)).append(String.format("%,11d", h.getTotalCount())).toString();
    }

    /** One decimal below 100 µs, whole microseconds above. */
    static String micros(final double value) {
        return value < 100 ? String.format("%11.1f", value) : String.format("%,11d", Math.round(value));
    }

    static String json(final List<Row> rows, final String topology, final String waitStrategy, final String abqTopology)
            throws IOException {
        final ObjectNode root = MAPPER.createObjectNode();
        root.put("topology", topology);
        // an inline engine has no stage thread, so nothing waits (audit: "blocking" was reported for inline runs)
        root.put("waitStrategy", topology.startsWith("inline") ? "none (inline)" : waitStrategy);
        if (abqTopology != null) {
            root.put("abqTopology", abqTopology); // the baseline's own wiring (on 2 cores combined, where the engine runs inline)
        }
        root.put("unit", "µs");
        final var runs = root.putArray("runs");
        for (final Row row : rows) {
            final ObjectNode run = runs.addObject();
            fill(run, row.engine());
            // false when any run of the rate could not keep up: then its percentiles and the ratios are backlog, not cost
            run.put("keptUp", saturated(row) == null);
            fill(run.putObject("echo"), row.echo());
            final ObjectNode ratios = run.putObject("ratios");
            ratios.put("p50", row.ratio(50));
            ratios.put("p99", row.ratio(99));
            ratios.put("p999", row.ratio(99.9));
            ratios.put("p9999", row.ratio(99.99));
            if (row.abq() != null) {
                fill(run.putObject("abq"), row.abq());
                final ObjectNode toAbq = run.putObject("ratiosToAbq");
                toAbq.put("p50", row.abqRatio(50));
                toAbq.put("p99", row.abqRatio(99));
                toAbq.put("p999", row.abqRatio(99.9));
                toAbq.put("p9999", row.abqRatio(99.99));
            }
            final RunResult e = row.engine();
            run.set("sendLag", stageNode(e.sendLagMicros(), 1.0));
            if (e.stageNanos() != null) {
                final ObjectNode stages = run.putObject("stages");
                for (final StageLatencies.Stage stage : StageLatencies.Stage.values()) {
                    stages.set(camel(stage), stageNode(e.stageNanos()[stage.ordinal()], 1_000.0));
                }
            }
        }
        // ASCII only ("\u00b5s"): stdout's charset is the platform's, which may not have µ (LANG=C)
        return MAPPER.writer().with(com.fasterxml.jackson.core.json.JsonWriteFeature.ESCAPE_NON_ASCII).writeValueAsString(root);
    }

    private static ObjectNode stageNode(final Histogram h, final double perMicro) {
        final ObjectNode node = MAPPER.createObjectNode();
        node.put("count", h.getTotalCount());
        node.put("p50", h.getValueAtPercentile(50) / perMicro);
        node.put("p99", h.getValueAtPercentile(99) / perMicro);
        node.put("p999", h.getValueAtPercentile(99.9) / perMicro);
        node.put("p9999", h.getValueAtPercentile(99.99) / perMicro);
        node.put("max", h.getMaxValue() / perMicro);
        return node;
    }

    /** {@code TOTAL} as {@code total}, a two-word name in camel case. */
    static String camel(final StageLatencies.Stage stage) {
        final StringBuilder b = new StringBuilder();
        boolean upper = false;
        for (final char c : stage.name().toLowerCase(java.util.Locale.ROOT).toCharArray()) {
            if (c == '_') {
                upper = true;
            } else {
                b.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return b.toString();
    }

    private static void fill(final ObjectNode node, final RunResult r) {
        node.put("rate", r.offered());
        node.put("offered", r.offered()); // the name for it; "rate" kept for the results tracked so far
        node.put("achieved", r.achieved());
        node.put("count", r.latencyMicros().getTotalCount());
        node.put("p50", r.p(50));
        node.put("p90", r.p(90));
        node.put("p99", r.p(99));
        node.put("p999", r.p(99.9));
        node.put("p9999", r.p(99.99));
        node.put("max", r.max());
        node.put("saturated", r.saturated());
        node.putObject("gc").put("collections", r.gc().collections()).put("millis", r.gc().millis()); // each run's own (audit)
    }

    /** {@code engine-RATE.hgrm}, {@code abq-RATE.hgrm}, {@code echo-RATE.hgrm}: HdrHistogram's percentile distribution, values in µs. */
    static void writeHgrm(final Path dir, final Row row) throws IOException {
        for (final RunResult r : row.runs()) {
            final Path file = dir.resolve(fileName(r));
            try (PrintStream ps = new PrintStream(Files.newOutputStream(file), false, java.nio.charset.StandardCharsets.UTF_8)) {
                r.latencyMicros().outputPercentileDistribution(ps, 1.0); // recorded in µs already
            }
        }
    }

    /** A whole rate without a decimal point, anything else as Java prints it. */
    static String plain(final double rate) {
        return rate == Math.rint(rate) && Math.abs(rate) < 1e15 ? String.valueOf((long) rate) : String.valueOf(rate);
    }

    static String fileName(final RunResult r) {
        return (r.name().equals("tcp echo") ? "echo" : r.name()) + "-" + Math.round(r.offered()) + ".hgrm";
    }

    private static String label(final double p) {
        return "p" + (p == Math.rint(p) ? String.valueOf((long) p) : String.valueOf(p));
    }
}
