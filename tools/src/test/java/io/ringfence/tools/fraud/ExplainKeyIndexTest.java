package io.ringfence.tools.fraud;

import io.ringfence.journal.Journal;
import io.ringfence.journal.JournalConfig;
import io.ringfence.journal.KeyIndex;
import io.ringfence.tools.CommandRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code explain} finds an id's events through the journal's key index (written by the run's sealer, one block per
 * 262,144 events) instead of reading the whole journal, and explains exactly what a whole read explains: an order
 * inside the indexed block, sent again after it (read in the journal's tail), its payment, an order near the block's
 * end, an id never sent.
 */
class ExplainKeyIndexTest {
    @TempDir
    Path dir;

    @Test
    void explainsThroughTheIndexWhatAWholeReadExplains() throws Exception {
        final Path input = dir.resolve("shop.jsonl");
        assertEquals(0, CommandRun.ringfence("generate", "--events", "263000", "--seed", "3", "--out", input.toString()).exitCode());
        // the same order id sent again after the block: two occurrences, one in the block, one after it
        final List<String> lines = new java.util.ArrayList<>(Files.readAllLines(input));
        lines.add(lines.get(0).replace("\"time\":\"2026-01-05T", "\"time\":\"2026-01-06T"));
        Files.write(input, lines);
        final Path data = dir.resolve("data");
        final CommandRun run = CommandRun.ringfence("run", "--input", input.toString(), "--data", data.toString(),
                "--out", dir.resolve("out.jsonl").toString());
        assertEquals(0, run.exitCode(), run.err());
        final Path index = data.resolve(KeyIndex.DIRECTORY);
        assertTrue(Files.exists(index.resolve("0000000000000000001.keys")), "the run's sealer wrote the first block");

        // the occurrences found (the order, its repeat after the block, the payments naming it), with and without the index
        final String nearEnd = lastOrderId(lines.subList(0, 262_144)); // the block's last order
        for (final String id : List.of("o1", "p1", nearEnd, "nobody")) {
            final Found indexed = find(data, id);
            assertEquals(1, indexed.command.search.blocks(), id + ": " + indexed.command.search);
            assertTrue(indexed.command.search.scanned() < 10_000, id + ": only the tail is read: " + indexed.command.search);
            Files.move(index, dir.resolve("aside"));
            final Found whole = find(data, id);
            Files.move(dir.resolve("aside"), index);
            assertEquals(0, whole.command.search.blocks());
            assertEquals(whole.targets, indexed.targets, id);
            assertEquals(whole.command.paymentsOfOrder(), indexed.command.paymentsOfOrder(), id);
            assertEquals(id.equals("nobody"), indexed.targets.isEmpty(), id + ": " + indexed.targets);
        }
        assertEquals(2, find(data, "o1").targets.size(), "o1 and its repeat");
        // and explain's whole output (a payment: its replay is short)
        final Explained indexed = explain(data, "p1");
        Files.move(index, dir.resolve("aside"));
        final Explained whole = explain(data, "p1");
        Files.move(dir.resolve("aside"), index);
        assertEquals(0, indexed.exit, indexed.err);
        assertEquals(whole.out, indexed.out);
        assertEquals(whole.err, indexed.err);
    }

    private record Found(ExplainCommand command, List<Long> targets) {
    }

    private static Found find(final Path data, final String id) {
        final ExplainCommand command = new ExplainCommand();
        command.order = id;
        try (Journal journal = Journal.open(JournalConfig.builder(data).forReading().build())) {
            return new Found(command, command.find(journal));
        }
    }

    private record Explained(ExplainCommand command, int exit, String out, String err) {
    }

    private static Explained explain(final Path data, final String id) {
        final ExplainCommand command = new ExplainCommand();
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final PrintStream savedOut = System.out;
        final PrintStream savedErr = System.err;
        final int exit;
        synchronized (CommandRun.class) { // CommandRun swaps the same streams
            try {
                System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
                System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
                exit = new CommandLine(command).execute("--data", data.toString(), "--order", id, "--json");
            } finally {
                System.setOut(savedOut);
                System.setErr(savedErr);
            }
        }
        return new Explained(command, exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static String lastOrderId(final List<String> lines) {
        for (int i = lines.size() - 1; i >= 0; i--) {
            if (lines.get(i).startsWith("{\"type\":\"order\"")) {
                final int at = lines.get(i).indexOf("\"orderId\":\"") + 11;
                return lines.get(i).substring(at, lines.get(i).indexOf('"', at));
            }
        }
        throw new AssertionError("no order");
    }
}
