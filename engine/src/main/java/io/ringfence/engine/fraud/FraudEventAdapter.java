package io.ringfence.engine.fraud;

import io.ringfence.sbe.ActivityDecoder;
import io.ringfence.sbe.ActivityKind;
import io.ringfence.sbe.MessageHeaderDecoder;
import io.ringfence.sbe.OrderDecoder;
import io.ringfence.sbe.PaymentDecoder;
import io.ringfence.sbe.PaymentResult;
import org.agrona.DirectBuffer;

/**
 * Decodes what fraud scoring needs from an inbound SBE event, in place: kind, event time, amount,
 * the keys of user, device, IP, instrument and country ({@link FraudIds#hash}; an empty field is
 * {@link FraudIds#ABSENT}), the payment result and the activity kind, and on request an order's
 * risky item lines ({@link #riskyLines}). One instance, rewrapped per event; allocation-free.
 */
final class FraudEventAdapter {
    static final int OTHER = 0;
    static final int ORDER = 1;
    static final int PAYMENT = 2;
    static final int ACTIVITY = 3;

    static final int ID = OrderDecoder.userIdLength();
    private static final int IP = OrderDecoder.ipLength();
    private static final int SKU_IN_LINE = OrderDecoder.ItemsDecoder.skuEncodingOffset();
    private static final int CATEGORY_IN_LINE = OrderDecoder.ItemsDecoder.categoryEncodingOffset();
    private static final int SKU = OrderDecoder.ItemsDecoder.skuLength();
    private static final int CATEGORY = OrderDecoder.ItemsDecoder.categoryLength();

    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final OrderDecoder order = new OrderDecoder();
    private final PaymentDecoder payment = new PaymentDecoder();
    private final ActivityDecoder activity = new ActivityDecoder();
    /** A payment's order's user and instrument ids ({@link OrderParties}), when the payment names neither. */
    private final org.agrona.concurrent.UnsafeBuffer parties = new org.agrona.concurrent.UnsafeBuffer(new byte[2 * ID]);
    private OrderParties orders = OrderParties.NONE;

    int kind;
    long time;
    long amount;
    long user;
    long device;
    long ip;
    long instrument;
    long country;
    /** Payments: counts as an attempt (AUTHORIZED, DECLINED, FAILED). */
    boolean attempt;
    /** Payments: DECLINED or FAILED. */
    boolean failed;
    /** Payments: REFUNDED or CHARGEBACK, money going back to the customer: not scored ({@link FraudScorer}). */
    boolean moneyBack;
    /** Activities: SIGNUP. */
    boolean signup;
    /** Activities: SIGNUP or LOGIN (a use of the device and IP). */
    boolean login;
    /** Payments: the user is its order's ({@link OrderParties}), the payment naming none. */
    boolean userFromOrder;
    /** Payments: the instrument is its order's, the payment naming none. */
    boolean instrumentFromOrder;

    /** The user id (0) or instrument id ({@code ID}) the last payment took from its order, as text (explain; allocates). */
    String fromOrder(final int at) {
        int length = 0;
        while (length < ID && parties.getByte(at + length) != 0) {
            length++;
        }
        return parties.getStringWithoutLengthUtf8(at, length);
    }

    /** Where a payment that names its order but not its user or card finds them (set once, before the first event). */
    void joinOrdersWith(final OrderParties parties) {
        this.orders = parties;
    }

