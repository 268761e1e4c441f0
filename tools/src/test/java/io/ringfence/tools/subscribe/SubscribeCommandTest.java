package io.ringfence.tools.subscribe;

import io.ringfence.engine.codec.JsonEventParser;
import io.ringfence.engine.codec.ParseResult;
import io.ringfence.engine.config.EngineConfig;
import io.ringfence.gateway.bridge.EngineGateway;
import io.ringfence.gateway.bridge.SbeEventValidator;
import io.ringfence.gateway.client.ClientListener;
import io.ringfence.gateway.client.GatewayClient;
import io.ringfence.gateway.client.GatewayClientConfig;
import io.ringfence.gateway.config.ClientConfig;
import io.ringfence.gateway.config.GatewayConfig;
import io.ringfence.gateway.session.CredentialsFile;
import io.ringfence.tools.CommandRun;
import io.ringfence.tools.RingfenceMain;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static io.ringfence.tools.CommandRun.ringfence;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code subscribe} against a real server (EngineGateway on a temporary data directory, real
 * sockets): the pushes it prints are the ones its --sub asked for, rendered as {@code run} renders
 * outputs, it runs beside {@code load} on the generated credentials, and bad specs, bad
 * credentials, a refused role, a full server and a missing server end it with clear messages.
 */
class SubscribeCommandTest {
    private static final String[] EVENTS = {
        "{\"type\":\"order\",\"time\":\"2026-01-06T10:00:00Z\",\"orderId\":\"o-7\",\"userId\":\"u7\",\"amount\":\"30.00\","
            + "\"currency\":\"EUR\",\"country\":\"France\",\"items\":[{\"sku\":\"sku-2\",\"qty\":1,\"unitPrice\":\"30.00\"}]}",
        "{\"type\":\"order\",\"time\":\"2026-01-06T10:00:01Z\",\"orderId\":\"o-42\",\"userId\":\"u42\",\"amount\":\"20.00\","
            + "\"currency\":\"EUR\",\"country\":\"France\",\"items\":[{\"sku\":\"sku-1\",\"qty\":1,\"unitPrice\":\"20.00\"}]}",
        "{\"type\":\"orderStatus\",\"time\":\"2026-01-06T10:00:02Z\",\"orderId\":\"o-7\",\"userId\":\"u7\",\"status\":\"PAID\"}",
        "{\"type\":\"orderStatus\",\"time\":\"2026-01-06T10:00:03Z\",\"orderId\":\"o-42\",\"userId\":\"u42\",\"status\":\"PAID\"}",
        "{\"type\":\"orderStatus\",\"time\":\"2026-01-06T10:00:04Z\",\"orderId\":\"o-42\",\"userId\":\"u42\",\"status\":\"SHIPPED\"}",
    };
    /** The pushes of u42's order, as the engine sequences EVENTS on a fresh journal (1 to 5). */
    private static final List<String> U42_PUSHES = List.of(
        "{\"type\":\"orderStatusPush\",\"seq\":2,\"time\":\"2026-01-06T10:00:01Z\",\"orderId\":\"o-42\",\"userId\":\"u42\",\"status\":\"CREATED\"}",
        "{\"type\":\"orderStatusPush\",\"seq\":4,\"time\":\"2026-01-06T10:00:03Z\",\"orderId\":\"o-42\",\"userId\":\"u42\",\"status\":\"PAID\"}",
        "{\"type\":\"orderStatusPush\",\"seq\":5,\"time\":\"2026-01-06T10:00:04Z\",\"orderId\":\"o-42\",\"userId\":\"u42\",\"status\":\"SHIPPED\"}");

    @TempDir
    Path dir;

    @Test
    void shouldPrintOnlyTheSubscribedUsersPushesAsJsonLinesOnStdout() throws Exception {
        final Path data = dir.resolve("srv");
        try (EngineGateway server = start(data, new GatewayConfig())) {
            final CompletableFuture<CommandRun> watching = CompletableFuture.supplyAsync(() -> ringfence("subscribe",
                "--port", String.valueOf(server.port()), "--data", data.toString(),
                "--sub", "ORDER_STATUS:user=u42", "--sub", "order_status:USER=u42", "--count", "3", "--for", "60s"));
            await("the subscription reaches the server", () -> server.sink().subscriptionCount() == 1, watching);

            send(data, server.port(), EVENTS);
            final CommandRun run = watching.get(60, TimeUnit.SECONDS);
            assertEquals(0, run.exitCode(), run.err());
            assertEquals(U42_PUSHES, run.out().lines().toList(), "stdout is exactly u42's pushes, one JSON line each");
            assertTrue(run.err().contains("as 'local-watch': ORDER_STATUS:user=u42; stops after 3 pushes"), run.err());
            assertTrue(run.err().contains("3 pushes (orderStatusPush 3) in "), run.err());
            assertTrue(run.err().contains("stopped: --count 3 reached"), run.err());
            assertTrue(run.err().contains("connection: 0 disconnects, 0 reconnects"), run.err());
        }
    }

