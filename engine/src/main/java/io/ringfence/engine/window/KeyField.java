package io.ringfence.engine.window;

import io.ringfence.engine.model.Ids;

/**
 * An identifier field of an inbound event that a window can be keyed by, or count distinct or
 * top-k values of. Each has a short configuration name and the event field name
 * ({@code user} / {@code userId}); both are accepted.
 *
 * <p>Where the field lives:
 * <pre>
 *   field       Order            Payment   Activity
 *   user        userId           userId    userId
 *   device      deviceId         -         deviceId
 *   ip          ip (46 bytes)    -         ip
 *   instrument  instrumentId     instrumentId -
 *   merchant    merchantId       (order's) -
 *   sku         items[].sku      -         sku
 *   category    items[].category -         -
 *   country     country          -         -
 *   order       orderId          orderId   -
 *   currency    currency         currency  -
 * </pre>
 * A payment carries no merchant: its {@code merchant} is the one of its order as the order
 * lifecycle stage holds it ({@link OrderMerchants}), and unknown when the order is not held.
 * {@code currency} is the key for shop-wide series of payments, which carry no country
 * (e.g. the payment failure rate per currency).
 * {@code sku} and {@code category} of an order are per item line.
 */
public enum KeyField {
    USER("user", "userId", Ids.MAX_ID_BYTES, true, false, true, true, true),
    DEVICE("device", "deviceId", Ids.MAX_ID_BYTES, true, false, true, false, true),
    IP("ip", "ip", 46, true, false, true, false, true),
    INSTRUMENT("instrument", "instrumentId", Ids.MAX_ID_BYTES, true, false, true, true, false),
    MERCHANT("merchant", "merchantId", Ids.MAX_ID_BYTES, true, false, true, true, false), // a payment's: its order's
    SKU("sku", "sku", Ids.MAX_ID_BYTES, true, true, true, false, true),
    CATEGORY("category", "category", Ids.MAX_ID_BYTES, true, true, true, false, false),
    COUNTRY("country", "country", Ids.MAX_ID_BYTES, true, false, true, false, false),
    ORDER("order", "orderId", Ids.MAX_ID_BYTES, false, false, true, true, false),
    CURRENCY("currency", "currency", 3, true, false, true, true, false);

    private final String shortName;
    private final String fieldName;
    private final int maxLength;
    private final boolean keyable;
    private final boolean itemLevel;
    private final boolean inOrder;
    private final boolean inPayment;
    private final boolean inActivity;

    KeyField(final String shortName, final String fieldName, final int maxLength, final boolean keyable,
             final boolean itemLevel, final boolean inOrder, final boolean inPayment, final boolean inActivity) {
        this.shortName = shortName;
        this.fieldName = fieldName;
        this.maxLength = maxLength;
        this.keyable = keyable;
        this.itemLevel = itemLevel;
        this.inOrder = inOrder;
        this.inPayment = inPayment;
        this.inActivity = inActivity;
    }

    /** Configuration short name, e.g. {@code user}. */
    public String shortName() {
        return shortName;
    }

    /** Event field name, e.g. {@code userId}; also the suffix of output metric names ({@code distinctUserId}). */
    public String fieldName() {
        return fieldName;
    }

    /** Width of the NUL-padded field in the SBE message. */
    public int maxLength() {
        return maxLength;
    }

    /** Whether windows can be keyed by it ({@code order} cannot: a window per order is pointless). */
    public boolean keyable() {
        return keyable;
    }

    /** True for fields of an order's item lines ({@code sku}, {@code category}). */
    public boolean itemLevel() {
        return itemLevel;
    }

    /** Whether events of the type carry this field (a payment's merchant: joined from its order). */
    public boolean presentIn(final EventType type) {
        switch (type) {
            case ORDER: return inOrder;
            case PAYMENT: return inPayment;
            default: return inActivity;
        }
    }

    static KeyField fromConfig(final String text) {
        for (final KeyField f : values()) {
            if (f.shortName.equals(text) || f.fieldName.equals(text)) {
                return f;
            }
        }
        return null;
    }

    static String allNames(final boolean keysOnly) {
        final StringBuilder sb = new StringBuilder();
        for (final KeyField f : values()) {
            if (keysOnly && !f.keyable) {
                continue;
            }
            if (sb.length() > 0) {
                sb.append(", ");
            }
            sb.append(f.shortName);
            if (!f.fieldName.equals(f.shortName)) {
                sb.append('|').append(f.fieldName);
            }
        }
        return sb.toString();
    }
}
