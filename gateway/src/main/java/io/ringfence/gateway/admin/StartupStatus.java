package io.ringfence.gateway.admin;

/**
 * What a starting server is doing before its gateway listens (warming up, restoring its snapshot,
 * replaying the journal), so that {@code /health} can say "503 starting: ..." during a long
 * recovery instead of refusing connections. Written by the starting thread, read by the admin
 * thread; the replay count is published every {@value #PUBLISH_EVERY} events, never per event.
 */
public final class StartupStatus {
    private static final int PUBLISH_EVERY = 1 << 14;

    private volatile String phase = "starting";
    private volatile long replayed;
    private long counted;

    /** The phase now, as {@code /health} names it ("warming up", "recovering the journal"). */
    public void phase(final String phase) {
        this.phase = phase;
    }

    /** One more journal event replayed by recovery (the starting thread only). */
    public void replayedOne() {
        if ((++counted & (PUBLISH_EVERY - 1)) == 0) {
            replayed = counted;
        }
    }

    /** The reason {@code /health} is 503 while starting, one line. */
    String problems() {
        final long n = replayed;
        return "starting: " + phase + (n > 0 ? String.format(java.util.Locale.ROOT, " (%,d journal events replayed so far)", n) : "") + "\n";
    }
}
