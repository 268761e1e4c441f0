package io.ringfence.tools.bench;

import io.ringfence.engine.config.EngineConfig;
import io.ringfence.engine.config.EngineConfigLoader;
import io.ringfence.gateway.config.GatewayConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static io.ringfence.tools.CommandRun.ringfence;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The server's warm-up runs the whole path on a scratch directory and leaves nothing behind. */
class WarmUpTest {
    @TempDir
    Path dir;

    @Test
    void sendsEveryEventThroughAScratchServerAndDeletesIt() throws Exception {
        final EngineConfig engine = EngineConfigLoader.defaults();
        engine.pipeline.waitStrategy = "blocking";
        final GatewayConfig gateway = new GatewayConfig();
        gateway.port = 7_999; // the server's own settings: the warm-up listens elsewhere
        final WarmUp.Result result = WarmUp.run(engine, gateway, 3_000, dir);
        assertEquals(3_000, result.events(), "every event answered (the bench client waits for each answer)");
        assertTrue(result.nanos() >= 3_000 / WarmUp.RATE * 1e9 * 0.9, "sent on the 20,000/s schedule: " + result.nanos());
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(0, left.count(), "the scratch data directory (journal, snapshots, credentials) is deleted");
        }
        assertEquals(0, WarmUp.run(engine, new GatewayConfig(), 0, dir).events(), "0 events: nothing runs");
    }

    @Test
    void serverRefusesABadWarmupDuration() {
        for (final String bad : new String[] {"soon", "-1s"}) {
            final var run = ringfence("server", "--data", dir.resolve("d").toString(), "--port", "0", "--warmup", bad);
            assertEquals(2, run.exitCode(), run.err());
            assertTrue(run.err().contains("--warmup"), run.err());
        }
        assertTrue(Files.notExists(dir.resolve("d")), "refused before anything is made");
    }
}
