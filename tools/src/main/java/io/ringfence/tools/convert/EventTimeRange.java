package io.ringfence.tools.convert;

import io.ringfence.engine.codec.InboundValidator;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The event times the engine takes ({@link InboundValidator#takesEventTime}): a source row whose time falls outside is
 * refused by its converter with the reason (skipped and counted, or for Online Retail, whose rows make up invoices, the
 * conversion stops as for its other bad rows), rather than converted into events every {@code run} refuses (review: a
 * PaySim step past 783,967 or a 1969 date converted with exit 0, then every event was BAD_TIME). A live server's
 * {@code input.maxAhead} may still refuse times ahead of its clock (TIME_AHEAD).
 */
final class EventTimeRange {
    private EventTimeRange() {
    }

    /** Null when the engine takes {@code time}, else why not, after {@code what} (a column and its text). */
    static String outside(final String what, final Instant time) {
        final long micros;
        try {
            micros = ChronoUnit.MICROS.between(Instant.EPOCH, time);
        } catch (final ArithmeticException e) {
            return what + " is " + time + ", outside " + range();
        }
        if (micros == 0) {
            return what + " is the epoch (1970-01-01T00:00:00Z), which ringfence takes as a time not set";
        }
        return InboundValidator.takesEventTime(micros) ? null : what + " is " + time + " in UTC, outside " + range();
    }

    private static String range() {
        return "the event times ringfence takes (" + InboundValidator.EARLIEST_EVENT_TIME + " to "
                + InboundValidator.LATEST_EVENT_TIME + ")";
    }
}
