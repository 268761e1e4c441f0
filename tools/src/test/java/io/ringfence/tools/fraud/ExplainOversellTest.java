package io.ringfence.tools.fraud;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ringfence.tools.CommandRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code explain} gives the decision the client got also when inventory amended it after scoring
 * (analyst trial: an order held for REVIEW by {@code OVERSELL} was explained as APPROVE, no reasons).
 */
class ExplainOversellTest {
    @TempDir
    Path dir;

    @Test
    void explainsAnOrderHeldForOversellWithTheDecisionItGot() throws Exception {
        final Path input = dir.resolve("in.jsonl");
        Files.write(input, List.of(
            "{\"type\":\"inventory\",\"time\":\"2026-01-05T10:00:00Z\",\"sku\":\"sku-1\",\"warehouse\":\"w1\",\"delta\":2}",
            "{\"type\":\"order\",\"time\":\"2026-01-05T10:01:00Z\",\"orderId\":\"o-over\",\"userId\":\"u-1\",\"amount\":\"30.00\","
                + "\"currency\":\"EUR\",\"items\":[{\"sku\":\"sku-1\",\"qty\":3,\"unitPrice\":\"10.00\"}]}"));
        final Path config = dir.resolve("review.yaml");
        Files.writeString(config, "inventory:\n  oversell: review\n");
        final Path data = dir.resolve("data");
        final Path out = dir.resolve("out.jsonl");
        final CommandRun run = CommandRun.ringfence("run", "--input", input.toString(), "--data", data.toString(),
            "--out", out.toString(), "--config", config.toString());
        assertEquals(0, run.exitCode(), run.err());
        final ObjectMapper json = new ObjectMapper();
        JsonNode sent = null;
        for (final String line : Files.readAllLines(out)) {
            final JsonNode n = json.readTree(line);
            if (n.get("type").asText().equals("decision")) {
                sent = n;
            }
        }
        assertEquals("REVIEW", sent.get("decision").asText(), "the client was sent REVIEW: " + sent);
        assertEquals("[\"OVERSELL\"]", sent.get("reasons").toString());

        final CommandRun explainJson = CommandRun.ringfence("explain", "--data", data.toString(), "--order", "o-over", "--json");
        assertEquals(0, explainJson.exitCode(), explainJson.err());
        final JsonNode e = json.readTree(explainJson.out().strip());
        assertEquals("REVIEW", e.get("decision").asText(), explainJson.out());
        assertEquals(sent.get("reasons"), e.get("reasons"));
        assertTrue(e.get("oversell").asBoolean());

        final CommandRun explainText = CommandRun.ringfence("explain", "--data", data.toString(), "--order", "o-over");
        assertEquals(0, explainText.exitCode(), explainText.err());
        assertTrue(explainText.out().contains("decision: REVIEW   score 0.0   reasons: OVERSELL"), explainText.out());
        assertTrue(explainText.out().contains("inventory: OVERSELL is not fraud scoring"), explainText.out());
    }
}
