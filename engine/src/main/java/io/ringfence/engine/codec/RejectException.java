package io.ringfence.engine.codec;

import io.ringfence.sbe.RejectCode;

/**
 * Why a line was refused, thrown inside the parser and turned into a {@link ParseResult} at its
 * boundary. Stackless: a reject is an expected outcome, not a bug, and must stay cheap.
 */
final class RejectException extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient RejectCode code;

    RejectException(final RejectCode code, final String reason) {
        super(reason, null, false, false);
        this.code = code;
    }

    RejectCode code() {
        return code;
    }
}
