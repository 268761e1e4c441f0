package io.ringfence.engine.trending;

import io.ringfence.engine.model.Ids;
import io.ringfence.engine.output.OutputBuffer;
import io.ringfence.engine.snapshot.StateReader;
import io.ringfence.engine.snapshot.StateWriter;
import io.ringfence.sbe.ActivityDecoder;
import io.ringfence.sbe.ActivityKind;
import io.ringfence.sbe.InventoryDecoder;
import io.ringfence.sbe.MessageHeaderDecoder;
import io.ringfence.sbe.OrderDecoder;
import io.ringfence.sbe.OrderStatusDecoder;
import io.ringfence.sbe.PaymentDecoder;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Trending items (issue 7 part 4): the top k skus per category by views and by sales over a
 * sliding event-time window, pushed as {@code TrendingPush} when a category's list changes,
 * rate-limited per category in event time.
 *
 * <ul>
 *   <li>Sales: every order item line with {@code qty > 0} adds {@code qty} to (its category, sku)
 *   of the {@value TrendingPushWriter#SALES} board.</li>
 *   <li>Views: an {@code activity} of kind {@code VIEW} with a sku adds 1 to the
 *   {@value TrendingPushWriter#VIEWS} board, under the category last seen for that sku on an
 *   order item line ({@link SkuCategories}), or {@value #UNKNOWN} when none was seen (activity
 *   events carry no category).</li>
 *   <li>An item line with an empty category is counted under {@value #UNKNOWN} too.</li>
 * </ul>
 *
 * The clock is the newest event time seen by the stage (all inbound event types move it); both
 * boards expire panes by it. Allocation-free per event once the tables have reached their high
 * water mark.
 */
public final class TrendingStage {
    /** The category of views of a sku never seen on an order line, and of lines without one. */
    public static final String UNKNOWN = "unknown";
    private static final int ID = TrendingPushWriter.ID;
    /**
     * "TRN3" since each category keeps whether its counts changed since it was last examined (a change within
     * minInterval is pushed once it is over, at any event); "TRN2" since a full category admits a new sku that outsells
     * its least one, which it replaces, inheriting its counts (was "TRND": new skus dropped).
     */
    private static final int MARKER = 0x54524E33; // "TRN3"

    private final TrendingSpec spec;
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final OrderDecoder order = new OrderDecoder();
    private final ActivityDecoder activity = new ActivityDecoder();
    private final TrendBoard views;
    private final TrendBoard sales;
    private final SkuCategories skuCategories;
    private final TrendingPushWriter writer = new TrendingPushWriter();
    private final UnsafeBuffer unknown = new UnsafeBuffer(new byte[ID]);
    private final long unknownHash;
    private final UnsafeBuffer learned = new UnsafeBuffer(new byte[0]);
    private long now = Long.MIN_VALUE;

    public TrendingStage(final TrendingSpec spec) {
        this.spec = spec;
        this.views = new TrendBoard(TrendingPushWriter.VIEWS, spec);
        this.sales = new TrendBoard(TrendingPushWriter.SALES, spec);
        this.skuCategories = new SkuCategories(spec.maxSkus(), spec.skuTtlMicros());
        final byte[] u = UNKNOWN.getBytes(StandardCharsets.US_ASCII);
        unknown.putBytes(0, u);
        unknownHash = Ids.hash(unknown, 0, ID);
    }

    /**
     * Counts the event at {@code offset} (SBE header first) and writes the pushes it causes.
     *
     * @param repeatedOrder the event is an order already held from an order event of its own (the order
     *                      stage knows): its lines are not counted again, only its time moves the clock
     */
    public void onEvent(final long seq, final DirectBuffer buffer, final int offset, final boolean repeatedOrder,
                        final OutputBuffer out) {
        if (!spec.enabled()) {
            return;
        }
        header.wrap(buffer, offset);
        if (header.schemaId() != MessageHeaderDecoder.SCHEMA_ID) {
            return;
        }
        final int body = offset + MessageHeaderDecoder.ENCODED_LENGTH;
        switch (header.templateId()) {
            case OrderDecoder.TEMPLATE_ID:
                order.wrap(buffer, body, header.blockLength(), header.version());
                tick(order.eventTime());
                if (!repeatedOrder) {
                    sales(seq, order.eventTime(), buffer, out);
                }
                break;
            case ActivityDecoder.TEMPLATE_ID:
                activity.wrap(buffer, body, header.blockLength(), header.version());
                tick(activity.eventTime());
                if (activity.kind() == ActivityKind.VIEW) {
                    view(seq, activity.eventTime(), buffer, body + ActivityDecoder.skuEncodingOffset(), out);
                }
                break;
            case PaymentDecoder.TEMPLATE_ID:
                tick(buffer.getLong(body + PaymentDecoder.eventTimeEncodingOffset(), ByteOrder.LITTLE_ENDIAN));
                break;
            case OrderStatusDecoder.TEMPLATE_ID:
                tick(buffer.getLong(body + OrderStatusDecoder.eventTimeEncodingOffset(), ByteOrder.LITTLE_ENDIAN));
                break;
            case InventoryDecoder.TEMPLATE_ID:
                tick(buffer.getLong(body + InventoryDecoder.eventTimeEncodingOffset(), ByteOrder.LITTLE_ENDIAN));
                break;
            default:
                break;
        }
        // lists that changed while their category's interval ran (or as panes left the window), now due
        views.due(seq, writer, out);
        sales.due(seq, writer, out);
    }

    private void tick(final long time) {
        if (time > now) {
            now = time;
            views.advanceTo(time);
            sales.advanceTo(time);
        }
        skuCategories.sweep(now);
    }

    private void sales(final long seq, final long time, final DirectBuffer buffer, final OutputBuffer out) {
        final OrderDecoder.ItemsDecoder items = order.items();
        final int count = items.count();
        sales.begin(seq, writer, out);
        for (int i = 0; i < count; i++) {
            final int at = order.limit();
            items.next();
            final int skuAt = at + OrderDecoder.ItemsDecoder.skuEncodingOffset();
            if (buffer.getByte(skuAt) == 0) {
                continue;
            }
            final int catAt = at + OrderDecoder.ItemsDecoder.categoryEncodingOffset();
            final boolean hasCategory = buffer.getByte(catAt) != 0;
            final long skuHash = Ids.hash(buffer, skuAt, ID);
            final long catHash = hasCategory ? Ids.hash(buffer, catAt, ID) : unknownHash;
            if (hasCategory) {
                skuCategories.learn(skuHash, buffer, catAt, ID, catHash, time, now);
            }
            final int qty = items.qty();
            if (qty > 0) {
                if (hasCategory) {
                    sales.add(time, catHash, buffer, catAt, ID, skuHash, buffer, skuAt, ID, qty);
                } else {
                    sales.add(time, catHash, unknown, 0, ID, skuHash, buffer, skuAt, ID, qty);
                }
            }
        }
        sales.flush(seq, writer, out); // each category's list once the whole order is counted
    }

    private void view(final long seq, final long time, final DirectBuffer buffer, final int skuAt, final OutputBuffer out) {
        if (buffer.getByte(skuAt) == 0) {
            return;
        }
        final long skuHash = Ids.hash(buffer, skuAt, ID);
        final int slot = skuCategories.find(skuHash, now);
        views.begin(seq, writer, out);
        if (slot < 0) {
            views.add(time, unknownHash, unknown, 0, ID, skuHash, buffer, skuAt, ID, 1);
        } else {
            learned.wrap(skuCategories.categories());
            views.add(time, skuCategories.categoryHash(slot), learned, slot * ID, ID, skuHash, buffer, skuAt, ID, 1);
        }
        views.flush(seq, writer, out);
    }

    public long stateHash() {
        return ((now * 31 + views.stateHash()) * 31 + sales.stateHash()) * 31 + skuCategories.stateHash();
    }

    /** Bytes {@link #writeState} writes now, from table sizes. */
    public long stateBytesBound() {
        return 12 + views.stateBytesBound() + sales.stateBytesBound() + skuCategories.stateBytesBound();
    }

    public void writeState(final StateWriter w) {
        w.putInt(MARKER).putLong(now);
        views.writeState(w);
        sales.writeState(w);
        skuCategories.writeState(w);
    }

    public void readState(final StateReader r) {
        r.expect(MARKER, "trending");
        now = r.getLong();
        views.readState(r);
        sales.readState(r);
        skuCategories.readState(r);
    }

    /** A sku's own sales count in the window under a category, or -1 when it holds no place there (tests). */
    long salesCount(final String category, final String sku) {
        return sales.count(Ids.hash(category), Ids.hash(sku));
    }

    /** Pushes written so far, views and sales lists. */
    public long pushes() {
        return views.pushes() + sales.pushes();
    }

    /** Counters and sizes for tests and the README: {@code views}, {@code sales} or {@code skus}. */
    public long counter(final String board, final String name) {
        if ("skus".equals(board)) {
            switch (name) {
                case "live": return skuCategories.size();
                case "dropped": return skuCategories.dropped();
                case "evicted": return skuCategories.evicted();
                default: throw new IllegalArgumentException(name);
            }
        }
        final TrendBoard b = "views".equals(board) ? views : sales;
        switch (name) {
            case "late": return b.late();
            case "droppedCategories": return b.droppedCategories();
            case "replacedSkus": return b.replacedSkus();
            case "refusedSkus": return b.refusedSkus();
            case "pushes": return b.pushes();
            case "liveCategories": return b.liveCategories();
            case "liveSkus": return b.liveSkus();
            default: throw new IllegalArgumentException(name);
        }
    }
}
