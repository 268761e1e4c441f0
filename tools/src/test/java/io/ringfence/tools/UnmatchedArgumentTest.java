package io.ringfence.tools;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An option, argument or command picocli does not know is said in one line that names the command, gives picocli's own
 * suggestions and where the help is, with exit 2 (new-user trial LOW: "ringfence: Unknown option: '--form'" named no
 * command and suggested nothing).
 */
class UnmatchedArgumentTest {
    @Test
    void namesTheCommandAndSuggestsInOneLine() {
        final CommandRun option = CommandRun.ringfence("replay", "--data", "d", "--fro", "2026-01-05");
        assertEquals(2, option.exitCode(), option.err());
        assertEquals("ringfence replay: unknown option '--fro' (did you mean --from?); see 'ringfence replay --help'\n", option.err());

        final CommandRun withValue = CommandRun.ringfence("replay", "--data", "d", "--tpye=decision");
        assertEquals(2, withValue.exitCode(), withValue.err());
        assertEquals("ringfence replay: unknown option '--tpye=decision'; see 'ringfence replay --help'\n", withValue.err());

        final CommandRun argument = CommandRun.ringfence("run", "--data", "d", "--input", "i", "--out", "o", "extra");
        assertEquals(2, argument.exitCode(), argument.err());
        assertEquals("ringfence run: unknown argument 'extra'; see 'ringfence run --help'\n", argument.err());

        final CommandRun command = CommandRun.ringfence("relpay", "--data", "d");
        assertEquals(2, command.exitCode(), command.err());
        assertTrue(command.err().startsWith("ringfence: unknown command 'relpay' (commands: help, demo, run,"), command.err());
        assertTrue(command.err().endsWith("; see 'ringfence --help'\n") && command.err().lines().count() == 1, command.err());

        final CommandRun typo = CommandRun.ringfence("replay", "--dat", "d");
        assertEquals(2, typo.exitCode(), typo.err());
        assertEquals("ringfence replay: unknown option '--dat' (did you mean --data?; and missing required option: '--data=DIR');"
            + " see 'ringfence replay --help'\n", typo.err(), "the typo is named before the required option it hides");

        // review: only the first of several unknown options was named
        final CommandRun two = CommandRun.ringfence("replay", "--data", "d", "--xyz", "--qqq");
        assertEquals(2, two.exitCode(), two.err());
        assertEquals("ringfence replay: unknown option '--xyz' (also unknown: '--qqq'); see 'ringfence replay --help'\n", two.err());
        // review LOW: a negative value of an unknown option was listed as another unknown option
        final CommandRun negative = CommandRun.ringfence("replay", "--data", "d", "--xyz", "-5", "--qqq", "-0.5");
        assertEquals(2, negative.exitCode(), negative.err());
        assertEquals("ringfence replay: unknown option '--xyz' (also unknown: '--qqq'); see 'ringfence replay --help'\n",
            negative.err());
    }
}
