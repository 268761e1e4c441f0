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
        assertTrue(run.err().contains("6 labelled orders/payments were repeats of one decided before") && run.err()
                .contains("each is counted once, as first decided"), run.err());
        assertTrue(!run.err().contains("another label") && !run.err().contains("without a label"), run.err());
    }

    private static String order(final int minute, final int i, final Integer label) {
        return String.format("{\"type\":\"order\",\"time\":\"2026-01-05T00:%02d:00Z\",\"orderId\":\"o%d\",\"userId\":\"u%d\","
                + "\"amount\":\"%d.00\",\"currency\":\"EUR\"%s}", minute, i, i, 10 + i, label == null ? "" : ",\"label\":" + label);
    }

    /**
     * Data-scientist trial: a resend's label is not part of its content, so a chargeback learnt later (label 1 on an order
     * first sent with 0) was ignored without a word, and labels sent only with a resend were dropped while the summary
     * said "each is counted once". The later label is used and counted; late labels are counted and warned about.
     */
    @Test
    void evaluateUsesTheLaterLabelOfARepeatAndSaysWhichLabelsItCouldNotUse() throws Exception {
        final List<String> lines = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            lines.add(order(i, i, i % 2));
        }
        lines.add(order(10, 0, 1)); // o0: a chargeback learnt later
        lines.add(order(11, 2, 0)); // o2: the same label again
        for (int i = 6; i < 9; i++) {
            lines.add(order(20 + i, i, null)); // sent without a label...
        }
        for (int i = 6; i < 9; i++) {
            lines.add(order(40 + i, i, 1)); // ...labelled only on a resend
        }
        final Path input = Files.write(dir.resolve("relabelled.jsonl"), lines);
        final CommandRun run = CommandRun.ringfence("evaluate", "--input", input.toString());
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("evaluated: 6 orders, 4 fraud"), "o0 as fraud: " + run.out());
        assertTrue(run.err().contains("2 labelled orders/payments were repeats of one decided before") && run.err()
                .contains("1 of them carried another label than the first send: the later label is used"), run.err());
        assertTrue(run.err().contains("warning: 3 labelled orders/payments were repeats of one first sent without a label"),
                run.err());
    }
}
