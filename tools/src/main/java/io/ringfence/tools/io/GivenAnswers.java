package io.ringfence.tools.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ringfence.engine.codec.JsonOutputWriter;
import io.ringfence.engine.model.Times;
import io.ringfence.gateway.bridge.AnswerGaps;
import io.ringfence.gateway.bridge.AnswerLog;
import io.ringfence.journal.Journal;
import io.ringfence.journal.JournalConfig;
import io.ringfence.journal.JournalReader;
import org.agrona.DirectBuffer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * The answers a server kept as given ({@link AnswerLog}, {@code DATA/answers}), looked up by the engine sequence they
 * answer (a binary search: the log is in engine order) and written as JSON lines: the answer's output line with its place
 * in the log ({@code answer}), when it was kept ({@code keptAt}) and its client first.
 */
public final class GivenAnswers implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Journal journal;
    private final JournalReader reader;
    private final JsonOutputWriter writer = new JsonOutputWriter();

    private GivenAnswers(final Journal journal) {
        this.journal = journal;
        this.reader = journal.reader();
        writer.rejectsNameClientSeq(true);
    }

    /** The answers log of {@code data}, or null when it has none. */
    public static GivenAnswers open(final Path data, final String rollCycle) {
        final Path dir = data.resolve(AnswerLog.DIRECTORY);
        if (!Journal.exists(dir)) {
            return null;
        }
        return new GivenAnswers(Journal.open(JournalConfig.builder(dir).rollCycle(rollCycle).forReading().build()));
    }

    /**
     * Why {@code data} has no answers log to read ({@link #open} gave null): none was kept there, or it holds no answer yet.
     */
    public static String absence(final Path data) {
        final Path dir = data.resolve(AnswerLog.DIRECTORY);
        final Long from = AnswerLog.readFrom(dir);
        return from != null ? String.format("the answers log %s holds no answer yet (it keeps them from engine sequence %,d)", dir, from)
                : data + " holds no answers log (" + dir + ": kept by a server with journal.keepAnswers, the default since"
                + " 2026-12-07; `run` keeps none, its answers are its --out file)";
    }

    /** The gap of the log of {@code data} that holds engine sequence {@code seq}, said for people; null when none does. */
    public static String gapOf(final Path data, final long seq) {
        for (final long[] gap : AnswerGaps.of(data.resolve(AnswerLog.DIRECTORY))) {
            if (seq >= gap[0] && seq <= gap[1]) {
                return String.format("given without being kept: the answers to seq %,d..%s were not kept (%s)", gap[0],
                        gap[1] == Long.MAX_VALUE ? "" : String.format("%,d", gap[1]), AnswerGaps.why(gap));
            }
        }
        return null;
    }

    /** The gaps of the log of {@code data}, one line each for people ("seq A..B: why"); empty when none. */
    public static java.util.List<String> gapLines(final Path data) {
        final java.util.List<String> lines = new java.util.ArrayList<>();
        for (final long[] gap : AnswerGaps.of(data.resolve(AnswerLog.DIRECTORY))) {
            lines.add(String.format("seq %,d..%s: %s", gap[0], gap[1] == Long.MAX_VALUE ? "(the last start)"
                    : String.format("%,d", gap[1]), AnswerGaps.why(gap)));
        }
        return lines;
    }

    /** The first engine sequence the log of {@code data} holds answers from (1 when it does not say). */
    public static long answeredFrom(final Path data) {
        final Long from = AnswerLog.readFrom(data.resolve(AnswerLog.DIRECTORY));
        return from == null ? 1 : from;
    }

    /** The answer kept for engine sequence {@code engineSeq} as a JSON object ({@link #line}), or null when none is. */
    public JsonNode find(final long engineSeq) {
        long lo = journal.firstSequence();
        long hi = journal.lastSequence();
        final String[] found = new String[1];
        final long[] at = new long[1];
        while (lo <= hi && found[0] == null) {
            final long mid = (lo + hi) >>> 1;
            if (!reader.seek(mid)) {
                return null;
            }
            final boolean read = reader.next((seq, kept, source, clientSeq, payload, offset, length) -> {
                at[0] = AnswerLog.engineSequence(payload, offset);
                if (at[0] == engineSeq) {
                    found[0] = line(writer, payload, offset, seq, kept, null);
                }
            });
            if (!read) {
                return null;
            }
            if (at[0] < engineSeq) {
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        try {
            return found[0] == null ? null : JSON.readTree(found[0]);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One kept answer as its JSON output line (without a newline), with its place in the log, when it was kept and its client. */
    public static String line(final JsonOutputWriter writer, final DirectBuffer payload, final int offset, final long answer,
                              final long keptMicros, final String client) {
        final String json = writer.toJson(payload, offset);
        return "{\"answer\":" + answer + ",\"keptAt\":\"" + Times.format(keptMicros) + "\""
                + (client == null ? "" : ",\"client\":\"" + new String(com.fasterxml.jackson.core.io.JsonStringEncoder
                .getInstance().quoteAsString(client)) + "\"")
                + "," + json.substring(1);
    }

    @Override
    public void close() {
        reader.close();
        journal.close();
    }
}
