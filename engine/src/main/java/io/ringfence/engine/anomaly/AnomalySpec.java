package io.ringfence.engine.anomaly;

import io.ringfence.engine.config.ConfigException;

/**
 * Validated, immutable anomaly detector settings. Built from an {@link AnomalyConfig} by
 * {@link #from(AnomalyConfig, String)}, which fills defaults and rejects every problem with a
 * {@link ConfigException} naming the field, the value and what is wrong; {@link #defaults()} is
 * the default set.
 *
 * <p>Units: {@code seasonLength}, {@code warmupSeasons} and {@code quietIntervals} count
 * intervals of the series (one per closed tumbling window); {@code minSigma} is in the series'
 * own units (orders, currency units); {@code k} and {@code clip} are in sigmas.
 */
public final class AnomalySpec {
    /** The scale the forecast is made on. */
    public enum Scale {
        /** The series as it is: sigma, minSigma in its units. */
        LINEAR,
        /**
         * {@code log(1 + y)} (y &lt; 0 taken as 0): for counts and sums, whose spread grows with their
         * level; a change by a factor is a shift of the same size at any level. Sigma, minSigma, k and
         * clip are in log units; expected and band are reported back in the series' units.
         */
        LOG
    }

    /** How sigma is estimated. */
    public enum Spread {
        /** An EWMA of squared one-step errors per season phase, floored by minSigma and minRelSigma (·|expected| on the linear scale). */
        PHASE,
        /**
         * For counts on the log scale: the Poisson variance of {@code log(1 + y)} at the expected
         * count m, {@code m / (1 + m)²} (delta method; m at least {@code poissonFloor}), times an
         * overdispersion factor (at least 1) learned from all phases together: many more errors per
         * estimate than one phase has, and no floor in log units that hides a busy hour's change.
         */
        POISSON,
        /**
         * For rates (0..1) on the linear scale: the Anscombe arcsine residual of k of n at the expected
         * rate, {@code 2·√(n + ½)·(asin√((k + ⅜)/(n + ¾)) − asin√((n·p + ⅜)/(n + ¾)))}, over a
         * learned overdispersion (at least 1); n comes with each observation
         * ({@link AnomalyDetector#observeRateAt}); see {@link BinomialSpread}.
         */
        BINOMIAL,
        /**
         * For sums of a few large amounts (revenue) on the log scale: compound Poisson, i.e. the
         * {@link #POISSON} model of {@code y / unit} where the unit, the sums' variance-to-mean
         * ratio (about the typical large invoice), is learned robustly from the one-step errors.
         */
        COMPOUND
    }

    /** How the expected value of an interval is forecast. */
    public enum Forecast {
        /** {@link HoltWinters}: level, damped trend and an exponentially smoothed season (alpha, beta, phi, gamma). */
        HOLT_WINTERS,
        /**
         * {@link SeasonalMean}: a trimmed mean ({@code seasonTrim}; 0.5 = the median) of the same
         * phase's observations in the last {@code seasonWindow} seasons, times a level factor
         * ({@code levelRate}; 0 = none).
         */
        SEASONAL_MEAN,
        /**
         * {@link BlendForecast}: {@code blendWeight}·seasonal mean + (1 − {@code blendWeight})·Holt-Winters
         * on the model scale, both learning every interval (the settings of both apply).
         */
        BLEND
    }

    /**
     * Which side of the band starts an anomaly. A payment failure or decline rate is watched for
     * rises only: fewer failures than expected is no incident, and after a burst that lasted long
     * enough to be learned as the new level, the rate's return to normal was alerted as a drop that
     * stayed open for days (a 12-hour burst at 30 %: a drop from 13 hours after it to 82 hours after it).
     */
    public enum Direction {
        /** Rises above the band and drops below it. */
        BOTH(true, true),
        /**
         * Rises only: an observation below the band is inside for every test (it is learned, clipped, and ends a rise); a
         * rise is held from learning for {@code holdIntervals} as a drop is with the others.
         */
        UP(true, false),
        /** Drops only: an observation above the band is inside for every test. */
        DOWN(false, true);

        private final boolean up;
        private final boolean down;

        Direction(final boolean up, final boolean down) {
            this.up = up;
            this.down = down;
        }

        /** True if rises start anomalies. */
        public boolean up() {
            return up;
        }

        /** True if drops start anomalies. */
        public boolean down() {
            return down;
        }

