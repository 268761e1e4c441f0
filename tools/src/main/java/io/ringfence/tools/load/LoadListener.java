package io.ringfence.tools.load;

import io.ringfence.engine.codec.JsonOutputWriter;
import io.ringfence.gateway.client.ClientDisconnectReason;
import io.ringfence.gateway.client.ClientListener;
import io.ringfence.sbe.AckDecoder;
import io.ringfence.sbe.DecisionDecoder;
import io.ringfence.sbe.LogonAckDecoder;
import io.ringfence.sbe.MessageHeaderDecoder;
import io.ringfence.sbe.Outcome;
import io.ringfence.sbe.RejectCode;
import io.ringfence.sbe.RejectDecoder;
import org.HdrHistogram.Histogram;
import org.agrona.DirectBuffer;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;

/**
 * The load client's {@link ClientListener}: matches each answer to its event through the
 * {@link AnswerLedger}, records the latency from the event's intended send time, counts outcomes,
 * writes the first answer of every event to {@code --out}, and tracks the connection for the
 * sending thread's reconnect deadline. Callbacks run on the client's I/O thread; the counts are
 * read once the client is closed.
 *
 * <p>{@code --out} lines are the engine's JSON rendering ({@link JsonOutputWriter}): a
 * {@code decision}, or a server's {@code reject} (with the {@code clientSeq} it answers, as
 * {@code replay} writes it), with {@code "line":L} added last: the event's line in the input (its
 * number in a generated run); events without a decision (order
 * status, inventory, activity) get {@code {"type":"ack","seq":N,"clientSeq":M,"line":L}}. So every
 * line joins back to its input line, whatever order the answers came in. An answer repeated because of a resend
 * is counted, not written again.
 */
final class LoadListener implements ClientListener {
    /** Longest latency recorded, in microseconds; longer ones are recorded as this. */
    static final long MAX_LATENCY_MICROS = 3_600_000_000L;

    private final AnswerLedger ledger;
    private final OutputStream out;
    /** Renders answers on the client's I/O thread. */
    private final JsonOutputWriter json = new JsonOutputWriter();
    /**
     * Renders bad input lines' rejects on the sending thread: a writer of its own, since one writer shared with the I/O
     * thread lost and mixed lines when both rendered at once (client review of 2026-12-06: 232 of 40,000 lines lost).
     */
    private final JsonOutputWriter badLineJson = new JsonOutputWriter();
    private final byte[] ackLine = new byte[160];
    private final Rendered rendered = new Rendered();
    private final Histogram latencyMicros = new Histogram(MAX_LATENCY_MICROS, 3);
    private final long[] outcomes = new long[Outcome.values().length];
    private final Map<RejectCode, Long> rejects = new EnumMap<>(RejectCode.class);
    private long acks;
    /** Events refused because another message took their client sequence (another process sent as this client). */
    private long taken;
    /** Events processed earlier whose answers the server no longer holds (Reject DUPLICATE 'no longer held'). */
    private long notHeld;
    /** Longest an answer waits in the buffer once a later one is written (a quiet stretch leaves the last ones there). */
    static final long FLUSH_EVERY_NANOS = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(200);
    /** Events sent again (--resume) whose answers the answers file already held: not written again. */
    private long inFile;
    private long duplicates;
    private long unknown;
    private volatile long answers;
    private volatile long disconnectedSinceNanos;
    private volatile long disconnects;
    private volatile long logons;
    private volatile String lastDisconnect;
    private volatile String fatal;
    /** When answers were last handed to the file (under the monitor of {@link #out}); 0 = never. */
    private long flushedAtNanos;
    /** When the oldest answer still in the buffer was written, 0 = none; written under the monitor, read without it. */
    private volatile long unflushedSinceNanos;

    /**
     * @param out where answers go as JSON lines, or {@code null}; written under its own monitor,
     *            which the sending thread also takes to write bad input lines
     */
    LoadListener(final AnswerLedger ledger, final OutputStream out) {
        this.ledger = ledger;
        this.out = out;
        json.rejectsNameClientSeq(true); // a server's reject names the clientSeq it answers, as replay writes it
        badLineJson.rejectsNameClientSeq(true);
    }

    @Override
    public void onLogon(final LogonAckDecoder ack) {
        logons++;
        disconnectedSinceNanos = 0;
    }

    @Override
    public void onDisconnect(final ClientDisconnectReason reason, final String detail, final boolean reconnecting) {
        if (logons == 0) {
            return; // a first logon that failed: the command reports it, and may log on again with a new client
        }
        lastDisconnect = reason + (detail == null || detail.isEmpty() ? "" : ": " + detail);
        if (!reconnecting) {
            if (reason != ClientDisconnectReason.CLOSED) {
                fatal = "the client gave up: " + lastDisconnect;
            }
            return;
        }
        disconnects++;
        if (disconnectedSinceNanos == 0) {
            disconnectedSinceNanos = System.nanoTime();
        }
    }

