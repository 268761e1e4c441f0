package io.ringfence.engine.decision;

import org.agrona.DirectBuffer;

import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The first 128 bits of the SHA-256 of an order's or payment's content: what {@link DecidedIds}
 * compares to tell a repeat (same id, same content) from an id reused for other content.
 *
 * <p>Why a cryptographic digest: the sender's customer controls fields of the content (a device
 * id is computed in the browser), and whoever can make a second order's digest equal the first's
 * gets the first's decision unscored. The 64-bit multiply-rotate hash used before was invertible
 * word by word: eight chosen bytes of a device id made any other content (a stolen card) collide,
 * in microseconds (review, 2026-12-06; {@code RepeatedIdTest}). A collision of 128 bits of SHA-256
 * costs about 2^64 hashes even to a sender who writes both orders; no key is needed, so replay,
 * recovery and another engine over the same journal compute the same digests.
 *
 * <p>One instance per decision stage (not thread-safe); no allocation per digest (the bytes are
 * copied a chunk at a time into a buffer of its own, then hashed with the platform's SHA-256, which
 * the JIT turns into SHA instructions where the CPU has them).
 */
final class ContentDigest {
    private static final int SHA256_BYTES = 32;
    private final MessageDigest sha;
    private final byte[] content;
    private final byte[] digest = new byte[SHA256_BYTES];
    private long high;
    private long low;

    /** @param chunk bytes copied out of the buffer at a time (any content length is digested through it) */
    ContentDigest(final int chunk) {
        try {
            this.sha = MessageDigest.getInstance("SHA-256");
        } catch (final NoSuchAlgorithmException e) {
            throw new IllegalStateException("this Java has no SHA-256 (every Java SE has): " + e, e);
        }
        this.content = new byte[chunk];
    }

    /** Adds {@code buffer[from, to)} to the content being digested (the first call after {@link #finish} starts anew). */
    void add(final DirectBuffer buffer, final int from, final int to) {
        if (to < from) {
            throw new IllegalArgumentException("content [" + from + ", " + to + ")");
        }
        for (int at = from; at < to; at += content.length) {
            final int n = Math.min(content.length, to - at);
            buffer.getBytes(at, content, 0, n);
            sha.update(content, 0, n);
        }
    }

    /** Ends the content: the result is {@link #high()} and {@link #low()}. */
    void finish() {
        try {
            sha.digest(digest, 0, SHA256_BYTES); // and resets for the next content
        } catch (final DigestException e) {
            throw new IllegalStateException(e); // the output holds 32 bytes: cannot happen
        }
        high = bits(0);
        low = bits(Long.BYTES);
    }

    long high() {
        return high;
    }

    long low() {
        return low;
    }

    private long bits(final int at) {
        long v = 0;
        for (int i = at; i < at + Long.BYTES; i++) {
            v = (v << 8) | (digest[i] & 0xFF);
        }
        return v;
    }
}
