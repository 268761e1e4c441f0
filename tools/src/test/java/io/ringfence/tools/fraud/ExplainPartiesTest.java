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
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Review LOW (2026-12-06): a payment that names its order but not its user or card is judged by its order's
 * (PaymentPartiesTest), and explain did not say so: a payment without a card read "DENY_LIST" with no card in sight.
 */
class ExplainPartiesTest {
    @TempDir
    Path dir;

    @Test
    void saysWhichPartiesAPaymentTookFromItsOrder() throws Exception {
        final Path data = recorded();
        final CommandRun none = CommandRun.ringfence("explain", "--data", data.toString(), "--order", "p-none");
        assertEquals(0, none.exitCode(), none.err());
        assertTrue(none.out().contains("parties: the payment names no user and no card, so it was judged by its order's:"
            + " user u1, card card-666"), none.out());
        assertTrue(none.out().contains("DENY_LIST"), none.out());

        final CommandRun user = CommandRun.ringfence("explain", "--data", data.toString(), "--order", "p-user");
        assertTrue(user.out().contains("parties: the payment names no card, so it was judged by its order's: card card-666"),
            user.out());

        final CommandRun own = CommandRun.ringfence("explain", "--data", data.toString(), "--order", "p-own");
        assertEquals(0, own.exitCode(), own.err());
        assertFalse(own.out().contains("parties:"), "it names both: " + own.out());

        final ObjectMapper json = new ObjectMapper();
        final JsonNode noneJson = json.readTree(CommandRun.ringfence("explain", "--data", data.toString(), "--order", "p-none",
            "--json").out());
        assertEquals("u1", noneJson.path("fromOrder").path("userId").asText(), noneJson.toString());
        assertEquals("card-666", noneJson.path("fromOrder").path("instrumentId").asText(), noneJson.toString());
        final JsonNode userJson = json.readTree(CommandRun.ringfence("explain", "--data", data.toString(), "--order", "p-user",
            "--json").out());
        assertTrue(userJson.path("fromOrder").path("userId").isNull(), userJson.toString());
        assertFalse(json.readTree(CommandRun.ringfence("explain", "--data", data.toString(), "--order", "p-own", "--json").out())
            .has("fromOrder"));
    }

    /** Integrator trial: the decision of a payment naming only its order carried no user, so --user never selected it. */
    @Test
    void replaySelectsAPaymentJudgedByItsOrdersUserByThatUser() throws Exception {
        final Path data = recorded();
        final CommandRun json = CommandRun.ringfence("replay", "--data", data.toString(), "--user", "u1", "--type", "decision,fraudAlert");
        assertEquals(0, json.exitCode(), json.err());
        assertTrue(json.out().contains("\"paymentId\":\"p-none\"") && json.out().contains("\"type\":\"fraudAlert\""), json.out());
        assertFalse(json.out().contains("p-user") || json.out().contains("p-own"), "they name u9: " + json.out());
        final CommandRun csv = CommandRun.ringfence("replay", "--data", data.toString(), "--format", "csv", "--type", "decision");
        assertTrue(csv.out().lines().anyMatch(l -> l.contains(",o1,p-none,u1,DECLINE,")), csv.out());
        // review: with --order too, the start-point search found no event of both and refused it
        final CommandRun both = CommandRun.ringfence("replay", "--data", data.toString(), "--user", "u1", "--order", "p-none",
            "--type", "decision");
        assertEquals(0, both.exitCode(), both.err());
        assertTrue(both.out().contains("\"paymentId\":\"p-none\"") && both.out().lines().count() == 1, both.out());
        // review: --diff --user selected by the causing event's user, so it dropped the payment replay --user lists
        final Path open = Files.writeString(dir.resolve("no-deny.yaml"), "fraud:\n  reviewAt: 0.6\n");
        final CommandRun diff = CommandRun.ringfence("replay", "--data", data.toString(), "--config", open.toString(), "--diff",
            "--user", "u1");
        assertEquals(0, diff.exitCode(), diff.err());
        assertTrue(diff.out().contains("\"paymentId\":\"p-none\"") && diff.out().contains("\"userId\":\"u1\""), diff.out());
    }

