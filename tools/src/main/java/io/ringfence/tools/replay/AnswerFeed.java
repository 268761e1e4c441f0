package io.ringfence.tools.replay;

import io.ringfence.engine.pipeline.OutputSink;
import io.ringfence.gateway.bridge.AnswerLog;
import io.ringfence.journal.JournalReader;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The answers a server gave ({@link AnswerLog}, {@code DATA/answers}), handed to a sink in step with a replay: each
 * time the replay has published the event of engine sequence {@code s}, the answers to events up to {@code s} are
 * handed on, so a comparison holds only the answers in flight. An answer to a sequence at or below one already handed
 * on (kept again after the journal was cut and those sequences taken by new events) is skipped and counted.
 * One thread.
 */
final class AnswerFeed {
    private final JournalReader reader;
    private final OutputSink sink;
    private final UnsafeBuffer held = new UnsafeBuffer(new byte[1 << 16]);
    private int heldLength = -1;
    private long heldSeq;
    private long heldSource;
    private long heldClientSeq;
    private long lastHanded;
    private long handed;
    private long repeated;
    private long rejects;
    private boolean ended;

    AnswerFeed(final JournalReader reader, final OutputSink sink) {
        this.reader = reader;
        this.sink = sink;
    }

    /** Hands on every answer to an event up to engine sequence {@code through}. */
    void through(final long through) {
        while (true) {
            if (heldLength < 0 && !readNext()) {
                return;
            }
            if (heldSeq > through) {
                return;
            }
            if (heldSeq <= lastHanded) {
                repeated++;
            } else {
                sink.onOutput(heldSeq, heldSource, heldClientSeq, held, 0, heldLength);
                lastHanded = heldSeq;
                handed++;
                if (held.getShort(2, java.nio.ByteOrder.LITTLE_ENDIAN) == io.ringfence.sbe.RejectDecoder.TEMPLATE_ID) {
                    rejects++;
                }
            }
            heldLength = -1;
        }
    }

    private boolean readNext() {
        if (ended) {
            return false;
        }
        final boolean read = reader.next((seq, kept, source, clientSeq, payload, offset, length) -> {
            held.putBytes(0, payload, offset, Math.min(length, held.capacity()));
            heldLength = Math.min(length, held.capacity());
            heldSeq = AnswerLog.engineSequence(payload, offset);
            heldSource = source;
            heldClientSeq = clientSeq;
        });
        ended = !read;
        return read;
    }

    /** Answers handed on. */
    long handed() {
        return handed;
    }

    /** Rejects among the answers handed on. */
    long rejects() {
        return rejects;
    }

    /** Answers skipped as repeating an engine sequence handed on before them. */
    long repeated() {
        return repeated;
    }
}
