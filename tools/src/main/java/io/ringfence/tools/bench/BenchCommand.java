package io.ringfence.tools.bench;

import io.ringfence.tools.load.EventTape;
import io.ringfence.engine.config.ConfigException;
import io.ringfence.engine.config.Durations;
import io.ringfence.engine.config.EngineConfig;
import io.ringfence.engine.pipeline.Layout;
import io.ringfence.engine.config.EngineConfigLoader;
import io.ringfence.gateway.bridge.EngineGateway;
import io.ringfence.gateway.bridge.SbeEventValidator;
import io.ringfence.gateway.config.ClientConfig;
import io.ringfence.gateway.config.GatewayConfig;
import io.ringfence.tools.load.GeneratedSource;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code bench}: end-to-end latency at fixed offered rates, each next to its physical floor. Starts
 * the engine behind the TCP gateway in process (as {@code demo}: temporary data directory, in-memory
 * client secret), and for each rate sends the seeded shop over a real {@code GatewayClient} on an
 * open-loop schedule, then the same events through a plain TCP echo with the same framing, socket
 * options, schedule and histogram. Prints both and their ratios; {@code --json} prints one object;
 * {@code --out} gets one {@code .hgrm} file per run and baseline.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Measures end-to-end decision latency over the TCP gateway at fixed offered rates.",
                "Engine + gateway in process, next to a plain TCP echo over the same loopback (and the same engine on",
                "ArrayBlockingQueues) timed by the same open-loop harness; prints percentiles and ratios."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:every run finished", "1:runtime failure", "2:bad usage"})
public final class BenchCommand implements Callable<Integer> {
    private static final String CLIENT_ID = "bench";
    private static final long SEED = 42;
    /** Highest offered rate, events per second. */
    static final int MAX_RATE = 1_000_000;
    /** Most events (warm-up and measured) in one run: its tape is encoded into memory first. */
    static final int MAX_EVENTS_PER_RUN = 5_000_000;

    @Option(names = "--rates", split = ",", defaultValue = "10000,50000", paramLabel = "R[,R...]",
            description = "offered events per second, one run each (default ${DEFAULT-VALUE})")
    List<Double> rates;

    @Option(names = "--duration", defaultValue = "10s", paramLabel = "DURATION", description = "measured time per run (default ${DEFAULT-VALUE})")
    String duration;

    @Option(names = "--warmup", defaultValue = "5s", paramLabel = "DURATION",
            description = "time per run sent first on the same schedule, not measured (default ${DEFAULT-VALUE})")
    String warmup;

    @Option(names = "--config", paramLabel = "FILE.yaml",
            description = "engine configuration (defaults for anything not set), e.g. journal.pretouch: false; --wait and --layout win over its pipeline settings")
    Path config;

    @Option(names = "--wait", paramLabel = "KIND",
            description = "engine wait strategy: blocking, sleeping, yielding, busy-spin, auto (default: the --config file's"
                + " pipeline.waitStrategy, else auto, which is blocking on 2 cores or fewer as for server: client, gateway and"
                + " engine share the cores)")
    String wait;

    @Option(names = "--layout", paramLabel = "LAYOUT",
            description = "engine thread layout: auto, combined, dedicated or inline (journal, business and dispatch on the"
                + " gateway's I/O thread: no hand-off, no wake-up; the abq baseline then runs combined, as inline has no queue)"
                + " (default: the --config file's pipeline.layout, else auto, which is inline on 2 cores or fewer as for server)")
    String layout;

    @Option(names = "--gateway", defaultValue = "blocking", paramLabel = "MODE",
            description = "gateway I/O thread: blocking (waits in select) or busy-poll (spins on selectNow, a core of its own;"
                + " pair it with a non-spinning --wait such as blocking or sleeping on 2 cores) (default ${DEFAULT-VALUE})")
    String gatewayMode;

    @Option(names = "--client", defaultValue = "thread", paramLabel = "MODE",
            description = "bench client: thread (the Java GatewayClient: a sender that parks until each send time and an I/O"
                + " thread blocking in select) or spin (one thread that spins to each send time and reads answers between sends;"
                + " a core of its own, no client-side wake-ups); the echo baseline uses the same client (default ${DEFAULT-VALUE})")
    String clientMode;

    @Option(names = "--baselines", split = ",", defaultValue = "echo,abq", paramLabel = "B[,B...]",
            description = "baselines measured in the same run: echo (a plain TCP echo, always) and abq (the same engine and gateway"
                + " with the stages on ArrayBlockingQueues instead of the Disruptor) (default ${DEFAULT-VALUE})")
    List<String> baselines;

