package io.ringfence.engine.anomaly;

import io.ringfence.engine.model.Ids;

/**
 * One watched series: a key of a tumbling window, its detector, and when it last had an event.
 * Pooled by its {@link AnomalyMonitor}: reset and reused after eviction.
 */
final class AnomalySeries {
    final AnomalyDetector detector;
    final byte[] key;
    int keyLength;
    long keyHash;
    /** The key's currency in money windows (state is per key and currency), three NUL bytes otherwise. */
    final byte[] currency = new byte[3];
    /** Divides minor units into major units of the key's currency (1 for counts). */
    double unit = 1.0;
    /** Start of the last interval in which the key had an event. */
    long lastActive;
    /** The value of the interval being closed, if the key had events in it. */
    double pending;
    /** Rates: the interval's subset count and base count (its n); other metrics: 0 and the events. */
    long pendingHits;
    long pendingTrials;
    boolean hasPending;
    AnomalySeries nextFree;

    AnomalySeries(final AnomalySpec spec, final long intervalMicros, final int maxKeyLength) {
        detector = new AnomalyDetector(spec, intervalMicros);
        key = new byte[Math.max(maxKeyLength, Ids.MAX_ID_BYTES)];
    }

    void reset(final long keyHash, final byte[] keyText, final int keyLength, final byte[] currency, final double unit, final long start) {
        System.arraycopy(currency, 0, this.currency, 0, 3);
        detector.reset();
        this.keyHash = keyHash;
        System.arraycopy(keyText, 0, key, 0, keyLength);
        this.keyLength = keyLength;
        this.unit = unit;
        this.lastActive = start;
        pending = 0.0;
        pendingHits = 0;
        pendingTrials = 0;
        hasPending = false;
        nextFree = null;
    }
}
