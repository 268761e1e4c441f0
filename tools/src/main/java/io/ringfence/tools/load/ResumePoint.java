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
 * valid events from that line are already journaled: they are not sent again under new client sequences (which the
 * server would have journaled twice: an inventory delta applied twice). Those whose answers the file lacks (the run was
 * killed before they came back) are sent again under their own client sequences from the first such one
 * ({@link Answered#firstMissing}), and the server answers them from its record; the ones before are skipped.
 *
 * @param clientSeq the first event's client sequence
 * @param line      its input line
 */
record ResumePoint(long clientSeq, long line) {
    /** Most client sequences {@link #answered} looks through (a 16 MB bit set at most). */
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

    /** The client sequences from this point on (up to {@value #MAX_SPAN} of them) that {@code answers} holds an answer to. */
    Answered answered(final Path answers) throws IOException {
        final java.util.BitSet seen = new java.util.BitSet();
        final java.util.BitSet journaled = new java.util.BitSet();
        final org.agrona.collections.LongHashSet badLines = new org.agrona.collections.LongHashSet();
        eachAnswer(answers, n -> {
            final JsonNode seq = n.get("clientSeq");
            final JsonNode line = n.get("line");
            if (seq == null && line != null && n.path("seq").asLong() == -1) {
                badLines.add(line.asLong()); // a bad input line, reported when the run read it
            }
            if (seq != null) {
                final long k = seq.asLong() - clientSeq;
                if (k >= 0 && k < MAX_SPAN) {
                    seen.set((int) k);
                    final String type = n.path("type").asText();
                    final String code = n.path("code").asText();
                    if ("decision".equals(type) || "ack".equals(type)
                            || "reject".equals(type) && ("UNKNOWN_ORDER".equals(code) || "INVALID_TRANSITION".equals(code))) {
                        journaled.set((int) k); // the engine's own rejects answer journaled events; the other rejects refusals
                    }
                }
            }
        });
        return new Answered(clientSeq, seen, journaled, badLines);
    }

    /**
     * Which client sequences from {@code from} on an answers file holds, as offsets from it, and which bad input lines
     * it reports (a run reads its whole input before sending, so it reported bad lines past where it was killed).
     */
    record Answered(long from, java.util.BitSet seen, java.util.BitSet journaled, org.agrona.collections.LongHashSet badLines) {
        /** Whether the file already reports input line {@code line} as bad. */
        boolean reportsBadLine(final long line) {
            return badLines.contains(line);
        }

        /** Whether {@code clientSeq} has an answer in the file. */
        boolean holds(final long clientSeq) {
            final long k = clientSeq - from;
            return k >= 0 && k < MAX_SPAN && seen.get((int) k);
        }

        /**
         * The decisions, acks and engine rejects in the file (events the server journaled when it answered them) for client sequences
         * after {@code lastJournaled}, the last one the server holds now: {count, first, last}, count 0 when the server
         * holds every one (a server that lost answered events: restored from an older copy, its journal cut by repair, or
         * an operating-system crash with journal.sync none).
         */
        long[] answeredBeyond(final long lastJournaled) {
            final int after = (int) Math.max(0, Math.min(MAX_SPAN, lastJournaled - from + 1));
            final int first = journaled.nextSetBit(after);
            if (first < 0) {
                return new long[] {0, -1, -1};
            }
            return new long[] {journaled.get(after, journaled.length()).cardinality(), from + first, from + journaled.length() - 1};
        }

        /** Whether the file's answer to {@code clientSeq} says the server journaled it (not a refusal, not absent). */
        boolean journaledAnswer(final long clientSeq) {
            final long k = clientSeq - from;
            return k >= 0 && k < MAX_SPAN && journaled.get((int) k);
        }

        /** The first client sequence from {@link #from} on without an answer in the file. */
        long firstMissing() {
            return from + seen.nextClearBit(0);
        }

        /**
         * The client sequences from {@link #from} to {@code lastJournaled} (events the server journaled) without an answer
         * in the file: the interrupted run stopped before their answers came back (a killed client). Returns {count, first
         * missing}, or {0, -1} when there are none or the span is beyond what is looked through.
         */
        long[] missingUpTo(final long lastJournaled) {
            final long span = lastJournaled - from + 1;
            if (span <= 0 || span > MAX_SPAN) {
                return new long[] {0, -1}; // nothing journaled from here, or another run's events since: no count worth giving
            }
            final long missing = span - seen.get(0, (int) span).cardinality();
            return new long[] {missing, missing == 0 ? -1 : firstMissing()};
        }
    }
}