    /**
     * Analyst trial review (2026-12-06): a sliding window keyed by card counted the payments that named the card, never
     * those naming only their order, so CARD_BURST fired for one and not the other, while the features joined both.
     */
    @Test
    void windowsKeyAPaymentNamingOnlyItsOrderByItsOrdersCard() throws Exception {
        final Path config = Files.writeString(dir.resolve("burst.yaml"), """
                windows:
                  - {name: card_pay_1h, key: instrument, kind: sliding, size: 1h, step: 1m, events: [payment], metrics: [count]}
                fraud:
                  rules:
                    - {reason: CARD_BURST, on: [payment], when: ["card_pay_1h.count >= 3"], action: review}
                """);
        final java.util.List<String> lines = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) {
            lines.add("{\"type\":\"order\",\"time\":\"2026-01-05T10:0" + i + ":00Z\",\"orderId\":\"o" + i
                + "\",\"userId\":\"u" + i + "\",\"amount\":\"10.00\",\"currency\":\"EUR\",\"instrumentId\":\"card-9\"}");
            lines.add("{\"type\":\"payment\",\"time\":\"2026-01-05T10:0" + i + ":05Z\",\"paymentId\":\"p" + i
                + "\",\"orderId\":\"o" + i + "\",\"amount\":\"10.00\",\"currency\":\"EUR\",\"result\":\"AUTHORIZED\"}");
        }
        final Path input = Files.write(dir.resolve("burst.jsonl"), lines);
        final Path out = dir.resolve("burst-out.jsonl");
        final CommandRun run = CommandRun.ringfence("run", "--input", input.toString(), "--data", dir.resolve("burst").toString(),
            "--config", config.toString(), "--out", out.toString());
        assertEquals(0, run.exitCode(), run.err());
        final java.util.List<String> bursts = Files.readAllLines(out).stream()
            .filter(l -> l.contains("\"type\":\"decision\"") && l.contains("CARD_BURST")).toList();
        assertEquals(2, bursts.size(), "the third and fourth payments on card-9: " + bursts);
        assertTrue(bursts.get(0).contains("\"paymentId\":\"p2\"") && bursts.get(1).contains("\"paymentId\":\"p3\""), bursts.toString());
    }

    /** The run of an order on a denied card and three payments of it: naming no user or card, a user only, both. */
    private Path recorded() throws Exception {
        final String t = "\"time\":\"2026-01-05T10:00:0%dZ\"";
        final Path config = Files.writeString(dir.resolve("deny.yaml"), "fraud:\n  deny:\n    instruments: [card-666]\n");
        final Path input = Files.write(dir.resolve("in.jsonl"), List.of(
            "{\"type\":\"order\"," + String.format(t, 0) + ",\"orderId\":\"o1\",\"userId\":\"u1\",\"amount\":\"10.00\","
                + "\"currency\":\"EUR\",\"instrumentId\":\"card-666\"}",
            "{\"type\":\"payment\"," + String.format(t, 1) + ",\"paymentId\":\"p-none\",\"orderId\":\"o1\",\"amount\":\"10.00\","
                + "\"currency\":\"EUR\",\"result\":\"AUTHORIZED\"}",
            "{\"type\":\"payment\"," + String.format(t, 2) + ",\"paymentId\":\"p-user\",\"orderId\":\"o1\",\"userId\":\"u9\","
                + "\"amount\":\"10.00\",\"currency\":\"EUR\",\"result\":\"AUTHORIZED\"}",
            "{\"type\":\"payment\"," + String.format(t, 3) + ",\"paymentId\":\"p-own\",\"orderId\":\"o1\",\"userId\":\"u9\","
                + "\"instrumentId\":\"card-2\",\"amount\":\"10.00\",\"currency\":\"EUR\",\"result\":\"AUTHORIZED\"}"));
        final Path data = dir.resolve("data");
        final CommandRun run = CommandRun.ringfence("run", "--input", input.toString(), "--data", data.toString(), "--config",
            config.toString(), "--out", dir.resolve("out.jsonl").toString());
        assertEquals(0, run.exitCode(), run.err());
        return data;
    }
}
