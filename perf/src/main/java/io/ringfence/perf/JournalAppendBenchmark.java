package io.ringfence.perf;

import io.ringfence.journal.Journal;
import io.ringfence.journal.JournalAppender;
import io.ringfence.journal.JournalConfig;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Cost of one {@link JournalAppender#append} of a 128-byte payload (header, CRC32C, Chronicle excerpt)
 * into a journal in a fresh temp directory per trial.
 *
 * <p>Forks inherit the launching JVM's flags (JMH's default), so run it with {@code ringfence.jvm.flags}
 * from jvm.properties; the two flags appended below are the ones a forgotten launcher must never lose.
 */
@BenchmarkMode({Mode.AverageTime, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {
        "-Dchronicle.analytics.disable=true",
        "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED"})
@State(Scope.Thread)
public class JournalAppendBenchmark {
    @Param({"128", "512"})
    int payloadBytes;

    private Path directory;
    private Journal journal;
    private JournalAppender appender;
    private UnsafeBuffer payload;
    private long sequence;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        directory = Files.createTempDirectory("ringfence-journal-bench");
        try {
            journal = Journal.open(JournalConfig.of(directory));
        } catch (RuntimeException e) {
            deleteDirectory();
            throw e;
        }
        appender = journal.appender();
        payload = new UnsafeBuffer(new byte[payloadBytes]);
        for (int i = 0; i < payloadBytes; i++) {
            payload.putByte(i, (byte) i);
        }
        sequence = journal.lastSequence();
    }

    @Benchmark
    public long append() {
        long next = ++sequence;
        payload.putLong(0, next); // a payload that changes, as real events do
        appender.append(next, next, 42, next, payload, 0, payloadBytes);
        return next;
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        journal.close();
        deleteDirectory();
    }

    private void deleteDirectory() throws IOException {
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(JournalAppendBenchmark::delete);
        }
    }

    private static void delete(Path path) {
        try {
            Files.delete(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
