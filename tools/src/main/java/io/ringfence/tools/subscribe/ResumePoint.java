package io.ringfence.tools.subscribe;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a {@code subscribe --resume} carries on: the engine sequence of the last push in its output file and the
 * lines of that sequence that end the file (a connection can drop between the pushes of one event): the resume
 * asks for that whole sequence again and those lines recognise its repeats. A last line cut short (the process was
 * killed while writing it) is removed, so it comes again in the catch-up.
 */
record ResumePoint(long afterSeq, java.util.List<String> linesOfSeq, int cutBytes) {
    /** A push as subscribe writes them (a decision or reject line is not: its seq is no position among pushes). */
    private static final Pattern SEQ = Pattern.compile(
        "^\\{\"type\":\"(?:orderStatusPush|stockPush|fraudAlert|windowResult|anomalyAlert|trendingPush)\",\"seq\":(\\d+),");
    /** Bytes read from the end at a time while looking for the last lines. */
    private static final int TAIL = 64 * 1024;

    /**
     * Reads the file's last lines, and cuts an incomplete last line off it.
     *
     * @return null when the file does not exist or is empty
     * @throws IllegalArgumentException when a line at the end is not a push as {@code subscribe} writes them
     */
    static ResumePoint of(final Path file, final FileChannel raf) throws IOException {
        {
            final long length = raf.size();
            // complete lines end at the last newline; what follows is a line cut short, removed once the rest is ours
            final long end = lastNewlineBefore(raf, length) + 1;
            final int cut = (int) (length - end);
            long lineEnd = end - 1; // the newline ending the last complete line
            long seq = -1;
            final java.util.ArrayList<String> linesOfSeq = new java.util.ArrayList<>();
            while (lineEnd >= 0) {
                final long lineStart = lastNewlineBefore(raf, lineEnd) + 1;
                final String line = read(raf, lineStart, (int) (lineEnd - lineStart));
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
                linesOfSeq.add(line);
                lineEnd = lineStart - 1;
            }
            if (cut > 0) {
                final String text = read(raf, end, Math.min(cut, 256));
                final Matcher partial = SEQ.matcher(text);
                final boolean readable = partial.find();
                if (linesOfSeq.isEmpty()) {
                    if (!readable && "{\"type\":\"".startsWith(text.length() > 9 ? text.substring(0, 9) : text)) {
                        // the first push was cut before its sequence (trial: refused as if the file were not ours)
                        throw new IllegalArgumentException(file + " holds only a first push cut before its engine sequence"
                            + " (the subscriber was stopped while writing it), so where to resume is unknown; left as it is:"
                            + " delete it to start live from now, or replay the journal for what came before");
                    }
                    if (!readable) {
                        throw new IllegalArgumentException(file + " does not start as a push as subscribe writes them"
                            + " ({\"type\":...,\"seq\":N,...}); left as it is");
                    }
                    seq = Long.parseLong(partial.group(1)); // the first push was being written: that whole sequence again
                }
                raf.truncate(end);
            }
            if (seq < 0) {
                return null;
            }
            java.util.Collections.reverse(linesOfSeq);
            return new ResumePoint(seq, linesOfSeq, cut);
        }
    }

    /** Offset of the last '\n' strictly before {@code before}, or -1. */
    private static long lastNewlineBefore(final FileChannel raf, final long before) throws IOException {
        long to = before;
        final byte[] chunk = new byte[TAIL];
        while (to > 0) {
            final long from = Math.max(0, to - TAIL);
            final int n = (int) (to - from);
            readFully(raf, from, chunk, n);
            for (int i = n - 1; i >= 0; i--) {
                if (chunk[i] == '\n') {
                    return from + i;
                }
            }
            to = from;
        }
        return -1;
    }

    private static String read(final FileChannel raf, final long from, final int length) throws IOException {
        final byte[] b = new byte[length];
        readFully(raf, from, b, length);
        return new String(b, StandardCharsets.UTF_8);
    }

    private static void readFully(final FileChannel channel, final long from, final byte[] into, final int length) throws IOException {
        final ByteBuffer buffer = ByteBuffer.wrap(into, 0, length);
        long at = from;
        while (buffer.hasRemaining()) {
            final int n = channel.read(buffer, at);
            if (n < 0) {
                throw new java.io.EOFException("the file ended at byte " + at);
            }
            at += n;
        }
    }
}