        /** True if a score (or a scan's, in sigmas) is outside ±k on a side this direction watches; false for NaN. */
        public boolean beyond(final double score, final double k) {
            return score > k ? up : score < -k && down;
        }
    }

    public static final Forecast DEFAULT_FORECAST = Forecast.HOLT_WINTERS;
    public static final int DEFAULT_SEASON_WINDOW = 6;
    /** Seasons a seasonal mean holds at most (half a year of weekly seasons). */
    public static final int MAX_SEASON_WINDOW = 26;
    /** The mean: measured better than the median on counts (see {@link SeasonalMean}); clipping at learning gives the robustness. */
    public static final double DEFAULT_SEASON_TRIM = 0.0;
    public static final double DEFAULT_LEVEL_RATE = 0.0;
    /** The seasonal mean's weight in {@link Forecast#BLEND} (chosen on Online Retail's tuning seed: README). */
    public static final double DEFAULT_BLEND_WEIGHT = 0.4;
    public static final Scale DEFAULT_SCALE = Scale.LOG;
    public static final Spread DEFAULT_SPREAD = Spread.PHASE;
    public static final double DEFAULT_POISSON_FLOOR = 1.0;
    /** The default poissonFloor of count series (a sparse key's 0.15 orders an hour is not floored away). */
    public static final double COUNT_POISSON_FLOOR = 0.1;
    /** The default poissonFloor of sum series, in units of the learned typical amount. */
    public static final double SUM_POISSON_FLOOR = 0.05;
    /** Weight of a new squared error in the pooled overdispersion of {@link Spread#POISSON}. */
    public static final double DISPERSION_RATE = 0.01;
    /** The overdispersion of {@link Spread#POISSON} is learned from intervals expecting at least this many counts. */
    public static final double DISPERSION_MIN_COUNT = 1.0;
    public static final int DEFAULT_SEASON_LENGTH = 168;
    public static final double DEFAULT_ALPHA = 0.1;
    public static final double DEFAULT_BETA = 0.0;
    public static final double DEFAULT_PHI = 0.9;
    public static final double DEFAULT_GAMMA = 0.2;
    public static final double DEFAULT_SIGMA_RATE = 0.05;
    public static final double DEFAULT_K = 3.0;
    public static final double DEFAULT_CLIP = 2.5;
    public static final double DEFAULT_CUSUM_SLACK = 0.5;
    public static final double DEFAULT_CUSUM_LIMIT = 5.0;
    public static final int DEFAULT_SCAN_INTERVALS = 3;
    public static final int MAX_SCAN_INTERVALS = 168;
    public static final int DEFAULT_WARMUP_SEASONS = 2;
    public static final double DEFAULT_MIN_SIGMA = 0.3;
    public static final double DEFAULT_MIN_REL_SIGMA = 0.1;
    public static final int DEFAULT_QUIET_INTERVALS = 3;
    /** A day of hourly intervals: a drop of up to a day is not learned as the series' new level. */
    public static final int DEFAULT_HOLD_INTERVALS = 24;
    public static final boolean DEFAULT_ALERT_ON_END = false;
    public static final Direction DEFAULT_DIRECTION = Direction.BOTH;

    /** Bounds the per-series state (arrays of this length; a seasonal mean holds seasonWindow floats per phase too). */
    public static final int MAX_SEASON_LENGTH = 10_080;
    public static final int MAX_WARMUP_SEASONS = 1_000;
    public static final int MAX_QUIET_INTERVALS = 10_000;
    public static final int MAX_HOLD_INTERVALS = 100_000;

    private static final AnomalySpec DEFAULTS = from(new AnomalyConfig(), "anomaly");

    private final Forecast forecast;
    private final int seasonWindow;
    private final double seasonTrim;
    private final double levelRate;
    private final double blendWeight;
    private final Scale scale;
    private final Spread spread;
    private final double poissonFloor;
    private final java.time.ZoneId timeZone;
    private final int seasonLength;
    private final double alpha;
    private final double beta;
    private final double phi;
    private final double gamma;
    private final double sigmaRate;
    private final double k;
    private final double clip;
    private final double cusumSlack;
    private final double cusumLimit;
    private final int scanIntervals;
    private final ClosureCalendar closures;
    private final int warmupSeasons;
    private final double minSigma;
    private final double minRelSigma;
    private final int quietIntervals;
    private final int holdIntervals;
    private final boolean alertOnEnd;
    private final Direction direction;

