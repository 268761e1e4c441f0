package io.ringfence.gateway.bridge;

import io.ringfence.engine.Engine;
import io.ringfence.engine.PriorConfiguration;
import io.ringfence.engine.config.EngineConfig;
import io.ringfence.gateway.GatewayCounters;
import io.ringfence.gateway.GatewayHandlers;
import io.ringfence.gateway.SessionOutbound;
import io.ringfence.gateway.admin.AdminServer;
import io.ringfence.gateway.admin.StartupStatus;
import io.ringfence.gateway.config.GatewayConfig;
import io.ringfence.gateway.server.GatewayServer;
import io.ringfence.gateway.session.ClientRegistry;
import io.ringfence.journal.JournalRecordHandler;
import org.agrona.DirectBuffer;

import java.nio.file.Path;

/**
 * The engine behind the TCP gateway, as the {@code server} and {@code demo} commands run it:
 * recovers the business state and each client's sequences and answers from the newest snapshot
 * and the journal after it in the data directory, starts the pipeline on it, then opens the gateway with the I/O thread as the
 * ring's only publisher; then, when {@code gateway.admin.enabled}, the admin HTTP endpoint (metrics
 * and health, {@link AdminServer}). Closing stops the admin endpoint and the gateway first (nothing
 * more comes in), then drains and stops the engine; open windows are not flushed, so a restart
 * continues them.
 */
