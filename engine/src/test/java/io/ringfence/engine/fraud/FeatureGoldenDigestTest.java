package io.ringfence.engine.fraud;

import io.ringfence.sbe.ActivityKind;
import io.ringfence.sbe.PaymentResult;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Pins every feature value (raw bits, NaN included) of fixed random event streams, and the eviction
 * counts, to digests recorded before the feature stage's hot path was optimised: a change to any
 * feature of any event changes a digest. The streams mix orders, payments (every result) and
 * activities (every kind) over keys shared between users, with absent ids, late events up to 30 h
 * back, gaps past the 24 h horizon and the idle TTL, and tables small enough that keys are
 * replaced all the time.
 */
class FeatureGoldenDigestTest {
    private static final PaymentResult[] RESULTS = PaymentResult.values();
    private static final ActivityKind[] KINDS = ActivityKind.values();

    /**
     * Features the digests were recorded over (the first 52); features appended later are
     * checked by their own tests, so adding one does not re-record these.
     */
    private static final int GOLDEN_FEATURES = 52;

    static String digest(final FeatureSettings settings, final long seed, final int events) throws Exception {
        final MessageDigest md = MessageDigest.getInstance("SHA-256");
        final FraudFeatures features = new FraudFeatures(settings);
        final FeatureVector vector = new FeatureVector();
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[4096]);
        final SplittableRandom random = new SplittableRandom(seed);
        final byte[] l = new byte[8];
        final int[] valued = new int[Feature.COUNT];
        long t = 0;
        for (int i = 0; i < events; i++) {
            final int step = random.nextInt(100);
            if (step < 70) {
                t += random.nextLong(3 * FraudEvents.SECOND);
            } else if (step < 95) {
                t += random.nextLong(10 * FraudEvents.MINUTE);
            } else if (step < 99) {
                t += random.nextLong(3 * FraudEvents.HOUR);
            } else {
                t += random.nextLong(40 * FraudEvents.HOUR);
            }
            final long at = random.nextInt(50) == 0 ? t - random.nextLong(30 * FraudEvents.HOUR) : t;
            final String user = id(random, "u", 3_000);
            final String device = id(random, "d", 1_500);
            final String ip = id(random, "10.0.", 400);
            final String card = id(random, "card-", 2_000);
            final int kind = random.nextInt(10);
            if (kind < 5) {
                final String country = random.nextInt(20) == 0 ? "" : random.nextInt(8) == 0 ? "FR" : "DE";
                FraudEvents.order(at).user(user).device(device).ip(ip).instrument(card).country(country)
                    .amount(random.nextInt(10) == 0 ? random.nextLong(10_000_000) : 100 + random.nextInt(5_000)).encode(buffer);
            } else if (kind < 8) {
                FraudEvents.payment(at).user(user).instrument(card).amount(1 + random.nextInt(9_000))
                    .result(RESULTS[random.nextInt(RESULTS.length - 1)]).encode(buffer);
            } else {
                FraudEvents.activity(at, KINDS[random.nextInt(KINDS.length - 1)]).user(user).device(device).ip(ip).encode(buffer);
            }
            vector.clear();
            final boolean scored = features.onEvent(buffer, 0, vector);
            put(md, l, scored ? 1 : 0);
            if (scored) {
                for (int f = 0; f < Feature.COUNT; f++) {
                    if (f < GOLDEN_FEATURES) {
                        put(md, l, Double.doubleToRawLongBits(vector.get(f)));
                    }
                    if (!Double.isNaN(vector.get(f)) && vector.get(f) != 0) {
                        valued[f]++;
                    }
                }
            }
        }
        for (int f = 0; f < Feature.COUNT; f++) {
            // risky_items needs configured lists and item lines (this stream has neither): RiskyItemsTest
            assertTrue(valued[f] > 0 || f == Feature.RISKY_ITEMS.ordinal(), "the stream never gives a value to " + Feature.at(f));
        }
        assertTrue(features.evictedIdle() > 0, "idle eviction ran");
        assertTrue(settings.maxUsers() > 3_000 || features.evictedFull() > 0, "full-table replacement ran");
        put(md, l, features.evictedFull());
        put(md, l, features.evictedIdle());
        return HexFormat.of().formatHex(md.digest());
    }

    /** An id from a skewed pool (a few keys are hot), empty one time in 30. */
    private static String id(final SplittableRandom random, final String prefix, final int pool) {
        if (random.nextInt(30) == 0) {
            return "";
        }
        final int n = random.nextInt(4) == 0 ? random.nextInt(20) : random.nextInt(pool);
        return prefix + n;
    }

    private static void put(final MessageDigest md, final byte[] l, final long v) {
        for (int i = 0; i < 8; i++) {
            l[i] = (byte) (v >> (8 * i));
        }
        md.update(l);
    }

    /*
     * Re-recorded on 2026-12-05 (from e02d3440... and f13d134d...) for one deliberate change alone: a key idle for idleTtl
     * before an event's own time is forgotten when that event looks it up, and the sweep counts idle time by a clock
     * that follows event time by at most an hour per event, not from the newest time seen (FraudFeaturesTest: idle keys,
     * far-ahead events). Re-recorded on 2026-12-03 (from 53027e62... and f8c25f45...) for one deliberate change alone: a REFUNDED or
     * CHARGEBACK payment no longer makes its card one of the user's known instruments (new_instrument_for_user).
     */
    @Test
    void defaultSettingsMatchRecordedDigest() throws Exception {
        assertEquals("8384e3bbc4b6363491a84645474eb5f7c2b1315e38fdd8bd9ee127fa0b7bc3d1", digest(FeatureSettings.defaults(), 42, 300_000));
    }

    @Test
    void smallTablesAndShortTtlMatchRecordedDigest() throws Exception {
        final FeatureSettings small = new FeatureSettings(256, 128, 64, 200, 6 * Horizon.SECOND * 3_600, 3, 0.05, 2.0);
        assertEquals("cded9aef9fee944277381ed89ec81ad63594155f3c51e0348764b08bab628304", digest(small, 43, 300_000));
    }
}
