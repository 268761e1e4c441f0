package io.ringfence.perf;

import io.ringfence.engine.BusinessSpec;
import io.ringfence.engine.EngineLogic;
import io.ringfence.engine.config.EngineConfig;
import io.ringfence.engine.output.OutputBuffer;
import io.ringfence.journal.Journal;
import io.ringfence.journal.JournalConfig;
import io.ringfence.journal.JournalReader;
import io.ringfence.journal.JournalRecordHandler;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * The business logic's own cost per event, without ring, journal or reader: every record of
 * {@code --data} is first copied into memory, then each round runs a fresh {@link EngineLogic}
 * over them on this thread, as the business handler does. This is the ceiling of replay and of
 * the in-process pipeline on one business thread; {@code --no-fraud} / {@code --no-windows}
 * show what those stages cost. Uses the configuration recorded in the data directory.
 *
 * <pre>perf/run logic --data DIR [--rounds 3] [--no-fraud] [--no-windows]</pre>
 */
public final class LogicThroughput {
    private LogicThroughput() {
    }

    public static void main(final String[] args) throws Exception {
        Path data = null;
        int rounds = 3;
        boolean noFraud = false;
        boolean noWindows = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--data": data = Path.of(PerfArgs.value(args, ++i)); break;
                case "--rounds": rounds = PerfArgs.intAt(args, ++i, 1, 1000); break;
                case "--no-fraud": noFraud = true; break;
                case "--no-windows": noWindows = true; break;
                default: throw PerfArgs.unknown(args[i], "logic --data DIR [--rounds N] [--no-fraud] [--no-windows]");
            }
        }
        final EngineConfig config = RecordedEngineConfig.of(data, noFraud, noWindows);
        final Records records = Records.read(data, config);
        System.out.printf("business logic alone: %s, %,d events (%,d payload bytes in memory), one thread%s%s%n", data,
                records.count, records.bytes, noFraud ? ", fraud off" : "", noWindows ? ", windows off" : "");
        final OutputBuffer out = new OutputBuffer(1 << 16);
        for (int round = 0; round <= rounds; round++) {
            final EngineLogic logic = new EngineLogic(BusinessSpec.of(config), null);
            long outputs = 0;
            final long start = System.nanoTime();
            for (int i = 0; i < records.count; i++) {
                out.reset();
                final int offset = records.offsets[i];
                logic.onEvent(records.sequences[i], records.ingest[i], records.buffer, offset, records.offsets[i + 1] - offset, out);
                outputs += out.count();
            }
            out.reset();
            logic.onEndOfInput(records.sequences[records.count - 1], out);
            final long elapsed = System.nanoTime() - start;
            System.out.printf("%s: %,.0f events/s, %.3f us/event (%,d outputs, state hash %016x)%n",
                    round == 0 ? "warm-up" : "round " + round, records.count * 1e9 / elapsed, elapsed / 1e3 / records.count,
                    outputs + out.count(), logic.stateHash());
        }
    }

    /** Every record of a journal, payloads back to back in one off-heap buffer. */
    private static final class Records {
        final int count;
        final long bytes;
        final long[] sequences;
        final long[] ingest;
        final int[] offsets;
        final UnsafeBuffer buffer;

        private Records(final int count, final long bytes) {
            this.count = count;
            this.bytes = bytes;
            this.sequences = new long[count];
            this.ingest = new long[count];
            this.offsets = new int[count + 1];
            this.buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(Math.toIntExact(bytes)));
        }

        static Records read(final Path data, final EngineConfig config) {
            try (Journal journal = Journal.open(JournalConfig.builder(data).rollCycle(config.journal.rollCycle).forReading().build())) {
                final long first = journal.firstSequence();
                final int count = Math.toIntExact(journal.lastSequence() - first + 1);
                final long[] bytes = {0};
                scan(journal, first, (seq, ingest, src, clientSeq, payload, offset, length) -> bytes[0] += length);
                final Records r = new Records(count, bytes[0]);
                final int[] n = {0};
                scan(journal, first, (seq, ingest, src, clientSeq, payload, offset, length) -> {
                    final int i = n[0]++;
                    r.sequences[i] = seq;
                    r.ingest[i] = ingest;
                    r.buffer.putBytes(r.offsets[i], payload, offset, length);
                    r.offsets[i + 1] = r.offsets[i] + length;
                });
                return r;
            }
        }

        private static void scan(final Journal journal, final long first, final JournalRecordHandler handler) {
            try (JournalReader reader = journal.reader()) {
                reader.seek(first);
                while (reader.next(handler)) {
                    // every record
                }
            }
        }
    }
}
