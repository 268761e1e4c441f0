package io.ringfence.engine.window;

import io.ringfence.sbe.ActivityDecoder;
import io.ringfence.sbe.MessageHeaderDecoder;
import io.ringfence.sbe.OrderDecoder;
import io.ringfence.sbe.PaymentDecoder;
import io.ringfence.sbe.PaymentResult;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;

import static io.ringfence.engine.model.Mix64.mix;

/**
 * Decodes the inbound event the window stage is looking at into what windows need: its type,
 * event time, amount, currency, and the absolute buffer offsets of its id fields (so ids are
 * hashed and copied in place, never turned into Strings). One instance, rewrapped per event.
 *
 * <p>Order item lines are addressed by index: line {@code i} starts at
 * {@code itemsBase + 4 + i * itemBlockLength} (SBE group header of 4 bytes: blockLength, numInGroup).
 *
 * <p>A payment's {@code merchant} is its order's, joined through {@link OrderMerchants} the first
 * time a window asks for it in this event: the id is copied into a buffer of the adapter's own
 * (so {@link #bufferAt} of that slot is not {@link #buffer}); an order not held, or held without a
 * merchant, leaves the field {@link #ABSENT}.
 */
final class InboundEventAdapter {
    static final int ABSENT = -1;
    /** {@link #fieldOffset} of a payment's merchant before the join is tried. */
    private static final int JOIN = -2;
    private static final int MERCHANT = KeyField.MERCHANT.ordinal();
    private static final int USER = KeyField.USER.ordinal();
    private static final int INSTRUMENT = KeyField.INSTRUMENT.ordinal();
    private static final int ID = io.ringfence.engine.model.Ids.MAX_ID_BYTES;

    /** Item lines whose sku/category hashes are cached per event; later lines are scanned on each use. */
    static final int CACHED_LINES = 64;
    private static final int FIELDS = KeyField.values().length;
    private static final int SKU_SLOTS = FIELDS;
    private static final int CATEGORY_SLOTS = SKU_SLOTS + CACHED_LINES;
    private static final int SCRATCH = CATEGORY_SLOTS + CACHED_LINES;
    private static final int SLOTS = SCRATCH + 1;
    private static final int SKU_IN_ITEM = OrderDecoder.ItemsDecoder.skuEncodingOffset();
    private static final int CATEGORY_IN_ITEM = OrderDecoder.ItemsDecoder.categoryEncodingOffset();

    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    private static final int HASH_CACHE_BITS = 12;

    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final OrderDecoder order = new OrderDecoder();
    private final PaymentDecoder payment = new PaymentDecoder();
    private final ActivityDecoder activity = new ActivityDecoder();
    private final int[] fieldOffset = new int[KeyField.values().length];
    /** Holds the merchant id joined to a payment (see class comment). */
    private final UnsafeBuffer joined = new UnsafeBuffer(new byte[KeyField.MERCHANT.maxLength()]);
    /** Holds the user (at 0) and instrument (at {@code ID}) ids of a payment's order, for a payment naming none. */
    private final UnsafeBuffer parties = new UnsafeBuffer(new byte[2 * ID]);
    /** This event's payment: its order's parties not looked up yet (0), held (1), not held (-1). */
    private int partiesState;
    /** Slots (user, instrument) whose id lies in {@link #parties}, this event. */
    private int joinedSlots;
    private OrderMerchants merchants = OrderMerchants.NONE;

    private DirectBuffer buffer;
    private EventType type;
    private long time;
    private long amount;
    private long qtyTotal;
    private boolean paymentAttempt;
    private boolean paymentFailed;
    private int currencyOffset;
    private int itemsBase;
    private int itemCount;
    private int itemBlockLength;

    // Per-event cache of id hashes and lengths (see slot()): each id field is scanned once per
    // event however many windows key by it or count it.
    private final long[] slotHash = new long[SLOTS];
    private final int[] slotLength = new int[SLOTS];
    private final int[] slotOffset = new int[SLOTS];
    private final long[] slotWord0 = new long[SLOTS];
    private final long[] slotWord1 = new long[SLOTS];
    private int fieldsScanned;
    private long skuLinesScanned;
    private long categoryLinesScanned;
    private boolean currencyScanned;
    /** Direct-mapped (k0, k1, hash, length + 1) of recently seen ids shorter than 16 bytes; 128 KB. */
    private final long[] hashCache = new long[4 << HASH_CACHE_BITS];
    private long currencyHash;