    @Override
    public void onDecision(final DecisionDecoder decision) {
        final long now = System.nanoTime();
        if (first(decision.clientSeq(), now)) {
            outcomes[decision.outcome().ordinal()]++;
            writeWithLine(decision.buffer(), decision.offset() - MessageHeaderDecoder.ENCODED_LENGTH, ledger.line());
        }
    }

    @Override
    public void onReject(final RejectDecoder reject) {
        final RejectCode code = codeOf(reject.codeRaw());
        if (!isAnswer(code, reject.clientSeq())) {
            return; // the gateway closing the session, or a sequence gap: the client reconnects and resends
        }
        final long now = System.nanoTime();
        // another message under the event's number: never "already answered in the file" (the file's answer is the
        // other message's), so it is counted and written even when the file holds an answer under that number
        final boolean isTaken = code == RejectCode.DUPLICATE && isTaken(reject);
        if (first(reject.clientSeq(), now, true, isTaken)) {
            rejects.merge(code, 1L, Long::sum);
            if (isTaken) {
                taken++;
            } else if (code == RejectCode.DUPLICATE) {
                notHeld++;
            }
            // as replay writes it (seq, clientSeq, code, reason), with the event's input line added last, as for a decision
            writeWithLine(reject.buffer(), reject.offset() - MessageHeaderDecoder.ENCODED_LENGTH, ledger.line());
        }
    }

    @Override
    public void onAck(final AckDecoder ack) {
        final long now = System.nanoTime();
        if (first(ack.clientSeq(), now)) {
            acks++;
            if (out != null) {
                int n = ascii("{\"type\":\"ack\",\"seq\":", 0);
                n = number(ack.seq(), n);
                n = ascii(",\"clientSeq\":", n);
                n = number(ack.clientSeq(), n);
                n = ascii(",\"line\":", n);
                n = number(ledger.line(), n);
                n = ascii("}\n", n);
                writeBytes(ackLine, n);
            }
        }
    }

    /** Writes a bad input line's reject (sending thread). */
    void badLine(final long line, final RejectCode code, final String reason) {
        if (out == null) {
            return;
        }
        synchronized (out) {
            try {
                badLineJson.writeReject(line, code, reason, out);
            } catch (final IOException e) {
                fatal = "cannot write the answers file: " + e.getMessage();
            }
        }
    }

    private boolean first(final long clientSeq, final long nowNanos) {
        return first(clientSeq, nowNanos, false, false);
    }

    /**
     * @param reject     the answer is a Reject
     * @param evenInFile an answer that counts also when the answers file holds one under the number (a conflict)
     */
    private boolean first(final long clientSeq, final long nowNanos, final boolean reject, final boolean evenInFile) {
        final int result = ledger.answered(clientSeq, reject);
        if (result == AnswerLedger.DUPLICATE) {
            duplicates++;
            return false;
        }
        if (result == AnswerLedger.IN_FILE && !evenInFile) {
            inFile++;
            return false;
        }
        if (result == AnswerLedger.UNKNOWN) {
            unknown++;
            return false;
        }
        answers++;
        final long micros = Math.max(0, (nowNanos - ledger.intendedNanos()) / 1_000);
        latencyMicros.recordValue(Math.min(micros, MAX_LATENCY_MICROS));
        return true;
    }

    /** The code of a raw value, or {@code null} for one this codec does not know (a newer server). */
    private static RejectCode codeOf(final int raw) {
        for (final RejectCode code : RejectCode.values()) {
            if (code.value() == raw && code != RejectCode.NULL_VAL) {
                return code;
            }
        }
        return null;
    }

    /** Whether a Reject answers a message; session codes the gateway ends a connection with do not. */
    private static boolean isAnswer(final RejectCode code, final long clientSeq) {
        if (code == null || clientSeq <= 0) {
            return false;
        }
        switch (code) {
            case SEQUENCE_GAP:
            case NOT_LOGGED_ON:
            case NOT_AUTHORIZED:
            case BAD_CREDENTIALS:
            case THROTTLED:
            case BAD_FRAME:
            case SLOW_CONSUMER:
            case SERVER_BUSY:
            case SHUTTING_DOWN:
            case INTERNAL:
            case NULL_VAL:
                return false;
            default:
                return true;
        }
    }

    /**
     * Writes the engine's JSON of an answer with {@code "line":L} added as its last field, so
     * every answer in {@code --out} joins back to its input line (answers arrive in their own
     * order, and bad lines' rejects are written as they are read).
     */
    private void writeWithLine(final DirectBuffer buffer, final int headerOffset, final long line) {
        if (out == null) {
            return;
        }
        rendered.reset();
        try {
            json.write(buffer, headerOffset, rendered);
        } catch (final IOException e) {
            fatal = "cannot render an answer: " + e.getMessage();
            return;
        }
        final byte[] bytes = rendered.bytes();
        int end = rendered.size();
        while (end > 0 && bytes[end - 1] != '}') {
            end--; // before the closing brace and the newline
        }
        final int n = number(line, ascii(",\"line\":", 0));
        ackLine[n] = '}';
        ackLine[n + 1] = '\n';
        synchronized (out) {
            try {
                out.write(bytes, 0, end - 1);
                out.write(ackLine, 0, n + 2);
                flushSoon();
            } catch (final IOException e) {
                fatal = "cannot write the answers file: " + e.getMessage();
            }
        }
    }

