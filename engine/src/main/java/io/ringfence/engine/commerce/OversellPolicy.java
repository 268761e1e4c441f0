package io.ringfence.engine.commerce;

/** What an order for more than a sku's available stock does to the order's decision. */
public enum OversellPolicy {
    /** Adds the reason {@code OVERSELL}, keeps the outcome. */
    FLAG,
    /** Adds the reason and raises APPROVE to REVIEW. */
    REVIEW,
    /** Nothing (stock is still reserved). */
    IGNORE
}