    /**
     * @param offset where the SBE message header starts
     * @return false when the message is not an order, payment or activity of this schema
     */
    boolean wrap(final DirectBuffer buffer, final int offset) {
        header.wrap(buffer, offset);
        if (header.schemaId() != OrderDecoder.SCHEMA_ID) {
            return false;
        }
        this.buffer = buffer;
        final int body = offset + MessageHeaderDecoder.ENCODED_LENGTH;
        final int blockLength = header.blockLength();
        final int version = header.version();
        fieldsScanned = 0;
        skuLinesScanned = 0;
        categoryLinesScanned = 0;
        currencyScanned = false;
        itemCount = 0;
        qtyTotal = 0;
        paymentAttempt = false;
        paymentFailed = false;
        partiesState = 0;
        joinedSlots = 0;
        switch (header.templateId()) {
            case OrderDecoder.TEMPLATE_ID:
                order.wrap(buffer, body, blockLength, version);
                type = EventType.ORDER;
                time = order.eventTime();
                amount = order.amount();
                currencyOffset = body + OrderDecoder.currencyEncodingOffset();
                fieldOffset[KeyField.USER.ordinal()] = body + OrderDecoder.userIdEncodingOffset();
                fieldOffset[KeyField.DEVICE.ordinal()] = body + OrderDecoder.deviceIdEncodingOffset();
                fieldOffset[KeyField.IP.ordinal()] = body + OrderDecoder.ipEncodingOffset();
                fieldOffset[KeyField.INSTRUMENT.ordinal()] = body + OrderDecoder.instrumentIdEncodingOffset();
                fieldOffset[KeyField.MERCHANT.ordinal()] = body + OrderDecoder.merchantIdEncodingOffset();
                fieldOffset[KeyField.COUNTRY.ordinal()] = body + OrderDecoder.countryEncodingOffset();
                fieldOffset[KeyField.ORDER.ordinal()] = body + OrderDecoder.orderIdEncodingOffset();
                fieldOffset[KeyField.CURRENCY.ordinal()] = currencyOffset;
                fieldOffset[KeyField.SKU.ordinal()] = ABSENT; // per item line in orders: see offsetOf
                fieldOffset[KeyField.CATEGORY.ordinal()] = ABSENT;
                itemsBase = body + blockLength;
                itemBlockLength = buffer.getShort(itemsBase, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
                itemCount = buffer.getShort(itemsBase + 2, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
                for (int i = 0; i < itemCount; i++) {
                    qtyTotal += itemQty(i);
                }
                return true;
            case PaymentDecoder.TEMPLATE_ID:
                payment.wrap(buffer, body, blockLength, version);
                type = EventType.PAYMENT;
                time = payment.eventTime();
                amount = payment.amount();
                final short result = payment.resultRaw();
                paymentFailed = result == PaymentResult.DECLINED.value() || result == PaymentResult.FAILED.value();
                paymentAttempt = paymentFailed || result == PaymentResult.AUTHORIZED.value();
                currencyOffset = body + PaymentDecoder.currencyEncodingOffset();
                fieldOffset[KeyField.USER.ordinal()] = body + PaymentDecoder.userIdEncodingOffset();
                fieldOffset[KeyField.INSTRUMENT.ordinal()] = body + PaymentDecoder.instrumentIdEncodingOffset();
                fieldOffset[KeyField.ORDER.ordinal()] = body + PaymentDecoder.orderIdEncodingOffset();
                fieldOffset[KeyField.CURRENCY.ordinal()] = currencyOffset;
                fieldOffset[KeyField.DEVICE.ordinal()] = ABSENT;
                fieldOffset[KeyField.IP.ordinal()] = ABSENT;
                fieldOffset[MERCHANT] = JOIN; // the order's, looked up when a window first asks
                fieldOffset[KeyField.SKU.ordinal()] = ABSENT;
                fieldOffset[KeyField.CATEGORY.ordinal()] = ABSENT;
                fieldOffset[KeyField.COUNTRY.ordinal()] = ABSENT;
                return true;
            case ActivityDecoder.TEMPLATE_ID:
                activity.wrap(buffer, body, blockLength, version);
                type = EventType.ACTIVITY;
                time = activity.eventTime();
                amount = 0;
                currencyOffset = ABSENT;
                fieldOffset[KeyField.USER.ordinal()] = body + ActivityDecoder.userIdEncodingOffset();
                fieldOffset[KeyField.DEVICE.ordinal()] = body + ActivityDecoder.deviceIdEncodingOffset();
                fieldOffset[KeyField.IP.ordinal()] = body + ActivityDecoder.ipEncodingOffset();
                fieldOffset[KeyField.SKU.ordinal()] = body + ActivityDecoder.skuEncodingOffset();
                fieldOffset[KeyField.INSTRUMENT.ordinal()] = ABSENT;
                fieldOffset[KeyField.MERCHANT.ordinal()] = ABSENT;
                fieldOffset[KeyField.CATEGORY.ordinal()] = ABSENT;
                fieldOffset[KeyField.COUNTRY.ordinal()] = ABSENT;
                fieldOffset[KeyField.ORDER.ordinal()] = ABSENT;
                fieldOffset[KeyField.CURRENCY.ordinal()] = ABSENT;
                return true;
            default:
                return false;
        }
    }

    /** Where payments' merchants come from (set-up time; {@link OrderMerchants#NONE} until then). */
    void joinMerchants(final OrderMerchants merchants) {
        this.merchants = merchants == null ? OrderMerchants.NONE : merchants;
    }

    DirectBuffer buffer() {
        return buffer;
    }

    /** The buffer the id in that {@link #slot} lies in: the event's, except a payment's joined merchant. */
    DirectBuffer bufferAt(final int slot) {
        if (type != EventType.PAYMENT || slot >= FIELDS) {
            return buffer;
        }
        return slot == MERCHANT ? joined : (joinedSlots & (1 << slot)) != 0 ? parties : buffer;
    }

    EventType type() {
        return type;
    }

    long time() {
        return time;
    }

    /** Order or payment amount in minor units; 0 for activities. */
    long amount() {
        return amount;
    }

    /** A payment whose result is AUTHORIZED, DECLINED or FAILED (an attempt, not a later step). */
    boolean paymentAttempt() {
        return paymentAttempt;
    }

    /** A payment whose result is DECLINED or FAILED. */
    boolean paymentFailed() {
        return paymentFailed;
    }

    /** Sum of the order's item quantities; 0 for other events. */
    long qtyTotal() {
        return qtyTotal;
    }

    /** Absolute offset of the 3-byte currency, or {@link #ABSENT}. */
    int currencyOffset() {
        return currencyOffset;
    }

    int itemCount() {
        return itemCount;
    }

    /** True when the field is per item line in this event (sku, category of an order). */
    boolean perLine(final KeyField field) {
        return field.itemLevel() && type == EventType.ORDER;
    }

    /**
     * Absolute offset of a field in {@link #buffer}, or {@link #ABSENT} (also for a payment's
     * merchant, which is not in the event: see {@link #slot}).
     *
     * @param line item line for per-line fields (ignored otherwise); a per-line field with line
     *             {@code < 0} is {@link #ABSENT}
     */
    int offsetOf(final KeyField field, final int line) {
        if (perLine(field)) {
            if (line < 0 || line >= itemCount) {
                return ABSENT;
            }
            final int at = itemOffset(line);
            return at + (field == KeyField.SKU
                ? OrderDecoder.ItemsDecoder.skuEncodingOffset()
                : OrderDecoder.ItemsDecoder.categoryEncodingOffset());
        }
        final int at = fieldOffset[field.ordinal()];
        return at < 0 || field == KeyField.MERCHANT && type == EventType.PAYMENT ? ABSENT : at;
    }

    /**
     * Scans the id field at that position once per event (later calls hit the cache) and returns
     * the cache slot holding its {@link #hashAt hash}, {@link #lengthAt length} and
     * {@link #offsetAt offset}; or -1 when the field is {@link #offsetOf absent} there. A present
     * but empty field has length 0. The slot of an uncached line (≥ {@value #CACHED_LINES}) is
     * overwritten by the next such call: read it at once.
     */
    int slot(final KeyField field, final int line) {
        if (field.itemLevel() && type == EventType.ORDER) {
            return lineSlot(field, line);
        }
        final int s = field.ordinal();
        final int at = fieldOffset[s];
        if (at < 0) {
            return at == JOIN ? joinMerchant() : ABSENT;
        }
        final int bit = 1 << s;
        if ((fieldsScanned & bit) == 0) {
            fieldsScanned |= bit;
            scan(buffer, s, at, field.maxLength());
            if (slotLength[s] == 0 && type == EventType.PAYMENT && (s == USER || s == INSTRUMENT)) {
                joinParty(field, s);
            }
        }
        return s;
    }

    /**
     * A payment naming no user (or card): its order's, once per event, as fraud scoring judges it (OrderMerchants
     * #copyParties); left empty when the order is not held or names none.
     */
    private void joinParty(final KeyField field, final int s) {
        if (partiesState == 0) {
            final int order = slot(KeyField.ORDER, -1);
            partiesState = order >= 0 && slotLength[order] != 0 && merchants.copyParties(slotHash[order], time, parties) ? 1 : -1;
        }
        final int at = s == USER ? 0 : ID;
        if (partiesState > 0 && parties.getByte(at) != 0) {
            scan(parties, s, at, field.maxLength());
            joinedSlots |= 1 << s;
        }
    }

    /**
     * The merchant of this payment's order, once per event: its slot, or {@link #ABSENT} when the
     * order is not held or has no merchant (then {@link #merchantUnknown} is true).
     */
    private int joinMerchant() {
        final int order = slot(KeyField.ORDER, -1);
        if (order >= 0 && slotLength[order] != 0 && merchants.copyMerchant(slotHash[order], time, joined)) {
            scan(joined, MERCHANT, 0, KeyField.MERCHANT.maxLength());
            if (slotLength[MERCHANT] != 0) {
                fieldOffset[MERCHANT] = 0;
                fieldsScanned |= 1 << MERCHANT;
                return MERCHANT;
            }
        }
        fieldOffset[MERCHANT] = ABSENT;
        return ABSENT;
    }

    /**
     * True for a payment whose order's merchant is not known (the order is not held, or was held
     * without a merchant), joining it if no window asked yet; false for other events.
     */
    boolean merchantUnknown() {
        return type == EventType.PAYMENT && slot(KeyField.MERCHANT, -1) < 0;
    }

    /** {@link #slot} of an order's sku or category (kept out of slot() so that stays small enough to inline). */
    private int lineSlot(final KeyField field, final int line) {
        if (line < 0 || line >= itemCount) {
            return ABSENT;
        }
        final boolean sku = field == KeyField.SKU;
        final int at = itemOffset(line) + (sku ? SKU_IN_ITEM : CATEGORY_IN_ITEM);
        if (line >= CACHED_LINES) {
            scan(buffer, SCRATCH, at, field.maxLength());
            return SCRATCH;
        }
        final long bit = 1L << line;
        if (sku) {
            final int s = SKU_SLOTS + line;
            if ((skuLinesScanned & bit) == 0) {
                skuLinesScanned |= bit;
                scan(buffer, s, at, field.maxLength());
            }
            return s;
        }
        final int s = CATEGORY_SLOTS + line;
        if ((categoryLinesScanned & bit) == 0) {
            categoryLinesScanned |= bit;
            scan(buffer, s, at, field.maxLength());
        }
        return s;
    }

    /** {@code Ids.hash} of the id in that slot. */
    long hashAt(final int slot) {
        return slotHash[slot];
    }

    /** {@code Ids.length} of the id in that slot (0 = empty). */
    int lengthAt(final int slot) {
        return slotLength[slot];
    }

    /** For ids shorter than 16 bytes: their first 8 bytes, little-endian, zero from the length on. */
    long word0At(final int slot) {
        return slotWord0[slot];
    }

    /** For ids shorter than 16 bytes: bytes 8..15, little-endian, zero from the length on. */
    long word1At(final int slot) {
        return slotWord1[slot];
    }

    /** Absolute offset of the id in that slot, in {@link #bufferAt}. */
    int offsetAt(final int slot) {
        return slotOffset[slot];
    }

    /** {@code Ids.hash(buffer, currencyOffset(), 3)}, computed once per event; only when the currency is present. */
    long currencyHash() {
        if (!currencyScanned) {
            currencyScanned = true;
            long h = FNV_OFFSET;
            for (int i = 0; i < 3; i++) {
                final byte v = buffer.getByte(currencyOffset + i);
                if (v == 0) {
                    break;
                }
                h = (h ^ (v & 0xff)) * FNV_PRIME;
            }
            currencyHash = mix(h);
        }
        return currencyHash;
    }

    /**
     * Computes {@code Ids.hash(buffer, at, max)} and {@code Ids.length(buffer, at, max)} in one
     * pass, 8 bytes per bounds-checked read (the first NUL found with the SWAR zero-byte test),
     * never reading past {@code at + max}. Same FNV-1a + murmur3 bits as {@link io.ringfence.engine.model.Ids}.
     */
    private void scan(final DirectBuffer b, final int slot, final int at, final int max) {
        if (max >= 16) {
            final long w0 = b.getLong(at, ByteOrder.LITTLE_ENDIAN);
            final long z0 = (w0 - ONES) & ~w0 & HIGHS;
            final long k0;
            final long k1;
            final int length;
            if (z0 != 0) {
                length = Long.numberOfTrailingZeros(z0) >>> 3;
                k0 = w0 & ~(-1L << (length << 3)); // length < 8: keep the id's bytes, zero the rest
                k1 = 0;
            } else {
                final long w1 = b.getLong(at + 8, ByteOrder.LITTLE_ENDIAN);
                final long z1 = (w1 - ONES) & ~w1 & HIGHS;
                if (z1 == 0) {
                    scanLong(b, slot, at, max);
                    return;
                }
                final int tail = Long.numberOfTrailingZeros(z1) >>> 3;
                length = 8 + tail;
                k0 = w0;
                k1 = w1 & ~(-1L << (tail << 3));
            }
            // Ids shorter than 16 bytes are fully described by (k0, k1): look their hash up in a
            // direct-mapped cache instead of running FNV-1a (4 dependent cycles per byte) again.
            final long[] cache = hashCache;
            final int e = (int) (((k0 * 0x9e3779b97f4a7c15L) ^ (k1 * 0xc2b2ae3d27d4eb4fL)) >>> (64 - HASH_CACHE_BITS)) << 2;
            final long h;
            if (cache[e + 3] == length + 1 && cache[e] == k0 && cache[e + 1] == k1) {
                h = cache[e + 2];
            } else {
                h = mix(fnv(fnv(FNV_OFFSET, k0, Math.min(length, 8)), k1, length - 8));
                cache[e] = k0;
                cache[e + 1] = k1;
                cache[e + 2] = h;
                cache[e + 3] = length + 1;
            }
            slotHash[slot] = h;
            slotLength[slot] = length;
            slotOffset[slot] = at;
            slotWord0[slot] = k0;
            slotWord1[slot] = k1;
            return;
        }
        scanLong(b, slot, at, max);
    }

    /** FNV-1a over the low {@code n} bytes of {@code w} (n ≤ 8; none when n ≤ 0). */
    private static long fnv(long h, long w, final int n) {
        for (int k = 0; k < n; k++) {
            h = (h ^ (w & 0xff)) * FNV_PRIME;
            w >>>= 8;
        }
        return h;
    }

    private void scanLong(final DirectBuffer b, final int slot, final int at, final int max) {
        long h = FNV_OFFSET;
        int i = 0;
        while (i + 8 <= max) {
            final long w = b.getLong(at + i, ByteOrder.LITTLE_ENDIAN);
            final long zero = (w - ONES) & ~w & HIGHS;
            final int n = zero == 0 ? 8 : Long.numberOfTrailingZeros(zero) >>> 3;
            h = fnv(h, w, n);
            i += n;
            if (n < 8) {
                finish(b, slot, at, i, h);
                return;
            }
        }
        while (i < max) {
            final byte v = b.getByte(at + i);
            if (v == 0) {
                break;
            }
            h = (h ^ (v & 0xff)) * FNV_PRIME;
            i++;
        }
        finish(b, slot, at, i, h);
    }

    private void finish(final DirectBuffer b, final int slot, final int at, final int length, final long h) {
        if (length < 16) { // only for fields narrower than 16 bytes (currency)
            long w0 = 0;
            long w1 = 0;
            for (int i = 0; i < length; i++) {
                final long v = b.getByte(at + i) & 0xffL;
                if (i < 8) {
                    w0 |= v << (i << 3);
                } else {
                    w1 |= v << ((i - 8) << 3);
                }
            }
            slotWord0[slot] = w0;
            slotWord1[slot] = w1;
        }
        slotHash[slot] = mix(h);
        slotLength[slot] = length;
        slotOffset[slot] = at;
    }


    long itemQty(final int line) {
        return buffer.getInt(itemOffset(line) + OrderDecoder.ItemsDecoder.qtyEncodingOffset(), ByteOrder.LITTLE_ENDIAN);
    }

    long itemUnitPrice(final int line) {
        return buffer.getLong(itemOffset(line) + OrderDecoder.ItemsDecoder.unitPriceEncodingOffset(), ByteOrder.LITTLE_ENDIAN);
    }

    private int itemOffset(final int line) {
        return itemsBase + OrderDecoder.ItemsDecoder.HEADER_SIZE + line * itemBlockLength;
    }
}
