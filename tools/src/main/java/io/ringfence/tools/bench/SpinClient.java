package io.ringfence.tools.bench;

import io.ringfence.gateway.StageLatencies;
import io.ringfence.gateway.frame.FrameEncoder;
import io.ringfence.gateway.frame.SofhHeader;
import io.ringfence.sbe.AckDecoder;
import io.ringfence.sbe.DecisionDecoder;
import io.ringfence.sbe.HeartbeatEncoder;
import io.ringfence.sbe.LogonAckDecoder;
import io.ringfence.sbe.LogonEncoder;
import io.ringfence.sbe.MessageHeaderDecoder;
import io.ringfence.sbe.RejectDecoder;
import io.ringfence.tools.load.LoadSource;
import org.HdrHistogram.Histogram;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * The single-threaded, spinning bench client ({@code bench --client spin}): one thread sends each
 * event at its intended time, spinning on {@link System#nanoTime} instead of parking, and reads
 * the answers between sends with non-blocking reads of the same socket. No client I/O thread and
 * no client-side wake-ups: the default client parks its sender (Linux rounds a park up by its
 * 50 µs timer slack) and hands every event to an I/O thread blocked in {@code select}, which on a
 * VM adds tens of microseconds per message and its own scheduling tail to both the engine and the
 * echo figures. This client keeps one core busy for the run, which on 2 cores leaves the server one.
 *
 * <p>The same loop drives the echo baseline ({@link #echo}) and the engine ({@link #engine}, a
 * minimal gateway session: logon, business messages with the client sequence patched in, answers
 * matched by that sequence; no resend, which a bench on loopback never needs).
 */
final class SpinClient {
    private static final long ANSWER_WAIT_NANOS = TimeUnit.SECONDS.toNanos(60);
    private static final int HEARTBEAT_MILLIS = 1_000;
    private static final long IDLE_HEARTBEAT_NANOS = TimeUnit.MILLISECONDS.toNanos(HEARTBEAT_MILLIS / 2);
    /** Body offset of {@code clientSeq} in Decision, Ack and Reject (after the engine {@code seq}), and in every business message. */
    private static final int ANSWER_CLIENT_SEQ_OFFSET = 8;
    private static final int EVENT_CLIENT_SEQ_OFFSET = 0;
    private static final int HEADER = SofhHeader.LENGTH + MessageHeaderDecoder.ENCODED_LENGTH;
    /** {@link Answers#onFrame}: the frame answers no event (a heartbeat). */
    static final long NOT_AN_ANSWER = -1;
    /** {@link Answers#onFrame}: the frame answers an event but is not timed (a reject). */
    static final long UNTIMED = -2;

    /** What a received frame means to the run. */
    interface Answers {
        /**
         * @param frame  holds the frame, SOFH header first
         * @return the index (0-based, in sending order) of the event it answers, or
         *         {@link #NOT_AN_ANSWER} / {@link #UNTIMED}
         */
        long onFrame(UnsafeBuffer frame, int offset, int length);
    }

    private final SocketChannel channel;
    private final ByteBuffer out = ByteBuffer.allocateDirect(64 * 1024).order(ByteOrder.BIG_ENDIAN);
    private final UnsafeBuffer outView = new UnsafeBuffer(out);
    private final ByteBuffer in = ByteBuffer.allocateDirect(1 << 20).order(ByteOrder.BIG_ENDIAN);
    private final UnsafeBuffer inView = new UnsafeBuffer(in);
    private final FrameEncoder frames = new FrameEncoder();
    private final HeartbeatEncoder heartbeat = new HeartbeatEncoder();
    private final Histogram histogram = RunResult.newHistogram();
    private final Histogram sendLag = RunResult.newHistogram();
    private OpenLoopSchedule schedule;
    private Answers answers;
    private long warmupEvents;
    private long answered;
    private long rejects;
    private final AnswerSpan span = new AnswerSpan();
    private long lastSendNanos;

    private SpinClient(final SocketChannel channel) {
        this.channel = channel;
    }

    private static SocketChannel connect(final int port) throws IOException {
        final SocketChannel channel = SocketChannel.open();
        channel.setOption(StandardSocketOptions.TCP_NODELAY, Boolean.TRUE);
        channel.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        return channel;
    }

    /** The echo baseline of one rate with this client: the k-th frame back answers the k-th sent. */
    static RunResult echo(final int port, final LoadSource events, final double rate, final long warmupEvents,
                          final long measuredEvents) throws IOException {
        try (SocketChannel channel = connect(port)) {
            channel.configureBlocking(false);
            final long[] received = {0};
            return new SpinClient(channel).run("tcp echo", events, rate, warmupEvents, measuredEvents, -1,
                (frame, offset, length) -> received[0]++, null);
        }
    }

    /**
     * One rate against the gateway: logs on as {@code clientId}, sends the events with client
     * sequences following what the engine has journaled for it, times every Decision and Ack.
     */
    static RunResult engine(final String name, final int port, final String clientId, final String secret, final LoadSource events,
                            final double rate, final long warmupEvents, final long measuredEvents,
                            final StageLatencies stages) throws IOException {
        try (SocketChannel channel = connect(port)) {
            final SpinClient client = new SpinClient(channel);
            final long firstSeq = client.logon(clientId, secret) + 1;
            channel.configureBlocking(false);
            final MessageHeaderDecoder header = new MessageHeaderDecoder();
            return client.run(name, events, rate, warmupEvents, measuredEvents, firstSeq, (frame, offset, length) -> {
                header.wrap(frame, offset + SofhHeader.LENGTH);
                final int template = header.templateId();
                if (template != DecisionDecoder.TEMPLATE_ID && template != AckDecoder.TEMPLATE_ID
                        && template != RejectDecoder.TEMPLATE_ID) {
                    return NOT_AN_ANSWER;
                }
                final long index = frame.getLong(offset + HEADER + ANSWER_CLIENT_SEQ_OFFSET, ByteOrder.LITTLE_ENDIAN) - firstSeq;
                if (index < 0 || index >= warmupEvents + measuredEvents) {
                    return NOT_AN_ANSWER; // not an event of this run (a session refusal carries clientSeq 0)
                }
                return template == RejectDecoder.TEMPLATE_ID ? UNTIMED : index;
            }, stages);
        }
    }

    /** Blocking logon; returns the last client sequence the engine has journaled for this client. */
    private long logon(final String clientId, final String secret) throws IOException {
        final byte[] id = new byte[LogonEncoder.clientIdLength()];
        final byte[] idBytes = clientId.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(idBytes, 0, id, 0, idBytes.length);
        final byte[] secretBytes = secret.getBytes(StandardCharsets.UTF_8);
        final LogonEncoder logon = frames.begin(outView, 0, new LogonEncoder())
            .clientSeq(0).putClientId(id, 0).heartbeatMillis(HEARTBEAT_MILLIS);
        logon.putSecret(secretBytes, 0, secretBytes.length);
        out.clear().limit(FrameEncoder.frame(outView, 0, logon));
        while (out.hasRemaining()) {
            channel.write(out);
        }
        final MessageHeaderDecoder header = new MessageHeaderDecoder();
        in.clear();
        while (true) {
            if (channel.read(in) < 0) {
                throw new IOException("the gateway closed the connection during logon");
            }
            if (in.position() >= HEADER && in.position() >= SofhHeader.messageLength(inView, 0)) {
                header.wrap(inView, SofhHeader.LENGTH);
                if (header.templateId() != LogonAckDecoder.TEMPLATE_ID) {
                    throw new IOException("logon of '" + clientId + "' refused (template " + header.templateId() + ")");
                }
                final LogonAckDecoder ack = new LogonAckDecoder().wrap(inView, HEADER, header.blockLength(), header.version());
                final long last = ack.lastJournaledClientSeq();
                final int frame = SofhHeader.messageLength(inView, 0);
                in.flip().position(frame);
                in.compact();
                return last;
            }
        }
    }

    private RunResult run(final String name, final LoadSource events, final double rate, final long warmup, final long measured,
                          final long firstSeq, final Answers frameAnswers, final StageLatencies stages) throws IOException {
        final long total = warmup + measured;
        this.answers = frameAnswers;
        this.warmupEvents = warmup;
        final GcDelta[] gcStart = {null};
        System.gc(); // as the other runs: no collection left pending for the measurement
        schedule = new OpenLoopSchedule(System.nanoTime(), rate);
        final long[] sent = {0};
        try {
            events.emit((buffer, offset, length, line) -> {
                if (sent[0] >= total) {
                    return false;
                }
                final long intended = schedule.intendedNanos(sent[0]);
                while (System.nanoTime() < intended) {
                    poll();
                    Thread.onSpinWait();
                }
                if (sent[0] == warmup) {
                    gcStart[0] = GcDelta.now();
                    if (stages != null) {
                        stages.countFrom(intended);
                    }
                }
                out.clear();
                SofhHeader.put(outView, 0, SofhHeader.LENGTH + length);
                outView.putBytes(SofhHeader.LENGTH, buffer, offset, length);
                if (firstSeq > 0) {
                    outView.putLong(HEADER + EVENT_CLIENT_SEQ_OFFSET, firstSeq + sent[0], ByteOrder.LITTLE_ENDIAN);
                }
                out.limit(SofhHeader.LENGTH + length);
                write();
                if (sent[0] >= warmup) {
                    sendLag.recordValue(RunResult.clamp((lastSendNanos - intended) / 1_000));
                }
                sent[0]++;
                return sent[0] < total;
            });
        } catch (final IOException | RuntimeException e) {
            throw e;
        } catch (final Exception e) {
            throw new IOException(e);
        }
        final long deadline = System.nanoTime() + ANSWER_WAIT_NANOS;
        while (answered < total) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(name + ": " + answered + " of " + total + " events answered within 60 s");
            }
            poll();
            if (System.nanoTime() - lastSendNanos > IDLE_HEARTBEAT_NANOS && firstSeq > 0) {
                out.clear().limit(FrameEncoder.frame(outView, 0, frames.begin(outView, 0, heartbeat).sendTime(0)));
                write();
            }
            Thread.onSpinWait();
        }
        if (rejects > 0) {
            System.err.printf("ringfence bench: %,d of %,d events rejected at %,.0f/s (answered, not timed)%n", rejects, total, rate);
        }
        return new RunResult(name, rate, span.achieved(schedule.intendedNanos(warmup), rate), histogram, sendLag, EngineRun.settled(stages),
            GcDelta.now().since(gcStart[0]));
    }

    /** Writes all of {@code out}, reading answers whenever the socket takes nothing (so neither side can block the other). */
    private void write() throws IOException {
        while (out.hasRemaining()) {
            if (channel.write(out) == 0) {
                poll();
            }
        }
        lastSendNanos = System.nanoTime();
    }

    /** Reads what has arrived and records every complete frame. */
    private void poll() throws IOException {
        if (channel.read(in) < 0) {
            throw new IOException("the server closed the connection after " + answered + " answers");
        }
        if (in.position() < SofhHeader.LENGTH) {
            return;
        }
        final long now = System.nanoTime();
        in.flip();
        while (in.remaining() >= SofhHeader.LENGTH) {
            final int at = in.position();
            final int length = SofhHeader.messageLength(inView, at);
            if (length < SofhHeader.LENGTH || length > in.capacity()) {
                throw new IOException("bad frame length " + length + " after " + answered + " answers");
            }
            if (in.remaining() < length) {
                break;
            }
            final long index = answers.onFrame(inView, at, length);
            if (index >= 0) {
                if (index >= warmupEvents) {
                    histogram.recordValue(RunResult.clamp((now - schedule.intendedNanos(index)) / 1_000));
                    span.measured(now);
                }
                answered++;
            } else if (index == UNTIMED) {
                rejects++;
                answered++;
                if (answered > warmupEvents) {
                    span.measured(now); // rejects are untimed; counted here only roughly in order (they are rare)
                }
            }
            in.position(at + length);
        }
        in.compact();
    }
}