    private AnomalySpec(final Forecast forecast, final int seasonWindow, final double seasonTrim, final double levelRate, final double blendWeight, final Scale scale, final Spread spread, final double poissonFloor, final java.time.ZoneId timeZone, final int seasonLength, final double alpha, final double beta, final double phi, final double gamma,
                        final double sigmaRate, final double k, final double clip, final double cusumSlack, final double cusumLimit,
                        final int scanIntervals, final ClosureCalendar closures, final int warmupSeasons, final double minSigma,
                        final double minRelSigma, final int quietIntervals, final int holdIntervals, final boolean alertOnEnd,
                        final Direction direction) {
        this.forecast = forecast;
        this.seasonWindow = seasonWindow;
        this.seasonTrim = seasonTrim;
        this.levelRate = levelRate;
        this.blendWeight = blendWeight;
        this.scale = scale;
        this.spread = spread;
        this.poissonFloor = poissonFloor;
        this.timeZone = timeZone;
        this.seasonLength = seasonLength;
        this.alpha = alpha;
        this.beta = beta;
        this.phi = phi;
        this.gamma = gamma;
        this.sigmaRate = sigmaRate;
        this.k = k;
        this.clip = clip;
        this.cusumSlack = cusumSlack;
        this.cusumLimit = cusumLimit;
        this.scanIntervals = scanIntervals;
        this.closures = closures;
        this.warmupSeasons = warmupSeasons;
        this.minSigma = minSigma;
        this.minRelSigma = minRelSigma;
        this.quietIntervals = quietIntervals;
        this.holdIntervals = holdIntervals;
        this.alertOnEnd = alertOnEnd;
        this.direction = direction;
    }

    /** The default settings. */
    public static AnomalySpec defaults() {
        return DEFAULTS;
    }

    /**
     * Validates a configuration, filling defaults for absent fields.
     *
     * @param c    the bound configuration
     * @param path where it is in the configuration, e.g. {@code anomaly} or {@code anomalies[0]}
     * @throws ConfigException on the first problem found
     */
    public static AnomalySpec from(final AnomalyConfig c, final String path) {
        return from(c, path, Values.OTHER);
    }

    /** What a series' values are: the defaults of some fields depend on it. */
    public enum Values {
        /** Counts of events (a window's {@code count}): {@code spread: poisson}, {@code poissonFloor:} {@value #COUNT_POISSON_FLOOR}, no CUSUM. */
        COUNTS,
        /** Sums of amounts (a window's {@code sum(amount)}): {@code spread: compound}, {@code poissonFloor:} {@value #SUM_POISSON_FLOOR}, no CUSUM. */
        SUMS,
        /** Anything else (means, rates): the general defaults. */
        OTHER
    }

