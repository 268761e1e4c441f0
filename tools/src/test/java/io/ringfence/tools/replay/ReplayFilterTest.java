package io.ringfence.tools.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ringfence.tools.CommandRun;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** replay's filters select outputs of the full replay (the engine still sees every event), as JSONL or CSV. */
class ReplayFilterTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    static Path data;
    static List<String> all;

    @BeforeAll
    static void seededRun() throws IOException {
        final Path input = dir.resolve("workload.jsonl");
        data = dir.resolve("data");
        assertEquals(0, CommandRun.ringfence("generate", "--events", "8000", "--seed", "5", "--out", input.toString()).exitCode());
        // short timers, so that pushes raised by a timer (about another order than the event that fired it) occur
        final Path config = dir.resolve("timers.yaml");
        Files.writeString(config, "orders:\n  unpaidAfter: 1m\ncarts:\n  delay: 1m\n");
        assertEquals(0, CommandRun.ringfence("run", "--input", input.toString(), "--data", data.toString(),
                "--config", config.toString(), "--out", dir.resolve("run.jsonl").toString()).exitCode());
        final Path full = dir.resolve("full.jsonl");
        assertEquals(0, CommandRun.ringfence("replay", "--data", data.toString(), "--out", full.toString()).exitCode());
        all = Files.readAllLines(full);
    }

    private static List<String> replay(final String... filters) throws IOException {
        final Path out = Files.createTempFile(dir, "filtered", ".out");
        final List<String> args = new ArrayList<>(List.of("replay", "--data", data.toString(), "--out", out.toString()));
        args.addAll(List.of(filters));
        final CommandRun run = CommandRun.ringfence(args.toArray(String[]::new));
        assertEquals(0, run.exitCode(), run.err());
        return Files.readAllLines(out);
    }

    /** The CSV rows (header first) of a full replay whose causing event's time is in [from, to). */
    private static List<String> csvRowsInTime(final Instant from, final Instant to) throws IOException {
        final List<String> full = replay("--format", "csv");
        final List<String> kept = new ArrayList<>(List.of(full.get(0)));
        for (final String row : full.subList(1, full.size())) {
            final String time = row.split(",", -1)[1];
            if (!time.isEmpty() && !Instant.parse(time).isBefore(from) && Instant.parse(time).isBefore(to)) {
                kept.add(row);
            }
        }
        return kept;
    }

    /**
     * A CSV row's first nine columns, those every output type shares, up to reasons: without the seven after it (ingest
     * time, amount, currency, client, clientSeq, configuration and its SHA-256), none of which holds a comma here.
     */
    private static String shared(final String row) {
        String shared = row;
        for (int i = 0; i < 7; i++) {
            shared = shared.substring(0, shared.lastIndexOf(','));
        }
        return shared;
    }

    private static List<String> select(final Predicate<JsonNode> keep) throws IOException {
        final List<String> kept = new ArrayList<>();
        for (final String line : all) {
            if (keep.test(JSON.readTree(line))) {
                kept.add(line);
            }
        }
        return kept;
    }

    private static String type(final JsonNode n) {
        return n.get("type").asText();
    }

    @Test
    void shouldWriteOnlyTheOutputsOfTheSelectedTypesByteForByte() throws IOException {
        final List<String> expected = select(n -> type(n).equals("decision") || type(n).equals("windowResult"));
        assertTrue(expected.size() > 100);
        assertEquals(expected, replay("--type", "decision,windowResult"));
        assertEquals(select(n -> type(n).equals("fraudAlert")), replay("--type", "fraudAlert"));
        assertEquals(select(n -> type(n).equals("fraudAlert")), replay("--type", "FRAUDALERT"), "any case");
        final List<String> rejects = select(n -> type(n).equals("reject"));
        assertTrue(rejects.size() > 0 && rejects.stream().noneMatch(r -> r.contains("\"seq\":-1")),
                "the engine's own rejects (of journaled order status changes) come back on replay: " + rejects.size());
        assertEquals(rejects, replay("--type", "reject"));
    }

    @Test
    void shouldSelectAUsersDecisionsAndAlerts() throws IOException {
        final String user = JSON.readTree(select(n -> type(n).equals("fraudAlert")).get(0)).get("userId").asText();
        final List<String> expected = select(n -> (type(n).equals("decision") || type(n).equals("fraudAlert"))
                && n.get("userId").asText().equals(user));
        assertTrue(expected.size() >= 2, expected.toString());
        assertEquals(expected, replay("--user", user, "--type", "decision,fraudAlert"));
    }

    @Test
    void shouldSelectAnOrderTogetherWithItsPaymentsDecisions() throws IOException {
        // CSV rows of payment decisions carry the payment's order id (from the payment event)
        final List<String> csv = replay("--format", "csv", "--type", "decision");
        String order = null;
        String payment = null;
        for (final String row : csv.subList(1, csv.size())) {
            final String[] f = row.split(",", -1);
            if (!f[3].isEmpty() && !f[4].isEmpty()) {
                order = f[3];
                payment = f[4];
                break;
            }
        }
        assertTrue(order != null, "some payment names its order");
        final java.util.Set<String> seqsOfOrder = new java.util.HashSet<>();
        for (final String row : csv.subList(1, csv.size())) {
            final String[] f = row.split(",", -1);
            if (f[3].equals(order)) {
                seqsOfOrder.add(f[0]);
            }
        }
        final String p = payment;
        final List<String> expected = select(n -> type(n).equals("decision") && seqsOfOrder.contains(n.get("seq").asText()));
        assertTrue(expected.stream().anyMatch(l -> l.contains("\"paymentId\":\"" + p + "\"")), expected.toString());
        assertTrue(expected.size() >= 2, "the order's decision and its payment's: " + expected);
        assertEquals(expected, replay("--order", order, "--type", "decision"));
        assertEquals(select(n -> type(n).equals("decision") && p.equals(n.path("paymentId").asText(null))),
                replay("--order", payment, "--type", "decision"), "a payment id selects that payment");
    }

    /**
     * A timer's push (an order left unpaid, an abandoned cart) is raised by whichever later event
     * moves event time past its deadline: it is selected, and its CSV row named, by its own order
     * and user, as a live subscriber to that order or user gets it.
     */
    @Test
    void shouldSelectATimersPushByItsOwnOrderAndUserNotTheEventThatFiredIt() throws IOException {
        final List<String> overdue = select(n -> n.path("status").asText().equals("UNPAID_OVERDUE"));
        assertTrue(overdue.size() > 5, "the workload leaves orders unpaid past 1m: " + overdue.size());
        final JsonNode push = JSON.readTree(overdue.get(0));
        final String order = push.get("orderId").asText();
        final String user = push.get("userId").asText();
        final List<String> ofOrder = select(n -> type(n).equals("orderStatusPush") && n.get("orderId").asText().equals(order));
        assertTrue(ofOrder.contains(overdue.get(0)));
        assertEquals(ofOrder, replay("--order", order, "--type", "orderStatusPush"));
        assertEquals(select(n -> (type(n).equals("orderStatusPush") || type(n).equals("trendingPush"))
                        && n.path("userId").asText().equals(user)),
                replay("--user", user, "--type", "orderStatusPush,trendingPush"));
        final String promoted = JSON.readTree(select(n -> n.path("window").asText().equals("cartAbandoned")).get(0))
                .get("userId").asText();
        final List<String> promotions = replay("--user", promoted, "--type", "trendingPush");
        assertTrue(!promotions.isEmpty() && promotions.stream().allMatch(l -> l.contains("\"userId\":\"" + promoted + "\"")),
                promotions.toString());

        final List<String> csv = replay("--format", "csv", "--type", "orderStatusPush");
        final List<String> json = select(n -> type(n).equals("orderStatusPush"));
        assertEquals(json.size() + 1, csv.size());
        for (int i = 0; i < json.size(); i++) {
            final JsonNode n = JSON.readTree(json.get(i));
            final String[] f = csv.get(i + 1).split(",", -1);
            assertEquals(n.get("orderId").asText(), f[3], csv.get(i + 1));
            final String status = n.get("status").asText();
            assertTrue(f[4].isEmpty() || status.equals("PAID") || status.equals("REFUNDED"),
                    "only a push a payment of that order caused names the payment: " + csv.get(i + 1));
            assertEquals(n.get("userId").asText(), f[5], csv.get(i + 1));
        }
    }

    /** With a time filter too: the order was placed before --from, its overdue push fired after it (by another event). */
    @Test
    void shouldFindATimersPushInATimeRangeAfterItsOrderWasPlaced() throws IOException {
        final JsonNode push = JSON.readTree(select(n -> n.path("status").asText().equals("UNPAID_OVERDUE")).get(0));
        final String order = push.get("orderId").asText();
        final String from = push.get("time").asText();
        final List<String> expected = select(n -> type(n).equals("orderStatusPush") && n.get("orderId").asText().equals(order)
                && !Instant.parse(n.get("time").asText()).isBefore(Instant.parse(from)));
        assertTrue(expected.stream().anyMatch(l -> l.contains("UNPAID_OVERDUE")), expected.toString());
        assertEquals(expected, replay("--order", order, "--from", from, "--type", "orderStatusPush"), "from a snapshot");
        assertEquals(expected, replay("--order", order, "--from", from, "--type", "orderStatusPush", "--full"));
    }

    /** A payment's PAID push is about its order and caused by the payment: --order PAYMENT_ID selects it, CSV names the payment. */
    @Test
    void shouldSelectThePushAPaymentCausedByThePaymentId() throws IOException {
        final JsonNode paid = JSON.readTree(select(n -> n.path("status").asText().equals("PAID")).get(0));
        final long seq = paid.get("seq").asLong();
        final String payment = JSON.readTree(select(n -> type(n).equals("decision") && n.get("seq").asLong() == seq
                && n.has("paymentId")).get(0)).get("paymentId").asText();
        final List<String> pushes = replay("--order", payment, "--type", "orderStatusPush");
        assertEquals(select(n -> type(n).equals("orderStatusPush") && n.get("seq").asLong() == seq
                && n.get("orderId").asText().equals(paid.get("orderId").asText())), pushes);
        final List<String> csv = replay("--order", payment, "--type", "orderStatusPush", "--format", "csv");
        final String[] f = csv.get(1).split(",", -1);
        assertEquals(List.of(paid.get("orderId").asText(), payment, paid.get("userId").asText()), List.of(f[3], f[4], f[5]), csv.get(1));
    }

    @Test
    void shouldWriteARejectsCodeAndReasonInTheCsvReasonsColumn() throws IOException {
        final List<String> json = select(n -> type(n).equals("reject"));
        final List<String> csv = replay("--format", "csv", "--type", "reject");
        assertEquals(json.size() + 1, csv.size());
        final JsonNode first = JSON.readTree(json.get(0));
        final String expected = first.get("code").asText() + ": " + first.get("reason").asText();
        final String row = shared(csv.get(1));
        assertTrue(row.endsWith(OutputRow.csv(expected)), row + " ends with " + expected);
    }

    @Test
    void shouldSelectByEventTimeFromInclusiveToExclusive() throws IOException {
        final List<String> decisions = select(n -> type(n).equals("decision"));
        final String from = JSON.readTree(decisions.get(decisions.size() / 4)).get("time").asText();
        final String to = JSON.readTree(decisions.get(decisions.size() / 2)).get("time").asText();
        final Instant f = Instant.parse(from);
        final Instant t = Instant.parse(to);
        final List<String> expected = select(n -> type(n).equals("decision")
                && !Instant.parse(n.get("time").asText()).isBefore(f) && Instant.parse(n.get("time").asText()).isBefore(t));
        assertTrue(expected.size() > 10);
        assertEquals(expected, replay("--from", from, "--to", to, "--type", "decision"));
        final String day = from.substring(0, 10);
        assertEquals(select(n -> type(n).equals("decision") && n.get("time").asText().startsWith(day)),
                replay("--from", day, "--to", java.time.LocalDate.parse(day).plusDays(1).toString(), "--type", "decision"));
    }

    /** Trial: CSV rows of order status pushes said nothing of the status (CREATED, PAID and UNPAID_OVERDUE alike). */
    @Test
    void shouldPutAnOrderStatusInTheReasonsColumnOfItsCsvRow() throws IOException {
        final List<String> json = new ArrayList<>();
        for (final String line : select(n -> type(n).equals("orderStatusPush"))) {
            json.add(JSON.readTree(line).get("status").asText());
        }
        final List<String> csv = new ArrayList<>();
        for (final String row : replay("--format", "csv", "--type", "orderStatusPush")) {
            if (!row.startsWith("seq,")) {
                final String[] cols = shared(row).split(",", -1);
                csv.add(cols[cols.length - 1]);
            }
        }
        assertTrue(json.size() > 100 && json.stream().distinct().count() >= 3, "several statuses: " + json.size());
        assertEquals(json, csv);
    }

    @Test
    void shouldStopAfterTheLastEventInTheTimeRangeWithTheOutputsOfAFullReplay() throws IOException {
        final List<String> decisions = select(n -> type(n).equals("decision"));
        final String from = JSON.readTree(decisions.get(decisions.size() / 4)).get("time").asText();
        final String to = JSON.readTree(decisions.get(decisions.size() / 2)).get("time").asText();
        final List<String> expected = csvRowsInTime(Instant.parse(from), Instant.parse(to));
        assertTrue(expected.stream().anyMatch(r -> r.contains(",orderStatusPush,")) && expected.size() > 1000,
                "every type of output caused in the range, timer pushes included: " + expected.size());
        final Path out = dir.resolve("range.csv");
        final CommandRun run = CommandRun.ringfence("replay", "--data", data.toString(), "--format", "csv",
                "--from", from, "--to", to, "--out", out.toString());
        assertEquals(0, run.exitCode(), run.err());
        assertEquals(expected, Files.readAllLines(out));
        // about half the journal: the events after the range are not replayed (events are read to find the range's last)
        final java.util.regex.Matcher stopped = java.util.regex.Pattern
                .compile("events after seq ([0-9,]+) \\(to 8,000\\) are outside the time range: not replayed").matcher(run.err());
        assertTrue(stopped.find(), run.err());
        final long lastReplayed = Long.parseLong(stopped.group(1).replace(",", ""));
        assertTrue(lastReplayed > 3000 && lastReplayed < 6000, run.err());
        assertTrue(run.err().contains("..%,d) from".formatted(lastReplayed)), "the engine stopped there: " + run.err());
    }

    @Test
    void shouldReplayToTheEndAndCloseTheLastWindowsWhenTheRangeHoldsTheLastEvent() throws IOException {
        final List<String> decisions = select(n -> type(n).equals("decision"));
        final String from = JSON.readTree(decisions.get(decisions.size() * 9 / 10)).get("time").asText();
        final List<String> expected = csvRowsInTime(Instant.parse(from), Instant.MAX);
        assertTrue(expected.stream().anyMatch(r -> r.contains(",windowResult,")), "the end of input's window results");
        final Path out = dir.resolve("tail.csv");
        final CommandRun run = CommandRun.ringfence("replay", "--data", data.toString(), "--format", "csv",
                "--from", from, "--to", "2100-01-01", "--out", out.toString());
        assertEquals(0, run.exitCode(), run.err());
        assertEquals(expected, Files.readAllLines(out));
        assertTrue(!run.err().contains("not replayed") && run.err().contains("..8,000) from"), run.err());

        // a range after the journal's last event (trial: "events after seq 0 (to 8,000) are outside" read as if some were in)
        final CommandRun after = CommandRun.ringfence("replay", "--data", data.toString(), "--from", "2100-01-01",
            "--out", dir.resolve("none.jsonl").toString());
        assertEquals(0, after.exitCode(), after.err());
        assertTrue(after.err().contains("(8,000 events, seq 1..8,000) is in the time range"), after.err());
    }

    /**
     * Besides the columns every type shares, each row says when the engine took the causing event, the order's or
     * payment's amount and currency as the input wrote them, its sender and sequence (a run's: no client, its input
     * line), and the configuration it was decided under (compliance trial: none of these was in the export).
     */
    @Test
    void shouldWriteCsvWithTheSharedColumnsOneRowPerOutput() throws IOException {
        final List<String> csv = replay("--format", "csv", "--type", "decision,fraudAlert");
        final List<String> json = select(n -> type(n).equals("decision") || type(n).equals("fraudAlert"));
        final List<String> input = Files.readAllLines(dir.resolve("workload.jsonl"));
        assertEquals(OutputRow.CSV_HEADER, csv.get(0));
        assertEquals(json.size() + 1, csv.size());
        Instant previous = Instant.MIN;
        for (int i = 0; i < json.size(); i++) {
            final JsonNode n = JSON.readTree(json.get(i));
            final String[] f = csv.get(i + 1).split(",", -1);
            assertEquals(16, f.length, csv.get(i + 1));
            final Instant ingest = Instant.parse(f[9]);
            assertTrue(!ingest.isBefore(previous) && ingest.isAfter(Instant.parse("2026-01-01T00:00:00Z")),
                    "journaled ingest times, in engine order, of the run's wall clock: " + csv.get(i + 1));
            previous = ingest;
            final JsonNode event = JSON.readTree(input.get(Integer.parseInt(f[13]) - 1)); // a run's clientSeq: its input line
            assertEquals(n.has("paymentId") ? n.get("paymentId").asText() : n.get("orderId").asText(),
                    event.has("paymentId") ? event.get("paymentId").asText() : event.get("orderId").asText(), csv.get(i + 1));
            assertEquals(event.get("amount").asText(), f[10], "the amount as the input wrote it: " + csv.get(i + 1));
            assertEquals(event.get("currency").asText(), f[11]);
            assertEquals("", f[12], "a run's input has no client");
            assertEquals(data.resolve("ringfence-config.yaml").toString(), f[14], "decided under the recorded configuration");
            assertEquals(io.ringfence.journal.JournalSeals.sha256Hex(Files.readAllBytes(data.resolve("ringfence-config.yaml"))), f[15]);
            assertEquals(n.get("seq").asText(), f[0]);
            assertEquals(n.get("time").asText(), f[1]);
            assertEquals(type(n), f[2]);
            if (n.has("orderId")) {
                assertEquals(n.get("orderId").asText(), f[3]);
            } else {
                assertEquals(n.get("paymentId").asText(), f[4]);
            }
            assertEquals(n.get("userId").asText(), f[5]);
            assertEquals(n.get("decision").asText(), f[6]);
            assertEquals(n.get("score").asDouble(), Double.parseDouble(f[7]));
            final List<String> reasons = new ArrayList<>();
            n.get("reasons").forEach(r -> reasons.add(r.asText()));
            assertEquals(String.join("|", reasons), f[8]);
        }
    }

    /**
     * Trials: {@code --order ps-1} wrote 2,004 other merchants' window results because ps-1 was the event that closed the
     * hour, and their CSV rows named ps-1 and its user. A window result (or anomaly alert) is of a closed interval: no
     * order or user selects it, and its CSV row names its window and key instead.
     */
    @Test
    void shouldSelectNoWindowResultByTheOrderOrUserOfTheEventThatClosedTheInterval() throws IOException {
        final JsonNode firstResult = JSON.readTree(select(n -> type(n).equals("windowResult")).get(0));
        final long closedBy = firstResult.get("seq").asLong();
        final JsonNode closer = JSON.readTree(select(n -> n.get("seq").asLong() == closedBy && n.has("userId")
                && type(n).equals("decision")).get(0));
        final String order = closer.get("orderId").asText();
        final String user = closer.get("userId").asText();
        for (final List<String> lines : List.of(replay("--order", order), replay("--user", user))) {
            assertTrue(lines.stream().anyMatch(l -> l.contains("\"type\":\"decision\"")), "its decision");
            assertTrue(lines.stream().noneMatch(l -> l.contains("\"type\":\"windowResult\"")), "no window result: " + lines);
        }
        final List<String> csv = replay("--format", "csv", "--type", "windowResult");
        assertEquals(select(n -> type(n).equals("windowResult")).size() + 1, csv.size(), "every window result without id filters");
        final String[] row = csv.get(1).split(",", -1);
        assertEquals(List.of("", "", ""), List.of(row[3], row[4], row[5]), "no order, payment or user: " + csv.get(1));
        assertEquals(firstResult.get("window").asText() + ": " + firstResult.get("key").asText(), row[8], "its window and key");
    }

    /**
     * {@code --ingest-from/--ingest-to} select by when the engine took the causing event (its journaled ingest time), not
     * by the time the client wrote in it (compliance trial: "what did we decide yesterday" could only be asked of the
     * clients' clocks, and a backfill's events carry times months before they were decided).
     */
    @Test
    void shouldSelectByIngestTime() throws IOException {
        final List<String> full = replay("--format", "csv");
        final String middle = full.get(full.size() / 2).split(",", -1)[9];
        final Instant from = Instant.parse(middle);
        final Instant to = from.plusMillis(300);
        final List<String> expected = new ArrayList<>(List.of(full.get(0)));
        for (final String row : full.subList(1, full.size())) {
            final Instant ingest = Instant.parse(row.split(",", -1)[9]);
            if (!ingest.isBefore(from) && ingest.isBefore(to)) {
                expected.add(row);
            }
        }
        assertTrue(expected.size() > 10 && expected.size() < full.size() - 10, "a range within the run: " + expected.size());
        assertEquals(expected, replay("--format", "csv", "--ingest-from", from.toString(), "--ingest-to", to.toString()));
        // with an event-time range too: both hold
        final String eventFrom = expected.get(expected.size() / 2).split(",", -1)[1];
        final List<String> both = new ArrayList<>(List.of(full.get(0)));
        for (final String row : expected.subList(1, expected.size())) {
            final String time = row.split(",", -1)[1];
            if (!time.isEmpty() && !Instant.parse(time).isBefore(Instant.parse(eventFrom))) {
                both.add(row);
            }
        }
        assertTrue(both.size() > 1 && both.size() < expected.size(), "some rows left out by event time: " + both.size());
        assertEquals(both, replay("--format", "csv", "--ingest-from", from.toString(), "--ingest-to", to.toString(),
                "--from", eventFrom));
        // after the run: nothing, and said
        final Path out = dir.resolve("ingested-later.jsonl");
        final CommandRun later = CommandRun.ringfence("replay", "--data", data.toString(), "--ingest-from", "2100-01-01",
                "--out", out.toString());
        assertEquals(0, later.exitCode(), later.err());
        assertTrue(later.err().contains("ingested from 2100-01-01T00:00:00Z") && later.err().contains("0 outputs written"),
                later.err());
    }

    /**
     * A server's journal: each CSV row names the gateway client that sent the causing event, by the id recorded in
     * {@code ringfence-clients.json} (else by its key), and the client's own sequence of it.
     */
    @Test
    void shouldNameTheClientThatSentEachEventInTheCsv() throws Exception {
        final Path served = dir.resolve("served");
        final java.util.Map<Long, String> decided = io.ringfence.tools.ServedShop.serve(served,
                io.ringfence.tools.ServedShop.shop(0, 400), false);
        final Path out = dir.resolve("served.csv");
        final String[] args = {"replay", "--data", served.toString(), "--format", "csv", "--type", "decision", "--out",
                out.toString()};
        CommandRun run = CommandRun.ringfence(args);
        assertEquals(0, run.exitCode(), run.err());
        List<String> rows = Files.readAllLines(out).subList(1, decided.size() + 1);
        final String key = rows.get(0).split(",", -1)[12];
        assertTrue(key.matches("[0-9a-f]{16}"), "no client recorded: its key, " + rows.get(0));
        for (final String row : rows) {
            final String[] f = row.split(",", -1);
            assertEquals(key, f[12], row);
            assertTrue(Long.parseLong(f[13]) > 0 && Long.parseLong(f[13]) <= 400, "the client's sequence: " + row);
        }
        io.ringfence.tools.io.ClientNames.record(served, java.util.Map.of(Long.parseUnsignedLong(key, 16), "shop-eu"));
        run = CommandRun.ringfence(args);
        assertEquals(0, run.exitCode(), run.err());
        rows = Files.readAllLines(out).subList(1, decided.size() + 1);
        assertTrue(rows.stream().allMatch(r -> r.split(",", -1)[12].equals("shop-eu")), "by its recorded id: " + rows.get(0));
    }

    /** Analyst trial: a range outside the journal printed "0 events (seq 19,186..19,185) ... after its snapshot of seq 19,185". */
    @Test
    void shouldAnswerARangeWithoutEventsEmptyWithoutReplaying() throws IOException {
        for (final String[] range : List.of(new String[]{"--from", "2100-01-01"}, new String[]{"--to", "2000-01-01"},
                new String[]{"--from", "2100-01-01", "--full"})) {
            final Path out = Files.createTempFile(dir, "empty", ".csv");
            final List<String> args = new ArrayList<>(List.of("replay", "--data", data.toString(), "--format", "csv", "--out", out.toString()));
            args.addAll(List.of(range));
            final CommandRun run = CommandRun.ringfence(args.toArray(String[]::new));
            assertEquals(0, run.exitCode(), run.err());
            assertEquals(List.of(OutputRow.CSV_HEADER), Files.readAllLines(out), "the header alone");
            assertTrue(run.err().contains("is in the time range") && run.err().contains("nothing to replay, 0 outputs written")
                    && !run.err().contains("snapshot"), run.err());
        }
    }

    @Test
    void shouldRefuseFiltersItCannotUnderstandWithExitTwo() {
        for (final String[] bad : List.of(new String[]{"--type", "decisions"}, new String[]{"--from", "yesterday"},
                new String[]{"--from", "2026-01-02", "--to", "2026-01-01"}, new String[]{"--format", "xml"},
                new String[]{"--ingest-from", "yesterday"}, new String[]{"--ingest-to", "2026-13-01"},
                new String[]{"--ingest-from", "2026-01-02", "--ingest-to", "2026-01-01"})) {
            final List<String> args = new ArrayList<>(List.of("replay", "--data", data.toString()));
            args.addAll(List.of(bad));
            final CommandRun run = CommandRun.ringfence(args.toArray(String[]::new));
            assertEquals(2, run.exitCode(), String.join(" ", bad) + ": " + run.err());
            assertTrue(run.err().contains(bad[0]), run.err());
        }
    }

    @Test
    void shouldSayWhenNoEventIsOfTheUserOrOrderAsked() throws IOException {
        for (final String[] unknown : List.of(new String[]{"--user", "nosuchuser"}, new String[]{"--order", "nosuchorder"},
                new String[]{"--order", "nosuchorder", "--full"})) {
            final List<String> args = new ArrayList<>(List.of("replay", "--data", data.toString()));
            args.addAll(List.of(unknown));
            final CommandRun run = CommandRun.ringfence(args.toArray(String[]::new));
            assertEquals(2, run.exitCode(), String.join(" ", unknown) + ": " + run.err());
            assertTrue(run.err().contains("no event in the journal of " + data) && run.err().contains(unknown[1]), run.err());
        }
        final String day = "2030-01-01"; // after the journal: an empty answer, not a mistake
        assertEquals(List.of(), replay("--from", day));
    }

    /**
     * Analyst audit: --order selected the shop-wide trending list the order's sale changed, and its CSV row named the order
     * and user with empty reasons. A trending list is a category's (never selected by --user / --order; its CSV row names
     * window and category); a cart promotion stays its user's.
     */
    @Test
    void shouldNotSelectACategorysTrendingListByTheOrderWhoseSaleChangedIt() throws IOException {
        final JsonNode list = JSON.readTree(select(n -> n.path("window").asText().equals("trendingSales")).get(0));
        final long seq = list.get("seq").asLong();
        final JsonNode causing = JSON.readTree(select(n -> type(n).equals("decision") && n.get("seq").asLong() == seq
                && n.has("orderId")).get(0));
        final String order = causing.get("orderId").asText();
        final List<String> ofOrder = replay("--order", order, "--type", "trendingPush");
        assertTrue(ofOrder.stream().noneMatch(l -> l.contains("\"window\":\"trendingSales\"")), ofOrder.toString());
        assertTrue(replay("--user", causing.get("userId").asText(), "--type", "trendingPush").stream()
                .noneMatch(l -> l.contains("\"window\":\"trendingSales\"") || l.contains("\"window\":\"trendingViews\"")));
        final List<String> csv = replay("--format", "csv", "--type", "trendingPush");
        final List<String> json = select(n -> type(n).equals("trendingPush"));
        assertEquals(json.size() + 1, csv.size());
        for (int i = 0; i < json.size(); i++) {
            final JsonNode n = JSON.readTree(json.get(i));
            final String row = shared(csv.get(i + 1));
            final String[] f = row.split(",", -1);
            if (n.path("userId").asText().isEmpty()) {
                assertEquals(List.of("", "", ""), List.of(f[3], f[4], f[5]), "a list names no order or user: " + row);
                assertTrue(row.endsWith(n.get("window").asText() + ": " + n.get("category").asText()), row);
            } else {
                assertEquals(n.get("userId").asText(), f[5], row);
                assertTrue(row.endsWith("cartAbandoned"), row);
            }
        }
    }
}
