package io.ringfence.tools.subscribe;

import io.ringfence.engine.config.EngineConfig;
import io.ringfence.gateway.bridge.EngineGateway;
import io.ringfence.gateway.bridge.SbeEventValidator;
import io.ringfence.gateway.config.GatewayConfig;
import io.ringfence.tools.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A subscriber whose process does not run for longer than the client's receive timeout (3 s: a
 * SIGSTOP here; a long GC pause or a descheduled container alike) keeps its healthy session and
 * gets the pushes that waited in its socket. Before, the select that resumed returned nothing
 * (Linux interrupts epoll_wait on SIGCONT), the client declared the server silent, reconnected
 * and lost those pushes (a concurrency trial: 4,190 pushes after a 5 s stop).
 */
@EnabledOnOs(OS.LINUX)
class PausedSubscriberTest {
    private static final String[] EVENTS = {
        "{\"type\":\"order\",\"time\":\"2026-01-06T10:00:01Z\",\"orderId\":\"o-42\",\"userId\":\"u42\",\"amount\":\"20.00\","
            + "\"currency\":\"EUR\",\"country\":\"France\",\"items\":[{\"sku\":\"sku-1\",\"qty\":1,\"unitPrice\":\"20.00\"}]}",
        "{\"type\":\"orderStatus\",\"time\":\"2026-01-06T10:00:03Z\",\"orderId\":\"o-42\",\"userId\":\"u42\",\"status\":\"PAID\"}",
        "{\"type\":\"orderStatus\",\"time\":\"2026-01-06T10:00:04Z\",\"orderId\":\"o-42\",\"userId\":\"u42\",\"status\":\"SHIPPED\"}",
    };

    @TempDir
    Path dir;

    @Test
    void shouldKeepItsSessionAndItsPushesAcrossAPauseLongerThanTheReceiveTimeout() throws Exception {
        final Path data = dir.resolve("srv");
        final EngineConfig config = new EngineConfig();
        config.pipeline.waitStrategy = "blocking";
        final GatewayConfig gateway = new GatewayConfig();
        gateway.admin.enabled = false;
        try (EngineGateway server = EngineGateway.start(config, gateway, data, new SbeEventValidator(config.input.maxEventBytes))) {
            final Path out = dir.resolve("pushes.jsonl");
            final Path err = dir.resolve("subscribe.err");
            final Process subscriber = subscribe(server.port(), data, out, err);
            try {
                final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (server.sink().subscriptionCount() != 1) {
                    assertTrue(subscriber.isAlive(), "the subscriber ended: " + Files.readString(err));
                    assertTrue(System.nanoTime() < deadline, "no subscription within 60 s: " + Files.readString(err));
                    Thread.sleep(20);
                }
                ChildJvm.signal("STOP", subscriber);
                Thread.sleep(1_000);
                SubscribeCommandTest.send(data, server.port(), EVENTS); // its pushes wait in the stopped subscriber's socket
                Thread.sleep(3_500); // past the client's 3 s receive timeout (3 heartbeats), well within the server's 10 s idle timeout
                ChildJvm.signal("CONT", subscriber);
                assertTrue(subscriber.waitFor(30, TimeUnit.SECONDS), "the subscriber stops after its 3 pushes");
                final String summary = Files.readString(err);
                assertEquals(0, subscriber.exitValue(), summary);
                assertEquals(3, Files.readAllLines(out).size(), "every push, none lost: " + Files.readString(out) + summary);
                assertTrue(summary.contains("connection: 0 disconnects, 0 reconnects"), "no reconnect after the pause: " + summary);
            } finally {
                subscriber.destroyForcibly();
            }
        }
    }

    /** {@code ringfence subscribe} in a child JVM, for u42's order pushes, stopping after 3. */
    private static Process subscribe(final int port, final Path data, final Path out, final Path err) throws IOException {
        return new ProcessBuilder(ChildJvm.command("256m", "subscribe", "--port", String.valueOf(port), "--data", data.toString(),
            "--sub", "ORDER_STATUS:user=u42", "--count", "3", "--for", "60s")).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    }
}