    /**
     * {@link #from(AnomalyConfig, String)} for a series of the given values, whose absent fields
     * take that kind's defaults (on the log scale; a stated field is always kept). Counts and sums
     * get the Poisson or compound model and no CUSUM: the scan of summed intervals is their test
     * for sustained changes.
     */
    public static AnomalySpec from(final AnomalyConfig c, final String path, final Values values) {
        final boolean counts = values == Values.COUNTS;
        final boolean sums = values == Values.SUMS;
        final Scale scale;
        if (c.scale == null) {
            scale = DEFAULT_SCALE;
        } else if (c.scale.equals("log")) {
            scale = Scale.LOG;
        } else if (c.scale.equals("linear")) {
            scale = Scale.LINEAR;
        } else {
            throw new ConfigException(path + ".scale", c.scale, "is not a scale: use log (counts, sums) or linear");
        }
        final Spread spread;
        if (c.spread == null && (counts || sums) && scale == Scale.LOG) {
            spread = counts ? Spread.POISSON : Spread.COMPOUND;
        } else if (c.spread == null || c.spread.equals("phase")) {
            spread = c.spread == null ? DEFAULT_SPREAD : Spread.PHASE;
        } else if (c.spread.equals("poisson") || c.spread.equals("compound")) {
            spread = c.spread.equals("poisson") ? Spread.POISSON : Spread.COMPOUND;
            if (scale != Scale.LOG) {
                throw new ConfigException(path + ".spread", c.spread, "needs scale log (the Poisson and compound spreads are of log(1 + y))");
            }
        } else if (c.spread.equals("binomial")) {
            spread = Spread.BINOMIAL;
            if (scale != Scale.LINEAR) {
                throw new ConfigException(path + ".spread", c.spread, "needs scale linear (the binomial spread is of a rate, 0..1)");
            }
        } else {
            throw new ConfigException(path + ".spread", c.spread,
                "is not a spread: use phase (per season phase), poisson (counts), compound (sums of few large amounts) or binomial (rates)");
        }
        if (c.poissonFloor != null && spread != Spread.POISSON && spread != Spread.COMPOUND) {
            // audit: taken on a rate monitor, where it changes nothing, while other settings that do not apply are refused
            throw new ConfigException(path + ".poissonFloor", c.poissonFloor, "applies to the poisson and compound spreads only"
                + " (count and sum(amount) series); this monitor's spread is " + spread.name().toLowerCase(java.util.Locale.ROOT));
        }
        final double poissonFloor = c.poissonFloor != null ? c.poissonFloor
            : counts ? COUNT_POISSON_FLOOR : sums ? SUM_POISSON_FLOOR : DEFAULT_POISSON_FLOOR;
        if (!(poissonFloor > 0.0) || Double.isInfinite(poissonFloor)) {
            throw new ConfigException(path + ".poissonFloor", c.poissonFloor,
                "must be a positive finite count (the smallest expected count the Poisson spread assumes)");
        }
        final java.time.ZoneId timeZone;
        try {
            timeZone = c.timeZone == null ? java.time.ZoneOffset.UTC : java.time.ZoneId.of(c.timeZone);
        } catch (final java.time.DateTimeException e) {
            // the JDK's reason ends in the value: said only when there is one (trial: an empty value read "invalid format: ")
            throw new ConfigException(path + ".timeZone", c.timeZone, "is not a time zone (e.g. UTC, Europe/London)"
                    + (c.timeZone.isBlank() ? "" : ": " + e.getMessage()));
        }
        final int seasonLength = c.seasonLength == null ? DEFAULT_SEASON_LENGTH : c.seasonLength;
        if (seasonLength < 1 || seasonLength > MAX_SEASON_LENGTH) {
            throw new ConfigException(path + ".seasonLength", c.seasonLength,
                "must be between 1 (no seasonality) and " + MAX_SEASON_LENGTH + " intervals");
        }
        final double alpha = unitInterval(path + ".alpha", c.alpha, DEFAULT_ALPHA, false);
        final double beta = unitInterval(path + ".beta", c.beta, DEFAULT_BETA, true);
        final double phi = unitInterval(path + ".phi", c.phi, DEFAULT_PHI, false);
        final double gamma = unitInterval(path + ".gamma", c.gamma, DEFAULT_GAMMA, true);
        if (seasonLength == 1 && c.gamma != null && c.gamma != 0.0) {
            throw new ConfigException(path + ".gamma", c.gamma, "has no season to smooth: seasonLength is 1 (set gamma to 0 or a season)");
        }
        final double sigmaRate = unitInterval(path + ".sigmaRate", c.sigmaRate, DEFAULT_SIGMA_RATE, false);
        final double k = c.k == null ? DEFAULT_K : c.k;
        if (!(k > 0.0) || Double.isInfinite(k)) {
            throw new ConfigException(path + ".k", c.k, "must be a positive finite number of sigmas");
        }
        final double clip = c.clip == null ? DEFAULT_CLIP : c.clip;
        if (!(clip > 0.0) || Double.isInfinite(clip)) {
            throw new ConfigException(path + ".clip", c.clip,
                "must be a positive finite number of sigmas (observations beyond it are pulled to it for learning)");
        }
        final double cusumSlack = c.cusumSlack == null ? DEFAULT_CUSUM_SLACK : c.cusumSlack;
        if (!(cusumSlack >= 0.0) || Double.isInfinite(cusumSlack)) {
            throw new ConfigException(path + ".cusumSlack", c.cusumSlack, "must be zero or a positive finite number of sigmas");
        }
        final double cusumLimit = c.cusumLimit != null ? c.cusumLimit
            : (counts || sums) && spread != Spread.PHASE ? Double.POSITIVE_INFINITY : DEFAULT_CUSUM_LIMIT;
        if (!(cusumLimit > 0.0) || Double.isNaN(cusumLimit)) {
            throw new ConfigException(path + ".cusumLimit", c.cusumLimit,
                "must be a positive number of sigmas (or .inf to alert on single intervals only)");
        }
        final int scanIntervals = c.scanIntervals == null ? DEFAULT_SCAN_INTERVALS : c.scanIntervals;
        if (scanIntervals < 1 || scanIntervals > MAX_SCAN_INTERVALS) {
            throw new ConfigException(path + ".scanIntervals", c.scanIntervals,
                "must be between 1 (single intervals only) and " + MAX_SCAN_INTERVALS + " intervals");
        }
        final ClosureCalendar closures = ClosureCalendar.from(c.closed, timeZone, path + ".closed");
        final int warmupSeasons = c.warmupSeasons == null ? DEFAULT_WARMUP_SEASONS : c.warmupSeasons;
        if (warmupSeasons < 1 || warmupSeasons > MAX_WARMUP_SEASONS) {
            throw new ConfigException(path + ".warmupSeasons", c.warmupSeasons,
                "must be between 1 and " + MAX_WARMUP_SEASONS + " (the first season only initialises the forecast)");
        }
        final double minSigma = c.minSigma == null ? DEFAULT_MIN_SIGMA : c.minSigma;
        if (!(minSigma > 0.0) || Double.isInfinite(minSigma)) {
            throw new ConfigException(path + ".minSigma", c.minSigma,
                "must be positive and finite (a flat series would otherwise alert on any change)");
        }
        final double minRelSigma = c.minRelSigma == null ? DEFAULT_MIN_REL_SIGMA : c.minRelSigma;
        if (!(minRelSigma >= 0.0) || Double.isInfinite(minRelSigma)) {
            throw new ConfigException(path + ".minRelSigma", c.minRelSigma, "must be zero or a positive finite fraction of |expected|");
        }
        final int quietIntervals = c.quietIntervals == null ? DEFAULT_QUIET_INTERVALS : c.quietIntervals;
        if (quietIntervals < 1 || quietIntervals > MAX_QUIET_INTERVALS) {
            throw new ConfigException(path + ".quietIntervals", c.quietIntervals, "must be between 1 and " + MAX_QUIET_INTERVALS);
        }
        final boolean alertOnEnd = c.alertOnEnd == null ? DEFAULT_ALERT_ON_END : c.alertOnEnd;
        final Forecast forecast = forecast(path, c);
        final int holdIntervals = c.holdIntervals == null ? (forecast == Forecast.HOLT_WINTERS ? DEFAULT_HOLD_INTERVALS : 0) : c.holdIntervals;
        if (holdIntervals < 0 || holdIntervals > MAX_HOLD_INTERVALS) {
            throw new ConfigException(path + ".holdIntervals", c.holdIntervals,
                "must be between 0 (a drop is learned as it comes) and " + MAX_HOLD_INTERVALS + " intervals");
        }
        final Direction direction = direction(path, c.direction);
        final int seasonWindow = c.seasonWindow == null ? DEFAULT_SEASON_WINDOW : c.seasonWindow;
        if (seasonWindow < 1 || seasonWindow > MAX_SEASON_WINDOW) {
            throw new ConfigException(path + ".seasonWindow", c.seasonWindow,
                "must be between 1 and " + MAX_SEASON_WINDOW + " seasons (each phase holds this many past observations)");
        }
        final double seasonTrim = c.seasonTrim == null ? DEFAULT_SEASON_TRIM : c.seasonTrim;
        if (!(seasonTrim >= 0.0 && seasonTrim <= 0.5)) {
            throw new ConfigException(path + ".seasonTrim", c.seasonTrim,
                "must be between 0 (the mean of the held seasons) and 0.5 (their median): the share trimmed at each end");
        }
        final double levelRate = unitInterval(path + ".levelRate", c.levelRate, DEFAULT_LEVEL_RATE, true);
        final double blendWeight = unitInterval(path + ".blendWeight", c.blendWeight, DEFAULT_BLEND_WEIGHT, true);
        return new AnomalySpec(forecast, seasonWindow, seasonTrim, levelRate, blendWeight, scale, spread, poissonFloor, timeZone, seasonLength, alpha, beta, phi, gamma, sigmaRate, k, clip, cusumSlack, cusumLimit, scanIntervals, closures, warmupSeasons, minSigma,
            minRelSigma, quietIntervals, holdIntervals, alertOnEnd, direction);
    }

