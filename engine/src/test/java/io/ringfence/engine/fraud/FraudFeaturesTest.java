package io.ringfence.engine.fraud;

import io.ringfence.sbe.ActivityKind;
import io.ringfence.sbe.PaymentResult;
import org.junit.jupiter.api.Test;

import static io.ringfence.engine.fraud.Feature.*;
import static io.ringfence.engine.fraud.FraudEvents.HOUR;
import static io.ringfence.engine.fraud.FraudEvents.MINUTE;
import static io.ringfence.engine.fraud.FraudEvents.SECOND;
import static io.ringfence.engine.fraud.FraudEvents.activity;
import static io.ringfence.engine.fraud.FraudEvents.order;
import static io.ringfence.engine.fraud.FraudEvents.payment;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each feature on a hand-made event sequence, with the expected value worked out in the comments.
 * Times are offsets from a UTC midnight; buckets: 1m = 6 × 10 s, 1h = 12 × 5 min, 24h = 12 × 2 h.
 */
class FraudFeaturesTest {
    private static final double EPS = 1e-9;
    private final FeatureHarness h = new FeatureHarness();

    private static void assertMissing(final FeatureVector v, final Feature f) {
        assertTrue(v.missing(f), f.featureName() + " should be missing, is " + v.get(f));
    }

    @Test
    void shouldCountOnlyEarlierOrdersOfTheUserPerHorizon() {
        final FeatureVector first = h.feed(order(0).amount(100));
        // nothing before the first order: the user is unknown, counts are 0 (not missing)
        assertEquals(0, first.get(USER_ORDERS_1M));
        assertEquals(0, first.get(USER_AMOUNT_24H));
        assertEquals(100, first.get(AMOUNT));
        assertEquals(0, first.get(IS_PAYMENT));

        h.feed(order(20 * SECOND).amount(200));
        final FeatureVector third = h.feed(order(50 * SECOND).amount(300));
        // at 50 s: orders at 0 s and 20 s, both within every horizon; the current one not counted
        assertEquals(2, third.get(USER_ORDERS_1M));
        assertEquals(100 + 200, third.get(USER_AMOUNT_1M));

        final FeatureVector at65 = h.feed(order(65 * SECOND).amount(400));
        // 1m at 65 s: bucket 6 (60..70 s) and the 5 before = buckets 1..6 = [10 s, 65 s]:
        // the order at 0 s (bucket 0) has left; 20 s and 50 s remain: 2 orders, 200 + 300 = 500
        assertEquals(2, at65.get(USER_ORDERS_1M));
        assertEquals(500, at65.get(USER_AMOUNT_1M));
        // 1h and 24h: all three earlier orders: 100 + 200 + 300 = 600
        assertEquals(3, at65.get(USER_ORDERS_1H));
        assertEquals(600, at65.get(USER_AMOUNT_1H));
        assertEquals(3, at65.get(USER_ORDERS_24H));
        assertEquals(600, at65.get(USER_AMOUNT_24H));

        final FeatureVector at2h = h.feed(order(HOUR + 30 * MINUTE).amount(50));
        // 1h at 1:30: 5-min buckets 7..18 = [0:35, 1:30]: none of the four (all in the first minute)
        assertEquals(0, at2h.get(USER_ORDERS_1H));
        // 24h: 2-h bucket 0 holds all four: 100 + 200 + 300 + 400 = 1000
        assertEquals(4, at2h.get(USER_ORDERS_24H));
        assertEquals(1000, at2h.get(USER_AMOUNT_24H));

        final FeatureVector nextDay = h.feed(order(25 * HOUR).amount(50));
        // 24h at 25:00: 2-h bucket 12 and the 11 before = buckets 1..12 = [2:00, 25:00]: the
        // orders of 0:00-0:01 and 1:30 (bucket 0) have all left
        assertEquals(0, nextDay.get(USER_ORDERS_24H));
        assertEquals(0, nextDay.get(USER_AMOUNT_24H));
    }

