package io.ringfence.tools.fraud;

import io.ringfence.engine.config.EngineConfig;
import io.ringfence.engine.config.EngineConfigLoader;
import io.ringfence.engine.fraud.Feature;
import io.ringfence.engine.fraud.LogisticModel;
import io.ringfence.engine.fraud.ModelFile;
import io.ringfence.engine.fraud.ModelTerm;
import io.ringfence.tools.RingfenceMain;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code train}: fits the fraud model. Streams every event of a labelled file through the real
 * engine (so features are exactly the ones the engine computes live, from earlier events only),
 * keeps the labelled orders and payments of the training selection, and fits a logistic
 * regression ({@link LogisticTrainer}) into a model file for {@code fraud.model}.
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Fits the fraud model (logistic regression) on labelled events.",
                "L2-regularised, class-balanced by default. Every event goes through the real engine; the labelled",
                "orders and payments of the training selection (all, --until T, or the users",
                "outside the --holdout bucket) are fitted. Writes a model file for fraud.model."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:model written", "1:runtime failure", "2:bad usage, bad configuration, missing input or no usable labels",
            "130/143:stopped by Ctrl-C / SIGTERM (nothing trained; the scratch journal is deleted)"})
public final class TrainCommand implements Callable<Integer> {
    @Option(names = "--input", required = true, paramLabel = "LABELLED.jsonl", description = "events with label 0/1 on orders (and payments), in time order")
    Path input;

    @Option(names = "--out", required = true, paramLabel = "MODEL.json", description = "the model file to write")
    Path out;

    @Option(names = "--config", paramLabel = "FILE.yaml", description = "engine configuration (feature state settings; its model, if any, is not used)")
    Path config;

    @ArgGroup(exclusive = true)
    Split split;

    /** --until or --holdout. */
    static final class Split {
        @Option(names = "--until", paramLabel = "TIME", description = "train on labelled orders before TIME: 2015-06-01T00:00:00Z, 2015-06-01 or 70%% (of the labelled orders in time order)")
        String until;

        @Option(names = "--holdout", paramLabel = "F", converter = Fraction.class,
                description = "leave out the users whose hash bucket is below F (e.g. 0.3 or 30%%); evaluate --holdout F scores exactly those")
        Double holdout;
    }

    @Option(names = "--l2", paramLabel = "LAMBDA", defaultValue = "1.0", description = "L2 penalty on the standardised weights (default ${DEFAULT-VALUE})")
    double l2;

    @Option(names = "--class-weight", paramLabel = "balanced|none", defaultValue = "balanced",
            description = "balanced: fraud and legitimate orders weigh the same in total (default); none: every order weighs 1")
    String classWeight;

    @Option(names = "--data", paramLabel = "DIR", description = "keep the journal of the run here (default: a temporary directory, removed)")
    Path data;

