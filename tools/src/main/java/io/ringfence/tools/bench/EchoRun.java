package io.ringfence.tools.bench;

import io.ringfence.gateway.frame.SofhHeader;
import io.ringfence.tools.load.LoadSource;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SocketChannel;

/**
 * The echo baseline of one rate: the same generated events, framed with the same 6-byte SOFH header,
 * sent on the same {@link OpenLoopSchedule} over a loopback socket with {@code TCP_NODELAY} to
 * {@link EchoServerAgent}; a reader thread counts the echoed frames (TCP keeps their order, so the
 * k-th frame back is the k-th sent) and records each from its intended send time.
 */
final class EchoRun {
    private EchoRun() {
    }

    static RunResult run(final int port, final LoadSource events, final double rate, final long warmupEvents,
                         final long measuredEvents) throws Exception {
        final long total = warmupEvents + measuredEvents;
        final Histogram sendLag = RunResult.newHistogram();
        final GcDelta[] gcStart = {null};
        try (SocketChannel channel = SocketChannel.open()) {
            channel.setOption(StandardSocketOptions.TCP_NODELAY, Boolean.TRUE);
            channel.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            System.gc(); // as the engine run: no collection left pending for the measurement
            final OpenLoopSchedule schedule = new OpenLoopSchedule(System.nanoTime(), rate);
            final Reader reader = new Reader(channel, schedule, warmupEvents, total);
            final Thread readerThread = new Thread(reader, "rf-bench-echo-reader");
            readerThread.setDaemon(true);
            readerThread.start();
            final ByteBuffer out = ByteBuffer.allocateDirect(64 * 1024).order(ByteOrder.BIG_ENDIAN);
            final long[] sent = {0};
            events.emit((buffer, offset, length, line) -> {
                if (sent[0] >= total) {
                    return false;
                }
                final long intended = schedule.awaitSlot(sent[0]);
                if (sent[0] == warmupEvents) {
                    gcStart[0] = GcDelta.now();
                }
                out.clear();
                out.putInt(SofhHeader.LENGTH + length).putShort((short) 0xEB50);
                buffer.getBytes(offset, out, out.position(), length);
                out.position(out.position() + length).flip();
                while (out.hasRemaining()) {
                    channel.write(out);
                }
                if (sent[0] >= warmupEvents) {
                    sendLag.recordValue(RunResult.clamp((System.nanoTime() - intended) / 1_000));
                }
                sent[0]++;
                return sent[0] < total;
            });
            readerThread.join(60_000);
            if (readerThread.isAlive() || reader.failure != null) {
                throw new IllegalStateException("echo baseline: " + reader.received + " of " + total + " frames came back"
                    + (reader.failure != null ? ": " + reader.failure : " within 60 s"));
            }
            return new RunResult("tcp echo", rate, reader.span.achieved(schedule.intendedNanos(warmupEvents), rate), reader.histogram, sendLag, null,
                GcDelta.now().since(gcStart[0]));
        }
    }

    /** Reads echoed frames until all came back; its fields are read after {@link Thread#join}. */
    private static final class Reader implements Runnable {
        private final SocketChannel channel;
        private final OpenLoopSchedule schedule;
        private final long warmupEvents;
        private final long total;
        final Histogram histogram = RunResult.newHistogram();
        final AnswerSpan span = new AnswerSpan();
        long received;
        Exception failure;

        Reader(final SocketChannel channel, final OpenLoopSchedule schedule, final long warmupEvents, final long total) {
            this.channel = channel;
            this.schedule = schedule;
            this.warmupEvents = warmupEvents;
            this.total = total;
        }

        @Override
        public void run() {
            final ByteBuffer in = ByteBuffer.allocateDirect(256 * 1024).order(ByteOrder.BIG_ENDIAN);
            try {
                while (received < total) {
                    if (channel.read(in) < 0) {
                        throw new IOException("echo server closed the connection");
                    }
                    final long now = System.nanoTime();
                    in.flip();
                    while (in.remaining() >= 4 && in.remaining() >= in.getInt(in.position())) {
                        in.position(in.position() + in.getInt(in.position()));
                        if (received >= warmupEvents) {
                            histogram.recordValue(RunResult.clamp((now - schedule.intendedNanos(received)) / 1_000));
                            span.measured(now);
                        }
                        received++;
                    }
                    in.compact();
                }
            } catch (final Exception e) {
                failure = e;
            }
        }
    }
}
