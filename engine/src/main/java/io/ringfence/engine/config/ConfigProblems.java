package io.ringfence.engine.config;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Collects the problems of the independent parts of a configuration (sections, window entries,
 * rules, monitors), so that one start-up names every one of them instead of the first only. A
 * part that depends on another (a monitor on its window) is checked only when that one passed.
 */
public final class ConfigProblems {
    private final List<ConfigException> problems = new ArrayList<>();

    /** Runs one part's check; its problems are kept. @return what it built, or null when it failed */
    public <T> T check(final Supplier<T> part) {
        try {
            return part.get();
        } catch (final ConfigException e) {
            for (final ConfigException p : e.problems()) {
                if (problems.stream().noneMatch(q -> q.getMessage().equals(p.getMessage()))) {
                    problems.add(p); // once: two readers of one file may refuse the same line
                }
            }
            return null;
        }
    }

    /** Runs one part's check; its problems are kept. @return true when it passed */
    public boolean check(final Runnable part) {
        return check(() -> {
            part.run();
            return Boolean.TRUE;
        }) != null;
    }

    /** @throws ConfigException naming every problem kept (the one problem itself when there is one) */
    public void throwIfAny() {
        if (problems.size() == 1) {
            throw problems.get(0);
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
    }
}
