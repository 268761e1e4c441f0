package io.ringfence.tools.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where an interrupted {@code load} goes on ({@code --resume}): the earliest answer its answers file holds names the
 * first event that run sent, its client sequence and input line; events after it were sent one per valid input line with
 * consecutive client sequences. With the server's last journaled client sequence (its logon answer) that says how many
 * valid events from that line are already journaled: they are skipped, not sent again under new client sequences (which
 * the server would have journaled twice: an inventory delta applied twice).
 *
 * @param clientSeq the first event's client sequence
 * @param line      its input line
 */
record ResumePoint(long clientSeq, long line) {
    /** Most client sequences {@link #unanswered} looks through (a 16 MB bit set). */
    private static final long MAX_SPAN = 1L << 27;

    /** The first answered event in {@code answers}, or null when the file holds none. */
    static ResumePoint of(final Path answers) throws IOException {
        if (!Files.isRegularFile(answers)) {
            return null;
        }
        final ResumePoint[] first = {null};
        eachAnswer(answers, n -> {
            final JsonNode seq = n.get("clientSeq");
            final JsonNode line = n.get("line");
            if (seq != null && line != null && seq.asLong() > 0 && (first[0] == null || seq.asLong() < first[0].clientSeq)) {
                first[0] = new ResumePoint(seq.asLong(), line.asLong());
            }
        });
        return first[0];
    }

    /** Each whole JSON object line of the answers file (a line cut by the kill that interrupted the run is passed over). */
    private static void eachAnswer(final Path answers, final java.util.function.Consumer<JsonNode> each) throws IOException {
        final ObjectMapper json = new ObjectMapper();
        try (BufferedReader in = Files.newBufferedReader(answers)) {
            for (String text = in.readLine(); text != null; text = in.readLine()) {
                final JsonNode n;
                try {
                    n = json.readTree(text);
                } catch (final IOException e) {
                    continue;
                }
                if (n != null) {
                    each.accept(n);
                }
            }
        }
    }

    /**
     * Cuts a last line without its newline (the interrupted run was killed in mid-write), so that the answers appended
     * after it start on a line of their own; returns the bytes dropped.
     */
    static long dropCutLastLine(final Path answers) throws IOException {
        try (java.io.RandomAccessFile file = new java.io.RandomAccessFile(answers.toFile(), "rw")) {
            long end = file.length();
            while (end > 0) {
                file.seek(end - 1);
                if (file.read() == '\n') {
                    break;
                }
                end--;
            }
            final long dropped = file.length() - end;
            file.setLength(end);
            return dropped;
        }
    }

    /** How many valid events from {@link #line} the server holds, given its last journaled client sequence. */
    long journaledFrom(final long lastJournaled) {
        return Math.max(0, lastJournaled - clientSeq + 1);
    }

    /**
     * The client sequences from this point to {@code lastJournaled} (events the server journaled) that have no answer in
     * {@code answers}: the interrupted run stopped before their answers came back (a killed client), so they are in the
     * journal, decided, but not in the file; {@code --resume} does not send them again. Returns {count, first missing}.
     */
    long[] unanswered(final Path answers, final long lastJournaled) throws IOException {
        final long span = lastJournaled - clientSeq + 1;
        if (span <= 0 || span > MAX_SPAN) {
            return new long[] {0, -1}; // nothing journaled from here, or another run's events since: no count worth giving
        }
        final java.util.BitSet seen = new java.util.BitSet((int) Math.min(span, Integer.MAX_VALUE));
        eachAnswer(answers, n -> {
            final JsonNode seq = n.get("clientSeq");
            if (seq != null) {
                final long k = seq.asLong() - clientSeq;
                if (k >= 0 && k < span && k <= Integer.MAX_VALUE) {
                    seen.set((int) k);
                }
            }
        });
        final long missing = span - seen.cardinality();
        final int first = seen.nextClearBit(0);
        return new long[] {missing, missing == 0 ? -1 : clientSeq + first};
    }
}
