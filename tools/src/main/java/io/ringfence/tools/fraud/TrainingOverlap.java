package io.ringfence.tools.fraud;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Which of the orders {@code evaluate} measures the model was trained on: a model file written by {@code train} names the
 * input's SHA-256 and its split ({@code training.inputSha256}, {@code training.split}); on that same input the orders its
 * training side selects are in-sample, and metrics over them flatter the model (data-scientist trial: {@code --holdout
 * 0.6} on a model trained with {@code --holdout 0.3}, {@code --from 50%} on one trained {@code --until 70%}, or no split
 * at all, each printed metrics without a word).
 */
final class TrainingOverlap {
    private static final TrainingOverlap NONE = new TrainingOverlap(null, null, null);

    private final Selection training;
    private final String inputSha256;
    private final String describe;

    private TrainingOverlap(final Selection training, final String inputSha256, final String describe) {
        this.training = training;
        this.inputSha256 = inputSha256;
        this.describe = describe;
    }

    /** Reads the training record of {@code modelFile} (null or unreadable: nothing is known, nothing is said). */
    static TrainingOverlap of(final String modelFile) {
        if (modelFile == null || modelFile.isBlank()) {
            return NONE;
        }
        try {
            final JsonNode t = new ObjectMapper().readTree(Path.of(modelFile).toFile()).path("training");
            final Selection s = Selection.trainingOf(t.get("split"));
            final String sha = t.path("inputSha256").asText(null);
            return s == null || sha == null ? NONE : new TrainingOverlap(s, sha, t.path("selection").asText(s.describe()));
        } catch (final IOException | RuntimeException e) {
            return NONE; // the engine has read the model already: a training record it cannot read is only not checked
        }
    }

    /** Whether the training split went by user (payments without a user are then their order's user's). */
    boolean byUser() {
        return training != null && training.byUser();
    }

    /** How many of {@code rows} the model was trained on, or -1 when that is not known (no record, another input). */
    long count(final ScoredEvents scored, final List<Integer> rows, final String evaluatedSha256) {
        if (training == null || !inputSha256.equals(evaluatedSha256)) {
            return -1;
        }
        long n = 0;
        for (final int i : rows) {
            if (training.selects(scored.user(i), scored.time(i))) {
                n++;
            }
        }
        return n;
    }

    /** Says on {@code err} what {@link #count} found. */
    void report(final long inTraining, final int evaluated, final String evaluatedSha256, final PrintStream err) {
        if (training == null) {
            return;
        }
        if (!inputSha256.equals(evaluatedSha256)) {
            err.println("ringfence evaluate: the model was trained on another input (training.inputSha256 " + inputSha256
                    + "): which of these orders it saw is not known here");
        } else if (inTraining > 0) {
            err.printf("ringfence evaluate: warning: %,d of the %,d evaluated orders/payments are in the model's training"
                    + " selection on this same input (%s): for them the figures are in-sample and flatter the model; %s%n",
                    inTraining, evaluated, describe, training.complementOption() == null
                    ? "a model trained on every labelled order has no held-out side here: train it with --holdout or --until"
                    : "evaluate its held-out side with " + training.complementOption());
        } else {
            err.printf("ringfence evaluate: none of the %,d evaluated orders/payments is in the model's training selection on"
                    + " this same input (%s)%n", evaluated, describe);
        }
    }
}
