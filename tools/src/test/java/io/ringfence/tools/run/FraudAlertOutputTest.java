package io.ringfence.tools.run;

import io.ringfence.tools.CommandRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A held order is answered with its decision and pushed as a fraudAlert right after it; an approved one is not. */
class FraudAlertOutputTest {
    @TempDir
    Path dir;

    @Test
    void declinedOrderGetsADecisionAndAFraudAlertApprovedOneOnlyADecision() throws Exception {
        final String order = "{\"type\":\"order\",\"time\":\"2026-01-05T00:00:%02dZ\",\"orderId\":\"o%d\",\"userId\":\"u%d\","
                + "\"amount\":\"15.00\",\"currency\":\"EUR\",\"country\":\"France\",\"ip\":\"10.0.0.%d\",\"deviceId\":\"d%d\","
                + "\"instrumentId\":\"%s\",\"merchantId\":\"shop-1\",\"items\":[{\"sku\":\"sku-1\",\"qty\":1,\"unitPrice\":\"15.00\"}]}";
        final Path input = dir.resolve("in.jsonl");
        Files.write(input, List.of(String.format(order, 1, 1, 1, 1, 1, "card-ok"), String.format(order, 2, 2, 2, 2, 2, "card-stolen")));
        final Path config = dir.resolve("deny.yaml");
        // trending off: the first order's sales list would be pushed too, and this test is about alerts
        Files.writeString(config, "fraud:\n  deny: {instruments: [card-stolen]}\ntrending:\n  enabled: false\n");
        final Path out = dir.resolve("out.jsonl");
        final CommandRun run = CommandRun.ringfence("run", "--input", input.toString(), "--data", dir.resolve("data").toString(),
                "--out", out.toString(), "--config", config.toString());
        assertEquals(0, run.exitCode(), run.err());
        final List<String> lines = Files.readAllLines(out).stream()
                .filter(l -> !l.startsWith("{\"type\":\"windowResult\"")) // the end of input closes the hour
                .filter(l -> !l.startsWith("{\"type\":\"orderStatusPush\"")).toList(); // each order is CREATED too
        assertEquals(3, lines.size(), lines.toString());
        assertTrue(lines.get(0).startsWith("{\"type\":\"decision\",\"seq\":1,") && lines.get(0).contains("\"decision\":\"APPROVE\""), lines.get(0));
        assertTrue(lines.get(1).startsWith("{\"type\":\"decision\",\"seq\":2,") && lines.get(1).contains("\"decision\":\"DECLINE\""), lines.get(1));
        assertTrue(lines.get(2).startsWith("{\"type\":\"fraudAlert\",\"seq\":2,"), lines.get(2));
        assertTrue(lines.get(2).contains("\"orderId\":\"o2\"") && lines.get(2).contains("\"decision\":\"DECLINE\"")
                && lines.get(2).contains("DENY_LIST"), lines.get(2));
    }
}
