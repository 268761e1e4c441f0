package io.ringfence.tools;

import io.ringfence.engine.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code ringfence} command line. Each subcommand is its own {@code *Command} class;
 * exit codes follow DESIGN.md §9: 0 ok, 1 runtime failure, 2 bad usage or bad input. A
 * {@link ConfigException} from any command is bad input (2) with its message; any other
 * exception is a runtime failure (1) reported in one line.
 */
@Command(name = "ringfence",
        mixinStandardHelpOptions = true,
        version = "ringfence 0.1.0",
        description = "Low-latency event engine for e-commerce and payments.",
        subcommands = {
                CommandLine.HelpCommand.class,
                io.ringfence.tools.demo.DemoCommand.class,
                io.ringfence.tools.run.RunCommand.class,
                io.ringfence.tools.server.ServerCommand.class,
                io.ringfence.tools.load.LoadCommand.class,
                io.ringfence.tools.subscribe.SubscribeCommand.class,
                io.ringfence.tools.bench.BenchCommand.class,
                io.ringfence.tools.replay.ReplayCommand.class,
                io.ringfence.tools.journal.JournalCommand.class,
                io.ringfence.tools.journal.RepairCommand.class,
                io.ringfence.tools.journal.VerifyCommand.class,
                io.ringfence.tools.convert.ConvertCommand.class,
                io.ringfence.tools.generate.GenerateCommand.class,
                io.ringfence.tools.fraud.TrainCommand.class,
                io.ringfence.tools.fraud.EvaluateCommand.class,
                io.ringfence.tools.fraud.ExplainCommand.class,
        })
public final class RingfenceMain implements java.util.concurrent.Callable<Integer> {
    public static final int EXIT_OK = 0;
    public static final int EXIT_FAILURE = 1;
    public static final int EXIT_USAGE = 2;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    public static void main(final String[] args) {
        System.exit(execute(args));
    }

