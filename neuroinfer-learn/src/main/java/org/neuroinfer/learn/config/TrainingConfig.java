package org.neuroinfer.learn.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Locale;
import org.neuroinfer.learn.nn.NetworkSpec;

/**
 * A training file ({@code train CONFIG.yaml}): the network, which part of the data set it learns from and how it is
 * optimised. Every field has a default; the defaults are the benchmark's (Adam 1e-3, batch 32, 150 epochs, early
 * stopping after 50 epochs without improvement, about 81/9/10 % train/validation/test).
 *
 * @param network    the architecture
 * @param input      data selection and preprocessing
 * @param training   optimisation
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TrainingConfig(@JsonProperty("network") NetworkSpec network,
                             @JsonProperty("input") Input input,
                             @JsonProperty("training") Optimisation training) {

    @JsonCreator
    public TrainingConfig {
        network = (network == null ? NetworkSpec.of("bilstm") : network).withDefaults();
        input = input == null ? new Input(null, null, null) : input;
        training = training == null ? Optimisation.defaults() : training;
    }

    /** The defaults with {@code network}. */
    public static TrainingConfig of(NetworkSpec network) {
        return new TrainingConfig(network, null, null);
    }

    /**
     * Which recordings and parameters, and how inputs are reduced.
     *
     * @param conditions noise factors (or SNRs) to learn from; empty or missing for every condition
     * @param targets    parameter names to predict; missing for all of the data set's
     * @param decimate   block-mean decimation of the time axis (8 turns the benchmark's 1201 samples at 1 kHz into
     *                   150 at 125 Hz, which keeps the ERP and makes recurrent networks 8x faster)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Input(@JsonProperty("conditions") List<Double> conditions,
                        @JsonProperty("targets") List<String> targets,
                        @JsonProperty("decimate") Integer decimate) {
        @JsonCreator
        public Input {
            conditions = conditions == null ? List.of() : List.copyOf(conditions);
            targets = targets == null ? null : List.copyOf(targets);
            decimate = decimate == null ? 8 : decimate;
            if (decimate < 1) {
                throw new IllegalArgumentException("input.decimate must be >= 1, got " + decimate);
            }
        }
    }

    /**
     * Optimisation settings.
     *
     * @param epochs       maximum epochs
     * @param batchSize    examples per step
     * @param learningRate Adam's step size
     * @param schedule     constant, plateau (halve after {@code lrPatience} epochs without improvement) or cosine
     * @param lrPatience   plateau: epochs without improvement before halving
     * @param patience     early stopping: epochs without improvement before stopping (best weights restored)
     * @param loss         mse, or snr-db (the benchmark's: minus the SNR in dB of the prediction error)
     * @param validation   validation fraction
     * @param test         test fraction
     * @param weightDecay  decoupled weight decay (AdamW); 0 is plain Adam
     * @param clipNorm     clip the global gradient norm to this (0: no clipping)
     * @param seed         seed of the split, initial weights, order of examples and dropout
     * @param device       cpu, cuda, cuda:N or auto
     * @param ema          if set, in (0, 1): validate and keep an exponential moving average of the weights, updated
     *                     after every step with this decay (Polyak averaging), instead of the weights themselves
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Optimisation(@JsonProperty("epochs") Integer epochs,
                               @JsonProperty("batch_size") Integer batchSize,
                               @JsonProperty("learning_rate") Double learningRate,
                               @JsonProperty("schedule") String schedule,
                               @JsonProperty("lr_patience") Integer lrPatience,
                               @JsonProperty("patience") Integer patience,
                               @JsonProperty("loss") String loss,
                               @JsonProperty("validation") Double validation,
                               @JsonProperty("test") Double test,
                               @JsonProperty("weight_decay") Double weightDecay,
                               @JsonProperty("clip_norm") Double clipNorm,
                               @JsonProperty("seed") Long seed,
                               @JsonProperty("device") String device,
                               @JsonProperty("ema") Double ema) {
        /** Schedules there are. */
        public static final List<String> SCHEDULES = List.of("constant", "plateau", "cosine");
        /** Losses there are. */
        public static final List<String> LOSSES = List.of("mse", "snr-db");

        @JsonCreator
        public Optimisation {
            epochs = positive("training.epochs", epochs == null ? 150 : epochs);
            batchSize = positive("training.batch_size", batchSize == null ? 32 : batchSize);
            learningRate = learningRate == null ? 1e-3 : learningRate;
            if (!(learningRate > 0 && learningRate < 10)) {
                throw new IllegalArgumentException("training.learning_rate must be in (0, 10), got " + learningRate);
            }
            schedule = oneOf("training.schedule", schedule == null ? "constant" : schedule, SCHEDULES);
            lrPatience = positive("training.lr_patience", lrPatience == null ? 10 : lrPatience);
            patience = positive("training.patience", patience == null ? 50 : patience);
            loss = oneOf("training.loss", loss == null ? "mse" : loss, LOSSES);
            validation = validation == null ? 0.09 : validation;
            test = test == null ? 0.10 : test;
            if (!(validation > 0 && test > 0 && validation + test < 1)) {
                throw new IllegalArgumentException("training.validation and training.test must be > 0 with a sum "
                        + "below 1, got " + validation + " and " + test);
            }
            weightDecay = weightDecay == null ? 0.0 : weightDecay;
            if (!(weightDecay >= 0)) {
                throw new IllegalArgumentException("training.weight_decay must be >= 0, got " + weightDecay);
            }
            clipNorm = clipNorm == null ? 0.0 : clipNorm;
            if (!(clipNorm >= 0)) {
                throw new IllegalArgumentException("training.clip_norm must be >= 0 (0: off), got " + clipNorm);
            }
            seed = seed == null ? 0L : seed;
            device = device == null ? "cpu" : device;
            if (ema != null && !(ema > 0 && ema < 1)) {
                throw new IllegalArgumentException("training.ema must be in (0, 1) (or absent: off), got " + ema);
            }
        }

        /** These settings with {@code epochs} epochs. */
        public Optimisation withEpochs(int epochs) {
            return new Optimisation(epochs, batchSize, learningRate, schedule, lrPatience, patience, loss, validation,
                    test, weightDecay, clipNorm, seed, device, ema);
        }

        /** Every default. */
        public static Optimisation defaults() {
            return org.neuroinfer.io.YamlFiles.of(java.util.Map.of(), Optimisation.class);
        }

        private static int positive(String field, int v) {
            if (v < 1) {
                throw new IllegalArgumentException(field + " must be >= 1, got " + v);
            }
            return v;
        }

        private static String oneOf(String field, String v, List<String> valid) {
            String s = v.trim().toLowerCase(Locale.ROOT).replace('_', '-');
            if (!valid.contains(s)) {
                throw new IllegalArgumentException(field + ": '" + v + "' is not one of " + String.join(", ", valid));
            }
            return s;
        }
    }
}
