package io.ringfence.tools.fraud;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ringfence.engine.Engine;
import io.ringfence.engine.config.EngineConfig;
import io.ringfence.engine.fraud.LogisticModel;
import io.ringfence.engine.fraud.ModelFile;
import io.ringfence.engine.pipeline.Pipeline;
import io.ringfence.journal.Journal;
import io.ringfence.journal.JournalConfig;
import io.ringfence.journal.JournalReader;
import io.ringfence.tools.CommandRun;
import io.ringfence.tools.io.RecordedConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A journal written by {@code evaluate --data D --out O1} re-decides identically: {@code replay}
 * without {@code --config} (the recorded configuration and model copy) writes the same bytes, a
 * replay through the engine gives the same score bits as the live run, and {@code explain} of
 * each order gives the decision, score and reasons O1 holds for it, with contributions that add
 * up to the model's log-odds.
 */
class ExplainReplayTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Orders explained: every REVIEW/DECLINE, then approvals until this many (each explain replays the journal). */
    private static final int EXPLAINED = 36;

    @TempDir
    static Path dir;

    static Path input;
    static Path model;
    static Path data;
    static Path o1;
    static Map<String, JsonNode> decisions = new LinkedHashMap<>();

    @BeforeAll
    static void evaluateIntoADataDirectory() throws Exception {
        input = dir.resolve("labelled.jsonl");
        LabelledTraffic.write(input, 150, 99, true);
        model = dir.resolve("model.json");
        final CommandRun train = CommandRun.ringfence("train", "--input", input.toString(), "--out", model.toString());
        assertEquals(0, train.exitCode(), train.err());
        data = dir.resolve("data");
        o1 = dir.resolve("o1.jsonl");
        final CommandRun eval = CommandRun.ringfence("evaluate", "--input", input.toString(), "--model", model.toString(),
                "--data", data.toString(), "--out", o1.toString());
        assertEquals(0, eval.exitCode(), eval.err());
        for (final String line : Files.readAllLines(o1)) {
            final JsonNode n = JSON.readTree(line);
            if (n.get("type").asText().equals("decision")) {
                decisions.put(n.get("orderId").asText(), n);
            }
        }
    }

    @Test
    void shouldRecordTheConfigurationAndAModelCopyInTheDataDirectory() throws Exception {
        assertTrue(Files.isRegularFile(data.resolve(RecordedConfig.FILE)));
        assertArrayEquals(Files.readAllBytes(model), Files.readAllBytes(data.resolve(RecordedConfig.MODEL)));
        final EngineConfig recorded = RecordedConfig.load(data, null);
        assertEquals(ModelFile.read(model).id(), recorded.fraudSpec().model().id());
    }

    @Test
    void shouldReplayToByteIdenticalOutputsWithTheRecordedConfigurationAndModel() throws Exception {
        final Path o2 = dir.resolve("o2.jsonl");
        final CommandRun replay = CommandRun.ringfence("replay", "--data", data.toString(), "--out", o2.toString());
        assertEquals(0, replay.exitCode(), replay.err());
        assertTrue(decisions.size() > 150, "decisions: " + decisions.size());
        assertTrue(decisions.values().stream().anyMatch(d -> d.get("reasons").toString().contains("f:")), "model reasons appear");
        assertArrayEquals(Files.readAllBytes(o1), Files.readAllBytes(o2), "replay output differs from evaluate's");
    }

    @Test
    void shouldGiveTheSameScoreBitsLiveAndInReplay() throws Exception {
        final EngineConfig config = RecordedConfig.load(data, null);
        final ScoredEvents live = new ScoredEvents(false);
        ScoredRun.run("test", config, input, null, null, live, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        final List<long[]> replayed = new ArrayList<>();
        try (Journal journal = Journal.open(JournalConfig.builder(data).rollCycle(config.journal.rollCycle).build());
             JournalReader reader = journal.reader()) {
            final long first = journal.firstSequence();
            try (Engine engine = Engine.replaying(config, first, (seq, src, cs, b, o, l) -> { },
                    (seq, buffer, offset, scorer, verdict) -> replayed.add(new long[]{seq,
                            Double.doubleToRawLongBits(verdict.score()), Double.doubleToRawLongBits(scorer.lastModelScore())}))) {
                final Pipeline pipeline = engine.pipeline();
                reader.seek(first);
                while (reader.next((seq, ingest, src, clientSeq, payload, offset, length) ->
                        pipeline.publishAt(seq, ingest, src, clientSeq, payload, offset, length))) {
                    // all of it
                }
                pipeline.publishEndOfInput();
                engine.close();
            }
        }
        assertEquals(live.size(), replayed.size(), "every labelled order scored once in each");
        for (int i = 0; i < live.size(); i++) {
            assertEquals(live.sequence(i), replayed.get(i)[0]);
            assertEquals(Double.doubleToRawLongBits(live.score(i)), replayed.get(i)[1], "score of " + live.id(i));
            assertEquals(Double.doubleToRawLongBits(live.modelScore(i)), replayed.get(i)[2], "model score of " + live.id(i));
        }
    }

    @Test
    void shouldExplainEachOrderWithTheDecisionItGot() throws Exception {
        final List<String> picked = new ArrayList<>();
        decisions.forEach((id, d) -> {
            if (!d.get("decision").asText().equals("APPROVE")) {
                picked.add(id);
            }
        });
        final int flagged = picked.size();
        assertTrue(flagged >= 10, "REVIEW/DECLINE orders: " + flagged);
        for (final String id : decisions.keySet()) {
            if (picked.size() >= Math.max(EXPLAINED, flagged + 6)) {
                break;
            }
            if (!picked.contains(id)) {
                picked.add(id);
            }
        }
        final LogisticModel m = ModelFile.read(model);
        for (final String id : picked) {
            final CommandRun run = CommandRun.ringfence("explain", "--data", data.toString(), "--order", id, "--json");
            assertEquals(0, run.exitCode(), id + ": " + run.err());
            final String[] lines = run.out().strip().split("\n");
            assertEquals(1, lines.length, "one occurrence of " + id);
            final JsonNode e = JSON.readTree(lines[0]);
            final JsonNode d = decisions.get(id);
            assertEquals(d.get("seq").asLong(), e.get("seq").asLong(), id);
            assertEquals(d.get("decision").asText(), e.get("decision").asText(), id);
            assertEquals(d.get("score").asDouble(), e.get("score").asDouble(), 0.0, id);
            assertEquals(d.get("reasons"), e.get("reasons"), id);
            assertEquals(id, e.get("event").get("orderId").asText(), "the event is a JSON object, not a string of one: " + lines[0]);
            assertEquals(m.id(), e.get("model").get("id").asText());
            assertEquals(data.resolve(RecordedConfig.FILE).toString(), e.get("configuration").asText(), "which configuration decided it");
            assertLogOddsAddUp(id, e.get("model"));
        }
    }

    @Test
    void shouldExplainInTextWithTheRecordedConfiguration() {
        final String id = decisions.keySet().iterator().next();
        final CommandRun run = CommandRun.ringfence("explain", "--data", data.toString(), "--order", id);
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("configuration " + data.resolve(RecordedConfig.FILE)), run.out());
        assertTrue(run.out().contains("decision: " + decisions.get(id).get("decision").asText()), run.out());
        assertTrue(run.out().contains("rules, in precedence order:") && run.out().contains("seconds_since_signup"), run.out());
        // new-user trial: z beside the raw value read as the raw value's z-score; it is of the transformed value
        final LogisticModel m = ModelFile.read(model);
        assertTrue(run.out().contains(String.format("  %-32s %14s %9s %-13s %9s %13s%n", "feature (by |contribution|)", "value",
            "z", "(z of)", "weight", "contribution")), run.out());
        assertTrue(m.terms().stream().anyMatch(t -> t.transform() == io.ringfence.engine.fraud.FeatureTransform.LOG1P)
            && m.terms().stream().anyMatch(t -> t.transform() == io.ringfence.engine.fraud.FeatureTransform.IDENTITY), "both kinds");
        for (final io.ringfence.engine.fraud.ModelTerm t : m.terms()) {
            final String of = t.transform() == io.ringfence.engine.fraud.FeatureTransform.LOG1P ? "log1p(value)" : "value";
            assertTrue(java.util.regex.Pattern.compile("(?m)^  " + java.util.regex.Pattern.quote(t.feature().featureName())
                + " +\\S+ +\\S+ " + java.util.regex.Pattern.quote(of) + " +-?[0-9]").matcher(run.out()).find(), of + ": " + run.out());
        }
        // trial: with --model the heading named the recorded configuration alone
        final CommandRun withModel = CommandRun.ringfence("explain", "--data", data.toString(), "--order", id, "--model", model.toString());
        assertEquals(0, withModel.exitCode(), withModel.err());
        assertTrue(withModel.out().contains("configuration " + data.resolve(RecordedConfig.FILE) + " with model " + model), withModel.out());
    }

    /**
     * Data-scientist trial: the text gave the model's score, the fired rules' additions and the final score, and left the
     * sum (and its clamp to [0, 1]) to the reader. Its "score:" line adds them as the engine does, to the decision's score.
     */
    @Test
    void shouldShowHowTheScoreAddsUp() throws Exception {
        final Path config = dir.resolve("additions.yaml");
        Files.writeString(config, "fraud:\n  model: " + model.toAbsolutePath() + "\n  rules:\n"
                + "    - reason: BUMP\n      when: [\"amount >= 0\"]\n      action: add 0.25\n"
                + "    - reason: EASE\n      when: [\"amount >= 0\"]\n      action: add -0.05\n");
        final Path added = dir.resolve("added-data");
        final Path out = dir.resolve("added.jsonl");
        final CommandRun eval = CommandRun.ringfence("evaluate", "--config", config.toString(), "--input", input.toString(),
                "--data", added.toString(), "--out", out.toString());
        assertEquals(0, eval.exitCode(), eval.err());
        final java.util.regex.Pattern line = java.util.regex.Pattern.compile(
                "(?m)^score: model ([0-9.]+) \\+ 0\\.25 \\(BUMP\\) - 0\\.05 \\(EASE\\) = ([0-9.]+)(?:, clamped to \\[0, 1\\]: ([0-9.]+))?$");
        int checked = 0;
        int clamped = 0;
        for (final String l : Files.readAllLines(out)) {
            final JsonNode d = JSON.readTree(l);
            if (!d.get("type").asText().equals("decision") || checked >= 10 && (clamped > 0 || d.get("score").asDouble() < 1)) {
                continue;
            }
            final CommandRun run = CommandRun.ringfence("explain", "--data", added.toString(), "--order", d.get("orderId").asText());
            assertEquals(0, run.exitCode(), run.err());
            final java.util.regex.Matcher m = line.matcher(run.out());
            assertTrue(m.find(), run.out());
            final double total = Double.parseDouble(m.group(1)) + 0.25 - 0.05;
            assertEquals(total, Double.parseDouble(m.group(2)), 2e-6, "the sum as printed: " + m.group());
            assertEquals(d.get("score").asDouble(), Math.min(1, total), 2e-6, "the decision's score: " + m.group());
            assertEquals(total > 1, m.group(3) != null, "clamped only above 1: " + m.group());
            clamped += m.group(3) == null ? 0 : 1;
            if (++checked >= 30) {
                break;
            }
        }
        assertTrue(checked >= 10 && clamped > 0, "decisions checked " + checked + ", clamped " + clamped);
    }

    @Test
    void shouldRefuseAnUnknownOrderNamingIt() {
        final CommandRun run = CommandRun.ringfence("explain", "--data", data.toString(), "--order", "no-such-order-17", "--json");
        assertEquals(2, run.exitCode(), run.err());
        assertTrue(run.err().contains("no order or payment 'no-such-order-17' in the journal of " + data), run.err());
        assertEquals("", run.out());
        final CommandRun none = CommandRun.ringfence("explain", "--data", dir.resolve("missing").toString(), "--order", "o1");
        assertEquals(2, none.exitCode(), none.err());
        assertTrue(none.err().contains("no such data directory"), none.err());
    }

    /** intercept + the contributions is the log-odds of model.score; the terms come largest |contribution| first, as the text lists them. */
    private static void assertLogOddsAddUp(final String id, final JsonNode model) {
        double logit = model.get("intercept").asDouble();
        final JsonNode terms = model.get("terms");
        assertTrue(terms.isArray() && terms.size() > 0, model.toString());
        double previous = Double.POSITIVE_INFINITY;
        for (final JsonNode t : terms) {
            final double c = t.get("contribution").asDouble();
            assertTrue(Math.abs(c) <= previous, id + ": terms by |contribution|, largest first: " + terms);
            previous = Math.abs(c);
            assertTrue(t.get("zOf").asText().equals("value") || t.get("zOf").asText().equals("log1p(value)"), id + " " + t);
            if (t.get("value").isNull()) {
                assertEquals(0.0, c, 0.0, id + " " + t);
                assertTrue(t.get("z").isNull(), id + " " + t);
            } else {
                assertEquals(t.get("weight").asDouble() * t.get("z").asDouble(), c, 1e-12, id + " " + t);
            }
            logit += c;
        }
        final double p = model.get("score").asDouble();
        assertTrue(p > 0 && p < 1, id + " model score " + p);
        // one ulp of p near 0 or 1 moves log(p / (1 - p)) by about ulp / (p (1 - p))
        final double tolerance = 1e-9 + 4 * Math.ulp(1.0) / (p * (1 - p));
        assertEquals(logit, Math.log(p / (1 - p)), tolerance, id + ": intercept + contributions vs logit(model.score)");
    }
}