    @Option(names = "--out", paramLabel = "DIR", description = "write one .hgrm percentile distribution (µs) per run and baseline here, and latency.png (latency by percentile, every run)")
    Path out;

    @Option(names = "--keep-journal", description = "keep the scratch data directory (journals of the generated events) instead of deleting it")
    boolean keepJournal;

    @Option(names = "--json", description = "print one JSON object instead of the table")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /**
     * Creates {@code --out} and writes a probe file in it before anything is measured (audit: an unwritable one was found
     * only after the whole run, exit 1, and with {@code --json} the results were lost).
     */
    private void checkOutWritable() {
        if (out == null) {
            return;
        }
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--out " + out + " is a file; it names the directory for the .hgrm files and latency.png");
        }
        try {
            Files.createDirectories(out);
            Files.delete(Files.createTempFile(out, ".bench-", ".probe"));
        } catch (final IOException | RuntimeException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--out " + out + ": cannot write the .hgrm files and"
                + " latency.png there (" + e + ")");
        }
    }

    private static void deleteIfEmpty(final Path directory) {
        try (java.util.stream.Stream<Path> entries = Files.list(directory)) {
            if (entries.findAny().isEmpty()) {
                Files.delete(directory);
            }
        } catch (final IOException e) {
            // best effort: a directory left behind is named by the failure's message anyway
        }
    }

    @Override
    public Integer call() throws Exception {
        final long durationMicros = micros("--duration", duration, 1);
        final long warmupMicros = micros("--warmup", warmup, 0);
        checkRates(durationMicros, warmupMicros);
        final boolean createsOut = out != null && !Files.exists(out);
        final EngineConfig engineConfig = EngineConfigLoader.loadValidated(config);
        engineConfig.requireModelFeatures(config); // its engine decides anew, as server's does (review: a clash was taken)
        if (engineConfig.pipeline.blockingQueues()) { // in any case, as the engine reads it (review)
            // audit: the engine run was then a second ABQ run, and engine/abq compared the blocking queue with itself
            throw new CommandLine.ParameterException(spec.commandLine(), config + ": pipeline.queue: array-blocking-queue:"
                + " bench's engine run is the Disruptor pipeline and its abq baseline the same stages on ArrayBlockingQueues"
                + " (--baselines abq); leave pipeline.queue out of the file bench reads");
        }
        if (wait != null) { // the file's pipeline.waitStrategy was overwritten by a --wait default (audit)
            engineConfig.pipeline.waitStrategy = wait;
        }
        if (layout != null) {
            engineConfig.pipeline.layout = layout;
        }
        // what a server runs here: inline on 2 cores or fewer unless told otherwise
        io.ringfence.tools.server.ServerCommand.autoForSharedCores(engineConfig, Runtime.getRuntime().availableProcessors());
        engineConfig.pipeline.stageTimes = true;
        engineConfig.validate();
        final boolean busyPoll;
        switch (gatewayMode) {
            case "blocking": busyPoll = false; break;
            case "busy-poll": busyPoll = true; break;
            default: throw new CommandLine.ParameterException(spec.commandLine(),
                "--gateway must be blocking or busy-poll, not " + gatewayMode);
        }
        final boolean spin;
        switch (clientMode) {
            case "thread": spin = false; break;
            case "spin": spin = true; break;
            default: throw new CommandLine.ParameterException(spec.commandLine(),
                "--client must be thread or spin, not " + clientMode);
        }
        boolean abq = false;
        for (final String b : baselines) {
            switch (b.trim()) {
                case "echo": break;
                case "abq": abq = true; break;
                default: throw new CommandLine.ParameterException(spec.commandLine(),
                    "--baselines takes echo and abq, not " + b);
            }
        }
        checkOutWritable();
        final boolean inline = engineConfig.pipeline.layout() == Layout.INLINE;
        final String secret = HexFormat.of().formatHex(randomBytes());
        final GatewayConfig gatewayConfig = new GatewayConfig();
        gatewayConfig.port = 0;
        gatewayConfig.busyPoll = busyPoll;
        gatewayConfig.clients = List.of(new ClientConfig(CLIENT_ID, secret, List.of("SUBMIT")));
        final Path dir = Files.createTempDirectory("ringfence-bench-");
        // Ctrl-C or SIGTERM mid-run: the scratch journals (and an --out this run created and left empty) go too (audit)
        final Thread cleanUp = new Thread(() -> {
            if (!keepJournal) {
                try {
                    io.ringfence.tools.io.Trees.delete(dir);
                } catch (final IOException | java.io.UncheckedIOException e) {
                    System.err.println("ringfence bench: could not delete its scratch directory " + dir + ": " + e.getMessage());
                }
            }
            if (createsOut) {
                deleteIfEmpty(out);
            }
        }, "ringfence-bench-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanUp);
        // the abq baseline: the same configuration with the stages on queues (combined where inline: it has no queue)
        final EngineConfig abqConfig = abq ? EngineConfigLoader.loadValidated(config) : null;
        if (abq) {
            abqConfig.pipeline.waitStrategy = "blocking"; // its stages wait in take() whatever the strategy says (audit: "yielding")
            abqConfig.pipeline.layout = inline ? "combined" : engineConfig.pipeline.layout;
            abqConfig.pipeline.stageTimes = true;
            abqConfig.pipeline.queue = "array-blocking-queue";
            abqConfig.validate();
        }
        try {
            final List<BenchReport.Row> rows = new ArrayList<>();
            String topology = null;
            String abqTopology = null;
            try (EchoServerAgent echo = new EchoServerAgent(busyPoll)) {
                final GeneratedSource events = new GeneratedSource(Long.MAX_VALUE, SEED);
                for (int i = 0; i < rates.size(); i++) {
                    final double rate = rates.get(i);
                    final long warm = warmupEvents(rate, warmupMicros);
                    final long measured = measuredEvents(rate, durationMicros);
                    final EventTape tape = EventTape.record(events, warm + measured);
                    // per rate: the engine, its abq baseline, then the echo floor, each on a fresh engine stopped before the
                    // next run (a busy-poll gateway or a yielding stage thread spun a core while the echo ran, audit: ~95 % of
                    // a core); the three close together in time, so that the machine's drift falls on their ratios least
                    // (audit: every abq run came after every engine run)
                    final RunResult engineRun;
                    try (EngineGateway gateway = EngineGateway.start(engineConfig, gatewayConfig, dir.resolve("disruptor-" + i),
                            SbeEventValidator.of(engineConfig.input))) {
                        if (topology == null) {
                            topology = gateway.engine().pipeline().describeThreads() + ", gateway " + (gatewayConfig.busyPoll ? "busy-poll" : "blocking select")
                                + ", client " + (spin ? "spin (one spinning thread)" : "thread (parking sender + select I/O thread)");
                            if (!json) {
                                System.out.printf("ringfence bench: engine + gateway in process on 127.0.0.1 (%s), a fresh one per rate;"
                                    + " journals in %s (%s)%n", topology, dir, keepJournal ? "kept" : "deleted at the end; --keep-journal keeps it");
                                System.out.println("  latency: intended send -> answer (decision or ack) received (µs, coordinated-omission corrected);"
                                    + (abq ? " abq baseline: the same engine and gateway, stages on ArrayBlockingQueues"
                                        + (inline ? " (combined layout: inline has no queue)" : "") + ", run after the engine run;" : "")
                                    + " echo baseline: same events, framing, TCP_NODELAY, schedule and histogram, run last with the"
                                    + " engines stopped");
                            }
                        }
                        engineRun = spin
                            ? SpinClient.engine("engine", gateway.port(), CLIENT_ID, secret, tape, rate, warm, measured, gateway.server().stageLatencies())
                            : EngineRun.run("engine", gateway.port(), gatewayConfig, CLIENT_ID, secret, tape, rate, warm, measured,
                                gateway.server().stageLatencies());
                    }
                    RunResult queues = null;
                    if (abq) {
                        try (EngineGateway gateway = EngineGateway.start(abqConfig, gatewayConfig, dir.resolve("abq-" + i),
                                SbeEventValidator.of(abqConfig.input))) {
                            abqTopology = gateway.engine().pipeline().describeThreads();
                            queues = spin
                                ? SpinClient.engine("abq", gateway.port(), CLIENT_ID, secret, tape, rate, warm, measured, null)
                                : EngineRun.run("abq", gateway.port(), gatewayConfig, CLIENT_ID, secret, tape, rate, warm, measured, null);
                        }
                    }
                    echo.measuring(true); // a busy-poll echo spins for its own run only
                    final RunResult echoRun;
                    try {
                        echoRun = spin ? SpinClient.echo(echo.port(), tape, rate, warm, measured) : EchoRun.run(echo.port(), tape, rate, warm, measured);
                    } finally {
                        echo.measuring(false);
                    }
                    rows.add(new BenchReport.Row(engineRun, queues, echoRun));
                    if (!json) {
                        report(rows.get(i));
                    }
                }
            }
            if (json) { // first: a file that cannot be written must not lose the run's results (audit)
                System.out.println(BenchReport.json(rows, topology, engineConfig.pipeline.waitStrategy, abqTopology));
            }
            if (out != null) {
                for (final BenchReport.Row row : rows) {
                    BenchReport.writeHgrm(out, row);
                }
                PercentilePlot.write(out, rows, "ringfence bench: " + topology);
                if (!json) {
                    System.out.println("percentile distributions (.hgrm, µs) and latency.png in " + out);
                }
            }
            return 0;
        } catch (final Exception | Error e) {
            if (createsOut) {
                deleteIfEmpty(out); // a failed run leaves no empty --out behind (audit)
            }
            throw e;
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(cleanUp);
            } catch (final IllegalStateException shuttingDown) {
                // the hook runs
            }
            if (keepJournal) {
                System.err.println("ringfence bench: the run's journals are kept in " + dir);
            } else {
                try {
                    io.ringfence.tools.io.Trees.delete(dir); // scratch: the journals of generated events (~75 MB a run)
                } catch (final java.io.IOException | java.io.UncheckedIOException e) {
                    System.err.println("ringfence bench: could not delete its scratch directory " + dir + ": " + e.getMessage());
                }
            }
        }
    }

    /**
     * Whole, distinct rates (each names its .hgrm file and plot line), none beyond
     * {@value #MAX_RATE}/s, and no run longer than {@value #MAX_EVENTS_PER_RUN} events: each run's
     * events are encoded into memory before it starts (~300 bytes each, off-heap, in a 2 GiB JVM).
     */
    /** The fewest events a run measures: fewer give no percentile worth the name and no achieved rate. */
    static final long MIN_MEASURED_EVENTS = 100;

    private void checkRates(final long durationMicros, final long warmupMicros) {
        if (rates.isEmpty()) { // "--rates ," measured nothing and said nothing (audit)
            throw new CommandLine.ParameterException(spec.commandLine(), "--rates lists no rate (e.g. --rates 10000,50000)");
        }
        final java.util.Set<Double> seen = new java.util.HashSet<>();
        for (final double rate : rates) {
            if (!(rate >= 1) || Double.isInfinite(rate) || rate != Math.rint(rate)) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                    "--rates takes whole events per second of at least 1, not " + BenchReport.plain(rate));
            }
            if (rate > MAX_RATE) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                    "--rates " + BenchReport.plain(rate) + " is beyond " + MAX_RATE + " events per second");
            }
            if (!seen.add(rate)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--rates lists " + BenchReport.plain(rate) + " twice");
            }
            final long measured = Math.round(rate * durationMicros / 1e6);
            if (measured < MIN_MEASURED_EVENTS) {
                // audit: --duration 1us measured one event, whose 1/latency read as an achieved rate, SATURATED
                throw new CommandLine.ParameterException(spec.commandLine(), String.format(java.util.Locale.ROOT,
                    "--rates %s for --duration %s measures %,d events; a run needs at least %,d (lengthen --duration)",
                    BenchReport.plain(rate), duration, measured, MIN_MEASURED_EVENTS));
            }
            final double events = (double) warmupEvents(rate, warmupMicros) + measuredEvents(rate, durationMicros);
            if (events > MAX_EVENTS_PER_RUN) {
                throw new CommandLine.ParameterException(spec.commandLine(), String.format(java.util.Locale.ROOT,
                    "--rates %s for --warmup %s + --duration %s is %,.0f events; a run holds at most %,d (shorten the durations)",
                    BenchReport.plain(rate), warmup, duration, events, MAX_EVENTS_PER_RUN));
            }
        }
    }

    private static void report(final BenchReport.Row row) {
        BenchReport.printRow(System.out, row);
    }

    private static long warmupEvents(final double rate, final long warmupMicros) {
        return Math.round(rate * warmupMicros / 1e6);
    }

    private static long measuredEvents(final double rate, final long durationMicros) {
        return Math.max(1, Math.round(rate * durationMicros / 1e6));
    }

    private static byte[] randomBytes() {
        final byte[] bytes = new byte[16];
        new SecureRandom().nextBytes(bytes);
        return bytes;
    }

    private long micros(final String option, final String value, final long min) {
        final long micros;
        try {
            micros = Durations.parseMicros(option, value);
        } catch (final ConfigException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        if (micros < min) {
            throw new CommandLine.ParameterException(spec.commandLine(), option + " must be positive, not " + value);
        }
        return micros;
    }
}
