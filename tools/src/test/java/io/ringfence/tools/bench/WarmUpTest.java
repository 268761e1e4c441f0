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
        final Path serverSnapshots = dir.resolve("server-snapshots");
        engine.snapshot.dir = serverSnapshots.toString(); // absolute: must not receive the warm-up's shutdown snapshot
        final Path scratchParent = Files.createDirectories(dir.resolve("tmp"));
        // a killed warm-up's leftover (kill -9 skips its clean-up), and a recent one another server may be using
        final Path stale = Files.createDirectories(scratchParent.resolve("ringfence-warmup-1").resolve("snapshots"));
        Files.setLastModifiedTime(stale.getParent(), java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - 7_200_000));
        final Path recent = Files.createDirectories(scratchParent.resolve("ringfence-warmup-2"));
        // a warm-up stopped a moment ago (trial: SIGTERM or kill -9 during the warm-up left 81 MB each time), and one
        // of a process still running (this one)
        final Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        final Path stopped = Files.createDirectories(scratchParent.resolve("ringfence-warmup-" + gone.pid() + "-123"));
        final Path running = Files.createDirectories(scratchParent.resolve("ringfence-warmup-" + ProcessHandle.current().pid() + "-456"));
        final WarmUp.Result result = WarmUp.run(engine, new GatewayConfig(), 3_000, scratchParent);
        assertTrue(Files.notExists(stale.getParent()), "an hour-old leftover is swept");
        assertTrue(Files.notExists(stopped), "a stopped process's leftover is swept at once");
        assertTrue(Files.exists(running), "a running process's is not");
        Files.delete(recent);
        Files.delete(running);
        assertEquals(3_000, result.events(), "every event journaled by the scratch engine");
        assertTrue(result.nanos() >= 3_000 / WarmUp.RATE * 1e9 * 0.9, "sent on the 20,000/s schedule: " + result.nanos());
        try (Stream<Path> left = Files.list(scratchParent)) {
            assertEquals(0, left.count(), "the scratch data directory (journal, snapshots, credentials) is deleted");
        }
        assertTrue(Files.notExists(serverSnapshots), "nothing written where the server keeps its snapshots");
        assertEquals(0, WarmUp.run(EngineConfigLoader.defaults(), new GatewayConfig(), 0, scratchParent).events(),
            "0 events: nothing runs");
    }

    @Test
    void serverRefusesABadWarmupDuration() {
        for (final String bad : new String[] {"soon", "-1s", "61s"}) {
            final var run = ringfence("server", "--data", dir.resolve("d").toString(), "--port", "0", "--warmup", bad);
            assertEquals(2, run.exitCode(), run.err());
            assertTrue(run.err().contains("--warmup"), run.err());
        }
        assertTrue(Files.notExists(dir.resolve("d")), "refused before anything is made");
    }
}