    @Test
    void shouldCountEventsScoredWhileAKeyHadSeenALaterOne() {
        h.feed(order(20 * SECOND).user("a").device("d-a").ip("1.0.0.1").instrument("c-1").amount(100));
        h.feed(order(30 * SECOND).user("b").device("d-b").ip("1.0.0.2").instrument("c-2").amount(100));
        assertEquals(0, h.features.scoredOutOfOrder(), "in time order");
        h.feed(order(25 * SECOND).user("c").device("d-c").ip("1.0.0.3").instrument("c-3").amount(100));
        assertEquals(0, h.features.scoredOutOfOrder(), "earlier than the newest event overall, but nothing of its keys is later");
        // user a's order at 20 s arrived first; a's order at 5 s comes after it
        final FeatureVector late = h.feed(order(5 * SECOND).user("a").device("d-x").ip("1.0.0.9").instrument("c-9").amount(100));
        assertEquals(1, h.features.scoredOutOfOrder());
        assertEquals(0, late.get(USER_ORDERS_1M), "a later bucket (20-30 s) is not summed for a late event");
        h.feed(payment(15 * SECOND).user("z").instrument("c-2"));
        assertEquals(2, h.features.scoredOutOfOrder(), "a payment too, by its instrument alone");
    }

    /** Money trial: 9,300 orders of the largest amount by one user read as a negative user_amount_1h (wrapped). */
    @Test
    void shouldSaturateAnAmountSumBeyondTheLongRange() {
        final long largest = 1_000_000_000_000_000L; // 10^15 minor units, the largest amount an order may have
        FeatureVector v = null;
        for (int i = 0; i < 9_300; i++) {
            v = h.feed(order(i * 100L).amount(largest));
        }
        assertEquals(9_299, v.get(USER_ORDERS_1H));
        assertEquals((double) Long.MAX_VALUE, v.get(USER_AMOUNT_1H), "saturated, not wrapped to a negative sum");
        assertEquals((double) Long.MAX_VALUE, v.get(USER_AMOUNT_24H));
    }

    @Test
    void shouldKeepVelocityPerDeviceIpAndInstrument() {
        h.feed(order(0).user("a").device("d-1").ip("1.1.1.1").instrument("c-1").amount(1000));
        h.feed(order(5 * SECOND).user("b").device("d-1").ip("2.2.2.2").instrument("c-1").amount(2000));
        final FeatureVector v = h.feed(order(8 * SECOND).user("c").device("d-1").ip("1.1.1.1").instrument("c-2").amount(10));
        // device d-1: orders of a and b = 2, 1000 + 2000 = 3000
        assertEquals(2, v.get(DEVICE_ORDERS_1M));
        assertEquals(3000, v.get(DEVICE_AMOUNT_1M));
        // IP 1.1.1.1: only a's order = 1, 1000
        assertEquals(1, v.get(IP_ORDERS_1H));
        assertEquals(1000, v.get(IP_AMOUNT_1H));
        // instrument c-2: never seen = 0; user c: unknown = 0
        assertEquals(0, v.get(INSTRUMENT_ORDERS_24H));
        assertEquals(0, v.get(USER_ORDERS_24H));
        final FeatureVector w = h.feed(order(9 * SECOND).user("d").device("d-9").ip("9.9.9.9").instrument("c-1"));
        // instrument c-1: a's and b's orders = 2, 3000
        assertEquals(2, w.get(INSTRUMENT_ORDERS_1M));
        assertEquals(3000, w.get(INSTRUMENT_AMOUNT_1M));
    }

    @Test
    void shouldCountPaymentAttemptsAndFailuresPerInstrumentAndUser() {
        h.feed(payment(0).instrument("c-1").amount(100).result(PaymentResult.DECLINED));
        h.feed(payment(10 * SECOND).instrument("c-1").amount(100).result(PaymentResult.FAILED));
        h.feed(payment(20 * SECOND).instrument("c-1").amount(100).result(PaymentResult.AUTHORIZED));
        h.feed(payment(25 * SECOND).instrument("c-1").amount(100).result(PaymentResult.CAPTURED)); // not an attempt
        final FeatureVector v = h.feed(payment(30 * SECOND).instrument("c-1").amount(100));
        // attempts: DECLINED, FAILED, AUTHORIZED = 3; failed: 2
        assertEquals(3, v.get(INSTRUMENT_PAYMENTS_1M));
        assertEquals(2, v.get(INSTRUMENT_FAILED_PAYMENTS_1M));
        assertEquals(3, v.get(USER_PAYMENTS_1H));
        assertEquals(2, v.get(USER_FAILED_PAYMENTS_24H));
        // fail ratio with prior rate 0.05, weight 2: (2 + 0.05 * 2) / (3 + 2) = 2.1 / 5 = 0.42
        assertEquals(0.42, v.get(INSTRUMENT_FAIL_RATIO), EPS);
        assertEquals(0.42, v.get(USER_FAIL_RATIO), EPS);
        assertEquals(1, v.get(IS_PAYMENT));
        // payments carry no device, IP or country
        assertMissing(v, DEVICE_ORDERS_1M);
        assertMissing(v, IP_OTHER_USERS_24H);
        assertMissing(v, NEW_DEVICE_FOR_USER);
        assertMissing(v, IP_COUNTRY_MISMATCH);
    }

