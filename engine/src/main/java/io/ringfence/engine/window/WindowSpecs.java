package io.ringfence.engine.window;

import io.ringfence.engine.config.ConfigException;
import io.ringfence.engine.config.ConfigProblems;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Validates the whole {@code windows:} list: each entry, then that names are unique. */
public final class WindowSpecs {
    private WindowSpecs() {
    }

    /**
     * @param configs the bound {@code windows:} entries (null means none)
     * @return the specs in configuration order (the order windows emit in)
     * @throws ConfigException naming {@code windows[i].field} on the first problem
     */
    public static List<WindowSpec> from(final List<WindowConfig> configs) {
        final List<WindowSpec> specs = new ArrayList<>();
        if (configs == null) {
            return specs;
        }
        final Map<String, Integer> seen = new HashMap<>();
        final ConfigProblems problems = new ConfigProblems(); // every bad window, not the first only
        for (int i = 0; i < configs.size(); i++) {
            final String path = "windows[" + i + "]";
            final WindowConfig c = configs.get(i);
            final int index = i;
            final WindowSpec spec = problems.check(() -> {
                if (c == null) {
                    throw new ConfigException(path, null, "is an empty entry");
                }
                final WindowSpec s = WindowSpec.from(c, path);
                final Integer first = seen.putIfAbsent(s.name(), index);
                if (first != null) {
                    throw new ConfigException(path + ".name", s.name(), "is already used by windows[" + first + "]");
                }
                return s;
            });
            specs.add(spec);
        }
        problems.throwIfAny();
        return specs;
    }
}
