package io.ringfence.engine.anomaly;

import io.ringfence.engine.model.Currencies;
import io.ringfence.engine.output.OutputBuffer;
import io.ringfence.engine.snapshot.SnapshotFormatException;
import io.ringfence.engine.snapshot.StateReader;
import io.ringfence.engine.snapshot.StateWriter;
import io.ringfence.engine.window.NumericStats;
import io.ringfence.engine.window.WindowCloseListener;
import org.agrona.collections.Long2ObjectHashMap;

import java.util.Arrays;

/**
 * One {@code anomalies:} entry at work: a series per key of its tumbling window, each fed one
 * value per interval on one event-time grid, and an {@code AnomalyAlert} when a series' detector
 * raises one.
 *
 * <pre>
 *  window closes [t, t+size) ─▶ onKeyClosed (keys with events: value)  ─┐
 *                            └▶ onWindowClosed ─────────────────────────┴▶ every tracked series
 *  watermark passes t+size with no event in [t, t+size) ─▶ onWatermark ──▶   observes its value,
 *                                                                           0 (count, sum) or a gap (mean, rate)
 * </pre>
 *
 * <p>Rates ({@code rate(failed)}, ...) observe subset / base of the interval with its base count
 * n (binomial spread, {@link AnomalyDetector#observeRateAt}); an interval whose base count is below
 * {@code minCount} is a gap.
 *
 * <p>Series are visited in the order they were created (an array, never a hash map), so the
 * alerts and the state are deterministic. A series starts at the first interval in which its key
 * had an event. Bounds: at most {@code maxSeries} series (a further key is refused and counted in
 * {@link #seriesDropped()}); a series whose key had no event for {@code idleIntervals} intervals
 * is evicted after its interval is fed (counted in {@link #seriesEvicted()}), its objects pooled.
 * If the watermark jumps further than {@code idleIntervals} intervals, every series is evicted
 * without being fed the empty intervals. Allocation-free per interval once the pool holds
 * {@code maxSeries} series.
 */
public final class AnomalyMonitor implements WindowCloseListener {
    /**
     * "ANM5": the seasonal mean, too, counts its intervals from a series' first observation (2026-12-06; a snapshot of "ANM4",
     * written by the same day's earlier builds, counts them from the series' creation and may hold an anomaly started in what
     * is now a warm-up); "ANM4": Holt-Winters keeps its first season's observation count (2026-12-06: gaps before the first
     * observation no longer initialise the season at 0); "ANM3": a compound unit is taken from the first season too (2026-12-05; a snapshot of "ANM2" holds units of 1 where
     * this build has learned one, so it is refused and the journal replayed); "ANM2": series carry their currency (the
     * first format, "ANOM", did not).
     */
    private static final int MARKER = 0x414e4d35;
    /**
     * The state hash's seed, unchanged since "ANM2" (the hash compares states of one build: run, replay, restore; since "ANM4"
     * a Holt-Winters series also hashes its first season's observation count, so hashes differ from earlier builds').
     */
    private static final int HASH_SEED = 0x414e4d32;

    private final AnomalyMonitorSpec spec;
    private final AnomalyAlertPublisher publisher;
    private final SeasonClock clock;
    private final long size;
    private final long idleMicros;
    /** Rates: an interval with a smaller base count is a gap; 1 for other metrics (an interval with events). */
    private final long minTrials;
    private final boolean rate;
    private final byte[][] keys;
    private final int maxKeyLength;
    private final Long2ObjectHashMap<AnomalySeries> byKey;
    private final AnomalySeries[] order;
    private int count;
    private AnomalySeries free;
    private long nextStart = Long.MIN_VALUE;
    /** A value {@link #onKeyClosed} set waits for its interval's {@link #feed} (per event: not in snapshots). */
    private boolean pendingOpen;
    private long seriesDropped;
    private long seriesEvicted;
    private long alerts;

