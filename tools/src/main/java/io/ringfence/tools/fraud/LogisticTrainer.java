package io.ringfence.tools.fraud;

import io.ringfence.engine.fraud.Feature;
import io.ringfence.engine.fraud.FeatureTransform;
import io.ringfence.engine.fraud.LogisticModel;
import io.ringfence.engine.fraud.ModelFile;
import io.ringfence.engine.fraud.ModelTerm;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.CholeskyDecomposition;
import org.apache.commons.math3.linear.DecompositionSolver;
import org.apache.commons.math3.linear.NonPositiveDefiniteMatrixException;
import org.apache.commons.math3.linear.QRDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.RealVector;

import java.util.ArrayList;
import java.util.List;

/**
 * Fits the engine's {@link LogisticModel} to labelled feature vectors: each feature is transformed
 * ({@link FeatureTransform#defaultFor}), standardised with the training mean and standard deviation
 * (missing values count as the mean) and clipped; then an L2-regularised, class-weighted logistic
 * regression is solved by Newton's method (iteratively reweighted least squares), each step's
 * linear system solved with commons-math3 (Cholesky, QR as a fallback). Positives and negatives
 * each weigh half of the total ("balanced"), so a fraud rate of 5% does not teach the model to
 * answer "never". Features with no spread in the training data are left out. Deterministic: the
 * same rows in the same order give the same bits.
 */
public final class LogisticTrainer {
    /** Training settings. */
    public record Settings(double l2, boolean balanced, double clip, int maxIterations, double tolerance) {
        public static Settings defaults() {
            return new Settings(1.0, true, 6.0, 50, 1e-9);
        }
    }

    /** The fitted model and how the fit went. */
    public record Fit(LogisticModel model, int iterations, boolean converged, double logLoss, List<Feature> dropped) {
    }

    private final Settings settings;

    public LogisticTrainer(final Settings settings) {
        if (!(settings.l2() >= 0) || Double.isInfinite(settings.l2())) {
            throw new IllegalArgumentException("--l2 must be a finite number >= 0, not " + settings.l2());
        }
        this.settings = settings;
    }

    /**
     * @param rows   indices into {@code data} of the training events
     */
    public Fit fit(final ScoredEvents data, final int[] rows) {
        final int n = rows.length;
        int positives = 0;
        for (final int r : rows) {
            positives += data.fraud(r) ? 1 : 0;
        }
        if (positives == 0 || positives == n) {
            throw new IllegalArgumentException("the training orders need both classes (" + positives + " fraud of " + n + ")");
        }
        // 1. transform + standardise each feature over the training rows
        final List<ModelTerm> scaling = new ArrayList<>();
        final List<Feature> dropped = new ArrayList<>();
        for (int f = 0; f < Feature.COUNT; f++) {
            final Feature feature = Feature.at(f);
            final FeatureTransform t = FeatureTransform.defaultFor(feature);
            double sum = 0;
            int present = 0;
            for (final int r : rows) {
                final double x = data.feature(r, f);
                if (!Double.isNaN(x)) {
                    sum += t.apply(x);
                    present++;
                }
            }
            if (present < 2) {
                dropped.add(feature);
                continue;
            }
            final double mean = sum / present;
            double ss = 0;
            for (final int r : rows) {
                final double x = data.feature(r, f);
                if (!Double.isNaN(x)) {
                    final double d = t.apply(x) - mean;
                    ss += d * d;
                }
            }
            final double std = Math.sqrt(ss / present);
            if (!(std > 1e-9)) {
                dropped.add(feature);
                continue;
            }
            scaling.add(new ModelTerm(feature, t, mean, std, 0));
        }
        final int p = scaling.size();
        final double[][] z = new double[n][p + 1];
        final double[] y = new double[n];
        final double[] w = new double[n];
        final double wPos = settings.balanced() ? n / (2.0 * positives) : 1.0;
        final double wNeg = settings.balanced() ? n / (2.0 * (n - positives)) : 1.0;
        for (int i = 0; i < n; i++) {
            final int r = rows[i];
            z[i][0] = 1.0;
            for (int j = 0; j < p; j++) {
                final ModelTerm term = scaling.get(j);
                z[i][j + 1] = term.standardised(data.feature(r, term.feature().ordinal()), settings.clip());
            }
            y[i] = data.fraud(r) ? 1 : 0;
            w[i] = data.fraud(r) ? wPos : wNeg;
        }
        // 2. Newton / IRLS on the penalised, weighted log-likelihood (intercept not penalised)
        double[] beta = new double[p + 1];
        beta[0] = Math.log(positives * wPos / ((n - positives) * wNeg));
        int iterations = 0;
        boolean converged = false;
        while (iterations < settings.maxIterations() && !converged) {
            iterations++;
            final double[][] h = new double[p + 1][p + 1];
            final double[] g = new double[p + 1];
            for (int i = 0; i < n; i++) {
                final double[] zi = z[i];
                final double mu = LogisticModel.probability(dot(beta, zi));
                final double resid = w[i] * (y[i] - mu);
                final double curv = w[i] * Math.max(mu * (1 - mu), 1e-12);
                for (int a = 0; a <= p; a++) {
                    g[a] += resid * zi[a];
                    final double ca = curv * zi[a];
                    for (int b = 0; b <= a; b++) {
                        h[a][b] += ca * zi[b];
                    }
                }
            }
            for (int a = 0; a <= p; a++) {
                for (int b = 0; b < a; b++) {
                    h[b][a] = h[a][b];
                }
                if (a > 0) {
                    g[a] -= settings.l2() * beta[a];
                    h[a][a] += settings.l2();
                } else {
                    h[a][a] += 1e-9;
                }
            }
            final double[] step = solve(h, g);
            double largest = 0;
            for (int a = 0; a <= p; a++) {
                beta[a] += step[a];
                largest = Math.max(largest, Math.abs(step[a]));
            }
            converged = largest < settings.tolerance() * (1 + maxAbs(beta));
        }
        final List<ModelTerm> terms = new ArrayList<>(p);
        for (int j = 0; j < p; j++) {
            final ModelTerm s = scaling.get(j);
            terms.add(new ModelTerm(s.feature(), s.transform(), s.mean(), s.std(), beta[j + 1]));
        }
        final LogisticModel model = ModelFile.model(beta[0], settings.clip(), terms);
        return new Fit(model, iterations, converged, logLoss(z, y, w, beta), dropped);
    }

    private static double[] solve(final double[][] h, final double[] g) {
        final RealMatrix m = new Array2DRowRealMatrix(h, false);
        final RealVector v = new ArrayRealVector(g, false);
        DecompositionSolver solver;
        try {
            solver = new CholeskyDecomposition(m).getSolver();
        } catch (final NonPositiveDefiniteMatrixException e) {
            solver = new QRDecomposition(m).getSolver();
        }
        return solver.solve(v).toArray();
    }

    private static double logLoss(final double[][] z, final double[] y, final double[] w, final double[] beta) {
        double loss = 0;
        double total = 0;
        for (int i = 0; i < z.length; i++) {
            final double mu = Math.min(1 - 1e-15, Math.max(1e-15, LogisticModel.probability(dot(beta, z[i]))));
            loss -= w[i] * (y[i] == 1 ? Math.log(mu) : Math.log(1 - mu));
            total += w[i];
        }
        return loss / total;
    }

    private static double dot(final double[] a, final double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static double maxAbs(final double[] a) {
        double m = 0;
        for (final double v : a) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }
}
