package io.ringfence.perf;

import io.ringfence.engine.Engine;
import io.ringfence.engine.config.EngineConfig;
import io.ringfence.engine.pipeline.Pipeline;
import io.ringfence.journal.Journal;
import io.ringfence.journal.JournalConfig;
import io.ringfence.journal.JournalReader;

import java.nio.file.Path;

/**
 * Replay speed of an existing journal without output (DESIGN §7; issue 5's "replay ≥ 2 M
 * events/s"): each round reads every record of {@code --data} and, unless {@code --read-only},
 * publishes it into a fresh replaying engine (no journal stage) whose outputs are only counted.
 * {@code --read-only} measures the journal reader alone (records/s, unpacking and CRC included),
 * {@code --no-fraud} / {@code --no-windows} switch business stages off, so the rounds show where
 * the time goes. Uses the configuration recorded in the data directory, else the defaults.
 *
 * <pre>perf/run replay --data DIR [--rounds 3] [--read-only] [--no-fraud] [--no-windows]</pre>
 */
public final class ReplayThroughput {
    private ReplayThroughput() {
    }

    public static void main(final String[] args) throws Exception {
        Path data = null;
        int rounds = 3;
        boolean readOnly = false;
        boolean noFraud = false;
        boolean noWindows = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--data": data = Path.of(PerfArgs.value(args, ++i)); break;
                case "--rounds": rounds = PerfArgs.intAt(args, ++i, 1, 1000); break;
                case "--read-only": readOnly = true; break;
                case "--no-fraud": noFraud = true; break;
                case "--no-windows": noWindows = true; break;
                default: throw PerfArgs.unknown(args[i], "replay --data DIR [--rounds N] [--read-only] [--no-fraud] [--no-windows]");
            }
        }
        final EngineConfig config = RecordedEngineConfig.of(data, noFraud, noWindows);
        try (Journal journal = Journal.open(JournalConfig.builder(data).rollCycle(config.journal.rollCycle).forReading().build())) {
            final long first = journal.firstSequence();
            final long last = journal.lastSequence();
            System.out.printf("replay throughput: %s, %,d events (seq %,d..%,d), %s, cores=%d%n", data, last - first + 1, first, last,
                    readOnly ? "journal reader only" : "fresh engine per round" + (noFraud ? ", fraud off" : "")
                            + (noWindows ? ", windows off" : ""), Runtime.getRuntime().availableProcessors());
            for (int round = 0; round <= rounds; round++) {
                final long start = System.nanoTime();
                final long[] n = {0};
                final long outputs;
                if (readOnly) {
                    final long[] bytes = {0};
                    try (JournalReader reader = journal.reader()) {
                        reader.seek(first);
                        while (reader.next((seq, ingest, src, clientSeq, payload, offset, length) -> {
                            bytes[0] += length + payload.getByte(offset);
                            n[0]++;
                        })) {
                            // every record
                        }
                    }
                    outputs = bytes[0];
                } else {
                    final PipelineThroughput.CountingSink sink = new PipelineThroughput.CountingSink();
                    try (Engine engine = Engine.replaying(config, first, sink);
                         JournalReader reader = journal.reader()) {
                        final Pipeline pipeline = engine.pipeline();
                        System.out.print(round == 0 ? "topology: " + pipeline.describeThreads() + "\n" : "");
                        reader.seek(first);
                        while (reader.next((seq, ingest, src, clientSeq, payload, offset, length) -> {
                            pipeline.publishAt(seq, ingest, src, clientSeq, payload, offset, length);
                            n[0]++;
                        })) {
                            // every record
                        }
                        pipeline.publishEndOfInput();
                        engine.close();
                    }
                    outputs = sink.outputs;
                }
                final long elapsed = System.nanoTime() - start;
                System.out.printf("%s: %,.0f events/s (%,d events in %.2f s; %s %,d)%n", round == 0 ? "warm-up" : "round " + round,
                        n[0] * 1e9 / elapsed, n[0], elapsed / 1e9, readOnly ? "payload bytes" : "outputs", outputs);
            }
        }
    }
}
