package io.ringfence.gateway.bridge;

import io.ringfence.engine.codec.FutureTimeLimit;
import io.ringfence.engine.codec.InboundValidator;
import io.ringfence.engine.config.InputConfig;
import io.ringfence.sbe.RejectCode;
import org.agrona.DirectBuffer;

/**
 * The gateway's check of a business message before it may be journaled: the same value rules as
 * the JSON Lines parser ({@link InboundValidator}), so a client on the wire cannot journal what a
 * file could not, and the same limit on how far ahead of this machine's clock an event may be
 * stamped ({@link FutureTimeLimit}, as {@code run} applies it). I/O thread only; allocates only
 * to describe a refusal.
 */
public final class SbeEventValidator implements EngineIngress.Validator {
    private final InboundValidator validator;
    private final FutureTimeLimit futureLimit;

    /** Value rules only, no future-time limit (tests of other things). */
    public SbeEventValidator(final int maxMessageBytes) {
        this(maxMessageBytes, new FutureTimeLimit(0));
    }

    public SbeEventValidator(final int maxMessageBytes, final FutureTimeLimit futureLimit) {
        this.validator = new InboundValidator(maxMessageBytes);
        this.futureLimit = futureLimit;
    }

    /** With the {@code input:} section's limits (event size, {@code maxAhead}). */
    public static SbeEventValidator of(final InputConfig input) {
        return new SbeEventValidator(input.maxEventBytes, input.futureTimeLimit());
    }

    @Override
    public EngineIngress.Refusal validate(final DirectBuffer buffer, final int offset, final int length) {
        if (validator.validate(buffer, offset, length) != InboundValidator.VALID) {
            return new EngineIngress.Refusal(validator.code(), validator.reason());
        }
        final String tooFarAhead = futureLimit.check("eventTime", FutureTimeLimit.eventTime(buffer, offset), IngestClock.epochMicros());
        return tooFarAhead == null ? null : new EngineIngress.Refusal(RejectCode.TIME_AHEAD, tooFarAhead);
    }
}
