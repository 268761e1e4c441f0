package io.ringfence.tools.subscribe;

import io.ringfence.gateway.client.GatewayClient;
import io.ringfence.gateway.client.GatewayClientConfig;
import io.ringfence.gateway.client.GatewayClientException;
import io.ringfence.gateway.config.ClientConfig;
import io.ringfence.tools.RingfenceMain;
import io.ringfence.tools.cli.DurationOption;
import io.ringfence.tools.cli.GatewayLogonOptions;
import io.ringfence.tools.cli.SignalStop;
import io.ringfence.tools.io.OutputFiles;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code subscribe}: a gateway client that subscribes to pushes of a running server and prints
 * each as one JSON line (the rendering {@code run} uses for outputs), until Ctrl-C / SIGTERM,
 * {@code --count} pushes or {@code --for} a duration. With {@code --data} it logs on as the
 * generated subscribe-only client {@code local-watch}, so it runs beside {@code load}, which uses
 * {@code local}. With {@code --resume} it carries on from the last push of its {@code --out} file (a
 * restarted watcher loses nothing the server still holds). The client reconnects by itself and subscribes again after each logon, resuming
 * after the last push it printed: the server sends the ones made while it was away, from the pushes
 * it holds, and says when some were no longer held.
 */
@Command(name = "subscribe", mixinStandardHelpOptions = true,
        description = {"Subscribes to a running server's pushes over the TCP gateway and prints each as one JSON line.",
                "SPEC is TOPIC or TOPIC:KIND=VALUE. Topics: ORDER_STATUS (by user or order), STOCK (by sku), FRAUD_ALERT (by user),"
                        + " WINDOW_RESULT and ANOMALY (by window), TRENDING (by window or user); without a filter every push of the topic.",
                "Without --sub: every topic, unfiltered. The summary (pushes by type, disconnects, reconnects) goes to stderr."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:stopped by --count, --for, Ctrl-C / SIGTERM (the JVM reports a signal as 130 / 143) or a closed output",
                "1:runtime failure: cannot connect or log on, the server refused a subscription, the client gave up",
                "2:bad usage: options, a bad --sub, no credentials in --data"})
public final class SubscribeCommand implements Callable<Integer> {
    private static final long SIGNAL_WAIT_MILLIS = 5_000;

    @CommandLine.Mixin
    GatewayLogonOptions server;

    @Option(names = "--sub", paramLabel = "SPEC",
            description = "what to watch, repeatable: TOPIC or TOPIC:KIND=VALUE, e.g. FRAUD_ALERT, ORDER_STATUS:user=u42, ANOMALY:window=orders_1m")
    List<String> subs = new ArrayList<>();

    @Option(names = "--out", defaultValue = "-", paramLabel = "FILE", description = "where the JSON lines go; - for stdout (default)")
    String out;

    @Option(names = "--resume", description = "carry on from the last push in --out FILE (appending to it): the server sends"
            + " the pushes made since, from what it holds; use the same --sub as the run that wrote it")
    boolean resume;

    @Option(names = "--count", paramLabel = "N", description = "stop after N pushes")
    Long count;

