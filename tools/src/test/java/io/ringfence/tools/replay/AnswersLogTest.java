package io.ringfence.tools.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ringfence.engine.config.EngineConfig;
import io.ringfence.gateway.bridge.AnswerGaps;
import io.ringfence.gateway.bridge.AnswerLog;
import io.ringfence.tools.CommandRun;
import io.ringfence.tools.ServedShop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The answers log (journal.keepAnswers, DATA/answers): what a server answered is kept as it was sent, across restarts,
 * and a replay is checked against it ({@code replay --diff-answers}); a replay that no longer gives those answers says
 * so. The kill -9 case is KillNineCrashTest's (gateway).
 */
class AnswersLogTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** The decisions `journal --answers` dumps: outcome by engine sequence. */
    private static Map<Long, String> keptDecisions(final Path data) throws Exception {
        final CommandRun dump = CommandRun.ringfence("journal", "--data", data.toString(), "--answers");
        assertEquals(0, dump.exitCode(), dump.err());
        final Map<Long, String> kept = new TreeMap<>();
        long answer = 0;
        for (final String line : dump.out().split("\n")) {
            final JsonNode o = JSON.readTree(line);
            assertEquals(++answer, o.get("answer").asLong(), "answers are numbered 1, 2, ... in the log: " + line);
            assertTrue(o.get("keptAt").asText().startsWith("20"), line);
            assertFalse(o.get("client").asText().isEmpty(), line); // its id where the server recorded it (ServerCommand), else its key
            if ("decision".equals(o.get("type").asText())) {
                assertEquals(null, kept.put(o.get("seq").asLong(), o.get("decision").asText()), "one answer per event: " + line);
            }
        }
        return kept;
    }

    @Test
    void shouldKeepEveryAnswerAsGivenAcrossARestartAndCheckAReplayAgainstThem() throws Exception {
        final Path data = dir.resolve("srv");
        final Map<Long, String> given = new TreeMap<>(ServedShop.serve(data, ServedShop.shop(0, 1_500), true));
        given.putAll(ServedShop.serve(data, ServedShop.shop(1_500, 3_000), true)); // a restart: the log goes on
        assertTrue(given.size() > 50, "the shop's orders and payments were decided: " + given.size());
        assertEquals(given, keptDecisions(data), "the log holds each decision the client got, as it got it");
        assertEquals(Long.valueOf(1), AnswerLog.readFrom(data.resolve(AnswerLog.DIRECTORY)), "kept from the first event");

        final CommandRun check = CommandRun.ringfence("replay", "--data", data.toString(), "--diff-answers");
        assertEquals(0, check.exitCode(), check.err());
        assertTrue(check.err().contains(String.format("decisions compared: %,d", given.size())), check.err());
        assertTrue(check.err().contains("the replay gives every answer as given"), check.err());

        // the journal's answers re-decided under other rules: the given ones are what the log holds, not what a replay says
        final Path out = dir.resolve("diff.jsonl");
        final CommandRun whatIf = CommandRun.ringfence("replay", "--data", data.toString(), "--diff-answers",
            "--config", Path.of("..", "examples", "stricter.yaml").toString(), "--out", out.toString());
        assertEquals(1, whatIf.exitCode(), whatIf.err() + whatIf.out());
        assertTrue(whatIf.out().contains("the replay does NOT give every answer as given"), whatIf.out());
        final List<String> changes = Files.readAllLines(out);
        assertFalse(changes.isEmpty(), "stricter rules change some decisions");
        for (final String line : changes) {
            final JsonNode o = JSON.readTree(line);
            assertEquals(given.get(o.get("seq").asLong()), o.get("before").get("decision").asText(),
                "each change's before is the answer given: " + line);
        }
        final long outcomeChanges = changes.stream().filter(l -> l.contains("\"decisionChange\"")).count();
        assertTrue(whatIf.out().contains(String.format("outcome changed:    %,d", outcomeChanges)), whatIf.out());

        // explain --json names the answer given with its fields always in one order (review: a Map.of changed it per run)
        final String order = ServedShop.shop(0, 1_500).stream().filter(l -> l.contains("\"type\":\"order\"")).findFirst()
            .orElseThrow().replaceAll(".*\"orderId\":\"([^\"]+)\".*", "$1");
        final CommandRun explained = CommandRun.ringfence("explain", "--data", data.toString(), "--order", order, "--json");
        assertEquals(0, explained.exitCode(), explained.err());
        final JsonNode givenField = JSON.readTree(explained.out().lines().findFirst().orElseThrow()).get("given");
        final List<String> names = new java.util.ArrayList<>();
        givenField.fieldNames().forEachRemaining(names::add);
        assertEquals(List.of("decision", "score", "reasons", "keptAt", "answer"), names, givenField.toString());
    }

    /** The recorded configuration edited after the fact: replay re-decides under it, the answers given stay as given. */
    @Test
    void shouldTellAReplayThatNoLongerGivesTheAnswersGiven() throws Exception {
        final Path data = dir.resolve("srv");
        final Map<Long, String> given = ServedShop.serve(data, ServedShop.shop(0, 2_000), true);
        final EngineConfig defaults = io.ringfence.engine.config.EngineConfigLoader.defaults();
        defaults.pipeline.waitStrategy = "blocking";
        io.ringfence.tools.io.RecordedConfig.record(data, defaults); // as `server` records what it ran under
        final Path recorded = data.resolve(io.ringfence.tools.io.RecordedConfig.FILE);
        final String yaml = Files.readString(recorded);
        assertTrue(yaml.contains("reviewAt: 0.6"), "the recorded file names reviewAt");
        Files.writeString(recorded, yaml.replace("reviewAt: 0.6", "reviewAt: 0.01"));
        final CommandRun check = CommandRun.ringfence("replay", "--data", data.toString(), "--diff-answers");
        assertEquals(1, check.exitCode(), check.err());
        assertTrue(check.err().contains("the replay does NOT give every answer as given"), check.err());
        assertTrue(check.err().contains("APPROVE -> REVIEW"), check.err());
        assertEquals(given, keptDecisions(data), "the log still holds what was given");
    }

    /** A data directory written before the log existed: the log begins after its events, and only later ones are compared. */
    @Test
    void shouldBeginTheLogAfterTheEventsOfAStartWithoutIt() throws Exception {
        final Path data = dir.resolve("srv");
        final Map<Long, String> before = ServedShop.serve(data, ServedShop.shop(0, 1_000), false);
        assertFalse(Files.exists(data.resolve(AnswerLog.DIRECTORY)), "journal.keepAnswers: false keeps none");
        final CommandRun none = CommandRun.ringfence("replay", "--data", data.toString(), "--diff-answers");
        assertEquals(2, none.exitCode(), none.err());
        assertTrue(none.err().contains("holds no answers log"), none.err());
        final CommandRun noDump = CommandRun.ringfence("journal", "--data", data.toString(), "--answers");
        assertEquals(2, noDump.exitCode(), noDump.err());

        final Map<Long, String> after = ServedShop.serve(data, ServedShop.shop(1_000, 2_500), true);
        assertFalse(before.isEmpty() || after.isEmpty());
        assertEquals(Long.valueOf(1_001), AnswerLog.readFrom(data.resolve(AnswerLog.DIRECTORY)),
            "answers kept from the first event after the start that began the log");
        assertEquals(new TreeMap<>(after), keptDecisions(data), "only the answers given since");
        final CommandRun check = CommandRun.ringfence("replay", "--data", data.toString(), "--diff-answers");
        assertEquals(0, check.exitCode(), check.err());
        assertTrue(check.err().contains("the answers log begins at seq 1,001"), check.err());
        assertTrue(check.err().contains(String.format("decisions compared: %,d", after.size())), check.err());
    }

    /**
     * Review HIGH: answers given while journal.keepAnswers was false were kept as given by the next start that kept them,
     * re-decided by its recovery (with the restart's time). They are a gap now, said and not compared.
     */
    @Test
    void shouldRecordAnswersGivenWithoutTheLogAsAGapNotAsGiven() throws Exception {
        final Path data = dir.resolve("srv");
        final java.util.function.Consumer<EngineConfig> noSnapshots = c -> c.snapshot.enabled = false; // recovery replays all
        final Map<Long, String> first = ServedShop.serve(data, ServedShop.shop(0, 1_000), true, noSnapshots);
        final Map<Long, String> unkept = ServedShop.serve(data, ServedShop.shop(1_000, 2_000), false, noSnapshots);
        assertTrue(ServedShop.serve(data, List.of(), true, noSnapshots).isEmpty()); // closes the gap, keeps nothing
        // a line of a later build (a reason this one does not know) does not stop a start (review: index out of bounds)
        Files.writeString(data.resolve(AnswerLog.DIRECTORY).resolve(AnswerGaps.FILE), "off from=99999 why=9\n",
            java.nio.file.StandardOpenOption.APPEND);
        // the start after the one that closed the gap: its recovery re-decides 1..2,000 again (review: it kept 1,001..2,000)
        final Map<Long, String> last = ServedShop.serve(data, ServedShop.shop(2_000, 2_500), true, noSnapshots);
        assertFalse(first.isEmpty() || unkept.isEmpty() || last.isEmpty());
        final Map<Long, String> kept = new TreeMap<>(first);
        kept.putAll(last);
        assertEquals(kept, keptDecisions(data), "the answers given without the log are not in it");
        assertEquals(List.of("1001..2000"), AnswerGaps.of(data.resolve(AnswerLog.DIRECTORY)).stream()
            .map(g -> g[0] + ".." + g[1]).toList(), "one gap, to the last event before the start that kept answers again");
        final CommandRun check = CommandRun.ringfence("replay", "--data", data.toString(), "--diff-answers");
        assertEquals(0, check.exitCode(), check.err());
        assertTrue(check.err().contains("given without being kept: answers to seq 1,001..2,000: journal.keepAnswers was false"),
            check.err());
        assertTrue(check.err().contains(String.format("re-decided in those gaps, with no answer kept to compare (not counted as a"
            + " difference): %,d", unkept.size())), check.err());
        assertTrue(check.err().contains(String.format("decisions compared: %,d", kept.size())), check.err());
        final CommandRun verify = CommandRun.ringfence("verify", "--data", data.toString());
        assertEquals(0, verify.exitCode(), verify.err());
        assertTrue(verify.err().contains("answers given without being kept: seq 1,001..2,000"), verify.err());

        // a gap over answers the log holds (a kill -9 between an answer and the line that closes its gap; or lines added by
        // hand to the gaps file, which is not sealed): the kept ones are still compared (reviews: read as "given but not
        // re-decided"; then, left out, a gap over everything made --diff-answers pass whatever the replay said)
        Files.writeString(data.resolve(AnswerLog.DIRECTORY).resolve(AnswerGaps.FILE), "off from=1 why=1\non from=3000\n",
            java.nio.file.StandardOpenOption.APPEND);
        final CommandRun overKept = CommandRun.ringfence("replay", "--data", data.toString(), "--diff-answers");
        assertEquals(0, overKept.exitCode(), overKept.err());
        assertTrue(overKept.err().contains(String.format("decisions compared: %,d", kept.size())), overKept.err());
        final CommandRun stricter = CommandRun.ringfence("replay", "--data", data.toString(), "--diff-answers", "--config",
            Path.of("..", "examples", "stricter.yaml").toString());
        assertEquals(1, stricter.exitCode(), "a gap hides no kept answer's difference: " + stricter.out() + stricter.err());
    }

    /**
     * Review HIGH: a journal cut below the log's end (repair; a power loss) left answers to sequences that new events then
     * took; lookups and --diff-answers compared the new events with the cut ones' answers. The start now copies the log
     * without them and sets the original aside.
     */
    @Test
    void shouldSetAsideTheAnswersOfACutJournal() throws Exception {
        final Path longer = dir.resolve("longer");
        ServedShop.serve(longer, ServedShop.shop(0, 3_000), true);
        final Path data = dir.resolve("srv");
        final Map<Long, String> before = ServedShop.serve(data, ServedShop.shop(0, 1_500), true);
        // the log of a journal that went on to 3,000 events, the journal now ending at 1,500; with a gap after 1,500
        deleteTree(data.resolve(AnswerLog.DIRECTORY));
        copyTree(longer.resolve(AnswerLog.DIRECTORY), data.resolve(AnswerLog.DIRECTORY));
        Files.writeString(data.resolve(AnswerLog.DIRECTORY).resolve(AnswerGaps.FILE), "off from=1400 why=0\non from=2500\n");
        // a start without the log first (review: it left the cut answers in place, and the next start kept them as given)
        final Map<Long, String> unkept = ServedShop.serve(data, ServedShop.shop(3_500, 4_000), false); // others than those cut
        final Map<Long, String> after = ServedShop.serve(data, ServedShop.shop(4_000, 4_500), true);
        assertFalse(unkept.isEmpty() || after.isEmpty());
        final Map<Long, String> given = new TreeMap<>(before);
        given.putAll(after);
        assertEquals(given, keptDecisions(data), "the answers to the journal as it is, each once");
        final List<String> gaps = AnswerGaps.of(data.resolve(AnswerLog.DIRECTORY)).stream().map(g -> g[0] + ".." + g[1]).toList();
        assertEquals("1400..1500", gaps.get(0), "the gap cut at the journal's end: its sequences after it are new events'");
        try (java.util.stream.Stream<Path> set = Files.list(dir.resolve("srv"))) {
            assertEquals(1, set.filter(p -> p.getFileName().toString().startsWith(AnswerLog.SET_ASIDE_PREFIX)).count(),
                "the original kept aside");
        }
        final CommandRun check = CommandRun.ringfence("replay", "--data", data.toString(), "--diff-answers");
        assertEquals(0, check.exitCode(), check.err());
        assertTrue(check.err().contains(String.format("decisions compared: %,d", given.size())), check.err());
        final CommandRun verify = CommandRun.ringfence("verify", "--data", data.toString());
        assertEquals(0, verify.exitCode(), verify.err());
        assertTrue(verify.err().contains("an answers log set aside by a start"), verify.err());

        // a start stopped between setting the original aside and putting the copy in its place: the next one finishes
        final Path answers = data.resolve(AnswerLog.DIRECTORY);
        final Path copy = data.resolve(AnswerLog.DIRECTORY + ".copying");
        Files.move(answers, copy);
        Files.writeString(copy.resolve("COPY-COMPLETE"), "complete\n");
        final Map<Long, String> more = ServedShop.serve(data, ServedShop.shop(4_500, 5_000), true);
        given.putAll(more);
        assertEquals(given, keptDecisions(data), "the copy put in place, the new answers after it");
        assertFalse(Files.exists(copy));
    }

    @Test
    void shouldRefuseDiffAnswersWithDiffOrAnotherTypeThanDecision() throws Exception {
        final Path data = dir.resolve("srv");
        ServedShop.serve(data, ServedShop.shop(0, 200), true);
        final CommandRun both = CommandRun.ringfence("replay", "--data", data.toString(), "--diff-answers", "--diff", "--config",
            Path.of("..", "examples", "stricter.yaml").toString());
        assertEquals(2, both.exitCode(), both.err());
        assertTrue(both.err().contains("one at a time"), both.err());
        final CommandRun type = CommandRun.ringfence("replay", "--data", data.toString(), "--diff-answers", "--type", "fraudAlert");
        assertEquals(2, type.exitCode(), type.err());
        assertTrue(type.err().contains("--diff-answers compares decisions"), type.err());
    }

    private static void deleteTree(final Path root) throws Exception {
        try (java.util.stream.Stream<Path> all = Files.walk(root)) {
            for (final Path p : (Iterable<Path>) all.sorted(java.util.Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }

    private static void copyTree(final Path from, final Path to) throws Exception {
        try (java.util.stream.Stream<Path> all = Files.walk(from)) {
            for (final Path p : (Iterable<Path>) all::iterator) {
                if (!p.getFileName().toString().equals("ringfence.lock")) {
                    Files.copy(p, to.resolve(from.relativize(p).toString()));
                }
            }
        }
    }
}
