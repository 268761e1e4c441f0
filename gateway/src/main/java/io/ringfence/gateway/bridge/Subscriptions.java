package io.ringfence.gateway.bridge;

import io.ringfence.engine.model.Ids;
import io.ringfence.gateway.SessionOutbound;
import io.ringfence.gateway.TopicFilters;
import io.ringfence.sbe.AnomalyAlertDecoder;
import io.ringfence.sbe.FilterKind;
import io.ringfence.sbe.FraudAlertDecoder;
import io.ringfence.sbe.MessageHeaderDecoder;
import io.ringfence.sbe.OnOverflow;
import io.ringfence.sbe.OrderStatusPushDecoder;
import io.ringfence.sbe.StockPushDecoder;
import io.ringfence.sbe.SubscribeDecoder;
import io.ringfence.sbe.Topic;
import io.ringfence.sbe.TrendingPushDecoder;
import io.ringfence.sbe.WindowResultDecoder;
import org.agrona.DirectBuffer;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The live subscriptions of all sessions, and the routing of each push to the sessions whose
 * topic and filter match it. Owned by the dispatch thread (subscriptions arrive through the ring
 * as control messages, in order with the outputs), preallocated, allocation-free per push.
 *
 * <p>Filters ({@link TopicFilters}): ORDER_STATUS by USER or ORDER; STOCK by SKU; FRAUD_ALERT by USER; WINDOW_RESULT and
 * ANOMALY by WINDOW name; TRENDING by WINDOW name ({@code trendingViews}, {@code trendingSales},
 * {@code cartAbandoned}) or by USER (cart promotions carry their user; trending lists carry none,
 * so a USER filter gets only that user's promotions); every topic also with ALL. A filter matches when the push's
 * field holds exactly the filter text. A push that cannot be queued for a session (gone, or its
 * outbound buffer overflowed and it is being disconnected as a slow consumer) removes all of that
 * session's subscriptions; the pipeline never waits for a subscriber. A session whose latest Subscribe said
 * {@code onOverflow CATCH_UP} is kept instead when its buffer fills: it gets no live pushes from then on and is
 * {@linkplain #behind() behind}, for the sink to tell it to resume from the history.
 *
 * <p>Routing scans the subscriptions of the push's topic: linear in the number of subscriptions,
 * which is fine for the hundreds a shop has and is the thing to index if that grows.
 */
final class Subscriptions {
    private static final int HEADER = MessageHeaderDecoder.ENCODED_LENGTH;
    private static final int FILTER_LENGTH = SubscribeDecoder.filterLength();
    private static final Topic[] TOPICS = Topic.values();
    private static final FilterKind[] KINDS = FilterKind.values();
    // size and the counters are written by the dispatch thread only, with release stores (on x86 an
    // ordinary store), so the metrics thread reads them fresh with an acquire load
    private static final VarHandle SIZE = field("size", int.class);
    private static final VarHandle ROUTED = field("routed", long.class);
    private static final VarHandle DROPPED = field("dropped", long.class);

    private final int capacity;
    /** Most subscriptions one session may hold, so one subscriber cannot take them all and lock the others out. */
    private final int perSession;
    private final long[] sessions;
    private final long[] ids;
    private final byte[] topics;
    private final byte[] kinds;
    private final byte[][] filters;
    private final int[] filterLengths;
    /** Sessions a push could not be queued for, dropped once the push has been routed. */
    private final long[] failed;
    private int failedCount;
    /**
     * Sessions the push being routed was queued for: a session whose subscriptions overlap (a
     * user and one of that user's orders) gets it once, since a push names no subscription and two
     * identical copies would read as two events.
     */
    private final long[] delivered;
    private int deliveredCount;
    /**
     * Per slot: another subscription of the same session has the same topic, so a push could
     * match both; only those are checked against {@link #delivered} (kept on subscribe and
     * remove, control messages), so routing stays linear in the subscriptions.
     */
    private final boolean[] shared;
    /** The slots {@link #collect} gathered. */
    private final int[] collectedSlots;
    /** The filter of the Subscribe being checked, read before any slot is touched (dispatch thread). */
    private final byte[] requestedFilter;
    private boolean lastChanged;
    private int collected;
    /** Per slot: the session falls back to a catch-up when a push finds its buffer full (all of a session's slots agree). */
    private final boolean[] catchUpOnOverflow;
    /** Sessions a push found full and kept (catch-up on overflow) during the last {@link #route}, for the sink. */
    private final long[] behind;
    private int behindCount;
    /** Sessions being caught up: routing passes them over. */
    private final long[] suspended;
    private int suspendedCount;
    /** The push {@link #locate} read last: its topic, the field its main filter kind compares with, and the second kind's. */
    private Topic pushTopic;
    private int primaryAt;
    private int primaryLength;
    private FilterKind secondaryKind;
    private int secondaryAt;
    private int secondaryLength;
    private int size;
    private long routed;
    private long dropped;

    /** The window names WINDOW filters may name, per topic. */
    private final PushWindows windows;
    private final io.ringfence.engine.codec.TextFieldCheck filterText = new io.ringfence.engine.codec.TextFieldCheck();

    Subscriptions(final int capacity) {
        this(capacity, PushWindows.ANY);
    }

    Subscriptions(final int capacity, final PushWindows windows) {
        this(capacity, capacity, windows);
    }

    Subscriptions(final int capacity, final int perSession, final PushWindows windows) {
        this.capacity = capacity;
        this.perSession = perSession;
        this.windows = windows;
        sessions = new long[capacity];
        ids = new long[capacity];
        topics = new byte[capacity];
        kinds = new byte[capacity];
        filters = new byte[capacity][FILTER_LENGTH];
        filterLengths = new int[capacity];
        failed = new long[capacity];
        delivered = new long[capacity];
        shared = new boolean[capacity];
        catchUpOnOverflow = new boolean[capacity];
        behind = new long[capacity];
        suspended = new long[capacity];
        collectedSlots = new int[capacity];
        requestedFilter = new byte[FILTER_LENGTH];
    }

    /**
     * Whether the last Subscribe taken added a subscription or changed one's topic or filter (not a resume sending the
     * same again).
     */
    boolean lastChanged() {
        return lastChanged;
    }

    /**
     * Adds (or replaces, for the same session and subscription id) a subscription.
     *
     * @return null when added, otherwise why it was refused
     */
    String subscribe(final long sessionId, final SubscribeDecoder subscribe) {
        return subscribe(sessionId, subscribe, (short) OnOverflow.DISCONNECT.value());
    }

    /**
     * Adds (or replaces) a subscription; {@code onOverflowRaw} (the Subscribe's field, DISCONNECT for a message
     * older than it) becomes the session's, for all of its subscriptions.
     *
     * @return null when added, otherwise why it was refused
     */
    String subscribe(final long sessionId, final SubscribeDecoder subscribe, final short onOverflowRaw) {
        // from the raw values: the decoder's enum getters throw on a value the schema does not name, and this runs
        // on the dispatch thread, where a throw would stop the pipeline for every client
        final Topic topic = topicOf(subscribe.topicRaw());
        final FilterKind kind = filterKindOf(subscribe.filterKindRaw());
        if (topic == Topic.NULL_VAL) {
            return "topic " + subscribe.topicRaw() + " is not a known topic (" + TopicFilters.topicValues() + ")";
        }
        if (kind == FilterKind.NULL_VAL) {
            return "filterKind " + subscribe.filterKindRaw() + " is not a known filter kind (" + TopicFilters.filterKindValues() + ")";
        }
        if (onOverflowRaw != OnOverflow.DISCONNECT.value() && onOverflowRaw != OnOverflow.CATCH_UP.value()) {
            return "onOverflow " + onOverflowRaw + " is not known (DISCONNECT " + OnOverflow.DISCONNECT.value() + ", CATCH_UP "
                + OnOverflow.CATCH_UP.value() + ")";
        }
        if (!TopicFilters.allowed(topic, kind)) {
            return "topic " + topic + " cannot be filtered by " + kind;
        }
        final String filterRefusal = filterRefusal(subscribe, kind);
        if (filterRefusal != null) {
            return filterRefusal;
        }
        // every check before the slot is touched: a refused request that reuses a subscription id must leave the
        // subscription it would have replaced as it was (audit: an unknown window or an empty filter under id 5 deleted
        // subscription 5, and its pushes stopped without a word)
        final byte[] requested = requestedFilter;
        subscribe.getFilter(requested, 0);
        int length = 0;
        while (length < FILTER_LENGTH && requested[length] != 0) {
            length++;
        }
        if (kind != FilterKind.ALL && length == 0) {
            return "filter is empty; a " + kind + " filter needs the " + kind.name().toLowerCase() + " to match";
        }
        final String unknownWindow = kind == FilterKind.WINDOW ? windows.refusal(topic, requested, length) : null;
        if (unknownWindow != null) {
            return unknownWindow;
        }
        int slot = find(sessionId, subscribe.subscriptionId());
        final boolean added = slot < 0;
        if (slot < 0) {
            if (size == capacity) {
                return "the server holds its maximum of " + capacity + " subscriptions";
            }
            if (countOf(sessionId) >= perSession) {
                return "this session holds its maximum of " + perSession + " subscriptions (of the server's " + capacity
                        + "); unsubscribe one, or subscribe with a wider filter";
            }
            slot = size;
            SIZE.setRelease(this, size + 1);
        }
        lastChanged = added || topics[slot] != (byte) topic.value() || kinds[slot] != (byte) kind.value() || filterLengths[slot] != length
            || !java.util.Arrays.equals(filters[slot], 0, length, requested, 0, length);
        sessions[slot] = sessionId;
        ids[slot] = subscribe.subscriptionId();
        topics[slot] = (byte) topic.value();
        kinds[slot] = (byte) kind.value();
        System.arraycopy(requested, 0, filters[slot], 0, FILTER_LENGTH);
        filterLengths[slot] = length;
        markShared(sessionId);
        final boolean catchUp = onOverflowRaw == OnOverflow.CATCH_UP.value();
        for (int i = 0; i < size; i++) {
            if (sessions[i] == sessionId) {
                catchUpOnOverflow[i] = catchUp;
            }
        }
        return null;
    }

    /**
     * A filter that could never match, refused like an event's bad field (outside-client trial: a 40-byte USER
     * filter, bad UTF-8, bytes hidden after a NUL, and an ALL subscription with a filter were all taken silently).
     */
    private String filterRefusal(final SubscribeDecoder subscribe, final FilterKind kind) {
        final int at = subscribe.offset() + SubscribeDecoder.filterEncodingOffset();
        final String bad = filterText.problem(subscribe.buffer(), at, FILTER_LENGTH, "filter");
        if (bad != null) {
            return bad;
        }
        final int length = filterText.length();
        if (kind == FilterKind.ALL && length > 0) {
            return "an ALL subscription takes no filter, got " + length + " bytes (leave it empty, or choose a filter kind)";
        }
        if (kind != FilterKind.ALL && kind != FilterKind.WINDOW && length > Ids.MAX_ID_BYTES) {
            return "filter of " + length + " bytes can never match: " + (kind == FilterKind.ORDER ? "an " : "a ")
                + kind.name().toLowerCase() + " id is at most "
                + Ids.MAX_ID_BYTES + " bytes";
        }
        return null;
    }

    /** The topic of a raw value, {@link Topic#NULL_VAL} for one the schema does not name (never throws). */
    static Topic topicOf(final short raw) {
        for (final Topic t : TOPICS) {
            if (t != Topic.NULL_VAL && t.value() == raw) {
                return t;
            }
        }
        return Topic.NULL_VAL;
    }

    /** The filter kind of a raw value, {@link FilterKind#NULL_VAL} for one the schema does not name (never throws). */
    static FilterKind filterKindOf(final short raw) {
        for (final FilterKind k : KINDS) {
            if (k != FilterKind.NULL_VAL && k.value() == raw) {
                return k;
            }
        }
        return FilterKind.NULL_VAL;
    }

    private int countOf(final long sessionId) {
        int n = 0;
        for (int i = 0; i < size; i++) {
            if (sessions[i] == sessionId) {
                n++;
            }
        }
        return n;
    }

    /** @return false when the session has no such subscription */
    boolean unsubscribe(final long sessionId, final long subscriptionId) {
        final int slot = find(sessionId, subscriptionId);
        if (slot < 0) {
            return false;
        }
        remove(slot);
        markShared(sessionId);
        if (!holds(sessionId)) {
            unsuspend(sessionId); // nothing left to catch up on; a later Subscribe must not stay silent
        }
        return true;
    }

    /** Drops every subscription of a session. */
    void dropSession(final long sessionId) {
        unsuspend(sessionId);
        for (int i = size - 1; i >= 0; i--) {
            if (sessions[i] == sessionId) {
                remove(i);
            }
        }
    }

    /** Subscriptions held. Any thread. */
    int size() {
        return (int) SIZE.getAcquire(this);
    }

    /** Pushes delivered to a session's outbound buffer. Any thread. */
    long routed() {
        return (long) ROUTED.getAcquire(this);
    }

    /** Sessions whose subscriptions were dropped because a push could not be queued for them. */
    long dropped() {
        return (long) DROPPED.getAcquire(this);
    }

    /**
     * Routes a push (SBE, header included) to every session with a matching subscription, once per
     * session however many of its subscriptions match; other messages are ignored. A session being
     * caught up ({@link #suspend}) gets none: its catch-up sends them from the history.
     */
    void route(final int templateId, final DirectBuffer buffer, final int offset, final int length, final SessionOutbound outbound) {
        if (!locate(templateId, buffer, offset)) {
            return;
        }
        final byte t = (byte) pushTopic.value();
        for (int i = 0; i < size; i++) {
            if (topics[i] != t || !matches(i, buffer)) {
                continue;
            }
            if (among(failed, failedCount, sessions[i]) || shared[i] && among(delivered, deliveredCount, sessions[i])
                    || suspendedCount > 0 && among(suspended, suspendedCount, sessions[i])) {
                continue;
            }
            final int result = catchUpOnOverflow[i] ? outbound.offerKeepingRoom(sessions[i], buffer, offset, length)
                : outbound.offer(sessions[i], buffer, offset, length) ? SessionOutbound.QUEUED : SessionOutbound.REFUSED;
            if (result == SessionOutbound.QUEUED) {
                ROUTED.setRelease(this, routed + 1);
                if (shared[i]) {
                    delivered[deliveredCount++] = sessions[i];
                }
            } else if (result == SessionOutbound.FULL) {
                suspend(sessions[i]); // from this push on it is caught up from the history; none of its later ones goes live
                behind[behindCount++] = sessions[i];
            } else {
                failed[failedCount++] = sessions[i];
            }
        }
        for (int f = 0; f < failedCount; f++) {
            DROPPED.setRelease(this, dropped + 1);
            dropSession(failed[f]);
        }
        failedCount = 0;
        deliveredCount = 0;
    }

    /** Sessions the last {@link #route} found full and kept (now suspended): the sink tells each to resume. */
    int behindCount() {
        return behindCount;
    }

    long behind(final int i) {
        return behind[i];
    }

    /** The sink has told them. */
    void clearBehind() {
        behindCount = 0;
    }

    /**
     * Gathers the subscriptions of one session for {@link #collectedWant} (a catch-up tests many pushes against
     * them: the scan stays linear in the session's subscriptions, not the server's).
     *
     * @return how many it holds
     */
    int collect(final long sessionId) {
        collected = 0;
        for (int i = 0; i < size; i++) {
            if (sessions[i] == sessionId) {
                collectedSlots[collected++] = i;
            }
        }
        return collected;
    }

    /** Whether any subscription {@link #collect} gathered matches the push; false for other messages. */
    boolean collectedWant(final int templateId, final DirectBuffer buffer, final int offset) {
        if (!locate(templateId, buffer, offset)) {
            return false;
        }
        final byte t = (byte) pushTopic.value();
        for (int c = 0; c < collected; c++) {
            final int i = collectedSlots[c];
            if (topics[i] == t && matches(i, buffer)) {
                return true;
            }
        }
        return false;
    }

    /** Whether the session holds any subscription. */
    boolean holds(final long sessionId) {
        for (int i = 0; i < size; i++) {
            if (sessions[i] == sessionId) {
                return true;
            }
        }
        return false;
    }

    /** The session gets no pushes until {@link #unsuspend}: it is being caught up from the history. */
    void suspend(final long sessionId) {
        if (!among(suspended, suspendedCount, sessionId) && suspendedCount < suspended.length) {
            suspended[suspendedCount++] = sessionId;
        }
    }

    void unsuspend(final long sessionId) {
        for (int f = 0; f < suspendedCount; f++) {
            if (suspended[f] == sessionId) {
                suspended[f] = suspended[--suspendedCount];
                return;
            }
        }
    }

    boolean suspended(final long sessionId) {
        return among(suspended, suspendedCount, sessionId);
    }

    /**
     * Sets the push's topic and the fields its filter kinds compare with ({@link #pushTopic} and the rest).
     *
     * @return false when the message is not a push
     */
    private boolean locate(final int templateId, final DirectBuffer buffer, final int offset) {
        final int body = offset + HEADER;
        secondaryKind = null;
        secondaryAt = -1;
        secondaryLength = 0;
        switch (templateId) {
            case OrderStatusPushDecoder.TEMPLATE_ID:
                located(Topic.ORDER_STATUS, body + OrderStatusPushDecoder.userIdEncodingOffset(), OrderStatusPushDecoder.userIdLength());
                secondaryKind = FilterKind.ORDER;
                secondaryAt = body + OrderStatusPushDecoder.orderIdEncodingOffset();
                secondaryLength = OrderStatusPushDecoder.orderIdLength();
                return true;
            case StockPushDecoder.TEMPLATE_ID:
                located(Topic.STOCK, body + StockPushDecoder.skuEncodingOffset(), StockPushDecoder.skuLength());
                return true;
            case FraudAlertDecoder.TEMPLATE_ID:
                located(Topic.FRAUD_ALERT, body + FraudAlertDecoder.userIdEncodingOffset(), FraudAlertDecoder.userIdLength());
                return true;
            case WindowResultDecoder.TEMPLATE_ID:
                located(Topic.WINDOW_RESULT, body + WindowResultDecoder.windowEncodingOffset(), WindowResultDecoder.windowLength());
                return true;
            case AnomalyAlertDecoder.TEMPLATE_ID:
                located(Topic.ANOMALY, body + AnomalyAlertDecoder.windowEncodingOffset(), AnomalyAlertDecoder.windowLength());
                return true;
            case TrendingPushDecoder.TEMPLATE_ID:
                located(Topic.TRENDING, body + TrendingPushDecoder.windowEncodingOffset(), TrendingPushDecoder.windowLength());
                secondaryKind = FilterKind.USER;
                secondaryAt = body + TrendingPushDecoder.userIdEncodingOffset();
                secondaryLength = TrendingPushDecoder.userIdLength();
                return true;
            default:
                return false;
        }
    }

    private void located(final Topic topic, final int at, final int length) {
        pushTopic = topic;
        primaryAt = at;
        primaryLength = length;
    }

    /** Whether the subscription in {@code slot} (of the push's topic) matches the push {@link #locate} read. */
    private boolean matches(final int slot, final DirectBuffer buffer) {
        if (kinds[slot] == FilterKind.ALL.value()) {
            return true;
        }
        if (secondaryKind != null && kinds[slot] == secondaryKind.value()) {
            return matches(slot, buffer, secondaryAt, secondaryLength);
        }
        return matches(slot, buffer, primaryAt, primaryLength);
    }

    private static boolean among(final long[] sessionIds, final int count, final long sessionId) {
        for (int f = 0; f < count; f++) {
            if (sessionIds[f] == sessionId) {
                return true;
            }
        }
        return false;
    }

    private boolean matches(final int slot, final DirectBuffer buffer, final int fieldAt, final int fieldLength) {
        final int n = filterLengths[slot];
        if (n > fieldLength) {
            return false;
        }
        final byte[] filter = filters[slot];
        for (int j = 0; j < n; j++) {
            if (buffer.getByte(fieldAt + j) != filter[j]) {
                return false;
            }
        }
        return n == fieldLength || buffer.getByte(fieldAt + n) == 0;
    }

    private int find(final long sessionId, final long subscriptionId) {
        for (int i = 0; i < size; i++) {
            if (sessions[i] == sessionId && ids[i] == subscriptionId) {
                return i;
            }
        }
        return -1;
    }

    private void remove(final int slot) {
        final int last = size - 1;
        SIZE.setRelease(this, last);
        if (slot != last) {
            sessions[slot] = sessions[last];
            ids[slot] = ids[last];
            topics[slot] = topics[last];
            kinds[slot] = kinds[last];
            final byte[] swap = filters[slot];
            filters[slot] = filters[last];
            filters[last] = swap;
            filterLengths[slot] = filterLengths[last];
            shared[slot] = shared[last];
            catchUpOnOverflow[slot] = catchUpOnOverflow[last];
        }
    }

    /** Sets {@link #shared} for every subscription of a session (after one of them was added, replaced or removed). */
    private void markShared(final long sessionId) {
        for (int i = 0; i < size; i++) {
            if (sessions[i] != sessionId) {
                continue;
            }
            boolean same = false;
            for (int j = 0; j < size && !same; j++) {
                same = j != i && sessions[j] == sessionId && topics[j] == topics[i];
            }
            shared[i] = same;
        }
    }

    private static VarHandle field(final String name, final Class<?> type) {
        try {
            return MethodHandles.lookup().findVarHandle(Subscriptions.class, name, type);
        } catch (final ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
