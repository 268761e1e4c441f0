package io.ringfence.tools.replay;

import io.ringfence.engine.model.Ids;
import io.ringfence.sbe.ActivityDecoder;
import io.ringfence.sbe.InventoryDecoder;
import io.ringfence.sbe.MessageHeaderDecoder;
import io.ringfence.sbe.OrderDecoder;
import io.ringfence.sbe.OrderStatusDecoder;
import io.ringfence.sbe.PaymentDecoder;
import org.agrona.DirectBuffer;

import java.nio.charset.StandardCharsets;

/**
 * The event time, user, order and payment id of each recent journal record, by engine sequence, so the
 * output side can say which event an output belongs to: a window result or a payment's decision does not
 * carry the order id or user itself. Also the record's ingest time, sender and client sequence, and an
 * order's or payment's amount and currency, for the CSV's columns and {@code --ingest-from/--ingest-to}
 * (compliance trial: an export filtered by the client's event time only, and its rows had no amount). Written by the thread that reads the journal just before it
 * publishes the record; read on dispatch threads for the outputs of that sequence.
 *
 * <p>A slot is reused {@code capacity} sequences later. The publisher cannot run more than a ring's
 * length ahead of any engine it feeds (it waits for a free slot, which dispatch frees), so a capacity of
 * twice the ring size means a slot is never rewritten while its outputs are still being dispatched; the
 * ring's publish/consume ordering makes the writes visible to the dispatch thread.
 */
final class CausingEvents {
    private static final int ID = Ids.MAX_ID_BYTES;
    private static final int USER = 0;
    private static final int ORDER = ID;
    private static final int PAYMENT = 2 * ID;
    private static final int SLOT_BYTES = 3 * ID;
    static final long NO_TIME = Long.MIN_VALUE;
    /** {@link #amount} of a record that is no order or payment. */
    static final long NO_AMOUNT = Long.MIN_VALUE;

    private final int mask;
    private final long[] times;
    private final long[] ingestTimes;
    private final long[] sources;
    private final long[] clientSeqs;
    private final long[] amounts;
    /** Three ASCII letters per slot. */
    private final byte[] currencies;
    private final byte[] ids;
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final OrderDecoder order = new OrderDecoder();
    private final PaymentDecoder payment = new PaymentDecoder();
    private final OrderStatusDecoder status = new OrderStatusDecoder();
    private final InventoryDecoder inventory = new InventoryDecoder();
    private final ActivityDecoder activity = new ActivityDecoder();

    CausingEvents(final int ringSize) {
        final int capacity = Integer.highestOneBit(Math.max(64, ringSize)) << 1;
        this.mask = capacity - 1;
        this.times = new long[capacity];
        this.ingestTimes = new long[capacity];
        this.sources = new long[capacity];
        this.clientSeqs = new long[capacity];
        this.amounts = new long[capacity];
        this.currencies = new byte[capacity * 3];
        this.ids = new byte[capacity * SLOT_BYTES];
    }

    /**
     * Notes the record with {@code sequence} (an SBE inbound event, header first), journaled at {@code ingestMicros} from
     * {@code source} with the client's sequence {@code clientSeq}. Publisher thread.
     */
    void record(final long sequence, final long ingestMicros, final long source, final long clientSeq,
                final DirectBuffer payload, final int offset) {
        final int slot = (int) (sequence & mask);
        final int at = slot * SLOT_BYTES;
        java.util.Arrays.fill(ids, at, at + SLOT_BYTES, (byte) 0);
        ingestTimes[slot] = ingestMicros;
        sources[slot] = source;
        clientSeqs[slot] = clientSeq;
        amounts[slot] = NO_AMOUNT;
        long time = NO_TIME;
        header.wrap(payload, offset);
        final int body = offset + MessageHeaderDecoder.ENCODED_LENGTH;
        if (header.schemaId() == MessageHeaderDecoder.SCHEMA_ID) {
            switch (header.templateId()) {
                case OrderDecoder.TEMPLATE_ID:
                    order.wrap(payload, body, header.blockLength(), header.version());
                    time = order.eventTime();
                    order.getUserId(ids, at + USER);
                    order.getOrderId(ids, at + ORDER);
                    amounts[slot] = order.amount();
                    order.getCurrency(currencies, slot * 3);
                    break;
                case PaymentDecoder.TEMPLATE_ID:
                    payment.wrap(payload, body, header.blockLength(), header.version());
                    time = payment.eventTime();
                    payment.getUserId(ids, at + USER);
                    payment.getOrderId(ids, at + ORDER);
                    payment.getPaymentId(ids, at + PAYMENT);
                    amounts[slot] = payment.amount();
                    payment.getCurrency(currencies, slot * 3);
                    break;
                case OrderStatusDecoder.TEMPLATE_ID:
                    status.wrap(payload, body, header.blockLength(), header.version());
                    time = status.eventTime();
                    status.getUserId(ids, at + USER);
                    status.getOrderId(ids, at + ORDER);
                    break;
                case InventoryDecoder.TEMPLATE_ID:
                    inventory.wrap(payload, body, header.blockLength(), header.version());
                    time = inventory.eventTime();
                    break;
                case ActivityDecoder.TEMPLATE_ID:
                    activity.wrap(payload, body, header.blockLength(), header.version());
                    time = activity.eventTime();
                    activity.getUserId(ids, at + USER);
                    break;
                default:
                    break;
            }
        }
        times[slot] = time;
    }

