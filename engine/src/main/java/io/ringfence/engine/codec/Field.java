package io.ringfence.engine.codec;

/**
 * The JSON field names the codec knows, top level and inside an order's {@code items}. Any other
 * name is ignored (DESIGN §4.1: unknown fields are ignored).
 */
enum Field {
    TYPE("type"),
    TIME("time"),
    ORDER_ID("orderId"),
    PAYMENT_ID("paymentId"),
    USER_ID("userId"),
    MERCHANT_ID("merchantId"),
    AMOUNT("amount"),
    CURRENCY("currency"),
    COUNTRY("country"),
    IP("ip"),
    DEVICE_ID("deviceId"),
    INSTRUMENT_ID("instrumentId"),
    CHANNEL("channel"),
    LABEL("label"),
    ITEMS("items"),
    RESULT("result"),
    STATUS("status"),
    SKU("sku"),
    ITEM("item"),
    WAREHOUSE("warehouse"),
    DELTA("delta"),
    LEVEL("level"),
    KIND("kind"),
    SESSION_ID("sessionId"),
    // Inside an item only.
    QTY("qty"),
    UNIT_PRICE("unitPrice"),
    CATEGORY("category");

    static final int COUNT = values().length;

    final String json;

    Field(final String json) {
        this.json = json;
    }

    /** The top-level field of that name, or {@code null}. */
    static Field topLevel(final String name) {
        switch (name) {
            case "type": return TYPE;
            case "time": return TIME;
            case "orderId": return ORDER_ID;
            case "paymentId": return PAYMENT_ID;
            case "userId": return USER_ID;
            case "merchantId": return MERCHANT_ID;
            case "amount": return AMOUNT;
            case "currency": return CURRENCY;
            case "country": return COUNTRY;
            case "ip": return IP;
            case "deviceId": return DEVICE_ID;
            case "instrumentId": return INSTRUMENT_ID;
            case "channel": return CHANNEL;
            case "label": return LABEL;
            case "items": return ITEMS;
            case "result": return RESULT;
            case "status": return STATUS;
            case "sku": return SKU;
            case "item": return ITEM;
            case "warehouse": return WAREHOUSE;
            case "delta": return DELTA;
            case "level": return LEVEL;
            case "kind": return KIND;
            case "sessionId": return SESSION_ID;
            default: return null;
        }
    }

    /** The item field of that name ({@code sku qty unitPrice category currency}), or {@code null}. */
    static Field inItem(final String name) {
        switch (name) {
            case "sku": return SKU;
            case "qty": return QTY;
            case "unitPrice": return UNIT_PRICE;
            case "category": return CATEGORY;
            case "currency": return CURRENCY;
            default: return null;
        }
    }
}
