package io.ringfence.engine.codec;

import io.ringfence.engine.config.Durations;
import io.ringfence.engine.model.Times;
import io.ringfence.sbe.ActivityDecoder;
import io.ringfence.sbe.InventoryDecoder;
import io.ringfence.sbe.MessageHeaderDecoder;
import io.ringfence.sbe.OrderDecoder;
import io.ringfence.sbe.OrderStatusDecoder;
import io.ringfence.sbe.PaymentDecoder;
import org.agrona.DirectBuffer;

import java.nio.ByteOrder;

/**
 * The edge's refusal of events stamped too far in the future ({@code input.maxAhead}): one event
 * with a mistyped year would move the engine's event-time clock years ahead, after which every
 * order falls overdue, every cart is abandoned and every later event is late. Checked against the
 * receiving machine's clock where an event enters (gateway, {@code run}), never in replay, so the
 * business logic stays a function of the journal alone (DESIGN §3).
 */
public final class FutureTimeLimit {
    /** Where every inbound event's {@code eventTime} sits in its SBE body (checked below for each type). */
    private static final int EVENT_TIME_OFFSET = OrderDecoder.eventTimeEncodingOffset();

    static {
        if (PaymentDecoder.eventTimeEncodingOffset() != EVENT_TIME_OFFSET
                || OrderStatusDecoder.eventTimeEncodingOffset() != EVENT_TIME_OFFSET
                || InventoryDecoder.eventTimeEncodingOffset() != EVENT_TIME_OFFSET
                || ActivityDecoder.eventTimeEncodingOffset() != EVENT_TIME_OFFSET) {
            throw new ExceptionInInitializerError("inbound events do not all carry eventTime at body offset " + EVENT_TIME_OFFSET);
        }
    }

    private final long maxAheadMicros;

    /** @param maxAheadMicros how far past the clock an event may be stamped; 0 for no limit */
    public FutureTimeLimit(final long maxAheadMicros) {
        if (maxAheadMicros < 0) {
            throw new IllegalArgumentException("maxAheadMicros " + maxAheadMicros + " is negative");
        }
        this.maxAheadMicros = maxAheadMicros;
    }

    /** The {@code eventTime} of a valid inbound SBE event (header included) at {@code offset}. */
    public static long eventTime(final DirectBuffer event, final int offset) {
        return event.getLong(offset + MessageHeaderDecoder.ENCODED_LENGTH + EVENT_TIME_OFFSET, ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * @param field the event-time field's name in the caller's format ({@code time} in JSON, {@code eventTime} on the wire)
     * @return null when {@code eventTimeMicros} is within the limit of {@code nowMicros}, otherwise why not
     */
    public String check(final String field, final long eventTimeMicros, final long nowMicros) {
        if (maxAheadMicros == 0 || eventTimeMicros - nowMicros <= maxAheadMicros) {
            return null;
        }
        return "'" + field + "' " + Times.format(eventTimeMicros) + " is more than input.maxAhead ("
            + Durations.format(maxAheadMicros) + ") ahead of this server's clock (" + Times.format(nowMicros)
            + "); a mistyped year or a local time sent as UTC? (input.maxAhead: 0s turns the check off)";
    }
}
