package io.ringfence.tools.server;

import io.ringfence.engine.config.ConfigProblems;
import io.ringfence.engine.config.EngineConfig;
import io.ringfence.engine.config.ConfigException;
import io.ringfence.engine.config.Durations;
import io.ringfence.engine.config.EngineConfigLoader;
import io.ringfence.gateway.GatewayCounter;
import io.ringfence.gateway.admin.AdminServer;
import io.ringfence.gateway.admin.HeapWatch;
import io.ringfence.gateway.bridge.EngineGateway;
import io.ringfence.gateway.bridge.SbeEventValidator;
import io.ringfence.gateway.config.GatewayConfig;
import io.ringfence.gateway.config.GatewayConfigLoader;
import io.ringfence.gateway.session.CredentialsFile;
import io.ringfence.journal.DataDirectoryLock;
import io.ringfence.tools.RingfenceMain;
import io.ringfence.tools.bench.WarmUp;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.TimeUnit;

/**
 * {@code server}: the long-running engine behind the TCP gateway. Recovers from the journal in
 * {@code --data}, listens (127.0.0.1 unless configured otherwise), and runs until it is stopped
 * (SIGINT / SIGTERM), then closes the gateway and drains the engine. With no clients configured
 * it generates one client secret into the data directory, which {@code load} and {@code demo}
 * pick up. The admin endpoint ({@code gateway.admin}: metrics and health) starts with it and its
 * URL is printed.
 */
@Command(name = "server", mixinStandardHelpOptions = true,
        description = {"Runs the engine behind the TCP gateway until stopped (Ctrl-C / SIGTERM).",
                "Recovers the journal in --data at start; clients submit SBE over SOFH frames (see docs/gateway.md).",
                "Serves Prometheus metrics and a health check over HTTP (gateway.admin; its URL is printed)."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"130/143:stopped cleanly by Ctrl-C / SIGTERM (the JVM reports the signal; a shutdown snapshot is written when snapshots are on and the disk allows: the stop line says)",
            "1:runtime failure (port in use, disk, journal)", "2:bad usage or configuration",
            "3:the heap ran out (-XX:+ExitOnOutOfMemoryError; the log warns when the old generation keeps over 85 %% after a collection)"})
