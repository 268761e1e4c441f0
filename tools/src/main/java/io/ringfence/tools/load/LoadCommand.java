package io.ringfence.tools.load;

import io.ringfence.engine.config.EngineConfigLoader;
import io.ringfence.gateway.client.GatewayClient;
import io.ringfence.gateway.client.GatewayClientConfig;
import io.ringfence.gateway.client.GatewayClientException;
import io.ringfence.gateway.client.LogonResult;
import io.ringfence.gateway.config.ClientConfig;
import io.ringfence.gateway.frame.SofhHeader;
import io.ringfence.sbe.RejectCode;
import io.ringfence.tools.RingfenceMain;
import io.ringfence.tools.cli.DurationOption;
import io.ringfence.tools.cli.GatewayLogonOptions;
import io.ringfence.tools.cli.Progress;
import io.ringfence.tools.io.OutputFiles;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code load}: a gateway client that streams a JSON Lines file or the seeded shop to a running
 * server at a fixed offered rate (or as fast as the client's unacknowledged store allows), matches
 * every answer to its event, and reports send-to-answer latency from each event's intended send time
 * (coordinated-omission corrected) as a percentile table. The client resends after reconnects
 * ({@code recoverAnswers}), so every event is processed once and answered; the command gives up
 * (exit 1) when it cannot log on again within {@code --reconnect-for}.
 */
@Command(name = "load", mixinStandardHelpOptions = true,
        description = {"Streams events to a running server over the TCP gateway at a fixed offered rate and collects the answers.",
                "Events come from a JSON Lines file (--input; a bad line is reported with its number and skipped) or from the demo's seeded shop (--generate N).",
                "Prints throughput, answers by outcome and a latency percentile table from each event's intended send time (coordinated-omission corrected).",
                "Keeps reconnecting and resending for --reconnect-for when the server goes away."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:every event sent and answered (rejected events and bad input lines are answers, not failures)",
                "1:runtime failure: cannot connect or log on, the connection lost for longer than --reconnect-for, no answers for as long;"
                    + " or events refused as taken by another message (another process sent as this client: not processed)",
                "2:bad usage: options, a missing input file, no credentials in --data"})
public final class LoadCommand implements Callable<Integer> {
    private static final int SEND_WAIT_MILLIS = 100;
    private static final int MAX_REPORTED_BAD_LINES = 10;
    /**
     * Inputs up to this size (a regular file's JSON bytes, or generated events at ~1 KB each) are
     * encoded before sending starts; their SBE (fixed 36-byte ids, 84 bytes per item line) can be a
     * few times the JSON, within the tape's cap of 4 x this.
     */
    private static final long MAX_PREPARED_BYTES = 256L << 20;

    @CommandLine.Mixin
    GatewayLogonOptions server;

    @Option(names = "--input", paramLabel = "FILE.jsonl", description = "events to send, one JSON object per line; - for stdin")
    String input;

    @Option(names = "--generate", paramLabel = "N", description = "send N events of the demo's seeded synthetic shop instead")
    Long generate;

    @Option(names = "--seed", defaultValue = "42", paramLabel = "S", description = "seed of --generate: same seed, same events (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--rate", defaultValue = "0", paramLabel = "R",
            description = "offered events per second; 0 = as fast as the client's unacknowledged store allows (default ${DEFAULT-VALUE})")
    double rate;

    @Option(names = "--out", paramLabel = "FILE", description = "one JSON line per event with its answer (decision, reject or ack); - for stdout")
    String out;

    @Option(names = "--resume", description = "go on with the run whose answers are in --out FILE (interrupted: killed, or gave up):"
            + " the events the server already journaled are not sent as new ones; from the first whose answer FILE lacks they"
            + " are sent again under their clientSeqs and answered from the server's record; answers appended to FILE")
    boolean resume;

    @Option(names = "--reconnect-for", defaultValue = "30s", paramLabel = "DURATION",
            description = "how long to keep reconnecting (and to wait for answers) before giving up, e.g. 30s, 2m (default ${DEFAULT-VALUE})")
    String reconnectFor;

    @Option(names = "--server-buffer", defaultValue = "1048576", paramLabel = "BYTES",
            description = "the server's gateway.outboundBufferBytes (default ${DEFAULT-VALUE}): the answers this client can be owed"
                + " are kept below it, so a server with a smaller buffer does not disconnect it as a slow consumer when it falls"
                + " behind reading them; a server of schema version 5 or later says it at logon, and the client keeps within"
                + " the smaller of the two")
    int serverBuffer;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** With --resume: the answers file's answers, so an event sent again that the file already answers is not written twice. */
    private ResumePoint.Answered resent;
    private long resentThrough;

    @Override
    public Integer call() throws Exception {
        final long patienceNanos = checkUsage();
        final ClientConfig credentials = credentials();
        final Path inputPath = input == null || "-".equals(input) ? null : Path.of(input);
        final String unreadable = inputPath == null ? null : OutputFiles.unreadableInput("--input", inputPath);
        if (unreadable != null) {
            System.err.println("ringfence load: " + unreadable);
            return RingfenceMain.EXIT_USAGE;
        }
        // --generate reads no input (review: with stdin /dev/null, as under cron, --out /dev/null was refused)
        final String clash = input == null ? null : OutputFiles.sameAsInput("--out", out, "--input", inputPath);
        if (clash != null) {
            System.err.println("ringfence load: " + clash);
            return RingfenceMain.EXIT_USAGE;
        }
        OutputFiles.refuseDirectory(out); // before --resume reads it
        final PrintStream report = "-".equals(out) ? System.err : System.out;
        // slow-consumer audit: against a server with a 16 KiB buffer the client owed 1 MiB of answers was dropped 2 to 46 times
        final GatewayClientConfig clientConfig = new GatewayClientConfig()
            .fitServer(serverBuffer, Math.min(new GatewayClientConfig().maxFrameBytes, serverBuffer / 8));
        clientConfig.recoverAnswers = true;
        clientConfig.reconnectMaxBackoffMillis = 1_000;
        final AnswerLedger ledger = new AnswerLedger(clientConfig.unackedBufferBytes / 64);

        final ResumePoint resumeAt = resume ? ResumePoint.of(Path.of(out)) : null;
        if (resume && resumeAt == null) {
            System.err.println("ringfence load: --resume: " + out + " holds no answer of an earlier run to go on from (no line"
                    + " with a clientSeq and its input line): nothing sent");
            return RingfenceMain.EXIT_USAGE;
        }
        if (resumeAt != null && ResumePoint.dropCutLastLine(Path.of(out)) > 0) {
            System.err.println("ringfence load: --resume: dropped the cut last line of " + out + " (the run was stopped while writing it)");
        }
        // the answers the file holds: numbering starts again at the first missing one, which the server may have
        // journaled (the run was killed before its answer came back): sent again, it is answered from the record
        final ResumePoint.Answered inFile = resumeAt == null ? null : resumeAt.answered(Path.of(out));
        final ResumingSource[] resuming = {null};
        // closed last: the summary is printed and the answers flushed before a signal's shutdown hook lets the JVM exit
        try (StopRequest stop = StopRequest.install();
             OutputStream answers = out == null ? null : resume ? OutputFiles.open(out, true) : OutputFiles.openKeeping(out);
             InputStream in = input == null ? null : inputPath == null ? System.in : Files.newInputStream(inputPath)) {
            final LoadListener listener = new LoadListener(ledger, answers);
            final LoadStats stats = new LoadStats();
            final LoadSource read = generate != null ? new GeneratedSource(generate, seed)
                : new JsonLinesSource(in, inputPath == null ? -1 : Files.size(inputPath),
                    EngineConfigLoader.defaults().input.maxLineBytes,
                    Math.min(EngineConfigLoader.defaults().input.maxEventBytes, clientConfig.maxFrameBytes - SofhHeader.LENGTH),
                    (line, code, reason) -> {
                        // the run resumed reported those it read: the lines it skipped and, read whole first, any in its file
                        if ((resuming[0] == null || !resuming[0].skipping()) && (inFile == null || !inFile.reportsBadLine(line))) {
                            badLine(stats, listener, line, code, reason);
                        }
                    });

            final GatewayClient client;
            final LogonResult logon;
            try {
                // resuming: the file's answers are said at logon, so the refusals after what the server journaled are not
                // sent again (review: they were checked again, and journaled under a limit the restart had raised)
                final GatewayLogonOptions.LoggedOn<LogonResult> loggedOn = server.logOn(spec.commandLine(),
                    () -> new GatewayClient(clientConfig, listener),
                    c -> inFile == null ? c.logon(credentials.id, credentials.secret, 0)
                        : c.logon(credentials.id, credentials.secret, inFile.firstMissing(), inFile.firstMissing() - 1,
                            inFile::journaledAnswer), !resume, System.err);
                client = loggedOn.client();
                logon = loggedOn.result();
            } catch (final GatewayClientException e) {
                System.err.println("ringfence load: " + e.getMessage() + (e instanceof io.ringfence.gateway.client.GatewayConnectException
                    ? " (is `ringfence server` running on that port?)" : server.logonHint(e)));
                return RingfenceMain.EXIT_FAILURE;
            }
            stop.begin();
            if (answers != null) {
                OutputFiles.begin(answers); // logged on: this run's answers replace the file's
            }
            stats.firstClientSeq = client.lastAssignedSeq() + 1;
            LoadSource toSend = read;
            if (resumeAt != null) {
                final long held = logon.lastJournaledClientSeq();
                if (held < resumeAt.clientSeq() - 1) {
                    client.close();
                    System.err.printf("ringfence load: --resume: the server holds this client's events up to clientSeq %,d, before"
                            + " the first event of the run in %s (clientSeq %,d, line %,d): not the server, data directory or"
                            + " client id that run sent to; nothing sent%n", held, out, resumeAt.clientSeq(), resumeAt.line());
                    return RingfenceMain.EXIT_FAILURE;
                }
                final long[] lost = inFile.answeredBeyond(held);
                if (lost[0] > 0) {
                    System.err.printf("ringfence load: --resume: WARNING: the server lost events it had answered: %s holds %,d"
                            + " decisions and acks for clientSeq %,d to %,d, after the last event of this client the server"
                            + " holds (clientSeq %,d; a data directory restored from an older copy, a journal cut by `ringfence"
                            + " repair`, or journal.sync: none and an operating-system crash). Those events are sent again as"
                            + " new ones and decided again, and so is every event after the first of them, those refused"
                            + " before too (checked again: under this server's settings one may pass now); their new"
                            + " answers are added to %s after the old ones%n",
                            out, lost[0], lost[1], lost[2], held, out);
                }
                final long start = client.lastAssignedSeq() + 1; // the first missing answer's, when journaled
                resuming[0] = new ResumingSource(read, resumeAt.line(), start - resumeAt.clientSeq());
                toSend = resuming[0];
                report.printf("ringfence load: resuming the run in %s: the server holds its events up to clientSeq %,d (%,d"
                        + " events from line %,d on)%n", out, held, resumeAt.journaledFrom(held), resumeAt.line());
                final long[] unanswered = inFile.missingUpTo(held);
                if (start <= held) {
                    report.printf("ringfence load: --resume: %,d of them have no answer in %s (the run stopped before they came"
                            + " back, or they are another run's; the first: clientSeq %,d): the events of this input from clientSeq"
                            + " %,d to %,d are sent again under their numbers, the server answers each from its record (never"
                            + " processing one twice), and the events before are skipped%n", unanswered[0], out, unanswered[1], start, held);
                    final long older = start > inFile.from() ? inFile.missingUpTo(start - 1)[0] : 0;
                    if (older > 0) {
                        System.err.printf("ringfence load: --resume: %,d of the events without an answer in %s are older than the"
                                + " last %,d answers the server holds for this client: not asked for (`ringfence explain --order ID`"
                                + " or `replay --order ID` gives each decision, `ringfence journal --data DIR` lists them)%n",
                                older, out, io.ringfence.gateway.client.GatewayClient.ANSWERS_HELD);
                    }
                } else if (lost[0] == 0) { // else the warning above said what is sent again (review: "skipped" contradicted it)
                    report.printf("ringfence load: --resume: every one of them is answered in %s: skipped%n", out);
                }
                resent = inFile;
                resentThrough = held;
            }
            report.printf("ringfence load: %s to %s:%d as '%s'%s%n", generate != null
                    ? String.format("%,d generated shop events (seed %d)", generate, seed) : "events of " + input,
                server.host(), server.port(), credentials.id, rate > 0 ? " at " + LoadStats.perSecond(rate) + " events/s" : ", as fast as answers allow");

            final LoadSource source; // encoded once logged on: a server that is not there fails before the work
            try {
                source = prepared(toSend, inputPath, System.err);
            } catch (final Exception | Error e) {
                client.close();
                throw e;
            }
            final Watchdog watchdog = new Watchdog(client, listener, stop, patienceNanos, reconnectFor,
                server.host() + ':' + server.port());
            String failure = null;
            try (Progress progress = Progress.start("load", source.progressTotal(), source.progressUnit(), 1)) {
                stats.startNanos = System.nanoTime();
                send(source, client, ledger, watchdog, stats, progress);
                progress.stepTo(source.progress());
                while (!client.awaitAcknowledged(SEND_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
                    watchdog.check();
                }
                stats.endNanos = System.nanoTime();
            } catch (final LoadFailure e) {
                failure = e.getMessage();
                stats.failure = failure;
                stats.endNanos = System.nanoTime();
                if (stop.requested()) {
                    client.awaitAcknowledged(2, TimeUnit.SECONDS); // the answers on their way, within the hook's wait
                }
            } finally {
                stats.resent = client.resentMessages();
                stats.reconnects = client.reconnects();
                client.close(); // joins the I/O thread: what the listener counted is visible from here
            }
            if (answers != null) {
                answers.flush();
            }
            stats.print(report, listener, rate, out);
            final long lastOfInput = client.lastAssignedSeq();
            if (failure == null && resentThrough > lastOfInput) {
                // README walkthrough trial: after another run as the same client, --resume said the server's events past
                // this input's end were this run's, "sent again", then sent none
                System.err.printf("ringfence load: --resume: the server holds events of '%s' up to clientSeq %,d, past this"
                    + " input's last event (clientSeq %,d): the %,d after it are not this run's (another run sent as '%s' after"
                    + " the one that wrote %s, or this input is shorter than that run's); their answers are not in %s%n",
                    credentials.id, resentThrough, lastOfInput, resentThrough - lastOfInput, credentials.id, out, out);
            }
            if (failure != null) {
                System.err.println("ringfence load: " + failure);
                return RingfenceMain.EXIT_FAILURE;
            }
            if (listener.fatal() != null) {
                System.err.println("ringfence load: " + listener.fatal());
                return RingfenceMain.EXIT_FAILURE;
            }
            if (listener.taken() > 0) {
                System.err.printf("ringfence load: %,d event(s) not processed: the server holds other messages under their"
                    + " client sequences (Reject DUPLICATE 'taken by another message' in the answers): another process sent as"
                    + " '%s'%s; give every process its own client id%n", listener.taken(), credentials.id,
                    resume ? ", or the input changed since the run this one resumes" : "");
                return RingfenceMain.EXIT_FAILURE;
            }
        }
        return RingfenceMain.EXIT_OK;
    }

    /**
     * The source's events encoded before sending starts ({@link EventTape}), so reading JSON and
     * encoding SBE on the sending thread does not delay events behind their intended send times
     * (it is the client's cost, not the server's latency); standard input and inputs over
     * {@value #MAX_PREPARED_BYTES} bytes are read while sending, as they come.
     */
    private LoadSource prepared(final LoadSource read, final Path inputPath, final PrintStream err) throws Exception {
        final boolean small = generate != null ? generate <= MAX_PREPARED_BYTES >> 10
            : inputPath != null && Files.isRegularFile(inputPath) && Files.size(inputPath) <= MAX_PREPARED_BYTES;
        if (!small) {
            return read;
        }
        final long start = System.nanoTime();
        final EventTape tape = EventTape.recordAll(read, 4 * MAX_PREPARED_BYTES);
        err.printf("ringfence load: %,d events encoded before sending (%,.1f MiB of SBE in %.1f s)%n", tape.size(),
            tape.bytes() / 1048576.0, (System.nanoTime() - start) / 1e9);
        return tape;
    }

    /** Sends every event of the source at its intended time on the fixed-rate schedule (or at once with --rate 0). */
    private void send(final LoadSource source, final GatewayClient client, final AnswerLedger ledger,
                      final Watchdog watchdog, final LoadStats stats, final Progress progress) throws Exception {
        final double periodNanos = rate > 0 ? 1e9 / rate : 0;
        source.emit((buffer, offset, length, line) -> {
            if (SofhHeader.LENGTH + length > client.serverMaxFrameBytes()) {
                // the server said its frame limit at logon: over it the server would refuse the frame and end the session.
                // The run stops here, cleanly: answers of what was sent first, then the summary (review: send's refusal
                // ended it with neither). Not skipped: a skipped line has no clientSeq, which shifted --resume's count of
                // the lines sent and sent lines twice (third review)
                client.awaitAcknowledged(30, TimeUnit.SECONDS);
                throw new LoadFailure(input + ":" + line + ": event of " + length + " bytes encoded exceeds the server's"
                    + " gateway.maxFrameBytes " + client.serverMaxFrameBytes() + " (told at logon): not sent, nor anything after"
                    + " it; split it or have the limit raised, then go on with --resume (the answers file holds every answer"
                    + " before it)");
            }
            final long now0 = System.nanoTime();
            final long intended = rate > 0 ? stats.startNanos + (long) (stats.sent * periodNanos) : now0;
            long now = now0;
            while (now < intended) {
                java.util.concurrent.locks.LockSupport.parkNanos(Math.min(intended - now, 200_000));
                watchdog.stopRequest().check(); // a slow rate waits seconds between events
                now = System.nanoTime();
            }
            watchdog.check();
            final long expected = client.lastAssignedSeq() + 1;
            ledger.sent(expected, intended, line);
            if (resent != null && resent.holds(expected)) {
                // sent again within a gap of the file: its answer is a repeat, not written; past what the server journaled
                // (a refused tail of the run resumed) only a refusal again is
                ledger.answeredBefore(expected, expected > resentThrough);
            }
            long seq;
            while ((seq = client.send(buffer, offset, length, SEND_WAIT_MILLIS, TimeUnit.MILLISECONDS)) == GatewayClient.BACK_PRESSURED) {
                watchdog.check();
            }
            if (seq == GatewayClient.CLOSED) {
                watchdog.check();
                throw new LoadFailure("the client stopped: " + watchdog.lastDisconnect());
            }
            if (seq != expected) {
                throw new IllegalStateException("client sequence " + seq + " assigned, " + expected + " expected: one sender only");
            }
            stats.sent++;
            if ((stats.sent & 1023) == 0) {
                progress.stepTo(source.progress());
                progress.extraMessage(watchdog.disconnected() ? "reconnecting" : "");
            }
            return true;
        });
    }

    private void badLine(final LoadStats stats, final LoadListener listener, final long line, final RejectCode code,
                         final String reason) {
        stats.badLine(code);
        if (stats.badLines <= MAX_REPORTED_BAD_LINES) {
            System.err.println("ringfence load: " + input + ":" + line + ": " + code + ": " + reason + " (skipped)");
        } else if (stats.badLines == MAX_REPORTED_BAD_LINES + 1) {
            System.err.println("ringfence load: more bad lines skipped; counted in the summary" + (out != null ? " and in " + out : ""));
        }
        listener.badLine(line, code, reason);
    }

    /** Checks the options that picocli cannot; returns --reconnect-for in nanoseconds. */
    private long checkUsage() {
        if ((input == null) == (generate == null)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "give exactly one of --input FILE.jsonl and --generate N");
        }
        if (resume && (out == null || "-".equals(out))) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--resume needs --out FILE: the answers file of the run it goes on with");
        }
        if (generate != null && generate < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--generate must be positive, not " + generate);
        }
        server.check(spec.commandLine());
        if (!(rate >= 0) || Double.isInfinite(rate)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--rate must be 0 or a positive number of events per second");
        }
        if (serverBuffer < 4096 || Integer.bitCount(serverBuffer) != 1) {
            // the server's outboundBufferBytes is a power of two of at least 8 x its maxFrameBytes (512 at least)
            throw new CommandLine.ParameterException(spec.commandLine(), "--server-buffer must be the server's"
                + " gateway.outboundBufferBytes: a power of two of at least 4096, not " + serverBuffer);
        }
        return DurationOption.nanos(spec.commandLine(), "--reconnect-for", reconnectFor, 1_000);
    }

    private ClientConfig credentials() {
        return server.credentials(spec.commandLine(), false, "SUBMIT");
    }
}
