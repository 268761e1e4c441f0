package io.ringfence.journal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How much of a journal's memory-mapped cycle files this process has written and the kernel has not yet written
 * back to disk: the {@code Shared_Dirty} and {@code Private_Dirty} of their mappings in {@code /proc/self/smaps}
 * (Linux). An msync or fsync writes the pages back and cleans them, so this is what an OS crash would lose now;
 * the tests of {@code journal.sync} read it instead of trusting that a sync call was made.
 *
 * <p>The kernel also writes dirty pages back on its own: after {@code vm.dirty_expire_centisecs} (30 s by default), or
 * at once for everyone while other processes keep more dirty than {@code vm.dirty_background_ratio} allows (a busy CI
 * machine). So a reading can only be lower than what was appended, never higher: tests assert that a sync cleaned the
 * pages, and take "the appends left pages dirty" as a precondition ({@link #appendsLeftDirty}), not as a result.
 */
public final class DirtyPages {
    private static final Path SMAPS = Path.of("/proc/self/smaps");
    private static final java.util.regex.Pattern MAPPING = java.util.regex.Pattern.compile("[0-9a-f]+-[0-9a-f]+ ");

    private DirtyPages() {
    }

    /** True where the count can be read and means something: Linux, and a directory not on tmpfs (always dirty). */
    public static boolean measurable(final Path directory) {
        try {
            return Files.isReadable(SMAPS) && !"tmpfs".equals(Files.getFileStore(directory).type());
        } catch (final IOException e) {
            return false;
        }
    }

    /**
     * Runs {@code append} (which appends to the journal in {@code directory}) until the journal holds at least
     * {@code bytes} dirty, at most 5 times; when the kernel keeps writing the pages back on its own, the test is
     * aborted as not measurable here (an assumption), never failed.
     */
    public static void appendsLeftDirty(final Path directory, final long bytes, final Runnable append) {
        long dirty = 0;
        for (int attempt = 0; attempt < 5 && dirty < bytes; attempt++) {
            append.run();
            dirty = ofJournal(directory);
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(dirty >= bytes, "the kernel writes the journal's pages back by itself"
            + " (other processes' disk writes): " + dirty + " dirty bytes after the appends, the test needs " + bytes);
    }

    /** Dirty bytes of the mapped {@code .cq4} files under {@code directory}. */
    public static long ofJournal(final Path directory) {
        final String under;
        try {
            under = directory.toRealPath() + "/"; // smaps names the real path (review: a temp dir behind a link read 0)
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
        long kib = 0;
        boolean journalFile = false;
        try {
            for (final String line : Files.readAllLines(SMAPS)) {
                if (MAPPING.matcher(line).lookingAt()) { // a mapping's header line: "start-end perms offset dev inode path"
                    journalFile = line.contains(under) && line.endsWith(".cq4");
                } else if (journalFile && (line.startsWith("Shared_Dirty:") || line.startsWith("Private_Dirty:"))) {
                    kib += Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
        return kib * 1024;
    }
}
