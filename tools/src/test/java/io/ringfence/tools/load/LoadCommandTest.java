package io.ringfence.tools.load;

import io.ringfence.engine.config.EngineConfig;
import io.ringfence.engine.config.EngineConfigLoader;
import io.ringfence.gateway.bridge.EngineGateway;
import io.ringfence.gateway.bridge.SbeEventValidator;
import io.ringfence.gateway.config.GatewayConfig;
import io.ringfence.tools.CommandRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code load} against an in-process engine and gateway on a loopback port. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LoadCommandTest {
    private static final Pattern CLIENT_SEQ = Pattern.compile("\"clientSeq\":(\\d+)");

    @TempDir
    Path dir;

    private EngineGateway start(final int port) {
        return start(port, null);
    }

    /** @param validator null for a structural check only, no clock (events of 2026 sent in any year) */
    private EngineGateway start(final int port, final io.ringfence.gateway.bridge.EngineIngress.Validator validator) {
        return start(port, validator, new GatewayConfig());
    }

    private EngineGateway start(final int port, final io.ringfence.gateway.bridge.EngineIngress.Validator validator,
                                final GatewayConfig gateway) {
        final EngineConfig engine = EngineConfigLoader.defaults();
        engine.pipeline.waitStrategy = "blocking";
        gateway.port = port;
        gateway.admin.enabled = false;
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try {
                return EngineGateway.start(engine, gateway, dir.resolve("srv"),
                    validator != null ? validator : new SbeEventValidator(1 << 16));
            } catch (final UncheckedIOException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                LockSupport.parkNanos(50_000_000L);
            }
        }
    }

    @Test
    void sendsTheGeneratedShopAtTheRateAndWritesOneAnswerPerEvent() throws Exception {
        final Path answers = dir.resolve("answers.jsonl");
        final CommandRun run;
        try (EngineGateway gateway = start(0)) {
            run = CommandRun.ringfence("load", "--port", String.valueOf(gateway.port()), "--data", dir.resolve("srv").toString(),
                "--generate", "3000", "--rate", "5000", "--out", answers.toString());
            assertEquals(3000, gateway.engine().pipeline().lastSequence(), "every event journaled once");
        }
        assertEquals(0, run.exitCode(), run.err() + run.out());
        assertTrue(run.out().contains("sent 3,000 events (clientSeq 1..3,000)"), run.out());
        assertTrue(run.out().contains("answers: 3,000 of 3,000 events"), run.out());
        assertTrue(run.out().contains("(5,000/s offered)"), run.out());
        assertTrue(Pattern.compile("p50\\s+p90\\s+p99\\s+p99.9\\s+p99.99\\s+max\\n[\\d, ]+\\n").matcher(run.out()).find(),
            "a percentile table: " + run.out());
        final List<String> lines = Files.readAllLines(answers);
        assertEquals(3000, lines.size());
        final Set<Long> seqs = new HashSet<>();
        long decisions = 0;
        for (final String line : lines) {
            assertTrue(line.startsWith("{\"type\":\"decision\"") || line.startsWith("{\"type\":\"ack\""), line);
            decisions += line.startsWith("{\"type\":\"decision\"") ? 1 : 0;
            final Matcher m = CLIENT_SEQ.matcher(line);
            assertTrue(m.find(), line);
            assertTrue(seqs.add(Long.parseLong(m.group(1))), "one line per event: " + line);
            // a generated run's event n is its clientSeq n here (a fresh server): every answer names its line
            assertTrue(line.endsWith(",\"line\":" + m.group(1) + "}"), "joins back to its input line: " + line);
            new com.fasterxml.jackson.databind.ObjectMapper().readTree(line); // still one JSON object
        }
        assertTrue(decisions > 30, "orders and payments are decided (new customers browse on their first visit): " + decisions);
        assertTrue(run.out().contains(String.format("%,d decisions", decisions)), run.out());
    }

    /**
     * Slow-consumer audit: against a server with the smallest buffer its frames allow (16 KiB for 2 KiB frames) load kept up
     * to 1 MiB of answers owed and was disconnected as a slow consumer 2 to 46 times a run. {@code --server-buffer} fits it.
     */
    @Test
    void fitsTheAnswersItCanBeOwedToASmallServerBuffer() throws Exception {
        final GatewayConfig small = new GatewayConfig();
        small.maxFrameBytes = 2048;
        small.outboundBufferBytes = 16384;
        final CommandRun run;
        try (EngineGateway gateway = start(0, null, small)) {
            run = CommandRun.ringfence("load", "--port", String.valueOf(gateway.port()), "--data", dir.resolve("srv").toString(),
                "--generate", "5000", "--server-buffer", "16384", "--out", dir.resolve("answers.jsonl").toString());
            assertEquals(5000, gateway.engine().pipeline().lastSequence(), "every event journaled once");
        }
        assertEquals(0, run.exitCode(), run.err() + run.out());
        assertTrue(run.out().contains("answers: 5,000 of 5,000 events"), run.out());
        assertTrue(run.out().contains("connection: 0 disconnects, 0 reconnects"), run.out());

        final CommandRun bad = CommandRun.ringfence("load", "--port", "1", "--data", dir.resolve("srv").toString(), "--generate", "1",
            "--server-buffer", "10000");
        assertEquals(2, bad.exitCode(), bad.err());
        assertTrue(bad.err().contains("--server-buffer must be the server's gateway.outboundBufferBytes: a power of two of at least"
            + " 4096, not 10000"), bad.err());
    }

    /**
     * Against a server of schema version 5 load needs no {@code --server-buffer}: the LogonAck says the server's limits.
     * A tail of events the engine refuses (over its 1 KiB event limit) that fills the store's limit, half the server's
     * buffer, is let go (review: it never was, below the store's capacity, and load hung at its 13th order for good).
     * A line over the server's frame limit stops the run cleanly, after the answers of what was sent and with the summary
     * (review: send's refusal ended it with neither; skipping the line instead shifted --resume's count, third review).
     */
    @Test
    @org.junit.jupiter.api.Timeout(value = 120, unit = TimeUnit.SECONDS)
    void fitsItselfToTheLimitsTheServerSaysAtLogon() throws Exception {
        final GatewayConfig small = new GatewayConfig();
        small.maxFrameBytes = 2048;
        small.outboundBufferBytes = 16384;
        final List<String> lines = new java.util.ArrayList<>();
        final String inventory = "{\"type\":\"inventory\",\"time\":\"2026-01-05T10:00:00Z\",\"sku\":\"s\",\"warehouse\":\"w\",\"delta\":1}";
        lines.add(inventory);
        for (int i = 0; i < 20; i++) {
            lines.add(order("r" + i, 12)); // under the server's 2,048-byte frames, over the engine's 1 KiB events: refused
        }
        for (int i = 0; i < 5; i++) {
            lines.add(inventory);
        }
        lines.add(order("big", 30)); // line 27: over the server's frames
        lines.add(inventory);
        final Path input = dir.resolve("limits.jsonl");
        Files.write(input, lines);
        final Path answers = dir.resolve("answers.jsonl");
        final CommandRun run;
        try (EngineGateway gateway = start(0, new SbeEventValidator(1024), small)) {
            run = CommandRun.ringfence("load", "--port", String.valueOf(gateway.port()), "--data", dir.resolve("srv").toString(),
                "--input", input.toString(), "--out", answers.toString());
            assertEquals(6, gateway.engine().pipeline().lastSequence(), "the inventory lines before the big order, nothing else");
        }
        assertEquals(1, run.exitCode(), run.err() + run.out());
        assertTrue(run.err().contains(":27: event of "), run.err());
        assertTrue(run.err().contains("exceeds the server's gateway.maxFrameBytes 2048 (told at logon): not sent, nor anything"
            + " after it"), run.err());
        assertTrue(run.out().contains("answers: 26 of 26 events"), run.out());
        assertEquals(26, Files.readAllLines(answers).size(), "every answer before it written");
    }

    @Test
    void printsSlowRatesWithTheirDigits() {
        assertEquals("0.125", LoadStats.perSecond(0.125), "--rate 0.125 printed 0 events/s");
        assertEquals("2.5", LoadStats.perSecond(2.5));
        assertEquals("0.333", LoadStats.perSecond(1 / 3.0));
        assertEquals("5,000", LoadStats.perSecond(5_000));
        assertEquals("12", LoadStats.perSecond(12.4));
        assertEquals("0", LoadStats.perSecond(0));
    }

    /** An order of {@code items} lines, as JSON. */
    private static String order(final String id, final int items) {
        final StringBuilder b = new StringBuilder("{\"type\":\"order\",\"time\":\"2026-01-05T10:00:00Z\",\"orderId\":\"" + id
            + "\",\"userId\":\"u1\",\"amount\":\"12.00\",\"currency\":\"EUR\",\"items\":[");
        for (int i = 0; i < items; i++) {
            b.append(i == 0 ? "" : ",").append("{\"sku\":\"sku-").append(i).append("\",\"qty\":1,\"unitPrice\":\"1.00\",\"category\":\"books\"}");
        }
        return b.append("]}").toString();
    }

    @Test
    void writesAServersRejectWithTheClientSeqItAnswersAndItsLine() throws Exception {
        // soak trial: load wrote a server's reject with "line" in place of "clientSeq", replay with "clientSeq": no diff matched
        final Path input = dir.resolve("events.jsonl");
        Files.write(input, List.of("{\"type\":\"inventory\",\"time\":\"2026-01-05T10:00:00Z\",\"sku\":\"s\",\"warehouse\":\"w\",\"delta\":1}",
            "{\"type\":\"orderStatus\",\"time\":\"2026-01-05T10:00:01Z\",\"orderId\":\"never-seen\",\"status\":\"SHIPPED\"}"));
        final Path answers = dir.resolve("answers.jsonl");
        final CommandRun run = loadIntoAFreshServer(input, answers);
        assertEquals(0, run.exitCode(), run.err() + run.out());
        final List<String> lines = Files.readAllLines(answers);
        assertTrue(lines.stream().anyMatch(l -> l.matches("\\{\"type\":\"reject\",\"seq\":2,\"clientSeq\":2,\"code\":\"UNKNOWN_ORDER\","
            + "\"reason\":\"[^\"]+\",\"line\":2}")), lines.toString());
    }

    /** {@code load --input input --out answers} against a fresh server, stopped after. */
    private CommandRun loadIntoAFreshServer(final Path input, final Path answers) throws Exception {
        try (EngineGateway gateway = start(0)) {
            return CommandRun.ringfence("load", "--port", String.valueOf(gateway.port()), "--data", dir.resolve("srv").toString(),
                "--input", input.toString(), "--out", answers.toString());
        }
    }

    /**
     * A run interrupted and started again re-sent the whole file under new client sequences, and the server journaled
     * every event twice (inventory deltas applied twice). {@code --resume} skips what the server holds: here the first
     * run sent 300 lines (one bad), the resumed one the whole 600-line file: each valid line journaled once, each answered
     * once, the bad line reported once.
     */
    @Test
    void resumesARunWithoutSendingAJournaledEventAgain() throws Exception {
        final List<String> shop = Files.readAllLines(Path.of("..", "examples", "shop.jsonl")).subList(0, 599);
        final List<String> full = new ArrayList<>(shop);
        full.add(99, "{not json"); // line 100
        final Path whole = dir.resolve("whole.jsonl");
        final Path part = dir.resolve("part.jsonl");
        Files.write(whole, full);
        Files.write(part, full.subList(0, 300));
        final Path answers = dir.resolve("answers.jsonl");
        final CommandRun noOut = CommandRun.ringfence("load", "--port", "1", "--input", whole.toString(), "--resume");
        assertEquals(2, noOut.exitCode());
        assertTrue(noOut.err().contains("--resume needs --out FILE"), noOut.err());
        final CommandRun first;
        final CommandRun resumed;
        try (EngineGateway gateway = start(0)) {
            final String port = String.valueOf(gateway.port());
            final String data = dir.resolve("srv").toString();
            first = CommandRun.ringfence("load", "--port", port, "--data", data, "--input", part.toString(), "--out", answers.toString());
            Files.writeString(answers, "{\"type\":\"decision\",\"seq\":30", java.nio.file.StandardOpenOption.APPEND); // killed mid-line
            resumed = CommandRun.ringfence("load", "--port", port, "--data", data, "--input", whole.toString(), "--out",
                    answers.toString(), "--resume");
            assertEquals(599, gateway.engine().pipeline().lastSequence(), "each valid line journaled once");
        }
        assertEquals(0, first.exitCode(), first.err());
        assertEquals(0, resumed.exitCode(), resumed.err());
        assertTrue(resumed.out().contains("resuming the run in " + answers + ": the server holds its events up to clientSeq 299"),
                resumed.out());
        assertTrue(resumed.out().contains("sent 300 events (clientSeq 300..599)"), resumed.out());
        final List<String> lines = Files.readAllLines(answers);
        final Set<Long> seqs = new HashSet<>();
        for (final String line : lines) {
            final Matcher m = CLIENT_SEQ.matcher(line);
            if (m.find()) {
                assertTrue(seqs.add(Long.parseLong(m.group(1))), "one answer per event: " + line);
            }
        }
        assertEquals(599, seqs.size());
        for (final String line : lines) {
            new com.fasterxml.jackson.databind.ObjectMapper().readTree(line); // the cut line dropped, every line whole
        }
        assertTrue(resumed.err().contains("dropped the cut last line"), resumed.err());
        assertEquals(1, lines.stream().filter(l -> l.contains("\"line\":100,") || l.endsWith("\"line\":100}")).count(),
                "the bad line reported once");
        assertTrue(lines.stream().anyMatch(l -> l.contains("\"clientSeq\":300,") && l.endsWith("\"line\":301}")),
                "clientSeq 300 is line 301 (line 100 was bad): " + lines.get(lines.size() - 1));
    }

    /**
     * Trial at scale: a client killed with the server left events journaled whose answers never reached the answers file;
     * --resume skipped them silently (999,369 answers for 1,000,000 events, exit 0). Now it sends them again under their
     * client sequences, and the server answers them from its record: the file ends with every event's answer once, the
     * missing ones equal to what the server answered the first time, nothing journaled twice.
     */
    @Test
    void getsTheAnswersAKilledRunMissedFromTheServerWhenItResumes() throws Exception {
        final List<String> shop = new ArrayList<>(Files.readAllLines(Path.of("..", "examples", "shop.jsonl")).subList(0, 400));
        shop.add(279, "{not json"); // line 280: bad, after where the first run's answers stop
        final Path whole = dir.resolve("whole.jsonl");
        final Path part = dir.resolve("part.jsonl");
        Files.write(whole, shop);
        Files.write(part, shop.subList(0, 301));
        final Path answers = dir.resolve("answers.jsonl");
        final CommandRun resumed;
        try (EngineGateway gateway = start(0)) {
            final String port = String.valueOf(gateway.port());
            final String data = dir.resolve("srv").toString();
            assertEquals(0, CommandRun.ringfence("load", "--port", port, "--data", data, "--input", part.toString(), "--out",
                    answers.toString()).exitCode());
            final List<String> lost = dropAnswers(answers, 250, 260); // they never came back
            assertEquals(11, lost.size());
            resumed = CommandRun.ringfence("load", "--port", port, "--data", data, "--input", whole.toString(), "--out",
                    answers.toString(), "--resume");
            assertEquals(400, gateway.engine().pipeline().lastSequence(), "nothing journaled twice");
            assertEquals(51, gateway.sink().reanswered(), "250..300 sent again, answered from the record");
            assertEquals(0, gateway.sink().resendConflicts(), "the same messages as the first time");
            assertEquals(0, resumed.exitCode(), resumed.err());
            assertTrue(resumed.out().contains("--resume: 11 of them have no answer in " + answers + " (the run stopped before they"
                    + " came back, or they are another run's; the first: clientSeq 250): the events of this input from"
                    + " clientSeq 250 to 300 are sent again under their numbers, the server answers each from its record"),
                resumed.out());
            assertTrue(resumed.out().contains("40 events sent again were already answered in the answers file"), resumed.out());
            final List<String> lines = Files.readAllLines(answers);
            final Set<Long> seqs = new HashSet<>();
            for (final String line : lines) {
                final Matcher m = CLIENT_SEQ.matcher(line);
                assertTrue(m.find() || line.startsWith("{\"type\":\"reject\",\"seq\":-1,"), line);
                if (m.find(0)) {
                    assertTrue(seqs.add(Long.parseLong(m.group(1))), "one answer per event (261..300 not written again): " + line);
                }
            }
            assertEquals(400, seqs.size(), "every event answered in the file");
            assertEquals(1, lines.stream().filter(l -> l.contains("\"line\":280,")).count(),
                "the bad line after the kill point, reported when the first run read its input, is not reported again");
            for (final String answer : lost) {
                assertTrue(lines.contains(answer), "the server's answer of the first time, byte for byte: " + answer);
            }
        }
    }

    /**
     * Trial: events refused as taken by another message (another process under the client id, or an input changed
     * before a resume) were counted among the rejects and load exited 0, though they were never processed.
     */
    @Test
    void exitsOneWhenTheServerHoldsOtherMessagesUnderItsClientSequences() throws Exception {
        final List<String> shop = Files.readAllLines(Path.of("..", "examples", "shop.jsonl")).subList(0, 400);
        final Path part = dir.resolve("part.jsonl");
        Files.write(part, shop.subList(0, 300));
        final List<String> changed = new ArrayList<>(shop);
        java.util.Collections.swap(changed, 254, 255); // lines 255 and 256 swapped: other messages under those numbers
        final Path whole = dir.resolve("changed.jsonl");
        Files.write(whole, changed);
        final Path answers = dir.resolve("answers.jsonl");
        try (EngineGateway gateway = start(0)) {
            final String port = String.valueOf(gateway.port());
            final String data = dir.resolve("srv").toString();
            assertEquals(0, CommandRun.ringfence("load", "--port", port, "--data", data, "--input", part.toString(), "--out",
                    answers.toString()).exitCode());
            dropAnswers(answers, 250, 250); // review: the file still holds answers under 255 and 256 (the journaled messages')
            final CommandRun resumed = CommandRun.ringfence("load", "--port", port, "--data", data, "--input", whole.toString(),
                    "--out", answers.toString(), "--resume");
            assertEquals(1, resumed.exitCode(), resumed.out() + resumed.err());
            assertTrue(resumed.err().contains("ringfence load: 2 event(s) not processed: the server holds other messages under"
                    + " their client sequences"), resumed.err());
            assertTrue(resumed.out().contains("2 events refused as taken by another message"), resumed.out());
            assertEquals(2, gateway.sink().resendConflicts());
            assertEquals(400, gateway.engine().pipeline().lastSequence(), "the two were not journaled again");
        }
    }

    /** The first 400 events of the example shop in {@code whole}, lines 298..300 an hour ahead of any clock; its first 300 in {@code part}. */
    private static void writeShopAheadFrom298(final Path whole, final Path part) throws IOException {
        final List<String> shop = new ArrayList<>(Files.readAllLines(Path.of("..", "examples", "shop.jsonl")).subList(0, 400));
        for (int i = 297; i < 300; i++) {
            shop.set(i, shop.get(i).replace("\"time\":\"2026-", "\"time\":\"2099-"));
        }
        Files.write(whole, shop);
        Files.write(part, shop.subList(0, 300));
    }

    /** The answers file holds one line for each of client sequences 1..{@code events}. */
    private static void assertOneAnswerPerEvent(final Path answers, final int events) throws IOException {
        final java.util.Map<Long, Integer> lines = new java.util.TreeMap<>();
        for (final String line : Files.readAllLines(answers)) {
            final Matcher m = CLIENT_SEQ.matcher(line);
            assertTrue(m.find(), line);
            lines.merge(Long.parseLong(m.group(1)), 1, Integer::sum);
        }
        assertEquals(events, lines.size());
        assertEquals(java.util.Set.of(1), new java.util.HashSet<>(lines.values()), "one answer per event: " + lines);
    }

    /**
     * Review of schema version 6 (HIGH): a run whose last events were refused, resumed against a server restarted
     * without its refusals (a kill -9; here its snapshots removed) and with a limit lifted (maxAhead), sent those events
     * again under their numbers: they were journaled and decided, and the file held a refusal and a decision for each.
     * Now the resumed run says at logon what its file answers and starts after the refusals.
     */
    @Test
    void neverSendsAgainTheRefusalsItsFileHoldsAfterARestartLiftedTheLimit() throws Exception {
        final Path whole = dir.resolve("whole.jsonl");
        final Path part = dir.resolve("part.jsonl");
        writeShopAheadFrom298(whole, part);
        final Path answers = dir.resolve("answers.jsonl");
        final String data = dir.resolve("srv").toString();
        final int port;
        try (EngineGateway gateway = start(0, SbeEventValidator.of(EngineConfigLoader.defaults().input))) {
            port = gateway.port();
            assertEquals(0, CommandRun.ringfence("load", "--port", String.valueOf(port), "--data", data, "--input",
                    part.toString(), "--out", answers.toString()).exitCode());
            assertEquals(297, gateway.engine().pipeline().lastSequence(), "298..300 refused as too far ahead");
        }
        try (java.util.stream.Stream<Path> snapshots = Files.list(dir.resolve("srv").resolve("snapshots"))) {
            for (final Path snapshot : snapshots.toList()) {
                Files.delete(snapshot); // the refusals forgotten, as by a kill -9
            }
        }
        try (EngineGateway gateway = start(port)) { // no clock check: 2099 passes now
            final CommandRun resumed = CommandRun.ringfence("load", "--port", String.valueOf(port), "--data", data, "--input",
                    whole.toString(), "--out", answers.toString(), "--resume");
            assertEquals(0, resumed.exitCode(), resumed.out() + resumed.err());
            assertEquals(397, gateway.engine().pipeline().lastSequence(), "301..400 journaled, never 298..300: " + resumed.err());
            assertOneAnswerPerEvent(answers, 400);
        }
    }

    /**
     * Review: a killed run's refused tail (events the server refused, so not journaled, answered in the file) is sent as
     * new by the resumed run and refused again: that refusal was written a second time.
     */
    @Test
    void writesTheRefusalsOfAResumedRunsRefusedTailOnce() throws Exception {
        final Path whole = dir.resolve("whole.jsonl");
        final Path part = dir.resolve("part.jsonl");
        writeShopAheadFrom298(whole, part);
        final Path answers = dir.resolve("answers.jsonl");
        try (EngineGateway gateway = start(0, SbeEventValidator.of(EngineConfigLoader.defaults().input))) {
            final String port = String.valueOf(gateway.port());
            final String data = dir.resolve("srv").toString();
            assertEquals(0, CommandRun.ringfence("load", "--port", port, "--data", data, "--input", part.toString(), "--out",
                    answers.toString()).exitCode());
            assertEquals(297, gateway.engine().pipeline().lastSequence(), "298..300 refused as too far ahead");
            dropAnswers(answers, 250, 260);
            final CommandRun resumed = CommandRun.ringfence("load", "--port", port, "--data", data, "--input", whole.toString(),
                    "--out", answers.toString(), "--resume");
            assertEquals(0, resumed.exitCode(), resumed.out() + resumed.err());
            assertOneAnswerPerEvent(answers, 400);
        }
    }

    /**
     * Operator audit: a server whose data directory was restored from an older copy had lost 100 events it had answered;
     * {@code --resume} sent them again as new events without a word (exit 0, two answers under their numbers). Now it
     * says so, with the span, before sending them again.
     */
    @Test
    void warnsWhenTheServerLostEventsTheAnswersFileHasAnswersFor() throws Exception {
        final List<String> shop = Files.readAllLines(Path.of("..", "examples", "shop.jsonl")).subList(0, 400);
        final Path whole = dir.resolve("whole.jsonl");
        Files.write(whole, shop);
        Files.write(dir.resolve("p200.jsonl"), shop.subList(0, 200));
        Files.write(dir.resolve("p300.jsonl"), shop.subList(0, 300));
        final Path answers = dir.resolve("answers.jsonl");
        final String data = dir.resolve("srv").toString();
        try (EngineGateway gateway = start(0)) {
            assertEquals(0, CommandRun.ringfence("load", "--port", String.valueOf(gateway.port()), "--data", data, "--input",
                    dir.resolve("p200.jsonl").toString(), "--out", answers.toString()).exitCode());
        }
        final Path backup = dir.resolve("backup");
        io.ringfence.tools.io.Trees.copy(dir.resolve("srv"), backup);
        try (EngineGateway gateway = start(0)) {
            final CommandRun more = CommandRun.ringfence("load", "--port", String.valueOf(gateway.port()), "--data", data,
                    "--input", dir.resolve("p300.jsonl").toString(), "--out", answers.toString(), "--resume");
            assertEquals(0, more.exitCode(), more.err());
            assertFalse(more.err().contains("WARNING"), more.err());
        }
        io.ringfence.tools.io.Trees.delete(dir.resolve("srv"));
        Files.move(backup, dir.resolve("srv")); // restored from the copy: 201..300 answered, not journaled
        try (EngineGateway gateway = start(0)) {
            final CommandRun resumed = CommandRun.ringfence("load", "--port", String.valueOf(gateway.port()), "--data", data,
                    "--input", whole.toString(), "--out", answers.toString(), "--resume");
            assertEquals(0, resumed.exitCode(), resumed.err());
            assertTrue(resumed.err().contains("--resume: WARNING: the server lost events it had answered: " + answers
                    + " holds 100 decisions and acks for clientSeq 201 to 300, after the last event of this client the server"
                    + " holds (clientSeq 200;"), resumed.err());
            assertFalse(resumed.out().contains("every one of them is answered"), resumed.out());
            assertEquals(400, gateway.engine().pipeline().lastSequence(), "201..400 journaled (again)");
        }
        final java.util.Map<Long, Integer> perSeq = new java.util.TreeMap<>();
        for (final String line : Files.readAllLines(answers)) {
            final Matcher m = CLIENT_SEQ.matcher(line);
            assertTrue(m.find(), line);
            perSeq.merge(Long.parseLong(m.group(1)), 1, Integer::sum);
        }
        assertEquals(400, perSeq.size());
        assertEquals(100, perSeq.values().stream().filter(n -> n == 2).count(), "the old answers kept, the new ones added");
    }

    /** Removes the answers to clientSeq {@code from..to} from the file (a killed run's lost answers); returns them. */
    private static List<String> dropAnswers(final Path answers, final long from, final long to) throws IOException {
        final List<String> kept = new ArrayList<>();
        final List<String> dropped = new ArrayList<>();
        for (final String line : Files.readAllLines(answers)) {
            final Matcher m = CLIENT_SEQ.matcher(line);
            (m.find() && Long.parseLong(m.group(1)) >= from && Long.parseLong(m.group(1)) <= to ? dropped : kept).add(line);
        }
        Files.write(answers, kept);
        return dropped;
    }

    @Test
    void reportsBadLinesWithTheirNumberAndSendsTheRest() throws Exception {
        final Path input = dir.resolve("events.jsonl");
        final List<String> shop = Files.readAllLines(Path.of("..", "examples", "shop.jsonl")).subList(0, 5);
        Files.write(input, List.of(shop.get(0), shop.get(1), "{\"type\":\"order\",\"orderId\":\"x\"}", "", shop.get(2),
            "{not json", shop.get(3), shop.get(4)));
        final Path answers = dir.resolve("answers.jsonl");
        final CommandRun run = loadIntoAFreshServer(input, answers);
        assertEquals(0, run.exitCode(), run.err() + run.out());
        assertTrue(run.err().contains(input + ":3: MISSING_FIELD"), run.err());
        assertTrue(run.err().contains(input + ":6: MALFORMED"), run.err());
        assertTrue(run.out().contains("answers: 5 of 5 events"), run.out());
        assertTrue(run.out().contains("bad input lines skipped: 2"), run.out());
        final List<String> lines = Files.readAllLines(answers);
        assertEquals(7, lines.size(), "5 answers and 2 rejects: " + lines);
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("{\"type\":\"reject\",\"seq\":-1,\"line\":3,")), lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.contains("\"line\":8")), "acks name their input line: " + lines);
    }

    @Test
    void resendsAcrossAServerRestartAndStillAnswersEveryOrder() throws Exception {
        final AtomicReference<EngineGateway> gateway = new AtomicReference<>(start(0));
        final int port = gateway.get().port();
        final Thread restarter = new Thread(() -> {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(700));
            gateway.getAndSet(null).close();
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(300));
            gateway.set(start(port));
        });
        restarter.start();
        final CommandRun run;
        try {
            run = CommandRun.ringfence("load", "--port", String.valueOf(port), "--data", dir.resolve("srv").toString(),
                "--generate", "20000", "--rate", "10000", "--reconnect-for", "20s");
            restarter.join();
            assertEquals(20_000, gateway.get().engine().pipeline().lastSequence(), "every event journaled once, across the restart");
        } finally {
            restarter.join();
            gateway.get().close();
        }
        assertEquals(0, run.exitCode(), run.err() + run.out());
        final Matcher answered = Pattern.compile("answers: ([\\d,]+) of 20,000 events: ([\\d,]+) decisions").matcher(run.out());
        assertTrue(answered.find(), run.out());
        assertTrue(Pattern.compile("connection: [1-9]\\d* disconnects, [1-9]\\d* reconnects").matcher(run.out()).find(), run.out());
        assertEquals("20,000", answered.group(1), "every event answered, Acks of events journaled before the restart included"
            + " (resent for them): " + run.out());
    }

    /**
     * Gateway trial: a first logon refused for a while only (here NOT_AUTHORIZED, a live session of the same client id; also
     * NOT_LOGGED_ON, SERVER_BUSY) ended load with exit 1, though the docs said the client retries it. It is tried again
     * within --wait-for-server.
     */
    @Test
    void logsOnOnceTheClientsOtherSessionHasEnded() throws Exception {
        try (EngineGateway gateway = start(0)) {
            final Path data = dir.resolve("srv");
            final io.ringfence.gateway.config.ClientConfig local = io.ringfence.gateway.session.CredentialsFile.read(data);
            final io.ringfence.gateway.client.GatewayClient other = io.ringfence.gateway.client.GatewayClient.open(
                new io.ringfence.gateway.client.GatewayClientConfig(), new io.ringfence.gateway.client.ClientListener() { },
                "127.0.0.1", gateway.port(), local.id, local.secret);
            final Thread ender = new Thread(() -> {
                // once load has been refused for it (review: a fixed head start could let load log on first on a busy machine)
                final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (gateway.counters().get(io.ringfence.gateway.GatewayCounter.LOGONS_DUPLICATE) == 0
                        && System.nanoTime() < deadline) {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
                }
                other.close();
            });
            ender.start();
            final CommandRun run = CommandRun.ringfence("load", "--port", String.valueOf(gateway.port()), "--data", data.toString(),
                "--generate", "200", "--rate", "2000");
            ender.join();
            assertEquals(0, run.exitCode(), run.err() + run.out());
            assertTrue(run.err().contains("rejected: NOT_AUTHORIZED (this client already has a live session)")
                && run.err().contains("another process is logged on as this client") && run.err().contains(
                "trying again for up to 30s (--wait-for-server)"), run.err());
            assertTrue(run.out().contains("answers: 200 of 200 events"), run.out());
            assertEquals(200, gateway.engine().pipeline().lastSequence());
        }
    }

    /**
     * Review of the retry: a --resume that waited for the client id's other session (a run still writing the same answers
     * file) went on from what it had read of the file before, and wrote 1,439 answers twice. --resume does not wait for it.
     */
    @Test
    void resumeDoesNotWaitForTheClientsOtherSession() throws Exception {
        final Path answers = dir.resolve("answers.jsonl");
        try (EngineGateway gateway = start(0)) {
            final Path data = dir.resolve("srv");
            final String port = String.valueOf(gateway.port());
            assertEquals(0, CommandRun.ringfence("load", "--port", port, "--data", data.toString(), "--generate", "100",
                "--out", answers.toString()).exitCode());
            final String before = Files.readString(answers);
            final io.ringfence.gateway.config.ClientConfig local = io.ringfence.gateway.session.CredentialsFile.read(data);
            try (io.ringfence.gateway.client.GatewayClient other = io.ringfence.gateway.client.GatewayClient.open(
                new io.ringfence.gateway.client.GatewayClientConfig(), new io.ringfence.gateway.client.ClientListener() { },
                "127.0.0.1", gateway.port(), local.id, local.secret)) {
                final CommandRun run = CommandRun.ringfence("load", "--port", port, "--data", data.toString(), "--generate", "200",
                    "--out", answers.toString(), "--resume");
                assertEquals(1, run.exitCode(), run.err() + run.out());
                assertTrue(run.err().contains("rejected: NOT_AUTHORIZED (this client already has a live session)")
                    && run.err().contains("until gateway.idleTimeout") && !run.err().contains("trying again"), run.err());
            }
            assertEquals(before, Files.readString(answers), "the answers file is left as it was");
        }
    }

    /** README walkthrough trial: the events another run sent as the same client were said to be this run's, "sent again". */
    @Test
    void resumeSaysWhichEventsPastItsInputAreNotItsOwn() throws Exception {
        final Path answers = dir.resolve("answers.jsonl");
        try (EngineGateway gateway = start(0)) {
            final String port = String.valueOf(gateway.port());
            final String data = dir.resolve("srv").toString();
            assertEquals(0, CommandRun.ringfence("load", "--port", port, "--data", data, "--generate", "100",
                "--out", answers.toString()).exitCode());
            assertEquals(0, CommandRun.ringfence("load", "--port", port, "--data", data, "--generate", "20", "--seed", "7")
                .exitCode());
            final CommandRun run = CommandRun.ringfence("load", "--port", port, "--data", data, "--generate", "100",
                "--out", answers.toString(), "--resume");
            assertEquals(0, run.exitCode(), run.err() + run.out());
            assertTrue(run.err().contains("the server holds events of 'local' up to clientSeq 120, past this input's last event"
                + " (clientSeq 100): the 20 after it are not this run's"), run.err());
            assertEquals(100, Files.readAllLines(answers).size(), "nothing added");
        }
    }

    @Test
    void givesUpWithExitOneWhenTheServerStaysAway() throws Exception {
        final EngineGateway gateway = start(0);
        final Thread stopper = new Thread(() -> {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(500));
            gateway.close();
        });
        stopper.start();
        final CommandRun run = CommandRun.ringfence("load", "--port", String.valueOf(gateway.port()), "--data",
            dir.resolve("srv").toString(), "--generate", "1000000", "--rate", "5000", "--reconnect-for", "1s");
        stopper.join();
        assertEquals(1, run.exitCode(), run.err() + run.out());
        assertTrue(run.err().contains("could not log on again within 1s; gave up"), run.err());
        assertTrue(run.out().contains("events without an answer: the run stopped before they were answered (")
                && !run.out().contains("the server did not answer them"), "says the run stopped, not that the server refused: " + run.out());
    }

    @Test
    void refusesBadUsageWithExitTwo() throws Exception {
        assertUsage("give exactly one of --input FILE.jsonl and --generate N", "load", "--port", "7001", "--data", dir.toString());
        final CommandRun noCredentials = CommandRun.ringfence("load", "--port", "7001", "--data", dir.toString(), "--generate", "5",
            "--wait-for-server", "0s");
        assertEquals(2, noCredentials.exitCode());
        assertTrue(noCredentials.err().contains("gateway-credentials.properties"), noCredentials.err());
        assertUsage("--client and --secret go together", "load", "--port", "7001", "--client", "c", "--generate", "5");
        assertUsage("missing.jsonl: no such file or not readable", "load", "--port", "7001", "--client", "c", "--secret", "s",
            "--input", dir.resolve("missing.jsonl").toString());
        final Path earlier = dir.resolve("answers.jsonl");
        Files.writeString(earlier, "an earlier run's answers\n");
        final CommandRun refused = CommandRun.ringfence("load", "--port", "1", "--client", "c", "--secret", "0123456789abcdef0",
            "--generate", "5", "--wait-for-server", "0s", "--out", earlier.toString());
        assertEquals(1, refused.exitCode(), "nothing listens on port 1: " + refused.err());
        assertEquals("an earlier run's answers\n", Files.readString(earlier), "a load that never logged on leaves --out as it was (trial)");
        assertTrue(refused.err().contains("cannot connect"), refused.err());
        assertFalse(refused.err().contains("waiting"), "--wait-for-server 0s gives up at once: " + refused.err());
        assertUsage("--wait-for-server: 'soon' is not a duration", "load", "--port", "7001", "--client", "c", "--secret",
            "0123456789abcdef0", "--generate", "5", "--wait-for-server", "soon");
    }

    /** Exit 2 for this reason: exit 2 alone also comes from later checks (no credentials, after a 30 s wait). */
    private static void assertUsage(final String reason, final String... args) throws Exception {
        final CommandRun run = CommandRun.ringfence(args);
        assertEquals(2, run.exitCode(), run.err());
        assertTrue(run.err().contains(reason), "expected '" + reason + "': " + run.err());
    }
}
