package io.ringfence.tools.fraud;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.ringfence.engine.config.EngineConfig;
import io.ringfence.engine.config.EngineConfigLoader;
import io.ringfence.engine.fraud.FraudSpec;
import io.ringfence.tools.RingfenceMain;
import io.ringfence.tools.io.OutputFiles;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code evaluate}: streams every event of a labelled file through the real engine with a model
 * (and the configured rules) and reports, over the held-out labelled orders, how well the
 * engine's decisions separate fraud: {@link EvaluationReport}. Without a model it measures the
 * rules alone, which is the baseline a model has to beat. With {@code --thresholds} or
 * {@code --target-fpr} it adds the model score's {@link OperatingPoints} from the same scores.
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Scores labelled events with the real engine (model + rules) and reports how well.",
                "ROC AUC, PR AUC, precision/recall and a confusion matrix at the review and",
                "decline thresholds, overall and per month, over the held-out labelled orders",
                "(--from T or --holdout F; every labelled order otherwise).",
                "--thresholds and --target-fpr add what thresholds on the model score alone",
                "would flag, to set reviewAt and declineAt."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:report written", "1:runtime failure", "2:bad usage, bad configuration or model, missing input, nothing to evaluate",
            "130/143:stopped by Ctrl-C / SIGTERM (nothing evaluated; the scratch journal and partial --out are deleted)"})
public final class EvaluateCommand implements Callable<Integer> {
    @Option(names = "--input", required = true, paramLabel = "LABELLED.jsonl", description = "events with label 0/1 on orders (and payments), in time order")
    Path input;

    @Option(names = "--model", paramLabel = "MODEL.json", description = "model file from train (default: the configuration's fraud.model; none = rules only)")
    Path model;

    @Option(names = "--config", paramLabel = "FILE.yaml", description = "engine configuration: rules, thresholds, feature state")
    Path config;

    @ArgGroup(exclusive = true)
    Split split;

    /** --from or --holdout. */
    static final class Split {
        @Option(names = "--from", paramLabel = "TIME", description = "evaluate labelled orders at or after TIME (as train --until: time, date or N%%)")
        String from;

        @Option(names = "--holdout", paramLabel = "F", converter = Fraction.class,
                description = "evaluate only the users whose hash bucket is below F, 0.3 or 30%% (those train --holdout F left out)")
        Double holdout;
    }

    @Option(names = "--json", description = "print the report as one JSON object on stdout")
    boolean json;

    @Option(names = "--thresholds", paramLabel = "T[,T...]", description = "also show what each threshold on the model score alone would flag: precision, recall, false-positive rate (thresholds in [0, 1])")
    String thresholds;

    @Option(names = "--target-fpr", paramLabel = "F", description = "also show the lowest model-score threshold whose false-positive rate is at most F (0 <= F < 1, e.g. 0.01)")
    Double targetFpr;

    @Option(names = "--data", paramLabel = "DIR", description = "keep the journal here (replay/explain it later); must not hold a journal yet")
    Path data;

    @Option(names = "--out", paramLabel = "FILE.jsonl", description = "also write the engine's outputs (decisions with scores, pushes) as JSON Lines")
    String out;

