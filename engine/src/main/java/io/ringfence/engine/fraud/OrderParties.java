package io.ringfence.engine.fraud;

import org.agrona.MutableDirectBuffer;

/**
 * The user and payment instrument of an order as the business stage holds it, read-only: what a
 * payment that names its order but not its user or card is judged by (features, allow and deny
 * lists). A payment's user and instrument are optional on the wire; without this, such a payment
 * of an order declined for a denied card was approved (analyst trial, 2026-12-06). The order
 * lifecycle stage implements it ({@code io.ringfence.engine.commerce.CommerceStage}); {@link #NONE}
 * knows no order (the orders stage off).
 *
 * <p>Called on the business thread while a payment is scored, before the order stage applies
 * that payment. Must not allocate.
 */
@FunctionalInterface
public interface OrderParties {
    /** Knows no order. */
    OrderParties NONE = (orderHash, eventTime, into) -> false;

    /**
     * Copies the user id (from offset 0) and the instrument id (from offset {@code Ids.MAX_ID_BYTES}) of the order whose
     * {@code Ids.hash} of the order id is {@code orderHash} into {@code into}, each {@code Ids.MAX_ID_BYTES} bytes, NUL
     * padded (all NUL where the order named none).
     *
     * @param eventTime the payment's event time (microseconds)
     * @return false when no such order is held at that time, leaving {@code into} as it was
     */
    boolean copyParties(long orderHash, long eventTime, MutableDirectBuffer into);
}
