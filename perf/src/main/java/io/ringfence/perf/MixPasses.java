package io.ringfence.perf;

import io.ringfence.sbe.MessageHeaderDecoder;
import io.ringfence.sbe.MessageHeaderEncoder;
import io.ringfence.sbe.OrderDecoder;
import io.ringfence.sbe.OrderEncoder;
import io.ringfence.sbe.OrderStatusDecoder;
import io.ringfence.sbe.PaymentDecoder;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A pre-encoded mix of events published over and over, each pass a new stretch of history: event time
 * moves on, and every order id and payment id gets the pass number as a suffix ({@code o17~00c}), in the
 * order, its payments and its status changes alike. Without new ids every pass after the first re-sends
 * orders and payments the engine has decided, and {@code decisions.repeats: first} answers them from its
 * table unscored: the benchmark would measure repeat answers, not decisions.
 */
final class MixPasses {
    /** Suffix: a separator and {@value #DIGITS} base-36 digits of the pass number (46,656 passes before ids recur). */
    private static final int DIGITS = 3;
    private static final int SUFFIX = 1 + DIGITS;
    private static final int ID_LENGTH = 36;
    private static final int BODY = MessageHeaderEncoder.ENCODED_LENGTH;
    private static final int TIME_OFFSET = BODY + OrderEncoder.eventTimeEncodingOffset();
    private static final byte[] DIGIT = "0123456789abcdefghijklmnopqrstuvwxyz".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private final UnsafeBuffer[] events;
    private final int mask;
    /** Per event, the offsets where its id suffixes go (none for activity and stock moves). */
    private final int[][] suffixes;

    MixPasses(final UnsafeBuffer[] events) {
        if (Integer.bitCount(events.length) != 1) {
            throw new IllegalArgumentException("the mix needs a power-of-two number of events: " + events.length);
        }
        this.events = events;
        this.mask = events.length - 1;
        this.suffixes = new int[events.length][];
        final MessageHeaderDecoder header = new MessageHeaderDecoder();
        for (int k = 0; k < events.length; k++) {
            final UnsafeBuffer b = events[k];
            header.wrap(b, 0);
            switch (header.templateId()) {
                case OrderDecoder.TEMPLATE_ID:
                    suffixes[k] = suffixes(b, k, BODY + OrderDecoder.orderIdEncodingOffset());
                    break;
                case PaymentDecoder.TEMPLATE_ID:
                    suffixes[k] = suffixes(b, k, BODY + PaymentDecoder.paymentIdEncodingOffset(),
                            BODY + PaymentDecoder.orderIdEncodingOffset());
                    break;
                case OrderStatusDecoder.TEMPLATE_ID:
                    suffixes[k] = suffixes(b, k, BODY + OrderStatusDecoder.orderIdEncodingOffset());
                    break;
                default:
                    suffixes[k] = new int[0];
            }
        }
    }

    int size() {
        return events.length;
    }

    /** Event {@code i} of the endless stream: its buffer, stamped with its pass's ids and {@code eventTime}. */
    UnsafeBuffer event(final long i, final long eventTime) {
        final UnsafeBuffer b = events[(int) (i & mask)];
        b.putLong(TIME_OFFSET, eventTime); // every inbound event has clientSeq then eventTime first in its block
        final long pass = i / events.length;
        for (final int at : suffixes[(int) (i & mask)]) {
            long p = pass;
            for (int d = DIGITS; d >= 1; d--) {
                b.putByte(at + d, DIGIT[(int) (p % 36)]);
                p /= 36;
            }
        }
        return b;
    }

    /**
     * Where the suffixes of the NUL-padded ids at {@code offsets} go (an empty id, a payment naming no order,
     * stays empty); their separators are written now.
     */
    private static int[] suffixes(final UnsafeBuffer b, final int event, final int... offsets) {
        final int[] at = new int[offsets.length];
        int n = 0;
        for (final int offset : offsets) {
            int length = 0;
            while (length < ID_LENGTH && b.getByte(offset + length) != 0) {
                length++;
            }
            if (length == 0) {
                continue;
            }
            if (length + SUFFIX > ID_LENGTH) {
                throw new IllegalArgumentException("event " + event + ": an id of " + length + " bytes leaves no room for a pass suffix");
            }
            b.putByte(offset + length, (byte) '~');
            at[n++] = offset + length;
        }
        return java.util.Arrays.copyOf(at, n);
    }
}
