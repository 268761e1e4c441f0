package io.ringfence.engine.decision;

import io.ringfence.sbe.DecisionEncoder;
import io.ringfence.sbe.Outcome;

import java.nio.charset.StandardCharsets;

/**
 * The answer to one order or payment while it is being decided: outcome, score in [0, 1] and the
 * reason codes that drove it, most important first. Mutable and reused for every event (the
 * business stage owns one), so deciding allocates nothing.
 */
public final class Verdict {
    /** Most reason codes one decision carries. */
    public static final int MAX_REASONS = 8;
    private static final int CODE_LENGTH = DecisionEncoder.ReasonsEncoder.codeLength();
    /** Longest reason code, in ASCII characters (the SBE field's width). */
    public static final int MAX_REASON_LENGTH = CODE_LENGTH;

    private final byte[][] reasons = new byte[MAX_REASONS][CODE_LENGTH];
    /** Reasons at the end added by {@link #reasonKept}. */
    private int keptCount;
    private int reasonCount;
    private Outcome outcome = Outcome.APPROVE;
    private double score;

    /** Starts a new decision: approve, score 0, no reasons. */
    public void reset() {
        outcome = Outcome.APPROVE;
        score = 0;
        reasonCount = 0;
        keptCount = 0;
    }

    public Outcome outcome() {
        return outcome;
    }

    public Verdict outcome(final Outcome outcome) {
        this.outcome = outcome;
        return this;
    }

    public double score() {
        return score;
    }

    public Verdict score(final double score) {
        this.score = score;
        return this;
    }

    public int reasonCount() {
        return reasonCount;
    }

    /**
     * Adds a reason code (US-ASCII, at most 32 bytes, pre-encoded by the caller so the hot path does
     * not encode strings); ignored once {@link #MAX_REASONS} are held.
     */
    public Verdict reason(final byte[] code) {
        if (reasonCount < MAX_REASONS) {
            final byte[] slot = reasons[reasonCount++];
            java.util.Arrays.fill(slot, (byte) 0);
            System.arraycopy(code, 0, slot, 0, Math.min(code.length, CODE_LENGTH));
        }
        return this;
    }

    /**
     * Adds a reason the engine must tell whatever the rules said ({@code OVERSELL}, {@code ID_REUSED}): when
     * {@link #MAX_REASONS} are held, the last rule reason (rules come in precedence order, so the least important) makes
     * room; the engine's own reasons stay at the end in the order added. Before 2026-12-06 {@link #reason} dropped them
     * then (review).
     */
    public Verdict reasonKept(final byte[] code) {
        if (reasonCount < MAX_REASONS) {
            reason(code);
            keptCount++;
            return this;
        }
        if (keptCount >= MAX_REASONS) {
            return this;
        }
        final int drop = MAX_REASONS - 1 - keptCount; // the last reason added by the rules
        final byte[] slot = reasons[drop];
        System.arraycopy(reasons, drop + 1, reasons, drop, MAX_REASONS - 1 - drop); // the kept ones move up, in order
        reasons[MAX_REASONS - 1] = slot;
        java.util.Arrays.fill(slot, (byte) 0);
        System.arraycopy(code, 0, slot, 0, Math.min(code.length, CODE_LENGTH));
        keptCount++;
        return this;
    }

    byte[] reasonBytes(final int i) {
        return reasons[i];
    }

    /** The i-th reason code as text (tests, tools; allocates). */
    public String reasonText(final int i) {
        if (i < 0 || i >= reasonCount) {
            throw new IndexOutOfBoundsException("reason " + i + " of " + reasonCount);
        }
        int n = 0;
        while (n < CODE_LENGTH && reasons[i][n] != 0) {
            n++;
        }
        return new String(reasons[i], 0, n, StandardCharsets.US_ASCII);
    }

    /** Encodes a reason code once, at configuration time. */
    public static byte[] code(final String reason) {
        final byte[] bytes = reason.getBytes(StandardCharsets.US_ASCII);
        if (bytes.length == 0 || bytes.length > CODE_LENGTH) {
            throw new IllegalArgumentException("reason code '" + reason + "' must be 1.." + CODE_LENGTH + " ASCII characters");
        }
        return bytes;
    }
}