    /** Event time (epoch µs) of the record, or {@link #NO_TIME}. */
    long time(final long sequence) {
        return times[(int) (sequence & mask)];
    }

    /** Journaled ingest time (epoch µs) of the record: when the engine took it. */
    long ingestTime(final long sequence) {
        return ingestTimes[(int) (sequence & mask)];
    }

    /** The record's sender: a gateway client's key, or {@code RunCommand.FILE_SOURCE} for a {@code run}'s input. */
    long source(final long sequence) {
        return sources[(int) (sequence & mask)];
    }

    /** The sender's own sequence of the record (a {@code run}'s input line). */
    long clientSeq(final long sequence) {
        return clientSeqs[(int) (sequence & mask)];
    }

    /** An order's or payment's amount in minor units, else {@link #NO_AMOUNT}. */
    long amount(final long sequence) {
        return amounts[(int) (sequence & mask)];
    }

    /** An order's or payment's amount as its events' JSON writes it (major units), else "". */
    String amountText(final long sequence) {
        final int slot = (int) (sequence & mask);
        if (amounts[slot] == NO_AMOUNT) {
            return "";
        }
        final int digits = io.ringfence.engine.model.Currencies.fractionDigits(currencies[slot * 3], currencies[slot * 3 + 1],
                currencies[slot * 3 + 2]);
        return digits == io.ringfence.engine.model.Currencies.UNKNOWN ? Long.toString(amounts[slot])
                : io.ringfence.engine.model.Money.format(amounts[slot], digits);
    }

    /** An order's or payment's currency, else "". */
    String currency(final long sequence) {
        final int slot = (int) (sequence & mask);
        return amounts[slot] == NO_AMOUNT ? "" : new String(currencies, slot * 3, 3, StandardCharsets.US_ASCII);
    }

    boolean userIs(final long sequence, final byte[] id) {
        return equal(sequence, USER, id);
    }

    /** The record names no user (a payment naming none is judged, and its decision carried, by its order's). */
    boolean userAbsent(final long sequence) {
        return ids[(int) (sequence & mask) * SLOT_BYTES + USER] == 0;
    }

    /** The record's order id or (a payment's) payment id is {@code id}. */
    boolean orderOrPaymentIs(final long sequence, final byte[] id) {
        return equal(sequence, ORDER, id) || equal(sequence, PAYMENT, id);
    }

    /** The record is a payment whose payment id is {@code id}. */
    boolean paymentIs(final long sequence, final byte[] id) {
        return equal(sequence, PAYMENT, id);
    }

    String user(final long sequence) {
        return text(sequence, USER);
    }

    String order(final long sequence) {
        return text(sequence, ORDER);
    }

    String payment(final long sequence) {
        return text(sequence, PAYMENT);
    }

    private boolean equal(final long sequence, final int field, final byte[] id) {
        final int at = (int) (sequence & mask) * SLOT_BYTES + field;
        if (id.length == 0 || id.length > ID) {
            return false;
        }
        for (int i = 0; i < id.length; i++) {
            if (ids[at + i] != id[i]) {
                return false;
            }
        }
        return id.length == ID || ids[at + id.length] == 0;
    }

    private String text(final long sequence, final int field) {
        final int at = (int) (sequence & mask) * SLOT_BYTES + field;
        int end = 0;
        while (end < ID && ids[at + end] != 0) {
            end++;
        }
        return new String(ids, at, end, StandardCharsets.UTF_8);
    }
}
