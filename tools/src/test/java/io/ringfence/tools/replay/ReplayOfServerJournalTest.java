package io.ringfence.tools.replay;

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
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code replay} of a journal a server wrote: its rejects name the client's sequence, not a file line. */
class ReplayOfServerJournalTest {
    @TempDir
    Path dir;

    @Test
    void shouldNameTheClientSequenceOfARejectedEventFromAGatewayClient() throws Exception {
        final Path data = dir.resolve("srv");
        final EngineConfig config = new EngineConfig();
        config.pipeline.waitStrategy = "blocking";
        final GatewayConfig gateway = new GatewayConfig();
        gateway.admin.enabled = false;
        try (EngineGateway server = EngineGateway.start(config, gateway, data, SbeEventValidator.of(config.input))) {
            final ClientConfig local = CredentialsFile.read(data);
            try (GatewayClient shop = GatewayClient.open(new GatewayClientConfig(), ClientListener.NONE, "127.0.0.1",
                server.port(), local.id, local.secret)) {
                final UnsafeBuffer event = new UnsafeBuffer(new byte[1024]);
                final ParseResult parsed = new ParseResult();
                for (final String line : List.of(
                    "{\"type\":\"activity\",\"time\":\"2026-01-06T10:00:00Z\",\"userId\":\"u1\",\"kind\":\"LOGIN\"}",
                    "{\"type\":\"orderStatus\",\"time\":\"2026-01-06T10:00:01Z\",\"orderId\":\"nope\",\"status\":\"PAID\"}")) {
                    final int length = new JsonEventParser().parse(line, 99, 0, event, 0, parsed);
                    assertTrue(shop.send(event, 0, length, 5, TimeUnit.SECONDS) > 0);
                }
                assertTrue(shop.awaitAcknowledged(10, TimeUnit.SECONDS));
            }
        }
        final Path out = dir.resolve("replay.jsonl");
        final CommandRun replay = CommandRun.ringfence("replay", "--data", data.toString(), "--out", out.toString());
        assertEquals(0, replay.exitCode(), replay.err());
        final List<String> rejects = Files.readAllLines(out).stream().filter(l -> l.contains("\"type\":\"reject\"")).toList();
        assertEquals(1, rejects.size(), rejects.toString());
        assertTrue(rejects.get(0).startsWith("{\"type\":\"reject\",\"seq\":2,\"clientSeq\":2,\"code\":\"UNKNOWN_ORDER\""),
            "the client's second message, not line 2 of a file: " + rejects.get(0));
    }
}
