package io.ringfence.tools.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A run that could not keep up with its offered rate is said to be saturated, in the table and the JSON (audit: at
 * 1,000,000/s offered the engine and the echo both queued for seconds and engine/echo read 1.1x at p99.99, exit 0, with
 * nothing saying the numbers were backlog).
 */
class BenchReportTest {
    private static RunResult run(final String name, final double offered, final double achieved, final long micros) {
        final Histogram h = RunResult.newHistogram();
        h.recordValue(micros);
        return new RunResult(name, offered, achieved, h, RunResult.newHistogram(), null, new GcDelta(0, 0));
    }

    @Test
    void shouldFlagARunThatAchievedUnder95PercentOfItsOfferedRate() {
        final BenchReport.Row kept = new BenchReport.Row(run("engine", 1000, 990, 100), null, run("tcp echo", 1000, 1000, 50));
        assertNull(BenchReport.saturated(kept));
        final BenchReport.Row engineBehind = new BenchReport.Row(run("engine", 200_000, 97_790, 5_000_000), null,
            run("tcp echo", 200_000, 200_000, 40));
        assertEquals("SATURATED at 200,000/s offered: engine 97,790/s achieved (under 95 %): a run that cannot keep up measures"
            + " its backlog, which grows with --duration; its percentiles and the ratios above are not its cost (offer less)",
            BenchReport.saturated(engineBehind));
        final ByteArrayOutputStream text = new ByteArrayOutputStream();
        BenchReport.printRow(new PrintStream(text, true, StandardCharsets.UTF_8), engineBehind);
        assertTrue(text.toString(StandardCharsets.UTF_8).contains("SATURATED at 200,000/s offered"), text.toString(StandardCharsets.UTF_8));
        final BenchReport.Row both = new BenchReport.Row(run("engine", 1_000_000, 160_003, 16_000_000), null,
            run("tcp echo", 1_000_000, 122_111, 6_000_000));
        assertTrue(BenchReport.saturated(both).contains("engine 160,003/s, tcp echo 122,111/s achieved"), BenchReport.saturated(both));
    }

    @Test
    void shouldSayInTheJsonWhichRunsKeptUp() throws Exception {
        final BenchReport.Row row = new BenchReport.Row(run("engine", 200_000, 97_790, 5_000_000), run("abq", 200_000, 199_000, 900),
            run("tcp echo", 200_000, 200_000, 40));
        final JsonNode root = new ObjectMapper().readTree(BenchReport.json(List.of(row), "inline", "blocking", "combined layout"));
        final JsonNode r = root.path("runs").get(0);
        assertFalse(r.path("keptUp").asBoolean(), r.toString());
        assertTrue(r.path("saturated").asBoolean(), r.toString());
        assertFalse(r.path("abq").path("saturated").asBoolean(), r.toString());
        assertFalse(r.path("echo").path("saturated").asBoolean(), r.toString());
        assertEquals("combined layout", root.path("abqTopology").asText());
        assertTrue(r.path("gc").has("collections") && r.path("echo").path("gc").has("collections")
            && r.path("abq").path("gc").has("millis"), "each run's own collections: " + r);
        assertEquals("none (inline)", root.path("waitStrategy").asText(), "an inline engine waits nowhere");
    }
}