    private static Direction direction(final String path, final String value) {
        if (value == null) {
            return DEFAULT_DIRECTION;
        }
        return switch (value) {
            case "both" -> Direction.BOTH;
            case "up" -> Direction.UP;
            case "down" -> Direction.DOWN;
            default -> throw new ConfigException(path + ".direction", value,
                "is not a direction: use both (rises and drops start anomalies), up (rises only, e.g. a failure rate) or down (drops only)");
        };
    }

    /** The forecast named, and no setting of a forecast this detector does not use (each refusal names the field). */
    private static Forecast forecast(final String path, final AnomalyConfig c) {
        final Forecast forecast;
        if (c.forecast == null || c.forecast.equals("holt-winters")) {
            forecast = Forecast.HOLT_WINTERS;
        } else if (c.forecast.equals("seasonal-mean")) {
            forecast = Forecast.SEASONAL_MEAN;
        } else if (c.forecast.equals("blend")) {
            forecast = Forecast.BLEND;
        } else {
            throw new ConfigException(path + ".forecast", c.forecast,
                "is not a forecast: use holt-winters (exponentially smoothed season), seasonal-mean (trimmed mean of the phase's last seasons)"
                    + " or blend (a weighted mean of the two)");
        }
        if (forecast != Forecast.BLEND && c.blendWeight != null) {
            throw new ConfigException(path + ".blendWeight", c.blendWeight,
                "is a setting of forecast blend; this detector forecasts with " + name(forecast) + " (set forecast: blend or leave it out)");
        }
        if (forecast != Forecast.HOLT_WINTERS && c.holdIntervals != null) {
            throw new ConfigException(path + ".holdIntervals", c.holdIntervals,
                "is a setting of forecast holt-winters; this detector forecasts with " + name(forecast) + (forecast == Forecast.BLEND
                    ? " (holding the blend cost more false alarms than it saved on the Online Retail harness; leave it out)"
                    : " (the seasonal mean learns a phase once a season, so a drop barely moves it; leave it out)"));
        }
        if (forecast == Forecast.HOLT_WINTERS) {
            final String median = c.seasonWindow != null ? "seasonWindow" : c.seasonTrim != null ? "seasonTrim" : c.levelRate != null ? "levelRate" : null;
            if (median != null) {
                throw new ConfigException(path + "." + median, median.equals("seasonWindow") ? (Object) c.seasonWindow : median.equals("seasonTrim") ? (Object) c.seasonTrim : c.levelRate,
                    "is a setting of forecast seasonal-mean or blend; this detector forecasts with holt-winters (set forecast: seasonal-mean or leave it out)");
            }
        } else if (forecast == Forecast.SEASONAL_MEAN) {
            final String smoothing = c.alpha != null ? "alpha" : c.beta != null ? "beta" : c.phi != null ? "phi" : c.gamma != null ? "gamma" : null;
            if (smoothing != null) {
                throw new ConfigException(path + "." + smoothing, smoothing.equals("alpha") ? c.alpha : smoothing.equals("beta") ? c.beta
                    : smoothing.equals("phi") ? c.phi : c.gamma,
                    "is a Holt-Winters setting; this detector forecasts with seasonal-mean (its settings: seasonWindow, seasonTrim, levelRate)");
            }
        }
        return forecast;
    }

