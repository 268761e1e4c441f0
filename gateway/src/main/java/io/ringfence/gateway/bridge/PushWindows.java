package io.ringfence.gateway.bridge;

import io.ringfence.engine.anomaly.AnomalyMonitorConfig;
import io.ringfence.engine.cart.CartStage;
import io.ringfence.engine.config.EngineConfig;
import io.ringfence.engine.trending.TrendingPushWriter;
import io.ringfence.engine.window.WindowConfig;
import io.ringfence.sbe.Topic;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The window names a WINDOW filter can match on this server, per topic: the configured tumbling
 * windows for WINDOW_RESULT (sliding ones are never emitted), the windows anomaly monitors watch for ANOMALY, and trendingViews,
 * trendingSales and cartAbandoned for TRENDING (where enabled). A subscription to another name
 * would be accepted and then never receive a push, which reads exactly like a quiet shop; so
 * the server refuses it, naming the windows it has.
 */
final class PushWindows {
    /** No check (servers built without an engine configuration, tests). */
    static final PushWindows ANY = new PushWindows(null);

    private final Map<Topic, List<String>> names;
    /** Configured sliding windows: queried by scoring, never emitted. */
    private final List<String> sliding;

    private PushWindows(final Map<Topic, List<String>> names) {
        this(names, List.of());
    }

    private PushWindows(final Map<Topic, List<String>> names, final List<String> sliding) {
        this.names = names;
        this.sliding = sliding;
    }

    static PushWindows of(final EngineConfig config) {
        final Map<Topic, List<String>> names = new EnumMap<>(Topic.class);
        final List<String> windows = new ArrayList<>();
        final List<String> sliding = new ArrayList<>();
        for (final WindowConfig w : config.windows == null ? List.<WindowConfig>of() : config.windows) { // windows: (empty) is none
            ("sliding".equalsIgnoreCase(w.kind) ? sliding : windows).add(w.name);
        }
        names.put(Topic.WINDOW_RESULT, windows);
        final TreeSet<String> watched = new TreeSet<>();
        for (final AnomalyMonitorConfig m : config.anomalies == null ? List.<AnomalyMonitorConfig>of() : config.anomalies) {
            watched.add(m.window);
        }
        names.put(Topic.ANOMALY, new ArrayList<>(watched));
        final List<String> trending = new ArrayList<>();
        if (config.trending.enabled) {
            trending.add(TrendingPushWriter.VIEWS);
            trending.add(TrendingPushWriter.SALES);
        }
        if (config.carts.enabled) {
            trending.add(CartStage.WINDOW);
        }
        names.put(Topic.TRENDING, trending);
        return new PushWindows(names, sliding);
    }

    /**
     * @param filter the WINDOW filter's bytes, {@code length} of them
     * @return null when {@code topic}'s pushes can carry that window name, else why not
     */
    String refusal(final Topic topic, final byte[] filter, final int length) {
        final List<String> known = names == null ? null : names.get(topic);
        if (known == null) {
            return null;
        }
        final String name = new String(filter, 0, length, StandardCharsets.UTF_8);
        if (known.contains(name)) {
            return null;
        }
        if (topic == Topic.WINDOW_RESULT && sliding.contains(name)) {
            return "'" + name + "' is a sliding window: the engine queries it for scoring and never emits its results; "
                + (known.isEmpty() ? "this server has no tumbling window" : "the tumbling windows are " + String.join(", ", known));
        }
        return "no " + topic + " pushes carry window '" + name + "' on this server: "
                + (known.isEmpty() ? "it has none (" + none(topic) + ")" : "its windows are " + String.join(", ", known));
    }

    private static String none(final Topic topic) {
        switch (topic) {
            case ANOMALY: return "no anomaly monitors are configured";
            case TRENDING: return "trending and carts are disabled";
            default: return "no windows are configured";
        }
    }
}
