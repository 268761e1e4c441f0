package io.ringfence.engine.fraud;

import java.util.Locale;

/**
 * The named fraud features, in a fixed order: {@link #ordinal()} is the feature's index in a
 * {@link FeatureVector}, and {@link #featureName()} the name rules, reason texts and the model
 * file use. Indices and names are stable: new features are appended, never inserted or renamed
 * (a model file stores weights by name, and an old journal must re-decide the same way).
 *
 * <p>Every value is computed from events <em>before</em> the one being scored (causal), as of its
 * event time. A value is {@link Double#NaN NaN} ("missing") when the event cannot have it, e.g.
 * the device features of a payment (payments carry no device or IP) or the z-score of a user with
 * too little history; no rule condition holds on a missing value. Velocity windows are sliding in
 * event time at the granularity of their buckets ({@link Horizon}). Amounts are minor units of the
 * event's currency, summed as they are (the engine has no FX rates; keys are rarely multi-currency).
 */
public enum Feature {
    /** The scored event's own amount, minor units. */
    AMOUNT("amount", "this order's or payment's amount, minor units"),
    /** 1 for a payment, 0 for an order. */
    IS_PAYMENT("is_payment", "1 for a payment, 0 for an order"),

    // --- order velocity: earlier orders per entity and horizon (count, then amount sum) ---
    USER_ORDERS_1M("user_orders_1m", "earlier orders of this user in the last minute"),
    USER_AMOUNT_1M("user_amount_1m", "amount of earlier orders of this user in the last minute"),
    USER_ORDERS_1H("user_orders_1h", "earlier orders of this user in the last hour"),
    USER_AMOUNT_1H("user_amount_1h", "amount of earlier orders of this user in the last hour"),
    USER_ORDERS_24H("user_orders_24h", "earlier orders of this user in the last 24 hours"),
    USER_AMOUNT_24H("user_amount_24h", "amount of earlier orders of this user in the last 24 hours"),
    DEVICE_ORDERS_1M("device_orders_1m", "earlier orders from this device in the last minute"),
    DEVICE_AMOUNT_1M("device_amount_1m", "amount of earlier orders from this device in the last minute"),
    DEVICE_ORDERS_1H("device_orders_1h", "earlier orders from this device in the last hour"),
    DEVICE_AMOUNT_1H("device_amount_1h", "amount of earlier orders from this device in the last hour"),
    DEVICE_ORDERS_24H("device_orders_24h", "earlier orders from this device in the last 24 hours"),
    DEVICE_AMOUNT_24H("device_amount_24h", "amount of earlier orders from this device in the last 24 hours"),
    IP_ORDERS_1M("ip_orders_1m", "earlier orders from this IP in the last minute"),
    IP_AMOUNT_1M("ip_amount_1m", "amount of earlier orders from this IP in the last minute"),
    IP_ORDERS_1H("ip_orders_1h", "earlier orders from this IP in the last hour"),
    IP_AMOUNT_1H("ip_amount_1h", "amount of earlier orders from this IP in the last hour"),
    IP_ORDERS_24H("ip_orders_24h", "earlier orders from this IP in the last 24 hours"),
    IP_AMOUNT_24H("ip_amount_24h", "amount of earlier orders from this IP in the last 24 hours"),
    INSTRUMENT_ORDERS_1M("instrument_orders_1m", "earlier orders paid with this instrument in the last minute"),
    INSTRUMENT_AMOUNT_1M("instrument_amount_1m", "amount of earlier orders with this instrument in the last minute"),
    INSTRUMENT_ORDERS_1H("instrument_orders_1h", "earlier orders paid with this instrument in the last hour"),
    INSTRUMENT_AMOUNT_1H("instrument_amount_1h", "amount of earlier orders with this instrument in the last hour"),
    INSTRUMENT_ORDERS_24H("instrument_orders_24h", "earlier orders paid with this instrument in the last 24 hours"),
    INSTRUMENT_AMOUNT_24H("instrument_amount_24h", "amount of earlier orders with this instrument in the last 24 hours"),

    // --- payment velocity: earlier payment attempts per entity and horizon (all, then failed) ---
    USER_PAYMENTS_1M("user_payments_1m", "earlier payment attempts of this user in the last minute"),
    USER_FAILED_PAYMENTS_1M("user_failed_payments_1m", "earlier DECLINED/FAILED attempts of this user in the last minute"),
    USER_PAYMENTS_1H("user_payments_1h", "earlier payment attempts of this user in the last hour"),
    USER_FAILED_PAYMENTS_1H("user_failed_payments_1h", "earlier DECLINED/FAILED attempts of this user in the last hour"),
    USER_PAYMENTS_24H("user_payments_24h", "earlier payment attempts of this user in the last 24 hours"),
    USER_FAILED_PAYMENTS_24H("user_failed_payments_24h", "earlier DECLINED/FAILED attempts of this user in the last 24 hours"),
    INSTRUMENT_PAYMENTS_1M("instrument_payments_1m", "earlier payment attempts on this instrument in the last minute"),
    INSTRUMENT_FAILED_PAYMENTS_1M("instrument_failed_payments_1m", "earlier DECLINED/FAILED attempts on this instrument in the last minute"),
    INSTRUMENT_PAYMENTS_1H("instrument_payments_1h", "earlier payment attempts on this instrument in the last hour"),
    INSTRUMENT_FAILED_PAYMENTS_1H("instrument_failed_payments_1h", "earlier DECLINED/FAILED attempts on this instrument in the last hour"),
    INSTRUMENT_PAYMENTS_24H("instrument_payments_24h", "earlier payment attempts on this instrument in the last 24 hours"),
    INSTRUMENT_FAILED_PAYMENTS_24H("instrument_failed_payments_24h", "earlier DECLINED/FAILED attempts on this instrument in the last 24 hours"),

