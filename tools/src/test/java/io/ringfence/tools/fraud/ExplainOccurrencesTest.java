package io.ringfence.tools.fraud;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ringfence.tools.CommandRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Audit: an id sent 12 times was explained 10 times, the first 10, without a word; the last two (USER_VELOCITY, the
 * disputed ones) could not be explained. The latest 10 are explained, the rest named, and {@code --all} explains every one.
 */
class ExplainOccurrencesTest {
    @TempDir
    Path dir;

    @Test
    void explainsTheLatestOccurrencesAndSaysHowManyWereLeftOut() throws Exception {
        final List<String> lines = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            lines.add(String.format("{\"type\":\"order\",\"time\":\"2026-01-05T00:00:%02dZ\",\"orderId\":\"rep-1\",\"userId\":\"u1\","
                + "\"amount\":\"10.00\",\"currency\":\"EUR\"}", i));
        }
        final Path input = Files.write(dir.resolve("in.jsonl"), lines);
        final Path data = dir.resolve("data");
        assertEquals(0, CommandRun.ringfence("run", "--input", input.toString(), "--data", data.toString(),
            "--out", dir.resolve("out.jsonl").toString()).exitCode());

        final CommandRun latest = CommandRun.ringfence("explain", "--data", data.toString(), "--order", "rep-1", "--json");
        assertEquals(0, latest.exitCode(), latest.err());
        assertTrue(latest.err().contains("'rep-1' occurs 12 times (seq 1..12): the latest 10 are explained, from seq 3"
            + " (--all explains every one)"), latest.err());
        assertEquals(List.of(3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L, 12L), seqs(latest.out()));

        final CommandRun every = CommandRun.ringfence("explain", "--data", data.toString(), "--order", "rep-1", "--json", "--all");
        assertEquals(0, every.exitCode(), every.err());
        assertFalse(every.err().contains("occurs"), every.err());
        assertEquals(12, seqs(every.out()).size());
        final JsonNode first = new ObjectMapper().readTree(every.out().lines().findFirst().orElseThrow());
        final JsonNode last = new ObjectMapper().readTree(every.out().lines().skip(11).findFirst().orElseThrow());
        assertTrue(first.has("features"), "the first is explained: " + first);
        assertEquals(1, last.get("repeatOf").asLong(), "the others repeat it (decisions.repeats: first): " + last);
        assertEquals(first.get("decision").asText(), last.get("decision").asText());

        final CommandRun text = CommandRun.ringfence("explain", "--data", data.toString(), "--order", "rep-1", "--all");
        assertTrue(text.out().contains("seq 12: 'rep-1' repeats seq 1 (the same id"), text.out());
    }

    /** New-user trial: an ID_REUSED decision was explained without the earlier decision of that id. */
    @Test
    void namesTheDecisionAnIdWasReusedFrom() throws Exception {
        final Path input = Files.write(dir.resolve("reused.jsonl"), List.of(
            "{\"type\":\"order\",\"time\":\"2026-01-05T00:00:00Z\",\"orderId\":\"o-7\",\"userId\":\"u1\",\"amount\":\"10.00\",\"currency\":\"EUR\"}",
            "{\"type\":\"order\",\"time\":\"2026-01-05T00:00:01Z\",\"orderId\":\"o-8\",\"userId\":\"u2\",\"amount\":\"10.00\",\"currency\":\"EUR\"}",
            "{\"type\":\"order\",\"time\":\"2026-01-05T00:00:02Z\",\"orderId\":\"o-7\",\"userId\":\"u1\",\"amount\":\"99.00\",\"currency\":\"EUR\"}"));
        final Path data = dir.resolve("reused");
        assertEquals(0, CommandRun.ringfence("run", "--input", input.toString(), "--data", data.toString(),
            "--out", dir.resolve("reused-out.jsonl").toString()).exitCode());
        final CommandRun text = CommandRun.ringfence("explain", "--data", data.toString(), "--order", "o-7");
        assertEquals(0, text.exitCode(), text.err());
        assertTrue(text.out().contains("repeats: ID_REUSED: this id was decided at seq 1 for other content"), text.out());
        final CommandRun json = CommandRun.ringfence("explain", "--data", data.toString(), "--order", "o-7", "--json");
        final List<JsonNode> lines = new ArrayList<>();
        for (final String line : json.out().split("\n")) {
            lines.add(new ObjectMapper().readTree(line));
        }
        assertEquals(2, lines.size(), json.out());
        assertFalse(lines.get(0).has("idReusedOf"), "the first is not a reuse: " + lines.get(0));
        assertEquals(1, lines.get(1).get("idReusedOf").asLong(), lines.get(1).toString());
    }

    private static List<Long> seqs(final String jsonLines) throws Exception {
        final List<Long> seqs = new ArrayList<>();
        for (final String line : jsonLines.split("\n")) {
            if (!line.isBlank()) {
                seqs.add(new ObjectMapper().readTree(line).get("seq").asLong());
            }
        }
        return seqs;
    }
}
