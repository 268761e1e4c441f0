package io.ringfence.tools.demo;

import io.ringfence.tools.CommandRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The demo end to end, small: engine, gateway, two clients, the shop; the summary adds up and the journal is there. */
class DemoCommandTest {
    @TempDir
    Path dir;

    @Test
    void runsTheShopOverTheGatewayAndReportsWhatCameBack() throws Exception {
        final Path data = dir.resolve("demo");
        final CommandRun run = CommandRun.ringfence("demo", "--events", "3000", "--warmup", "500", "--rate", "5000",
                "--users", "300", "--fraud-rate", "0.02", "--data", data.toString());
        assertEquals(0, run.exitCode(), run.err() + run.out());
        final String out = run.out();
        assertTrue(out.contains("sent 3,000 events"), out);
        final Matcher decisions = Pattern.compile("decisions: ([\\d,]+)").matcher(out);
        assertTrue(decisions.find(), out);
        final long decided = Long.parseLong(decisions.group(1).replace(",", ""));
        long perPattern = 0;
        final Matcher rows = Pattern.compile("^\\s+(normal traffic|card testing|account takeover|shared-device).*?\\s([\\d,]+) ->", Pattern.MULTILINE).matcher(out);
        int patterns = 0;
        while (rows.find()) {
            perPattern += Long.parseLong(rows.group(2).replace(",", ""));
            patterns++;
        }
        assertEquals(4, patterns, out);
        assertTrue(decided > 300, "orders and payments were decided: " + out);
        assertEquals(decided, perPattern, "every decision belongs to exactly one pattern row");
        final Matcher pushes = Pattern.compile("fraud alerts, ([\\d,]+) trending lists, ([\\d,]+) cart promotions").matcher(out);
        assertTrue(pushes.find(), out);
        assertTrue(Long.parseLong(pushes.group(1).replace(",", "")) > 0, "views and sales make trending lists: " + out);
        assertTrue(out.contains("latency, intended send -> decision received"), out);
        final Matcher orderPushes = Pattern.compile("([\\d,]+) orderStatusPush, ([\\d,]+) stockPush").matcher(out);
        assertTrue(orderPushes.find(), out);
        assertTrue(Long.parseLong(orderPushes.group(1).replace(",", "")) > 100, "orders are created, paid, shipped: " + out);
        assertTrue(out.contains("./ringfence replay --data " + data), out);
        try (var files = Files.list(data)) {
            assertTrue(files.anyMatch(p -> p.toString().endsWith(".cq4")), "the run's journal is in --data");
        }
        // the dump names the client that sent each event (soak trial: with several clients, clientSeq alone was ambiguous)
        final CommandRun dump = CommandRun.ringfence("journal", "--data", data.toString(), "--limit", "3");
        assertEquals(0, dump.exitCode(), dump.err());
        final List<String> lines = dump.out().lines().toList();
        assertEquals(3, lines.size(), dump.out());
        for (final String line : lines) {
            assertTrue(line.matches("\\{\"seq\":\\d+,\"ingestTime\":\"[^\"]+\",\"clientSeq\":\\d+,\"client\":\"shop\",.*"), line);
        }
    }

    @Test
    void refusesADataDirectoryThatAlreadyHoldsAJournal() throws Exception {
        final Path data = dir.resolve("used");
        Files.createDirectories(data);
        Files.writeString(data.resolve("20260101F.cq4"), "x");
        final CommandRun run = CommandRun.ringfence("demo", "--events", "10", "--data", data.toString());
        assertEquals(2, run.exitCode(), run.err());
        assertTrue(run.err().contains("already holds a journal"), run.err());
    }

    @Test
    void shouldFitItsClientsToTheServerItRuns() {
        for (final int outbound : new int[] {1 << 20, 4 << 20}) {
            final io.ringfence.gateway.config.GatewayConfig server = new io.ringfence.gateway.config.GatewayConfig();
            server.outboundBufferBytes = outbound;
            final io.ringfence.gateway.client.GatewayClientConfig client = DemoCommand.clientConfig(server);
            assertEquals(io.ringfence.gateway.client.GatewayClientConfig.answerRoom(server.outboundBufferBytes), client.unackedBufferBytes,
                "the answers it can be owed fit its session's outbound buffer (half: a payment's Decision is larger than the"
                    + " payment): never dropped as a slow consumer of them");
            assertEquals(server.maxFrameBytes, client.maxFrameBytes);
            assertTrue(client.recoverAnswers, "the shop gets the answers of what was journaled before a reconnect");
        }
    }
}
