package io.ringfence.tools.fraud;

import io.ringfence.tools.CommandRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Review: a labelled file sent twice gave evaluate and train half its labelled lines (the second copy's orders are
 * repeats, answered with the first decision and not scored) and said nothing of the rest. They say how many were left out.
 */
class LabelledRepeatsTest {
    @TempDir
    Path dir;

    @Test
    void evaluateSaysHowManyLabelledRepeatsItLeftOut() throws Exception {
        final List<String> lines = new ArrayList<>();
        for (int copy = 0; copy < 2; copy++) {
            for (int i = 0; i < 6; i++) {
                lines.add(String.format("{\"type\":\"order\",\"time\":\"2026-01-05T00:%02d:00Z\",\"orderId\":\"o%d\",\"userId\":\"u%d\","
                        + "\"amount\":\"%d.00\",\"currency\":\"EUR\",\"label\":%d}", copy * 10 + i, i, i, 10 + i, i % 2));
            }
        }
        final Path input = Files.write(dir.resolve("labelled.jsonl"), lines);
        final CommandRun run = CommandRun.ringfence("evaluate", "--input", input.toString());
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.err().contains("6 labelled orders/payments, "), "each order once: " + run.err());
        assertTrue(run.err().contains("6 labelled orders/payments left out as repeats of one decided before"), run.err());
    }
}