    @Option(names = "--for", paramLabel = "DURATION", description = "stop after this long, e.g. 30s, 5m")
    String duration;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        final List<SubscriptionSpec> specs = subscriptions();
        final long forNanos = checkUsage();
        final PrintStream err = System.err;
        final boolean toStdout = "-".equals(out);
        // one subscribe per file: two appending to it (a second --resume while the first runs) would repeat pushes
        try (FileChannel outFile = toStdout ? null : lockedOutFile()) {
            final ResumePoint from = resumePoint(outFile, err); // a usage error when the file is not ours: before waiting
            return run(specs, forNanos, err, toStdout, from);
        }
    }

    /** The --out file, created if need be, locked for this process (released when the channel closes). */
    private FileChannel lockedOutFile() throws IOException {
        OutputFiles.refuseDirectory(out);
        final Path path = Path.of(out);
        final Path parent = path.toAbsolutePath().getParent();
        if (parent != null) {
            java.nio.file.Files.createDirectories(parent);
        }
        final FileChannel channel = FileChannel.open(path, java.nio.file.StandardOpenOption.CREATE,
            java.nio.file.StandardOpenOption.READ, java.nio.file.StandardOpenOption.WRITE);
        if (channel.tryLock() == null) {
            channel.close();
            throw new CommandLine.ParameterException(spec.commandLine(), "--out " + out
                + ": another subscribe is writing that file (its lock is held)");
        }
        return channel;
    }

    private Integer run(final List<SubscriptionSpec> specs, final long forNanos, final PrintStream err, final boolean toStdout,
                        final ResumePoint from) throws Exception {
        final ClientConfig credentials = credentials();
        final StopSignal stop = new StopSignal();
        final GatewayClientConfig clientConfig = new GatewayClientConfig();
        clientConfig.reconnectMaxBackoffMillis = 1_000;

        final OutputStream lines = toStdout ? System.out : resume ? OutputFiles.open(out, true) : OutputFiles.openKeeping(out);
        try {
            final HeldNotes notes = new HeldNotes(err); // the client's notes come after the banner
            final PushPrinter printer = new PushPrinter(lines, count == null ? Long.MAX_VALUE : count, stop, notes.stream());
            if (from != null) {
                // the whole sequence again (skip 0): the printer drops the lines the file already ends with, so a
                // --sub set other than the file's cannot make a count skip the wrong push
                printer.skipRepeats(from.afterSeq(), from.linesOfSeq());
            }
            final GatewayClient client;
            try {
                client = server.logOn(spec.commandLine(), () -> new GatewayClient(clientConfig, printer), c -> {
                    // before logon, so the first session resumes with them when there is a position to resume from
                    for (int i = 0; i < specs.size(); i++) {
                        final SubscriptionSpec s = specs.get(i);
                        c.subscribe(i + 1, s.topic(), s.kind(), s.filter());
                    }
                    if (from != null) {
                        c.resumeAfter(from.afterSeq(), 0);
                    }
                    return c.logon(credentials.id, credentials.secret);
                }, true, err).client(); // its --out is locked: no other subscribe writes it while this one waits
                OutputFiles.begin(lines); // logged on: this run's pushes replace the file's
            } catch (final GatewayClientException e) {
                notes.release();
                err.println("ringfence subscribe: " + e.getMessage() + (e instanceof io.ringfence.gateway.client.GatewayConnectException
                    ? " (is `ringfence server` running on that port?)" : server.logonHint(e)));
                return RingfenceMain.EXIT_FAILURE;
            }
            try (SignalStop signals = new SignalStop("subscribe", () -> stop.stop("Ctrl-C / SIGTERM"), SIGNAL_WAIT_MILLIS)) {
                final long startNanos = System.nanoTime();
                err.printf("ringfence subscribe: %s:%d as '%s': %s%s%n", server.host(), server.port(), credentials.id,
                    describe(specs), count != null ? String.format("; stops after %,d pushes", count) : "");
                err.flush();
                notes.release();
                awaitStop(stop, forNanos);
                client.close(); // joins the I/O thread: what the printer counted is visible from here
                lines.flush();
                err.printf("ringfence subscribe: %s in %.1f s; stopped: %s%n", printer.counts(),
                    (System.nanoTime() - startNanos) / 1e9, printer.failure() != null ? "on the failure below" : stop.why());
                err.printf("connection: %,d disconnects, %,d reconnects, %,d push%s caught up%s%s%n", printer.disconnects(),
                    client.reconnects(), printer.caughtUpTotal(), printer.caughtUpTotal() == 1 ? "" : "es",
                    printer.overflows() > 0 ? String.format(" (%,d time%s after falling behind)", printer.overflows(),
                        printer.overflows() == 1 ? "" : "s") : "",
                    printer.gaps() > 0 ? String.format(", %,d resume%s with pushes lost (see the warnings)", printer.gaps(),
                        printer.gaps() == 1 ? "" : "s") : "");
                if (!toStdout) {
                    err.println("pushes written to " + out);
                }
                err.flush();
            } finally {
                client.close();
                notes.release();
            }
            if (printer.failure() != null) {
                err.println("ringfence subscribe: " + printer.failure());
                return RingfenceMain.EXIT_FAILURE;
            }
        } finally {
            if (!toStdout) {
                lines.close();
            }
        }
        return RingfenceMain.EXIT_OK;
    }

    /** Waits until stopped, or {@code --for} has passed (then stops). */
    private void awaitStop(final StopSignal stop, final long forNanos) throws InterruptedException {
        if (forNanos == Long.MAX_VALUE) {
            while (!stop.await(TimeUnit.HOURS.toNanos(1))) {
                // no --for: until stopped
            }
        } else if (!stop.await(forNanos)) {
            stop.stop("--for " + duration + " passed");
        }
    }

    private static String describe(final List<SubscriptionSpec> specs) {
        final StringBuilder sb = new StringBuilder();
        for (final SubscriptionSpec s : specs) {
            sb.append(sb.length() == 0 ? "" : ", ").append(s);
        }
        return sb.toString();
    }

    /** The --sub specs, parsed and without repeats; every topic when none is given. */
    private List<SubscriptionSpec> subscriptions() {
        if (subs.isEmpty()) {
            return SubscriptionSpec.everyTopic();
        }
        final LinkedHashSet<SubscriptionSpec> parsed = new LinkedHashSet<>();
        for (final String sub : subs) {
            try {
                parsed.add(SubscriptionSpec.parse(sub));
            } catch (final IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
        }
        return new ArrayList<>(parsed);
    }

    /** With --resume: where --out leaves off (null: nothing to resume from, live from now), said on stderr. */
    private ResumePoint resumePoint(final FileChannel file, final PrintStream err) throws IOException {
        if (!resume) {
            return null;
        }
        final ResumePoint from;
        try {
            from = ResumePoint.of(Path.of(out), file);
        } catch (final IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--resume: " + e.getMessage());
        }
        if (from == null) {
            err.printf("ringfence subscribe: --resume: %s holds no push yet; live from now%n", out);
        } else {
            err.printf("ringfence subscribe: --resume: %s ends at engine sequence %,d (%d push%s of it)%s; asking for what came after%n",
                out, from.afterSeq(), from.linesOfSeq().size(), from.linesOfSeq().size() == 1 ? "" : "es",
                from.cutBytes() > 0 ? String.format(", its cut last line of %,d bytes removed", from.cutBytes()) : "");
        }
        return from;
    }

    /** Checks the options that picocli cannot; returns --for in nanoseconds (Long.MAX_VALUE without it). */
    private long checkUsage() {
        server.check(spec.commandLine());
        if (resume && "-".equals(out)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--resume needs --out FILE: it carries on from the file's last push");
        }
        if (count != null && count < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--count must be positive, not " + count);
        }
        if (duration == null) {
            return Long.MAX_VALUE;
        }
        return DurationOption.nanos(spec.commandLine(), "--for", duration, 1_000);
    }

    private ClientConfig credentials() {
        return server.credentials(spec.commandLine(), true, "SUBSCRIBE");
    }
}