    /** The configuration's name of a forecast. */
    static String name(final Forecast forecast) {
        return switch (forecast) {
            case HOLT_WINTERS -> "holt-winters";
            case SEASONAL_MEAN -> "seasonal-mean";
            case BLEND -> "blend";
        };
    }

    private static double unitInterval(final String field, final Double value, final double fallback, final boolean zeroAllowed) {
        if (value == null) {
            return fallback;
        }
        final double v = value;
        if (!(v <= 1.0) || !(zeroAllowed ? v >= 0.0 : v > 0.0)) {
            throw new ConfigException(field, value, zeroAllowed ? "must be between 0 and 1" : "must be greater than 0 and at most 1");
        }
        return v;
    }

    /** How the expected value is forecast. */
    public Forecast forecast() {
        return forecast;
    }

    /** Seasonal mean: the past seasons held per phase. */
    public int seasonWindow() {
        return seasonWindow;
    }

    /** Seasonal mean: the share of the held values trimmed at each end (0.5: the median). */
    public double seasonTrim() {
        return seasonTrim;
    }

    /** Blend: the seasonal mean's weight (Holt-Winters has the rest). */
    public double blendWeight() {
        return blendWeight;
    }

    /** Seasonal mean: weight of a new interval in the level factor's averages (0: no level factor). */
    public double levelRate() {
        return levelRate;
    }

