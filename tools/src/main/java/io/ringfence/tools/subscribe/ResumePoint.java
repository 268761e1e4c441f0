package io.ringfence.tools.subscribe;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a {@code subscribe --resume} carries on: the engine sequence of the last push in its output file and how
 * many pushes of that sequence end the file (a connection can drop between the pushes of one event). A last line
 * cut short (the process was killed while writing it) is removed, so it comes again in the catch-up.
 */
record ResumePoint(long afterSeq, int seenOfSeq, long lines, int cutBytes) {
    private static final Pattern SEQ = Pattern.compile("^\\{\"type\":\"[A-Za-z]+\",\"seq\":(\\d+),");
    /** Bytes read from the end at a time while looking for the last lines. */
    private static final int TAIL = 64 * 1024;

    /**
     * Reads the file's last lines, and cuts an incomplete last line off it.
     *
     * @return null when the file does not exist or holds no complete line
     * @throws IllegalArgumentException when a line at the end is not a push as {@code subscribe} writes them
     */
    static ResumePoint of(final Path file) throws IOException {
        if (!Files.exists(file)) {
            return null;
        }
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            long end = raf.length();
            int cut = 0;
            // drop a partial last line
            long lastNewline = lastNewlineBefore(raf, end);
            if (lastNewline < end - 1) {
                cut = (int) (end - 1 - lastNewline);
                raf.setLength(lastNewline + 1);
                end = lastNewline + 1;
            }
            if (end == 0) {
                return null;
            }
            long lineEnd = end - 1; // the newline ending the last line
            long seq = -1;
            int seen = 0;
            long lines = 0;
            while (lineEnd >= 0) {
                final long lineStart = lastNewlineBefore(raf, lineEnd) + 1;
                final String line = read(raf, lineStart, (int) Math.min(lineEnd - lineStart, 256));
                final Matcher m = SEQ.matcher(line);
                if (!m.find()) {
                    throw new IllegalArgumentException(file + ": the line at byte " + lineStart + " is not a push as subscribe writes"
                        + " them ({\"type\":...,\"seq\":N,...}): " + (line.length() > 80 ? line.substring(0, 80) + "..." : line));
                }
                final long s = Long.parseLong(m.group(1));
                if (seq >= 0 && s != seq) {
                    break;
                }
                seq = s;
                seen++;
                lines++;
                lineEnd = lineStart - 1;
            }
            return new ResumePoint(seq, seen, lines, cut);
        }
    }

    /** Offset of the last '\n' strictly before {@code before}, or -1. */
    private static long lastNewlineBefore(final RandomAccessFile raf, final long before) throws IOException {
        long to = before;
        final byte[] chunk = new byte[TAIL];
        while (to > 0) {
            final long from = Math.max(0, to - TAIL);
            final int n = (int) (to - from);
            raf.seek(from);
            raf.readFully(chunk, 0, n);
            for (int i = n - 1; i >= 0; i--) {
                if (chunk[i] == '\n') {
                    return from + i;
                }
            }
            to = from;
        }
        return -1;
    }

    private static String read(final RandomAccessFile raf, final long from, final int length) throws IOException {
        final byte[] b = new byte[length];
        raf.seek(from);
        raf.readFully(b);
        return new String(b, StandardCharsets.UTF_8);
    }
}
