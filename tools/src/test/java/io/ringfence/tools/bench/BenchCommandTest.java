package io.ringfence.tools.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ringfence.tools.CommandRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BenchCommandTest {
    private static final String[] FIELDS = {"rate", "achieved", "p50", "p90", "p99", "p999", "p9999", "max"};

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldMeasureEngineNextToEchoBaselineAndWriteHgrmFiles(@TempDir final Path dir) throws Exception {
        final CommandRun run = CommandRun.ringfence("bench", "--rates", "2000", "--duration", "2s", "--warmup", "1s",
            "--json", "--out", dir.toString());

        assertEquals(0, run.exitCode(), run.err() + run.out());
        final JsonNode root = new ObjectMapper().readTree(run.out());
        assertTrue(root.path("topology").asText().matches("\\w+ layout, .+ on \\d+ cores?.*, gateway (busy-poll|blocking select), client .+"),
            run.out());
        assertEquals("µs", root.path("unit").asText(), run.out());
        assertTrue(run.out().chars().allMatch(c -> c < 128), "JSON in ASCII (µ escaped), whatever stdout's charset: " + run.out());
        assertEquals(1, root.path("runs").size(), run.out());
        final JsonNode engine = root.path("runs").get(0);
        for (final String field : FIELDS) {
            assertTrue(engine.path(field).isNumber(), field + " in " + engine);
            assertTrue(engine.path("echo").path(field).isNumber(), "echo." + field + " in " + engine);
        }
        for (final String ratio : List.of("p50", "p99", "p999")) {
            assertTrue(engine.path("ratios").path(ratio).isNumber(), "ratios." + ratio + " in " + engine);
            assertTrue(engine.path("ratiosToAbq").path(ratio).isNumber(), "ratiosToAbq." + ratio + " in " + engine);
        }
        // the ArrayBlockingQueue baseline: the same engine and gateway, every answer timed
        for (final String field : FIELDS) {
            assertTrue(engine.path("abq").path(field).isNumber(), "abq." + field + " in " + engine);
        }
        assertEquals(4000, engine.path("abq").path("count").asLong(), "every abq answer timed");
        assertTrue(engine.path("keptUp").asBoolean() && !engine.path("saturated").asBoolean()
            && !engine.path("echo").path("saturated").asBoolean() && !engine.path("abq").path("saturated").asBoolean(),
            "2,000/s is kept up with: " + engine);
        assertTrue(root.path("abqTopology").asText().contains("combined"), "the abq baseline's own wiring: " + run.out());
        assertEquals(2000, engine.path("abq").path("achieved").asDouble(), 2000 * 0.05, "abq achieved ≈ offered: " + engine);
        assertEquals(engine.path("p99").asDouble() / engine.path("abq").path("p99").asDouble(),
            engine.path("ratiosToAbq").path("p99").asDouble(), 1e-9, "ratio = engine / abq: " + engine);
        assertEquals(2000, engine.path("rate").asDouble());
        assertEquals(2000, engine.path("offered").asDouble(), "the offered rate by the issue's name too");
        assertEquals(2000, engine.path("achieved").asDouble(), 2000 * 0.05, "engine achieved ≈ offered: " + engine);
        assertEquals(2000, engine.path("echo").path("achieved").asDouble(), 2000 * 0.05, "echo achieved ≈ offered: " + engine);
        assertEquals(4000, engine.path("count").asLong(), "every answer (decision or ack) timed");
        assertEquals(4000, engine.path("echo").path("count").asLong(), "every echoed frame timed");
        // the echo is the floor: were it mis-measured (wrong intended times, warm-up counted) it could lose
        // the echo is the floor: its median may tie the engine's on a busy 2-core machine at this low
        // rate (the sender's wake-up dominates both), but a mis-measured baseline lands far above it
        // (seen: echo 232 µs vs engine 182 µs at load average 10), so only twice the engine's is a failure
        assertTrue(engine.path("echo").path("p50").asLong() <= engine.path("p50").asLong() * 2,
            "echo p50 not above twice the engine p50: " + engine);

        // the per-stage breakdown: every stage of every timed answer, ordered percentiles, and the sender's lateness
        final JsonNode stages = engine.path("stages");
        for (final String stage : List.of("ring", "journal", "business", "dispatch", "outbound", "total")) {
            final JsonNode s = stages.path(stage);
            assertTrue(s.path("count").asLong() >= 4000, stage + " counts every measured answer: " + stages);
            assertTrue(s.path("p50").asDouble() <= s.path("p99").asDouble() && s.path("p99").asDouble() <= s.path("max").asDouble(),
                stage + " percentiles ascend: " + s);
        }
        assertTrue(stages.path("total").path("p50").asDouble() >= stages.path("journal").path("p50").asDouble(),
            "in server covers the journal stage: " + stages);
        // p99, not max: the stage histograms also hold the few answers just outside the measured window (4,005 of them
        // against 4,000 timed end to end), one of which once set a stage max 24 us above the end-to-end max (a CI-style run
        // on 2026-12-04: 13,967 vs 13,943 us)
        assertTrue(stages.path("total").path("p99").asDouble() <= engine.path("p99").asDouble() + 1,
            "in server does not exceed end to end: " + engine);
        assertEquals(4000, engine.path("sendLag").path("count").asLong(), "sender lateness of every measured send");
        assertTrue(engine.path("gc").path("collections").isNumber(), "gc while measuring: " + engine);

        for (final String name : List.of("engine-2000.hgrm", "abq-2000.hgrm", "echo-2000.hgrm")) {
            assertHgrmParses(dir.resolve(name));
        }
        final byte[] png = Files.readAllBytes(dir.resolve("latency.png"));
        assertTrue(png.length > 1000 && png[1] == 'P' && png[2] == 'N' && png[3] == 'G', "latency.png is a PNG");
    }

    @Test
    void shouldRefuseRatesItCannotRunAndAnOutThatIsAFileBeforeStartingAnything(@TempDir final Path dir) throws Exception {
        assertUsage("--rates lists 500 twice", "--rates", "500,500");
        assertUsage("--rates lists no rate", "--rates", ","); // audit: measured nothing, printed "runs":[] and exit 0
        assertUsage("--rates 1000 for --duration 1us measures 0 events; a run needs at least 100", "--rates", "1000",
            "--duration", "1us");
        assertUsage("--rates takes whole events per second of at least 1, not 100.4", "--rates", "100,100.4");
        assertUsage("--rates takes whole events per second of at least 1, not 0.5", "--rates", "0.5");
        assertUsage("--rates 100000000 is beyond 1000000 events per second", "--rates", "1e8");
        assertUsage("--rates 400000 for --warmup 5s + --duration 10s is 6,000,000 events; a run holds at most 5,000,000",
            "--rates", "400000");
        final Path file = Files.writeString(dir.resolve("afile"), "x");
        assertUsage("--out " + file + " is a file", "--rates", "500", "--out", file.toString());
        // audit: an --out that cannot be made was found after the whole run (exit 1, and --json's results lost)
        final Path under = file.resolve("sub");
        assertUsage("--out " + under + ": cannot write the .hgrm files and latency.png there", "--rates", "500", "--out",
            under.toString());
        // audit: the engine run was a second ArrayBlockingQueue run, compared with itself
        final Path abq = Files.writeString(dir.resolve("abq.yaml"), "pipeline:\n  queue: array-blocking-queue\n");
        assertUsage("pipeline.queue: array-blocking-queue: bench's engine run is the Disruptor pipeline", "--rates", "500",
            "--config", abq.toString());
        // review LOW: bench decides anew like server, so reasons a decision could not tell apart are refused as there
        final Path clash = Files.writeString(dir.resolve("clash.yaml"), "fraud:\n  allow: {reason: LISTED}\n  deny: {reason: LISTED}\n");
        assertUsage("clash.yaml line 3: fraud.deny.reason: 'LISTED' is already the reason of fraud.allow.reason", "--rates",
            "500", "--config", clash.toString());
        final Path badConfig = Files.writeString(dir.resolve("bad.yaml"), "pipeline:\n  ringSize: 1000\n");
        final Path fresh = dir.resolve("fresh-out");
        assertUsage("bad.yaml line 2: pipeline.ringSize: '1000' must be a power of two", "--rates", "500", "--config",
            badConfig.toString(), "--out", fresh.toString());
        assertFalse(Files.exists(fresh), "a refused run creates no --out");
    }

    private static void assertUsage(final String message, final String... args) {
        final String[] command = new String[args.length + 1];
        command[0] = "bench";
        System.arraycopy(args, 0, command, 1, args.length);
        final CommandRun run = CommandRun.ringfence(command);
        assertEquals(2, run.exitCode(), run.err() + run.out());
        assertTrue(run.err().contains(message), run.err());
        assertFalse(run.out().contains("engine + gateway in process"), "refused before the engine starts: " + run.out());
    }

    @Test
    void shouldRefuseAnUnknownBaselineAndRunWithoutAbqWhenAskedTo() throws Exception {
        final CommandRun bad = CommandRun.ringfence("bench", "--rates", "500", "--duration", "1s", "--warmup", "0s",
            "--baselines", "echo,redis");
        assertEquals(2, bad.exitCode(), bad.err());
        assertTrue(bad.err().contains("--baselines takes echo and abq, not redis"), bad.err());
        final CommandRun echoOnly = CommandRun.ringfence("bench", "--rates", "500", "--duration", "1s", "--warmup", "0s",
            "--baselines", "echo", "--json");
        assertEquals(0, echoOnly.exitCode(), echoOnly.err());
        final JsonNode run = new ObjectMapper().readTree(echoOnly.out()).path("runs").get(0);
        assertTrue(run.path("echo").path("p99").isNumber() && run.path("abq").isMissingNode(), run.toString());
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void shouldTakeTheConfigFilesWaitStrategyUnlessWaitIsGiven(@TempDir final Path dir) throws Exception {
        // --wait had a default of its own that overwrote the file's pipeline.waitStrategy without a word (audit)
        final Path config = dir.resolve("sleeping.yaml");
        Files.writeString(config, "pipeline:\n  layout: combined\n  waitStrategy: sleeping\n");
        final JsonNode fromFile = new ObjectMapper().readTree(CommandRun.ringfence("bench", "--rates", "500", "--duration", "1s",
            "--warmup", "0s", "--config", config.toString(), "--json").out());
        assertEquals("sleeping", fromFile.path("waitStrategy").asText(), fromFile.toString());
        assertTrue(fromFile.path("topology").asText().startsWith("combined layout, sleeping wait"), fromFile.toString());
        // the abq baseline's stages wait in ArrayBlockingQueue.take() whatever the strategy (audit: it read "sleeping wait")
        assertTrue(fromFile.path("abqTopology").asText().startsWith("combined layout, blocking wait"), fromFile.toString());
        final JsonNode overridden = new ObjectMapper().readTree(CommandRun.ringfence("bench", "--rates", "500", "--duration", "1s",
            "--warmup", "0s", "--config", config.toString(), "--wait", "blocking", "--baselines", "echo", "--json").out());
        assertEquals("blocking", overridden.path("waitStrategy").asText(), overridden.toString());
        assertTrue(overridden.path("topology").asText().startsWith("combined layout, blocking wait"), overridden.toString());
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldDeleteItsScratchJournalsUnlessAskedToKeepThem() throws Exception {
        final Path deleted = scratchOf(CommandRun.ringfence("bench", "--rates", "500", "--duration", "1s", "--warmup", "0s",
            "--baselines", "echo"));
        assertFalse(Files.exists(deleted), "a run leaves no journal behind (each was ~75 MB): " + deleted);
        final Path kept = scratchOf(CommandRun.ringfence("bench", "--rates", "500", "--duration", "1s", "--warmup", "0s",
            "--baselines", "echo", "--keep-journal"));
        try {
            assertTrue(Files.isDirectory(kept.resolve("disruptor-0")), "--keep-journal keeps the engine's journal: " + kept);
        } finally {
            io.ringfence.tools.io.Trees.delete(kept);
        }
    }

    /** The scratch directory a text-mode run names ("journals in DIR (...)"), after checking it succeeded. */
    private static Path scratchOf(final CommandRun run) {
        assertEquals(0, run.exitCode(), run.err() + run.out());
        final java.util.regex.Matcher m = java.util.regex.Pattern.compile("journals in (\\S+) \\(").matcher(run.out());
        assertTrue(m.find(), run.out());
        return Path.of(m.group(1));
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldTimeEveryAnswerWithTheSpinningClientForEngineAbqAndEcho() throws Exception {
        // one spinning thread (the client) on a 2-core machine; engine and gateway keep blocking
        final CommandRun run = CommandRun.ringfence("bench", "--client", "spin", "--rates", "2000", "--duration", "2s",
            "--warmup", "1s", "--json");
        assertEquals(0, run.exitCode(), run.err() + run.out());
        assertTrue(!run.err().contains("rejected"), "the client numbers its messages as the gateway expects: " + run.err());
        final JsonNode root = new ObjectMapper().readTree(run.out());
        assertTrue(root.path("topology").asText().contains("client spin"), run.out());
        final JsonNode engine = root.path("runs").get(0);
        for (final JsonNode r : List.of(engine, engine.path("abq"), engine.path("echo"))) {
            assertEquals(4000, r.path("count").asLong(), "every measured answer timed, warm-up left out: " + engine);
            assertEquals(2000, r.path("achieved").asDouble(), 2000 * 0.05, "achieved ≈ offered: " + engine);
            assertTrue(r.path("p50").asDouble() > 0 && r.path("p50").asDouble() <= r.path("p99").asDouble(), engine.toString());
        }
        assertEquals(4000, engine.path("sendLag").path("count").asLong(), "sender lateness of every measured send");
        assertTrue(engine.path("stages").path("total").path("count").asLong() >= 4000, engine.toString());

        final CommandRun bad = CommandRun.ringfence("bench", "--client", "pigeon", "--rates", "500", "--duration", "1s");
        assertEquals(2, bad.exitCode(), bad.err());
        assertTrue(bad.err().contains("--client must be thread or spin, not pigeon"), bad.err());
    }

    /** HdrHistogram's percentile distribution: a header, rows of value, percentile, count, 1/(1-p), then a summary. */
    private static void assertHgrmParses(final Path file) throws Exception {
        assertTrue(Files.isRegularFile(file), file + " written");
        final List<String> lines = Files.readAllLines(file);
        assertTrue(lines.get(0).trim().startsWith("Value"), file + ": " + lines.get(0));
        int rows = 0;
        double lastPercentile = -1;
        for (final String line : lines.subList(1, lines.size())) {
            final String trimmed = line.trim();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            final String[] cols = trimmed.split("\\s+");
            assertTrue(cols.length >= 3, file + ": " + line);
            assertTrue(Double.parseDouble(cols[0]) >= 0, file + ": " + line);
            final double percentile = Double.parseDouble(cols[1]);
            assertTrue(percentile >= lastPercentile, file + ": percentiles ascend at " + line);
            lastPercentile = percentile;
            rows++;
        }
        assertTrue(rows > 10, file + ": " + rows + " rows");
        assertEquals(1.0, lastPercentile, 1e-9, file + " ends at the 100th percentile");
        assertTrue(lines.stream().anyMatch(l -> l.contains("#[Mean")), file + " has its summary");
    }

    @Test
    void shouldFitItsClientsToTheServerItRuns() {
        for (final int outbound : new int[] {1 << 20, 4 << 20}) {
            final io.ringfence.gateway.config.GatewayConfig server = new io.ringfence.gateway.config.GatewayConfig();
            server.outboundBufferBytes = outbound;
            final io.ringfence.gateway.client.GatewayClientConfig client = EngineRun.clientConfig(server);
            assertEquals(io.ringfence.gateway.client.GatewayClientConfig.answerRoom(server.outboundBufferBytes), client.unackedBufferBytes,
                "the answers it can be owed fit its session's outbound buffer (half: a payment's Decision is larger than the"
                    + " payment): never dropped as a slow consumer of them");
            assertEquals(server.maxFrameBytes, client.maxFrameBytes);
        }
    }
}