public final class ServerCommand implements Callable<Integer> {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ServerCommand.class);
    @Option(names = "--data", required = true, paramLabel = "DIR", description = "data directory: journal and generated credentials")
    Path data;

    @Option(names = "--config", paramLabel = "FILE.yaml", description = "engine and gateway configuration (defaults for anything not set)")
    Path config;

    @Option(names = "--reason", paramLabel = "TEXT", description = "why this configuration is used (a ticket, a line):"
            + " kept with who and when in the recorded configuration's header when it takes effect")
    String reason;

    /** Where this start's configuration came from ({@code --config}, {@code --reason}), once read. */
    private io.ringfence.tools.io.RecordedConfig.Origin origin;

    @Option(names = "--port", paramLabel = "N", description = "TCP port (overrides gateway.port; 0 picks a free one)")
    Integer port;

    @Option(names = "--bind", paramLabel = "ADDR", description = "address to listen on (overrides gateway.bindAddress)")
    String bind;

    @Option(names = "--admin-port", paramLabel = "N", description = "admin HTTP port for /metrics and /health (overrides gateway.admin.port; 0 picks a free one)")
    Integer adminPort;

    @Option(names = "--warmup", defaultValue = "5s", paramLabel = "DURATION",
            description = "before listening, send this long of generated events at 20,000/s through a scratch engine and"
                    + " gateway on a temporary journal, so the JIT has compiled the whole path before the first client's"
                    + " event; nothing of it is kept; 0s = none (default ${DEFAULT-VALUE})")
    String warmup;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        final long warmupEvents = warmupEvents();
        final ConfigProblems problems = new ConfigProblems(); // the engine's and the gateway's problems, all in one refusal
        final EngineConfig engineConfig = problems.check(() -> {
            final EngineConfig c = EngineConfigLoader.loadValidated(config);
            EngineConfigLoader.warnOfLikelyMistakes(config, c);
            c.requireModelFeatures(config);
            return c;
        });
        final GatewayConfig gatewayConfig = problems.check(() -> GatewayConfigLoader.loadValidated(config));
        problems.throwIfAny();
        io.ringfence.tools.fraud.ModelSettings.warn("server", engineConfig, System.err);
        EngineConfigLoader.checkLiveRing(config, engineConfig); // before the warm-up and the recovery
        autoForSharedCores(engineConfig, Runtime.getRuntime().availableProcessors());
        // an option's bad value is named as the option, not as the setting it overrides (operator audit: --admin-port 70000
        // read "gateway.admin.port: '70000' must be ...")
        checkPortOption("--port", port);
        checkPortOption("--admin-port", adminPort);
        try {
            origin = new io.ringfence.tools.io.RecordedConfig.Origin(config, io.ringfence.tools.io.RecordedConfig.Origin.reason(reason));
        } catch (final IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        if (port != null) {
            gatewayConfig.port = port;
        }
        if (bind != null) {
            gatewayConfig.bindAddress = bind;
        }
        if (adminPort != null) {
            gatewayConfig.admin.port = adminPort;
        }
        gatewayConfig.validate(); // with --port / --bind / --admin-port applied (the same port for both, say)
        // a port already taken is found now, not after the warm-up and the journal's recovery (the gateway binds
        // after them, so that nothing is answered before the state is back); another process may still take it meanwhile
        checkFree(port != null ? "--port" : "gateway.port", gatewayConfig.bindAddress, gatewayConfig.port);
        if (gatewayConfig.admin.enabled) {
            checkFree(adminPort != null ? "--admin-port" : "gateway.admin.port", gatewayConfig.admin.bindAddress, gatewayConfig.admin.port);
        }
        final Path dataInTheWay = fileInTheWay(data);
        if (dataInTheWay != null) {
            System.err.println("ringfence server: --data " + data + (dataInTheWay.equals(data.toAbsolutePath()) ? ""
                : ": " + dataInTheWay) + " is a file, not a directory");
            return RingfenceMain.EXIT_USAGE;
        }
        final Path snapshotDir = data.resolve(engineConfig.snapshot.dir);
        final Path snapshotInTheWay = engineConfig.snapshot.enabled ? fileInTheWay(snapshotDir) : null;
        if (snapshotInTheWay != null) { // review: a file as its parent gave exit 1 after the data directory was made
            System.err.println("ringfence server: snapshot.dir " + snapshotDir + (snapshotInTheWay.equals(snapshotDir.toAbsolutePath())
                ? "" : ": " + snapshotInTheWay) + " is a file, not a directory");
            return RingfenceMain.EXIT_USAGE;
        }
        engineConfig.journal.sealKeyFor(data); // a key that does not read is a bad configuration now, not after the warm-up
        io.ringfence.journal.PrivateDirectories.create(data);
        io.ringfence.journal.PrivateDirectories.warnIfShared(data, "the journal and snapshots (customers' ids, IP addresses, card references)");
        // first of all: a second server (or `run`) on this directory stops here, before credentials or the warm-up
        try (DataDirectoryLock writing = DataDirectoryLock.acquire(data, "server");
             DataDirectoryLock snapshots = engineConfig.snapshot.enabled // when snapshot.dir lies outside --data
                     ? DataDirectoryLock.acquireSnapshotDirectory(data, data.resolve(engineConfig.snapshot.dir), "server") : null;
             DataDirectoryLock archive = engineConfig.journal.archive != null // a restored copy beside its original: refused here
                     ? DataDirectoryLock.acquireArchiveDirectory(data, data.resolve(engineConfig.journal.archive), "server") : null) {
            long journaled = 0;
            if (io.ringfence.journal.Journal.exists(data)) {
                // a journal no writer may append to (a damaged end) is reported now, not after the warm-up
                try (io.ringfence.journal.Journal journal = io.ringfence.journal.Journal.open(engineConfig.journal.toJournalConfig(
                        data, io.ringfence.journal.JournalConfig.MAX_PAYLOAD_BYTES_LIMIT, false))) {
                    journal.checkAppendable();
                    journaled = journal.lastSequence();
                }
            }
            final String lost = LostJournal.check(data, engineConfig, journaled);
            if (lost != null) {
                System.err.println("ringfence server: " + lost);
                return RingfenceMain.EXIT_FAILURE;
            }
            final String noConfig = missingRecordedConfiguration(data, journaled);
            if (noConfig != null) {
                System.err.println("ringfence server: " + noConfig);
                return RingfenceMain.EXIT_FAILURE;
            }
            // the live heap near its limit (caps raised above what -Xmx holds) is said in the log before it becomes an OOM
            try (HeapWatch heap = HeapWatch.start(HeapWatch.WARN_AT, message -> LOG.warn(message))) {
                return serve(engineConfig, gatewayConfig, warmupEvents);
            }
        }
    }

    /**
     * A journal with events whose seals name a recorded configuration that is not in the directory (a restore that left
     * {@code ringfence-config.yaml} out): a start would re-decide the whole history under its own settings and record them
     * as in effect after it, so replay and explain would re-decide the past under them without a word (SRE backup trial,
     * HIGH: 2,541/40 APPROVE/REVIEW became 2,580/1). Refused with what to do; null when there is nothing to say.
     */
    static String missingRecordedConfiguration(final Path data, final long journaled) {
        final Path recorded = data.resolve(io.ringfence.tools.io.RecordedConfig.FILE);
        if (journaled == 0 || Files.isRegularFile(recorded)) {
            return null;
        }
        final java.util.List<io.ringfence.journal.JournalSeals.Line> sealed =
                io.ringfence.journal.JournalSeals.readConfigs(data).lines();
        if (sealed.isEmpty()) {
            return null; // a journal of a build before recorded configurations: the defaults, as replay says
        }
        final io.ringfence.journal.JournalSeals.Line first = sealed.get(0);
        return String.format("%s holds a journal of %,d events but not %s, the configuration that decided them (%s line %d"
                + " seals one in effect from sequence %s): a start now would re-decide its whole history under this start's"
                + " settings and record them as if they had decided it. Put the file back (from the copy or backup it came"
                + " from, with %s and %s if there; `ringfence verify --data %s` checks it against its seal), then start"
                + " again. If it is lost for good, move %s aside to start anyway: what decided the journal is then unknown",
                data, journaled, recorded.getFileName(), io.ringfence.journal.JournalSeals.FILE, first.number(),
                first.field("from"), io.ringfence.tools.io.RecordedConfig.MODEL, io.ringfence.tools.io.RecordedConfig.HISTORY,
                data, io.ringfence.journal.JournalSeals.FILE);
    }

    private int serve(final EngineConfig engineConfig, final GatewayConfig gatewayConfig, final long warmupEvents) throws Exception {
        final PrintStream out = System.out;
        if (gatewayConfig.clients.isEmpty()) {
            CredentialsFile.loadOrCreate(data); // before the warm-up: a `load --data` started meanwhile finds them and waits to connect
        }
        // the admin endpoint first: during a long warm-up and recovery /health answers 503 "starting: ..." (with the
        // events replayed so far) instead of refusing connections; the gateway's own port opens only once the state is back
        final AdminServer admin = gatewayConfig.admin.enabled ? AdminServer.startEarly(gatewayConfig.admin, gatewayConfig.port) : null;
        final WarmUp.Result warm;
        final EngineGateway gateway;
        final StartUp startUp = new StartUp();
        final CountDownLatch stopped = new CountDownLatch(1);
        final AtomicReference<EngineGateway> serving = new AtomicReference<>();
        final Thread hook = new Thread(() -> {
            // runs on SIGINT / SIGTERM; the JVM halts when it returns, so the summary is printed here
            EngineGateway live = serving.get();
            final String during = startUp.phase(); // as the stop came
            if (live == null && StartUp.recovering(during) && startUp.awaitSettled(2_000)) {
                live = serving.get(); // the start ended meanwhile: serving (closed below as a running server) or failed
            }
            if (live == null) {
                final String line = startUp.stoppedLine(data, during); // trial: a stop during a long warm-up or recovery said nothing
                if (line != null) {
                    out.println(line);
                    out.flush();
                }
                return;
            }
            live.close();
            out.printf("ringfence server stopped: %,d events published, %,d resends answered again, %,d logons, %,d frames in%n",
                    live.ingress().published(), live.ingress().duplicates(),
                    live.counters().get(GatewayCounter.LOGONS_OK), live.counters().get(GatewayCounter.FRAMES_IN));
            final String snapshot = shutdownSnapshot(live.engine(), data.resolve(engineConfig.snapshot.dir));
            if (snapshot != null) {
                out.println("  " + snapshot);
            }
            out.flush();
            stopped.countDown();
        }, "rf-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            if (admin != null) {
                out.printf("ringfence server: starting; %shealth answers 503 until the gateway listens%n", admin.url());
                admin.startup().phase("warming up");
            }
            warm = warmUp(warmupEvents, out, startUp);
            startUp.recovering();
            if (admin != null) {
                admin.startup().phase("recovering the state (the newest snapshot, if any, then the journal after it)");
            }
        } catch (final RuntimeException | Error e) {
            abandon(hook, startUp);
            if (admin != null) {
                admin.close();
            }
            throw e;
        }
        final String changed = changedFromRecorded(data, config, engineConfig);
        if (changed != null) {
            System.err.print(changed);
        }
        final String edited = io.ringfence.tools.io.RecordedConfig.unsealedChange(data, data.resolve(io.ringfence.tools.io.RecordedConfig.FILE));
        if (edited != null) { // operator trial: the start presented an edited file as what decided the journal
            System.err.println("ringfence server: warning: " + edited + ": what it says decided the journal may not be what did"
                    + " (`ringfence verify --data " + data + "`)");
        }
        try {
            // closes the admin endpoint itself when it fails
            gateway = EngineGateway.start(engineConfig, gatewayConfig, data, SbeEventValidator.of(engineConfig.input), null, admin,
                    io.ringfence.tools.io.RecordedConfig.prior(data, System.err));
        } catch (final Exception | Error e) {
            abandon(hook, startUp);
            throw e;
        }
        serving.set(gateway);
        startUp.serving();
        // the journal's end before this server's first event: where its configuration takes effect (and the banner's next sequence)
        final long recoveredTo = gateway.engine().recovery().snapshotSequence() + gateway.engine().recovery().eventsReplayed();
        record(data, engineConfig, gateway, recoveredTo, origin);
        io.ringfence.tools.io.ClientNames.recordClientsOf(data, gateway, System.err); // so that `journal` can say who sent each event
        out.printf("ringfence server listening on %s:%d%n", gatewayConfig.bindAddress, gateway.port());
        if (gateway.admin() != null) {
            out.printf("  admin: %smetrics (Prometheus), %shealth%n", gateway.admin().url(), gateway.admin().url());
        }
        out.printf("  data: %s (%s; next engine sequence %,d)%n", data, recovery(gateway), recoveredTo + 1);
        if (gatewayConfig.clients.isEmpty()) {
            out.printf("  clients: '%s' (load, demo) and '%s' (subscribe only), secrets in %s (owner-only)%n",
                    gateway.clients().registry().clients().get(0).id(), gateway.clients().registry().clients().get(1).id(),
                    CredentialsFile.path(data));
        } else {
            out.printf("  clients: %d configured%n", gatewayConfig.clients.size());
        }
        if (warm.events() > 0) {
            out.printf("  warmed up in %,d ms: %,d generated events through a scratch engine and gateway (none kept)%n",
                    warm.nanos() / 1_000_000, warm.events());
        }
        out.printf("  fraud: %s%n", scoring(gateway.engine().logic().fraud()));
        out.printf("  seals: %s%n", seals(engineConfig, data));
        out.printf("  answers: %s%n", gateway.answerLog() == null ? "not kept (journal.keepAnswers: false)"
                : String.format("each answer given is kept in %s (from engine sequence %,d); `ringfence replay --data %s"
                + " --diff-answers` checks a replay against them", gateway.answerLog().directory(), gateway.answerLog().from(), data));
        out.printf("  %s; stop with Ctrl-C%n", gateway.engine().pipeline().describeThreads());
        out.flush();
        final io.ringfence.engine.pipeline.Pipeline pipeline = gateway.engine().pipeline();
        while (!stopped.await(200, TimeUnit.MILLISECONDS)) {
            final Throwable failure = pipeline.failure();
            if (failure != null) {
                // the pipeline stopped for good (e.g. the journal's disk is full): every client would only get
                // INTERNAL rejects, so the server ends and says why; a supervisor restarts it, and its recovery
                // starts from the last complete journaled event
                System.err.println("ringfence server: stopping, the engine failed: " + reason(failure));
                System.err.flush();
                gateway.close(); // here, not only in the exit's hook: an in-process caller gets its port and journal back
                return RingfenceMain.EXIT_FAILURE;
            }
            final Throwable ioFailure = gateway.server().failure();
            if (ioFailure != null) {
                System.err.println("ringfence server: stopping, the gateway I/O thread failed: " + ioFailure
                        + " (every answered event is journaled; start it again once the cause is dealt with)");
                System.err.flush();
                gateway.close();
                return RingfenceMain.EXIT_FAILURE;
            }
        }
        return 0;
    }

    /** A start that failed (its error is printed) leaves no stop hook: an in-process caller's JVM keeps none of this server. */
    private static void abandon(final Thread hook, final StartUp startUp) {
        startUp.failed();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (final IllegalStateException stopping) {
            // the JVM is already stopping: the hook prints nothing now
        }
    }

    /** The most telling message in a failure's causes: the journal's when it is one, else the failure's own. */
    static String reason(final Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof OutOfMemoryError && "Map failed".equals(t.getMessage())) {
                // chaos trial: "Failed to acquireByteStore start: 0x0 ..." named neither the cause nor what to do
                return "the journal could not map more of its file into memory (" + t + "): the process's address space"
                        + " (ulimit -v), its count of mappings (vm.max_map_count) or the machine's memory is used up; every"
                        + " answered event is journaled: free or raise it, then start again (" + failure.getMessage() + ")";
            }
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof io.ringfence.journal.JournalException && t.getMessage() != null) {
                return t.getMessage();
            }
        }
        return String.valueOf(failure.getMessage());
    }

    private void checkPortOption(final String option, final Integer value) {
        if (value != null && (value < 0 || value > 65_535)) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                option + " " + value + " is not a port: 0 (a free one) to 65535");
        }
    }

    /**
     * What {@code auto} means for a server on 2 cores or fewer ({@code server}, {@code demo}, {@code bench}): the gateway's
     * I/O thread, the OS and often the clients share the cores. {@code pipeline.layout: auto} becomes {@code inline} (the
     * stages on the I/O thread: no hand-off and no wake-up per message; measured with bench, 3 runs each, in-server p50
     * 10-13 us against 39-49 us combined at 10 k/s, p99 153-285 us against 784-1,442 us; README "Thread layouts"), unless
     * the stages are on queues, which have no inline form, or {@code pipeline.cpus} pins stage threads by name or
     * order (a configuration that would otherwise no longer start). {@code pipeline.waitStrategy: auto} becomes {@code blocking} for
     * a combined or dedicated layout configured there: a yielding engine thread takes the other core from the rest
     * (README "Load a running server": 20 k/s from {@code load} on the same 2 cores, p99 32/19/47/101 ms yielding vs
     * 24/11/19/12 ms blocking, p50 alike). Configured values are kept.
     */
    public static void autoForSharedCores(final EngineConfig engineConfig, final int cores) {
        if (cores > 2) {
            return;
        }
        final io.ringfence.engine.pipeline.CpuPlan.Kind pinning = engineConfig.pipeline.cpuPlan().kind();
        if (engineConfig.pipeline.layout() == io.ringfence.engine.pipeline.Layout.AUTO && !engineConfig.pipeline.blockingQueues()
                && (pinning == io.ringfence.engine.pipeline.CpuPlan.Kind.NONE || pinning == io.ringfence.engine.pipeline.CpuPlan.Kind.AUTO)) {
            engineConfig.pipeline.layout = "inline"; // not when pipeline.cpus names stage threads: those need a stage thread
        }
        if (engineConfig.pipeline.waitKind() == io.ringfence.engine.pipeline.WaitKind.AUTO) {
            engineConfig.pipeline.waitStrategy = "blocking";
        }
    }

    private long warmupEvents() {
        final long micros;
        try {
            micros = Durations.parseMicros("--warmup", warmup);
        } catch (final ConfigException e) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        final long events = (long) (micros / 1e6 * WarmUp.RATE);
        if (events > WarmUp.MAX_EVENTS) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--warmup is at most " + WarmUp.MAX_EVENTS / (long) WarmUp.RATE + "s (its events are held in memory), not " + warmup);
        }
        return events;
    }

    private static void checkFree(final String field, final String bindAddress, final int port) {
        if (port == 0) {
            return;
        }
        try (java.net.ServerSocket probe = new java.net.ServerSocket()) {
            probe.setReuseAddress(true); // as the gateway binds: a port in TIME_WAIT is free
            probe.bind(new java.net.InetSocketAddress(java.net.InetAddress.getByName(bindAddress), port));
        } catch (final java.io.IOException e) {
            throw new java.io.UncheckedIOException(field + " " + port + " cannot be listened on at " + bindAddress
                + " (another server running?)", e);
        }
    }

    /**
     * Runs the warm-up ({@link WarmUp}) with the server's settings, then collects its garbage so
     * none of it is collected under the first clients' traffic. A failed warm-up is reported and
     * the server starts cold: it only ever costs latency, never availability.
     */
    private WarmUp.Result warmUp(final long events, final PrintStream out, final StartUp startUp) {
        if (events == 0) {
            return new WarmUp.Result(0, 0);
        }
        out.printf("ringfence server: warming up (%,d generated events through a scratch engine and gateway; --warmup 0s skips)%n", events);
        out.flush();
        try {
            final EngineConfig scratch = EngineConfigLoader.loadValidated(config); // a copy: the warm-up changes it
            autoForSharedCores(scratch, Runtime.getRuntime().availableProcessors());
            final WarmUp.Result result = WarmUp.run(scratch, GatewayConfigLoader.loadValidated(config), events, null,
                    startUp::warmingUpIn);
            System.gc();
            return result;
        } catch (final RuntimeException e) {
            System.err.println("ringfence server: warm-up failed, starting without it: " + e.getMessage());
            return new WarmUp.Result(0, 0);
        }
    }

    /**
     * The stop line's word on the clean-shutdown snapshot (operator trial: a stop whose snapshot failed read like any
     * other; only an ERROR in the log said that the next start replays the journal): whether the snapshot directory
     * holds one at the journal's last sequence, else the newest it holds and what a restart replays. Null when
     * snapshots are off. After {@link Engine#close()}.
     */
    static String shutdownSnapshot(final io.ringfence.engine.Engine engine, final Path snapshotDir) {
        if (engine.snapshots() == null) {
            return null;
        }
        // from what is on disk (review: the agent's own counts miss the replica's recovery snapshots and a deleted file)
        final java.util.List<Path> held = io.ringfence.journal.snapshot.SnapshotStore.listIn(snapshotDir);
        final long newest = held.isEmpty() ? 0
                : io.ringfence.journal.snapshot.SnapshotDescriptor.sequenceOf(held.get(0).getFileName().toString());
        final long last = engine.pipeline().lastSequence();
        if (last == 0) { // new-user audit: an empty journal said "NOT written (see the log)", with nothing in the log
            return "shutdown snapshot: none needed (the journal holds no event)";
        }
        if (newest >= last && !held.isEmpty()) {
            return String.format(java.util.Locale.ROOT, "shutdown snapshot: sequence %,d in %s (a restart replays nothing)",
                    newest, held.get(0));
        }
        final String why = engine.pipeline().failure() != null ? "not taken: the pipeline stopped on an error"
                : "NOT written (see the log)";
        return String.format(java.util.Locale.ROOT, "shutdown snapshot: %s; %s: a restart replays the journal's %,d events"
                + " after it", why, held.isEmpty() ? "no snapshot is held" : "the newest held is at sequence "
                + String.format(java.util.Locale.ROOT, "%,d", newest), last - newest);
    }

    /** {@code dir} or its nearest existing ancestor when that is not a directory (so {@code dir} cannot be made), else null. */
    static Path fileInTheWay(final Path dir) {
        for (Path p = dir.toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.exists(p)) {
                return Files.isDirectory(p) ? null : p;
            }
        }
        return null;
    }

    /** What scores orders and payments, for the start-up lines: which model an operator can check it runs. */
    static String scoring(final io.ringfence.engine.fraud.FraudScorer fraud) {
        return !fraud.enabled() ? "off (fraud.enabled: false)"
                : fraud.model().present() ? "model " + fraud.model().id() + " and the rules" : "rules only (no fraud.model)";
    }

    /**
     * Records the configuration the server runs with, as in effect from {@code recoveredTo + 1}, with the roll cycle
     * the journal keeps rather than a configured one it ignores (trial: every later journal, replay and explain warned
     * that the recorded one was ignored).
     */
    /**
     * A warning when this start decides under other settings than those recorded in {@code data} (which decided its
     * journal), naming them, else null: going live with `server` on a directory a `run` backfilled under a --config, and
     * starting it without one, dropped its monitors and rules without a word (backfill trial, 2026-12-06).
     */
    static String changedFromRecorded(final Path data, final Path file, final EngineConfig now) {
        if (!java.nio.file.Files.isRegularFile(data.resolve(io.ringfence.tools.io.RecordedConfig.FILE))) {
            return null;
        }
        final EngineConfig recorded;
        try {
            recorded = io.ringfence.tools.io.RecordedConfig.load(data, null, false);
        } catch (final RuntimeException e) {
            return null; // said when the prior configuration is read
        }
        final java.util.List<String> changes = io.ringfence.tools.io.ConfigChanges.between(recorded, now);
        final java.util.List<String> keeping = io.ringfence.tools.io.ConfigChanges.keepingBetween(recorded, now);
        final String whose = (file == null ? "the defaults differ" : file + " differs") + " from the configuration recorded in "
                + data.resolve(io.ringfence.tools.io.RecordedConfig.FILE);
        final String keepingLines = keeping.isEmpty() ? "" : listed(keeping, "in how it keeps its files (journal, snapshots;"
                + " not what it decides), " + keeping.size() + (keeping.size() == 1 ? " setting" : " settings") + ":\n");
        if (changes.isEmpty()) { // upgrade trial: a start without --config dropped journal.archive without a word
            return keeping.isEmpty() ? null : "ringfence server: note: " + whose + " " + keepingLines;
        }
        final StringBuilder sb = new StringBuilder("ringfence server: warning: " + whose + ", which decided its journal, in " + changes.size() + (changes.size() == 1 ? " setting" : " settings")
                + " (what a --config leaves out is the default); events from here on are decided under this start's (the"
                + " recorded one is kept in " + io.ringfence.tools.io.RecordedConfig.HISTORY + "/), and before it listens it"
                + " rebuilds the state under them by replaying the whole journal, its archive included, unless a snapshot"
                + " taken under these same settings is kept (trial: only the snapshot loader's line said so); to go on as"
                + " before, start with --config naming that file's settings:\n");
        sb.append(listed(changes, ""));
        if (!keeping.isEmpty()) {
            sb.append("and ").append(keepingLines);
        }
        return sb.toString();
    }

    /** {@code heading} then at most 10 of {@code lines}, indented, and how many more. */
    private static String listed(final java.util.List<String> lines, final String heading) {
        final StringBuilder sb = new StringBuilder(heading);
        for (int i = 0; i < Math.min(10, lines.size()); i++) {
            sb.append("  ").append(lines.get(i)).append('\n');
        }
        if (lines.size() > 10) {
            sb.append("  ... and ").append(lines.size() - 10).append(" more\n");
        }
        return sb.toString();
    }

    static void record(final Path data, final EngineConfig config, final EngineGateway gateway, final long recoveredTo,
                       final io.ringfence.tools.io.RecordedConfig.Origin origin) {
        config.journal.rollCycle = gateway.engine().journal().rollCycle();
        io.ringfence.tools.io.RecordedConfig.record(data, config, recoveredTo, origin);
        final Path recorded = data.resolve(io.ringfence.tools.io.RecordedConfig.FILE);
        final String[] kept = io.ringfence.tools.io.RecordedConfig.originOf(recorded);
        if (origin.reason() != null && !origin.reason().equals(kept[1])) {
            // review LOW: a --reason given to a start under the same settings was dropped without a word
            long since;
            try {
                since = io.ringfence.tools.io.RecordedConfig.fromSequenceOf(recorded);
            } catch (final java.io.IOException e) {
                since = -1;
            }
            System.err.println("ringfence server: --reason was not recorded: no other configuration takes effect here ("
                    + recorded + " has decided the same since sequence " + since + (kept[1] == null ? "" : "; its reason: "
                    + kept[1]) + "); a reason is kept with the configuration it puts in effect");
        }
    }

    /** How the journal is sealed, for the banner. */
    static String seals(final EngineConfig config, final Path data) {
        if (io.ringfence.engine.config.Durations.parseMicros("journal.sealEvery", config.journal.sealEvery) == 0) {
            return "off (journal.sealEvery: 0s): `ringfence verify` has nothing to compare the journal with";
        }
        return "the journal every " + config.journal.sealEvery + " in " + data.resolve(io.ringfence.journal.JournalSeals.FILE)
                + (config.journal.sealKey == null ? ", without a key (journal.sealKey)" : ", with HMACs under " + config.journal.sealKey)
                + "; `ringfence verify --data " + data + (config.journal.sealKey == null ? "" : " --key " + config.journal.sealKey)
                + "` checks them";
    }

    /** What start-up recovered and how long it took (DESIGN §7), for the banner. */
    static String recovery(final EngineGateway gateway) {
        final long restored = gateway.engine().restoredSequence();
        final long replayed = gateway.recoveredEvents();
        if (restored == 0 && replayed == 0) {
            return "empty journal, nothing to recover";
        }
        final io.ringfence.journal.Journal journal = gateway.engine().journal();
        final long first = journal.firstSequence();
        // the archive said at the start (trial: 120 files archived and not a word on the console)
        final String archived = first > 1 ? String.format("; sequences 1..%,d are in the journal's archive (recorded in %s)", first - 1,
                journal.directory().resolve(io.ringfence.journal.ArchivedCycles.FILE)) : "";
        return String.format("recovered in %,d ms: %s, then %,d journal events replayed%s", gateway.engine().recovery().nanos() / 1_000_000,
                restored == 0 ? "no snapshot" : String.format("snapshot at sequence %,d", restored), replayed, archived);
    }
}