    public Scale scale() {
        return scale;
    }

    public Spread spread() {
        return spread;
    }

    /** The smallest expected count the Poisson spread assumes (a closed hour is not certain to stay at 0). */
    public double poissonFloor() {
        return poissonFloor;
    }

    /** The zone whose local time places intervals in the season ({@link SeasonClock}). */
    public java.time.ZoneId timeZone() {
        return timeZone;
    }

    public int seasonLength() {
        return seasonLength;
    }

    public double alpha() {
        return alpha;
    }

    public double beta() {
        return beta;
    }

    public double phi() {
        return phi;
    }

    public double gamma() {
        return gamma;
    }

    public double sigmaRate() {
        return sigmaRate;
    }

    public double k() {
        return k;
    }

    public double clip() {
        return clip;
    }

    /** Allowance per interval of the two-sided CUSUM of scores, in sigmas. */
    public double cusumSlack() {
        return cusumSlack;
    }

    /** The CUSUM level (in sigmas) beyond which a sustained deviation is an anomaly. */
    public double cusumLimit() {
        return cusumLimit;
    }

    /** The sums of the last 1 .. this many intervals are tested against k too (1: single intervals only). */
    public int scanIntervals() {
        return scanIntervals;
    }

    /** The shop's known closures: intervals starting on these local dates are neither learned nor alerted. */
    public ClosureCalendar closures() {
        return closures;
    }

    public int warmupSeasons() {
        return warmupSeasons;
    }

    /** Observations before the first alert can be raised: {@code warmupSeasons × seasonLength}. */
    public long warmupIntervals() {
        return (long) warmupSeasons * seasonLength;
    }

    public double minSigma() {
        return minSigma;
    }

    public double minRelSigma() {
        return minRelSigma;
    }

    public int quietIntervals() {
        return quietIntervals;
    }

    /**
     * Holt-Winters: for how many intervals an anomaly that started below the band is not learned
     * (nothing of it: forecast, spread), so that an outage is not taken as the series' new level and
     * its end is seen against what was expected before it; 0 for none. After it the drop is learned
     * as it comes (a lasting fall ends as the new level). With {@code direction: up}, a rise the same
     * way (a failure burst is not the rate's new level). 0 for the other forecasts.
     */
    public int holdIntervals() {
        return holdIntervals;
    }

    public boolean alertOnEnd() {
        return alertOnEnd;
    }

    /** Which side of the band starts an anomaly ({@code both} by default). */
    public Direction direction() {
        return direction;
    }

    @Override
    public String toString() {
        return (forecast != Forecast.HOLT_WINTERS ? "forecast=" + name(forecast) + (forecast == Forecast.BLEND ? " blendWeight=" + blendWeight : "")
            + " seasonWindow=" + seasonWindow + " seasonTrim=" + seasonTrim + " levelRate=" + levelRate + " " : "") + "scale=" + scale.name().toLowerCase() + " spread=" + spread.name().toLowerCase()
            + (spread != Spread.PHASE ? " poissonFloor=" + poissonFloor : "") + " timeZone=" + timeZone + " seasonLength=" + seasonLength
            + (forecast != Forecast.SEASONAL_MEAN ? " alpha=" + alpha + " beta=" + beta + " phi=" + phi + " gamma=" + gamma : "")
            + " sigmaRate=" + sigmaRate + " k=" + k + " clip=" + clip + " cusumSlack=" + cusumSlack + " cusumLimit=" + cusumLimit + " scanIntervals=" + scanIntervals
            + (closures.ranges() > 0 ? " closed=" + closures : "") + " warmupSeasons=" + warmupSeasons + " minSigma=" + minSigma
            + " minRelSigma=" + minRelSigma + " quietIntervals=" + quietIntervals
            + (forecast == Forecast.HOLT_WINTERS ? " holdIntervals=" + holdIntervals : "") + " alertOnEnd=" + alertOnEnd
            + (direction != Direction.BOTH ? " direction=" + direction.name().toLowerCase(java.util.Locale.ROOT) : "");
    }
}
