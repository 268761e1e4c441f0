package io.ringfence.tools.bench;

import io.ringfence.gateway.StageLatencies;
import io.ringfence.gateway.client.ClientListener;
import io.ringfence.gateway.client.GatewayClient;
import io.ringfence.gateway.client.GatewayClientConfig;
import io.ringfence.gateway.client.LogonResult;
import io.ringfence.gateway.config.GatewayConfig;
import io.ringfence.sbe.AckDecoder;
import io.ringfence.sbe.DecisionDecoder;
import io.ringfence.sbe.RejectDecoder;
import io.ringfence.tools.load.LoadSource;
import org.HdrHistogram.Histogram;

import java.util.concurrent.TimeUnit;

/**
 * The engine side of one rate: a fresh {@link GatewayClient} logs on to the embedded gateway and
 * sends the generated shop events on the {@link OpenLoopSchedule}; every answer is recorded from its
 * event's intended send time once the warm-up events are behind: a {@code Decision} (orders and
 * payments) or an {@code Ack} (the other events). Both are sent only after the event is journaled and
 * through the same stages; decisions alone are about one event in ten of the shop mix, too few for a
 * p99.99 of a short run. Rejects count towards completion, not latency.
 *
 * <p>The gateway's per-stage histograms ({@link StageLatencies}) count the events it received from
 * the first measured event's intended send time on (a warm-up event still queued in the client
 * then counts too) and are taken after the last answer; the sender records how late each
 * {@code send} returned against its intended time.
 */
final class EngineRun {
    /** Time given the gateway to record the last answer's stage times before they are taken. */
    private static final long STAGES_SETTLE_NANOS = 100_000_000L;
    private static final long ANSWER_WAIT_SECONDS = 60;

    private EngineRun() {
    }

    /**
     * The bench client's settings, fitted to the embedded server's ({@link GatewayClientConfig#fitServer}):
     * the answers it can be owed fit its session's outbound buffer, so a client thread that lags
     * waits on its own window (counted as send lag, from the intended times) rather than being
     * dropped as a slow consumer mid-run, which its former 64 MiB window allowed.
     */
    static GatewayClientConfig clientConfig(final GatewayConfig server) {
        return new GatewayClientConfig().fitServer(server.outboundBufferBytes, server.maxFrameBytes);
    }

    /**
     * @param name   the run's name in the report: {@code engine}, or {@code abq} for the ArrayBlockingQueue baseline
     * @param server the embedded server's settings, which the client is fitted to
     */
    static RunResult run(final String name, final int port, final GatewayConfig server, final String clientId, final String secret,
                         final LoadSource events, final double rate, final long warmupEvents, final long measuredEvents,
                         final StageLatencies stages) throws Exception {
        final long total = warmupEvents + measuredEvents;
        final Histogram sendLag = RunResult.newHistogram();
        final GcDelta[] gcStart = {null};
        final Recorder recorder = new Recorder(total, warmupEvents);
        final GatewayClient client = new GatewayClient(clientConfig(server), recorder);
        final OpenLoopSchedule schedule;
        try {
            client.connect("127.0.0.1", port);
            final LogonResult logon = client.logon(clientId, secret);
            recorder.firstSeq = logon.lastJournaledClientSeq() + 1;
            // the run's large arrays (intended times, the client's unacked store) are allocated by now;
            // collect here so neither they (humongous allocations start a G1 cycle) nor earlier garbage
            // bring a collection into the measurement
            System.gc();
            schedule = new OpenLoopSchedule(System.nanoTime(), rate);
            final long[] sent = {0};
            events.emit((buffer, offset, length, line) -> {
                if (sent[0] >= total) {
                    return false;
                }
                final long intended = schedule.awaitSlot(sent[0]);
                recorder.intended[(int) sent[0]] = intended;
                if (sent[0] == warmupEvents) {
                    gcStart[0] = GcDelta.now();
                    if (stages != null) {
                        stages.countFrom(intended); // no measured event can reach the gateway before it is due
                    }
                }
                final long seq = client.send(buffer, offset, length, ANSWER_WAIT_SECONDS, TimeUnit.SECONDS);
                if (sent[0] >= warmupEvents) {
                    sendLag.recordValue(RunResult.clamp((System.nanoTime() - intended) / 1_000));
                }
                if (seq != recorder.firstSeq + sent[0]) {
                    throw new IllegalStateException("the bench client could not send (" + seq + ")");
                }
                sent[0]++;
                return sent[0] < total;
            });
            if (!client.awaitAcknowledged(ANSWER_WAIT_SECONDS, TimeUnit.SECONDS)) {
                throw new IllegalStateException("not every event was answered within " + ANSWER_WAIT_SECONDS + " s");
            }
        } finally {
            client.close(); // joins the I/O thread: what the recorder holds is visible from here
        }
        if (recorder.rejects > 0) {
            System.err.printf("ringfence bench: %,d of %,d events rejected at %,.0f/s (answered, not timed)%n", recorder.rejects, total, rate);
        }
        final GcDelta gc = GcDelta.now().since(gcStart[0]);
        return new RunResult(name, rate, recorder.span.achieved(schedule.intendedNanos(warmupEvents), rate), recorder.histogram, sendLag,
            settled(stages), gc);
    }

    /**
     * The run's stage histograms, taken a moment after its last answer arrived: the gateway's I/O
     * thread records an answer's stages just after its socket write returns, so a take at once
     * could split the last answer's six values between this run and the next.
     */
    static Histogram[] settled(final StageLatencies stages) {
        if (stages == null) {
            return null;
        }
        java.util.concurrent.locks.LockSupport.parkNanos(STAGES_SETTLE_NANOS);
        return stages.take();
    }

    /**
     * Runs on the client's I/O thread. The sender writes {@code intended[i]} before handing event i
     * to the client, and the client's hand-over to its I/O thread orders that write before the answer.
     */
    private static final class Recorder implements ClientListener {
        final long[] intended;
        final long warmupEvents;
        final Histogram histogram = RunResult.newHistogram();
        final AnswerSpan span = new AnswerSpan();
        long firstSeq;
        long rejects;

        Recorder(final long total, final long warmupEvents) {
            this.intended = new long[Math.toIntExact(total)];
            this.warmupEvents = warmupEvents;
        }

        @Override
        public void onDecision(final DecisionDecoder decision) {
            answered(decision.clientSeq());
        }

        @Override
        public void onAck(final AckDecoder ack) {
            answered(ack.clientSeq());
        }

        private void answered(final long clientSeq) {
            final long now = System.nanoTime();
            final long index = clientSeq - firstSeq;
            if (index >= warmupEvents && index < intended.length) {
                histogram.recordValue(RunResult.clamp((now - intended[(int) index]) / 1_000));
                span.measured(now);
            }
        }

        @Override
        public void onReject(final RejectDecoder reject) {
            rejects++;
            if (reject.clientSeq() - firstSeq >= warmupEvents) {
                span.measured(System.nanoTime());
            }
        }
    }
}