    /** Runs a command line in-process and returns its exit code (tests use this). */
    public static int execute(final String... args) {
        final CommandLine cli = new CommandLine(new RingfenceMain());
        cli.setExitCodeExceptionMapper(t -> t instanceof CommandLine.ParameterException ? EXIT_USAGE : EXIT_FAILURE);
        cli.setParameterExceptionHandler((ex, a) -> {
            final CommandLine where = ex.getCommandLine();
            final boolean root = where.getParent() == null;
            final String help = "'ringfence" + (root ? "" : " " + where.getCommandName()) + " --help'";
            if (ex instanceof CommandLine.UnmatchedArgumentException unmatched) {
                where.getErr().println(unmatched(unmatched, "") + "; see " + help);
                return EXIT_USAGE;
            }
            if (ex instanceof CommandLine.MissingParameterException && where.getParseResult() != null
                    && !where.getParseResult().unmatched().isEmpty()) {
                // picocli checks required options before it reports what it did not recognise: name the typo first
                where.getErr().println(unmatched(new CommandLine.UnmatchedArgumentException(where, where.getParseResult().unmatched()),
                        "and " + ex.getMessage().substring(0, 1).toLowerCase(java.util.Locale.ROOT) + ex.getMessage().substring(1))
                        + "; see " + help);
                return EXIT_USAGE;
            }
            // picocli starts some messages with "Error: " (mutually exclusive options): the prefix says so already
            final String message = ex.getMessage();
            where.getErr().println("ringfence: " + (message != null && message.startsWith("Error: ") ? message.substring(7) : message));
            where.getErr().println("Try " + help + ".");
            return EXIT_USAGE;
        });
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            if (ex instanceof ConfigException) {
                commandLine.getErr().println("ringfence " + commandLine.getCommandName() + ": " + ex.getMessage());
                return EXIT_USAGE;
            }
            if (ex instanceof io.ringfence.journal.DataDirectoryInUseException) {
                commandLine.getErr().println("ringfence " + commandLine.getCommandName() + ": " + ex.getMessage());
                return EXIT_FAILURE;
            }
            commandLine.getErr().println("ringfence " + commandLine.getCommandName() + ": " + describe(ex));
            if (Boolean.getBoolean("ringfence.debug")) {
                ex.printStackTrace(commandLine.getErr());
            } else {
                commandLine.getErr().println("(run with RINGFENCE_JAVA_OPTS=-Dringfence.debug=true for the stack trace)");
            }
            return EXIT_FAILURE;
        });
        return cli.execute(args);
    }

    /**
     * "ringfence replay: unknown option '--dat' (did you mean --data?)": the first argument picocli did not match, named
     * with its command and, for an option, picocli's own suggestions (the options sharing its first two letters); for a
     * command, the commands. {@code more} is added inside the brackets.
     */
    static String unmatched(final CommandLine.UnmatchedArgumentException ex, final String more) {
        final CommandLine where = ex.getCommandLine();
        final boolean root = where.getParent() == null;
        final String first = ex.getUnmatched().isEmpty() ? "" : ex.getUnmatched().get(0);
        final boolean command = !ex.isUnknownOption() && !where.getSubcommands().isEmpty();
        // for a command, the list: picocli's likeness of command names offers 'help or repair' for 'relpay'
        final java.util.List<String> suggested = command ? java.util.List.of() : ex.getSuggestions();
        final java.util.List<String> notes = new java.util.ArrayList<>();
        if (!suggested.isEmpty()) {
            notes.add("did you mean " + String.join(" or ", suggested.subList(0, Math.min(3, suggested.size()))) + "?");
        } else if (command) {
            notes.add("commands: " + String.join(", ", where.getSubcommands().keySet()));
        }
        final java.util.List<String> others = new java.util.ArrayList<>(); // review: '--foo --bar' named only --foo
        for (final String arg : ex.getUnmatched().subList(Math.min(1, ex.getUnmatched().size()), ex.getUnmatched().size())) {
            // '-5' is the value of an unknown option, not another one (review LOW)
            if (ex.isUnknownOption() && arg.startsWith("-") && !arg.equals(first) && !arg.matches("-[0-9.].*")) {
                others.add("'" + arg + "'");
            }
        }
        if (!others.isEmpty()) {
            notes.add("also unknown: " + String.join(", ", others));
        }
        if (!more.isEmpty()) {
            notes.add(more);
        }
        return "ringfence" + (root ? "" : " " + where.getCommandName()) + ": unknown "
                + (ex.isUnknownOption() ? "option" : command ? "command" : "argument") + " '" + first + "'"
                + (notes.isEmpty() ? "" : " (" + String.join("; ", notes) + ")");
    }

    static String describe(final Throwable ex) {
        final StringBuilder sb = new StringBuilder();
        Throwable t = ex;
        while (t != null && sb.length() < 500) {
            if (sb.length() > 0) {
                sb.append(": ");
            }
            final String m = t.getMessage();
            sb.append(t instanceof java.nio.file.NoSuchFileException ? "no such file " + m
                    : t instanceof java.nio.file.AccessDeniedException ? "permission denied " + m
                    : t instanceof java.io.FileNotFoundException && m != null ? fileNotOpened(m)
                    : m == null ? t.getClass().getSimpleName() : m);
            if (t.getCause() == t || (t.getCause() != null && m != null && m.contains(String.valueOf(t.getCause().getMessage())))) {
                break;
            }
            t = t.getCause();
        }
        return sb.toString();
    }

    /**
     * A java.io open failure ("PATH (Reason)", the output files' streams) in the words of the nio ones above, so every
     * command says it the same way: "permission denied PATH", "no such file PATH", else "PATH: Reason".
     */
    private static String fileNotOpened(final String message) {
        final int open = message.lastIndexOf(" (");
        if (open < 0 || !message.endsWith(")")) {
            return message;
        }
        final String path = message.substring(0, open);
        final String reason = message.substring(open + 2, message.length() - 1);
        return switch (reason) {
            case "Permission denied" -> "permission denied " + path;
            case "No such file or directory" -> "no such file " + path;
            default -> path + ": " + reason;
        };
    }

    /** No command given: the usage, on stderr, as bad usage (exit 2, DESIGN §9); {@code --help} prints it with exit 0. */
    @Override
    public Integer call() {
        spec.commandLine().usage(System.err);
        return EXIT_USAGE;
    }
}
