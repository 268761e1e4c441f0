package io.ringfence.tools.demo;

/** The fraud patterns the demo shop injects, and the honest traffic around them. */
public enum FraudPattern {
    /** Ordinary customers: signups, browsing, carts, orders, payments, shipments. */
    NONE("normal traffic"),
    /** A stolen card tried with a burst of small payments within seconds, most of them declined. */
    CARD_TESTING("card testing burst"),
    /** A known customer's account used from a never-seen device and IP for an order far above their usual. */
    ACCOUNT_TAKEOVER("account takeover"),
    /** One device behind many freshly signed-up accounts that each order within minutes. */
    DEVICE_RING("shared-device ring");

    private final String description;

    FraudPattern(final String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }
}
