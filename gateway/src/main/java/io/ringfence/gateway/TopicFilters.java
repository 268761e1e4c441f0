package io.ringfence.gateway;

import io.ringfence.sbe.FilterKind;
import io.ringfence.sbe.Topic;

/**
 * Which {@code FilterKind} a {@code Subscribe} may use with each {@code Topic}: ORDER_STATUS by
 * USER or ORDER, STOCK by SKU, FRAUD_ALERT by USER, WINDOW_RESULT and ANOMALY by WINDOW name,
 * TRENDING by WINDOW name or USER, and every topic with ALL. The server refuses other pairs with
 * a {@code Reject}; clients can check before sending.
 */
public final class TopicFilters {
    private TopicFilters() {
    }

    /** Whether the server accepts a subscription to {@code topic} filtered by {@code kind}. */
    public static boolean allowed(final Topic topic, final FilterKind kind) {
        if (kind == FilterKind.ALL) {
            return topic != Topic.NULL_VAL;
        }
        switch (topic) {
            case ORDER_STATUS: return kind == FilterKind.USER || kind == FilterKind.ORDER;
            case STOCK: return kind == FilterKind.SKU;
            case FRAUD_ALERT: return kind == FilterKind.USER;
            case WINDOW_RESULT:
            case ANOMALY: return kind == FilterKind.WINDOW;
            case TRENDING: return kind == FilterKind.WINDOW || kind == FilterKind.USER;
            default: return false;
        }
    }
}
