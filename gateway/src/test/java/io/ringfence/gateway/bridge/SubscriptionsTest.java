package io.ringfence.gateway.bridge;

import io.ringfence.sbe.FilterKind;
import io.ringfence.sbe.FraudAlertEncoder;
import io.ringfence.sbe.MessageHeaderDecoder;
import io.ringfence.sbe.MessageHeaderEncoder;
import io.ringfence.sbe.Outcome;
import io.ringfence.sbe.SubjectKind;
import io.ringfence.sbe.SubscribeDecoder;
import io.ringfence.sbe.SubscribeEncoder;
import io.ringfence.sbe.Topic;
import io.ringfence.sbe.TrendingPushEncoder;
import io.ringfence.sbe.WindowResultEncoder;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Routing of pushes by topic and filter, refusals of impossible subscriptions, and dropping a session that cannot take a push. */
class SubscriptionsTest {
    private final Subscriptions subscriptions = new Subscriptions(8);
    private final List<Long> delivered = new ArrayList<>();
    private final Set<Long> full = new HashSet<>();

    private String subscribe(final long session, final long id, final Topic topic, final FilterKind kind, final String filter) {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);
        new SubscribeEncoder().wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder())
            .clientSeq(1).subscriptionId(id).topic(topic).filterKind(kind).filter(filter);
        final SubscribeDecoder decoder = new SubscribeDecoder()
            .wrap(buffer, MessageHeaderDecoder.ENCODED_LENGTH, SubscribeDecoder.BLOCK_LENGTH, SubscribeDecoder.SCHEMA_VERSION);
        return subscriptions.subscribe(session, decoder);
    }

    private void route(final UnsafeBuffer push, final int length, final int templateId) {
        subscriptions.route(templateId, push, 0, length, (sessionId, buffer, offset, len) -> {
            if (full.contains(sessionId)) {
                return false;
            }
            delivered.add(sessionId);
            return true;
        });
    }

    private static UnsafeBuffer fraudAlert(final String user) {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[512]);
        new FraudAlertEncoder().wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder())
            .seq(1).eventTime(1).subjectKind(SubjectKind.ORDER).subjectId("o-1").userId(user).outcome(Outcome.DECLINE).score(1)
            .reasonsCount(0);
        return buffer;
    }

    private static final int ALERT_LENGTH = MessageHeaderEncoder.ENCODED_LENGTH + FraudAlertEncoder.BLOCK_LENGTH + 4;

    @Test
    void routesByTopicAndExactFilterText() {
        assertNull(subscribe(1, 1, Topic.FRAUD_ALERT, FilterKind.USER, "u-1"));
        assertNull(subscribe(2, 1, Topic.FRAUD_ALERT, FilterKind.ALL, ""));
        assertNull(subscribe(3, 1, Topic.FRAUD_ALERT, FilterKind.USER, "u-10"));
        assertNull(subscribe(4, 1, Topic.WINDOW_RESULT, FilterKind.ALL, ""));

        route(fraudAlert("u-1"), ALERT_LENGTH, FraudAlertEncoder.TEMPLATE_ID);
        assertEquals(List.of(1L, 2L), sorted(delivered), "u-1 matches its own filter and ALL, not the prefix u-10 or another topic");
        delivered.clear();
        route(fraudAlert("u-10"), ALERT_LENGTH, FraudAlertEncoder.TEMPLATE_ID);
        assertEquals(List.of(2L, 3L), sorted(delivered), "u-10 does not match the filter u-1");
    }

    @Test
    void deliversAPushOncePerSessionHoweverManyOfItsSubscriptionsMatch() {
        assertNull(subscribe(1, 1, Topic.FRAUD_ALERT, FilterKind.USER, "u-1"));
        assertNull(subscribe(1, 2, Topic.FRAUD_ALERT, FilterKind.ALL, ""));
        assertNull(subscribe(2, 1, Topic.FRAUD_ALERT, FilterKind.ALL, ""));
        assertNull(subscribe(1, 3, Topic.FRAUD_ALERT, FilterKind.USER, "u-1"));
        route(fraudAlert("u-1"), ALERT_LENGTH, FraudAlertEncoder.TEMPLATE_ID);
        assertEquals(List.of(1L, 2L), sorted(delivered), "session 1 matches three times and gets one copy (a push names no subscription)");
        assertEquals(2, subscriptions.routed());
        delivered.clear();
        route(fraudAlert("u-1"), ALERT_LENGTH, FraudAlertEncoder.TEMPLATE_ID);
        assertEquals(List.of(1L, 2L), sorted(delivered), "the next push is delivered again: nothing carries over between pushes");

        // the overlap is tracked through unsubscribes, replacements and other topics
        assertTrue(subscriptions.unsubscribe(1, 2));
        assertTrue(subscriptions.unsubscribe(1, 3));
        assertNull(subscribe(1, 4, Topic.WINDOW_RESULT, FilterKind.ALL, ""));
        delivered.clear();
        route(fraudAlert("u-1"), ALERT_LENGTH, FraudAlertEncoder.TEMPLATE_ID);
        assertEquals(List.of(1L, 2L), sorted(delivered));
        assertNull(subscribe(1, 4, Topic.FRAUD_ALERT, FilterKind.ALL, "")); // id 4 replaced: now a second FRAUD_ALERT one
        delivered.clear();
        route(fraudAlert("u-1"), ALERT_LENGTH, FraudAlertEncoder.TEMPLATE_ID);
        assertEquals(List.of(1L, 2L), sorted(delivered), "once, after the replacement made them overlap");
    }

    @Test
    void refusesSubscriptionsThatCouldNeverMatch() {
        assertTrue(subscribe(1, 1, Topic.STOCK, FilterKind.USER, "u-1").contains("cannot be filtered by USER"));
        assertTrue(subscribe(1, 2, Topic.FRAUD_ALERT, FilterKind.USER, "").contains("filter is empty"));
        // outside-client trial: these were taken silently
        assertEquals("filter of 40 bytes can never match: a user id is at most 36 bytes",
            subscribe(1, 3, Topic.FRAUD_ALERT, FilterKind.USER, "u".repeat(40)));
        assertEquals("an ALL subscription takes no filter, got 3 bytes (leave it empty, or choose a filter kind)",
            subscribe(1, 4, Topic.FRAUD_ALERT, FilterKind.ALL, "u-1"));
        assertEquals("'filter' is not valid UTF-8 (byte 0xFF at index 0)", subscribeFilterBytes(5, 0xFF, 0xFE));
        assertEquals("'filter' has byte 0x63 at index 3, after the NUL that ends it (pad with NUL bytes only)",
            subscribeFilterBytes(6, 'a', 'b', 0, 'c', 'd'));
        assertEquals(0, subscriptions.size(), "nothing refused is kept");
        assertNull(subscribe(1, 7, Topic.FRAUD_ALERT, FilterKind.USER, "u".repeat(36)), "36 bytes: an id's most");
        assertNull(subscribe(1, 8, Topic.WINDOW_RESULT, FilterKind.WINDOW, "w".repeat(40)),
            "a window name may be longer than an id (refused only as unknown where the windows are known)");
    }

    /** A USER fraud-alert Subscribe whose filter field starts with these raw bytes. */
    private String subscribeFilterBytes(final long id, final int... bytes) {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);
        new SubscribeEncoder().wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder())
            .clientSeq(1).subscriptionId(id).topic(Topic.FRAUD_ALERT).filterKind(FilterKind.USER).filter("");
        final int at = MessageHeaderDecoder.ENCODED_LENGTH + SubscribeEncoder.filterEncodingOffset();
        for (int i = 0; i < bytes.length; i++) {
            buffer.putByte(at + i, (byte) bytes[i]);
        }
        return subscriptions.subscribe(1, new SubscribeDecoder()
            .wrap(buffer, MessageHeaderDecoder.ENCODED_LENGTH, SubscribeDecoder.BLOCK_LENGTH, SubscribeDecoder.SCHEMA_VERSION));
    }

    /** A Subscribe whose topic and filter kind bytes are raw values, as any client can send them. */
    private String subscribeRaw(final Subscriptions into, final int topic, final int kind) {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);
        new SubscribeEncoder().wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder())
            .clientSeq(1).subscriptionId(1).topic(Topic.FRAUD_ALERT).filterKind(FilterKind.ALL).filter("");
        final int body = MessageHeaderDecoder.ENCODED_LENGTH;
        buffer.putByte(body + SubscribeEncoder.topicEncodingOffset(), (byte) topic);
        buffer.putByte(body + SubscribeEncoder.filterKindEncodingOffset(), (byte) kind);
        return into.subscribe(1, new SubscribeDecoder()
            .wrap(buffer, body, SubscribeDecoder.BLOCK_LENGTH, SubscribeDecoder.SCHEMA_VERSION));
    }

    @Test
    void refusesATopicOrFilterKindTheSchemaDoesNotNameWithoutThrowing() {
        // the generated enum getters throw on these: on the dispatch thread that stopped the server (gateway trial)
        assertTrue(subscribeRaw(subscriptions, 0, 0).startsWith("topic 0 is not a known topic (1 ORDER_STATUS, 2 STOCK"),
            subscribeRaw(subscriptions, 0, 0));
        assertTrue(subscribeRaw(subscriptions, 99, 0).startsWith("topic 99 is not a known topic"));
        assertTrue(subscribeRaw(subscriptions, 3, 9).startsWith("filterKind 9 is not a known filter kind (0 ALL, 1 USER"),
            subscribeRaw(subscriptions, 3, 9));
        assertTrue(subscribeRaw(subscriptions, 255, 255).startsWith("topic 255 is not a known topic"), "the schema's null value too");
        assertEquals(0, subscriptions.size());
        assertNull(subscribeRaw(subscriptions, 3, 0), "FRAUD_ALERT, ALL: known values still subscribe");
    }

    @Test
    void aSessionHoldsAtMostItsShareSoAnotherCanStillSubscribe() {
        final Subscriptions shared = new Subscriptions(8, 2, PushWindows.ANY);
        assertNull(subscribeTo(shared, 1, 1, "u-1"));
        assertNull(subscribeTo(shared, 1, 2, "u-2"));
        final String third = subscribeTo(shared, 1, 3, "u-3");
        assertTrue(third != null && third.startsWith("this session holds its maximum of 2 subscriptions (of the server's 8)"), third);
        assertNull(subscribeTo(shared, 1, 2, "u-9"), "replacing one of its own is not one more");
        assertNull(subscribeTo(shared, 2, 1, "u-1"), "another session still subscribes");
        assertEquals(3, shared.size());
    }

    private static String subscribeTo(final Subscriptions into, final long session, final long id, final String user) {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);
        new SubscribeEncoder().wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder())
            .clientSeq(1).subscriptionId(id).topic(Topic.FRAUD_ALERT).filterKind(FilterKind.USER).filter(user);
        return into.subscribe(session, new SubscribeDecoder()
            .wrap(buffer, MessageHeaderDecoder.ENCODED_LENGTH, SubscribeDecoder.BLOCK_LENGTH, SubscribeDecoder.SCHEMA_VERSION));
    }

    @Test
    void sameIdReplacesUnsubscribeRemovesAndAFullSessionLosesAllItsSubscriptions() {
        assertNull(subscribe(1, 7, Topic.FRAUD_ALERT, FilterKind.USER, "u-1"));
        assertNull(subscribe(1, 7, Topic.FRAUD_ALERT, FilterKind.USER, "u-2"));
        assertEquals(1, subscriptions.size(), "the same subscription id on a session replaces the old one");
        route(fraudAlert("u-1"), ALERT_LENGTH, FraudAlertEncoder.TEMPLATE_ID);
        assertTrue(delivered.isEmpty());
        assertTrue(subscriptions.unsubscribe(1, 7));
        assertFalse(subscriptions.unsubscribe(1, 7), "already gone");

        assertNull(subscribe(5, 1, Topic.FRAUD_ALERT, FilterKind.ALL, ""));
        assertNull(subscribe(5, 2, Topic.FRAUD_ALERT, FilterKind.USER, "u-3"));
        assertNull(subscribe(6, 1, Topic.FRAUD_ALERT, FilterKind.ALL, ""));
        full.add(5L);
        route(fraudAlert("u-3"), ALERT_LENGTH, FraudAlertEncoder.TEMPLATE_ID);
        assertEquals(List.of(6L), delivered, "the other session still gets the push");
        assertEquals(1, subscriptions.size(), "both subscriptions of the slow session are dropped");
        assertEquals(1, subscriptions.dropped());
    }

    @Test
    void windowResultsRouteByWindowName() {
        assertNull(subscribe(1, 1, Topic.WINDOW_RESULT, FilterKind.WINDOW, "gmv_by_country_1h"));
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[512]);
        final WindowResultEncoder result = new WindowResultEncoder().wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder());
        result.window("merchant_1h");
        route(buffer, MessageHeaderEncoder.ENCODED_LENGTH + WindowResultEncoder.BLOCK_LENGTH, WindowResultEncoder.TEMPLATE_ID);
        assertTrue(delivered.isEmpty());
        result.window("gmv_by_country_1h");
        route(buffer, MessageHeaderEncoder.ENCODED_LENGTH + WindowResultEncoder.BLOCK_LENGTH, WindowResultEncoder.TEMPLATE_ID);
        assertEquals(List.of(1L), delivered);
    }

    @Test
    void trendingPushesRouteByWindowNameOrByTheUserOfACartPromotion() {
        assertNull(subscribe(1, 1, Topic.TRENDING, FilterKind.WINDOW, "trendingViews"));
        assertNull(subscribe(2, 1, Topic.TRENDING, FilterKind.USER, "u-1"));
        assertNull(subscribe(3, 1, Topic.TRENDING, FilterKind.WINDOW, "cartAbandoned"));
        assertNull(subscribe(4, 1, Topic.TRENDING, FilterKind.ALL, ""));
        assertTrue(subscribe(5, 1, Topic.TRENDING, FilterKind.SKU, "s-1").contains("cannot be filtered by SKU"));
        assertTrue(subscribe(5, 2, Topic.ANOMALY, FilterKind.USER, "u-1").contains("cannot be filtered by USER"));

        route(trending("trendingViews", "home", ""), TRENDING_LENGTH, TrendingPushEncoder.TEMPLATE_ID);
        assertEquals(List.of(1L, 4L), sorted(delivered), "a trending list has no user: the USER filter does not match it");
        delivered.clear();
        route(trending("cartAbandoned", "", "u-1"), TRENDING_LENGTH, TrendingPushEncoder.TEMPLATE_ID);
        assertEquals(List.of(2L, 3L, 4L), sorted(delivered), "a promotion reaches its user's, the window's and ALL subscribers");
        delivered.clear();
        route(trending("cartAbandoned", "", "u-10"), TRENDING_LENGTH, TrendingPushEncoder.TEMPLATE_ID);
        assertEquals(List.of(3L, 4L), sorted(delivered), "u-10 is not u-1");
    }

    private static final int TRENDING_LENGTH = MessageHeaderEncoder.ENCODED_LENGTH + TrendingPushEncoder.BLOCK_LENGTH + 4;

    private static UnsafeBuffer trending(final String window, final String category, final String user) {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[512]);
        new TrendingPushEncoder().wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder())
            .seq(1).eventTime(1).window(window).category(category).userId(user).itemsCount(0);
        return buffer;
    }

    private static List<Long> sorted(final List<Long> values) {
        final List<Long> copy = new ArrayList<>(values);
        copy.sort(null);
        return copy;
    }

    @Test
    void refusesAWindowFilterNoPushOfThatTopicCanCarry() {
        final io.ringfence.engine.config.EngineConfig config = io.ringfence.engine.config.EngineConfigLoader.defaults();
        config.carts.enabled = false;
        final Subscriptions checked = new Subscriptions(8, PushWindows.of(config));
        final java.util.function.BiFunction<Topic, String, String> sub = (topic, window) -> {
            final UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);
            new SubscribeEncoder().wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder())
                .clientSeq(1).subscriptionId(1).topic(topic).filterKind(FilterKind.WINDOW).filter(window);
            return checked.subscribe(1, new SubscribeDecoder()
                .wrap(buffer, MessageHeaderDecoder.ENCODED_LENGTH, SubscribeDecoder.BLOCK_LENGTH, SubscribeDecoder.SCHEMA_VERSION));
        };
        assertNull(sub.apply(Topic.WINDOW_RESULT, "merchant_1h"));
        assertNull(sub.apply(Topic.TRENDING, "trendingViews"));
        final String typo = sub.apply(Topic.WINDOW_RESULT, "nosuchwindow");
        assertTrue(typo != null && typo.contains("'nosuchwindow'") && typo.contains("merchant_1h"), typo);
        final String cart = sub.apply(Topic.TRENDING, "cartAbandoned");
        assertTrue(cart != null && cart.contains("trendingViews, trendingSales") && !cart.contains("cartAbandoned,"), cart);
        final String anomaly = sub.apply(Topic.ANOMALY, "merchant_1h");
        assertTrue(anomaly != null && anomaly.contains("no anomaly monitors are configured"), anomaly);
        assertEquals(1, checked.size(), "the refused replacements left subscription 1 as it was");
    }

    /**
     * A refused Subscribe that reuses a subscription id changes nothing (audit: Subscribe(5, ORDER_STATUS user u7), then
     * Subscribe(5, WINDOW_RESULT window 'nosuch') refused, and u7's 201 pushes never came; likewise an empty filter).
     */
    @Test
    void keepsTheSubscriptionARefusedReplacementWouldHaveReplaced() {
        final io.ringfence.engine.config.EngineConfig config = io.ringfence.engine.config.EngineConfigLoader.defaults();
        final Subscriptions checked = new Subscriptions(8, PushWindows.of(config));
        final java.util.function.BiFunction<FilterKind, String, String> sub = (kind, filter) -> {
            final UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);
            new SubscribeEncoder().wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder())
                .clientSeq(1).subscriptionId(5).topic(kind == FilterKind.WINDOW ? Topic.WINDOW_RESULT : Topic.FRAUD_ALERT)
                .filterKind(kind).filter(filter);
            return checked.subscribe(1, new SubscribeDecoder()
                .wrap(buffer, MessageHeaderDecoder.ENCODED_LENGTH, SubscribeDecoder.BLOCK_LENGTH, SubscribeDecoder.SCHEMA_VERSION));
        };
        assertNull(sub.apply(FilterKind.USER, "u-7"));
        assertTrue(sub.apply(FilterKind.WINDOW, "nosuch").contains("'nosuch'"));
        assertTrue(sub.apply(FilterKind.USER, "").contains("filter is empty"));
        assertTrue(sub.apply(FilterKind.WINDOW, "").contains("filter is empty"));
        assertEquals(1, checked.size());
        final List<Long> got = new ArrayList<>();
        checked.route(FraudAlertEncoder.TEMPLATE_ID, fraudAlert("u-7"), 0, ALERT_LENGTH, (sessionId, buffer, offset, len) -> got.add(sessionId));
        assertEquals(List.of(1L), got, "u-7's alerts still reach the session");
        assertNull(sub.apply(FilterKind.USER, "u-8"), "an accepted replacement still replaces");
        got.clear();
        checked.route(FraudAlertEncoder.TEMPLATE_ID, fraudAlert("u-7"), 0, ALERT_LENGTH, (sessionId, buffer, offset, len) -> got.add(sessionId));
        assertEquals(List.of(), got);
    }

    /** {@code windows:} and {@code anomalies:} left empty in YAML are null: no windows, not a failure at start. */
    @Test
    void checksWindowNamesOfAConfigurationWithEmptyWindowAndMonitorSections() {
        final io.ringfence.engine.config.EngineConfig config = io.ringfence.engine.config.EngineConfigLoader.defaults();
        config.windows = null;
        config.anomalies = null;
        final PushWindows windows = PushWindows.of(config);
        final byte[] name = "merchant_1h".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        final String refusal = windows.refusal(Topic.WINDOW_RESULT, name, name.length);
        assertTrue(refusal != null && refusal.contains("it has none (no windows are configured)"), refusal);
    }
}
