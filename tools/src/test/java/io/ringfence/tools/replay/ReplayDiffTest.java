package io.ringfence.tools.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ringfence.tools.CommandRun;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code replay --config OTHER --diff} on a small seeded run lists exactly the decisions whose outcome
 * differs between two plain replays under the two configurations, with their before/after, and its
 * per-transition counts add up.
 */
class ReplayDiffTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Stricter than the defaults: fast new-account orders declined, a second order within the hour reviewed. */
    static final String STRICTER = String.join("\n",
            "fraud:",
            "  reviewAt: 0.5",
            "  rules:",
            "    - reason: CARD_TESTING",
            "      on: [payment]",
            "      when: [\"instrument_payments_1m >= 3\", \"instrument_failed_payments_1m >= 2\", \"amount <= 2000\"]",
            "      action: decline",
            "    - reason: NEW_ACCOUNT_FAST_ORDER",
            "      on: [order]",
            "      when: [\"seconds_since_signup < 30\"]",
            "      action: decline",
            "    - reason: USER_VELOCITY",
            "      on: [order]",
            "      when: [\"user_orders_1h >= 2\"]",
            "      action: review",
            "");

    @TempDir
    static Path dir;
    static Path data;
    static Path stricter;

    @BeforeAll
    static void seededRun() throws IOException {
        final Path input = dir.resolve("workload.jsonl");
        data = dir.resolve("data");
        stricter = dir.resolve("stricter.yaml");
        Files.writeString(stricter, STRICTER);
        assertEquals(0, CommandRun.ringfence("generate", "--events", "10000", "--seed", "11", "--out", input.toString()).exitCode());
        final CommandRun run = CommandRun.ringfence("run", "--input", input.toString(), "--data", data.toString(),
                "--out", dir.resolve("run.jsonl").toString());
        assertEquals(0, run.exitCode(), run.err());
    }

    /** The decisions of a plain replay under {@code config} (null: the recorded one), written to {@code name}. */
    private static Map<Long, JsonNode> decisionsUnder(final Path config, final String name) throws IOException {
        final Path out = dir.resolve(name);
        final List<String> args = new ArrayList<>(List.of("replay", "--data", data.toString(), "--type", "decision", "--out", out.toString()));
        if (config != null) {
            args.addAll(List.of("--config", config.toString()));
        }
        assertEquals(0, CommandRun.ringfence(args.toArray(String[]::new)).exitCode());
        return decisions(out);
    }

    static Map<Long, JsonNode> decisions(final Path file) throws IOException {
        final Map<Long, JsonNode> bySeq = new TreeMap<>();
        for (final String line : Files.readAllLines(file)) {
            final JsonNode n = JSON.readTree(line);
            assertEquals("decision", n.get("type").asText());
            bySeq.put(n.get("seq").asLong(), n);
        }
        return bySeq;
    }

    @Test
    void shouldListExactlyTheDecisionsWhoseOutcomeDiffersBetweenPlainReplaysUnderEachConfiguration() throws IOException {
        final Map<Long, JsonNode> b = decisionsUnder(null, "before.jsonl");
        final Map<Long, JsonNode> a = decisionsUnder(stricter, "after.jsonl");
        assertEquals(b.keySet(), a.keySet(), "the same orders and payments are decided under both");

        final List<Long> changedSeqs = new ArrayList<>();
        final Map<String, Long> transitions = new TreeMap<>();
        for (final long seq : b.keySet()) {
            final String from = b.get(seq).get("decision").asText();
            final String to = a.get(seq).get("decision").asText();
            if (!from.equals(to)) {
                changedSeqs.add(seq);
                transitions.merge(from + " -> " + to, 1L, Long::sum);
            }
        }
        assertTrue(transitions.size() >= 2, "the stricter rules change outcomes in more than one way: " + transitions);

        final Path diff = dir.resolve("diff.jsonl");
        final CommandRun run = stricterDiff(data, diff);

        final List<Long> listed = new ArrayList<>();
        for (final String line : Files.readAllLines(diff)) {
            final JsonNode n = JSON.readTree(line);
            final long seq = n.get("seq").asLong();
            listed.add(seq);
            assertEquals("decisionChange", n.get("type").asText());
            for (final String side : List.of("before", "after")) {
                final JsonNode expected = ("before".equals(side) ? b : a).get(seq);
                assertEquals(expected.get("decision"), n.get(side).get("decision"), side + " of " + line);
                assertEquals(expected.get("score"), n.get(side).get("score"), side + " of " + line);
                assertEquals(expected.get("reasons"), n.get(side).get("reasons"), side + " of " + line);
            }
            assertEquals(b.get(seq).get("time"), n.get("time"), line);
            assertEquals(b.get(seq).get("userId"), n.get("userId"), line);
            final String kind = b.get(seq).has("paymentId") ? "paymentId" : "orderId"; // a payment's decision names its order too
            assertEquals(b.get(seq).get(kind), n.get(kind), line);
            if (b.get(seq).has("paymentId") && b.get(seq).has("orderId")) {
                assertEquals(b.get(seq).get("orderId"), n.get("orderId"), "the payment's order, as the decision names it: " + line);
            }
        }
        assertEquals(changedSeqs, listed, "exactly the changed decisions, in sequence order");

        final String summary = run.out();
        assertTrue(summary.contains("what-if " + stricter + " differs from " + data.resolve("ringfence-config.yaml")), summary);
        assertTrue(summary.contains("  fraud.reviewAt: 0.6 -> 0.5"), summary);
        assertTrue(summary.contains("fraud.rules[USER_VELOCITY]"), "the rule the what-if adds or changes is named: " + summary);
        assertTrue(summary.contains(String.format("decisions compared: %,d", b.size())), summary);
        assertTrue(summary.contains(String.format("outcome changed:    %,d", changedSeqs.size())), summary);
        final Matcher m = Pattern.compile("(APPROVE|REVIEW|DECLINE) +-> (APPROVE|REVIEW|DECLINE) +([0-9,]+)").matcher(summary);
        final Map<String, Long> reported = new TreeMap<>();
        long sum = 0;
        while (m.find()) {
            final long n = Long.parseLong(m.group(3).replace(",", ""));
            sum += n;
            if (n > 0) {
                reported.put(m.group(1) + " -> " + m.group(2), n);
            }
        }
        assertEquals(transitions, reported, summary);
        assertEquals(changedSeqs.size(), sum, "the transitions add up to the number changed");
    }

    @Test
    void shouldListTheChangesOfATimeRangeAsTheWholeDiffDoesAndStopAfterIt() throws IOException {
        final Path whole = dir.resolve("diff-whole.jsonl");
        assertEquals(0, CommandRun.ringfence("replay", "--data", data.toString(), "--config", stricter.toString(),
                "--diff", "--out", whole.toString()).exitCode());
        final List<String> all = Files.readAllLines(whole);
        assertTrue(all.size() > 20, "changes to pick a range from: " + all.size());
        final java.time.Instant from = java.time.Instant.parse(JSON.readTree(all.get(all.size() / 4)).get("time").asText());
        final java.time.Instant to = java.time.Instant.parse(JSON.readTree(all.get(all.size() / 2)).get("time").asText());
        final List<String> expected = new ArrayList<>();
        for (final String line : all) {
            final java.time.Instant t = java.time.Instant.parse(JSON.readTree(line).get("time").asText());
            if (!t.isBefore(from) && t.isBefore(to)) {
                expected.add(line);
            }
        }
        final Path ranged = dir.resolve("diff-range.jsonl");
        final CommandRun run = CommandRun.ringfence("replay", "--data", data.toString(), "--config", stricter.toString(),
                "--diff", "--from", from.toString(), "--to", to.toString(), "--out", ranged.toString());
        assertEquals(0, run.exitCode(), run.err());
        assertEquals(expected, Files.readAllLines(ranged));
        assertTrue(run.out().contains("are outside the time range: not replayed")
                && run.out().contains(String.format("outcome changed:    %,d", expected.size())), run.out());
    }

    @Test
    void shouldAlsoListSameOutcomeScoreChangesWhenAskedAndWriteCsv() throws IOException {
        final Path diff = dir.resolve("diff-scores.csv");
        final CommandRun run = CommandRun.ringfence("replay", "--data", data.toString(), "--config", stricter.toString(),
                "--diff", "--show-score-changes", "--format", "csv", "--out", diff.toString());
        assertEquals(0, run.exitCode(), run.err());
        final List<String> lines = Files.readAllLines(diff);
        assertEquals(DecisionDiff.CSV_HEADER, lines.get(0));
        final Matcher changed = Pattern.compile("outcome changed: +([0-9,]+)").matcher(run.out());
        final Matcher scores = Pattern.compile("score changed: ([0-9,]+)").matcher(run.out());
        assertTrue(changed.find() && scores.find(), run.out());
        final long outcomeRows = lines.stream().filter(l -> l.split(",", -1)[2].equals("outcome")).count();
        final long scoreRows = lines.stream().filter(l -> l.split(",", -1)[2].equals("score")).count();
        assertEquals(Long.parseLong(changed.group(1).replace(",", "")), outcomeRows);
        assertEquals(Long.parseLong(scores.group(1).replace(",", "")), scoreRows);
        assertTrue(scoreRows > 0, "reviewAt 0.5 and dropped additions change some scores: " + run.out());
        for (final String line : lines.subList(1, lines.size())) {
            final String[] f = line.split(",", -1);
            assertEquals(12, f.length, line);
            if ("reasons".equals(f[2])) {
                assertTrue(f[6].equals(f[9]) && f[7].equals(f[10]) && !f[8].equals(f[11]), line);
            } else {
                assertTrue("score".equals(f[2]) ? f[6].equals(f[9]) && !f[7].equals(f[10]) : !f[6].equals(f[9]), line);
            }
        }
    }

    /**
     * Analyst trial: a what-if whose new rule fires beside the old ones on decisions already held tells the shop other
     * reasons with the same outcome and score; those were in no list and no count. The recorded configuration plus a
     * review rule on every order: APPROVE orders change outcome, REVIEW and DECLINE ones only their reasons.
     */
    @Test
    void shouldCountAndListDecisionsWhoseReasonsAloneChange() throws IOException {
        final String recorded = Files.readString(data.resolve("ringfence-config.yaml"));
        assertTrue(recorded.contains("\n  rules:\n"), "the recorded configuration lists its rules");
        final Path alsoLook = dir.resolve("also-look.yaml");
        Files.writeString(alsoLook, recorded.replace("\n  rules:\n", "\n  rules:\n  - reason: \"ALSO_LOOK\"\n    \"on\":\n"
                + "    - \"order\"\n    when:\n    - \"amount > 0\"\n    action: \"review\"\n"));
        final Map<Long, JsonNode> b = decisionsUnder(null, "reasons-before.jsonl");
        final Map<Long, JsonNode> a = decisionsUnder(alsoLook, "reasons-after.jsonl");
        final List<String> expected = new ArrayList<>();
        for (final long seq : b.keySet()) {
            final JsonNode x = b.get(seq);
            final JsonNode y = a.get(seq);
            if (x.get("decision").equals(y.get("decision")) && x.get("score").equals(y.get("score"))
                    && !x.get("reasons").equals(y.get("reasons"))) {
                expected.add(String.valueOf(seq));
            }
        }
        assertTrue(expected.size() > 0, "ALSO_LOOK fires beside the rules of held orders");

        final Path diff = dir.resolve("diff-reasons.csv");
        final CommandRun quiet = CommandRun.ringfence("replay", "--data", data.toString(), "--config", alsoLook.toString(), "--diff",
                "--format", "csv", "--out", dir.resolve("diff-reasons-quiet.csv").toString());
        assertEquals(0, quiet.exitCode(), quiet.err());
        assertTrue(quiet.out().contains(String.format("same outcome and score, reasons changed: %,d (not listed;", expected.size())),
                "counted without --show-score-changes too: " + quiet.out());
        final CommandRun run = CommandRun.ringfence("replay", "--data", data.toString(), "--config", alsoLook.toString(), "--diff",
                "--show-score-changes", "--format", "csv", "--out", diff.toString());
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains(String.format("same outcome and score, reasons changed: %,d (listed)", expected.size())), run.out());
        final List<String> rows = Files.readAllLines(diff).stream().filter(l -> l.split(",", -1)[2].equals("reasons")).toList();
        assertEquals(expected, rows.stream().map(l -> l.split(",", -1)[0]).toList());
        for (final String row : rows) {
            final String[] f = row.split(",", -1);
            assertTrue(f[6].equals(f[9]) && f[7].equals(f[10]) && !f[8].equals(f[11]) && f[11].contains("ALSO_LOOK"), row);
        }

        // audit: the reason columns were written raw, so a reason starting with '-' escaped the CSV formula guard
        final Path dash = dir.resolve("dash.yaml");
        Files.writeString(dash, Files.readString(alsoLook).replace("\"ALSO_LOOK\"", "\"-LOOK\""));
        final Path dashDiff = dir.resolve("diff-dash.csv");
        final CommandRun dashed = CommandRun.ringfence("replay", "--data", data.toString(), "--config", dash.toString(), "--diff",
                "--format", "csv", "--out", dashDiff.toString());
        assertEquals(0, dashed.exitCode(), dashed.err());
        final List<String> outcome = Files.readAllLines(dashDiff).stream().skip(1).toList();
        assertTrue(outcome.size() > 0 && outcome.stream().anyMatch(l -> l.endsWith(",'-LOOK")), "guarded: " + outcome);
        assertTrue(outcome.stream().noneMatch(l -> l.split(",", -1)[11].startsWith("-")), outcome.toString());
    }

    @Test
    void shouldRefuseDiffWithoutAnotherConfiguration() {
        final CommandRun run = CommandRun.ringfence("replay", "--data", data.toString(), "--diff");
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("--diff needs --config"), run.err());
    }

    /**
     * Trial: after a server restart under other settings, a what-if's "before" was the newest settings re-deciding the
     * whole journal, not what was sent: a what-if with exactly the settings that decided the first part listed 20 % of
     * its decisions as changed. Here the journal's first 5,000 events were decided under the defaults and the rest under
     * the stricter rules (kept as config-history/until-5000): a what-if with the stricter rules lists exactly the
     * decisions of 1..5,000 where the two differ, none after, with the sent decision as "before".
     */
    /**
     * Review: replayed as decided, an older range whose configuration had a larger ring ran further ahead of its outputs
     * than the events remembered for them (sized by the newest's ring): 3,283 CSV rows carried another event's order, user
     * or time, and --user lost outputs. Here the newest has a ring of 1,024 and the older the default 16,384.
     */
    @Test
    void shouldDescribeEachOutputWithItsOwnEventWhenAnOlderRangeHadALargerRing(@TempDir final Path own) throws IOException {
        final Path copy = own.resolve("data");
        assertEquals(0, CommandRun.ringfence("generate", "--events", "10000", "--seed", "11", "--out", own.resolve("w.jsonl").toString()).exitCode());
        assertEquals(0, CommandRun.ringfence("run", "--input", own.resolve("w.jsonl").toString(), "--data", copy.toString(),
                "--out", own.resolve("run.jsonl").toString()).exitCode());
        final Path small = own.resolve("small.yaml");
        Files.writeString(small, STRICTER + "pipeline:\n  ringSize: 1024\n");
        io.ringfence.tools.io.RecordedConfig.record(copy, io.ringfence.engine.config.EngineConfigLoader.loadValidated(small), 5_000);
        final Path kept = copy.resolve("config-history/until-5000/ringfence-config.yaml");
        final Path asSent = own.resolve("as-sent.csv");
        final Path older = own.resolve("older.csv");
        assertEquals(0, CommandRun.ringfence("replay", "--data", copy.toString(), "--format", "csv", "--out", asSent.toString()).exitCode());
        assertEquals(0, CommandRun.ringfence("replay", "--data", copy.toString(), "--format", "csv", "--config", kept.toString(),
                "--out", older.toString()).exitCode());
        final List<String> sent = Files.readAllLines(asSent);
        final List<String> first = Files.readAllLines(older);
        int compared = 0;
        for (int i = 1; i < sent.size() && i < first.size(); i++) {
            final long seq = Long.parseLong(sent.get(i).substring(0, sent.get(i).indexOf(',')));
            if (seq > 5_000) {
                break;
            }
            assertEquals(first.get(i), sent.get(i), "row " + i + " (seq " + seq + "): as the older configuration decided and described it");
            compared++;
        }
        assertTrue(compared > 5_000, "rows of the older range compared: " + compared);
    }

    @Test
    void shouldCompareWithWhatWasSentWhenTheJournalWasDecidedUnderSeveralConfigurations(@TempDir final Path own) throws IOException {
        final Path copy = own.resolve("data");
        assertEquals(0, CommandRun.ringfence("generate", "--events", "10000", "--seed", "11", "--out", own.resolve("w.jsonl").toString()).exitCode());
        assertEquals(0, CommandRun.ringfence("run", "--input", own.resolve("w.jsonl").toString(), "--data", copy.toString(),
                "--out", own.resolve("run.jsonl").toString()).exitCode());
        io.ringfence.tools.io.RecordedConfig.record(copy, io.ringfence.engine.config.EngineConfigLoader.loadValidated(stricter), 5_000);
        assertTrue(Files.isDirectory(copy.resolve("config-history").resolve("until-5000")));

        final Path defaults = own.resolve("defaults.jsonl");
        final Path strict = own.resolve("strict.jsonl");
        assertEquals(0, CommandRun.ringfence("replay", "--data", copy.toString(), "--type", "decision",
                "--config", copy.resolve("config-history/until-5000/ringfence-config.yaml").toString(), "--out", defaults.toString()).exitCode());
        assertEquals(0, CommandRun.ringfence("replay", "--data", copy.toString(), "--type", "decision",
                "--config", stricter.toString(), "--out", strict.toString()).exitCode());
        final Map<Long, JsonNode> b = decisions(defaults);
        final Map<Long, JsonNode> a = decisions(strict);
        final List<Long> expected = new ArrayList<>();
        for (final long seq : b.keySet()) {
            if (seq <= 5_000 && !b.get(seq).get("decision").equals(a.get(seq).get("decision"))) {
                expected.add(seq);
            }
        }
        assertTrue(expected.size() > 10, "the stricter rules change some of the first 5,000: " + expected.size());

        // analyst trial: a plain replay (the README's list of a day's declines) re-decided all of it under the newest rules
        // and listed declines that were never sent; now each range is re-decided under the configuration that decided it
        final Path asSent = own.resolve("as-sent.jsonl");
        final CommandRun plain = CommandRun.ringfence("replay", "--data", copy.toString(), "--type", "decision", "--out",
                asSent.toString());
        assertEquals(0, plain.exitCode(), plain.err());
        assertTrue(plain.err().contains("each range is re-decided under the one that decided it, as sent")
                && plain.err().contains("  sequences 1..5,000: " + copy.resolve("config-history/until-5000/ringfence-config.yaml")),
                plain.err());
        final Map<Long, JsonNode> sent = decisions(asSent);
        assertEquals(b.keySet(), sent.keySet());
        for (final long seq : sent.keySet()) {
            assertEquals((seq <= 5_000 ? b : a).get(seq), sent.get(seq), "decision of seq " + seq + " as sent");
        }
        // review LOW: this replay's summary had no counts; now those of what it wrote, as decided
        final Map<String, Long> byOutcome = new java.util.TreeMap<>();
        sent.values().forEach(d -> byOutcome.merge(d.get("decision").asText(), 1L, Long::sum));
        assertTrue(plain.err().contains(String.format("  decisions: %,d (APPROVE %,d, REVIEW %,d, DECLINE %,d)", sent.size(),
                byOutcome.getOrDefault("APPROVE", 0L), byOutcome.getOrDefault("REVIEW", 0L), byOutcome.getOrDefault("DECLINE", 0L))),
                plain.err());

        final Path diff = own.resolve("diff.jsonl");
        final CommandRun run = stricterDiff(copy, diff);
        final List<Long> listed = new ArrayList<>();
        for (final String line : Files.readAllLines(diff)) {
            final JsonNode n = JSON.readTree(line);
            final long seq = n.get("seq").asLong();
            listed.add(seq);
            assertEquals(b.get(seq).get("decision"), n.get("before").get("decision"), "before is what was sent: " + line);
            assertEquals(a.get(seq).get("decision"), n.get("after").get("decision"), line);
        }
        assertEquals(expected, listed, "exactly the changes of the range decided under the other settings");
        assertTrue(run.out().contains("as decided: seq 1..5,000 " + copy.resolve("config-history/until-5000/ringfence-config.yaml"))
                && run.out().contains(String.format("seq 5,001..%,d %s", b.size() == 0 ? 0 : lastSeq(copy), copy.resolve("ringfence-config.yaml"))),
                run.out());
        assertTrue(run.out().contains(String.format("outcome changed:    %,d", expected.size())), run.out());
        // audit: the header compared the what-if with the last configuration only ("has the same settings and model as")
        // and then listed changes, with nothing saying the first range was decided under another one
        assertTrue(run.out().contains("the events compared were decided under 2 configurations (a comparison above is with the last one)")
                && run.out().contains("  sequences 1..5,000: " + copy.resolve("config-history/until-5000/ringfence-config.yaml")), run.out());

        // the trial's own check: a what-if with exactly the settings that decided a range, over that range only, changes
        // nothing and says it compares with them
        final Path kept0 = copy.resolve("config-history/until-5000/ringfence-config.yaml");
        final String to = b.get(b.keySet().stream().filter(k -> k < 4_000).max(Long::compare).orElseThrow()).get("time").asText();
        final CommandRun same = CommandRun.ringfence("replay", "--data", copy.toString(), "--config", kept0.toString(), "--diff",
                "--to", to, "--out", own.resolve("same.jsonl").toString());
        assertEquals(0, same.exitCode(), same.err());
        assertTrue(same.out().contains("outcome changed:    0 ") && same.out().contains("before (" + kept0 + ")")
                && same.out().contains("what-if " + kept0 + " has the same settings and model as " + kept0), same.out());

        // explain --config of an order decided in the first range compares with the settings that decided it (trial: it
        // compared with the newest and listed two changed settings for the very file that decided the order)
        final JsonNode early = b.get(expected.get(0));
        final String id = early.has("paymentId") ? early.get("paymentId").asText() : early.get("orderId").asText();
        final Path kept = copy.resolve("config-history/until-5000/ringfence-config.yaml");
        final CommandRun explain = CommandRun.ringfence("explain", "--data", copy.toString(), "--order", id, "--config", kept.toString());
        assertEquals(0, explain.exitCode(), explain.err());
        assertTrue(explain.err().contains("what-if " + kept + " has the same settings and model as " + kept), explain.err());
    }

    /** {@code replay --diff} of {@code data} with the stricter rules into {@code out}; checked to succeed. */
    private static CommandRun stricterDiff(final Path data, final Path out) {
        final CommandRun run = CommandRun.ringfence("replay", "--data", data.toString(), "--config", stricter.toString(),
                "--diff", "--out", out.toString());
        assertEquals(0, run.exitCode(), run.err());
        return run;
    }

    private static long lastSeq(final Path data) throws IOException {
        final Path dump = data.resolveSibling("dump-last.jsonl");
        assertEquals(0, CommandRun.ringfence("journal", "--data", data.toString(), "--out", dump.toString()).exitCode());
        final List<String> lines = Files.readAllLines(dump);
        return JSON.readTree(lines.get(lines.size() - 1)).get("seq").asLong();
    }
}
