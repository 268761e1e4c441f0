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
    /** Divides minor units into major units of the key's currency (1 for counts). */
    double unit = 1.0;
    /** Start of the last interval in which the key had an event. */
    long lastActive;
    /** The value of the interval being closed, if the key had events in it. */
    double pending;
    boolean hasPending;
    AnomalySeries nextFree;

    AnomalySeries(final AnomalySpec spec, final int maxKeyLength) {
        detector = new AnomalyDetector(spec);
        key = new byte[Math.max(maxKeyLength, Ids.MAX_ID_BYTES)];
    }

    void reset(final long keyHash, final byte[] keyText, final int keyLength, final double unit, final long start) {
        detector.reset();
        this.keyHash = keyHash;
        System.arraycopy(keyText, 0, key, 0, keyLength);
        this.keyLength = keyLength;
        this.unit = unit;
        this.lastActive = start;
        pending = 0.0;
        hasPending = false;
        nextFree = null;
    }
}