    @Test
    void shouldRunBesideLoadOnTheGeneratedCredentials() throws Exception {
        final Path data = dir.resolve("srv");
        final Path events = dir.resolve("events.jsonl");
        Files.write(events, List.of(EVENTS));
        final Path pushes = dir.resolve("pushes.jsonl");
        try (EngineGateway server = start(data, new GatewayConfig())) {
            final CompletableFuture<CommandRun> watching = CompletableFuture.supplyAsync(() -> ringfence("subscribe",
                "--port", String.valueOf(server.port()), "--data", data.toString(), "--sub", "ORDER_STATUS:user=u42",
                "--sub", "ORDER_STATUS:order=o-42", "--out", pushes.toString(), "--count", "3", "--for", "60s"));
            await("the subscriptions reach the server", () -> server.sink().subscriptionCount() == 2, watching);
            // CommandRun is taken by the subscriber (it captures System.out/err), so load runs directly; its
            // report lands in the subscriber's captured stdout, which --out keeps free of pushes
            assertEquals(0, RingfenceMain.execute("load", "--port", String.valueOf(server.port()), "--data", data.toString(),
                "--input", events.toString()), "load logs on as 'local' while 'local-watch' is logged on");
            final CommandRun run = watching.get(60, TimeUnit.SECONDS);
            assertEquals(0, run.exitCode(), run.err());
            assertTrue(run.out().contains("as 'local'"), "load's report: " + run.out());
            assertTrue(run.err().contains("stopped: --count 3 reached"), run.err());
            assertTrue(run.err().contains("pushes written to " + pushes), run.err());
            assertTrue(run.err().contains("3 pushes (orderStatusPush 3) in "),
                "u42's order matches both ORDER_STATUS subscriptions; the server sends each push to the session once: " + run.err());
            assertEquals(U42_PUSHES, Files.readAllLines(pushes), "u42's pushes, each once; not u7's");
        }
    }

    @Test
    void shouldWriteEachPushToTheFileAsItArrives() throws Exception {
        final Path data = dir.resolve("srv");
        final Path pushes = dir.resolve("pushes.jsonl");
        try (EngineGateway server = start(data, new GatewayConfig())) {
            final CompletableFuture<CommandRun> watching = CompletableFuture.supplyAsync(() -> ringfence("subscribe",
                "--port", String.valueOf(server.port()), "--data", data.toString(), "--sub", "ORDER_STATUS:user=u42",
                "--out", pushes.toString(), "--count", "4", "--for", "60s"));
            await("subscribed", () -> server.sink().subscriptionCount() == 1, watching);
            send(data, server.port(), EVENTS);
            // still running (--count 4 not reached): each push is in the file already, for tail -f, and a kill loses none
            await("the running subscriber's file holds every push so far", () -> lines(pushes).equals(U42_PUSHES), watching);
            send(data, server.port(), "{\"type\":\"orderStatus\",\"time\":\"2026-01-06T10:00:05Z\",\"orderId\":\"o-42\","
                + "\"userId\":\"u42\",\"status\":\"DELIVERED\"}");
            final CommandRun run = watching.get(60, TimeUnit.SECONDS);
            assertEquals(0, run.exitCode(), run.err());
            assertEquals(4, lines(pushes).size(), run.err());
        }
    }

