package io.ringfence.journal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A writer killed with SIGKILL while it appends as fast as it can, again and again: each time the next writer
 * starts after the last complete record (no repair needed), and every record up to it reads. At this rate many
 * kills land inside Chronicle's write (the next open logs "Forced unlocking chronicle.write.lock ... now dead":
 * 9 of 30 in a run of {@code -Dringfence.test.journal.kills=30}); none left an unfinished excerpt the writer
 * would have refused (a crafted one is {@link JournalTornTailTest}'s).
 */
class JournalKillNineTest {
    private static final int KILLS = Integer.getInteger("ringfence.test.journal.kills", 8);

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void aWriterKilledMidAppendLeavesAJournalTheNextWriterContinues() throws Exception {
        final Random random = new Random(11);
        int torn = 0;
        long expectedNext = 1;
        for (int k = 0; k < KILLS; k++) {
            final Process child = start();
            try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                final String ready = out.readLine();
                assertNotNull(ready, "kill " + k + ": the writer started (see stderr)");
                assertEquals("READY " + expectedNext, ready, "kill " + k + ": it continues after the last complete record");
            }
            Thread.sleep(100 + random.nextInt(200));
            child.destroyForcibly();
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));
            try (Journal journal = Journal.open(JournalConfig.of(dir)); JournalReader reader = journal.reader()) {
                final long last = journal.lastSequence();
                assertTrue(last >= expectedNext, "kill " + k + ": it appended (" + last + ")");
                if (journal.tornTail() != null) {
                    torn++;
                    System.out.println("kill " + k + ": " + journal.tornTail().getMessage());
                }
                assertNull(journal.tornTail(), "kill " + k + ": a kill -9 leaves no unfinished record (the last kill's too)");
                long count = 0;
                final Records.Capture capture = new Records.Capture();
                while (reader.next(capture)) {
                    count++;
                    capture.last().assertMatchesGenerated(); // every record as it was written, not only as many
                    if (capture.records.size() > 1_000) {
                        capture.records.clear();
                    }
                }
                assertEquals(last, count, "kill " + k + ": every record up to the last reads");
                expectedNext = last + 1;
            }
        }
        System.out.println(KILLS + " kills of a writer appending flat out: " + torn + " left an unfinished excerpt; "
            + (expectedNext - 1) + " records");
    }

    private Process start() throws Exception {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (final String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (arg.startsWith("--add-") || arg.startsWith("-Dchronicle.")) {
                command.add(arg);
            }
        }
        command.addAll(List.of("-Xmx256m", "-cp", System.getProperty("java.class.path"), AppendForeverMain.class.getName(),
            dir.toString()));
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }
}
