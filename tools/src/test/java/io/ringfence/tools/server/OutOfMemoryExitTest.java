package io.ringfence.tools.server;

import io.ringfence.tools.ChildJvm;
import io.ringfence.tools.CommandRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A command whose heap runs out ends at once with exit code 3 (jvm.properties'
 * -XX:+ExitOnOutOfMemoryError, which the launcher and this child JVM pass): before, the thread
 * that hit the OutOfMemoryError died and the JVM lived on with the others, a server holding its
 * ports, answering nothing and ignoring SIGTERM, so no supervisor restarted it.
 */
class OutOfMemoryExitTest {
    @TempDir
    Path dir;

    @Test
    void shouldEndTheJvmWithExitCode3WhenTheHeapRunsOut() throws Exception {
        final Path input = dir.resolve("events.jsonl");
        assertEquals(0, CommandRun.ringfence("generate", "--events", "200000", "--users", "200000", "--seed", "3",
            "--out", input.toString()).exitCode());
        final Path config = java.nio.file.Files.writeString(dir.resolve("small-ring.yaml"), "pipeline:\n  ringSize: 1024\n");
        final Path log = dir.resolve("run.log");
        final Process run = new ProcessBuilder(ChildJvm.command("64m", "run", "--config", config.toString(), "--input", input.toString(),
            "--data", dir.resolve("data").toString(), "--out", dir.resolve("out.jsonl").toString()))
            .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        final boolean ended = run.waitFor(60, TimeUnit.SECONDS);
        if (!ended) {
            run.destroyForcibly().waitFor();
        }
        final String text = java.nio.file.Files.readString(log, StandardCharsets.UTF_8);
        assertTrue(ended, "the JVM did not end within 60 s of running out of heap: " + text);
        assertEquals(3, run.exitValue(), text);
        assertTrue(text.contains("Terminating due to java.lang.OutOfMemoryError"), text);
    }
}
