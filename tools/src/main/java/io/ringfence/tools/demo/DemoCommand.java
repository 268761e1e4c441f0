package io.ringfence.tools.demo;

import io.ringfence.engine.config.EngineConfig;
import io.ringfence.engine.config.EngineConfigLoader;
import io.ringfence.gateway.bridge.EngineGateway;
import io.ringfence.gateway.bridge.SbeEventValidator;
import io.ringfence.gateway.client.ClientListener;
import io.ringfence.gateway.client.GatewayClient;
import io.ringfence.gateway.client.GatewayClientConfig;
import io.ringfence.gateway.config.ClientConfig;
import io.ringfence.gateway.config.GatewayConfig;
import io.ringfence.sbe.DecisionDecoder;
import io.ringfence.sbe.MessageHeaderDecoder;
import io.ringfence.sbe.FilterKind;
import io.ringfence.sbe.Outcome;
import io.ringfence.sbe.RejectDecoder;
import io.ringfence.sbe.Topic;
import io.ringfence.sbe.WindowResultDecoder;
import io.ringfence.tools.cli.Progress;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code demo}: the whole product in about a minute. Starts the engine behind the TCP gateway on a
 * free port with a fresh data directory, logs on a shop client and a monitoring client, drives the
 * seeded {@link ShopSimulator} (with injected fraud patterns) over the wire at a fixed offered rate,
 * and prints throughput, decisions by outcome, which fraud patterns were caught, latency percentiles
 * and the commands that replay what it just did.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Runs a synthetic shop with injected fraud against the engine and its TCP gateway, in process.",
                "Prints throughput, decisions, fraud caught, latency, and how to replay and explain the run."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:the demo ran", "1:runtime failure", "2:bad usage"})
public final class DemoCommand implements Callable<Integer> {
    private static final long START_MICROS = 1_767_225_600_000_000L; // 2026-01-01T00:00:00Z

    @Option(names = "--events", defaultValue = "200000", paramLabel = "N", description = "events to send (default ${DEFAULT-VALUE})")
    int events;

    @Option(names = "--warmup", defaultValue = "50000", paramLabel = "N",
            description = "events sent first at the same rate to warm up the JIT, journaled but not measured (default ${DEFAULT-VALUE})")
    int warmup;

    @Option(names = "--rate", defaultValue = "20000", paramLabel = "R", description = "offered events per second (default ${DEFAULT-VALUE})")
    int rate;

    @Option(names = "--seed", defaultValue = "42", paramLabel = "S", description = "shop seed: same seed, same events (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--users", defaultValue = "20000", paramLabel = "U", description = "customers (default ${DEFAULT-VALUE})")
    int users;

    @Option(names = "--fraud-rate", defaultValue = "0.004", paramLabel = "F",
            description = "chance that a step is a fraud episode (default ${DEFAULT-VALUE})")
    double fraudRate;

    @Option(names = "--data", paramLabel = "DIR", description = "data directory (default: a new temporary one); must not hold a journal")
    Path data;

    @Option(names = "--config", paramLabel = "FILE.yaml", description = "engine configuration (defaults for anything not set)")
    Path config;

    @Option(names = "--decisions", paramLabel = "FILE.jsonl",
            description = "also write every decision the shop received, as JSON Lines (compare with explain)")
    Path decisions;

