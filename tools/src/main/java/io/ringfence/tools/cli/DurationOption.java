package io.ringfence.tools.cli;

import io.ringfence.engine.config.ConfigException;
import io.ringfence.engine.config.Durations;
import picocli.CommandLine;

import java.util.concurrent.TimeUnit;

/** A command-line duration ({@code 30s}, {@code 2m}) parsed with the engine's {@link Durations}. */
public final class DurationOption {
    private DurationOption() {
    }

    /**
     * @return the duration in nanoseconds
     * @throws CommandLine.ParameterException quoting the option and the value when it does not
     *                                         parse or is shorter than {@code minMicros}
     */
    public static long nanos(final CommandLine command, final String option, final String value, final long minMicros) {
        final long micros;
        try {
            micros = Durations.parseMicros(option, value);
        } catch (final ConfigException e) {
            throw new CommandLine.ParameterException(command, e.getMessage());
        }
        if (micros < minMicros) {
            throw new CommandLine.ParameterException(command, option + " must be at least " + Durations.format(minMicros) + ", not " + value);
        }
        return TimeUnit.MICROSECONDS.toNanos(micros);
    }
}
