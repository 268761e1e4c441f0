package io.ringfence.tools.replay;

import io.ringfence.engine.config.EngineConfig;
import io.ringfence.tools.io.RecordedConfig;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;

/**
 * A range of journal sequences and the recorded configuration that decided it: the ranges kept in
 * {@value RecordedConfig#HISTORY} (a server restarted under other settings), then the current one. What a what-if's
 * "before" is, so that it is what was sent.
 *
 * @param file null for the defaults (nothing recorded)
 */
record DecidedBy(long from, long to, Path file, EngineConfig config) {

    /**
     * The ranges of {@code first..end} and their configurations, in order; {@code current} (already loaded) for the
     * range after the last kept one. One range when nothing is kept.
     */
    static List<DecidedBy> ranges(final Path data, final long first, final long end, final EngineConfig current) {
        final List<DecidedBy> ranges = new ArrayList<>();
        long from = 1;
        final NavigableMap<Long, Path> kept = RecordedConfig.history(data);
        for (final Map.Entry<Long, Path> e : kept.entrySet()) {
            final long lo = Math.max(from, first);
            final long hi = Math.min(e.getKey(), end);
            if (lo <= hi) {
                ranges.add(new DecidedBy(lo, hi, e.getValue(), RecordedConfig.load(data, e.getValue())));
            }
            from = e.getKey() + 1;
        }
        final long lo = Math.max(from, first);
        if (lo <= end || ranges.isEmpty()) {
            ranges.add(new DecidedBy(lo, end, RecordedConfig.source(data, null), current));
        }
        return ranges;
    }

    /** The "before" side's name in a summary: the one file, or each range's. */
    static String describe(final List<DecidedBy> ranges, final String currentName) {
        if (ranges.size() == 1) { // the current configuration, or a kept one that decided all of the range compared
            return ranges.get(0).file() == null ? currentName : ranges.get(0).file().toString();
        }
        final StringBuilder sb = new StringBuilder("as decided:");
        for (final DecidedBy r : ranges) {
            sb.append(String.format(" seq %,d..%,d %s;", r.from(), r.to(), r.file() == null ? "defaults" : r.file()));
        }
        sb.setLength(sb.length() - 1);
        return sb.toString();
    }
}
