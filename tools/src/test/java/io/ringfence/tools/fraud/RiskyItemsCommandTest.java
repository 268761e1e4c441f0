package io.ringfence.tools.fraud;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ringfence.engine.fraud.LogisticModel;
import io.ringfence.engine.fraud.ModelFile;
import io.ringfence.engine.fraud.ModelTerm;
import io.ringfence.tools.CommandRun;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code fraud.riskyItems} end to end: JSON item lines through the journal and pipeline into
 * {@code risky_items}, a rule on it deciding in {@code run}, {@code explain} showing it under the
 * recorded configuration, and {@code train} giving it a weight when it separates the labels.
 */
class RiskyItemsCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CONFIG = "fraud:\n"
        + "  riskyItems:\n    skus: [GIFT-50]\n    categories: [codes]\n"
        + "  rules:\n    - reason: RISKY_GOODS\n      on: [order]\n      when: [\"risky_items >= 1\"]\n      action: review\n"
        + "trending:\n  enabled: false\n";

    @TempDir
    static Path dir;

    static Path data;
    static final Map<String, JsonNode> decisions = new HashMap<>();

    private static String order(final int second, final String id, final String items) {
        return String.format("{\"type\":\"order\",\"time\":\"2026-01-05T00:00:%02dZ\",\"orderId\":\"%s\",\"userId\":\"u-%s\","
            + "\"amount\":\"30.00\",\"currency\":\"EUR\",\"deviceId\":\"d-%s\",\"instrumentId\":\"c-%s\",\"items\":[%s]}",
            second, id, id, id, id, items);
    }

    private static String item(final String sku, final String category) {
        return "{\"sku\":\"" + sku + "\",\"qty\":1,\"unitPrice\":\"10.00\"" + (category == null ? "" : ",\"category\":\"" + category + "\"") + "}";
    }

    @BeforeAll
    static void runWithARuleOnRiskyItems() throws Exception {
        final Path input = dir.resolve("in.jsonl");
        Files.write(input, List.of(
            order(1, "plain", item("mug-1", "home") + "," + item("pen", null)),
            order(2, "gift", item("mug-1", "home") + "," + item("GIFT-50", "cards") + "," + item("x", "codes")),
            order(3, "code", item("psn-20", "codes")),
            order(4, "case", item("gift-50", "Codes")),
            "{\"type\":\"payment\",\"time\":\"2026-01-05T00:00:05Z\",\"paymentId\":\"p-gift\",\"orderId\":\"gift\","
                + "\"userId\":\"u-gift\",\"instrumentId\":\"c-gift\",\"amount\":\"30.00\",\"currency\":\"EUR\",\"result\":\"AUTHORIZED\"}"));
        final Path config = dir.resolve("risky.yaml");
        Files.writeString(config, CONFIG);
        data = dir.resolve("data");
        final Path out = dir.resolve("out.jsonl");
        final CommandRun run = CommandRun.ringfence("run", "--input", input.toString(), "--data", data.toString(),
            "--out", out.toString(), "--config", config.toString());
        assertEquals(0, run.exitCode(), run.err());
        for (final String line : Files.readAllLines(out)) {
            final JsonNode n = JSON.readTree(line);
            if (n.get("type").asText().equals("decision")) {
                decisions.put(n.has("paymentId") ? n.get("paymentId").asText() : n.get("orderId").asText(), n); // a payment's names its order too
            }
        }
    }

    @Test
    void shouldHoldOrdersWithAListedSkuOrCategory() {
        assertEquals("APPROVE", decisions.get("plain").get("decision").asText(), decisions.get("plain").toString());
        for (final String id : List.of("gift", "code")) {
            final JsonNode d = decisions.get(id);
            assertEquals("REVIEW", d.get("decision").asText(), d.toString());
            assertEquals("RISKY_GOODS", d.get("reasons").get(0).asText(), d.toString());
        }
        assertEquals("APPROVE", decisions.get("case").get("decision").asText(), "ids match exactly: " + decisions.get("case"));
    }

    @Test
    void shouldExplainTheFeatureUnderTheRecordedConfiguration() throws Exception {
        final CommandRun text = CommandRun.ringfence("explain", "--data", data.toString(), "--order", "gift");
        assertEquals(0, text.exitCode(), text.err());
        assertTrue(text.out().matches("(?s).*\\n  risky_items +2\\n.*"), text.out());
        assertTrue(text.out().matches("(?s).*FIRED +RISKY_GOODS +review +risky_items >= 1.*"), text.out());

        final CommandRun json = CommandRun.ringfence("explain", "--data", data.toString(), "--order", "plain", "--json");
        assertEquals(0, json.exitCode(), json.err());
        assertEquals(0.0, JSON.readTree(json.out()).get("features").get("risky_items").asDouble(-1));

        final CommandRun payment = CommandRun.ringfence("explain", "--data", data.toString(), "--order", "p-gift", "--json");
        assertEquals(0, payment.exitCode(), payment.err());
        assertTrue(JSON.readTree(payment.out()).get("features").get("risky_items").isNull(), "missing on a payment: " + payment.out());

        // what-if without the lists: the same journal, risky_items 0 and the rule quiet
        final Path none = dir.resolve("none.yaml");
        Files.writeString(none, CONFIG.replace("skus: [GIFT-50]", "skus: []").replace("categories: [codes]", "categories: []"));
        final CommandRun whatIf = CommandRun.ringfence("explain", "--data", data.toString(), "--order", "gift", "--json",
            "--config", none.toString());
        assertEquals(0, whatIf.exitCode(), whatIf.err());
        final JsonNode w = JSON.readTree(whatIf.out());
        assertEquals(0.0, w.get("features").get("risky_items").asDouble(-1));
        assertEquals("APPROVE", w.get("decision").asText(), whatIf.out());
    }

    /** Labels that follow the risky goods: the trained model weighs risky_items, and its file names it. */
    @Test
    void shouldTrainAWeightOnRiskyItems() throws Exception {
        final Path input = dir.resolve("labelled.jsonl");
        final List<String> lines = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            final boolean risky = i % 5 == 0;
            // fraud: 3 in 4 risky orders, 1 in 40 other orders
            final boolean fraud = risky ? i % 20 != 0 : i % 40 == 1;
            lines.add(String.format("{\"type\":\"order\",\"time\":\"2026-01-05T%02d:%02d:00Z\",\"orderId\":\"o%d\",\"userId\":\"u%d\","
                + "\"amount\":\"%d.00\",\"currency\":\"EUR\",\"label\":%d,\"items\":[%s]}", i / 60, i % 60, i, i, 20 + i % 7,
                fraud ? 1 : 0, risky ? item("GIFT-50", null) : item("mug-" + i % 3, "home")));
        }
        Files.write(input, lines);
        final Path config = dir.resolve("risky-only.yaml");
        Files.writeString(config, "fraud:\n  riskyItems: {skus: [GIFT-50]}\n");
        final Path model = dir.resolve("model.json");
        final CommandRun train = CommandRun.ringfence("train", "--config", config.toString(), "--input", input.toString(),
            "--out", model.toString());
        assertEquals(0, train.exitCode(), train.err());
        final LogisticModel m = ModelFile.read(model);
        final ModelTerm term = m.terms().stream().filter(t -> t.feature().featureName().equals("risky_items")).findFirst()
            .orElseThrow(() -> new AssertionError("no risky_items term: " + m.terms()));
        assertTrue(term.weight() > 1, "risky goods raise the score: " + term);
        final CommandRun eval = CommandRun.ringfence("evaluate", "--config", config.toString(), "--input", input.toString(),
            "--model", model.toString(), "--json");
        assertEquals(0, eval.exitCode(), eval.err());
        assertTrue(JSON.readTree(eval.out()).get("rocAuc").asDouble() > 0.85, eval.out());

        // the same model under a configuration without riskyItems: refused, naming --model, not a line of the file (review)
        final Path plain = dir.resolve("plain.yaml");
        Files.writeString(plain, "fraud:\n  reviewAt: 0.6\n");
        final CommandRun refused = CommandRun.ringfence("evaluate", "--config", plain.toString(), "--input", input.toString(),
            "--model", model.toString());
        assertEquals(2, refused.exitCode(), refused.err());
        assertTrue(refused.err().contains("--model " + model + ": fraud.model: '") && refused.err().contains("weighs risky_items"),
            refused.err());
    }
}
