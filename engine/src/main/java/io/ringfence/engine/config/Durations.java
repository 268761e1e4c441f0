package io.ringfence.engine.config;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses the human durations of configuration files ({@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}, {@code 2d}) into microseconds. */
public final class Durations {
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(us|ms|s|m|h|d)");

    private Durations() {
    }

    /**
     * @param field the configuration path, for the error message
     * @param text  the configured text
     * @return the duration in microseconds
     * @throws ConfigException when the text is not a duration
     */
    public static long parseMicros(final String field, final String text) {
        if (text == null) {
            throw new ConfigException(field, null, "is required (a duration such as 30s, 5m, 1h, 2d)");
        }
        final Matcher m = DURATION.matcher(text.trim());
        if (!m.matches()) {
            throw new ConfigException(field, text, "is not a duration (use a whole number and one of us, ms, s, m, h, d: 30s, 5m, 1h)");
        }
        final long n;
        try {
            n = Long.parseLong(m.group(1));
        } catch (final NumberFormatException e) {
            throw new ConfigException(field, text, "is too large");
        }
        final long unit;
        switch (m.group(2)) {
            case "us": unit = 1L; break;
            case "ms": unit = 1_000L; break;
            case "s": unit = 1_000_000L; break;
            case "m": unit = 60_000_000L; break;
            case "h": unit = 3_600_000_000L; break;
            default: unit = 86_400_000_000L; break;
        }
        try {
            return Math.multiplyExact(n, unit);
        } catch (final ArithmeticException e) {
            throw new ConfigException(field, text, "is too large");
        }
    }

    /** Formats microseconds back into the shortest exact unit ({@code 3600000000} → {@code 1h}). */
    public static String format(final long micros) {
        final long[] units = {86_400_000_000L, 3_600_000_000L, 60_000_000L, 1_000_000L, 1_000L, 1L};
        final String[] names = {"d", "h", "m", "s", "ms", "us"};
        if (micros == 0) {
            return "0s";
        }
        for (int i = 0; i < units.length; i++) {
            if (micros % units[i] == 0) {
                return (micros / units[i]) + names[i];
            }
        }
        return micros + "us";
    }
}
