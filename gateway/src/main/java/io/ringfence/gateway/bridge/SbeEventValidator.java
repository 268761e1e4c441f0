package io.ringfence.gateway.bridge;

import io.ringfence.engine.codec.InboundValidator;
import org.agrona.DirectBuffer;

/**
 * The gateway's check of a business message before it may be journaled: the same value rules as
 * the JSON Lines parser ({@link InboundValidator}), so a client on the wire cannot journal what a
 * file could not. I/O thread only; allocates only to describe a refusal.
 */
public final class SbeEventValidator implements EngineIngress.Validator {
    private final InboundValidator validator;

    public SbeEventValidator(final int maxMessageBytes) {
        this.validator = new InboundValidator(maxMessageBytes);
    }

    @Override
    public EngineIngress.Refusal validate(final DirectBuffer buffer, final int offset, final int length) {
        if (validator.validate(buffer, offset, length) == InboundValidator.VALID) {
            return null;
        }
        return new EngineIngress.Refusal(validator.code(), validator.reason());
    }
}
