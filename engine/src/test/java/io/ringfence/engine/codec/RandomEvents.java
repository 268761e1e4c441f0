package io.ringfence.engine.codec;

import io.ringfence.engine.model.Money;

import io.ringfence.engine.model.Ids;
import io.ringfence.sbe.ActivityEncoder;
import io.ringfence.sbe.ActivityKind;
import io.ringfence.sbe.Channel;
import io.ringfence.sbe.InventoryEncoder;
import io.ringfence.sbe.InventoryMode;
import io.ringfence.sbe.MessageHeaderEncoder;
import io.ringfence.sbe.OrderEncoder;
import io.ringfence.sbe.OrderState;
import io.ringfence.sbe.OrderStatusEncoder;
import io.ringfence.sbe.PaymentEncoder;
import io.ringfence.sbe.PaymentResult;
import org.agrona.MutableDirectBuffer;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * Seeded random inbound events, encoded straight into SBE the way a valid line would be: every
 * value within the §4.1 rules (ids up to 36 UTF-8 bytes with awkward characters, every currency
 * digit count, extreme amounts and quantities, any time the engine takes, 1970 to 2106).
 */
final class RandomEvents {
    private static final String[] CURRENCIES = {"GBP", "EUR", "USD", "JPY", "KRW", "BHD", "KWD", "CLF", "CHF"};
    private static final String[] ID_PIECES = {"a", "Z", "7", "-", "_", " ", "\"", "\\", "/", "é", "€", "😀", "日本", ":", "{", "}",
        "\u2028", "ü", "0"};
    private static final String[] IPS = {"10.1.2.3", "255.255.255.255", "0.0.0.0", "::1", "2001:db8::ff00:42:8329",
        "::ffff:192.168.0.1", "fe80:0:0:0:202:b3ff:fe1e:8329", "1:2:3:4:5:6:7:8"};
    private static final long[] UNITS = {1, 1_000, 1_000_000};
    private static final long MIN_TIME = EventRules.MIN_EVENT_TIME; // 1970-01-01T00:00:00.000001Z
    private static final long MAX_TIME = EventRules.MAX_EVENT_TIME; // 2106-02-07T06:28:15.999999Z

    private final SplittableRandom random;
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final OrderEncoder order = new OrderEncoder();
    private final PaymentEncoder payment = new PaymentEncoder();
    private final OrderStatusEncoder orderStatus = new OrderStatusEncoder();
    private final InventoryEncoder inventory = new InventoryEncoder();
    private final ActivityEncoder activity = new ActivityEncoder();
    private long clientSeq;

    RandomEvents(final long seed) {
        this.random = new SplittableRandom(seed);
    }

    /** The clientSeq of the last event written. */
    long clientSeq() {
        return clientSeq;
    }

    /** Writes one random event (header included) at offset 0 and returns its length. */
    int next(final MutableDirectBuffer buffer) {
        clientSeq = random.nextInt(4) == 0 ? random.nextLong() : random.nextLong(1, 1_000_000);
        switch (random.nextInt(5)) {
            case 0: return order(buffer);
            case 1: return payment(buffer);
            case 2: return orderStatus(buffer);
            case 3: return inventory(buffer);
            default: return activity(buffer);
        }
    }

    private int order(final MutableDirectBuffer buffer) {
        final OrderEncoder e = order.wrapAndApplyHeader(buffer, 0, header);
        final String currency = pick(CURRENCIES);
        e.clientSeq(clientSeq).eventTime(time());
        e.putOrderId(id(true), 0).putUserId(id(true), 0).putMerchantId(id(false), 0);
        e.amount(amount()).currency(currency);
        e.putCountry(id(false), 0).putIp(ip(), 0).putDeviceId(id(false), 0).putInstrumentId(id(false), 0);
        e.channel(Channel.get((short) random.nextInt(7)));
        e.label(label());
        final int count = random.nextInt(4) == 0 ? 0 : random.nextInt(1, 6);
        final OrderEncoder.ItemsEncoder items = e.itemsCount(count);
        for (int i = 0; i < count; i++) {
            items.next().putSku(id(true), 0);
            int qty = random.nextInt(8) == 0 ? random.nextInt() : random.nextInt(-3, 20);
            qty = qty == 0 ? 1 : qty;
            items.qty(qty);
            final long price = random.nextInt(8) == 0 ? random.nextLong(0, Money.MAX_MINOR + 1) : random.nextLong(0, 100_000);
            items.unitPrice(Math.min(price, Money.MAX_MINOR / Math.abs((long) qty))); // a line's amount is within an amount's bound too
            items.putCategory(id(false), 0);
        }
        return MessageHeaderEncoder.ENCODED_LENGTH + e.encodedLength();
    }

