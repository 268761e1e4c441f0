package io.ringfence.engine.window;

import io.ringfence.engine.output.OutputBuffer;
import io.ringfence.sbe.MessageHeaderDecoder;
import io.ringfence.sbe.MetricKind;
import io.ringfence.sbe.WindowResultDecoder;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Feeds test events to a WindowAggregator and decodes the WindowResults it emits. */
final class Harness {
    final WindowAggregator aggregator;
    final OutputBuffer out = new OutputBuffer(256);
    private final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(1024);
    private long seq;

    Harness(final WindowConfig... configs) {
        aggregator = new WindowAggregator(WindowSpecs.from(List.of(configs)));
    }

    /** Feeds one event with the next seq (1, 2, ...) and returns what it emitted. */
    List<Result> feed(final TestEvents.Event e) {
        final int offset = 16; // not at 0, to catch offset mistakes
        e.encode(buffer, offset);
        out.reset();
        aggregator.onEvent(++seq, buffer, offset, out);
        return decode(out);
    }

    /** Feeds one event, then hands the windows the engine's decision on it (as the business stage does). */
    List<Result> feed(final TestEvents.Event e, final io.ringfence.sbe.Outcome decision) {
        final List<Result> results = feed(e);
        aggregator.onDecided(seq, decision);
        return results;
    }

    /** Feeds every event and collects everything emitted. */
    List<Result> feedAll(final TestEvents.Event... events) {
        final List<Result> all = new ArrayList<>();
        for (final TestEvents.Event e : events) {
            all.addAll(feed(e));
        }
        return all;
    }

    List<Result> flush() {
        out.reset();
        aggregator.flush(++seq, out);
        return decode(out);
    }

    long seq() {
        return seq;
    }

    static List<Result> decode(final OutputBuffer out) {
        final List<Result> results = new ArrayList<>();
        final MessageHeaderDecoder header = new MessageHeaderDecoder();
        final WindowResultDecoder d = new WindowResultDecoder();
        out.forEach((DirectBuffer b, int offset, int length) -> {
            d.wrapAndApplyHeader(b, offset, header);
            final Result r = new Result();
            r.seq = d.seq();
            r.start = d.start();
            r.end = d.end();
            r.window = d.window();
            r.currency = d.currency();
            r.currencyRaw = new byte[3];
            d.getCurrency(r.currencyRaw, 0);
            r.count = d.count();
            r.lateTotal = d.lateTotal();
            for (final WindowResultDecoder.MetricsDecoder m : d.metrics()) {
                r.metrics.put(m.name(), new MetricValue(m.kind(), m.longValue(), m.doubleValue()));
            }
            for (final WindowResultDecoder.TopItemsDecoder t : d.topItems()) {
                r.top.add(t.metric() + ":" + t.item() + "=" + t.occurrences() + (t.overcount() > 0 ? " over " + t.overcount() : ""));
            }
            r.key = d.key();
            results.add(r);
        });
        return results;
    }

    record MetricValue(MetricKind kind, long longValue, double doubleValue) {
    }

    static final class Result {
        long seq;
        long start;
        long end;
        String window;
        String key;
        String currency;
        byte[] currencyRaw;
        long count;
        long lateTotal;
        final Map<String, MetricValue> metrics = new LinkedHashMap<>();
        final List<String> top = new ArrayList<>();

        long l(final String metric) {
            final MetricValue v = metrics.get(metric);
            if (v == null) {
                throw new AssertionError("no metric " + metric + " in " + this);
            }
            return v.longValue();
        }

        double d(final String metric) {
            final MetricValue v = metrics.get(metric);
            if (v == null) {
                throw new AssertionError("no metric " + metric + " in " + this);
            }
            return v.doubleValue();
        }

        /** Compact form for assertions: window key [start,end) currency count. */
        String brief() {
            return window + " " + key + " [" + start + "," + end + ")" + (currency.isEmpty() ? "" : " " + currency) + " n=" + count;
        }

        @Override
        public String toString() {
            return brief() + " seq=" + seq + " late=" + lateTotal + " " + metrics + " " + top;
        }
    }
}
