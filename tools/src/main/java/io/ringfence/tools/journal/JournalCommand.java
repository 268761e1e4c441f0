package io.ringfence.tools.journal;

import io.ringfence.engine.codec.JsonEventWriter;
import io.ringfence.journal.Journal;
import io.ringfence.journal.JournalConfig;
import io.ringfence.journal.JournalReader;
import io.ringfence.tools.RingfenceMain;
import io.ringfence.tools.io.OutputFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code journal}: dumps journaled events as JSON Lines (the input format plus seq and ingestTime). */
@Command(name = "journal", mixinStandardHelpOptions = true,
        description = {"Dumps the journal in --data as JSON Lines, from any sequence.",
                "Each event is written in the input format of `run`, prefixed with its engine sequence (seq)",
                "and the time it was journaled (ingestTime)."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:ok", "1:runtime failure (e.g. a damaged journal record)", "2:bad usage or no journal in --data"})
public final class JournalCommand implements Callable<Integer> {
    @Option(names = "--data", required = true, paramLabel = "DIR", description = "data directory holding the journal")
    Path data;

    @Option(names = "--from", defaultValue = "1", paramLabel = "SEQ", description = "first sequence to dump (default ${DEFAULT-VALUE})")
    long from;

    @Option(names = "--limit", defaultValue = "-1", paramLabel = "N", description = "dump at most N events (default: all)")
    long limit;

    @Option(names = "--out", defaultValue = "-", paramLabel = "FILE.jsonl", description = "output file, - for stdout (default)")
    String out;

    @Override
    public Integer call() throws IOException {
        if (!Files.isDirectory(data)) {
            System.err.println("ringfence journal: " + data + ": no such data directory");
            return RingfenceMain.EXIT_USAGE;
        }
        if (from < 1) {
            System.err.println("ringfence journal: --from must be >= 1, got " + from);
            return RingfenceMain.EXIT_USAGE;
        }
        try (Journal journal = Journal.open(JournalConfig.builder(data).build());
             JournalReader reader = journal.reader();
             OutputStream os = OutputFiles.open(out)) {
            if (journal.lastSequence() == 0) {
                System.err.println("ringfence journal: " + data + " holds no events");
                return RingfenceMain.EXIT_USAGE;
            }
            final JsonEventWriter writer = new JsonEventWriter();
            long n = 0;
            if (reader.seek(from)) {
                while ((limit < 0 || n < limit) && reader.next((seq, ingest, source, clientSeq, payload, offset, length) -> {
                    try {
                        writer.write(payload, offset, seq, ingest, os);
                    } catch (final IOException e) {
                        throw new UncheckedIOException(e);
                    }
                })) {
                    n++;
                }
            }
            os.flush();
        }
        return RingfenceMain.EXIT_OK;
    }
}
