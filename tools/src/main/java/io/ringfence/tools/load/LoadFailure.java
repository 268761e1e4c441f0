package io.ringfence.tools.load;

/** The load run cannot go on (the connection is gone for too long, the client gave up); the message says why. */
final class LoadFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    LoadFailure(final String message) {
        super(message, null, false, false);
    }
}
