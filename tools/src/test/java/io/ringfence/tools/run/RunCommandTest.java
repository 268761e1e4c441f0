package io.ringfence.tools.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ringfence.tools.CommandRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunCommandTest {
    static final Path EXAMPLES = Path.of(System.getProperty("ringfence.examples", "../examples"));
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    static List<JsonNode> readJsonLines(final Path file) throws IOException {
        final List<JsonNode> nodes = new ArrayList<>();
        for (final String line : Files.readAllLines(file)) {
            nodes.add(JSON.readTree(line));
        }
        return nodes;
    }

    @Test
    void shouldRefuseAModelWeighingRiskyItemsWithoutTheLists() throws IOException {
        final io.ringfence.engine.fraud.LogisticModel risky = io.ringfence.engine.fraud.ModelFile.model(-2.0, 6.0, List.of(
            new io.ringfence.engine.fraud.ModelTerm(io.ringfence.engine.fraud.Feature.RISKY_ITEMS,
                io.ringfence.engine.fraud.FeatureTransform.IDENTITY, 0.2, 0.4, 4.55)));
        io.ringfence.engine.fraud.ModelFile.write(dir.resolve("risky.json"), risky, null);
        Files.writeString(dir.resolve("c.yaml"), "fraud:\n  model: risky.json\n");
        final CommandRun run = CommandRun.ringfence("run", "--input", EXAMPLES.resolve("shop.jsonl").toString(), "--data",
                dir.resolve("data").toString(), "--config", dir.resolve("c.yaml").toString(), "--out", dir.resolve("o.jsonl").toString());
        assertEquals(2, run.exitCode(), run.err());
        assertTrue(run.err().contains("weighs risky_items (weight 4.55 per standard deviation) but fraud.riskyItems is empty"), run.err());
    }

    /** A configuration file that says nothing is said to, not silently taken as the defaults (left item). */
    @Test
    void shouldSayThatAConfigurationFileHoldsNoSettings() throws IOException {
        Files.writeString(dir.resolve("c.yaml"), "# fraud:\n#   rules: []\n\n");
        final CommandRun run = CommandRun.ringfence("run", "--input", EXAMPLES.resolve("shop.jsonl").toString(), "--data",
                dir.resolve("data").toString(), "--config", dir.resolve("c.yaml").toString(), "--out", dir.resolve("o.jsonl").toString());
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.err().contains("c.yaml holds no settings (empty, or comments only): the defaults apply"), run.err());
        Files.writeString(dir.resolve("d.yaml"), "fraud:\n  enabled: true\n");
        final CommandRun some = CommandRun.ringfence("run", "--input", EXAMPLES.resolve("shop.jsonl").toString(), "--data",
                dir.resolve("data2").toString(), "--config", dir.resolve("d.yaml").toString(), "--out", dir.resolve("o2.jsonl").toString());
        assertEquals(0, some.exitCode(), some.err());
        assertTrue(!some.err().contains("holds no settings"), some.err());
    }

    /** Out-of-order trial (MEDIUM): trending counted late sales and views but no summary or metric showed them. */
    @Test
    void shouldCountTrendingsLateSalesInTheSummary() throws IOException {
        final String item = ",\"amount\":\"1.00\",\"currency\":\"EUR\",\"items\":[{\"sku\":\"A\",\"qty\":1,\"unitPrice\":\"1.00\","
                + "\"category\":\"c\"}]}";
        final Path input = Files.write(dir.resolve("late.jsonl"), List.of(
                "{\"type\":\"order\",\"time\":\"2026-01-05T12:00:00Z\",\"orderId\":\"o1\",\"userId\":\"u1\"" + item,
                "{\"type\":\"order\",\"time\":\"2026-01-05T09:00:00Z\",\"orderId\":\"o2\",\"userId\":\"u2\"" + item));
        final CommandRun run = CommandRun.ringfence("run", "--input", input.toString(), "--data", dir.resolve("late").toString(),
                "--out", dir.resolve("late-out.jsonl").toString());
        assertEquals(0, run.exitCode(), run.err());
        assertTrue((run.out() + run.err()).contains("1 sales and 0 views late (their interval had left the window"),
                run.out() + run.err());
    }

    /** New-user trial: snapshot settings in run's configuration were ignored without a word (run writes none). */
    @Test
    void shouldSayThatRunWritesNoSnapshotsWhenTheConfigurationAsksForThem() throws IOException {
        Files.writeString(dir.resolve("s.yaml"), "snapshot:\n  everyEvents: 100\n");
        final CommandRun run = CommandRun.ringfence("run", "--input", EXAMPLES.resolve("shop.jsonl").toString(), "--data",
                dir.resolve("data").toString(), "--config", dir.resolve("s.yaml").toString(), "--out", dir.resolve("o.jsonl").toString());
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.err().contains("the snapshot settings of " + dir.resolve("s.yaml") + " are not used: run writes no snapshots"),
                run.err());
        assertTrue(!Files.exists(dir.resolve("data").resolve("snapshots")) || Files.list(dir.resolve("data").resolve("snapshots"))
                .noneMatch(f -> f.getFileName().toString().endsWith(".snap")), "and none was written");
        Files.writeString(dir.resolve("d.yaml"), "snapshot:\n  dir: elsewhere\n  everyEventTime: 60m\n"); // the default 1h; dir: used
        final CommandRun dirOnly = CommandRun.ringfence("run", "--input", EXAMPLES.resolve("shop.jsonl").toString(), "--data",
                dir.resolve("data2").toString(), "--config", dir.resolve("d.yaml").toString(), "--out", dir.resolve("o2.jsonl").toString());
        assertEquals(0, dirOnly.exitCode(), dirOnly.err());
        assertTrue(!dirOnly.err().contains("snapshot settings"), dirOnly.err());
    }

    /**
     * Analyst trial: both lists under one reason read alike; run refuses such a configuration now, but a directory recorded
     * under one is replayed as it was decided, with a warning (review: refused in validation, it could not be replayed).
     */
    @Test
    void shouldRefuseClashingReasonsToRunButReplayADirectoryRecordedUnderThem() throws IOException {
        final Path clash = Files.writeString(dir.resolve("clash.yaml"), "fraud:\n  allow: {reason: LISTED}\n  deny: {reason: LISTED}\n");
        final CommandRun refused = CommandRun.ringfence("run", "--input", EXAMPLES.resolve("shop.jsonl").toString(), "--data",
                dir.resolve("refused").toString(), "--config", clash.toString(), "--out", dir.resolve("r.jsonl").toString());
        assertEquals(2, refused.exitCode(), refused.err());
        assertTrue(refused.err().contains("fraud.deny.reason: 'LISTED' is already the reason of fraud.allow.reason"), refused.err());

        final Path data = dir.resolve("data");
        final Path out = dir.resolve("o.jsonl");
        assertEquals(0, CommandRun.ringfence("run", "--input", EXAMPLES.resolve("shop.jsonl").toString(), "--data", data.toString(),
                "--out", out.toString()).exitCode());
        io.ringfence.tools.io.RecordedConfig.record(data, io.ringfence.engine.config.EngineConfigLoader.loadValidated(clash));
        final Path again = dir.resolve("again.jsonl");
        final CommandRun replay = CommandRun.ringfence("replay", "--data", data.toString(), "--out", again.toString());
        assertEquals(0, replay.exitCode(), replay.err());
        assertTrue(replay.err().contains("warning: " + data.resolve("ringfence-config.yaml")) && replay.err().contains("re-decided as it"
                + " was decided"), replay.err());
        final CommandRun explain = CommandRun.ringfence("explain", "--data", data.toString(), "--order", "o1");
        assertEquals(0, explain.exitCode(), explain.err());
        // a what-if decides anew: refused as run refuses it (review: it was taken with a warning that it was "decided")
        final CommandRun whatIf = CommandRun.ringfence("replay", "--data", dir.resolve("refused").toString().replace("refused", "data"),
                "--config", clash.toString(), "--diff", "--out", dir.resolve("w.jsonl").toString());
        assertEquals(2, whatIf.exitCode(), whatIf.err());
        assertTrue(whatIf.err().contains(clash + " line 3: fraud.deny.reason: 'LISTED' is already the reason of fraud.allow.reason"),
                whatIf.err());
    }

    /** New-user trial: run's summary gave the number of decisions but not their outcomes, as demo and load do. */
    @Test
    void shouldCountDecisionsByOutcomeInTheSummary() throws IOException {
        final Path out = dir.resolve("o.jsonl");
        final CommandRun run = CommandRun.ringfence("run", "--input", EXAMPLES.resolve("shop.jsonl").toString(), "--data",
                dir.resolve("data").toString(), "--out", out.toString());
        assertEquals(0, run.exitCode(), run.err());
        final Map<String, Long> written = new LinkedHashMap<>();
        for (final JsonNode n : readJsonLines(out)) {
            if (n.get("type").asText().equals("decision")) {
                written.merge(n.get("decision").asText(), 1L, Long::sum);
            }
        }
        final long decisions = written.values().stream().mapToLong(Long::longValue).sum();
        assertTrue(decisions > 0 && written.size() >= 2, "the example is decided more than one way: " + written);
        assertTrue(run.err().contains(String.format("%n  decisions: %,d (APPROVE %,d, REVIEW %,d, DECLINE %,d)%n", decisions,
                written.getOrDefault("APPROVE", 0L), written.getOrDefault("REVIEW", 0L), written.getOrDefault("DECLINE", 0L))), run.err());
    }

    /** README walkthrough trial: the engine's own rejects (of journaled status changes) were counted, not by reason. */
    @Test
    void shouldCountTheEnginesRejectsByReasonInTheSummary() throws IOException {
        final Path out = dir.resolve("o.jsonl");
        final CommandRun run = CommandRun.ringfence("run", "--input", EXAMPLES.resolve("shop.jsonl").toString(), "--data",
                dir.resolve("data").toString(), "--out", out.toString());
        assertEquals(0, run.exitCode(), run.err());
        final Map<String, Long> byCode = new LinkedHashMap<>();
        for (final JsonNode n : readJsonLines(out)) {
            if (n.get("type").asText().equals("reject") && n.get("seq").asLong() > 0) {
                byCode.merge(n.get("code").asText(), 1L, Long::sum);
            }
        }
        assertTrue(!byCode.isEmpty(), "the example has status changes the engine refuses");
        final StringBuilder expected = new StringBuilder();
        byCode.forEach((code, n) -> expected.append(expected.length() == 0 ? "" : ", ").append(code).append(' ').append(n));
        final long total = byCode.values().stream().mapToLong(Long::longValue).sum();
        assertTrue(run.err().contains(String.format("%,d status rejects (%s)", total, expected)), expected + ": " + run.err());
    }

    /** New-user trial: a configuration with bad indentation printed the YAML reader's several-line dump. */
    @Test
    void shouldSayABrokenConfigurationInOneLine() throws IOException {
        final Path config = dir.resolve("c.yaml");
        Files.writeString(config, "fraud:\n  reviewAt: 0.5\n declineAt: 0.9\n");
        final CommandRun run = CommandRun.ringfence("run", "--input", EXAMPLES.resolve("shop.jsonl").toString(), "--data",
                dir.resolve("data").toString(), "--config", config.toString(), "--out", dir.resolve("o.jsonl").toString());
        assertEquals(2, run.exitCode(), run.err());
        assertTrue(run.err().startsWith("ringfence run: " + config + " line 3, column 2: not valid YAML: "), run.err());
        assertEquals(1, run.err().lines().count(), run.err());
    }

    @Test
    void shouldSayHowManyKeysAnAnomalyMonitorRefusedAtMaxSeries() throws IOException {
        // windows trial: with maxSeries 2 on 38 countries only 2 were monitored, and nothing said so
        final Path input = dir.resolve("shop.jsonl");
        assertEquals(0, CommandRun.ringfence("generate", "--events", "6000", "--seed", "3", "--gap-ms", "2000",
                "--out", input.toString()).exitCode());
        final Path config = dir.resolve("monitor.yaml");
        Files.writeString(config, "anomalies:\n  - name: by_country\n    window: gmv_by_country_1h\n    metric: count\n"
                + "    maxSeries: 1\n");
        final CommandRun run = CommandRun.ringfence("run", "--input", input.toString(), "--data", dir.resolve("data").toString(),
                "--config", config.toString(), "--out", dir.resolve("out.jsonl").toString());
        assertEquals(0, run.exitCode(), run.err());
        final java.util.regex.Matcher m = java.util.regex.Pattern.compile("anomaly monitor by_country \\(window gmv_by_country_1h\\):"
                + " 1 series tracked, ([0-9,]+) key intervals refused \\(maxSeries 1\\), [0-9,]+ series evicted idle, [0-9,]+ alerts").matcher(run.err());
        assertTrue(m.find(), run.err());
        assertTrue(Long.parseLong(m.group(1).replace(",", "")) > 0, "the other countries' keys: " + m.group());
    }

    @Test
    void shouldRejectEachBadLineWithItsNumberAndProcessEveryGoodLine() throws IOException {
        final Path out = dir.resolve("out.jsonl");
        final Path data = dir.resolve("data");
        final CommandRun run = CommandRun.ringfence("run", "--input", EXAMPLES.resolve("bad-input.jsonl").toString(),
                "--data", data.toString(), "--out", out.toString(), "--config", EXAMPLES.resolve("small-lines.yaml").toString());
        assertEquals(0, run.exitCode(), run.err());

        final Map<Long, String> rejects = new LinkedHashMap<>();
        for (final JsonNode n : readJsonLines(out)) {
            if (n.get("type").asText().equals("reject")) {
                assertEquals(-1, n.get("seq").asLong());
                assertTrue(n.get("reason").asText().length() > 10, n.toString());
                rejects.put(n.get("line").asLong(), n.get("code").asText());
            }
        }
        final Map<Long, String> expected = new LinkedHashMap<>();
        expected.put(2L, "MALFORMED");
        expected.put(3L, "UNKNOWN_TYPE");
        expected.put(4L, "MISSING_FIELD");
        expected.put(5L, "BAD_VALUE");
        expected.put(6L, "BAD_VALUE");
        expected.put(7L, "UNKNOWN_CURRENCY");
        expected.put(8L, "BAD_TIME");
        expected.put(9L, "ID_TOO_LONG");
        expected.put(10L, "TOO_LARGE");
        expected.put(14L, "MISSING_FIELD");
        expected.put(15L, "MALFORMED");
        expected.put(16L, "MALFORMED");
        expected.put(17L, "BAD_VALUE");
        expected.put(19L, "BAD_VALUE");
        assertEquals(expected, rejects, "one reject per bad line, in order, with its code");
        assertTrue(run.err().contains("20 lines: 5 events journaled, 14 lines rejected, 1 blank lines skipped"), run.err());

        // the journal holds exactly the five good lines, in order, and reads back cleanly
        final Path dump = dir.resolve("dump.jsonl");
        final CommandRun journal = CommandRun.ringfence("journal", "--data", data.toString(), "--out", dump.toString());
        assertEquals(0, journal.exitCode(), journal.err());
        final List<JsonNode> events = readJsonLines(dump);
        assertEquals(5, events.size());
        final List<String> types = new ArrayList<>();
        long previousLine = 0;
        for (int i = 0; i < events.size(); i++) {
            assertEquals(i + 1, events.get(i).get("seq").asLong());
            types.add(events.get(i).get("type").asText());
            final long line = events.get(i).get("clientSeq").asLong(); // for a file, the input line it came from
            assertTrue(line > previousLine, "each event names its input line: " + events.get(i));
            previousLine = line;
        }
        assertEquals(1, events.get(0).get("clientSeq").asLong(), "line 1 is the good order");
        assertEquals(List.of("order", "payment", "activity", "orderStatus", "inventory"), types);
        assertEquals("o-1", events.get(0).get("orderId").asText());
        assertEquals("139.12", events.get(0).get("amount").asText());
    }

    @Test
    void shouldRefuseAnEventStampedFarAheadOfTheClockSoItCannotMoveTheEngineClock() throws IOException {
        final Path input = dir.resolve("future.jsonl");
        Files.writeString(input, String.join("\n",
            "{\"type\":\"order\",\"time\":\"2026-05-01T10:00:00Z\",\"orderId\":\"f1\",\"userId\":\"u1\",\"amount\":\"5.00\",\"currency\":\"EUR\"}",
            "{\"type\":\"inventory\",\"time\":\"2099-05-01T10:00:00Z\",\"sku\":\"s1\",\"warehouse\":\"w1\",\"delta\":5}",
            "{\"type\":\"orderStatus\",\"time\":\"2026-05-01T10:05:00Z\",\"orderId\":\"f1\",\"status\":\"PAID\"}", ""));
        final Path out = dir.resolve("out.jsonl");
        final CommandRun run = CommandRun.ringfence("run", "--input", input.toString(), "--data", dir.resolve("data").toString(),
            "--out", out.toString());
        assertEquals(0, run.exitCode(), run.err());
        final List<String> lines = new ArrayList<>();
        for (final JsonNode n : readJsonLines(out)) {
            lines.add(n.get("type").asText() + (n.has("code") ? " " + n.get("code").asText() + " line " + n.get("line") : "")
                + (n.has("status") ? " " + n.get("status").asText() : ""));
            if (n.has("code")) {
                assertTrue(n.get("reason").asText().startsWith("'time' 2099-05-01T10:00:00Z is more than input.maxAhead (5m) ahead"),
                    n.toString());
            }
        }
        // the order is not forgotten as overdue, so PAID is a valid move (not UNKNOWN_ORDER)
        assertEquals(List.of("decision", "orderStatusPush CREATED", "reject TIME_AHEAD line 2", "orderStatusPush PAID"), lines);

        final Path config = dir.resolve("off.yaml");
        Files.writeString(config, "input:\n  maxAhead: 0s\n");
        final CommandRun off = CommandRun.ringfence("run", "--input", input.toString(), "--data", dir.resolve("data2").toString(),
            "--out", dir.resolve("out2.jsonl").toString(), "--config", config.toString());
        assertEquals(0, off.exitCode(), off.err());
        assertTrue(off.err().contains("3 events journaled"), "0s turns the check off: " + off.err());
    }

    @Test
    void shouldStopAtTheFirstBadLineWhenStrict() throws IOException {
        final Path data = dir.resolve("data");
        final CommandRun run = CommandRun.ringfence("run", "--strict", "--input", EXAMPLES.resolve("bad-input.jsonl").toString(),
                "--data", data.toString(), "--out", dir.resolve("out.jsonl").toString());
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("bad-input.jsonl:2: MALFORMED"), run.err());
        final CommandRun journal = CommandRun.ringfence("journal", "--data", data.toString());
        assertEquals(1, journal.out().lines().count(), "the good line before it is journaled");
    }

    @Test
    void shouldSummariseOutputsWhosePartsAddUpToTheTotal() {
        final CommandRun run = CommandRun.ringfence("run", "--input", EXAMPLES.resolve("shop.jsonl").toString(),
                "--data", dir.resolve("sum").toString(), "--out", dir.resolve("sum.jsonl").toString());
        assertEquals(0, run.exitCode(), run.err());
        final java.util.regex.Matcher line = java.util.regex.Pattern.compile("outputs: ([\\d,]+) \\(([^)]*)\\)").matcher(run.out() + run.err());
        assertTrue(line.find(), run.out() + run.err());
        long parts = 0;
        for (final String part : line.group(2).split(", ")) {
            parts += Long.parseLong(part.substring(part.lastIndexOf(' ') + 1).replace(",", ""));
        }
        assertEquals(Long.parseLong(line.group(1).replace(",", "")), parts, line.group());
        assertTrue(line.group(2).contains("orderStatusPush"), line.group());
    }

    @Test
    void shouldRefuseADataDirectoryThatAlreadyHoldsAJournalUnlessFresh() throws IOException {
        final String data = dir.resolve("data").toString();
        final String input = EXAMPLES.resolve("shop.jsonl").toString();
        final String out = dir.resolve("out.jsonl").toString();
        assertEquals(0, CommandRun.ringfence("run", "--input", input, "--data", data, "--out", out).exitCode());
        final CommandRun again = CommandRun.ringfence("run", "--input", input, "--data", data, "--out", out);
        assertEquals(2, again.exitCode());
        assertTrue(again.err().contains("already holds a journal"), again.err());
        final Path snapshots = Files.createDirectories(dir.resolve("data").resolve("snapshots"));
        final Path old = Files.write(snapshots.resolve("snapshot-00000000000000000010.snap"), new byte[] {1});
        final Path keep = Files.write(snapshots.resolve("notes.txt"), new byte[] {1});
        assertEquals(0, CommandRun.ringfence("run", "--fresh", "--input", input, "--data", data, "--out", out).exitCode());
        assertFalse(Files.exists(old), "the deleted journal's snapshots go with it");
        assertTrue(Files.exists(keep), "only snapshot files are deleted");
    }

    @Test
    void shouldExitTwoOnAMissingInputOrABadConfiguration() throws IOException {
        final String data = dir.resolve("data").toString();
        final String out = dir.resolve("out.jsonl").toString();
        final CommandRun missing = CommandRun.ringfence("run", "--input", dir.resolve("nope.jsonl").toString(), "--data", data, "--out", out);
        assertEquals(2, missing.exitCode());
        assertTrue(missing.err().contains("nope.jsonl: no such file"), missing.err());

        final Path config = dir.resolve("bad.yaml");
        Files.writeString(config, "pipeline:\n  ringSize: 1000\n");
        final CommandRun bad = CommandRun.ringfence("run", "--input", EXAMPLES.resolve("shop.jsonl").toString(), "--data", data,
                "--out", out, "--config", config.toString());
        assertEquals(2, bad.exitCode());
        assertTrue(bad.err().contains("pipeline.ringSize: '1000' must be a power of two"), bad.err());

        Files.writeString(config, "gateway:\n  prot: 7001\n"); // read by server only, but the same file starts one
        final CommandRun badGateway = CommandRun.ringfence("run", "--input", EXAMPLES.resolve("shop.jsonl").toString(), "--data", data,
                "--out", out, "--config", config.toString());
        assertEquals(2, badGateway.exitCode());
        assertTrue(badGateway.err().contains("gateway.prot: unknown field"), badGateway.err());
        assertFalse(Files.exists(Path.of(data)), "refused before the data directory is made");

        assertEquals(2, CommandRun.ringfence("run", "--data", data).exitCode(), "missing required options");
    }

    /** Analyst trial: a dataset CSV given as it came (convert forgotten) exited 0 with "0 events journaled". */
    @Test
    void shouldExitTwoAndPointToConvertWhenNoLineIsAnEvent() throws IOException {
        final Path csv = dir.resolve("transactions.csv");
        Files.writeString(csv, "step,type,amount,nameOrig\n1,PAYMENT,9839.64,C1231006815\n1,PAYMENT,1864.28,C1666544295\n");
        final CommandRun run = CommandRun.ringfence("run", "--input", csv.toString(), "--data", dir.resolve("csv-data").toString(),
                "--out", dir.resolve("csv-out.jsonl").toString());
        assertEquals(2, run.exitCode(), run.err());
        assertTrue(run.err().contains("no line of " + csv + " is an event (all 3 rejected") && run.err().contains("ringfence convert"),
                run.err());
        final CommandRun some = CommandRun.ringfence("run", "--input", EXAMPLES.resolve("bad-input.jsonl").toString(), "--data",
                dir.resolve("some-data").toString(), "--out", dir.resolve("some-out.jsonl").toString());
        assertEquals(0, some.exitCode(), "bad lines among events are rejects, not a failure: " + some.err());
    }

    @Test
    void shouldCreateANewJournalWithTheConfiguredRollCycle() throws Exception {
        final Path config = dir.resolve("hourly.yaml");
        Files.writeString(config, "journal:\n  rollCycle: FAST_HOURLY\n");
        final Path data = dir.resolve("hourly");
        final CommandRun run = CommandRun.ringfence("run", "--input", EXAMPLES.resolve("shop.jsonl").toString(), "--data", data.toString(),
            "--out", dir.resolve("o.jsonl").toString(), "--config", config.toString());
        assertEquals(0, run.exitCode(), run.err());
        assertFalse(run.err().contains("is ignored"), "a new journal takes the configured cycle (config trial: it got the default): " + run.err());
        try (java.util.stream.Stream<Path> files = Files.list(data)) {
            assertTrue(files.map(f -> f.getFileName().toString()).anyMatch(n -> n.matches("\\d{8}-\\d{2}F\\.cq4")),
                "an hourly cycle file in " + data);
        }
    }

    @Test
    void shouldPointToFreshWhenTheDataDirectoryHoldsAJournalAndNameAnUnknownCommand() {
        final String data = dir.resolve("data").toString();
        final String out = dir.resolve("out.jsonl").toString();
        final String input = EXAMPLES.resolve("shop.jsonl").toString();
        assertEquals(0, CommandRun.ringfence("run", "--input", input, "--data", data, "--out", out).exitCode());
        final CommandRun again = CommandRun.ringfence("run", "--input", input, "--data", data, "--out", out);
        assertEquals(2, again.exitCode());
        assertTrue(again.err().contains("already holds a journal of 5,000 events; add --fresh to delete it"), again.err());

        // an --out that cannot be written is found before --fresh deletes the journal (config trial: it was deleted first)
        final CommandRun badOut = CommandRun.ringfence("run", "--fresh", "--input", input, "--data", data, "--out", dir.toString());
        assertEquals(2, badOut.exitCode(), badOut.err());
        assertTrue(badOut.err().startsWith("ringfence run: cannot write --out " + dir) && badOut.err().contains("nothing in " + data
            + " was deleted"), badOut.err());
        assertTrue(CommandRun.ringfence("run", "--input", input, "--data", data, "--out", out).err()
            .contains("already holds a journal of 5,000 events"), "the journal is still there");
        final CommandRun fileAsData = CommandRun.ringfence("run", "--input", input, "--data", out, "--out", dir.resolve("o2").toString());
        assertEquals(2, fileAsData.exitCode(), fileAsData.err());
        assertTrue(fileAsData.err().contains("--data " + out + " is a file, not a directory"), fileAsData.err());

        final CommandRun unknown = CommandRun.ringfence("frobnicate");
        assertEquals(2, unknown.exitCode());
        assertTrue(unknown.err().startsWith("ringfence: unknown command 'frobnicate' ("), unknown.err());
        assertTrue(unknown.err().endsWith("; see 'ringfence --help'\n"), unknown.err());
        final CommandRun none = CommandRun.ringfence();
        assertEquals(2, none.exitCode(), "no command is bad usage");
        assertTrue(none.err().contains("Commands:"), "the usage, on stderr: " + none.err());
        assertEquals(0, CommandRun.ringfence("--help").exitCode());
        final CommandRun badFlag = CommandRun.ringfence("run", "--data", data, "--bogus");
        assertTrue(badFlag.err().startsWith("ringfence run: unknown option '--bogus'") && badFlag.err().contains("see 'ringfence run --help'"),
            badFlag.err());
        final CommandRun typo = CommandRun.ringfence("replay", "--dat", data);
        assertEquals(2, typo.exitCode());
        assertTrue(typo.err().startsWith("ringfence replay: unknown option '--dat' (did you mean --data?; and missing required option: '--data=DIR')"),
            "the typo is named before the required option it hides: " + typo.err());
    }

    @Test
    void shouldReplayTheBundledExampleToByteIdenticalOutputs() throws IOException {
        final Path data = dir.resolve("data");
        final Path out = dir.resolve("run.jsonl");
        final Path replayed = dir.resolve("replay.jsonl");
        assertEquals(0, CommandRun.ringfence("run", "--input", EXAMPLES.resolve("shop.jsonl").toString(), "--data", data.toString(),
                "--out", out.toString()).exitCode());
        final CommandRun replay = CommandRun.ringfence("replay", "--data", data.toString(), "--out", replayed.toString());
        assertEquals(0, replay.exitCode(), replay.err());
        assertTrue(Files.size(out) > 1000, "the example produces window results");
        assertArrayEquals(Files.readAllBytes(out), Files.readAllBytes(replayed));
    }

    @Test
    void shouldDumpTheJournalFromASequenceWithALimit() throws IOException {
        final Path data = dir.resolve("data");
        assertEquals(0, CommandRun.ringfence("run", "--input", EXAMPLES.resolve("shop.jsonl").toString(), "--data", data.toString(),
                "--out", dir.resolve("o.jsonl").toString()).exitCode());
        final CommandRun dump = CommandRun.ringfence("journal", "--data", data.toString(), "--from", "100", "--limit", "3");
        assertEquals(0, dump.exitCode(), dump.err());
        final List<String> lines = dump.out().lines().toList();
        assertEquals(3, lines.size());
        assertEquals(100, JSON.readTree(lines.get(0)).get("seq").asLong());
        assertEquals(102, JSON.readTree(lines.get(2)).get("seq").asLong());
        assertEquals(2, CommandRun.ringfence("journal", "--data", dir.resolve("none").toString()).exitCode());
        final CommandRun past = CommandRun.ringfence("journal", "--data", data.toString(), "--from", "999999");
        assertEquals(2, past.exitCode(), past.err());
        assertTrue(past.err().contains("--from 999,999 is past the journal's end"), past.err());
        final CommandRun date = CommandRun.ringfence("journal", "--data", data.toString(), "--from", "2015-09-15");
        assertEquals(2, date.exitCode(), date.err());
        assertTrue(date.err().contains("--from is an engine sequence (a number >= 1), not '2015-09-15'; for the outputs of a time"
            + " range use `ringfence replay"), "analyst trial: a date got \"is not a long\": " + date.err());
        final Path kept = dir.resolve("kept.jsonl");
        Files.writeString(kept, "keep\n");
        assertEquals(2, CommandRun.ringfence("journal", "--data", data.toString(), "--from", "999999", "--out", kept.toString())
            .exitCode());
        assertEquals("keep\n", Files.readString(kept), "a refused dump leaves the file it names alone (trial: it was emptied)");
        final CommandRun negative = CommandRun.ringfence("journal", "--data", data.toString(), "--limit", "-5");
        assertEquals(2, negative.exitCode(), negative.err());
        assertTrue(negative.err().contains("--limit must be"), negative.err());
    }
}
