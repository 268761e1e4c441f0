package io.ringfence.engine.trending;

import io.ringfence.engine.output.OutputBuffer;
import io.ringfence.sbe.MessageHeaderEncoder;
import io.ringfence.sbe.TrendingPushEncoder;

import java.nio.charset.StandardCharsets;

/**
 * Encodes {@code TrendingPush} messages into the output buffer, for both producers: trending
 * lists ({@code window} = {@link #VIEWS} or {@link #SALES}, {@code category} set, {@code userId}
 * empty) and cart promotions ({@code window} = {@code cartAbandoned}, {@code userId} set,
 * {@code category} empty). Allocation-free: ids are copied from the callers' NUL-padded
 * 36-byte slots.
 *
 * <p>Use: {@link #begin}, then {@link #item} {@code count} times, then {@link #commit}.
 */
public final class TrendingPushWriter {
    /** Window name of the most-viewed lists. */
    public static final String VIEWS = "trendingViews";
    /** Window name of the best-selling lists. */
    public static final String SALES = "trendingSales";
    /** Bytes of an {@code Id} field. */
    public static final int ID = TrendingPushEncoder.categoryLength();
    private static final byte[] EMPTY_ID = new byte[ID];

    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final TrendingPushEncoder push = new TrendingPushEncoder();
    private TrendingPushEncoder.ItemsEncoder items;
    private OutputBuffer out;
    private int at;

    /** A window name as the NUL-padded bytes of the {@code window} field. */
    public static byte[] windowName(final String name) {
        final byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > TrendingPushEncoder.windowLength()) {
            throw new IllegalArgumentException("window name longer than " + TrendingPushEncoder.windowLength() + " bytes: " + name);
        }
        final byte[] padded = new byte[TrendingPushEncoder.windowLength()];
        System.arraycopy(bytes, 0, padded, 0, bytes.length);
        return padded;
    }

    /**
     * Starts a push.
     *
     * @param window   {@link #windowName} bytes
     * @param category the category's {@value #ID} bytes at {@code catAt}, or null for none
     * @param user     the user's {@value #ID} bytes at {@code userAt}, or null for none
     * @param count    how many {@link #item}s follow
     */
    public void begin(final OutputBuffer out, final long seq, final long eventTime, final byte[] window,
                      final byte[] category, final int catAt, final byte[] user, final int userAt, final int count) {
        this.out = out;
        at = out.begin();
        push.wrapAndApplyHeader(out.buffer(), at, header)
            .seq(seq)
            .eventTime(eventTime)
            .putWindow(window, 0)
            .putCategory(category == null ? EMPTY_ID : category, category == null ? 0 : catAt)
            .putUserId(user == null ? EMPTY_ID : user, user == null ? 0 : userAt);
        items = push.itemsCount(count);
    }

    /** One item: the sku's {@value #ID} bytes at {@code skuAt} and its occurrences. */
    public void item(final byte[] sku, final int skuAt, final long occurrences) {
        items.next().putSku(sku, skuAt).occurrences(occurrences);
    }

    public void commit() {
        out.commit(at, MessageHeaderEncoder.ENCODED_LENGTH + push.encodedLength());
        out = null;
        items = null;
    }
}
