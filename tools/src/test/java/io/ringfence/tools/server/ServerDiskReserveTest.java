package io.ringfence.tools.server;

import io.ringfence.tools.CommandRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static io.ringfence.tools.CommandRun.ringfence;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A server whose journal disk is below journal.minFreeMiB does not start, and says why (exit 1). */
class ServerDiskReserveTest {
    @TempDir
    Path dir;

    @Test
    void refusesToStartBelowTheDiskReserve() throws Exception {
        final Path config = Files.writeString(dir.resolve("reserve.yaml"), "journal:\n  minFreeMiB: 1048576\n"); // 1 TiB
        final CommandRun run = ringfence("server", "--data", dir.resolve("d").toString(), "--port", "0", "--warmup", "0s",
                "--config", config.toString());
        assertEquals(1, run.exitCode(), run.err());
        assertTrue(run.err().contains("append of sequence 1 refused in ") && run.err().contains("below journal.minFreeMiB"
                + " (1,099,511,627,776 bytes)"), run.err());
    }

    /** Operator audit: --admin-port 70000 was refused as "gateway.admin.port: '70000' ...", the setting it overrides. */
    @Test
    void namesABadPortOptionAsTheOptionBeforeCreatingAnything() throws Exception {
        for (final String option : new String[] {"--port", "--admin-port"}) {
            final CommandRun run = ringfence("server", "--data", dir.resolve("p").toString(), option, "70000", "--warmup", "0s");
            assertEquals(2, run.exitCode(), run.err());
            assertTrue(run.err().contains(option + " 70000 is not a port: 0 (a free one) to 65535"), run.err());
            assertTrue(!Files.exists(dir.resolve("p")), "nothing created");
        }
    }
}