    /**
     * The shop's and the monitor's client settings, fitted to the embedded server's
     * ({@link GatewayClientConfig#fitServer}): the answers the shop can be owed fit its session's
     * outbound buffer, so a shop thread that lags on this busy process waits on its own window
     * instead of being dropped as a slow consumer (with the 64 MiB window it had, a reader at 20k
     * decisions/s was dropped after a few thousand).
     */
    static GatewayClientConfig clientConfig(final GatewayConfig server) {
        final GatewayClientConfig config = new GatewayClientConfig().fitServer(server.outboundBufferBytes, server.maxFrameBytes);
        config.recoverAnswers = true;
        return config;
    }

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (events < 1 || rate < 1 || users < 1 || fraudRate < 0 || fraudRate > 0.5) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), // its own --help, not the root's
                    "--events, --rate and --users must be positive and --fraud-rate within 0..0.5");
        }
        // before the engine starts: a directory was found only when the first decision was written (review LOW)
        io.ringfence.tools.io.OutputFiles.refuseDirectory(decisions == null ? null : decisions.toString());
        final PrintStream out = System.out;
        final EngineConfig engineConfig = EngineConfigLoader.loadValidated(config);
        EngineConfigLoader.warnOfLikelyMistakes(config, engineConfig);
        engineConfig.requireModelFeatures(config);
        io.ringfence.tools.fraud.ModelSettings.warn("demo", engineConfig, System.err);
        // shop client, gateway and engine share this process: on a small machine the stages run on the gateway's I/O
        // thread (inline) or, when a layout with a stage thread is configured, that thread waits blocking, not spinning
        io.ringfence.tools.server.ServerCommand.autoForSharedCores(engineConfig, Runtime.getRuntime().availableProcessors());
        if (config == null) {
            engineConfig.pipeline.waitStrategy = "blocking"; // on more cores too: the shop client shares this process
        }
        final Path dir = data != null ? io.ringfence.journal.PrivateDirectories.create(data) : Files.createTempDirectory("ringfence-demo-");
        try (var existing = Files.list(dir)) {
            if (existing.anyMatch(p -> p.getFileName().toString().endsWith(".cq4"))) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), // its own --help, not the root's
                        dir + " already holds a journal; the demo starts from an empty data directory (give another --data, or"
                        + " remove this one first: rm -rf " + dir + ")");
            }
        }
        final String shopSecret = secret();
        final String monitorSecret = secret();
        final GatewayConfig gatewayConfig = new GatewayConfig();
        gatewayConfig.port = 0;
        gatewayConfig.clients = List.of(client("shop", shopSecret, "SUBMIT"), client("monitor", monitorSecret, "SUBSCRIBE"));

        final DemoTally tally = new DemoTally(warmup + events + 64);
        final AtomicLong windowResults = new AtomicLong();
        final AtomicLong fraudAlerts = new AtomicLong();
        final AtomicLong trendingLists = new AtomicLong();
        final AtomicLong cartPromotions = new AtomicLong();
        final long[] commerce = new long[4];
        final ShopSimulator shop = new ShopSimulator(seed, users, START_MICROS, 200_000, fraudRate);
        final GatewayClientConfig clientConfig = clientConfig(gatewayConfig);

        out.printf("ringfence demo: %,d events of a synthetic shop (seed %d, %,d customers, fraud episodes %.1f%%) at %,d/s%n",
                events, seed, users, fraudRate * 100, rate);
        final long runNanos;
        final long sent;
        // a stream, not a channel: see OutputFiles (an interrupted channel write closes the file)
        final java.io.OutputStream decisionsOut = decisions == null ? null
                : new java.io.BufferedOutputStream(new java.io.FileOutputStream(decisions.toFile()), 1 << 16);
        final io.ringfence.engine.codec.JsonOutputWriter decisionWriter = new io.ringfence.engine.codec.JsonOutputWriter();
        try (decisionsOut; EngineGateway gateway = EngineGateway.start(engineConfig, gatewayConfig, dir,
                SbeEventValidator.of(engineConfig.input))) {
            io.ringfence.tools.io.RecordedConfig.record(dir, engineConfig, new io.ringfence.tools.io.RecordedConfig.Origin(config, null));
            io.ringfence.tools.io.ClientNames.recordClientsOf(dir, gateway, System.err);
            out.printf("  engine + gateway on 127.0.0.1:%d, %s, journal in %s%n", gateway.port(),
                    gateway.engine().pipeline().describeThreads(), dir);
            try (GatewayClient monitor = GatewayClient.open(clientConfig, new ClientListener() {
                @Override
                public void onPush(final int templateId, final org.agrona.DirectBuffer buffer, final int offset, final int length) {
                    if (templateId == WindowResultDecoder.TEMPLATE_ID) {
                        windowResults.incrementAndGet();
                    } else if (templateId == io.ringfence.sbe.FraudAlertDecoder.TEMPLATE_ID) {
                        fraudAlerts.incrementAndGet();
                    } else if (templateId == io.ringfence.sbe.TrendingPushDecoder.TEMPLATE_ID) {
                        // a cart promotion names its user; a trending list has none
                        final int user = offset + MessageHeaderDecoder.ENCODED_LENGTH
                                + io.ringfence.sbe.TrendingPushDecoder.userIdEncodingOffset();
                        (buffer.getByte(user) == 0 ? trendingLists : cartPromotions).incrementAndGet();
                    }
                }
            }, "127.0.0.1", gateway.port(), "monitor", monitorSecret);
                 GatewayClient client = GatewayClient.open(clientConfig, new ClientListener() {
                     @Override
                     public void onDecision(final DecisionDecoder decision) {
                         tally.decided(decision.clientSeq(), decision.outcome(), System.nanoTime());
                         if (decision.outcome() == io.ringfence.sbe.Outcome.DECLINE && tally.wantsDeclined()) {
                             tally.declined(decision.clientSeq(), decision.subjectKind() == io.ringfence.sbe.SubjectKind.ORDER
                                     ? "order" : "payment", decision.subjectId());
                         }
                         if (decisionsOut != null) {
                             try {
                                 decisionWriter.write(decision.buffer(), decision.offset() - MessageHeaderDecoder.ENCODED_LENGTH,
                                         decisionsOut);
                             } catch (final java.io.IOException e) {
                                 throw new java.io.UncheckedIOException("cannot write " + decisions, e);
                             }
                         }
                     }

                     @Override
                     public void onReject(final RejectDecoder reject) {
                         tally.rejected();
                     }
                 }, "127.0.0.1", gateway.port(), "shop", shopSecret)) {
                monitor.subscribe(1, Topic.WINDOW_RESULT, FilterKind.ALL, "");
                monitor.subscribe(2, Topic.FRAUD_ALERT, FilterKind.ALL, "");
                monitor.subscribe(3, Topic.TRENDING, FilterKind.ALL, "");
                // an accepted Subscribe has no answer: wait until the server holds them, or the first events' pushes went
                // out before the monitor's subscriptions were read (a run counted 1,159 fraud alerts, the next 1,170)
                final long subscribeBy = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (gateway.sink().subscriptionCount() < 3 && System.nanoTime() < subscribeBy) {
                    LockSupport.parkNanos(1_000_000L);
                }

                final long periodNanos = 1_000_000_000L / rate;
                final long[] count = {0};
                if (warmup > 0) {
                    out.printf("  warming up with %,d events (journaled, not measured)...%n", warmup);
                    drive(shop, client, tally, warmup, periodNanos, count, null, false);
                    if (!client.awaitAcknowledged(60, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("not every warm-up event was answered within 60 s");
                    }
                    tally.reset();
                }
                final long measuredFrom = count[0];
                final long started = System.nanoTime();
                try (Progress progress = Progress.start("demo", events, " events", 1)) {
                    drive(shop, client, tally, warmup + events, periodNanos, count, progress, true);
                    if (!client.awaitAcknowledged(60, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("not every event was answered within 60 s");
                    }
                }
                runNanos = System.nanoTime() - started;
                sent = count[0] - measuredFrom;
                // pushes still in flight to the monitor: until its counts stand still for 200 ms (at most 10 s)
                long seen = -1;
                final long settleBy = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (System.nanoTime() < settleBy) {
                    final long now = windowResults.get() + fraudAlerts.get() + trendingLists.get() + cartPromotions.get();
                    if (now == seen) {
                        break;
                    }
                    seen = now;
                    LockSupport.parkNanos(200_000_000L);
                }
            }
            // every event is answered, so the business stage has applied them all
            final io.ringfence.engine.commerce.CommerceStage stage = gateway.engine().logic().commerce();
            commerce[0] = stage.orderStatusPushes();
            commerce[1] = stage.stockPushes();
            commerce[2] = stage.rejects();
            commerce[3] = stage.oversells();
        }
        report(out, tally, shop, sent, runNanos, new long[] {windowResults.get(), fraudAlerts.get(), trendingLists.get(),
            cartPromotions.get()}, commerce, dir);
        return 0;
    }

    /** Sends events until {@code count[0]} reaches {@code until}, each at its intended time on a fixed-rate schedule. */
    private static void drive(final ShopSimulator shop, final GatewayClient client, final DemoTally tally, final long until,
                              final long periodNanos, final long[] count, final Progress progress, final boolean measured)
            throws Exception {
        final long first = count[0];
        final long started = System.nanoTime();
        while (count[0] < until) {
            shop.step((buffer, offset, length, pattern) -> {
                if (count[0] >= until) {
                    return;
                }
                final long intended = started + (count[0] - first) * periodNanos;
                long now;
                while ((now = System.nanoTime()) < intended) {
                    LockSupport.parkNanos(Math.min(intended - now, 200_000));
                }
                final long seq = client.lastAssignedSeq() + 1;
                tally.sent(seq, pattern, measured ? intended : -1);
                final long assigned = client.send(buffer, offset, length, 30, TimeUnit.SECONDS);
                if (assigned != seq) {
                    throw new IllegalStateException("the shop client could not send (" + assigned + ")");
                }
                count[0]++;
                if (progress != null && ((count[0] - first) & 1023) == 0) {
                    progress.stepTo(count[0] - first);
                }
            });
        }
        if (progress != null) {
            progress.stepTo(count[0] - first);
        }
    }

    private void report(final PrintStream out, final DemoTally tally, final ShopSimulator shop, final long sent,
                        final long runNanos, final long[] pushes, final long[] commerce, final Path dir) {
        final double seconds = runNanos / 1e9;
        out.printf("%nsent %,d events in %.1f s: %,.0f events/s achieved (%,d/s offered); every one journaled before its answer%n",
                sent, seconds, sent / seconds, rate);
        out.printf("decisions: %,d  (%s); rejects %,d%n", tally.decisions(),
                io.ringfence.tools.run.Summaries.outcomes(outcome -> total(tally, outcome)), tally.rejects());
        out.println("fraud patterns (orders and payments sent -> held for REVIEW or DECLINE):");
        for (final FraudPattern p : FraudPattern.values()) {
            final long decided = tally.decided(p);
            final long caught = tally.outcomes(p, Outcome.REVIEW) + tally.outcomes(p, Outcome.DECLINE);
            final String label = p == FraudPattern.NONE ? "normal traffic (false positives)" : p.description();
            out.printf("  %-34s %,8d -> %,7d  (%5.1f%%)%n", label, decided, caught, decided == 0 ? 0.0 : 100.0 * caught / decided);
        }
        out.printf("pushes to the monitoring session (warm-up included): %,d window results, %,d fraud alerts, %,d trending lists,"
                + " %,d cart promotions%n", pushes[0], pushes[1], pushes[2], pushes[3]);
        out.printf("order and stock pushes (warm-up included; subscribers pick them by order, user or sku): %,d orderStatusPush,"
                + " %,d stockPush; %,d order statuses rejected, %,d oversold orders%n", commerce[0], commerce[1], commerce[2], commerce[3]);
        final Histogram h = tally.latencyMicros();
        out.printf("latency, intended send -> decision received, over TCP loopback (µs): p50 %,d  p90 %,d  p99 %,d  p99.9 %,d  p99.99 %,d  max %,d%n",
                h.getValueAtPercentile(50), h.getValueAtPercentile(90), h.getValueAtPercentile(99),
                h.getValueAtPercentile(99.9), h.getValueAtPercentile(99.99), h.getMaxValue());
        out.printf("journal: %s%s%n", dir, data != null ? "" : "   (kept for the commands below; rm -rf it when done, or give --data)");
        out.printf("  replay it:  ./ringfence replay --data %s --out replay.jsonl%n", dir);
        out.printf("  dump it:    ./ringfence journal --data %s --limit 10%n", dir);
        final String declined = tally.firstDeclined();
        if (declined != null) {
            final int space = declined.indexOf(' ');
            out.printf("  why was it declined: ./ringfence explain --data %s --order %s   (the first declined %s after the warm-up;"
                    + " any order or payment id works)%n", dir, declined.substring(space + 1), declined.substring(0, space));
        } else {
            out.printf("  why was an order decided so: ./ringfence explain --data %s --order ORDER_ID%n", dir);
        }
        out.printf("  prove it unchanged: ./ringfence verify --data %s   (against the seals written as it was journaled)%n", dir);
        out.printf("  replay = what was sent: ./ringfence replay --data %s --diff-answers   (against the answers kept as given)%n", dir);
    }

    private static long total(final DemoTally tally, final Outcome outcome) {
        long n = 0;
        for (final FraudPattern p : FraudPattern.values()) {
            n += tally.outcomes(p, outcome);
        }
        return n;
    }

    private static ClientConfig client(final String id, final String secret, final String role) {
        final ClientConfig c = new ClientConfig();
        c.id = id;
        c.secret = secret;
        c.roles = List.of(role);
        return c;
    }

    private static String secret() {
        final byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
