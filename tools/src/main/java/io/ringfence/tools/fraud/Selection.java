package io.ringfence.tools.fraud;

import io.ringfence.engine.model.Times;

import java.util.Arrays;

/**
 * Which labelled orders a step uses. Training and evaluation are complementary:
 * <ul>
 *   <li>by user ({@code --holdout F}): evaluation takes users with {@link UserBucket} below F,
 *   training the others;</li>
 *   <li>by time ({@code --until T} / {@code --from T}): training takes orders before T, evaluation
 *   those at or after T. T is an ISO-8601 instant ({@code 2015-06-01T00:00:00Z}), a date
 *   ({@code 2015-06-01}, midnight UTC) or a share of the labelled orders in time order
 *   ({@code 70%}: the time of the first order after the earliest 70%).</li>
 * </ul>
 * Every event is streamed through the engine either way, so features always see the whole past.
 */
public final class Selection {
    private enum Kind { ALL, HOLDOUT, TIME }

    private final Kind kind;
    private final boolean evaluation;
    private final double holdout;
    private final String timeSpec;
    private long cutMicros;

    private Selection(final Kind kind, final boolean evaluation, final double holdout, final String timeSpec) {
        this.kind = kind;
        this.evaluation = evaluation;
        this.holdout = holdout;
        this.timeSpec = timeSpec;
    }

    /** Every labelled order. */
    public static Selection all() {
        return new Selection(Kind.ALL, false, 0, null);
    }

    /**
     * @param fraction   share of users held out, in (0, 1)
     * @param evaluation true: the held-out users; false: the others
     */
    public static Selection holdout(final double fraction, final boolean evaluation) {
        if (!(fraction > 0 && fraction < 1)) {
            throw new IllegalArgumentException("--holdout must be above 0 and below 1 (a share of users), not " + fraction);
        }
        return new Selection(Kind.HOLDOUT, evaluation, fraction, null);
    }

    /**
     * @param spec       the time, a date or N% (see class comment)
     * @param evaluation true: at or after the time ({@code --from}); false: before it ({@code --until})
     */
    public static Selection time(final String spec, final boolean evaluation) {
        final Selection s = new Selection(Kind.TIME, evaluation, 0, spec.trim());
        if (!s.timeSpec.endsWith("%")) {
            s.cutMicros = parseTime(s.timeSpec, evaluation ? "--from" : "--until");
        } else {
            percent(s.timeSpec, evaluation ? "--from" : "--until");
        }
        return s;
    }

    /** Fixes an {@code N%} cut from the labelled orders' times (call once all are known). */
    public void resolve(final long[] labelledTimes, final int count) {
        if (kind != Kind.TIME || !timeSpec.endsWith("%")) {
            return;
        }
        if (count == 0) {
            cutMicros = Long.MIN_VALUE;
            return;
        }
        final long[] sorted = Arrays.copyOf(labelledTimes, count);
        Arrays.sort(sorted);
        final double p = percent(timeSpec, evaluation ? "--from" : "--until");
        cutMicros = sorted[Math.min(count - 1, (int) Math.floor(count * p / 100.0))];
    }

    /** Whether the selection goes by user ({@code --holdout}): a payment without a user then needs its order's. */
    public boolean byUser() {
        return kind == Kind.HOLDOUT;
    }

    /** Whether an order of this user at this time is selected. */
    public boolean selects(final String userId, final long timeMicros) {
        switch (kind) {
            case HOLDOUT:
                return (UserBucket.of(userId) < holdout) == evaluation;
            case TIME:
                return (timeMicros >= cutMicros) == evaluation;
            default:
                return true;
        }
    }

    /** For reports: what was selected. */
    public String describe() {
        switch (kind) {
            case HOLDOUT:
                return (evaluation ? "held-out users" : "training users") + " (user bucket " + (evaluation ? "< " : ">= ")
                        + holdout + ", FNV-1a + murmur3 finaliser of the user id)";
            case TIME:
                return (evaluation ? "orders at or after " : "orders before ") + Times.format(cutMicros)
                        + (timeSpec.endsWith("%") ? " (the " + timeSpec + " point of the labelled orders)" : "");
            default:
                return "every labelled order";
        }
    }

    /**
     * The split, for a model file's {@code training.split} (after {@link #resolve}): {@code {"by":"user","holdout":F}},
     * {@code {"by":"time","cut":"ISO"}} or {@code {"by":"none"}}; {@link #trainingOf} reads it back.
     */
    public java.util.Map<String, Object> splitJson() {
        final java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        switch (kind) {
            case HOLDOUT:
                m.put("by", "user");
                m.put("holdout", holdout);
                break;
            case TIME:
                m.put("by", "time");
                m.put("cut", Times.format(cutMicros));
                break;
            default:
                m.put("by", "none");
                break;
        }
        return m;
    }

    /**
     * The training side of a model file's {@code training.split} ({@link #splitJson}), or null when there is none or it
     * does not read (a model trained before 2026-12-07, or written by hand).
     */
    public static Selection trainingOf(final com.fasterxml.jackson.databind.JsonNode split) {
        if (split == null || !split.isObject()) {
            return null;
        }
        try {
            switch (split.path("by").asText()) {
                case "user":
                    return holdout(split.path("holdout").asDouble(Double.NaN), false);
                case "time":
                    final Selection s = new Selection(Kind.TIME, false, 0, split.path("cut").asText());
                    s.cutMicros = io.ringfence.tools.cli.CliTimes.parseMicros("training.split.cut", split.path("cut").asText());
                    return s;
                case "none":
                    return all();
                default:
                    return null;
            }
        } catch (final IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * A note when an {@code N%} cut selects a share of the labelled orders other than N% by more than a point (orders
     * stamped at the same time as the cut all go to the later side: PaySim's hourly steps), else null (data-scientist
     * trial: "the 70% point" trained on 67.9%).
     */
    public String shareNote(final int selected, final int labelled) {
        if (kind != Kind.TIME || !timeSpec.endsWith("%") || labelled == 0) {
            return null;
        }
        final double asked = percent(timeSpec, evaluation ? "--from" : "--until");
        final double share = 100.0 * selected / labelled;
        if (Math.abs(share - (evaluation ? 100 - asked : asked)) <= 1.0) {
            return null;
        }
        return String.format(java.util.Locale.ROOT, "the %s point falls among orders stamped at the same time (%s): every"
                + " order at that time is on the later side, so %.1f%% of the labelled orders are selected; give a time to cut"
                + " elsewhere", timeSpec, Times.format(cutMicros), share);
    }

    /** The evaluate option that selects the other side of this training split, or null for a model trained on all. */
    public String complementOption() {
        switch (kind) {
            case HOLDOUT:
                return "--holdout " + holdout;
            case TIME:
                return "--from " + Times.format(cutMicros);
            default:
                return null;
        }
    }

    /** The time cut in epoch microseconds (time selections, after {@link #resolve}). */
    public long cutMicros() {
        return cutMicros;
    }

    private static double percent(final String spec, final String option) {
        final double p;
        try {
            p = Double.parseDouble(spec.substring(0, spec.length() - 1));
        } catch (final NumberFormatException e) {
            throw new IllegalArgumentException(option + " '" + spec + "': not a percentage (e.g. 70%)");
        }
        if (!(p > 0 && p < 100)) {
            throw new IllegalArgumentException(option + " '" + spec + "': the percentage must be above 0 and below 100");
        }
        return p;
    }

    private static long parseTime(final String spec, final String option) {
        try {
            return io.ringfence.tools.cli.CliTimes.parseMicros(option, spec);
        } catch (final IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage() + ", or a share such as 70%");
        }
    }
}
