package io.ringfence.tools;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A {@code ringfence} command in a child JVM of the test's class path and Chronicle flags: for kill -9, SIGSTOP, locks. */
public final class ChildJvm {
    private ChildJvm() {
    }

    /** The java command line running {@code ringfence args...} with {@code -Xmx} of {@code heap}. */
    public static List<String> command(final String heap, final String... args) {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (final String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (arg.startsWith("--add-") || arg.startsWith("-Dchronicle.") || arg.equals("-XX:+ExitOnOutOfMemoryError")) {
                command.add(arg); // the flags of jvm.properties (via surefire's argLine), as the launcher passes them
            }
        }
        command.addAll(List.of("-Xmx" + heap, "-cp", System.getProperty("java.class.path"), RingfenceMain.class.getName()));
        command.addAll(List.of(args));
        return command;
    }

    /**
     * Starts {@code ringfence server args...} and returns once it listens, with the port it printed;
     * its output is drained from then on.
     */
    public static Server server(final String... args) throws IOException {
        final Process p = new ProcessBuilder(command("512m", args)).redirectErrorStream(true).start();
        final BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        final StringBuilder seen = new StringBuilder();
        String line;
        while ((line = in.readLine()) != null) {
            seen.append(line).append('\n');
            if (line.startsWith("ringfence server listening on")) {
                final int port = Integer.parseInt(line.substring(line.lastIndexOf(':') + 1).trim());
                final Thread drain = new Thread(() -> in.lines().forEach(l -> { }), "server-stdout");
                drain.setDaemon(true);
                drain.start();
                return new Server(p, port);
            }
        }
        p.destroyForcibly();
        throw new AssertionError("the server did not start:\n" + seen);
    }

    /** A child server and the port it listens on. */
    public record Server(Process process, int port) {
    }

    /** Sends {@code kill -SIGNAL} to a child (STOP, CONT, KILL...). */
    public static void signal(final String signal, final Process process) throws IOException, InterruptedException {
        final Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(process.pid())).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new AssertionError("kill -" + signal + " " + process.pid() + " failed");
        }
    }
}
