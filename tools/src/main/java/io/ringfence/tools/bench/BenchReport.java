package io.ringfence.tools.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** What {@code bench} prints and writes: the table, the JSON object and the {@code .hgrm} files. */
final class BenchReport {
    private static final double[] PERCENTILES = {50, 90, 99, 99.9, 99.99};
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** One offered rate: the engine run and its echo baseline. */
    record Row(RunResult engine, RunResult echo) {
        double ratio(final double percentile) {
            return (double) engine.p(percentile) / Math.max(1, echo.p(percentile));
        }
    }

    private BenchReport() {
    }

    static void printRow(final PrintStream out, final Row row) {
        out.printf("%nrate %,.0f/s offered: engine %,.0f/s achieved, echo %,.0f/s achieved%n",
            row.engine().offered(), row.engine().achieved(), row.echo().achieved());
        final StringBuilder head = new StringBuilder(String.format("%-14s", ""));
        for (final double p : PERCENTILES) {
            head.append(String.format("%10s", label(p)));
        }
        out.println(head.append(String.format("%10s", "max")));
        for (final RunResult r : List.of(row.engine(), row.echo())) {
            final StringBuilder line = new StringBuilder(String.format("%-14s", r.name()));
            for (final double p : PERCENTILES) {
                line.append(String.format("%,10d", r.p(p)));
            }
            out.println(line.append(String.format("%,10d", r.max())));
        }
        out.printf("%-14s%10s%10s%10s%10s%n", "engine/echo", String.format("%.1fx", row.ratio(50)), "",
            String.format("%.1fx", row.ratio(99)), String.format("%.1fx", row.ratio(99.9)));
    }

    static String json(final List<Row> rows, final String topology, final String waitStrategy) throws IOException {
        final ObjectNode root = MAPPER.createObjectNode();
        root.put("topology", topology);
        root.put("waitStrategy", waitStrategy);
        root.put("unit", "µs");
        final var runs = root.putArray("runs");
        for (final Row row : rows) {
            final ObjectNode run = runs.addObject();
            fill(run, row.engine());
            fill(run.putObject("echo"), row.echo());
            final ObjectNode ratios = run.putObject("ratios");
            ratios.put("p50", row.ratio(50));
            ratios.put("p99", row.ratio(99));
            ratios.put("p999", row.ratio(99.9));
        }
        return MAPPER.writeValueAsString(root);
    }

    private static void fill(final ObjectNode node, final RunResult r) {
        node.put("rate", r.offered());
        node.put("achieved", r.achieved());
        node.put("count", r.latencyMicros().getTotalCount());
        node.put("p50", r.p(50));
        node.put("p90", r.p(90));
        node.put("p99", r.p(99));
        node.put("p999", r.p(99.9));
        node.put("p9999", r.p(99.99));
        node.put("max", r.max());
    }

    /** {@code engine-RATE.hgrm} and {@code echo-RATE.hgrm}: HdrHistogram's percentile distribution, values in µs. */
    static void writeHgrm(final Path dir, final Row row) throws IOException {
        for (final RunResult r : List.of(row.engine(), row.echo())) {
            final Path file = dir.resolve(fileName(r));
            try (PrintStream ps = new PrintStream(Files.newOutputStream(file), false, java.nio.charset.StandardCharsets.UTF_8)) {
                r.latencyMicros().outputPercentileDistribution(ps, 1.0); // recorded in µs already
            }
        }
    }

    static String fileName(final RunResult r) {
        return (r.name().equals("engine") ? "engine" : "echo") + "-" + Math.round(r.offered()) + ".hgrm";
    }

    private static String label(final double p) {
        return "p" + (p == Math.rint(p) ? String.valueOf((long) p) : String.valueOf(p));
    }
}
