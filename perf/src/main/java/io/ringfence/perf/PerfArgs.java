package io.ringfence.perf;

/**
 * Option values of the perf commands, read with a message that names the option and the value
 * when one is missing or out of range ({@link Usage}: {@code perf/run} prints it and exits 2),
 * instead of a NumberFormatException's stack trace.
 */
final class PerfArgs {
    private PerfArgs() {
    }

    /** A bad option or value. */
    static final class Usage extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        Usage(final String message) {
            super(message);
        }
    }

    /** The value at {@code i} of the option at {@code i - 1}. */
    static String value(final String[] args, final int i) {
        if (i >= args.length || args[i].startsWith("--")) {
            throw new Usage(args[i - 1] + " needs a value");
        }
        return args[i];
    }

    static long longAt(final String[] args, final int i, final long min, final long max) {
        final String text = value(args, i);
        try {
            final long v = Long.parseLong(text.replace("_", ""));
            if (v >= min && v <= max) {
                return v;
            }
        } catch (final NumberFormatException e) {
            // refused below
        }
        throw new Usage(args[i - 1] + " takes a whole number " + range(min, max) + ", not '" + text + "'");
    }

    static int intAt(final String[] args, final int i, final int min, final int max) {
        return (int) longAt(args, i, min, max);
    }

    static double doubleAt(final String[] args, final int i, final double min) {
        final String text = value(args, i);
        try {
            final double v = Double.parseDouble(text);
            if (v >= min && !Double.isInfinite(v)) {
                return v;
            }
        } catch (final NumberFormatException e) {
            // refused below
        }
        throw new Usage(args[i - 1] + " takes a number of at least " + min + ", not '" + text + "'");
    }

    /** One of {@code allowed}. */
    static String oneOf(final String[] args, final int i, final String... allowed) {
        final String text = value(args, i);
        for (final String a : allowed) {
            if (a.equals(text)) {
                return text;
            }
        }
        throw new Usage(args[i - 1] + " takes " + String.join(" or ", allowed) + ", not '" + text + "'");
    }

    static Usage unknown(final String option, final String known) {
        return new Usage("unknown option " + option + " (" + known + ")");
    }

    private static String range(final long min, final long max) {
        return max == Long.MAX_VALUE || max == Integer.MAX_VALUE ? "of at least " + min : "from " + min + " to " + max;
    }
}
