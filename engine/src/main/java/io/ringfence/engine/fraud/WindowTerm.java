package io.ringfence.engine.fraud;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A rule condition's left side that names a configured sliding window instead of a built-in
 * {@link Feature}: {@code NAME.count}, {@code NAME.sum}, {@code .min}, {@code .max}, {@code .mean}
 * (amounts, minor units, as the {@code amount} feature) or {@code NAME.distinct(field)}, read for
 * the scored event's own key in that window as the window stands when the event is scored (DESIGN
 * §5: sliding windows are queryable by the scoring stage at any event). Which window and metric
 * exist is checked against the configuration ({@code EngineConfig.validate}); the values are
 * filled in by a {@link WindowTermSource}.
 *
 * @param window the sliding window's name
 * @param metric count, sum, min, max, mean or distinct
 * @param field  the field of {@code distinct(field)}, else null
 */
public record WindowTerm(String window, String metric, String field) {
    /** The window name (its own characters, dots included), then the metric after the last dot. */
    private static final Pattern SYNTAX = Pattern.compile(
        "([A-Za-z0-9_.\\-]+)\\.(count|sum|min|max|mean|distinct\\(\\s*([A-Za-z_]+)\\s*\\))");

    /** Metrics of {@code NAME.METRIC}, for messages. */
    public static final String METRICS = "count, sum, min, max, mean, distinct(field)";

    /** Whether {@code text} is written as a window term (has a dot): a feature name never has one. */
    static boolean looksLikeOne(final String text) {
        return text.indexOf('.') >= 0;
    }

    /**
     * @throws IllegalArgumentException saying what is wrong
     */
    static WindowTerm parse(final String text) {
        final Matcher m = SYNTAX.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("names '" + text + "', neither a feature nor WINDOW.METRIC of a sliding window"
                + " (metrics: " + METRICS + "; e.g. user_velocity_1h.count >= 10)");
        }
        final String metric = m.group(2).startsWith("distinct") ? "distinct" : m.group(2);
        return new WindowTerm(m.group(1), metric, m.group(3));
    }

    /** As written in a condition: {@code user_velocity_1h.count}, {@code ip_1h.distinct(userId)}. */
    public String text() {
        return window + "." + ("distinct".equals(metric) ? "distinct(" + field + ")" : metric);
    }

    @Override
    public String toString() {
        return text();
    }
}
