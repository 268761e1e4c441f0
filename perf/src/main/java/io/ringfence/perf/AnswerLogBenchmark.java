package io.ringfence.perf;

import io.ringfence.engine.config.EngineConfigLoader;
import io.ringfence.engine.config.JournalSection;
import io.ringfence.gateway.bridge.AnswerLog;
import io.ringfence.sbe.DecisionEncoder;
import io.ringfence.sbe.MessageHeaderEncoder;
import io.ringfence.sbe.Outcome;
import io.ringfence.sbe.SubjectKind;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * What keeping an answer costs the dispatch thread ({@link AnswerLog#answered}, journal.keepAnswers): one Decision of a
 * payment with two reasons appended to the answers log, with the server's defaults (pretouch on, sync none, sealing every
 * 60 s), before the answer is sent. {@code -prof gc} shows whether it allocates.
 */
@BenchmarkMode({Mode.AverageTime, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {
        "-Dchronicle.analytics.disable=true",
        "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED"})
@State(Scope.Thread)
public class AnswerLogBenchmark {
    /** The server's default (60s) or none: the sealer reads every answer kept on its own thread. */
    @org.openjdk.jmh.annotations.Param({"60s", "0s"})
    String sealEvery;

    private Path data;
    private AnswerLog log;
    private final UnsafeBuffer decision = new UnsafeBuffer(new byte[512]);
    private final DecisionEncoder encoder = new DecisionEncoder();
    private int length;
    private long sequence;

    @Setup(Level.Trial)
    public void setUp() {
        try {
            data = Files.createTempDirectory("ringfence-answers-bench");
        } catch (final IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        final JournalSection journal = EngineConfigLoader.defaults().journal;
        journal.sealEvery = sealEvery;
        log = AnswerLog.open((dir, sealing) -> journal.toAnswersConfig(data, dir, 1 << 16, sealing),
                data.resolve(AnswerLog.DIRECTORY), 0);
        encoder.wrapAndApplyHeader(decision, 0, new MessageHeaderEncoder()).seq(1).clientSeq(1).eventTime(1_000_000L)
                .subjectKind(SubjectKind.PAYMENT).subjectId("p-000123").userId("u-4567").outcome(Outcome.DECLINE).score(0.93)
                .ingestTime(2_000_000L).orderId("o-000123");
        encoder.reasonsCount(2).next().code("CARD_TESTING").next().code("USER_VELOCITY");
        length = MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
    }

    @Benchmark
    public long keep() {
        final long next = ++sequence;
        decision.putLong(MessageHeaderEncoder.ENCODED_LENGTH, next); // the engine sequence it answers, as each Decision's
        log.answered(next, 42, next, decision, 0, length);
        return next;
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        log.close();
        try (Stream<Path> paths = Files.walk(data)) {
            for (final Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }
}