    /** @return the kind: {@link #ORDER}, {@link #PAYMENT}, {@link #ACTIVITY} or {@link #OTHER} */
    int wrap(final DirectBuffer buffer, final int offset) {
        header.wrap(buffer, offset);
        kind = OTHER;
        userFromOrder = false;
        instrumentFromOrder = false;
        if (header.schemaId() != OrderDecoder.SCHEMA_ID) {
            return kind;
        }
        final int body = offset + MessageHeaderDecoder.ENCODED_LENGTH;
        final int blockLength = header.blockLength();
        final int version = header.version();
        switch (header.templateId()) {
            case OrderDecoder.TEMPLATE_ID:
                order.wrap(buffer, body, blockLength, version);
                kind = ORDER;
                time = order.eventTime();
                amount = order.amount();
                user = FraudIds.hash(buffer, body + OrderDecoder.userIdEncodingOffset(), ID);
                device = FraudIds.hash(buffer, body + OrderDecoder.deviceIdEncodingOffset(), ID);
                ip = FraudIds.hash(buffer, body + OrderDecoder.ipEncodingOffset(), IP);
                instrument = FraudIds.hash(buffer, body + OrderDecoder.instrumentIdEncodingOffset(), ID);
                country = FraudIds.hash(buffer, body + OrderDecoder.countryEncodingOffset(), ID);
                attempt = false;
                failed = false;
                moneyBack = false;
                signup = false;
                login = false;
                break;
            case PaymentDecoder.TEMPLATE_ID:
                payment.wrap(buffer, body, blockLength, version);
                kind = PAYMENT;
                time = payment.eventTime();
                amount = payment.amount();
                user = FraudIds.hash(buffer, body + PaymentDecoder.userIdEncodingOffset(), ID);
                device = FraudIds.ABSENT;
                ip = FraudIds.ABSENT;
                instrument = FraudIds.hash(buffer, body + PaymentDecoder.instrumentIdEncodingOffset(), ID);
                if ((user == FraudIds.ABSENT || instrument == FraudIds.ABSENT) && orders.copyParties(
                        io.ringfence.engine.model.Ids.hash(buffer, body + PaymentDecoder.orderIdEncodingOffset(), ID), time, parties)) {
                    // the payment names its order but not its user or card: its order's (analyst trial: a payment of an
                    // order declined for a denied card was approved, its user's features all missing)
                    if (user == FraudIds.ABSENT) {
                        user = FraudIds.hash(parties, 0, ID);
                        userFromOrder = user != FraudIds.ABSENT;
                    }
                    if (instrument == FraudIds.ABSENT) {
                        instrument = FraudIds.hash(parties, ID, ID);
                        instrumentFromOrder = instrument != FraudIds.ABSENT;
                    }
                }
                country = FraudIds.ABSENT;
                final PaymentResult result = payment.result();
                failed = result == PaymentResult.DECLINED || result == PaymentResult.FAILED;
                attempt = failed || result == PaymentResult.AUTHORIZED;
                moneyBack = result == PaymentResult.REFUNDED || result == PaymentResult.CHARGEBACK;
                signup = false;
                login = false;
                break;
            case ActivityDecoder.TEMPLATE_ID:
                activity.wrap(buffer, body, blockLength, version);
                kind = ACTIVITY;
                time = activity.eventTime();
                amount = 0;
                user = FraudIds.hash(buffer, body + ActivityDecoder.userIdEncodingOffset(), ID);
                device = FraudIds.hash(buffer, body + ActivityDecoder.deviceIdEncodingOffset(), ID);
                ip = FraudIds.hash(buffer, body + ActivityDecoder.ipEncodingOffset(), IP);
                instrument = FraudIds.ABSENT;
                country = FraudIds.ABSENT;
                final ActivityKind k = activity.kind();
                signup = k == ActivityKind.SIGNUP;
                login = signup || k == ActivityKind.LOGIN;
                attempt = false;
                failed = false;
                moneyBack = false;
                break;
            default:
                break;
        }
        return kind;
    }

    /**
     * Orders: the item lines whose sku or category is on {@code risky}, read from the items group of
     * the order last {@link #wrap wrapped} (call once per order, after {@code wrap}). Allocation-free:
     * the group decoder is reused and each line's sku and category are hashed in place.
     */
    int riskyLines(final RiskyItems risky) {
        final OrderDecoder.ItemsDecoder items = order.items();
        final int lineLength = items.actingBlockLength();
        final DirectBuffer buffer = order.buffer();
        int n = 0;
        while (items.hasNext()) {
            items.next();
            // next() moved the message's limit to the end of this line
            final int line = order.limit() - lineLength;
            final long sku = FraudIds.hash(buffer, line + SKU_IN_LINE, SKU);
            final long category = FraudIds.hash(buffer, line + CATEGORY_IN_LINE, CATEGORY);
            if (risky.matches(sku, category)) {
                n++;
            }
        }
        return n;
    }

    static boolean present(final long idHash) {
        return idHash != FraudIds.ABSENT;
    }
}
