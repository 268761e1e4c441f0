package io.ringfence.engine.pipeline;

/** The pipeline cannot accept or process events: a stage failed, or an input does not fit. */
public final class PipelineException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public PipelineException(final String message) {
        super(message);
    }

    public PipelineException(final String message, final Throwable cause) {
        super(message, cause);
    }
}
