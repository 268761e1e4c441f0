package io.ringfence.engine.decision;

/**
 * A business rule outside fraud scoring that may add to an order's verdict after scoring and
 * before the decision is written (inventory adds {@code OVERSELL}). Called on the business thread
 * for the order just applied; must not allocate.
 */
@FunctionalInterface
public interface OrderVerdictAmendment {
    void amend(Verdict verdict);
}
