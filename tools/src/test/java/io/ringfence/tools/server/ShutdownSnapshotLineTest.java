package io.ringfence.tools.server;

import io.ringfence.tools.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static io.ringfence.tools.CommandRun.ringfence;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Operator trial: a SIGTERM'd server whose shutdown snapshot could not be written printed the same stop line as one
 * whose snapshot was written; only an ERROR in the log said that the next start replays the journal. The stop line
 * now says which (a real server in a child JVM, stopped by SIGTERM both times).
 */
class ShutdownSnapshotLineTest {
    @TempDir
    Path dir;

    @Test
    void theStopLineSaysWhetherTheShutdownSnapshotWasWritten() throws Exception {
        final Path data = dir.resolve("data");
        final String written = stopAfter(data, "500", false);
        assertTrue(written.contains("shutdown snapshot: sequence 500 in " + data.resolve("snapshots")), written);

        final String failed = stopAfter(data, "300", true);
        assertTrue(failed.contains("shutdown snapshot: NOT written (see the log); no snapshot is held: a restart replays the"
                + " journal's 800 events after it"), failed);

        // new-user audit: a server stopped with no event said "NOT written (see the log)", and the log said nothing
        final String empty = stopAfter(dir.resolve("empty"), null, false);
        assertTrue(empty.contains("shutdown snapshot: none needed (the journal holds no event)"), empty);
    }

    /**
     * Operator trial: a SIGTERM during the warm-up (or the recovery) ended the server without a word and left the
     * warm-up's scratch directory (81 MB) until the next start. Now the stop says what it stopped and deletes it.
     */
    @Test
    void aStopDuringTheWarmUpSaysSoAndLeavesNoScratchDirectory() throws Exception {
        final Path tmp = java.nio.file.Files.createDirectories(dir.resolve("tmp"));
        final java.util.List<String> command = new java.util.ArrayList<>(ChildJvm.command("512m", "server", "--data",
                dir.resolve("warm").toString(), "--port", "0", "--warmup", "30s"));
        command.add(1, "-Djava.io.tmpdir=" + tmp);
        final Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        final StringBuilder seen = new StringBuilder();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null && !line.startsWith("ringfence server: warming up")) {
                seen.append(line).append('\n');
            }
            assertTrue(line != null, "no warm-up line:\n" + seen);
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (listed(tmp) == 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertEquals(1, listed(tmp), "the warm-up's scratch directory");
            ChildJvm.signal("TERM", p);
            while ((line = in.readLine()) != null) {
                seen.append(line).append('\n');
            }
        } finally {
            p.destroyForcibly();
        }
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(143, p.exitValue(), seen.toString());
        assertTrue(seen.toString().contains("ringfence server stopped while warming up, before listening: no client was served"),
                seen.toString());
        assertEquals(0, listed(tmp), "the scratch directory is deleted by the stop:\n" + seen);
    }

    private static long listed(final Path dir) throws IOException {
        try (var files = java.nio.file.Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().startsWith("ringfence-warmup-")).count();
        }
    }

    /**
     * Starts a server on {@code data} (with {@code options} besides its own), sends {@code events} generated events, then
     * SIGTERM; returns its output.
     */
    static String stopAfter(final Path data, final String events, final boolean removeSnapshots, final String... options)
            throws Exception {
        final java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("server", "--data", data.toString(),
                "--port", "0", "--warmup", "0s"));
        args.addAll(java.util.List.of(options));
        final Process p = new ProcessBuilder(ChildJvm.command("512m", args.toArray(String[]::new))).redirectErrorStream(true).start();
        final StringBuilder seen = new StringBuilder();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            int port = -1;
            while (port < 0 && (line = in.readLine()) != null) {
                seen.append(line).append('\n');
                if (line.startsWith("ringfence server listening on")) {
                    port = Integer.parseInt(line.substring(line.lastIndexOf(':') + 1).trim());
                }
            }
            assertTrue(port > 0, "the server did not start:\n" + seen);
            if (events != null) {
                assertEquals(0, ringfence("load", "--port", String.valueOf(port), "--data", data.toString(), "--generate", events,
                        "--seed", events, "--rate", "0").exitCode());
            }
            if (removeSnapshots) { // a file in the directory's place: a deleted directory would be created again
                io.ringfence.tools.io.Trees.delete(data.resolve("snapshots"));
                java.nio.file.Files.writeString(data.resolve("snapshots"), "not a directory");
            }
            ChildJvm.signal("TERM", p);
            while ((line = in.readLine()) != null) {
                seen.append(line).append('\n');
            }
        } catch (final IOException e) {
            p.destroyForcibly();
            throw e;
        }
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return seen.toString();
    }
}
