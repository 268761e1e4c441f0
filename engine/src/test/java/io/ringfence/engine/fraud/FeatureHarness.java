package io.ringfence.engine.fraud;

import org.agrona.concurrent.UnsafeBuffer;

/** Feeds hand-made events to a {@link FraudFeatures} and returns copies of the vectors. */
final class FeatureHarness {
    final FraudFeatures features;
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[4096]);
    private final FeatureVector vector = new FeatureVector();

    FeatureHarness() {
        this(FeatureSettings.defaults());
    }

    FeatureHarness(final FeatureSettings settings) {
        features = new FraudFeatures(settings);
    }

    /** Feeds the event; returns its features (a copy), or null for an activity. */
    FeatureVector feed(final FraudEvents.Event event) {
        event.encode(buffer);
        if (!features.onEvent(buffer, 0, vector)) {
            return null;
        }
        final FeatureVector copy = new FeatureVector();
        vector.copyTo(copy.values);
        return copy;
    }
}
