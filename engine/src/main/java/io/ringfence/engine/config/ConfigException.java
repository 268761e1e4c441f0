package io.ringfence.engine.config;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A configuration value that cannot be used. The message names the field (as a path such as
 * {@code windows[0].size}), the value and what is wrong with it. One exception may carry several
 * problems of independent parts ({@link ConfigProblems}): its message is theirs, one per line.
 */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The field path, or null when the message is all there is. */
    private final String field;
    /** The refused value as the checks saw it, or null; with {@link #problem}, to say it again as the file wrote it. */
    private final Object value;
    /** What is wrong with {@link #value}, or null when the message is all there is. */
    private final String problem;
    /** Every problem this one stands for: itself, or several ({@link ConfigProblems}). */
    private final List<ConfigException> problems;

    /**
     * @param value the refused value, or null when the field is absent or not of the right shape:
     *              the message is then the field and the problem ({@code windows[0].name is required})
     */
    public ConfigException(final String field, final Object value, final String problem) {
        super(value == null ? field + " " + problem : field + ": '" + value + "' " + problem);
        this.field = field;
        this.value = value;
        this.problem = problem;
        this.problems = List.of(this);
    }

    public ConfigException(final String message) {
        super(message);
        this.field = null;
        this.value = null;
        this.problem = null;
        this.problems = List.of(this);
    }

    /** Several problems of independent parts, in the order found; the field is the first one's. */
    ConfigException(final List<ConfigException> problems) {
        super(problems.stream().map(Throwable::getMessage).collect(Collectors.joining("\n")));
        this.field = problems.get(0).field;
        this.value = null;
        this.problem = null;
        this.problems = List.copyOf(problems);
    }

    /** Each problem this exception stands for (a list of itself when it is one). */
    public List<ConfigException> problems() {
        return problems;
    }

    /** The path of the refused field ({@code windows[0].size}), or null. */
    public String field() {
        return field;
    }

    /** The refused value as the checks saw it ({@code -1.0} for a file's {@code -1}), or null. */
    Object value() {
        return value;
    }

    /** The same problem with the value quoted as {@code written} (the file's text of it). */
    ConfigException withValueWritten(final String written) {
        return new ConfigException(field, written, problem);
    }
}
