package io.ringfence.tools.load;

import org.agrona.BitUtil;

/**
 * What the load client remembers of each event in flight, by client sequence: its intended send
 * time, its line in the input (or its number in the generated run), and whether its answer has
 * arrived. A ring indexed by {@code clientSeq & mask}, so memory does not grow with the run: its
 * capacity exceeds the most messages the client's unacknowledged store can hold (the client never
 * has more in flight), so a slot is reused only after its event was answered or let go.
 *
 * <p>The sending thread calls {@link #sent} before handing the event to the client; the client's
 * I/O thread calls {@link #answered} (the client's store publishes the message between the two).
 */
final class AnswerLedger {
    /** {@link #answered} result: the first answer of an event. */
    static final int FIRST = 0;
    /** {@link #answered} result: an event answered again (a resend after a reconnect). */
    static final int DUPLICATE = 1;
    /** {@link #answered} result: a client sequence this run did not send (or long since let go). */
    static final int UNKNOWN = 2;
    /** {@link #answered} result: the first answer of an event sent again whose answer the answers file already holds. */
    static final int IN_FILE = 3;

    private final long mask;
    private final long[] seq;
    private final long[] answeredSeq;
    private final long[] intendedNanos;
    private final long[] line;
    private final boolean[] inFile;
    /** The file's answer under the number is a refusal of an event sent as new again: only a refusal again repeats it. */
    private final boolean[] refusalInFile;
    private long lastIntended;
    private long lastLine;

    /**
     * @param maxInFlight the most events the client can hold unacknowledged
     */
    AnswerLedger(final int maxInFlight) {
        final int capacity = BitUtil.findNextPositivePowerOfTwo(Math.max(1024, maxInFlight));
        mask = capacity - 1;
        seq = new long[capacity];
        answeredSeq = new long[capacity];
        intendedNanos = new long[capacity];
        line = new long[capacity];
        inFile = new boolean[capacity];
        refusalInFile = new boolean[capacity];
    }

    /** Sending thread: event {@code clientSeq} is about to be sent. */
    void sent(final long clientSeq, final long intended, final long inputLine) {
        final int i = (int) (clientSeq & mask);
        intendedNanos[i] = intended;
        line[i] = inputLine;
        answeredSeq[i] = 0;
        inFile[i] = false;
        refusalInFile[i] = false;
        seq[i] = clientSeq;
    }

    /**
     * Sending thread, right after {@link #sent}: the event's answer is already in the answers file (an interrupted run
     * got it); the answer that comes back is {@link #IN_FILE}, not written again. With {@code refusalOnly} (an event
     * the server did not journal, refused by that run and sent as new again) only a refusal again is; a Decision or
     * Ack (it passes now, e.g. a time no longer too far ahead) is this event's answer.
     */
    void answeredBefore(final long clientSeq, final boolean refusalOnly) {
        inFile[(int) (clientSeq & mask)] = true;
        refusalInFile[(int) (clientSeq & mask)] = refusalOnly;
    }

    /**
     * I/O thread: an answer to {@code clientSeq} arrived. After {@link #FIRST}, {@link #intendedNanos()}
     * and {@link #line()} describe the event.
     */
    int answered(final long clientSeq, final boolean reject) {
        final int i = (int) (clientSeq & mask);
        if (clientSeq <= 0 || seq[i] != clientSeq) {
            return UNKNOWN;
        }
        if (answeredSeq[i] == clientSeq) {
            return DUPLICATE;
        }
        answeredSeq[i] = clientSeq;
        lastIntended = intendedNanos[i];
        lastLine = line[i];
        return inFile[i] && (reject || !refusalInFile[i]) ? IN_FILE : FIRST;
    }

    /** The intended send time of the event last answered for the first time ({@link #FIRST} or {@link #IN_FILE}). */
    long intendedNanos() {
        return lastIntended;
    }

    /** The input line (or event number) of the event last answered for the first time. */
    long line() {
        return lastLine;
    }
}
