package io.ringfence.journal;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks the header of every Chronicle cycle file ({@code .cq4}) of a journal directory with plain file reads,
 * before Chronicle opens any of them. Chronicle waits for a cycle file's header to be written by another process
 * and never gives up when it is absent: a cycle file left with no header (kill -9 or an OS crash while the journal
 * rolled to a new file, or a file cut short to a few bytes) made every command, {@code server} included, hang
 * forever, and a header cut inside failed with Chronicle's "ClassNotFoundException: SCQSIndex" naming no file.
 *
 * <pre>
 *   a cycle file starts with a metadata excerpt: header word (little-endian int32: bit 31 NOT_COMPLETE,
 *   bit 30 META_DATA, bits 0..29 length), then that many bytes of the store's description
 * </pre>
 * Chronicle writes that header before any record, so a file without one holds no record that can be read.
 */
final class CycleFileHeaders {
    private CycleFileHeaders() {
    }

    /** A cycle file whose header does not read, and why. */
    record Unreadable(Path file, String problem) {
        @Override
        public String toString() {
            return file + " " + problem;
        }
    }

    /**
     * What the headers say: the cycle files in name (so time) order, the readable ones first. {@code tail} lists the
     * unreadable files at the end (after the last readable one); {@code middle} is the first unreadable file that has
     * a readable one after it (damage in the middle of the journal), or null.
     */
    record Inspection(List<Path> readable, List<Unreadable> tail, Unreadable middle) {
        boolean sound() {
            return tail.isEmpty() && middle == null;
        }
    }

    /** How long a header at the end may take to appear: a live writer rolling to a new file writes it within microseconds. */
    private static final int SETTLE_TRIES = 10;
    private static final long SETTLE_MILLIS = 50;

    /**
     * Reads the header of each {@code .cq4} file in {@code directory}. An unreadable one at the end is looked at again
     * for up to half a second: a reader that meets a server rolling to a new file sees it before its header is written
     * (review), and must not call that damage.
     */
    static Inspection inspect(final Path directory) {
        Inspection found = inspectOnce(directory);
        for (int i = 0; i < SETTLE_TRIES && !found.tail().isEmpty(); i++) {
            try {
                Thread.sleep(SETTLE_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            found = inspectOnce(directory);
        }
        return found;
    }

    private static Inspection inspectOnce(final Path directory) {
        final List<Path> readable = new ArrayList<>();
        final List<Unreadable> unreadable = new ArrayList<>();
        for (final Path file : Journal.files(directory)) {
            if (file.getFileName().toString().endsWith(".cq4")) {
                final String problem = headerProblem(file);
                if (problem == null) {
                    readable.add(file);
                } else {
                    unreadable.add(new Unreadable(file, problem));
                }
            }
        }
        final Path lastReadable = readable.isEmpty() ? null : readable.get(readable.size() - 1);
        final List<Unreadable> tail = new ArrayList<>();
        Unreadable middle = null;
        for (final Unreadable u : unreadable) {
            if (lastReadable == null || u.file().compareTo(lastReadable) > 0) {
                tail.add(u);
            } else if (middle == null) {
                middle = u;
            }
        }
        return new Inspection(List.copyOf(readable), List.copyOf(tail), middle);
    }

    /** What is wrong with the header of {@code file}, or null when it is complete and within the file. */
    static String headerProblem(final Path file) {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            final long length = raf.length();
            if (length < 4) {
                return "is " + length + " bytes long: it has no header (its creation was cut off, by a kill or crash"
                        + " while the journal rolled to a new file, or the file was cut short)";
            }
            final int word = Integer.reverseBytes(raf.readInt());
            if (word == 0) {
                return "has no header (its first bytes are zero: its creation was cut off by a kill or crash while the"
                        + " journal rolled to a new file, or its pages never reached the disk)";
            }
            if ((word & ChronicleExcerpts.NOT_COMPLETE) != 0 || (word & ChronicleExcerpts.META_DATA) == 0) {
                return "does not start with a complete Chronicle header (header word 0x" + Integer.toHexString(word)
                        + (((word & ChronicleExcerpts.NOT_COMPLETE) != 0) ? ": its write never finished)" : ": not a journal file?)");
            }
            final long needed = 4L + (word & ChronicleExcerpts.LENGTH_MASK);
            if (needed > length) {
                return "is " + length + " bytes long but its header needs " + needed + ": the file was cut short";
            }
            return null;
        } catch (IOException e) {
            return "cannot be read: " + e;
        }
    }
}