    @Override
    public Integer call() throws IOException {
        final Selection selection;
        final boolean balanced;
        try {
            selection = split == null ? Selection.all()
                    : split.until != null ? Selection.time(split.until, false) : Selection.holdout(split.holdout, false);
            balanced = switch (classWeight.toLowerCase(Locale.ROOT)) {
                case "balanced" -> true;
                case "none" -> false;
                default -> throw new IllegalArgumentException("--class-weight '" + classWeight + "': use balanced or none");
            };
            if (!(l2 >= 0) || Double.isInfinite(l2)) { // checked before streaming the input, not after (model trial)
                throw new IllegalArgumentException("--l2 must be a finite number >= 0, not " + l2);
            }
        } catch (final IllegalArgumentException e) {
            System.err.println("ringfence train: " + e.getMessage());
            return RingfenceMain.EXIT_USAGE;
        }
        final String unreadable = io.ringfence.tools.io.OutputFiles.unreadableInput("--input", input);
        if (unreadable != null) {
            System.err.println("ringfence train: " + unreadable);
            return RingfenceMain.EXIT_USAGE;
        }
        // before training: a directory was found only when the model was written, after the whole run (review LOW)
        io.ringfence.tools.io.OutputFiles.refuseDirectory(out.toString());
        String clash = io.ringfence.tools.io.OutputFiles.sameAsInput("--out", out.toString(), "--input", input);
        clash = clash != null ? clash : io.ringfence.tools.io.OutputFiles.sameAsAnyOf("--out", out.toString(), "--config", config);
        if (clash != null) {
            System.err.println("ringfence train: " + clash);
            return RingfenceMain.EXIT_USAGE;
        }
        final EngineConfig engineConfig = EngineConfigLoader.load(config);
        engineConfig.fraud.model = null;
        engineConfig.fraud.enabled = true;
        try {
            engineConfig.validate();
        } catch (final io.ringfence.engine.config.ConfigException e) { // with its file and line, as run's (review LOW)
            throw new io.ringfence.engine.config.ConfigException(EngineConfigLoader.locate(config, e));
        }
        if (data != null && Files.isDirectory(data) && io.ringfence.tools.run.RunCommand.existingEvents(data, engineConfig) > 0) {
            // as evaluate refuses it (data-scientist trial, HIGH: train appended its events to an evaluation's journal and
            // replaced its recorded configuration and model, so explain and replay of that evaluation changed their answers)
            System.err.println("ringfence train: " + data + " already holds a journal; use a new --data directory");
            return RingfenceMain.EXIT_USAGE;
        }
        final ScoredEvents scored = new ScoredEvents(true, selection.byUser());
        final ScoredRun.Result run = ScoredRun.run("train", engineConfig, new io.ringfence.tools.io.RecordedConfig.Origin(config, null), input,
                data, null, scored, System.err);
        selection.resolve(scored.times(), scored.size());
        final List<Integer> picked = new ArrayList<>();
        int positives = 0;
        for (int i = 0; i < scored.size(); i++) {
            if (selection.selects(scored.user(i), scored.time(i))) {
                picked.add(i);
                positives += scored.fraud(i) ? 1 : 0;
            }
        }
        System.err.printf("ringfence train: %,d events through the engine in %.1f s; %,d labelled orders/payments, %,d selected (%s), %,d fraud%n",
                run.events(), run.seconds(), scored.size(), picked.size(), selection.describe(), positives);
        final String share = selection.shareNote(picked.size(), scored.size());
        if (share != null) {
            System.err.println("ringfence train: " + share);
        }
        scored.reportPaymentsWithoutUser("train", System.err);
        if (scored.labelledNotScored() > 0) {
            System.err.printf("ringfence train: %,d labelled refunds or chargebacks left out: they are not scored (money going back)%n",
                    scored.labelledNotScored());
        }
        scored.reportRepeats("train", System.err);
        if (positives == 0 || positives == picked.size()) {
            System.err.println("ringfence train: the selected orders need both fraud (label 1) and legitimate (label 0) ones to fit a model"
                    + (scored.size() == 0 ? "; " + input + " has no labelled orders or payments (\"label\": 0 or 1)" : ""));
            return RingfenceMain.EXIT_USAGE;
        }
        // fitted in (event time, id) order, not input order: the sums of the fit then do not depend on how rows of one time
        // were ordered in the file (data-scientist trial LOW: a PaySim file with each step's rows reversed gave the same
        // rows and a model ~1e-14 apart, so another id); a tie of both goes by engine sequence
        picked.sort(java.util.Comparator.<Integer>comparingLong(scored::time).thenComparing(scored::id)
                .thenComparingLong(scored::sequence));
        final int[] rows = picked.stream().mapToInt(Integer::intValue).toArray();
        final LogisticTrainer.Fit fit;
        try {
            final LogisticTrainer.Settings defaults = LogisticTrainer.Settings.defaults();
            fit = new LogisticTrainer(new LogisticTrainer.Settings(l2, balanced, defaults.clip(), defaults.maxIterations(),
                    defaults.tolerance())).fit(scored, rows);
        } catch (final IllegalArgumentException e) {
            final boolean singular = e instanceof org.apache.commons.math3.linear.SingularMatrixException
                    || e instanceof org.apache.commons.math3.linear.NonPositiveDefiniteMatrixException;
            System.err.println("ringfence train: " + e.getMessage() + (singular
                    ? " (a Newton step could not be solved: features that move together or separate the classes perfectly,"
                    + " which an L2 penalty above 0 handles: --l2 " + (l2 > 0 ? l2 * 10 : 1.0) + ")" : ""));
            return RingfenceMain.EXIT_USAGE;
        }
        final double[] s = new double[rows.length];
        final boolean[] y = new boolean[rows.length];
        final double[] contributions = new double[Feature.COUNT];
        final io.ringfence.engine.fraud.FeatureVector v = new io.ringfence.engine.fraud.FeatureVector();
        for (int i = 0; i < rows.length; i++) {
            for (int f = 0; f < Feature.COUNT; f++) {
                v.set(Feature.at(f), scored.feature(rows[i], f));
            }
            s[i] = fit.model().score(v, contributions);
            y[i] = scored.fraud(rows[i]);
        }
        final double trainAuc = BinaryMetrics.rocAuc(s, y);
        final Map<String, Object> training = new LinkedHashMap<>();
        training.put("input", input.getFileName().toString());
        training.put("inputSha256", run.inputSha256()); // evaluate tells the orders it was trained on from the others
        training.put("selection", selection.describe());
        training.put("split", selection.splitJson());
        training.put("orders", rows.length);
        training.put("positives", positives);
        training.put("l2", l2);
        training.put("classWeight", balanced ? "balanced" : "none");
        training.put("iterations", fit.iterations());
        training.put("converged", fit.converged());
        training.put("logLoss", fit.logLoss());
        training.put("trainRocAuc", trainAuc);
        training.put("dropped", fit.dropped().stream().map(Feature::featureName).toList());
        // the settings its features were computed under: run, server and evaluate warn when a configuration differs
        training.put("featureSettings", ModelSettings.asMap(engineConfig));
        final Path parent = out.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        ModelFile.write(out, fit.model(), training);
        print(fit, trainAuc);
        for (final String warning : warnings(fit, rows.length, positives)) {
            System.err.println("ringfence train: warning: " + warning);
        }
        System.err.println("  model: " + out + " (" + fit.model().id() + ")");
        // absolute: a relative fraud.model is read from the configuration file's directory, not from here
        System.err.println("  use it: fraud.model: " + out.toAbsolutePath().normalize() + " in the configuration, or evaluate it:");
        System.err.println("    ./ringfence evaluate" + (config == null ? "" : " --config " + config) + " --input " + input + " --model " + out
                + (split == null ? "" : split.until != null ? " --from " + split.until : " --holdout " + split.holdout));
        return RingfenceMain.EXIT_OK;
    }

