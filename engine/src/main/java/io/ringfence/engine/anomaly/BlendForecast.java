package io.ringfence.engine.anomaly;

import io.ringfence.engine.snapshot.SnapshotFormatException;
import io.ringfence.engine.snapshot.StateReader;
import io.ringfence.engine.snapshot.StateWriter;

/**
 * {@code forecast: blend}: a fixed weighted mean of a {@link SeasonalMean} and a
 * {@link HoltWinters} forecast on the model scale, both learning every interval.
 *
 * <pre>
 *  forecast  ŷ = w·ŷ_mean + (1 − w)·ŷ_hw        (w = blendWeight; on log(1 + y) or linear, as the detector)
 *  update    both models learn the same (clipped) y; a skip skips both; phases are aligned together
 * </pre>
 *
 * The seasonal mean follows a busy hour's level better (outages of busy hours), Holt-Winters
 * adapts its season faster (spikes and shifts of sparse series): docs/anomaly.md "Anomaly monitoring" has
 * what the weight buys on Online Retail. Deterministic, nothing allocated per interval; the state
 * is the two models' states after a tag naming the layout, so a snapshot of another forecast is
 * refused.
 */
public final class BlendForecast implements SeasonalForecast {
    /** Written first: a blend's state, not a bare Holt-Winters or seasonal mean one. */
    static final int LAYOUT_TAG = 0x424C4E44; // "BLND"

    private final double weight;
    private final HoltWinters holtWinters;
    private final SeasonalMean mean;

    public BlendForecast(final AnomalySpec spec) {
        this(spec.blendWeight(), new HoltWinters(spec), new SeasonalMean(spec));
    }

    /**
     * @param weight      the seasonal mean's weight, 0 .. 1
     * @param holtWinters the Holt-Winters model (owned from now on)
     * @param mean        the seasonal mean (owned from now on), of the same season length
     */
    public BlendForecast(final double weight, final HoltWinters holtWinters, final SeasonalMean mean) {
        if (!(weight >= 0.0 && weight <= 1.0) || holtWinters.seasonLength() != mean.seasonLength()) {
            throw new IllegalArgumentException("blend: weight " + weight + " must be within 0..1 and both seasons equal ("
                + holtWinters.seasonLength() + " and " + mean.seasonLength() + " intervals)");
        }
        this.weight = weight;
        this.holtWinters = holtWinters;
        this.mean = mean;
    }

    @Override
    public double forecast() {
        return weight * mean.forecast() + (1.0 - weight) * holtWinters.forecast();
    }

    @Override
    public boolean initialised() {
        return holtWinters.initialised();
    }

    @Override
    public void update(final double y) {
        holtWinters.update(y);
        mean.update(y);
    }

    @Override
    public void skip() {
        holtWinters.skip();
        mean.skip();
    }

    @Override
    public void alignPhase(final int phase) {
        holtWinters.alignPhase(phase);
        mean.alignPhase(phase);
    }

    @Override
    public long count() {
        return holtWinters.count();
    }

    @Override
    public int phase() {
        return holtWinters.phase();
    }

    @Override
    public int seasonLength() {
        return holtWinters.seasonLength();
    }

    /** The seasonal mean's weight. */
    public double weight() {
        return weight;
    }

    /** The Holt-Winters half. */
    public HoltWinters holtWinters() {
        return holtWinters;
    }

    /** The seasonal-mean half. */
    public SeasonalMean seasonalMean() {
        return mean;
    }

    @Override
    public void reset() {
        holtWinters.reset();
        mean.reset();
    }

    @Override
    public void write(final StateWriter w) {
        w.putInt(LAYOUT_TAG);
        holtWinters.write(w);
        mean.write(w);
    }

    @Override
    public void read(final StateReader r) {
        final int tag = r.getInt();
        if (tag != LAYOUT_TAG) {
            throw new SnapshotFormatException("the snapshot's anomaly forecast is not a blend (tag " + Integer.toHexString(tag)
                + ", expected " + Integer.toHexString(LAYOUT_TAG) + "): it was taken under another forecast");
        }
        holtWinters.read(r);
        mean.read(r);
    }

    @Override
    public long hash(final long h) {
        return mean.hash(holtWinters.hash(AnomalyDetector.mix(h, LAYOUT_TAG)));
    }

    /** The tag and both models' states. */
    @Override
    public long stateBytesBound() {
        return 4 + holtWinters.stateBytesBound() + mean.stateBytesBound();
    }
}
