package io.ringfence.engine.codec;

import io.ringfence.engine.model.Ids;
import io.ringfence.journal.RecordKeys;
import io.ringfence.sbe.MessageHeaderDecoder;
import io.ringfence.sbe.OrderDecoder;
import io.ringfence.sbe.PaymentDecoder;
import org.agrona.DirectBuffer;

/**
 * What a journaled event is found by in the journal's key index ({@link io.ringfence.journal.KeyIndex}): an order by its
 * orderId, a payment by its paymentId and its orderId, each as {@link Ids#hash} of the id's bytes; other events by
 * none. {@code explain} looks an id up by {@link #of(String)}. Read in place (no allocation); one per journal writer
 * (the sealer's thread).
 */
public final class IdKeys implements RecordKeys {
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();

    @Override
    public int keysOf(final DirectBuffer payload, final int offset, final int length, final long[] keys) {
        if (length < MessageHeaderDecoder.ENCODED_LENGTH) {
            return 0;
        }
        header.wrap(payload, offset);
        if (header.schemaId() != OrderDecoder.SCHEMA_ID) {
            return 0;
        }
        final int body = offset + MessageHeaderDecoder.ENCODED_LENGTH;
        switch (header.templateId()) {
            case OrderDecoder.TEMPLATE_ID:
                if (length < MessageHeaderDecoder.ENCODED_LENGTH + OrderDecoder.orderIdEncodingOffset() + Ids.MAX_ID_BYTES) {
                    return 0;
                }
                return put(keys, 0, Ids.hash(payload, body + OrderDecoder.orderIdEncodingOffset(), Ids.MAX_ID_BYTES));
            case PaymentDecoder.TEMPLATE_ID:
                if (length < MessageHeaderDecoder.ENCODED_LENGTH + PaymentDecoder.orderIdEncodingOffset() + Ids.MAX_ID_BYTES) {
                    return 0;
                }
                final int n = put(keys, 0, Ids.hash(payload, body + PaymentDecoder.paymentIdEncodingOffset(), Ids.MAX_ID_BYTES));
                return put(keys, n, Ids.hash(payload, body + PaymentDecoder.orderIdEncodingOffset(), Ids.MAX_ID_BYTES));
            default:
                return 0;
        }
    }

    /** Puts {@code key} at {@code n} unless it is the empty id's (a payment without an order); the count after. */
    private static int put(final long[] keys, final int n, final long key) {
        if (key == Ids.EMPTY) {
            return n;
        }
        keys[n] = key;
        return n + 1;
    }

    /** The key of {@code id} as {@link #keysOf} writes it. */
    public static long of(final String id) {
        return Ids.hash(id);
    }
}
