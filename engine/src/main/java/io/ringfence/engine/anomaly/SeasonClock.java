package io.ringfence.engine.anomaly;

import java.time.Instant;
import java.time.ZoneId;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;

/**
 * The season phase of an interval from its middle, in local time of a zone: phase =
 * {@code floor((middle + UTC offset at middle) / interval) mod seasonLength}, middle = start + interval / 2: the local
 * interval it mostly covers, as closures are judged (anomaly trial, HIGH: by its start, a daily interval of a zone whose
 * offset changes sign at summer time, Atlantic/Azores, took the previous day's phase in winter and its own in summer,
 * so every Friday of the summer was judged against Saturdays). With hourly intervals
 * and a season of 168, phase 0 is Thursday 00:00 local (the epoch's weekday) and a shop that
 * opens at 08:00 local has the same phase for its first hour in winter and in summer time; on
 * the night clocks go forward a phase is skipped, when they go back one repeats.
 *
 * <p>Deterministic (the zone rules of the JDK, no clock). Allocates only when an interval falls
 * outside the offset period cached last (twice a year in zones with summer time, never in UTC).
 */
public final class SeasonClock {
    private static final long MICROS = 1_000_000L;

    private final ZoneRules rules;
    private final long intervalMicros;
    private final int seasonLength;
    private long validFrom = Long.MAX_VALUE;
    private long validUntil = Long.MIN_VALUE;
    private long offsetMicros;

    public SeasonClock(final ZoneId zone, final long intervalMicros, final int seasonLength) {
        if (intervalMicros <= 0 || seasonLength < 1) {
            throw new IllegalArgumentException("interval " + intervalMicros + " µs, season " + seasonLength);
        }
        this.rules = zone.getRules();
        this.intervalMicros = intervalMicros;
        this.seasonLength = seasonLength;
    }

    /** The phase, 0 .. seasonLength − 1, of the interval starting at {@code startMicros} (epoch µs, UTC). */
    public int phase(final long startMicros) {
        final long middle = startMicros + intervalMicros / 2;
        if (middle < validFrom || middle >= validUntil) {
            refresh(middle);
        }
        return (int) Math.floorMod(Math.floorDiv(middle + offsetMicros, intervalMicros), (long) seasonLength);
    }

    private void refresh(final long t) {
        final Instant at = Instant.ofEpochSecond(Math.floorDiv(t, MICROS));
        offsetMicros = rules.getOffset(at).getTotalSeconds() * MICROS;
        final ZoneOffsetTransition previous = rules.previousTransition(at.plusSeconds(1));
        final ZoneOffsetTransition next = rules.nextTransition(at);
        validFrom = previous == null ? Long.MIN_VALUE : Math.max(previous.toEpochSecond() * MICROS, Long.MIN_VALUE / 2);
        validUntil = next == null ? Long.MAX_VALUE : next.toEpochSecond() * MICROS;
        if (t < validFrom || t >= validUntil) { // the rules disagree with themselves: cache this instant only
            validFrom = Math.floorDiv(t, MICROS) * MICROS;
            validUntil = validFrom + MICROS;
        }
    }
}