    @Test
    void shouldShrinkTheFailRatioTowardsThePriorWithLittleHistory() {
        final FeatureVector unknown = h.feed(payment(0).instrument("c-9").result(PaymentResult.DECLINED));
        // no history: the prior rate itself
        assertEquals(0.05, unknown.get(INSTRUMENT_FAIL_RATIO), EPS);
        final FeatureVector one = h.feed(payment(SECOND).instrument("c-9"));
        // one failure out of one: (1 + 0.1) / (1 + 2) = 0.3667, not 100 %
        assertEquals(1.1 / 3, one.get(INSTRUMENT_FAIL_RATIO), EPS);
    }

    @Test
    void shouldComputeTheAmountZScoreAgainstTheUsersEarlierOrders() {
        h.feed(order(0).amount(1000));
        final FeatureVector second = h.feed(order(MINUTE).amount(2000));
        // one earlier order: mean 1000, but below zscoreMinHistory (3): missing
        assertEquals(1000, second.get(USER_MEAN_AMOUNT), EPS);
        assertMissing(second, USER_AMOUNT_ZSCORE);
        assertEquals(1, second.get(USER_PRIOR_ORDERS));
        h.feed(order(2 * MINUTE).amount(3000));
        final FeatureVector v = h.feed(order(3 * MINUTE).amount(6000));
        // history 1000, 2000, 3000: mean 2000, population variance (1000² + 0 + 1000²) / 3
        // = 666,666.67, sd 816.4966; floor max(0.1 * 2000, 1) = 200 is lower
        // z = (6000 - 2000) / 816.4966 = 4.8990
        assertEquals(3, v.get(USER_PRIOR_ORDERS));
        assertEquals(2000, v.get(USER_MEAN_AMOUNT), EPS);
        assertEquals(4000 / Math.sqrt(2_000_000.0 / 3), v.get(USER_AMOUNT_ZSCORE), 1e-9);
        assertEquals(4.898979, v.get(USER_AMOUNT_ZSCORE), 1e-6);
    }

    @Test
    void shouldFloorTheStandardDeviationOfAFlatHistory() {
        h.feed(order(0).user("flat").amount(1000));
        h.feed(order(MINUTE).user("flat").amount(1000));
        h.feed(order(2 * MINUTE).user("flat").amount(1000));
        final FeatureVector v = h.feed(order(3 * MINUTE).user("flat").amount(1500));
        // sd 0; scale = max(0, 0.1 * 1000, 1) = 100; z = (1500 - 1000) / 100 = 5
        assertEquals(5.0, v.get(USER_AMOUNT_ZSCORE), EPS);
    }

    @Test
    void shouldMeasureSecondsSinceSignup() {
        assertEquals(null, h.feed(activity(0, ActivityKind.SIGNUP).user("new")));
        final FeatureVector v = h.feed(order(45 * SECOND).user("new"));
        // 45 s after the SIGNUP
        assertEquals(45.0, v.get(SECONDS_SINCE_SIGNUP), EPS);
        assertEquals(0, v.get(NO_SIGNUP_SEEN));
        final FeatureVector later = h.feed(order(HOUR).user("new"));
        assertEquals(3600.0, later.get(SECONDS_SINCE_SIGNUP), EPS);
        final FeatureVector other = h.feed(order(HOUR).user("old"));
        assertMissing(other, SECONDS_SINCE_SIGNUP);
        assertEquals(1, other.get(NO_SIGNUP_SEEN));
    }