    @Override
    public Integer call() throws IOException {
        final Selection selection;
        try {
            selection = split == null ? Selection.all()
                    : split.from != null ? Selection.time(split.from, true) : Selection.holdout(split.holdout, true);
        } catch (final IllegalArgumentException e) {
            System.err.println("ringfence evaluate: " + e.getMessage());
            return RingfenceMain.EXIT_USAGE;
        }
        final double[] thresholdList;
        try {
            thresholdList = thresholds == null ? new double[0] : parseThresholds(thresholds);
            if (targetFpr != null && !(targetFpr >= 0 && targetFpr < 1)) {
                throw new IllegalArgumentException("--target-fpr " + targetFpr + ": must be at least 0 and below 1 (a false-positive rate, e.g. 0.01)");
            }
        } catch (final IllegalArgumentException e) {
            System.err.println("ringfence evaluate: " + e.getMessage());
            return RingfenceMain.EXIT_USAGE;
        }
        final String unreadable = OutputFiles.unreadableInput("--input", input);
        if (unreadable != null) {
            System.err.println("ringfence evaluate: " + unreadable);
            return RingfenceMain.EXIT_USAGE;
        }
        String clash = OutputFiles.sameAsInput("--out", out, "--input", input);
        clash = clash != null ? clash : OutputFiles.sameAsAnyOf("--out", out, "--model", model, "--config", config);
        clash = clash != null ? clash : OutputFiles.insideData("--out", out, "--data", data);
        if (clash != null) {
            System.err.println("ringfence evaluate: " + clash);
            return RingfenceMain.EXIT_USAGE;
        }
        final EngineConfig engineConfig = EngineConfigLoader.load(config);
        if (model != null) {
            engineConfig.fraud.model = model.toString();
        }
        try {
            engineConfig.validate();
        } catch (final io.ringfence.engine.config.ConfigException e) { // with its file and line, as run's (review LOW)
            throw new io.ringfence.engine.config.ConfigException(model != null && e.field() != null
                && e.field().startsWith("fraud.model") ? "--model " + model + ": " + e.getMessage()
                : EngineConfigLoader.locate(config, e));
        }
        if (model != null) { // the model of --model, not the file's fraud.model (review)
            engineConfig.requireDistinctReasons(config); // the configuration's, named with its line (review)
            try {
                engineConfig.requireModelFeatures();
            } catch (final io.ringfence.engine.config.ConfigException e) {
                throw new io.ringfence.engine.config.ConfigException("--model " + model + ": " + e.getMessage());
            }
        } else {
            engineConfig.requireModelFeatures(config);
        }
        ModelSettings.warn("evaluate", engineConfig, System.err);
        final FraudSpec spec = engineConfig.fraudSpec();
        if (!spec.enabled()) {
            System.err.println("ringfence evaluate: fraud.enabled is false in " + config + ": nothing would be scored");
            return RingfenceMain.EXIT_USAGE;
        }
        if (data != null && Files.isDirectory(data) && io.ringfence.tools.run.RunCommand.existingEvents(data, engineConfig) > 0) {
            System.err.println("ringfence evaluate: " + data + " already holds a journal; use a new --data directory");
            return RingfenceMain.EXIT_USAGE;
        }
        final boolean operatingPoints = thresholds != null || targetFpr != null;
        if (operatingPoints && !spec.model().present()) {
            System.err.println("ringfence evaluate: --thresholds and --target-fpr measure the model score, and there is no model"
                    + " (give --model MODEL.json or fraud.model)");
            return RingfenceMain.EXIT_USAGE;
        }
        final TrainingOverlap trained = TrainingOverlap.of(engineConfig.fraud.model);
        final ScoredEvents scored = new ScoredEvents(false, selection.byUser() || trained.byUser());
        final ScoredRun.Result run;
        try (OutputStream os = out == null ? null : OutputFiles.openWhole(out, "evaluate")) { // an old file stays until done
            run = ScoredRun.run("evaluate", engineConfig, new io.ringfence.tools.io.RecordedConfig.Origin(config, null), input,
                    data, os, scored, System.err);
            if (os != null) {
                OutputFiles.complete(os);
            }
        }
        selection.resolve(scored.times(), scored.size());
        final List<Integer> rows = new ArrayList<>();
        for (int i = 0; i < scored.size(); i++) {
            if (selection.selects(scored.user(i), scored.time(i))) {
                rows.add(i);
            }
        }
        final String modelId = spec.model().id();
        System.err.printf("ringfence evaluate: model %s, rules %d; %,d events through the engine in %.1f s; %,d labelled orders/payments, %,d evaluated: %s%n",
                spec.model().present() ? modelId : "none (rules only)", spec.rules().rules().size(), run.events(), run.seconds(),
                scored.size(), rows.size(), selection.describe());
        final String share = selection.shareNote(rows.size(), scored.size());
        if (share != null) {
            System.err.println("ringfence evaluate: " + share);
        }
        scored.reportPaymentsWithoutUser("evaluate", System.err);
        if (scored.labelledNotScored() > 0) {
            System.err.printf("ringfence evaluate: %,d labelled refunds or chargebacks left out: they are not scored (money going back)%n",
                    scored.labelledNotScored());
        }
        scored.reportRepeats("evaluate", System.err);
        final long inTraining = trained.count(scored, rows, run.inputSha256());
        trained.report(inTraining, rows.size(), run.inputSha256(), System.err);
        if (rows.isEmpty()) {
            System.err.println("ringfence evaluate: no labelled orders to evaluate"
                    + (scored.size() == 0 ? " (" + input + " has none: orders need \"label\": 0 or 1)" : " in this selection"));
            return RingfenceMain.EXIT_USAGE;
        }
        final EvaluationReport report = EvaluationReport.of(scored, rows);
        final double reviewAt = spec.rules().reviewAt();
        final double declineAt = spec.rules().declineAt();
        final List<OperatingPoints.Point> points = operatingPoints ? points(scored, rows, thresholdList) : List.of();
        if (json) {
            final Map<String, Object> m = new LinkedHashMap<>();
            m.put("model", spec.model().present() ? modelId : null);
            m.put("selection", selection.describe());
            m.put("labelled", scored.size());
            m.put("inTraining", inTraining < 0 ? null : inTraining); // evaluated orders the model was trained on (same input)
            m.putAll(report.json(reviewAt, declineAt, spec.model().present())); // no model: its figures null, not 0.5
            if (operatingPoints) {
                m.put("operatingPoints", points.stream().map(OperatingPoints.Point::json).toList());
            }
            final ObjectMapper mapper = new ObjectMapper();
            System.out.println(mapper.writeValueAsString(m));
        } else {
            System.out.print(report.text(reviewAt, declineAt, spec.model().present()));
            if (operatingPoints) {
                System.out.print(OperatingPoints.text(points));
            }
        }
        if (data != null) {
            System.err.println("  journal: " + data + "   explain an order: ./ringfence explain --data " + data + " --order ID"
                    + "   (it recorded its configuration and model there)");
        }
        return RingfenceMain.EXIT_OK;
    }