    public AnomalyMonitor(final AnomalyMonitorSpec spec) {
        this.spec = spec;
        this.publisher = new AnomalyAlertPublisher(spec);
        this.size = spec.window().sizeMicros();
        this.clock = new SeasonClock(spec.detector().timeZone(), size, spec.detector().seasonLength());
        this.idleMicros = spec.idleIntervals() * size;
        this.rate = spec.metric().isRate();
        this.minTrials = rate ? spec.minCount() : 1;
        this.keys = spec.keys().toArray(new byte[0][]);
        this.maxKeyLength = spec.window().maxKeyTextLength();
        this.byKey = new Long2ObjectHashMap<>(Math.min(spec.maxSeries(), 1 << 16) * 2, 0.65f);
        this.order = new AnomalySeries[spec.maxSeries()];
    }

    public AnomalyMonitorSpec spec() {
        return spec;
    }

    @Override
    public void onKeyClosed(final long start, final long keyHash, final byte[] keyText, final int keyLength, final byte[] currency,
                            final long events, final NumericStats amount, final NumericStats qty, final long[] subsets,
                            final long seq, final OutputBuffer out) {
        if (start < nextStart) {
            return; // cannot happen: the window closes intervals in order
        }
        catchUp(start, seq, out);
        AnomalySeries s = byKey.get(keyHash);
        if (s == null) {
            if (!watched(keyText, keyLength)) {
                return;
            }
            if (count == order.length) {
                seriesDropped++;
                return;
            }
            s = create(keyHash, keyText, keyLength, currency, unit(currency), start);
        }
        s.lastActive = start;
        s.hasPending = true;
        pendingOpen = true;
        s.pendingHits = 0;
        s.pendingTrials = events;
        switch (spec.metric()) {
            case COUNT:
                s.pending = events;
                break;
            case SUM_AMOUNT:
                s.pending = amount.sum() / s.unit;
                break;
            case MEAN_AMOUNT:
                // the window result's mean, rounded half-even to the minor unit, so an alert's observed is what that result
                // says (audit: observed 32.99666666666666 where the result read 33.00)
                s.pending = amount.meanRounded() / s.unit;
                break;
            default: // a rate: subset over base, observed only when the base reaches minCount
                s.pendingHits = subsets[spec.subsetIndex()];
                s.pendingTrials = spec.baseIndex() < 0 ? events : subsets[spec.baseIndex()];
                s.pending = s.pendingTrials == 0 ? 0.0 : (double) s.pendingHits / s.pendingTrials;
                break;
        }
    }

    @Override
    public void onWindowClosed(final long start, final long seq, final OutputBuffer out) {
        if (start < nextStart) {
            return;
        }
        catchUp(start, seq, out);
        feed(start, seq, out);
        nextStart = start + size;
    }

    @Override
    public void onWatermark(final long watermark, final long seq, final OutputBuffer out) {
        if (nextStart == Long.MIN_VALUE || watermark - size < nextStart) {
            return;
        }
        catchUp(Math.floorDiv(watermark, size) * size, seq, out);
    }

    /**
     * At the start of an event: drops the values {@link #onKeyClosed} left for an interval whose
     * {@link #onWindowClosed} never came (the event that closed it failed part-way; the business
     * handler goes on). They are not in snapshots, so an engine restored at that event feeds the
     * interval without them, and one that never stopped must too. Nothing to do after a normal event.
     */
    void begin() {
        if (pendingOpen) {
            for (int i = 0; i < count; i++) {
                order[i].hasPending = false;
            }
            pendingOpen = false;
        }
    }

    /** Feeds every interval before {@code start} not fed yet (no key had an event in them). */
    private void catchUp(final long start, final long seq, final OutputBuffer out) {
        if (nextStart == Long.MIN_VALUE || count == 0) {
            nextStart = Math.max(nextStart, start);
            return;
        }
        if (idleGap(start)) {
            evictAll();
            nextStart = start;
            return;
        }
        while (nextStart < start) {
            feed(nextStart, seq, out);
            nextStart += size;
        }
    }