    @Test
    void shouldCountOtherUsersPerDeviceAndIpOverOneDay() {
        h.feed(order(0).user("u1").device("shared").ip("5.5.5.5"));
        h.feed(order(MINUTE).user("u2").device("shared").ip("6.6.6.6"));
        h.feed(activity(2 * MINUTE, ActivityKind.LOGIN).user("u3").device("shared").ip("5.5.5.5"));
        h.feed(activity(3 * MINUTE, ActivityKind.VIEW).user("u9").device("shared").ip("5.5.5.5")); // not a use
        final FeatureVector u1 = h.feed(order(4 * MINUTE).user("u1").device("shared").ip("5.5.5.5"));
        // device: u1, u2, u3 seen; other than u1: u2, u3 = 2. IP 5.5.5.5: u1, u3; other: 1
        assertEquals(2, u1.get(DEVICE_OTHER_USERS_24H));
        assertEquals(1, u1.get(IP_OTHER_USERS_24H));
        final FeatureVector u4 = h.feed(order(5 * MINUTE).user("u4").device("shared").ip("5.5.5.5"));
        // u4 is new: u1, u2, u3 = 3
        assertEquals(3, u4.get(DEVICE_OTHER_USERS_24H));
        final FeatureVector tomorrow = h.feed(order(24 * HOUR + 5 * MINUTE).user("u5").device("shared").ip("5.5.5.5"));
        // 24 h later every sighting (last at 0:05 by u4, exactly 24 h before) is out: > since is strict
        assertEquals(0, tomorrow.get(DEVICE_OTHER_USERS_24H));
    }

    @Test
    void shouldRememberOtherUsersPerDeviceAndIpWhileTheirStateIsKept() {
        final long day = 24 * HOUR;
        h.feed(order(0).user("u1").device("shared").ip("7.7.7.7"));
        h.feed(activity(HOUR, ActivityKind.SIGNUP).user("u2").device("shared").ip("7.7.7.7"));
        final FeatureVector tenDays = h.feed(order(10 * day).user("u3").device("shared").ip("7.7.7.7"));
        // u1 (day 0) and u2 (day 0, 1 h) are older than a day, still held
        assertEquals(0, tenDays.get(DEVICE_OTHER_USERS_24H));
        assertEquals(2, tenDays.get(DEVICE_PRIOR_USERS));
        assertEquals(0, tenDays.get(IP_OTHER_USERS_24H));
        assertEquals(2, tenDays.get(IP_PRIOR_USERS));
        final FeatureVector sameDay = h.feed(order(10 * day + MINUTE).user("u1").device("shared").ip("8.8.8.8"));
        // u1 again: other users on the device are u2, u3 (24 h: u3 only); a new IP has seen nobody
        assertEquals(1, sameDay.get(DEVICE_OTHER_USERS_24H));
        assertEquals(2, sameDay.get(DEVICE_PRIOR_USERS));
        assertEquals(0, sameDay.get(IP_PRIOR_USERS));
        final FeatureVector later = h.feed(order(35 * day).user("u5").device("shared").ip(""));
        // the device was last seen on day 10, within idleTtl (30 d): u1, u2, u3 still held; no IP: missing
        assertEquals(0, later.get(DEVICE_OTHER_USERS_24H));
        assertEquals(3, later.get(DEVICE_PRIOR_USERS));
        assertMissing(later, IP_PRIOR_USERS);
        final FeatureVector payment = h.feed(payment(35 * day + HOUR).user("u5"));
        // payments carry no device or IP
        assertMissing(payment, DEVICE_PRIOR_USERS);
        assertMissing(payment, IP_PRIOR_USERS);
        final FeatureVector gone = h.feed(order(70 * day).user("u6").device("shared").ip(""));
        // idle for 35 days (> idleTtl 30 d): the device's state was evicted, nobody is remembered
        assertEquals(0, gone.get(DEVICE_PRIOR_USERS));
    }

    @Test
    void shouldSaturateDistinctUsersAtSixteen() {
        for (int i = 0; i < 20; i++) {
            h.feed(order(i * SECOND).user("ring-" + i).device("farm"));
        }
        final FeatureVector v = h.feed(order(30 * SECOND).user("ring-new").device("farm"));
        // 20 users seen, 16 held
        assertEquals(LinkTable.USERS, v.get(DEVICE_OTHER_USERS_24H));
    }

