package io.ringfence.journal;

import java.io.File;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Copies a journal file that was deleted while the server wrote it back into the journal directory,
 * from the descriptor the writer still holds ({@code /proc/self/fd}, Linux): the unlinked file keeps
 * every append until the process ends. Run on the appending thread between two appends (or at close),
 * so no record is half written in the copy. Back at its name when nothing took that name since, else
 * next to it as {@code NAME.rescued}, for an operator to put in place; a file moved away is found by
 * its key and named where it is now.
 */
final class CycleFileRescue {
    private static final Path OPEN_FILES = Path.of("/proc/self/fd");
    private static final String DELETED = " (deleted)";

    private CycleFileRescue() {
    }

    /**
     * Copies {@code lost} back if it can; returns what it did, as the end of a sentence for the refusal's message.
     *
     * @param key the file key it had while it was in place ({@code BasicFileAttributes.fileKey()}), null if unknown
     */
    static String rescue(final File lost, final Object key) {
        final Path path = lost.toPath().toAbsolutePath();
        final Path open = openDescriptor(path, key);
        if (open == null) {
            return "no open descriptor of it was found to copy it back from (" + OPEN_FILES + "): the events in it are lost"
                + " when this process ends";
        }
        final String where = linkOf(open);
        if (where != null && !where.endsWith(DELETED)) {
            return "it was moved to " + where + ": move it back to " + path + " before restarting, or the restart finds that"
                + " cycle's events gone";
        }
        final Path target = Files.exists(path, LinkOption.NOFOLLOW_LINKS)
            ? path.resolveSibling(path.getFileName() + ".rescued") : path;
        final Path tmp = path.resolveSibling(path.getFileName() + ".rescuing");
        try {
            Files.copy(open, tmp, StandardCopyOption.REPLACE_EXISTING);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (final IOException | RuntimeException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (final IOException ignored) {
                // best effort
            }
            return "copying it back from " + open + " failed (" + e + "): the events in it are lost when this process ends";
        }
        return target.equals(path)
            ? "what was written to it was copied back to " + target + ", so a restart finds every journaled event"
            : "another file has its name now, so what was written to it was copied to " + target + ": put that in its place"
                + " before restarting, or the restart finds that cycle's events gone";
    }

    /** A descriptor of this process open on the file that was at {@code path} (by its key, else by its unlinked name), or null. */
    private static Path openDescriptor(final Path path, final Object key) {
        if (!Files.isDirectory(OPEN_FILES)) {
            return null;
        }
        final String deleted = path + DELETED;
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(OPEN_FILES)) {
            for (final Path fd : fds) {
                final String link = linkOf(fd);
                if (link == null) {
                    continue;
                }
                if (key != null ? key.equals(keyOf(fd)) : deleted.equals(link)) {
                    return fd;
                }
            }
        } catch (final IOException e) {
            return null;
        }
        return null;
    }

    private static String linkOf(final Path fd) {
        try {
            return Files.readSymbolicLink(fd).toString();
        } catch (final IOException | UnsupportedOperationException e) {
            return null; // closed meanwhile, or not a link
        }
    }

    private static Object keyOf(final Path fd) {
        try {
            return Files.readAttributes(fd, BasicFileAttributes.class).fileKey(); // follows the link to the open file
        } catch (final IOException e) {
            return null;
        }
    }
}