    /**
     * Whether the intervals from {@code nextStart} to {@code start} hold more than {@code idleIntervals} of open time: the
     * closed ones ({@code closed}) are not idleness (anomaly trial, MEDIUM: a declared 21-day closure, longer than the
     * default 14 days, evicted the series, which then warmed up again and missed a 10x hour after the reopening).
     */
    private boolean idleGap(final long start) {
        if (start - nextStart <= idleMicros) {
            return false;
        }
        final ClosureCalendar closures = spec.detector().closures();
        if (closures.ranges() == 0) {
            return true;
        }
        long open = 0;
        for (long t = nextStart; t < start; t += size) { // at most idleIntervals open intervals and the closed ones
            if (!closures.isClosed(t + size / 2) && (open += size) > idleMicros) {
                return true;
            }
        }
        return false;
    }

    /** One interval for every series, in creation order; then evicts the series idle for too long. */
    private void feed(final long start, final long seq, final OutputBuffer out) {
        final boolean zero = spec.metric().zeroWhenEmpty();
        final int phase = clock.phase(start);
        // a closed interval is not idleness: the series' idle time runs on from where it was (lastActive moves with it)
        final boolean closed = spec.detector().closures().isClosed(start + size / 2);
        int kept = 0;
        for (int i = 0; i < count; i++) {
            final AnomalySeries s = order[i];
            final AnomalyResult r;
            if (s.hasPending && s.pendingTrials >= minTrials) {
                r = rate ? s.detector.observeRateAt(start, s.pending, s.pendingTrials, phase) : s.detector.observeAt(start, s.pending, phase);
            } else if (zero) {
                r = s.detector.observeAt(start, 0.0, phase);
            } else {
                r = s.detector.missingAt(start, phase); // mean without events, rate below minCount: a gap
            }
            s.hasPending = false;
            if (r.isAlert()) {
                alerts++;
                publisher.publish(seq, s, r, out);
            }
            // a key silent for idleIntervals is forgotten, unless an anomaly of it is in progress: that silence is the
            // anomaly (an outage), and its ENDED is still to come (re-trial: a 72-hour outage was evicted, never ENDED)
            if (closed) {
                s.lastActive = Math.max(s.lastActive, Math.min(start, s.lastActive + size));
            }
            if (start - s.lastActive >= idleMicros && !s.detector.inAnomaly()) {
                release(s);
            } else {
                order[kept++] = s;
            }
        }
        Arrays.fill(order, kept, count, null);
        count = kept;
        pendingOpen = false; // every series' value was used (or dropped)
    }

    private boolean watched(final byte[] keyText, final int keyLength) {
        if (keys.length == 0) {
            return true;
        }
        for (final byte[] k : keys) {
            if (Arrays.equals(k, 0, k.length, keyText, 0, keyLength)) {
                return true;
            }
        }
        return false;
    }

    private double unit(final byte[] currency) {
        if (spec.metric() != AnomalyMonitorSpec.SeriesMetric.SUM_AMOUNT && spec.metric() != AnomalyMonitorSpec.SeriesMetric.MEAN_AMOUNT) {
            return 1.0;
        }
        final int digits = Currencies.fractionDigits(currency[0], currency[1], currency[2]);
        return digits <= 0 ? 1.0 : Math.pow(10, digits);
    }

    private AnomalySeries create(final long keyHash, final byte[] keyText, final int keyLength, final byte[] currency, final double unit,
                                 final long start) {
        AnomalySeries s = free;
        if (s != null) {
            free = s.nextFree;
        } else {
            s = new AnomalySeries(spec.detector(), size, maxKeyLength);
        }
        s.reset(keyHash, keyText, keyLength, currency, unit, start);
        byKey.put(keyHash, s);
        order[count++] = s;
        return s;
    }

    private void release(final AnomalySeries s) {
        byKey.remove(s.keyHash);
        s.nextFree = free;
        free = s;
        seriesEvicted++;
    }

    private void evictAll() {
        for (int i = 0; i < count; i++) {
            release(order[i]);
            order[i] = null;
        }
        count = 0;
    }

    /** Series tracked now. */
    public int series() {
        return count;
    }

    /** Keys refused because {@code maxSeries} series were tracked. */
    public long seriesDropped() {
        return seriesDropped;
    }

    /** Series evicted because their key was idle for {@code idleIntervals} intervals. */
    public long seriesEvicted() {
        return seriesEvicted;
    }

    /** Alerts published so far. */
    public long alerts() {
        return alerts;
    }

