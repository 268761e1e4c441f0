package io.ringfence.tools.fraud;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ringfence.engine.config.EngineConfig;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The settings a model's features were computed under ({@code fraud.state}, {@code fraud.features},
 * {@code fraud.riskyItems}), recorded by {@code train} in the model file's {@code training.featureSettings} and compared
 * when a configuration puts the model to use: the same weights over features computed otherwise score otherwise
 * (data-scientist trial: a model trained under {@code idleTtl: 400d} loaded silently under the default 30 days, ROC AUC
 * 0.7868 to 0.7778).
 */
public final class ModelSettings {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> SECTIONS = List.of("state", "features", "riskyItems");
    private static final int SHOWN = 6;

    private ModelSettings() {
    }

    /** The feature settings of {@code config}, as recorded in a model file. */
    public static ObjectNode of(final EngineConfig config) {
        final ObjectNode fraud = JSON.valueToTree(config.fraud);
        final ObjectNode settings = JSON.createObjectNode();
        for (final String section : SECTIONS) {
            settings.set(section, fraud.get(section));
        }
        return settings;
    }

    /**
     * The settings that differ between those recorded in {@code modelFile} and {@code config}, as
     * {@code fraud.state.idleTtl: 400d when trained, 30d here}; empty when they agree or nothing is recorded (a model of
     * a build before 2026-12-07, or written by hand).
     */
    public static List<String> differences(final Path modelFile, final EngineConfig config) {
        final JsonNode recorded;
        try {
            recorded = JSON.readTree(modelFile.toFile()).path("training").get("featureSettings");
        } catch (final java.io.IOException | RuntimeException e) {
            return List.of(); // the engine reads and checks the model itself; this only compares what it can read
        }
        if (recorded == null || !recorded.isObject()) {
            return List.of();
        }
        final List<String> out = new ArrayList<>();
        final ObjectNode now = of(config);
        for (final String section : SECTIONS) {
            compare("fraud." + section, recorded.get(section), now.get(section), out);
        }
        return out;
    }

    private static void compare(final String path, final JsonNode then, final JsonNode now, final List<String> out) {
        if (then != null && now != null && then.isObject() && now.isObject()) {
            final java.util.Set<String> names = new java.util.TreeSet<>();
            then.fieldNames().forEachRemaining(names::add);
            now.fieldNames().forEachRemaining(names::add);
            for (final String name : names) {
                compare(path + "." + name, then.get(name), now.get(name), out);
            }
        } else if (then == null ? now != null && !now.isNull() : !then.equals(now) && !sameMeaning(then, now)) {
            out.add(path + ": " + text(then) + " when trained, " + text(now) + " here");
        }
    }

    /**
     * Values written otherwise that mean the same (review: {@code 720h} for {@code 30d}, a list of skus in another order):
     * durations compared as durations, lists as sets.
     */
    private static boolean sameMeaning(final JsonNode then, final JsonNode now) {
        if (then.isTextual() && now.isTextual()) {
            try {
                return io.ringfence.engine.config.Durations.parseMicros("setting", then.asText())
                        == io.ringfence.engine.config.Durations.parseMicros("setting", now.asText());
            } catch (final RuntimeException notDurations) {
                return false;
            }
        }
        if (then.isArray() && now.isArray()) {
            final java.util.Set<JsonNode> a = new java.util.HashSet<>();
            then.forEach(a::add);
            final java.util.Set<JsonNode> b = new java.util.HashSet<>();
            now.forEach(b::add);
            return a.equals(b);
        }
        return then.isNumber() && now.isNumber() && then.asDouble() == now.asDouble();
    }

    private static String text(final JsonNode v) {
        return v == null || v.isNull() ? "not set" : v.isTextual() ? v.asText() : v.toString();
    }

    /** Warns on {@code err} when the model {@code config} names was trained under other feature settings. */
    public static void warn(final String tool, final EngineConfig config, final PrintStream err) {
        if (config.fraud == null || config.fraud.model == null || config.fraud.model.isBlank() || !config.fraud.enabled) {
            return;
        }
        final List<String> d = differences(Path.of(config.fraud.model), config);
        if (d.isEmpty()) {
            return;
        }
        final StringBuilder sb = new StringBuilder(String.format("ringfence %s: warning: fraud.model %s was trained under other"
                + " feature settings than this configuration's, so its features are computed otherwise here than when it was"
                + " fitted (set them as trained, or train it again under these):%n", tool, config.fraud.model));
        final Iterator<String> it = d.iterator();
        for (int i = 0; i < SHOWN && it.hasNext(); i++) {
            sb.append("  ").append(it.next()).append(String.format("%n"));
        }
        if (d.size() > SHOWN) {
            sb.append(String.format("  ... and %d more%n", d.size() - SHOWN));
        }
        err.print(sb);
    }

    /** For {@code Map} users: the settings as a plain map. */
    static Map<String, Object> asMap(final EngineConfig config) {
        return JSON.convertValue(of(config), new com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>>() { });
    }
}
