package io.ringfence.journal;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
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
    /** The name of a copy made next to a file that took the lost one's name: a start refuses while it is there. */
    static final String RESCUED_SUFFIX = ".rescued";
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
        final Path path = realPath(lost.toPath());
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
            ? path.resolveSibling(path.getFileName() + RESCUED_SUFFIX) : path;
        final Path tmp = path.resolveSibling(path.getFileName() + ".rescuing");
        try {
            copySparse(open, tmp);
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

    /**
     * The path as the kernel names an open file's link ({@code /proc/self/fd/N -> /real/dir/NAME (deleted)}): the directory's
     * real path, so a data directory given through a symbolic link or with {@code ..} matches (review).
     */
    private static Path realPath(final Path file) {
        final Path absolute = file.toAbsolutePath().normalize();
        try {
            return absolute.getParent().toRealPath().resolve(absolute.getFileName());
        } catch (final IOException | RuntimeException e) {
            return absolute;
        }
    }

    /**
     * Copies {@code from} to a new {@code to}, skipping blocks of zeros (a hole in the copy, as in the original: a cycle file
     * is mostly unwritten; review: a full copy of an 80 MB file where a few hundred KB were written, on a disk an operator
     * was freeing), then forces it.
     */
    private static void copySparse(final Path from, final Path to) throws IOException {
        final ByteBuffer block = ByteBuffer.allocate(1 << 20);
        try (FileChannel in = FileChannel.open(from, StandardOpenOption.READ);
             FileChannel out = FileChannel.open(to, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                 StandardOpenOption.WRITE)) {
            final long size = in.size();
            long at = 0;
            while (at < size) {
                block.clear();
                final int n = in.read(block, at);
                if (n <= 0) {
                    break;
                }
                block.flip();
                if (!zeros(block)) {
                    while (block.hasRemaining()) {
                        out.write(block, at + block.position());
                    }
                }
                at += n;
            }
            if (out.size() < size) {
                out.write(ByteBuffer.wrap(new byte[1]), size - 1); // the file's length, its end a hole too but for one byte
            }
            out.force(true);
        }
    }

    private static boolean zeros(final ByteBuffer block) {
        for (int i = block.position(); i + 8 <= block.limit(); i += 8) {
            if (block.getLong(i) != 0) {
                return false;
            }
        }
        for (int i = block.limit() & ~7; i < block.limit(); i++) {
            if (i >= block.position() && block.get(i) != 0) {
                return false;
            }
        }
        return true;
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