    /** The detector of a tracked key (tests), or null. */
    public AnomalyDetector detector(final long keyHash) {
        final AnomalySeries s = byKey.get(keyHash);
        return s == null ? null : s.detector;
    }

    /** The detector of a tracked key by its text (tests, tools; scans the series), or null. */
    public AnomalyDetector detector(final String key) {
        final byte[] k = key.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        for (int i = 0; i < count; i++) {
            if (Arrays.equals(k, 0, k.length, order[i].key, 0, order[i].keyLength)) {
                return order[i].detector;
            }
        }
        return null;
    }

    /** A deterministic hash of the whole state, series in creation order. */
    public long stateHash() {
        long h = AnomalyDetector.mix(HASH_SEED, nextStart);
        h = AnomalyDetector.mix(h, seriesDropped);
        h = AnomalyDetector.mix(h, seriesEvicted);
        h = AnomalyDetector.mix(h, alerts);
        h = AnomalyDetector.mix(h, count);
        for (int i = 0; i < count; i++) {
            final AnomalySeries s = order[i];
            h = AnomalyDetector.mix(h, s.keyHash);
            h = AnomalyDetector.mix(h, s.lastActive);
            h = AnomalyDetector.mix(h, Double.doubleToRawLongBits(s.unit));
            h = AnomalyDetector.mix(h, (s.currency[0] & 0xffL) | (s.currency[1] & 0xffL) << 8 | (s.currency[2] & 0xffL) << 16);
            h = AnomalyDetector.mix(h, s.detector.stateHash());
        }
        return h;
    }

    /** Writes the monitor's state: clock, counters, then each series in creation order. */
    /** An upper bound of the bytes {@link #writeState} writes now (every series' key counted full). */
    public long stateBytesBound() {
        final long head = 4 + 4 + 3L * spec.name().length() + 4 * 8 + 4;
        if (count == 0) {
            return head;
        }
        final AnomalySeries s = order[0];
        return head + (long) count * (8 + 4 + s.key.length + 3 + 8 + 8 + s.detector.stateBytesBound());
    }

    public void writeState(final StateWriter w) {
        w.putInt(MARKER).putText(spec.name()).putLong(nextStart).putLong(seriesDropped).putLong(seriesEvicted).putLong(alerts)
            .putInt(count);
        for (int i = 0; i < count; i++) {
            final AnomalySeries s = order[i];
            w.putLong(s.keyHash).putInt(s.keyLength).putBytes(s.key, 0, s.keyLength).putBytes(s.currency, 0, 3).putDouble(s.unit)
                .putLong(s.lastActive);
            s.detector.writeState(w);
        }
    }

    /** Restores {@link #writeState}'s state into a monitor that has seen nothing. */
    public void readState(final StateReader r) {
        r.expect(MARKER, "anomaly monitor");
        final String name = r.getText();
        if (!name.equals(spec.name())) {
            throw new SnapshotFormatException("expected anomaly monitor " + spec.name() + ", found " + name);
        }
        if (count != 0 || nextStart != Long.MIN_VALUE) {
            throw new IllegalStateException(spec.name() + ": a snapshot is read into a new anomaly monitor only");
        }
        nextStart = r.getLong();
        seriesDropped = r.getLong();
        seriesEvicted = r.getLong();
        alerts = r.getLong();
        final int n = r.getInt(spec.name() + " series", 0, order.length);
        final byte[] key = new byte[Math.max(maxKeyLength, io.ringfence.engine.model.Ids.MAX_ID_BYTES)];
        final byte[] currency = new byte[3];
        for (int i = 0; i < n; i++) {
            final long keyHash = r.getLong();
            final int length = r.getInt(spec.name() + " key length", 0, key.length);
            r.getBytes(key, 0, length);
            r.getBytes(currency, 0, 3);
            final double unit = r.getDouble();
            final long lastActive = r.getLong();
            if (byKey.containsKey(keyHash)) {
                throw new SnapshotFormatException(spec.name() + ": series " + keyHash + " twice");
            }
            final AnomalySeries s = create(keyHash, key, length, currency, unit, lastActive);
            s.detector.readState(r);
        }
    }
}
