package io.ringfence.gateway.bridge;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where an {@link AnswerLog} holds no answer for answers that were given: its directory's {@value #FILE}, one line per
 * change, {@code off from=N why=W at=TIME} (from engine sequence N on, answers are given without being kept: W 0 a start
 * with journal.keepAnswers false, 1 a write that failed, 2 a torn last answer) and {@code on from=M at=TIME} (kept again
 * from M). Not sealed: a gap excuses an answer missing from the log, whose absence the sealed log shows, and hides no kept
 * one ({@code replay --diff-answers} compares every answer kept).
 */
public final class AnswerGaps {
    private static final Logger LOG = LoggerFactory.getLogger(AnswerGaps.class);
    /** In the log's directory: where answers were given without being kept. */
    public static final String FILE = "answers-gaps.txt";
    private static final String[] WHY = {"journal.keepAnswers was false", "the answers log could not be written",
        "lost with a torn last answer (a power loss): the answers after the last whole one are not known"};

    private AnswerGaps() {
    }

    /** The open gap of the log in {@code dir}: {from, why} of its last line when that says "off", else null. */
    static long[] open(final Path dir) {
        final java.util.List<long[]> gaps = of(dir);
        final long[] last = gaps.isEmpty() ? null : gaps.get(gaps.size() - 1);
        return last == null || last[1] != Long.MAX_VALUE ? null : new long[]{last[0], last[2]};
    }

    /**
     * The gaps of the log in {@code dir} ({@link #FILE}): {from, to, why} each, engine sequences whose answers were
     * given without being kept; {@code to} is {@link Long#MAX_VALUE} for a gap still open. Lines that do not read are skipped.
     */
    public static java.util.List<long[]> of(final Path dir) {
        final java.util.List<long[]> gaps = new java.util.ArrayList<>();
        final Path file = dir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return gaps;
        }
        try {
            for (final String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
                final String[] words = line.trim().split(" ");
                try {
                    if (words[0].equals("off") && words.length >= 3) {
                        gaps.add(new long[]{value(words[1], "from="), Long.MAX_VALUE, value(words[2], "why=")});
                    } else if (words[0].equals("on") && !gaps.isEmpty() && gaps.get(gaps.size() - 1)[1] == Long.MAX_VALUE) {
                        gaps.get(gaps.size() - 1)[1] = value(words[1], "from=") - 1;
                    }
                } catch (final RuntimeException e) {
                    // a line cut by a crash: skipped
                }
            }
        } catch (final IOException e) {
            LOG.warn("cannot read {}: {}", file, e.toString());
        }
        gaps.removeIf(g -> g[1] < g[0]);
        return gaps;
    }

    /** Why a gap's answers were not kept, for people. */
    public static String why(final long[] gap) {
        return WHY[(int) Math.max(0, Math.min(WHY.length - 1, gap[2]))];
    }

    private static long value(final String word, final String key) {
        if (!word.startsWith(key)) {
            throw new IllegalArgumentException(word);
        }
        return Long.parseLong(word.substring(key.length()));
    }

    static void append(final Path dir, final String line) {
        final Path file = dir.resolve(FILE);
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.READ, java.nio.file.StandardOpenOption.WRITE)) {
            boolean cut = false; // a line a power loss cut: this one begins on a line of its own
            if (ch.size() > 0) {
                final java.nio.ByteBuffer last = java.nio.ByteBuffer.allocate(1);
                ch.read(last, ch.size() - 1);
                cut = last.get(0) != '\n';
            }
            ch.write(java.nio.ByteBuffer.wrap(((cut ? "\n" : "") + line + " at=" + java.time.Instant.now() + "\n")
                    .getBytes(StandardCharsets.US_ASCII)), ch.size()); // at its end: one writer, the server
            ch.force(true);
        } catch (final IOException e) {
            LOG.error("cannot write {} ({}): the answers log does not say that answers from there on were not kept", file, e.toString());
        }
    }
}