    private static List<String> lines(final Path file) {
        try {
            return Files.exists(file) ? Files.readAllLines(file) : List.of();
        } catch (final java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void shouldSubscribeAgainAfterTheServerRestarts() throws Exception {
        final Path data = dir.resolve("srv");
        final GatewayConfig gateway = new GatewayConfig();
        final CompletableFuture<CommandRun> watching;
        final CommandRun run;
        EngineGateway server = start(data, gateway);
        try {
            final int port = server.port();
            final EngineGateway first = server;
            watching = CompletableFuture.supplyAsync(() -> ringfence("subscribe", "--port", String.valueOf(port),
                "--data", data.toString(), "--sub", "ORDER_STATUS:user=u42", "--count", "2", "--for", "60s"));
            await("subscribed", () -> first.sink().subscriptionCount() == 1, watching);
            send(data, port, EVENTS[1]);
            // the sender's answer comes before the push is queued for the subscriber: close once it is queued
            // (a clean close writes what is queued; a push not yet queued would be lost, as pushes are not journaled)
            await("the push queued for the subscriber", () -> first.sink().pushesSent() == 1, watching);
            server.close();
            gateway.port = port;
            server = start(data, gateway);
            final EngineGateway second = server;
            await("subscribed again on the restarted server", () -> second.sink().subscriptionCount() == 1, watching);
            send(data, port, EVENTS[0], EVENTS[3]);
            run = watching.get(60, TimeUnit.SECONDS); // before the server closes: that would be a second disconnect
        } finally {
            server.close();
        }
        assertEquals(0, run.exitCode(), run.err());
        assertEquals(List.of(U42_PUSHES.get(0).replace("\"seq\":2", "\"seq\":1"), U42_PUSHES.get(1).replace("\"seq\":4", "\"seq\":3")),
            run.out().lines().toList(), "the push before the restart (seq 1), then the one after it (seq 3; u7's order is seq 2)");
        assertTrue(run.err().contains("logged on again; subscriptions sent again"), run.err());
        assertTrue(run.err().contains("connection: 1 disconnects, 1 reconnects"), run.err());
    }

    @Test
    void shouldCatchUpOnThePushesMadeWhileItWasAway() throws Exception {
        final Path data = dir.resolve("srv");
        final GatewayConfig gateway = new GatewayConfig();
        final CompletableFuture<CommandRun> watching;
        final CommandRun run;
        EngineGateway server = start(data, gateway);
        try {
            final int port = server.port();
            final EngineGateway first = server;
            watching = CompletableFuture.supplyAsync(() -> ringfence("subscribe", "--port", String.valueOf(port),
                "--data", data.toString(), "--sub", "ORDER_STATUS:user=u42", "--count", "4", "--for", "60s"));
            await("subscribed", () -> first.sink().subscriptionCount() == 1, watching);
            send(data, port, EVENTS[1]);
            await("the push queued for the subscriber", () -> first.sink().pushesSent() == 1, watching);
            server.close();
            gateway.port = port;
            server = start(data, gateway);
            // at once, before the subscriber is back (it reconnects after a back-off): its pushes are made while it is away
            send(data, port, EVENTS[0], EVENTS[3], EVENTS[4]);
            final EngineGateway second = server;
            await("subscribed again", () -> second.sink().subscriptionCount() == 1, watching);
            // a fourth push once it is back: after its catch-up, whose CatchUp the summary reports
            send(data, port, "{\"type\":\"orderStatus\",\"time\":\"2026-01-06T10:00:05Z\",\"orderId\":\"o-42\",\"userId\":\"u42\","
                + "\"status\":\"DELIVERED\"}");
            run = watching.get(60, TimeUnit.SECONDS);
        } finally {
            server.close();
        }
        assertEquals(0, run.exitCode(), run.err());
        assertEquals(List.of(U42_PUSHES.get(0).replace("\"seq\":2", "\"seq\":1"), U42_PUSHES.get(1).replace("\"seq\":4", "\"seq\":3"),
                U42_PUSHES.get(2).replace("\"seq\":5", "\"seq\":4"), "{\"type\":\"orderStatusPush\",\"seq\":5,\"time\":\"2026-01-06T10:00:05Z\","
                + "\"orderId\":\"o-42\",\"userId\":\"u42\",\"status\":\"DELIVERED\"}"),
            run.out().lines().toList(), "every push once, in order: the one before the restart, the two made while it was away, the"
                + " one after it came back");
        // how many came in the catch-up and how many live depends on when the subscriber's back-off let it return
        // (usually after the three events: the server's start outlasts its first attempts); exactly once either way
        final java.util.regex.Matcher caughtUp = java.util.regex.Pattern.compile("caught up on (\\d) push").matcher(run.err());
        assertTrue(caughtUp.find(), run.err());
        final int n = Integer.parseInt(caughtUp.group(1));
        assertTrue(n <= 2, run.err());
        assertTrue(run.err().contains("connection: 1 disconnects, 1 reconnects, " + n + " pushes caught up"), run.err());
        assertFalse(run.err().contains("WARNING"), run.err());
    }

    /**
     * Trial 2026-12-04: {@code --resume --count N} stopped after N caught-up pushes, before the CatchUp that says
     * pushes were lost, so the gap was never reported (and the next --resume started past it). It waits for it. End to
     * end here (where the CatchUp usually wins the race anyway); {@link PushPrinterCountTest} forces the order.
     */
    @Test
    void shouldReportAGapBeforeStoppingAtItsCountDuringACatchUp() throws Exception {
        final Path data = dir.resolve("srv");
        final Path pushes = dir.resolve("u42.jsonl");
        final GatewayConfig gateway = new GatewayConfig();
        gateway.pushHistoryBytes = 64 << 10;
        try (EngineGateway server = start(data, gateway)) {
            final int port = server.port();
            final CompletableFuture<CommandRun> first = CompletableFuture.supplyAsync(() -> ringfence("subscribe", "--port",
                String.valueOf(port), "--data", data.toString(), "--sub", "ORDER_STATUS:user=u42", "--out", pushes.toString(),
                "--count", "1", "--for", "60s"));
            await("subscribed", () -> server.sink().subscriptionCount() == 1, first);
            send(data, port, EVENTS[1]);
            assertEquals(0, first.get(60, TimeUnit.SECONDS).exitCode());
            // while it is away: more pushes than 64 KiB holds, then u42's order is paid
            final String[] others = new String[1_500];
            for (int i = 0; i < others.length; i++) {
                others[i] = "{\"type\":\"order\",\"time\":\"2026-01-06T10:00:01Z\",\"orderId\":\"x-" + i + "\",\"userId\":\"v" + i
                    + "\",\"amount\":\"5.00\",\"currency\":\"EUR\",\"items\":[{\"sku\":\"sku-9\",\"qty\":1,\"unitPrice\":\"5.00\"}]}";
            }
            send(data, port, others);
            send(data, port, EVENTS[3]);

            // every order status now: hundreds of pushes caught up, the CatchUp after them
            final CommandRun second = ringfence("subscribe", "--port", String.valueOf(port), "--data", data.toString(),
                "--sub", "ORDER_STATUS", "--out", pushes.toString(), "--resume", "--count", "1", "--for", "30s");
            assertEquals(0, second.exitCode(), second.err());
            assertTrue(second.err().contains("WARNING: pushes from engine sequence 1 "), "the gap is reported: " + second.err());
            assertTrue(second.err().contains("1 resume with pushes lost"), second.err());
            assertTrue(second.err().contains("stopped: --count 1 reached"), second.err());
            assertEquals(2, lines(pushes).size(), "its CREATED, then the oldest push held: " + lines(pushes));
        }
    }

    /** Trial 2026-12-04: credentials a default server generated, refused by one started since with configured clients. */
    @Test
    void shouldSayWhereRefusedCredentialsCameFrom() throws Exception {
        final Path data = dir.resolve("srv");
        try (EngineGateway server = start(data, new GatewayConfig())) {
            assertTrue(server.port() > 0); // wrote the generated credentials
        }
        final GatewayConfig configured = new GatewayConfig();
        configured.clients = List.of(new io.ringfence.gateway.config.ClientConfig("monitor", "0123456789abcdef0123456789abcdef",
            List.of("SUBSCRIBE")));
        try (EngineGateway server = start(data, configured)) {
            final CommandRun run = ringfence("subscribe", "--port", String.valueOf(server.port()), "--data", data.toString(),
                "--for", "1s");
            assertEquals(1, run.exitCode(), run.err());
            assertTrue(run.err().contains("BAD_CREDENTIALS") && run.err().contains("which a server writes when it runs without"
                + " configured gateway.clients"), run.err());
        }
    }

    @Test
    void shouldResumeFromItsOutputFileAfterTheWatcherItselfWasStopped() throws Exception {
        final Path data = dir.resolve("srv");
        final Path pushes = dir.resolve("u42.jsonl");
        final EngineGateway server = start(data, new GatewayConfig());
        try {
            final int port = server.port();
            final CompletableFuture<CommandRun> first = CompletableFuture.supplyAsync(() -> ringfence("subscribe", "--port",
                String.valueOf(port), "--data", data.toString(), "--sub", "ORDER_STATUS:user=u42", "--out", pushes.toString(),
                "--count", "1", "--for", "60s"));
            await("subscribed", () -> server.sink().subscriptionCount() == 1, first);
            send(data, port, EVENTS[1]);
            assertEquals(0, first.get(60, TimeUnit.SECONDS).exitCode());
            // no watcher while these happen; then one killed while writing (a cut line at the end)
            send(data, port, EVENTS[0], EVENTS[3], EVENTS[4]);
            Files.writeString(pushes, "{\"type\":\"orderStatusPush\",\"seq\":3,\"ti", java.nio.file.StandardOpenOption.APPEND);

            final CommandRun second = ringfence("subscribe", "--port", String.valueOf(port), "--data", data.toString(),
                "--sub", "ORDER_STATUS:user=u42", "--out", pushes.toString(), "--resume", "--for", "3s");
            assertEquals(0, second.exitCode(), second.err());
            assertTrue(second.err().contains("--resume: " + pushes + " ends at engine sequence 1 (1 push of it), its cut last line of"
                + " 37 bytes removed; asking for what came after"), second.err());
            assertTrue(second.err().contains("caught up on 2 pushes made while away"), second.err());
            assertTrue(second.err().indexOf(" as '") < second.err().indexOf("caught up on"), "the banner comes first: " + second.err());
            assertEquals(List.of(U42_PUSHES.get(0).replace("\"seq\":2", "\"seq\":1"), U42_PUSHES.get(1).replace("\"seq\":4", "\"seq\":3"),
                U42_PUSHES.get(2).replace("\"seq\":5", "\"seq\":4")), lines(pushes), "the file: every push once, in order");

            final CommandRun nothingNew = ringfence("subscribe", "--port", String.valueOf(port), "--data", data.toString(),
                "--sub", "ORDER_STATUS:user=u42", "--out", pushes.toString(), "--resume", "--for", "2s");
            assertEquals(0, nothingNew.exitCode(), nothingNew.err());
            assertTrue(nothingNew.err().contains("ends at engine sequence 4 (1 push of it); asking"), nothingNew.err());
            assertTrue(nothingNew.err().contains("caught up on 0 pushes made while away"), nothingNew.err());
            assertTrue(nothingNew.err().contains("0 pushes caught up"), nothingNew.err());
            assertEquals(3, lines(pushes).size(), "nothing repeated");

            // resumed with a wider --sub than the file was written with: the new subscription's push of the sequence the
            // file ends at comes, the one the file holds does not come again (a count would have skipped the wrong one)
            final Path both = dir.resolve("both.jsonl");
            Files.writeString(both, lines(pushes).get(2) + "\n"); // u42's SHIPPED, seq 4
            send(data, port, "{\"type\":\"orderStatus\",\"time\":\"2026-01-06T10:00:05Z\",\"orderId\":\"o-7\",\"userId\":\"u7\","
                + "\"status\":\"PAID\"}");
            final CommandRun wider = ringfence("subscribe", "--port", String.valueOf(port), "--data", data.toString(),
                "--sub", "ORDER_STATUS:user=u42", "--sub", "ORDER_STATUS:user=u7", "--out", both.toString(), "--resume",
                "--count", "1", "--for", "30s");
            assertEquals(0, wider.exitCode(), wider.err());
            assertEquals(2, lines(both).size(), wider.err());
            assertTrue(lines(both).get(1).contains("\"seq\":5") && lines(both).get(1).contains("\"userId\":\"u7\""), lines(both).get(1));
        } finally {
            server.close();
        }
        final CommandRun toStdout = ringfence("subscribe", "--port", "7001", "--data", dir.toString(), "--resume");
        assertEquals(2, toStdout.exitCode());
        assertTrue(toStdout.err().contains("--resume needs --out FILE"), toStdout.err());
        final Path notPushes = dir.resolve("other.jsonl");
        Files.writeString(notPushes, "hello\n");
        final CommandRun notOurs = ringfence("subscribe", "--port", "7001", "--data", dir.toString(), "--out", notPushes.toString(),
            "--resume");
        assertEquals(2, notOurs.exitCode());
        assertTrue(notOurs.err().contains("--resume: " + notPushes + ": the line at byte 0 is not a push as subscribe writes them"),
            notOurs.err());
        assertEquals("hello\n", Files.readString(notPushes), "left as it was");
        final Path answers = dir.resolve("answers.jsonl");
        Files.writeString(answers, "{\"type\":\"decision\",\"seq\":2200,\"time\":\"2026-01-06T10:00:00Z\"}\n");
        final CommandRun decision = ringfence("subscribe", "--port", "7001", "--data", dir.toString(), "--out", answers.toString(),
            "--resume");
        assertEquals(2, decision.exitCode(), "a decision's seq is no position among pushes: " + decision.err());
        assertTrue(decision.err().contains("--resume: " + answers + ": the line at byte 0 is not a push as subscribe writes them"),
            "refused for what the file holds, not for the missing credentials: " + decision.err());
        final Path oneCutLine = dir.resolve("cut.jsonl");
        Files.writeString(oneCutLine, "id,name\n1,alice\n2,bob"); // a CSV without its last newline: refused before any cut
        final CommandRun csv = ringfence("subscribe", "--port", "7001", "--data", dir.toString(), "--out", oneCutLine.toString(),
            "--resume");
        assertEquals(2, csv.exitCode());
        assertTrue(csv.err().contains("--resume: " + oneCutLine + ": the line at byte 8 is not a push as subscribe writes them"),
            csv.err());
        assertEquals("id,name\n1,alice\n2,bob", Files.readString(oneCutLine), "left as it was");
        // trial: a first push cut before its sequence was refused as if the file were not a subscriber's
        final Path firstCut = dir.resolve("first-cut.jsonl");
        Files.writeString(firstCut, "{\"type\":\"fraudAlert\",\"se");
        final CommandRun unknown = ringfence("subscribe", "--port", "7001", "--data", dir.toString(), "--out", firstCut.toString(),
            "--resume");
        assertEquals(2, unknown.exitCode());
        assertTrue(unknown.err().contains("holds only a first push cut before its engine sequence"), unknown.err());
        assertEquals("{\"type\":\"fraudAlert\",\"se", Files.readString(firstCut), "left as it was");
    }

    @Test
    void shouldRefuseBadSpecsNamingTheSpecAndWhatIsAllowed() {
        assertUsage("NOPE", "--sub NOPE: unknown topic 'NOPE'; topics: ORDER_STATUS, STOCK, FRAUD_ALERT, WINDOW_RESULT, ANOMALY, TRENDING");
        assertUsage("STOCK:color=red", "--sub STOCK:color=red: unknown filter kind 'color'; kinds: user, order, sku, window");
        assertUsage("STOCK:user=x", "--sub STOCK:user=x: STOCK cannot be filtered by user; it takes sku=ID (or no filter: every STOCK push)");
        assertUsage("WINDOW_RESULT:order=o1", "--sub WINDOW_RESULT:order=o1: WINDOW_RESULT cannot be filtered by order; it takes window=NAME");
        assertUsage("FRAUD_ALERT:user=", "--sub FRAUD_ALERT:user=: the user to match is missing (user=VALUE)");
        assertUsage("ORDER_STATUS:user", "--sub ORDER_STATUS:user: give KIND=VALUE after the colon; ORDER_STATUS takes user=ID or order=ID");
        assertUsage(":user=u1", "--sub :user=u1: the topic is missing");
        assertUsage("ORDER_STATUS:user=" + "u".repeat(37), "a user id is 1 to 36 UTF-8 bytes without NUL; this one has 37");

        final SubscriptionSpec spec = SubscriptionSpec.parse("trending:Window=cartAbandoned");
        assertEquals(new SubscriptionSpec(io.ringfence.sbe.Topic.TRENDING, io.ringfence.sbe.FilterKind.WINDOW, "cartAbandoned"), spec);
        assertEquals("TRENDING:window=cartAbandoned", spec.toString());
        assertEquals(6, SubscriptionSpec.everyTopic().size(), "no --sub: every topic");

        final CommandRun count = ringfence("subscribe", "--port", "7001", "--data", dir.toString(), "--count", "0");
        assertEquals(2, count.exitCode());
        assertTrue(count.err().contains("--count must be positive, not 0"), count.err());
        final CommandRun tooShort = ringfence("subscribe", "--port", "7001", "--data", dir.toString(), "--for", "0s");
        assertEquals(2, tooShort.exitCode());
        assertTrue(tooShort.err().contains("--for must be at least 1ms, not 0s"), tooShort.err());
        final CommandRun notADuration = ringfence("subscribe", "--port", "7001", "--data", dir.toString(), "--for", "soon");
        assertEquals(2, notADuration.exitCode());
        assertTrue(notADuration.err().contains("--for: 'soon' is not a duration"), notADuration.err());
        final CommandRun noCredentials = ringfence("subscribe", "--port", "7001", "--data", dir.toString(), "--wait-for-server", "0s");
        assertEquals(2, noCredentials.exitCode());
        assertTrue(noCredentials.err().contains("no gateway-credentials.properties in " + dir), noCredentials.err());
    }

    @Test
    void shouldSayWhenTheCredentialsFileIsOlderThanTheWatchClient() throws IOException {
        Files.writeString(CredentialsFile.path(dir), "id=local\nsecret=0123456789abcdef0123456789abcdef\nroles=SUBMIT,SUBSCRIBE,ADMIN\n");
        final CommandRun run = ringfence("subscribe", "--port", "7001", "--data", dir.toString(), "--wait-for-server", "1s");
        assertEquals(2, run.exitCode(), run.err());
        assertTrue(run.err().contains("no subscribe-only client in gateway-credentials.properties in " + dir + " yet; waiting up to 1s"),
            "a starting server adds it within moments, so it waits first: " + run.err());
        assertTrue(run.err().contains("has no subscribe-only client") && run.err().contains("ringfence server --data " + dir),
            run.err());
    }

    @Test
    void shouldReportTheServersReasonForAWrongSecretARefusedRoleAndAFullSession() throws Exception {
        final GatewayConfig config = new GatewayConfig();
        config.clients = List.of(new ClientConfig("shop", "correct-horse-battery-staple", List.of("SUBMIT")),
            new ClientConfig("watch", "watch-secret-of-the-subscribe-test", List.of("SUBSCRIBE")));
        try (EngineGateway server = start(dir.resolve("srv"), config)) {
            final String port = String.valueOf(server.port());
            final CommandRun wrong = ringfence("subscribe", "--port", port, "--client", "watch", "--secret", "not-the-secret-at-all");
            assertEquals(1, wrong.exitCode(), wrong.err());
            assertTrue(wrong.err().contains("logon of client 'watch' rejected: BAD_CREDENTIALS (unknown client or wrong secret)"),
                wrong.err());

            final CommandRun submitOnly = ringfence("subscribe", "--port", port, "--client", "shop",
                "--secret", "correct-horse-battery-staple", "--sub", "FRAUD_ALERT", "--for", "30s");
            assertEquals(1, submitOnly.exitCode(), submitOnly.err());
            assertTrue(submitOnly.err().contains("ringfence subscribe: the server refused: NOT_AUTHORIZED: the client's roles do not allow"),
                submitOnly.err());

            final List<String> args = new ArrayList<>(List.of("subscribe", "--port", port, "--client", "watch",
                "--secret", "watch-secret-of-the-subscribe-test", "--for", "30s"));
            final int perSession = EngineGateway.MAX_SUBSCRIPTIONS / 16; // one session's share
            for (int i = 0; i <= perSession; i++) {
                args.add("--sub");
                args.add("FRAUD_ALERT:user=u" + i); // any ids: only window names are checked against the server's
            }
            final CommandRun full = ringfence(args.toArray(String[]::new));
            assertEquals(1, full.exitCode(), full.err().substring(Math.max(0, full.err().length() - 500)));
            assertEquals(1, full.err().split("this session holds its maximum", -1).length - 1, "the refusal is said once: "
                + full.err().substring(Math.max(0, full.err().length() - 500)));
            assertTrue(full.err().contains("ringfence subscribe: the server refused a subscription: BAD_VALUE: subscription "
                + (perSession + 1) + ": this session holds its maximum of " + perSession + " subscriptions (of the server's "
                + EngineGateway.MAX_SUBSCRIPTIONS + ")"), full.err().substring(Math.max(0, full.err().length() - 500)));
        }
    }

    /** Gateway trial: a first logon refused while the watch client's other session lives ended subscribe; now it waits. */
    @Test
    void shouldLogOnOnceTheWatchClientsOtherSessionHasEnded() throws Exception {
        final Path data = dir.resolve("srv");
        try (EngineGateway server = start(data, new GatewayConfig())) {
            final ClientConfig watch = CredentialsFile.readWatch(data);
            final io.ringfence.gateway.client.GatewayClient other = io.ringfence.gateway.client.GatewayClient.open(
                new io.ringfence.gateway.client.GatewayClientConfig(), new io.ringfence.gateway.client.ClientListener() { },
                "127.0.0.1", server.port(), watch.id, watch.secret);
            final CompletableFuture<CommandRun> watching = CompletableFuture.supplyAsync(() -> ringfence("subscribe",
                "--port", String.valueOf(server.port()), "--data", data.toString(), "--sub", "ORDER_STATUS:user=u42", "--count", "3",
                "--for", "60s"));
            // once subscribe has been refused for it (review: a fixed head start could let it log on first on a busy machine)
            await("subscribe is refused while the other session lives",
                () -> server.counters().get(io.ringfence.gateway.GatewayCounter.LOGONS_DUPLICATE) > 0, watching);
            assertFalse(watching.isDone(), "waits while the other session lives");
            other.close();
            await("the subscription reaches the server", () -> server.sink().subscriptionCount() == 1, watching);
            send(data, server.port(), EVENTS);
            final CommandRun run = watching.get(60, TimeUnit.SECONDS);
            assertEquals(0, run.exitCode(), run.err());
            assertEquals(U42_PUSHES, run.out().lines().toList());
            assertTrue(run.err().contains("rejected: NOT_AUTHORIZED (this client already has a live session)")
                && run.err().contains("trying again for up to 30s (--wait-for-server)"), run.err());
        }
    }

    @Test
    void shouldAskWhetherTheServerRunsWhenNothingListens() throws IOException {
        final int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        final Path earlier = dir.resolve("pushes.jsonl");
        Files.writeString(earlier, "an earlier run's pushes\n");
        final CommandRun run = ringfence("subscribe", "--port", String.valueOf(port), "--client", "watch", "--secret", "0123456789abcdef",
            "--wait-for-server", "1s", "--out", earlier.toString());
        assertEquals(1, run.exitCode(), run.err());
        assertEquals("an earlier run's pushes\n", Files.readString(earlier), "a subscribe that never logged on leaves --out as it was");
        assertTrue(run.err().contains("nothing listens on 127.0.0.1:" + port + " yet; waiting up to 1s"), run.err());
        assertTrue(run.err().contains("nothing listened on 127.0.0.1:" + port + " within 1s (--wait-for-server;"), run.err());
        assertTrue(run.err().contains("cannot connect to 127.0.0.1:" + port) && run.err().contains("(is `ringfence server` running on that port?)"),
            run.err());
    }

    @Test
    void shouldWaitForAServerThatIsStillStarting() throws Exception {
        final Path data = dir.resolve("srv"); // not made yet: the server starting takes a moment before it writes anything
        final int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        final CompletableFuture<CommandRun> watching = CompletableFuture.supplyAsync(() -> ringfence("subscribe",
            "--port", String.valueOf(port), "--data", data.toString(), "--sub", "ORDER_STATUS:user=u42", "--count", "3",
            "--for", "60s", "--wait-for-server", "30s"));
        Thread.sleep(1_000); // the subscriber waits for the credentials, then for the port
        assertFalse(watching.isDone(), "still waiting for the server");
        final GatewayConfig gateway = new GatewayConfig();
        gateway.port = port;
        try (EngineGateway server = start(data, gateway)) {
            await("the subscription reaches the server", () -> server.sink().subscriptionCount() == 1, watching);
            send(data, server.port(), EVENTS);
            final CommandRun run = watching.get(60, TimeUnit.SECONDS);
            assertEquals(0, run.exitCode(), run.err());
            assertEquals(U42_PUSHES, run.out().lines().toList());
            assertTrue(run.err().contains("waiting up to 30s for the server to write it (--wait-for-server)"), run.err());
        }
    }

    /** Sends JSON events as the data directory's local client and waits for every answer. */
    static void send(final Path data, final int port, final String... events) throws Exception {
        io.ringfence.tools.ShopClient.send(data, port, events);
    }

    private static void assertUsage(final String sub, final String expected) {
        final CommandRun run = ringfence("subscribe", "--port", "7001", "--client", "c", "--secret", "0123456789abcdef", "--sub", sub);
        assertEquals(2, run.exitCode(), run.err());
        assertTrue(run.err().contains(expected), "expected '" + expected + "' in:\n" + run.err());
    }

    private static EngineGateway start(final Path data, final GatewayConfig gateway) {
        final EngineConfig config = new EngineConfig();
        config.pipeline.waitStrategy = "blocking";
        gateway.admin.enabled = false;
        return EngineGateway.start(config, gateway, data, new SbeEventValidator(config.input.maxEventBytes));
    }

    /** Waits (bounded, sleeping) for a condition, failing early when the command already ended. */
    private static void await(final String what, final BooleanSupplier condition, final CompletableFuture<CommandRun> command)
        throws InterruptedException {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (command.isDone()) {
                throw new AssertionError(what + ": the command ended first: " + command.join());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + ": not within 30 s");
            }
            Thread.sleep(20);
        }
    }
}
