package io.ringfence.tools.replay;

import io.ringfence.engine.Engine;
import io.ringfence.engine.config.EngineConfig;
import io.ringfence.engine.pipeline.Pipeline;
import io.ringfence.journal.Journal;
import io.ringfence.journal.JournalConfig;
import io.ringfence.journal.JournalReader;
import io.ringfence.tools.RingfenceMain;
import io.ringfence.tools.io.OutputFiles;
import io.ringfence.tools.io.RecordedConfig;
import io.ringfence.tools.cli.Progress;
import io.ringfence.tools.run.JsonLinesSink;
import io.ringfence.tools.run.Summaries;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code replay}: re-runs a journal through a fresh engine (no journal stage: the events are
 * already journaled) and writes its outputs. With the configuration of the original run the
 * outputs are byte-identical to that run's (minus its rejects, which were never journaled).
 */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = {"Re-runs the journal in --data through a fresh engine and writes the outputs as JSON Lines.",
                "Same configuration => the same outputs, byte for byte, as the run that wrote the journal",
                "(without its reject lines: refused input is never journaled)."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:ok", "1:runtime failure (e.g. a damaged journal record)", "2:bad usage, bad configuration or no journal in --data"})
public final class ReplayCommand implements Callable<Integer> {
    @Option(names = "--data", required = true, paramLabel = "DIR", description = "data directory holding the journal")
    Path data;

    @Option(names = "--out", required = true, paramLabel = "FILE.jsonl", description = "outputs, one JSON object per line; - for stdout")
    String out;

    @Option(names = "--config", paramLabel = "FILE.yaml",
            description = "engine configuration (default: the one recorded in --data by the run that wrote it, else the defaults)")
    Path config;

    @Override
    public Integer call() throws IOException {
        if (!Files.isDirectory(data)) {
            System.err.println("ringfence replay: " + data + ": no such data directory");
            return RingfenceMain.EXIT_USAGE;
        }
        final EngineConfig engineConfig = RecordedConfig.load(data, config);
        final long started = System.nanoTime();
        try (Journal journal = Journal.open(JournalConfig.builder(data).rollCycle(engineConfig.journal.rollCycle).build());
             JournalReader reader = journal.reader();
             OutputStream os = OutputFiles.open(out)) {
            final long first = journal.firstSequence();
            final long last = journal.lastSequence();
            if (last == 0) {
                System.err.println("ringfence replay: " + data + " holds no journal (no events)");
                return RingfenceMain.EXIT_USAGE;
            }
            final JsonLinesSink sink = new JsonLinesSink(os);
            final long[] events = {0};
            try (Engine engine = Engine.replaying(engineConfig, first, sink);
                 Progress progress = Progress.start("replay", last - first + 1, "events", 1)) {
                final Pipeline pipeline = engine.pipeline();
                reader.seek(first);
                while (reader.next((seq, ingest, source, clientSeq, payload, offset, length) ->
                        pipeline.publishAt(seq, ingest, source, clientSeq, payload, offset, length))) {
                    if ((++events[0] & 0xffff) == 0) {
                        progress.stepTo(events[0]);
                    }
                }
                progress.stepTo(events[0]);
                pipeline.publishEndOfInput();
                engine.close();
                progress.close();
                System.err.printf("ringfence replay: %,d events (seq %,d..%,d) from %s%n", events[0], first, pipeline.lastSequence(), data);
                System.err.print(Summaries.engine(engine, sink, events[0], System.nanoTime() - started));
            }
        }
        return RingfenceMain.EXIT_OK;
    }
}