    /** Fewest fraud and legitimate orders below which the fit's figures mean little (written anyway, with a warning). */
    static final int FEW = 30;

    /**
     * What makes a written model doubtful (model trial: 2 orders gave "training ROC AUC 1.0000", a
     * file without feature spread an intercept-only model, and a fit that did not converge was
     * written, all with exit 0 and nothing but "(NOT converged)" to say so).
     */
    static List<String> warnings(final LogisticTrainer.Fit fit, final int rows, final int positives) {
        final List<String> w = new ArrayList<>();
        if (positives < FEW || rows - positives < FEW) {
            w.add(String.format("only %,d fraud and %,d legitimate orders/payments were trained on (fewer than %d of a class):"
                    + " the weights and the training ROC AUC mean little", positives, rows - positives, FEW));
        }
        if (fit.model().terms().isEmpty()) {
            w.add("no feature varies in the selection: the model is its intercept alone and scores every order the same");
        } else {
            // a penalty that flattens every weight (data-scientist trial: --l2 1e308 wrote a model of training ROC AUC 0.5)
            final double largest = fit.model().terms().stream().mapToDouble(t -> Math.abs(t.weight())).max().orElse(0);
            if (largest * fit.model().clip() < 1e-3) {
                w.add(String.format("every weight is below %.1e per standard deviation: the model scores every order nearly"
                        + " the same (its log-odds move by less than 0.001 over the clip of %s standard deviations); a smaller"
                        + " --l2 lets the features count", largest, io.ringfence.engine.codec.PlainNumbers.plain(fit.model().clip())));
            }
        }
        if (!fit.converged()) {
            w.add("the fit did not converge in " + fit.iterations() + " Newton steps: the weights are not the optimum"
                    + " (a larger --l2 usually helps)");
        }
        return w;
    }

    private static void print(final LogisticTrainer.Fit fit, final double trainAuc) {
        final LogisticModel m = fit.model();
        System.err.printf("  fit: %d Newton steps%s, weighted log-loss %.4f, training ROC AUC %.4f, %d features used%s%n",
                fit.iterations(), fit.converged() ? "" : " (NOT converged)", fit.logLoss(), trainAuc, m.terms().size(),
                fit.dropped().isEmpty() ? "" : ", " + fit.dropped().size() + " without spread left out");
        System.err.println("  largest weights (per standard deviation of the transformed feature):");
        final List<ModelTerm> terms = new ArrayList<>(m.terms());
        terms.sort(Comparator.comparingDouble((ModelTerm t) -> -Math.abs(t.weight())).thenComparing(t -> t.feature().ordinal()));
        for (int i = 0; i < Math.min(10, terms.size()); i++) {
            final ModelTerm t = terms.get(i);
            System.err.printf("    %+8.4f  %s%s%n", t.weight(), t.feature().featureName(),
                    t.transform() == io.ringfence.engine.fraud.FeatureTransform.LOG1P ? " (log1p)" : "");
        }
    }
}
