package io.ringfence.engine.window;

import org.agrona.MutableDirectBuffer;

/**
 * The merchant of an order as the business stage knows it, read-only: how a window keyed (or
 * counting) {@code merchant} places a payment, which carries no merchant of its own, under the
 * merchant of its order; and its user and card, for a payment naming neither. The order lifecycle stage implements it
 * ({@code io.ringfence.engine.commerce.CommerceStage}); {@link #NONE} knows no order (the
 * orders stage off, or windows used on their own).
 *
 * <p>Called on the business thread while a payment is windowed, before the order stage applies
 * that payment; it answers as the order stage will see the book when it does (an order due to be
 * forgotten by the payment's time is not held). Must not allocate.
 */
@FunctionalInterface
public interface OrderMerchants {
    /** Knows no order: every payment's merchant is unknown. */
    OrderMerchants NONE = (orderHash, eventTime, into) -> false;

    /**
     * Copies the merchant id of the order whose {@code Ids.hash} of the order id is
     * {@code orderHash} into {@code into} from offset 0: {@code Ids.MAX_ID_BYTES} bytes, NUL
     * padded (all NUL when the order is held without a merchant).
     *
     * @param eventTime the payment's event time (microseconds)
     * @return false when no such order is held at that time (never seen, forgotten, or over the
     *         cap), leaving {@code into} as it was
     */
    boolean copyMerchant(long orderHash, long eventTime, MutableDirectBuffer into);

    /**
     * Copies the user id (from offset 0) and the instrument id (from offset {@code Ids.MAX_ID_BYTES}) of that order, each
     * {@code Ids.MAX_ID_BYTES} bytes NUL padded: how a window keyed by (or counting) user or instrument places a payment
     * that names neither, as fraud scoring judges it (analyst trial, 2026-12-06: CARD_BURST counted the payments that
     * named card-9, never those naming only their order). None by default.
     *
     * @return false when no such order is held at that time (or it is contested), leaving {@code into} as it was
     */
    default boolean copyParties(final long orderHash, final long eventTime, final MutableDirectBuffer into) {
        return false;
    }
}