    // --- history ---
    USER_FAIL_RATIO("user_fail_ratio", "(failed + rate*weight) / (attempts + weight) over the user's earlier payment attempts"),
    INSTRUMENT_FAIL_RATIO("instrument_fail_ratio", "(failed + rate*weight) / (attempts + weight) over the instrument's earlier attempts"),
    USER_PRIOR_ORDERS("user_prior_orders", "earlier orders of this user while its state is kept"),
    USER_MEAN_AMOUNT("user_mean_amount", "mean amount of the user's earlier orders; missing without one"),
    USER_AMOUNT_ZSCORE("user_amount_zscore",
        "(amount - mean) / max(stddev, 0.1*|mean|, 1) over the user's earlier orders; missing below zscoreMinHistory orders"),
    SECONDS_SINCE_SIGNUP("seconds_since_signup", "event time minus the user's SIGNUP time, seconds; missing when none seen"),
    NO_SIGNUP_SEEN("no_signup_seen", "1 when no SIGNUP activity of this user is known, else 0"),
    DEVICE_OTHER_USERS_24H("device_other_users_24h",
        "distinct users other than this one on this device (orders, SIGNUP, LOGIN) in the last 24 hours, at most 16"),
    IP_OTHER_USERS_24H("ip_other_users_24h",
        "distinct users other than this one on this IP (orders, SIGNUP, LOGIN) in the last 24 hours, at most 16"),
    NEW_DEVICE_FOR_USER("new_device_for_user", "1 when the device is not among the user's last 8 order devices"),
    NEW_IP_FOR_USER("new_ip_for_user", "1 when the IP is not among the user's last 8 order IPs"),
    NEW_INSTRUMENT_FOR_USER("new_instrument_for_user", "1 when the instrument is not among the user's last 8 instruments"),
    IP_COUNTRY_MISMATCH("ip_country_mismatch", "1 when the previous order from this IP (any user) had another country"),
    USER_COUNTRY_CHANGE("user_country_change", "1 when the user's previous order had another country"),

    // --- appended: longer memory of shared devices and IPs ---
    DEVICE_PRIOR_USERS("device_prior_users",
        "distinct users other than this one seen on this device (orders, SIGNUP, LOGIN) while its state is kept, at most 16"),
    IP_PRIOR_USERS("ip_prior_users",
        "distinct users other than this one seen on this IP (orders, SIGNUP, LOGIN) while its state is kept, at most 16"),

    // --- appended: goods the shop names as high-risk ---
    RISKY_ITEMS("risky_items",
        "item lines of this order whose sku or category is on fraud.riskyItems; 0 when the lists are empty; missing on payments");

    /** Number of features: the length of every {@link FeatureVector}. */
    public static final int COUNT = values().length;

    private static final Feature[] VALUES = values();

    private final String featureName;
    private final String description;

    Feature(final String featureName, final String description) {
        this.featureName = featureName;
        this.description = description;
    }

    /** The snake_case name used in rules, reasons and the model file. */
    public String featureName() {
        return featureName;
    }

    public String description() {
        return description;
    }

    /** The feature at an index. */
    public static Feature at(final int index) {
        return VALUES[index];
    }

    /** The feature named so (case-insensitive), or null. */
    public static Feature byName(final String name) {
        final String n = name.trim().toLowerCase(Locale.ROOT);
        for (final Feature f : VALUES) {
            if (f.featureName.equals(n)) {
                return f;
            }
        }
        return null;
    }

    /** Every feature name, in index order, comma separated (error messages). */
    public static String names() {
        final StringBuilder sb = new StringBuilder();
        for (final Feature f : VALUES) {
            if (sb.length() > 0) {
                sb.append(", ");
            }
            sb.append(f.featureName);
        }
        return sb.toString();
    }

    // Index arithmetic for the velocity blocks (checked by FeatureTest).
    static final int ORDER_VELOCITY_BASE = USER_ORDERS_1M.ordinal();
    static final int PAYMENT_VELOCITY_BASE = USER_PAYMENTS_1M.ordinal();

    /** Index of the order count of an entity (0 user, 1 device, 2 ip, 3 instrument) and horizon; amount is +1. */
    static int orderVelocity(final int entity, final int horizon) {
        return ORDER_VELOCITY_BASE + entity * 2 * Horizon.COUNT + horizon * 2;
    }

    /** Index of the payment attempt count of an entity (0 user, 1 instrument) and horizon; failed is +1. */
    static int paymentVelocity(final int entity, final int horizon) {
        return PAYMENT_VELOCITY_BASE + entity * 2 * Horizon.COUNT + horizon * 2;
    }
}
