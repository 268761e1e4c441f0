package io.ringfence.tools.generate;

import io.ringfence.tools.RingfenceMain;
import io.ringfence.tools.io.OutputFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.util.concurrent.Callable;

/** {@code generate}: writes a seeded synthetic shop workload as JSON Lines. */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = {"Writes a seeded synthetic shop workload (activity, orders, payments, order status, inventory) as JSON Lines.",
                "The same --seed and --events always give the same file, byte for byte."})
public final class GenerateCommand implements Callable<Integer> {
    @Option(names = "--events", required = true, description = "number of events to write")
    long events;

    @Option(names = "--out", required = true, description = "output file, or - for stdout")
    String out;

    @Option(names = "--seed", defaultValue = "42", description = "random seed (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--users", defaultValue = "50000", description = "distinct users (default ${DEFAULT-VALUE})")
    int users;

    @Option(names = "--start", defaultValue = "2026-01-05T00:00:00Z", description = "time of the first event, ISO-8601 UTC (default ${DEFAULT-VALUE})")
    Instant start;

    @Option(names = "--gap-ms", defaultValue = "20", description = "mean event-time gap between events in ms (default ${DEFAULT-VALUE})")
    double gapMillis;

    @Override
    public Integer call() throws IOException {
        if (events < 0 || users < 1 || !(gapMillis >= 0)) {
            System.err.println("ringfence generate: --events must be >= 0, --users >= 1 and --gap-ms >= 0");
            return RingfenceMain.EXIT_USAGE;
        }
        final long startMicros = start.getEpochSecond() * 1_000_000 + start.getNano() / 1000;
        try (OutputStream os = OutputFiles.open(out)) {
            new ShopWorkload(seed, users, startMicros, gapMillis * 1000, os).write(events);
        }
        return RingfenceMain.EXIT_OK;
    }
}
