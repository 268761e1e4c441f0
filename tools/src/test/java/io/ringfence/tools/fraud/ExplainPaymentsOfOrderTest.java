package io.ringfence.tools.fraud;

import io.ringfence.tools.CommandRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A payment's decision names its order as well as itself, and an analyst handed it asks {@code explain} for the order
 * id (compliance trial, 2026-12-07: "no order or payment" when only payments named it). Payments naming an order that
 * was never sent are explained under it; an order that was sent is explained, and its payments are named.
 */
class ExplainPaymentsOfOrderTest {
    @TempDir
    Path dir;

    @Test
    void explainsThePaymentsOfAnOrderNeverSentAndNamesThoseOfOneSent() throws Exception {
        final Path input = dir.resolve("in.jsonl");
        Files.write(input, List.of(
            "{\"type\":\"payment\",\"time\":\"2026-01-05T10:00:00Z\",\"paymentId\":\"p-1\",\"orderId\":\"o-away\",\"userId\":\"u-1\","
                + "\"instrumentId\":\"card-1\",\"amount\":\"30.00\",\"currency\":\"EUR\",\"result\":\"DECLINED\"}",
            "{\"type\":\"payment\",\"time\":\"2026-01-05T10:00:05Z\",\"paymentId\":\"p-2\",\"orderId\":\"o-away\",\"userId\":\"u-1\","
                + "\"instrumentId\":\"card-2\",\"amount\":\"30.00\",\"currency\":\"EUR\",\"result\":\"AUTHORIZED\"}",
            "{\"type\":\"order\",\"time\":\"2026-01-05T10:01:00Z\",\"orderId\":\"o-2\",\"userId\":\"u-2\",\"amount\":\"12.00\","
                + "\"currency\":\"EUR\",\"instrumentId\":\"card-3\"}",
            "{\"type\":\"payment\",\"time\":\"2026-01-05T10:01:05Z\",\"paymentId\":\"p-3\",\"orderId\":\"o-2\",\"userId\":\"u-2\","
                + "\"instrumentId\":\"card-3\",\"amount\":\"12.00\",\"currency\":\"EUR\",\"result\":\"AUTHORIZED\"}"));
        final Path data = dir.resolve("data");
        final CommandRun run = CommandRun.ringfence("run", "--input", input.toString(), "--data", data.toString(),
            "--out", dir.resolve("out.jsonl").toString());
        assertEquals(0, run.exitCode(), run.err());

        final CommandRun away = CommandRun.ringfence("explain", "--data", data.toString(), "--order", "o-away");
        assertEquals(0, away.exitCode(), away.err());
        assertTrue(away.err().contains("no order 'o-away' was sent, but 2 payment(s) name it as their order")
            && away.err().contains("p-1 (seq 1), p-2 (seq 2)"), away.err());
        assertTrue(away.out().contains("event (seq 1)") && away.out().contains("event (seq 2)"), away.out());

        final CommandRun sent = CommandRun.ringfence("explain", "--data", data.toString(), "--order", "o-2");
        assertEquals(0, sent.exitCode(), sent.err());
        assertTrue(sent.out().contains("event (seq 3)") && !sent.out().contains("event (seq 4)"), "the order itself: " + sent.out());
        assertTrue(sent.err().contains("'o-2' is also the order of 1 payment(s), each decided on its own: p-3 (seq 4)"), sent.err());

        final CommandRun none = CommandRun.ringfence("explain", "--data", data.toString(), "--order", "o-none");
        assertEquals(2, none.exitCode(), none.err());
        assertTrue(none.err().contains("no order or payment 'o-none'"), none.err());
    }
}
