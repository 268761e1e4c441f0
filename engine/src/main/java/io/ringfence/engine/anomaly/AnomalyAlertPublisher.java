package io.ringfence.engine.anomaly;

import io.ringfence.engine.output.OutputBuffer;
import io.ringfence.sbe.AnomalyAlertEncoder;
import io.ringfence.sbe.MessageHeaderEncoder;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Encodes an {@code AnomalyAlert} (SBE id 26) for one series of one monitor: {@code eventTime}
 * the interval's start, {@code window} the window's name (subscribers filter on it),
 * {@code metric} the series metric ({@code count}, {@code sum(amount)}, {@code mean(amount)},
 * {@code rate(failed)}, ...), {@code key} the window key, {@code observed}/{@code expected} in the
 * metric's units (major units for amounts, 0..1 for rates), {@code score} in sigmas: those of the
 * test that fired ({@link AnomalyResult#alertObserved()}; for a scan of a count or sum series the
 * summed intervals', whose number the text gives), and {@code text}: the monitor's name, the
 * status, what fired and the interval's band, e.g.
 * {@code "uk_orders started: observed 2.0 below band [7.1, 15.3], expected 11.2, score -4.6 sigma"},
 * {@code "uk_orders started (scan of the last 3 intervals): sum 13.5 below band [13.6, 45.2], expected 27.9,
 * score -3.0 sigma; last interval observed 4.5 inside band [1.4, 18.5], expected 7.7, score -1.3 sigma"};
 * rates in percent with the interval's counts
 * ({@code "card_failures started: observed 30.0% (15 of 50) above band [0.0%, 8.9%], expected 2.0%, score 7.4 sigma"}).
 * In money windows, whose series are per key and currency, the text ends with {@code "; currency EUR"}.
 * Allocation-free once its text scratch has grown to the longest text.
 */
final class AnomalyAlertPublisher {
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final AnomalyAlertEncoder alert = new AnomalyAlertEncoder();
    private final byte[] window;
    private final byte[] metric;
    private final byte[] name;
    private final StringBuilder text = new StringBuilder(160);
    private byte[] textBytes = new byte[256];
    private final boolean rate;

    AnomalyAlertPublisher(final AnomalyMonitorSpec spec) {
        window = Arrays.copyOf(spec.window().name().getBytes(StandardCharsets.UTF_8), AnomalyAlertEncoder.windowLength());
        metric = Arrays.copyOf(spec.metric().text().getBytes(StandardCharsets.UTF_8), AnomalyAlertEncoder.metricLength());
        name = spec.nameBytes();
        rate = spec.metric().isRate();
    }

    void publish(final long seq, final AnomalySeries series, final AnomalyResult r, final OutputBuffer out) {
        text.setLength(0);
        r.appendText(text, rate, series.pendingHits, series.pendingTrials);
        if (series.currency[0] != 0) {
            text.append("; currency ").append((char) series.currency[0]).append((char) series.currency[1]).append((char) series.currency[2]);
        }
        final int length = name.length + 1 + text.length();
        if (textBytes.length < length) {
            textBytes = new byte[Math.max(length, textBytes.length * 2)];
        }
        System.arraycopy(name, 0, textBytes, 0, name.length);
        textBytes[name.length] = ' ';
        for (int i = 0; i < text.length(); i++) {
            textBytes[name.length + 1 + i] = (byte) text.charAt(i); // ASCII: digits, signs, words
        }
        final int at = out.begin();
        alert.wrapAndApplyHeader(out.buffer(), at, header)
            .seq(seq)
            .eventTime(r.intervalTime())
            .putWindow(window, 0)
            .putMetric(metric, 0)
            .observed(r.alertObserved())
            .expected(r.alertExpected())
            .score(r.alertScore())
            .putKey(series.key, 0, series.keyLength)
            .putText(textBytes, 0, length);
        out.commit(at, MessageHeaderEncoder.ENCODED_LENGTH + alert.encodedLength());
    }
}
