package io.ringfence.tools;

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
import io.ringfence.sbe.DecisionDecoder;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** A server on a data directory (in process, defaults, blocking wait) that takes a shop's events and stops (tests). */
public final class ServedShop {
    private ServedShop() {
    }

    /** Lines {@code from..to} (exclusive) of examples/shop.jsonl. */
    public static List<String> shop(final int from, final int to) throws Exception {
        return Files.readAllLines(Path.of("..", "examples", "shop.jsonl")).subList(from, to);
    }

    /**
     * Sends {@code lines} to a server on {@code data} as its local client, then stops the server; returns the outcome of
     * each decision the client got, by engine sequence.
     */
    public static Map<Long, String> serve(final Path data, final List<String> lines, final boolean keepAnswers) throws Exception {
        return serve(data, lines, keepAnswers, c -> { });
    }

    /** The same, the configuration changed by {@code tweak} first. */
    public static Map<Long, String> serve(final Path data, final List<String> lines, final boolean keepAnswers,
                                          final java.util.function.Consumer<EngineConfig> tweak) throws Exception {
        final EngineConfig config = io.ringfence.engine.config.EngineConfigLoader.defaults();
        config.pipeline.waitStrategy = "blocking";
        config.journal.keepAnswers = keepAnswers;
        tweak.accept(config);
        final GatewayConfig gateway = new GatewayConfig();
        gateway.admin.enabled = false;
        final Map<Long, String> decided = new ConcurrentHashMap<>();
        final ClientListener listener = new ClientListener() {
            @Override
            public void onDecision(final DecisionDecoder decision) {
                decided.put(decision.seq(), decision.outcome().name());
            }
        };
        try (EngineGateway server = EngineGateway.start(config, gateway, data, SbeEventValidator.of(config.input))) {
            final ClientConfig local = CredentialsFile.read(data);
            try (GatewayClient shop = GatewayClient.open(new GatewayClientConfig(), listener, "127.0.0.1",
                server.port(), local.id, local.secret)) {
                send(shop, lines);
                assertTrue(shop.awaitAcknowledged(10, TimeUnit.SECONDS));
            }
        }
        return decided;
    }

    /** Sends each line of a shop's JSON events through {@code client}, as the local client's load does. */
    public static void send(final GatewayClient client, final List<String> lines) throws InterruptedException {
        final UnsafeBuffer event = new UnsafeBuffer(new byte[4096]);
        final ParseResult parsed = new ParseResult();
        for (final String line : lines) {
            final int length = new JsonEventParser().parse(line, 99, 0, event, 0, parsed);
            assertTrue(client.send(event, 0, length, 5, TimeUnit.SECONDS) > 0);
        }
    }
}
