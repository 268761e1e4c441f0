package io.ringfence.tools.load;

import io.ringfence.gateway.client.GatewayClient;

/**
 * The sending thread's deadlines: the run fails when the client has been disconnected for longer
 * than {@code --reconnect-for}, when it is logged on but no answer has come for as long while
 * events wait for one, when the client gave up for good, or when a signal asked the run to stop
 * ({@link StopRequest}). Checked between sends and while waiting for room or answers, never on the
 * client's I/O thread.
 */
final class Watchdog {
    private final GatewayClient client;
    private final LoadListener listener;
    private final StopRequest stop;
    private final long patienceNanos;
    private final String patience;
    private final String address;
    private long lastAcked = -1;
    private long lastProgressNanos = System.nanoTime();

    Watchdog(final GatewayClient client, final LoadListener listener, final StopRequest stop, final long patienceNanos,
             final String patience, final String address) {
        this.client = client;
        this.listener = listener;
        this.stop = stop;
        this.patienceNanos = patienceNanos;
        this.patience = patience;
        this.address = address;
    }

    /** @throws LoadFailure when a deadline passed, the client stopped or a signal asked the run to stop */
    void check() {
        stop.check();
        final String fatal = listener.fatal();
        if (fatal != null) {
            throw new LoadFailure(fatal);
        }
        if (client.isStopped()) {
            throw new LoadFailure("the client stopped: " + lastDisconnect());
        }
        final long now = System.nanoTime();
        listener.flushIfDue(now);
        final long since = listener.disconnectedSinceNanos();
        if (since != 0 && now - since > patienceNanos) {
            throw new LoadFailure("lost the connection to " + address + " (" + lastDisconnect()
                + ") and could not log on again within " + patience + "; gave up with "
                + client.unacknowledged() + " events unacknowledged");
        }
        final long acked = client.acknowledgedSeq();
        if (acked != lastAcked || client.unacknowledged() == 0 || since != 0) {
            lastAcked = acked;
            lastProgressNanos = now;
        } else if (now - lastProgressNanos > patienceNanos) {
            throw new LoadFailure("no answer from " + address + " for " + patience + " while " + client.unacknowledged()
                + " events wait for one; gave up");
        }
    }

    StopRequest stopRequest() {
        return stop;
    }

    boolean disconnected() {
        return listener.disconnectedSinceNanos() != 0;
    }

    String lastDisconnect() {
        final String last = listener.lastDisconnect();
        return last == null ? "no disconnect seen" : last;
    }
}
