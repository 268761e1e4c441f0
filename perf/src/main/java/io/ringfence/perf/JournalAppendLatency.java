package io.ringfence.perf;

import io.ringfence.journal.Journal;
import io.ringfence.journal.JournalAppender;
import io.ringfence.journal.JournalConfig;
import org.HdrHistogram.Histogram;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * The latency of each journal append, one HdrHistogram sample per append (ns), over enough bytes to
 * cross many 8 MiB readahead windows: shows the page-fault stalls and what {@code journal.pretouch}
 * does to them.
 *
 * <pre>
 *   perf/run append [--mb 200] [--payload 130] [--rate 200000] [--pretouch on|off] [--ahead-mb 32]
 * </pre>
 *
 * Appends are paced at {@code --rate} per second (0: as fast as possible) by parking between
 * batches of 100, never spinning. The journal lives in a fresh directory under
 * {@code ringfence.perf.dir} (default {@code java.io.tmpdir}) and is deleted afterwards.
 */
public final class JournalAppendLatency {
    /** Journal record header (48 bytes) and Chronicle's 4-byte document header per append. */
    private static final int RECORD_OVERHEAD = 48 + 4;
    /** Appends before anything is recorded (interpreted and compiling code), at most a tenth of the run. */
    private static final long WARMUP_APPENDS = 20_000;

    private JournalAppendLatency() {
    }

    public static void main(final String[] args) throws Exception {
        long megabytes = 200;
        int payloadBytes = 130;
        double rate = 200_000;
        boolean pretouch = true;
        long aheadMb = 32;
        for (int i = 0; i < args.length; i += 2) {
            switch (args[i]) {
                case "--mb": megabytes = PerfArgs.longAt(args, i + 1, 1, 1 << 20); break;
                case "--payload": payloadBytes = PerfArgs.intAt(args, i + 1, 1, 1 << 16); break;
                case "--rate": rate = PerfArgs.doubleAt(args, i + 1, 0); break;
                case "--pretouch": pretouch = "on".equals(PerfArgs.oneOf(args, i + 1, "on", "off")); break;
                case "--ahead-mb": aheadMb = PerfArgs.longAt(args, i + 1, 1, 1 << 14); break;
                default: throw PerfArgs.unknown(args[i], "--mb, --payload, --rate, --pretouch on|off, --ahead-mb");
            }
        }
        final Path dir = Files.createTempDirectory(Path.of(System.getProperty("ringfence.perf.dir", System.getProperty("java.io.tmpdir"))),
                "ringfence-append-");
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[payloadBytes]);
        for (int i = 0; i < payloadBytes; i++) {
            payload.putByte(i, (byte) (i * 31 + 7)); // no zero runs: the record stays ~payload + 48 bytes
        }
        final Histogram histogram = new Histogram(10_000_000_000L, 3);
        final long appends = megabytes * (1 << 20) / (payloadBytes + RECORD_OVERHEAD);
        final long warmup = Math.min(WARMUP_APPENDS, appends / 10);
        if (appends - warmup < 1_000) {
            throw new PerfArgs.Usage("--mb " + megabytes + " holds only " + appends + " appends of " + payloadBytes
                + " bytes: too few to measure (at least ~1,100; raise --mb)");
        }
        final long batchNanos = rate > 0 ? (long) (100 * 1e9 / rate) : 0;
        long over1ms = 0;
        long onCpuStalls = 0;
        final long[] stallAt = new long[32];
        long onCpuStallNanos = 0;
        long onCpuStallMax = 0;
        long offCpuStalls = 0;
        final java.lang.management.ThreadMXBean cpu = java.lang.management.ManagementFactory.getThreadMXBean();
        try (Journal journal = Journal.open(JournalConfig.builder(dir)
                .pretouch(pretouch, aheadMb << 20, JournalConfig.DEFAULT_PRETOUCH_INTERVAL_MILLIS).build())) {
            final JournalAppender appender = journal.appender();
            final long start = System.nanoTime();
            long batchWall = start;
            long batchCpu = cpu.getCurrentThreadCpuTime();
            for (long s = 1; s <= appends; s++) {
                final long t0 = System.nanoTime();
                appender.append(s, s, 1, s, payload, 0, payloadBytes);
                final long took = System.nanoTime() - t0;
                final boolean measured = s > warmup; // the first appends run interpreted and compile: not what this measures
                if (measured) {
                    histogram.recordValue(took);
                    if (took > 1_000_000) {
                        over1ms++;
                    }
                }
                if (measured && s % 100 == 0) {
                    // a slow batch of 100: on CPU (page faults count as the thread's system time) or descheduled?
                    final long wall = System.nanoTime();
                    final long cpuNow = cpu.getCurrentThreadCpuTime();
                    if (wall - batchWall > 1_000_000) {
                        if (cpuNow - batchCpu >= (wall - batchWall) / 2) {
                            if (onCpuStalls < stallAt.length) {
                                stallAt[(int) onCpuStalls] = s;
                            }
                            onCpuStalls++;
                            onCpuStallNanos += wall - batchWall;
                            onCpuStallMax = Math.max(onCpuStallMax, wall - batchWall);
                        } else {
                            offCpuStalls++;
                        }
                    }
                }
                if (batchNanos > 0 && s % 100 == 0) {
                    final long due = start + (s / 100) * batchNanos;
                    long now;
                    while ((now = System.nanoTime()) < due) {
                        LockSupport.parkNanos(due - now);
                    }
                }
                if (s % 100 == 0) {
                    // the next batch is timed from here: the pacing park above is not the appends' time
                    batchWall = System.nanoTime();
                    batchCpu = cpu.getCurrentThreadCpuTime();
                }
            }
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        System.out.printf("journal append latency: %,d appends of %d-byte payloads (~%d MiB; the first %,d not recorded: warm-up), rate %s, pretouch %s%s%n",
                appends, payloadBytes, megabytes, warmup, rate > 0 ? String.format("%,.0f/s", rate) : "unpaced",
                pretouch ? "on" : "off", pretouch ? " (" + aheadMb + " MiB ahead)" : "");
        System.out.printf("  ns: p50 %,d  p99 %,d  p99.9 %,d  p99.99 %,d  p99.999 %,d  max %,d;  appends over 1 ms: %,d%n",
                histogram.getValueAtPercentile(50), histogram.getValueAtPercentile(99), histogram.getValueAtPercentile(99.9),
                histogram.getValueAtPercentile(99.99), histogram.getValueAtPercentile(99.999), histogram.getMaxValue(), over1ms);
        System.out.printf("  batches of 100 appends over 1 ms: %,d on CPU (page faults and other kernel work; %.1f ms in all, longest %.1f ms),"
                + " %,d mostly descheduled%n", onCpuStalls, onCpuStallNanos / 1e6, onCpuStallMax / 1e6, offCpuStalls);
        final StringBuilder at = new StringBuilder("  on-CPU slow batches at journal offset (MiB, approx.):");
        for (int i = 0; i < Math.min(onCpuStalls, stallAt.length); i++) {
            at.append(String.format(" %.1f", stallAt[i] * (payloadBytes + RECORD_OVERHEAD) / 1048576.0));
        }
        System.out.println(at);
    }
}