    /**
     * Hands the buffered answers to the file at the first answer and then at most {@link #FLUSH_EVERY_NANOS} apart, so
     * a {@code kill -9} (which loses what the process buffers, not what the kernel has) leaves the answers of all but
     * the last moments, and always the first one, from which {@code --resume} knows where the run started. Before
     * (helper audit), the 64 KiB buffer left a run killed in its first ~390 answers an empty file that --resume refused,
     * and the only way on sent its journaled events a second time. Caller holds the monitor of {@link #out}.
     */
    private void flushSoon() throws IOException {
        final long now = System.nanoTime();
        if (flushedAtNanos == 0 || now - flushedAtNanos >= FLUSH_EVERY_NANOS) {
            flushAt(now);
        } else if (unflushedSinceNanos == 0) {
            unflushedSinceNanos = now == 0 ? 1 : now;
        }
    }

    /** Hands the buffer to the file now. Caller holds the monitor of {@link #out}. */
    private void flushAt(final long nowNanos) throws IOException {
        out.flush();
        flushedAtNanos = nowNanos == 0 ? 1 : nowNanos;
        unflushedSinceNanos = 0;
    }

    /**
     * Hands answers that waited {@link #FLUSH_EVERY_NANOS} in the buffer to the file: called by the sending thread's
     * watchdog, so the last answers before a quiet stretch (a server that stopped answering) reach the file too (review:
     * they stayed in the buffer for as long as nothing else came). A volatile read when nothing waits.
     */
    void flushIfDue(final long nowNanos) {
        final long since = unflushedSinceNanos;
        if (since == 0 || nowNanos - since < FLUSH_EVERY_NANOS || out == null) {
            return;
        }
        synchronized (out) {
            try {
                flushAt(nowNanos);
            } catch (final IOException e) {
                fatal = "cannot write the answers file: " + e.getMessage();
            }
        }
    }

    /** A reusable in-memory stream whose bytes are read in place. */
    private static final class Rendered extends java.io.ByteArrayOutputStream {
        Rendered() {
            super(1024);
        }

        byte[] bytes() {
            return buf;
        }
    }

    private void writeBytes(final byte[] bytes, final int length) {
        synchronized (out) {
            try {
                out.write(bytes, 0, length);
                flushSoon();
            } catch (final IOException e) {
                fatal = "cannot write the answers file: " + e.getMessage();
            }
        }
    }

    private int ascii(final String text, final int at) {
        final byte[] b = text.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, ackLine, at, b.length);
        return at + b.length;
    }

    private int number(final long value, final int at) {
        final String digits = Long.toString(value);
        return ascii(digits, at);
    }

    // ---- read by the sending thread while running (volatile) ----

    /** When the connection was lost and not yet regained ({@link System#nanoTime}), or 0 while logged on. */
    long disconnectedSinceNanos() {
        return disconnectedSinceNanos;
    }

    /** Why the client stopped for good, or {@code null}. */
    String fatal() {
        return fatal;
    }

    String lastDisconnect() {
        return lastDisconnect;
    }

    long disconnects() {
        return disconnects;
    }

    long logons() {
        return logons;
    }

    /** Events answered so far (first answers). */
    long answers() {
        return answers;
    }

    // ---- read once the client is closed ----

    Histogram latencyMicros() {
        return latencyMicros;
    }

    long outcomes(final Outcome outcome) {
        return outcomes[outcome.ordinal()];
    }

    long decisions() {
        long n = 0;
        for (final long c : outcomes) {
            n += c;
        }
        return n;
    }

    long acks() {
        return acks;
    }

    Map<RejectCode, Long> rejects() {
        return rejects;
    }

    /** Whether a DUPLICATE says the event's client sequence is another message's (read from a copy: the decoder stays put). */
    private static boolean isTaken(final RejectDecoder reject) {
        final int blockLength = new MessageHeaderDecoder().wrap(reject.buffer(), reject.offset() - MessageHeaderDecoder.ENCODED_LENGTH)
            .blockLength(); // as sent: a newer server's block may be longer than this codec's
        final RejectDecoder copy = new RejectDecoder().wrap(reject.buffer(), reject.offset(), blockLength, reject.actingVersion());
        return copy.reason().contains("is taken by another message");
    }

    /** Events refused as taken by another message: not processed, and never will be under their numbers. */
    long taken() {
        return taken;
    }

    /** Events processed earlier whose answers the server no longer holds: their rejects stand in for the answers. */
    long notHeld() {
        return notHeld;
    }

    /** Events sent again whose answers were already in the answers file. */
    long inFile() {
        return inFile;
    }

    long rejected() {
        long n = 0;
        for (final long c : rejects.values()) {
            n += c;
        }
        return n;
    }

    long duplicates() {
        return duplicates;
    }

    long unknown() {
        return unknown;
    }
}
