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

    /** The topics a subscription may name, as "1 ORDER_STATUS, 2 STOCK, ...", for refusals. */
    public static String topicValues() {
        return named(Topic.values(), Topic.NULL_VAL, Topic::value);
    }

    /** The filter kinds a subscription may name, as "0 ALL, 1 USER, ...", for refusals. */
    public static String filterKindValues() {
        return named(FilterKind.values(), FilterKind.NULL_VAL, FilterKind::value);
    }

    private static <E extends Enum<E>> String named(final E[] values, final E none, final java.util.function.ToIntFunction<E> value) {
        final StringBuilder b = new StringBuilder();
        for (final E e : values) {
            if (e != none) {
                b.append(b.length() == 0 ? "" : ", ").append(value.applyAsInt(e)).append(' ').append(e);
            }
        }
        return b.toString();
    }
}