public final class EngineGateway implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(EngineGateway.class);
    /** Most subscriptions held at once, over all sessions; one session may hold 1/16 of them (256). */
    public static final int MAX_SUBSCRIPTIONS = 4096;

    private final Engine engine;
    private final GatewayServer server;
    private final GatewaySink sink;
    private AnswerLog answerLog;
    private final EngineIngress ingress;
    private final ClientDirectory clients;
    private final long recoveredEvents;
    private AdminServer admin;
    private boolean closed;

    private EngineGateway(final Engine engine, final GatewayServer server, final GatewaySink sink,
                          final EngineIngress ingress, final ClientDirectory clients, final long recoveredEvents) {
        this.engine = engine;
        this.server = server;
        this.sink = sink;
        this.ingress = ingress;
        this.clients = clients;
        this.recoveredEvents = recoveredEvents;
    }

    /** Recovers from {@code dataDir} (creating it if new), starts the engine and opens the gateway. */
    public static EngineGateway start(final EngineConfig engineConfig, final GatewayConfig gatewayConfig,
                                      final Path dataDir, final EngineIngress.Validator validator) {
        return start(engineConfig, gatewayConfig, dataDir, validator, null);
    }

    /**
     * The same, with a hook the snapshot writer runs between a snapshot's force and its rename
     * (crash tests use it to be killed in the middle of a snapshot write).
     */
    public static EngineGateway start(final EngineConfig engineConfig, final GatewayConfig gatewayConfig,
                                      final Path dataDir, final EngineIngress.Validator validator,
                                      final Runnable beforeSnapshotRename) {
        return start(engineConfig, gatewayConfig, dataDir, validator, beforeSnapshotRename, null);
    }

    /**
     * The same with an admin endpoint the caller opened before ({@link AdminServer#startEarly}, so
     * that {@code /health} answers "starting" during recovery): recovery counts its replayed events
     * into its {@link AdminServer#startup()}, and it is attached to the running gateway and closed
     * with it (also when the start fails). Null: start one here when {@code gateway.admin.enabled}.
     */
    public static EngineGateway start(final EngineConfig engineConfig, final GatewayConfig gatewayConfig,
                                      final Path dataDir, final EngineIngress.Validator validator,
                                      final Runnable beforeSnapshotRename, final AdminServer early) {
        return start(engineConfig, gatewayConfig, dataDir, validator, beforeSnapshotRename, early, null);
    }

    /**
     * The same, told the configuration that decided the journal before this start (a server's recorded one), so that
     * under another configuration the events a kill -9 left after its newest snapshot are answered again, and caught
     * up on, as it decided them ({@link Engine#recovered(EngineConfig, Path, io.ringfence.engine.pipeline.OutputSink,
     * JournalRecordHandler, io.ringfence.engine.pipeline.OutputSink, io.ringfence.engine.snapshot.OutputState, Runnable,
     * PriorConfiguration)}); null when not known.
     */
    public static EngineGateway start(final EngineConfig engineConfig, final GatewayConfig gatewayConfig,
                                      final Path dataDir, final EngineIngress.Validator validator,
                                      final Runnable beforeSnapshotRename, final AdminServer early,
                                      final PriorConfiguration prior) {
        java.util.Objects.requireNonNull(validator, "validator (EngineIngress.Validator.NONE accepts every well-formed message)");
        try {
            return startWith(engineConfig, gatewayConfig, dataDir, validator, beforeSnapshotRename, early, prior);
        } catch (final RuntimeException | Error e) {
            if (early != null) {
                early.close();
            }
            throw e;
        }
    }

    private static EngineGateway startWith(final EngineConfig engineConfig, final GatewayConfig gatewayConfig,
                                           final Path dataDir, final EngineIngress.Validator validator,
                                           final Runnable beforeSnapshotRename, final AdminServer early,
                                           final PriorConfiguration prior) {
        gatewayConfig.validate();
        final ClientDirectory clients = new ClientDirectory(ClientRegistry.from(gatewayConfig, dataDir));
        final GatewaySink sink = new GatewaySink(clients, MAX_SUBSCRIPTIONS, PushWindows.of(engineConfig),
                new PushHistory(gatewayConfig.pushHistoryBytes, gatewayConfig.pushHistoryMaxBytes(), true),
                gatewayConfig.outboundBufferBytes / 2);
        final long[] recovered = new long[1];
        final StartupStatus startup = early != null ? early.startup() : null;
        final JournalRecordHandler records = (sequence, ingest, sourceId, clientSeq, buffer, offset, length) -> {
            recovered[0]++;
            if (startup != null) {
                startup.replayedOne();
            }
            final int client = clients.index(sourceId);
            if (client >= 0) {
                clients.recovered(client, clientSeq);
            }
        };
        final AnswerLog answerLog = openAnswerLog(engineConfig, dataDir);
        sink.keepAnswersIn(answerLog);
        final Engine engine;
        try {
            engine = Engine.recovered(engineConfig, dataDir, sink, records, sink, sink, beforeSnapshotRename, prior);
        } catch (final RuntimeException | Error e) {
            if (answerLog != null) {
                answerLog.close();
            }
            throw e;
        }
        try {
            clients.engineSequence(engine.pipeline()::lastSequence);
            final DeferredOutbound outbound = new DeferredOutbound();
            final EngineIngress ingress = new EngineIngress(engine.pipeline(), clients, outbound, validator);
            // answers and pushes go out from before the first message is read: set once the I/O thread ran, an event
            // read in between was decided and its answer dropped (review of 2026-12-06)
            final GatewayServer server = GatewayServer.start(gatewayConfig, dataDir,
                    new GatewayHandlers(ingress, ingress, clients, clients), out -> {
                        outbound.delegate = out;
                        sink.live(out);
                    });
            final EngineGateway gateway = new EngineGateway(engine, server, sink, ingress, clients, recovered[0]);
            gateway.answerLog = answerLog;
            try {
                if (early != null) {
                    early.attach(gateway);
                    gateway.admin = early;
                } else if (gatewayConfig.admin.enabled) {
                    gateway.admin = AdminServer.start(gatewayConfig.admin, gateway);
                }
            } catch (final RuntimeException e) {
                server.close();
                throw e;
            }
            return gateway;
        } catch (final RuntimeException e) {
            try {
                engine.close();
            } finally {
                if (answerLog != null) {
                    answerLog.close();
                }
            }
            throw e;
        }
    }

    /**
     * The server's answers log in {@code dataDir} ({@link AnswerLog}), or null when {@code journal.keepAnswers} is false
     * (an existing log is then told that the answers from here on are not kept), told where the events' journal ends (read
     * here, before the engine opens it).
     */
    private static AnswerLog openAnswerLog(final EngineConfig config, final Path dataDir) {
        long journalLast = 0;
        if (io.ringfence.journal.Journal.exists(dataDir)) {
            try (io.ringfence.journal.Journal journal = io.ringfence.journal.Journal.open(io.ringfence.journal.JournalConfig
                    .builder(dataDir).rollCycle(config.journal.rollCycle).forReading().build())) {
                journalLast = journal.lastSequence();
            } // one that does not open stops the start here (review: its end taken as 0 would set every answer aside)
        }
        final Path dir = dataDir.resolve(AnswerLog.DIRECTORY);
        final AnswerLog.Settings settings = (d, sealing) -> config.journal.toAnswersConfig(dataDir, d, 1 << 16, sealing);
        if (!config.journal.keepAnswers) {
            AnswerLog.markNotKept(settings, dir, journalLast); // a log kept before: the answers from here on are not in it
            return null;
        }
        return AnswerLog.open(settings, dir, journalLast);
    }

    public int port() {
        return server.port();
    }

    public GatewayServer server() {
        return server;
    }

    public GatewayCounters counters() {
        return server.counters();
    }

    public Engine engine() {
        return engine;
    }

    public GatewaySink sink() {
        return sink;
    }

    public EngineIngress ingress() {
        return ingress;
    }

    public ClientDirectory clients() {
        return clients;
    }

    /** The admin HTTP endpoint, or null when {@code gateway.admin.enabled} is false. */
    public AdminServer admin() {
        return admin;
    }

    /** Events replayed from the journal at start (after the snapshot restored, if any). */
    public long recoveredEvents() {
        return recoveredEvents;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (admin != null) {
                admin.close();
            }
        } finally {
            try {
                server.close();
            } finally {
                try {
                    engine.close();
                } finally {
                    if (answerLog != null) {
                        answerLog.close(); // after the engine's drain: its last answers are kept
                    }
                }
            }
        }
    }

    /** The answers log, or null when {@code journal.keepAnswers} is false. */
    public AnswerLog answerLog() {
        return answerLog;
    }

    /** The server's outbound, known only once it has started; the ingress is built before. */
    private static final class DeferredOutbound implements SessionOutbound {
        private volatile SessionOutbound delegate;

        @Override
        public boolean offer(final long sessionId, final DirectBuffer buffer, final int offset, final int length) {
            final SessionOutbound d = delegate;
            return d != null && d.offer(sessionId, buffer, offset, length);
        }
    }
}