    @Test
    void shouldFlagDevicesIpsAndInstrumentsNewToTheUser() {
        final FeatureVector first = h.feed(order(0).device("d-1").ip("1.1.1.1").instrument("c-1"));
        // unknown user: everything is new
        assertEquals(1, first.get(NEW_DEVICE_FOR_USER));
        assertEquals(1, first.get(NEW_IP_FOR_USER));
        assertEquals(1, first.get(NEW_INSTRUMENT_FOR_USER));
        final FeatureVector v = h.feed(order(MINUTE).device("d-2").ip("1.1.1.1").instrument("c-1"));
        assertEquals(1, v.get(NEW_DEVICE_FOR_USER));
        assertEquals(0, v.get(NEW_IP_FOR_USER));
        assertEquals(0, v.get(NEW_INSTRUMENT_FOR_USER));
        // a payment's instrument is remembered too
        h.feed(payment(2 * MINUTE).instrument("c-2"));
        assertEquals(0, h.feed(order(3 * MINUTE).device("d-1").instrument("c-2")).get(NEW_INSTRUMENT_FOR_USER));
        // a LOGIN from a device does not make it known to the user's orders (account takeover)
        h.feed(activity(4 * MINUTE, ActivityKind.LOGIN).device("d-evil"));
        assertEquals(1, h.feed(order(5 * MINUTE).device("d-evil")).get(NEW_DEVICE_FOR_USER));
    }

    @Test
    void shouldNotMakeACardKnownToTheUserByMoneyGoingBack() {
        // a chargeback (or refund) names a card but is no use of it by the user: an order with a card seen only in a
        // chargeback is still of a card new to the user (a chargeback's card had become known to its user)
        h.feed(order(0).instrument("c-1"));
        h.feed(payment(MINUTE).instrument("c-stolen").result(PaymentResult.CHARGEBACK));
        h.feed(payment(2 * MINUTE).instrument("c-other").result(PaymentResult.REFUNDED));
        assertEquals(1, h.feed(order(3 * MINUTE).instrument("c-stolen")).get(NEW_INSTRUMENT_FOR_USER));
        assertEquals(1, h.feed(order(4 * MINUTE).instrument("c-other")).get(NEW_INSTRUMENT_FOR_USER));
        h.feed(payment(5 * MINUTE).instrument("c-declined").result(PaymentResult.DECLINED));
        assertEquals(0, h.feed(order(6 * MINUTE).instrument("c-declined")).get(NEW_INSTRUMENT_FOR_USER),
            "an attempt, even declined, is the user's use of the card (as before)");
    }

    @Test
    void shouldForgetTheOldestOfMoreThanEightDevices() {
        for (int i = 0; i < 9; i++) {
            h.feed(order(i * MINUTE).device("d-" + i));
        }
        // d-1..d-8 are the last 8; d-0 dropped
        assertEquals(0, h.feed(order(10 * MINUTE).device("d-1")).get(NEW_DEVICE_FOR_USER));
        assertEquals(1, h.feed(order(11 * MINUTE).device("d-0")).get(NEW_DEVICE_FOR_USER));
    }

    @Test
    void shouldCompareCountriesOfTheIpAndTheUser() {
        final FeatureVector first = h.feed(order(0).user("u1").ip("7.7.7.7").country("DE"));
        assertMissing(first, IP_COUNTRY_MISMATCH);
        assertMissing(first, USER_COUNTRY_CHANGE);
        final FeatureVector v = h.feed(order(MINUTE).user("u2").ip("7.7.7.7").country("FR"));
        // the previous order from 7.7.7.7 (u1's) was DE: mismatch; u2 has no earlier order
        assertEquals(1, v.get(IP_COUNTRY_MISMATCH));
        assertMissing(v, USER_COUNTRY_CHANGE);
        final FeatureVector w = h.feed(order(2 * MINUTE).user("u1").ip("8.8.8.8").country("FR"));
        // u1's previous order was DE: changed; 8.8.8.8 never ordered from: missing
        assertEquals(1, w.get(USER_COUNTRY_CHANGE));
        assertMissing(w, IP_COUNTRY_MISMATCH);
        final FeatureVector same = h.feed(order(3 * MINUTE).user("u1").ip("8.8.8.8").country("FR"));
        assertEquals(0, same.get(USER_COUNTRY_CHANGE));
        assertEquals(0, same.get(IP_COUNTRY_MISMATCH));
    }