    private int payment(final MutableDirectBuffer buffer) {
        final PaymentEncoder e = payment.wrapAndApplyHeader(buffer, 0, header);
        e.clientSeq(clientSeq).eventTime(time());
        e.putPaymentId(id(true), 0).putOrderId(id(false), 0).putUserId(id(false), 0).putInstrumentId(id(false), 0);
        e.amount(amount()).currency(pick(CURRENCIES));
        e.result(PaymentResult.get((short) random.nextInt(1, 7)));
        e.label(label());
        return MessageHeaderEncoder.ENCODED_LENGTH + e.encodedLength();
    }

    private int orderStatus(final MutableDirectBuffer buffer) {
        final OrderStatusEncoder e = orderStatus.wrapAndApplyHeader(buffer, 0, header);
        e.clientSeq(clientSeq).eventTime(time());
        e.putOrderId(id(true), 0).putUserId(id(false), 0);
        e.status(OrderState.get((short) random.nextInt(1, 7)));
        return MessageHeaderEncoder.ENCODED_LENGTH + e.encodedLength();
    }

    private int inventory(final MutableDirectBuffer buffer) {
        final InventoryEncoder e = inventory.wrapAndApplyHeader(buffer, 0, header);
        e.clientSeq(clientSeq).eventTime(time());
        e.putSku(id(true), 0).putWarehouse(id(false), 0);
        if (random.nextBoolean()) {
            final long max = io.ringfence.engine.model.StockUnits.MAX;
            e.mode(InventoryMode.DELTA).quantity(random.nextInt(8) == 0 ? random.nextLong(-max, max + 1) : random.nextLong(-50, 50));
        } else {
            e.mode(InventoryMode.LEVEL).quantity(random.nextInt(8) == 0 ? random.nextLong(0, io.ringfence.engine.model.StockUnits.MAX + 1)
                : random.nextLong(0, 500));
        }
        return MessageHeaderEncoder.ENCODED_LENGTH + e.encodedLength();
    }

    private int activity(final MutableDirectBuffer buffer) {
        final ActivityEncoder e = activity.wrapAndApplyHeader(buffer, 0, header);
        e.clientSeq(clientSeq).eventTime(time());
        e.putUserId(id(true), 0).putSessionId(id(false), 0);
        e.kind(ActivityKind.get((short) random.nextInt(1, 5)));
        e.putSku(id(false), 0).putIp(ip(), 0).putDeviceId(id(false), 0);
        return MessageHeaderEncoder.ENCODED_LENGTH + e.encodedLength();
    }

    private long time() {
        if (random.nextInt(4) == 0) {
            return random.nextLong(MIN_TIME, MAX_TIME + 1);
        }
        final long micros = 1_300_000_000_000_000L + random.nextLong(0, 400_000_000_000_000L);
        final long unit = UNITS[random.nextInt(UNITS.length)];
        return micros - micros % unit;
    }

    private long amount() {
        return random.nextInt(8) == 0 ? random.nextLong(1, Money.MAX_MINOR + 1) : random.nextLong(1, 1_000_000); // up to the largest accepted
    }

    private byte label() {
        return (byte) random.nextInt(-1, 2);
    }

    /** A NUL-padded 36-byte id; empty about a third of the time when optional. */
    private byte[] id(final boolean required) {
        final byte[] padded = new byte[Ids.MAX_ID_BYTES];
        if (!required && random.nextInt(3) == 0) {
            return padded;
        }
        final int target = random.nextInt(5) == 0 ? Ids.MAX_ID_BYTES : random.nextInt(1, Ids.MAX_ID_BYTES + 1);
        final StringBuilder sb = new StringBuilder();
        int bytes = 0;
        for (int attempts = 0; attempts < 100 && bytes < target; attempts++) {
            final String piece = random.nextInt(3) == 0 ? pick(ID_PIECES) : String.valueOf((char) ('a' + random.nextInt(26)));
            final int length = piece.getBytes(StandardCharsets.UTF_8).length;
            if (bytes + length <= target) {
                sb.append(piece);
                bytes += length;
            }
        }
        final byte[] utf8 = sb.toString().getBytes(StandardCharsets.UTF_8);
        System.arraycopy(utf8, 0, padded, 0, utf8.length);
        return padded;
    }

    private byte[] ip() {
        final byte[] padded = new byte[46];
        if (random.nextInt(3) != 0) {
            final byte[] ascii = pick(IPS).getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(ascii, 0, padded, 0, ascii.length);
        }
        return padded;
    }

    private String pick(final String[] values) {
        return values[random.nextInt(values.length)];
    }
}
