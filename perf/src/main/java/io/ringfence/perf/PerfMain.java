package io.ringfence.perf;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Entry point of the perf jar.
 *
 * <pre>
 *   java -jar perf/target/ringfence-perf.jar pipeline [--events N] [--layout auto|combined|dedicated|inline] [--wait yielding|...]
 *   java -jar perf/target/ringfence-perf.jar jmh [JMH options, e.g. -prof gc WindowAggregatorBenchmark]
 * </pre>
 *
 * JMH forks get the Chronicle JVM flags that the launcher passed to this JVM (system property
 * {@code ringfence.jvm.flags}, set by {@code ./perf/run}).
 */
public final class PerfMain {
    private PerfMain() {
    }

    public static void main(final String[] args) throws Exception {
        if (args.length == 0 || "--help".equals(args[0])) {
            System.out.println("usage: pipeline [--events N] [--rounds R] [--layout L] [--wait W] [--cpus none|auto|1,2,3] [--compare abq|none] | append [--mb N] [--pretouch on|off] | replay --data DIR [--read-only] | logic --data DIR [--no-fraud] [--no-windows] | jmh [JMH args]");
            return;
        }
        final String[] rest = Arrays.copyOfRange(args, 1, args.length);
        try {
            run(args[0], rest);
        } catch (final PerfArgs.Usage | io.ringfence.engine.config.ConfigException e) {
            System.err.println("perf/run " + args[0] + ": " + e.getMessage());
            System.exit(2);
        }
    }

    private static void run(final String command, final String[] rest) throws Exception {
        switch (command) {
            case "pipeline":
                PipelineThroughput.main(rest);
                break;
            case "append":
                JournalAppendLatency.main(rest);
                break;
            case "replay":
                ReplayThroughput.main(rest);
                break;
            case "logic":
                LogicThroughput.main(rest);
                break;
            case "jmh":
                final List<String> jmh = new ArrayList<>();
                final String flags = System.getProperty("ringfence.jvm.flags", "-Dchronicle.analytics.disable=true");
                jmh.add("-jvmArgsAppend");
                jmh.add(flags);
                jmh.addAll(Arrays.asList(rest));
                org.openjdk.jmh.Main.main(jmh.toArray(new String[0]));
                break;
            default:
                System.err.println("unknown benchmark '" + command + "' (pipeline, append, replay, logic, jmh)");
                System.exit(2);
        }
    }
}