    @Test
    void shouldEvictIdleKeysInEventTime() {
        final FeatureHarness small = new FeatureHarness(
            new FeatureSettings(16, 16, 16, 16, 24 * HOUR, 3, 0.05, 2));
        small.feed(order(0).user("sleepy").amount(500));
        small.feed(order(MINUTE).user("busy"));
        assertEquals(1, small.feed(order(2 * MINUTE).user("sleepy")).get(USER_PRIOR_ORDERS));
        // 25 h later sleepy (last seen 0:02) is idle past the 24 h TTL: evicted, history gone
        small.feed(order(25 * HOUR).user("other"));
        assertEquals(0, small.feed(order(25 * HOUR + SECOND).user("sleepy")).get(USER_PRIOR_ORDERS));
        assertTrue(small.features.evictedIdle() > 0);
    }

    /**
     * Audit: a key idle past the TTL was forgotten only when the sweep (2 slots per event) reached it, so a user back
     * after 75 days on real data still saw his old signup. Looked up, it starts fresh.
     */
    @Test
    void shouldForgetAKeyIdleLongerThanTheTtlWhenItIsLookedUp() {
        final long day = 24 * HOUR;
        h.feed(order(0).user("sleepy").amount(500));
        for (int i = 0; i < 500; i++) {
            h.feed(order(SECOND + i).user("u" + i));
        }
        final FeatureVector back = h.feed(order(31 * day).user("sleepy"));
        assertEquals(0, back.get(USER_PRIOR_ORDERS), "idle 31 days > idleTtl 30 d");
        assertEquals(1, h.feed(order(31 * day + MINUTE).user("sleepy")).get(USER_PRIOR_ORDERS), "and known again from there");
        assertEquals(0, h.feed(order(31 * day + 2 * MINUTE).user("u7")).get(USER_PRIOR_ORDERS), "u7 idle too: fresh");
    }

    /**
     * Audit: one event stamped 40 days ahead (a VIEW of another user) made every key idle against its time; the sweep
     * evicted them, and a card-testing user's history was gone for his next payment (review: counted from the earlier of
     * two events' times, two such events in a row did the same). Idle time counts from each event's own time, and the
     * sweep's clock moves at most an hour per event.
     */
    @Test
    void shouldNotAgeTheKeysByEventsStampedFarAhead() {
        final long day = 24 * HOUR;
        h.feed(order(0).user("cu"));
        h.feed(order(MINUTE).user("cu"));
        for (int i = 0; i < 20; i++) {
            h.feed(activity(40 * day + i * SECOND, ActivityKind.VIEW).user("someone-else"));
        }
        assertEquals(2, h.feed(order(2 * MINUTE).user("cu")).get(USER_PRIOR_ORDERS));
        assertEquals(0, h.features.evictedIdle());
    }

    @Test
    void shouldReplaceTheLeastRecentlySeenKeyWhenFull() {
        final FeatureHarness small = new FeatureHarness(
            new FeatureSettings(16, 64, 64, 64, 30 * 24 * HOUR, 3, 0.05, 2));
        for (int i = 0; i < 16; i++) {
            small.feed(order(i * SECOND).user("u" + i));
        }
        small.feed(order(20 * SECOND).user("u0")); // u0 is now the most recent; u1 the least
        small.feed(order(21 * SECOND).user("u16")); // table full: replaces u1
        assertEquals(16, small.features.users.size());
        assertEquals(1, small.features.users.evictedFull());
        assertEquals(2, small.feed(order(22 * SECOND).user("u0")).get(USER_PRIOR_ORDERS));
        assertEquals(0, small.feed(order(23 * SECOND).user("u1")).get(USER_PRIOR_ORDERS));
    }

    @Test
    void shouldNotCountAnOrderOlderThanTheHorizonBehindTheKeysNewest() {
        h.feed(order(HOUR).amount(10));
        // 2 minutes late: within 1h and 24h, so counted there; in 1m its bucket (348, 10-s buckets)
        // shares ring position 348 mod 6 = 0 with the 1:00 order's bucket 360 = newer, so it is not
        // counted in 1m (no later 1m query could include it)
        h.feed(order(HOUR - 2 * MINUTE).amount(20));
        final FeatureVector v = h.feed(order(HOUR + SECOND).amount(30));
        assertEquals(1, v.get(USER_ORDERS_1M)); // the 1:00 order only
        assertEquals(2, v.get(USER_ORDERS_1H));
        assertEquals(10 + 20, v.get(USER_AMOUNT_24H));
    }
}