    private List<OperatingPoints.Point> points(final ScoredEvents scored, final List<Integer> rows, final double[] at) {
        final double[] modelScores = new double[rows.size()];
        final boolean[] fraud = new boolean[rows.size()];
        for (int k = 0; k < rows.size(); k++) {
            modelScores[k] = scored.modelScore(rows.get(k));
            fraud[k] = scored.fraud(rows.get(k));
        }
        final OperatingPoints op = new OperatingPoints(modelScores, fraud);
        final List<OperatingPoints.Point> points = new ArrayList<>(op.at(at));
        if (targetFpr != null) {
            points.add(op.forTargetFpr(targetFpr));
        }
        return points;
    }

    /** "0.5,0.8,0.95": thresholds in [0, 1], ascending and without repeats. */
    static double[] parseThresholds(final String text) {
        final String[] parts = text.split(",", -1);
        final double[] t = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            final String p = parts[i].strip();
            try {
                t[i] = Double.parseDouble(p);
            } catch (final NumberFormatException e) {
                throw new IllegalArgumentException("--thresholds '" + text + "': '" + p + "' is not a number (give scores in [0, 1], e.g. 0.5,0.8,0.95)");
            }
            if (!(t[i] >= 0 && t[i] <= 1)) {
                throw new IllegalArgumentException("--thresholds '" + text + "': " + p + " is not in [0, 1] (a threshold on the model score)");
            }
        }
        return java.util.Arrays.stream(t).sorted().distinct().toArray();
    }
}
