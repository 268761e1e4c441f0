package io.ringfence.engine.anomaly;

import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The forecast and alerting settings of anomaly detectors, as bound by Jackson from YAML (every
 * field optional; {@code null} means the default). Unvalidated: {@link AnomalySpec#from} checks it.
 *
 * <pre>
 * anomaly:
 *   forecast: holt-winters  # holt-winters (exponentially smoothed season), seasonal-mean (see below) or blend (of both)
 *   scale: log            # log (log(1 + y): counts, sums) or linear
 *   spread: phase         # phase (sigma per season phase), poisson (counts: negative binomial) or compound (sums: y/unit as counts)
 *   poissonFloor: 1.0     # poisson, compound: the smallest expected count (units) assumed
 *   timeZone: UTC         # the season's local time (e.g. Europe/London: summer time does not shift the season)
 *   seasonLength: 168     # intervals per season (168 = a week of hours; 24 = a day; 1 = none)
 *   alpha: 0.1            # level smoothing, (0, 1]
 *   beta: 0.0             # trend smoothing, [0, 1]; 0 = no trend
 *   phi: 0.9              # trend damping, (0, 1]
 *   gamma: 0.2            # seasonal smoothing, [0, 1]
 *   sigmaRate: 0.05       # weight of a new squared error in the spread estimate, (0, 1]
 *   k: 3.0                # band half-width in sigmas
 *   clip: 2.5             # observations beyond clip sigmas are pulled to the band edge for learning
 *   cusumSlack: 0.5       # CUSUM of scores: allowance per interval, in sigmas
 *   cusumLimit: 5.0       # CUSUM beyond this is a sustained anomaly (catches drops no single interval shows)
 *   scanIntervals: 3      # also test the sums of the last 1..n intervals against k (1 = single intervals)
 *   closed: []            # local dates or ranges the shop is closed: neither learned nor alerted
 *   warmupSeasons: 2      # no alerts before this many seasons of history
 *   minSigma: 0.3         # floor of sigma, in model units (log units on the log scale)
 *   minRelSigma: 0.1      # floor of sigma relative to |expected| (on the log scale minRelSigma itself)
 *   quietIntervals: 3     # an anomaly ends after this many normal observations in a row
 *   holdIntervals: 24     # holt-winters: a drop's first intervals are not learned, 0..100000 (refused with the other forecasts)
 *   alertOnEnd: false     # also report the interval where an anomaly ends
 *   direction: both       # both, up (rises only: failure and decline rates) or down (drops only)
 *   # forecast: seasonal-mean only (alpha, beta, phi, gamma are then refused):
 *   seasonWindow: 6       # past seasons held per phase, 1..26
 *   seasonTrim: 0.0       # share of them trimmed at each end: 0 = mean (of clipped values), 0.5 = median
 *   levelRate: 0.0        # level factor (recent observations over their seasonal values), weight per interval; 0 = none
 *   # forecast: blend only (the settings of both forecasts apply):
 *   blendWeight: 0.4      # the seasonal mean's weight, 0..1; Holt-Winters has the rest
 * </pre>
 *
 * The seasonal-mean and blend fields, {@code holdIntervals} and {@code direction} are left out of the serialised form when
 * absent, so adding them did not change the configuration digest of existing files.
 *
 * An unknown property fails binding with its name.
 */
public final class AnomalyConfig {
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public String forecast;
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public Integer seasonWindow;
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public Double seasonTrim;
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public Double levelRate;
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public Double blendWeight;
    public String scale;
    public String spread;
    public Double poissonFloor;
    public Integer seasonLength;
    public String timeZone;
    public Double alpha;
    public Double beta;
    public Double phi;
    public Double gamma;
    public Double sigmaRate;
    public Double k;
    public Double clip;
    public Double cusumSlack;
    public Double cusumLimit;
    public Integer scanIntervals;
    public java.util.List<String> closed;
    public Integer warmupSeasons;
    public Double minSigma;
    public Double minRelSigma;
    public Integer quietIntervals;
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public Integer holdIntervals;
    public Boolean alertOnEnd;
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public String direction;

    public AnomalyConfig() {
    }

    public AnomalyConfig forecast(final String value) {
        forecast = value;
        return this;
    }

    public AnomalyConfig seasonWindow(final int value) {
        seasonWindow = value;
        return this;
    }

    public AnomalyConfig seasonTrim(final double value) {
        seasonTrim = value;
        return this;
    }

    public AnomalyConfig levelRate(final double value) {
        levelRate = value;
        return this;
    }

    public AnomalyConfig blendWeight(final double value) {
        blendWeight = value;
        return this;
    }

    public AnomalyConfig scale(final String value) {
        scale = value;
        return this;
    }

    public AnomalyConfig spread(final String value) {
        spread = value;
        return this;
    }

    public AnomalyConfig poissonFloor(final double value) {
        poissonFloor = value;
        return this;
    }

    public AnomalyConfig timeZone(final String value) {
        timeZone = value;
        return this;
    }

    public AnomalyConfig seasonLength(final int value) {
        seasonLength = value;
        return this;
    }

    public AnomalyConfig alpha(final double value) {
        alpha = value;
        return this;
    }

    public AnomalyConfig beta(final double value) {
        beta = value;
        return this;
    }

    public AnomalyConfig phi(final double value) {
        phi = value;
        return this;
    }

    public AnomalyConfig gamma(final double value) {
        gamma = value;
        return this;
    }

    public AnomalyConfig sigmaRate(final double value) {
        sigmaRate = value;
        return this;
    }

    public AnomalyConfig k(final double value) {
        k = value;
        return this;
    }

    public AnomalyConfig clip(final double value) {
        clip = value;
        return this;
    }

    public AnomalyConfig cusumSlack(final double value) {
        cusumSlack = value;
        return this;
    }

    public AnomalyConfig cusumLimit(final double value) {
        cusumLimit = value;
        return this;
    }

    public AnomalyConfig scanIntervals(final int value) {
        scanIntervals = value;
        return this;
    }

    public AnomalyConfig closed(final java.util.List<String> value) {
        closed = value;
        return this;
    }

    public AnomalyConfig warmupSeasons(final int value) {
        warmupSeasons = value;
        return this;
    }

    public AnomalyConfig minSigma(final double value) {
        minSigma = value;
        return this;
    }

    public AnomalyConfig minRelSigma(final double value) {
        minRelSigma = value;
        return this;
    }

    public AnomalyConfig quietIntervals(final int value) {
        quietIntervals = value;
        return this;
    }

    public AnomalyConfig holdIntervals(final int value) {
        holdIntervals = value;
        return this;
    }

    public AnomalyConfig alertOnEnd(final boolean value) {
        alertOnEnd = value;
        return this;
    }

    public AnomalyConfig direction(final String value) {
        direction = value;
        return this;
    }

    @JsonAnySetter
    void unknown(final String property, final Object value) {
        throw new IllegalArgumentException("unknown anomaly property '" + property + "' (known: forecast, seasonWindow, seasonTrim, levelRate, blendWeight, scale, spread, poissonFloor, timeZone, seasonLength, alpha, beta, phi,"
            + " gamma, sigmaRate, k, clip, cusumSlack, cusumLimit, scanIntervals, closed, warmupSeasons, minSigma, minRelSigma, quietIntervals, holdIntervals, alertOnEnd, direction)");
    }
}
