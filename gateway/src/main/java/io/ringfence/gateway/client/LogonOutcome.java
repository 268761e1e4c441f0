package io.ringfence.gateway.client;

/**
 * Hands the result of the first logon from the I/O thread to the thread waiting in
 * {@link GatewayClient#logon}. Set once; later calls are ignored.
 */
final class LogonOutcome {
    private boolean done;
    private LogonResult result;
    private GatewayClientException failure;

    synchronized void succeed(final LogonResult logon) {
        if (!done) {
            done = true;
            result = logon;
            notifyAll();
        }
    }

    synchronized void fail(final GatewayClientException error) {
        if (!done) {
            done = true;
            failure = error;
            notifyAll();
        }
    }

    /**
     * @return the logon's result
     * @throws GatewayClientException the failure, or a {@link GatewayTimeoutException} when nothing
     *                                was decided within {@code timeoutMillis}
     */
    synchronized LogonResult await(final long timeoutMillis, final String what) throws GatewayClientException, InterruptedException {
        final long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        while (!done) {
            final long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                throw new GatewayTimeoutException(what + ": no answer within " + timeoutMillis + " ms");
            }
            wait(Math.max(1, remaining / 1_000_000L));
        }
        if (failure != null) {
            throw failure;
        }
        return result;
    }
}
