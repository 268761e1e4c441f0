package io.ringfence.tools.snapshot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ringfence.engine.Engine;
import io.ringfence.journal.JournalRecordHandler;
import io.ringfence.tools.CommandRun;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code replay} with event filters and {@code explain} start from the newest snapshot taken
 * before the first event they need, and write exactly what a replay from the first event writes.
 */
class SnapshotStartedReplayTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JournalRecordHandler NO_RECORDS = (s, i, src, c, b, o, l) -> { };
    private static final int EVENTS = 9_000;

    @TempDir
    static Path dir;
    static Path data;
    static List<String> all;

    /** A server-like engine journals 9,000 events with a snapshot every 1,500 (and one at shutdown). */
    @BeforeAll
    static void journalWithSnapshots() throws IOException {
        data = dir.resolve("data");
        final List<byte[]> events = SnapshotJournals.events(11, EVENTS);
        try (Engine engine = Engine.recovered(SnapshotJournals.config(true, 1_500), data, new SnapshotJournals.Outputs(),
                NO_RECORDS, new SnapshotJournals.Outputs())) {
            SnapshotJournals.publish(engine.pipeline(), events, 0, EVENTS);
            engine.pipeline().awaitDispatched(1, TimeUnit.MINUTES);
        }
        final Path full = dir.resolve("full.jsonl");
        final CommandRun run = CommandRun.ringfence("replay", "--data", data.toString(), "--out", full.toString());
        assertEquals(0, run.exitCode(), run.err());
        assertFalse(run.err().contains("after its snapshot"), "no filter: the whole journal is replayed\n" + run.err());
        all = Files.readAllLines(full);
        final CommandRun dump = CommandRun.ringfence("journal", "--data", data.toString());
        assertEquals(0, dump.exitCode(), dump.err());
        journal = new ArrayList<>();
        for (final String line : dump.out().split("\n")) {
            journal.add(JSON.readTree(line));
        }
        assertEquals(EVENTS, journal.size());
    }

    /** The journal's events as `journal` dumps them. */
    static List<JsonNode> journal;

    /**
     * The snapshot a replay needing events from {@code seq} on should start from: the newest
     * before it (their sequences depend on timing: one due while the previous is written waits).
     */
    private static long snapshotBefore(final Path dataDir, final long seq, final long skip) throws IOException {
        long best = 0;
        try (var files = Files.list(dataDir.resolve("snapshots"))) {
            for (final Path p : (Iterable<Path>) files::iterator) {
                final String name = p.getFileName().toString();
                if (name.startsWith("snapshot-") && name.endsWith(".snap")) {
                    final long s = Long.parseLong(name.substring("snapshot-".length(), name.length() - ".snap".length()));
                    if (s < seq && s != skip && s > best) {
                        best = s;
                    }
                }
            }
        }
        return best;
    }

    /** Sequence of the first journaled event at or after {@code time}. */
    private static long firstEventAt(final String time) {
        final java.time.Instant t = java.time.Instant.parse(time);
        for (final JsonNode n : journal) {
            if (!java.time.Instant.parse(n.get("time").asText()).isBefore(t)) {
                return n.get("seq").asLong();
            }
        }
        throw new AssertionError("no event at or after " + time);
    }

    private static CommandRun replay(final Path out, final String... args) {
        final List<String> line = new ArrayList<>(List.of("replay", "--data", data.toString(), "--out", out.toString()));
        line.addAll(List.of(args));
        final CommandRun run = CommandRun.ringfence(line.toArray(String[]::new));
        assertEquals(0, run.exitCode(), run.err());
        return run;
    }

    /** The first output line at or after {@code seq}. */
    private static JsonNode firstOutputFrom(final long seq, final String type) throws IOException {
        for (final String line : all) {
            final JsonNode n = JSON.readTree(line);
            if (n.get("seq").asLong() >= seq && n.get("type").asText().equals(type)) {
                return n;
            }
        }
        throw new AssertionError("no " + type + " at or after seq " + seq);
    }

    @Test
    void shouldReplayATimeRangeFromTheSnapshotBeforeItWithTheFullReplaysOutputs() throws IOException {
        final String from = firstOutputFrom(5_200, "decision").get("time").asText();
        final Path viaSnapshot = dir.resolve("from-snapshot.jsonl");
        final Path viaFull = dir.resolve("from-full.jsonl");
        final CommandRun fast = replay(viaSnapshot, "--from", from);
        final CommandRun slow = replay(viaFull, "--from", from, "--full");
        final long snapshot = snapshotBefore(data, firstEventAt(from), -1);
        assertTrue(snapshot >= 1_500, "a snapshot before seq " + firstEventAt(from));
        assertTrue(fast.err().contains(String.format("after its snapshot of seq %,d;", snapshot)), fast.err());
        assertFalse(slow.err().contains("after its snapshot"), slow.err());
        final List<String> expected = Files.readAllLines(viaFull);
        assertTrue(expected.size() > 100, "outputs after " + from + ": " + expected.size());
        assertEquals(expected, Files.readAllLines(viaSnapshot));
        // and its decisions are the whole replay's decisions of that time range
        final java.time.Instant start = java.time.Instant.parse(from);
        final List<String> decisions = new ArrayList<>();
        for (final String line : all) {
            final JsonNode n = JSON.readTree(line);
            if (n.get("type").asText().equals("decision") && !java.time.Instant.parse(n.get("time").asText()).isBefore(start)) {
                decisions.add(line);
            }
        }
        assertEquals(decisions, expected.stream().filter(l -> l.startsWith("{\"type\":\"decision\"")).toList());
    }

    @Test
    void shouldReplayAUserFromTheSnapshotBeforeTheUsersFirstEvent() throws IOException {
        // the user whose first journaled event comes last, so snapshots lie before all of their events
        final java.util.Map<String, Long> firstSeq = new java.util.LinkedHashMap<>();
        for (final JsonNode n : journal) {
            if (n.has("userId")) {
                firstSeq.putIfAbsent(n.get("userId").asText(), n.get("seq").asLong());
            }
        }
        final java.util.Map.Entry<String, Long> latest = firstSeq.entrySet().stream()
                .max(java.util.Map.Entry.comparingByValue()).orElseThrow();
        assertTrue(latest.getValue() > 3_000, "some user starts after seq 3,000: " + latest);
        final long snapshot = snapshotBefore(data, latest.getValue(), -1);
        final Path viaSnapshot = dir.resolve("user-snapshot.jsonl");
        final Path viaFull = dir.resolve("user-full.jsonl");
        final CommandRun fast = replay(viaSnapshot, "--user", latest.getKey());
        replay(viaFull, "--user", latest.getKey(), "--full");
        assertTrue(fast.err().contains(String.format("after its snapshot of seq %,d;", snapshot)), latest + ": " + fast.err());
        final List<String> expected = Files.readAllLines(viaFull);
        assertEquals(expected, Files.readAllLines(viaSnapshot));
    }

    @Test
    void shouldExplainAnOrderFromTheSnapshotBeforeItWithTheSameScoreAndReasons() throws IOException {
        final String order = firstOutputFrom(8_200, "decision").get("orderId").asText();
        final CommandRun fast = CommandRun.ringfence("explain", "--data", data.toString(), "--order", order);
        final CommandRun fastJson = CommandRun.ringfence("explain", "--data", data.toString(), "--order", order, "--json");
        final CommandRun slowJson = CommandRun.ringfence("explain", "--data", data.toString(), "--order", order, "--json", "--full");
        assertEquals(0, fast.exitCode(), fast.err());
        assertEquals(0, fastJson.exitCode(), fastJson.err());
        assertEquals(0, slowJson.exitCode(), slowJson.err());
        final long orderSeq = journal.stream().filter(n -> order.equals(n.path("orderId").asText(null))
                && n.get("type").asText().equals("order")).findFirst().orElseThrow().get("seq").asLong();
        assertTrue(fast.out().contains(String.format("after its snapshot of seq %,d%n", snapshotBefore(data, orderSeq, -1))), fast.out());
        assertEquals(slowJson.out(), fastJson.out(), "explain from a snapshot = explain from the first event");
        assertTrue(fastJson.out().contains("\"score\""), fastJson.out());
    }

    @Test
    void shouldFallBackToTheSnapshotBeforeADamagedOne() throws IOException {
        // Not named after the damage: the summary names the data directory, and the report must be found by its words.
        final Path copy = dir.resolve("copy");
        io.ringfence.tools.io.Trees.copy(data, copy);
        final String from = firstOutputFrom(5_200, "decision").get("time").asText();
        final long chosen = snapshotBefore(copy, firstEventAt(from), -1);
        final long before = snapshotBefore(copy, firstEventAt(from), chosen);
        final Path snap = copy.resolve("snapshots").resolve(String.format("snapshot-%020d.snap", chosen));
        try (RandomAccessFile f = new RandomAccessFile(snap.toFile(), "rw")) {
            f.seek(f.length() / 2);
            final int b = f.read();
            f.seek(f.length() / 2);
            f.write(b ^ 0x40);
        }
        final Path out = dir.resolve("damaged.jsonl");
        final List<String> line = List.of("replay", "--data", copy.toString(), "--out", out.toString(), "--from", from);
        final CommandRun run = CommandRun.ringfence(line.toArray(String[]::new));
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.err().contains(String.format("after its snapshot of seq %,d;", before)), run.err());
        assertTrue(run.err().contains(snap.getFileName() + "") && run.err().contains("CRC32C")
                && run.err().contains("does not match"), "the damaged one is reported by name and cause: " + run.err());
        final Path viaFull = dir.resolve("damaged-full.jsonl");
        replay(viaFull, "--from", from, "--full");
        assertEquals(Files.readAllLines(viaFull), Files.readAllLines(out));
        assertNotEquals(0, Files.size(out));
    }

    /**
     * Trial: after a server's start set an older build's snapshots aside, explain and replay started from the
     * journal's first event and said nothing of why (the start's warnings went to the server's log).
     */
    @Test
    void shouldSayWhyNoSnapshotWasUsedWhenAServersStartSetThemAside() throws IOException {
        final Path copy = dir.resolve("set-aside");
        io.ringfence.tools.io.Trees.copy(data, copy);
        final String order = firstOutputFrom(8_200, "decision").get("orderId").asText();
        final long orderSeq = journal.stream().filter(n -> order.equals(n.path("orderId").asText(null))
                && n.get("type").asText().equals("order")).findFirst().orElseThrow().get("seq").asLong();
        int aside = 0;
        int after = 0;
        try (var files = Files.list(copy.resolve("snapshots"))) {
            for (final Path p : files.toList()) {
                final String name = p.getFileName().toString();
                if (!name.startsWith("snapshot-") || !name.endsWith(".snap")) {
                    continue;
                }
                final long s = Long.parseLong(name.substring("snapshot-".length(), name.length() - ".snap".length()));
                if (s < orderSeq) {
                    Files.move(p, p.resolveSibling(name + ".unreadable")); // as Engine.setAside names them
                    aside++;
                } else {
                    after++;
                }
            }
        }
        assertTrue(aside > 0, "snapshots before the order to set aside");
        final CommandRun explain = CommandRun.ringfence("explain", "--data", copy.toString(), "--order", order);
        assertEquals(0, explain.exitCode(), explain.err());
        final String why = String.format("(no usable snapshot in %s up to seq %,d: %s%d set aside as .unreadable by a server's start)",
            copy.resolve("snapshots"), orderSeq - 1, after > 0 ? after + " after it, " : "", aside);
        assertTrue(explain.out().contains(String.format("replayed seq 1..%,d of %s %s%n", orderSeq, copy, why)), explain.out());

        final Path out = dir.resolve("set-aside.jsonl");
        final CommandRun replay = CommandRun.ringfence("replay", "--data", copy.toString(), "--out", out.toString(), "--order", order);
        assertEquals(0, replay.exitCode(), replay.err());
        assertTrue(replay.err().contains("(no usable snapshot in " + copy.resolve("snapshots") + " up to seq "), replay.err());
        assertTrue(replay.err().contains(aside + " set aside as .unreadable by a server's start)"), replay.err());
    }
}
