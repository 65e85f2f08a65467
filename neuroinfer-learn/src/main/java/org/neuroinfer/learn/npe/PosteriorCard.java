package org.neuroinfer.learn.npe;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.neuroinfer.learn.store.Fingerprint;
import org.neuroinfer.learn.store.ModelCard;

/**
 * {@code model.json} of a trained posterior estimator: what it reads, the parameters, their normalisation and
 * prior support, how it was trained, and the statistics of the training embeddings used to flag observations
 * unlike the training data.
 *
 * @param format        always {@code neuroinfer-posterior}
 * @param formatVersion layout version
 * @param estimator     the estimator and embedding
 * @param input         what it reads and its normalisation
 * @param targets       the parameters, and the normalisation of the space the density is learned in (after the
 *                      estimator's bounds transform)
 * @param support       the prior's support per parameter
 * @param training      the training configuration
 * @param provenance    how and from what it was made
 * @param embedding     statistics of the embeddings of the training split
 * @param dropped       simulations left out because they held NaN or Inf
 * @param weightsSha256 SHA-256 of {@code weights.npz}
 * @param fingerprint   the network's log densities on a fixed probe input when saved (absent in older files)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PosteriorCard(@JsonProperty("format") String format,
                            @JsonProperty("format_version") int formatVersion,
                            @JsonProperty("estimator") EstimatorSpec estimator,
                            @JsonProperty("input") ModelCard.InputSpec input,
                            @JsonProperty("targets") ModelCard.TargetSpec targets,
                            @JsonProperty("support") Support support,
                            @JsonProperty("training") NpeConfig training,
                            @JsonProperty("provenance") ModelCard.Provenance provenance,
                            @JsonProperty("embedding") EmbeddingStats embedding,
                            @JsonProperty("dropped") int dropped,
                            @JsonProperty("weights_sha256") String weightsSha256,
                            @JsonProperty("fingerprint") Fingerprint fingerprint) {
    /** The format name. */
    public static final String FORMAT = "neuroinfer-posterior";
    /**
     * The newest layout this version writes and reads. Version 2 added {@code estimator.bounds}; version 1 files
     * learned θ as it is ({@code reject}).
     */
    public static final int FORMAT_VERSION = 2;

    /**
     * The prior's support: a box, each side possibly open (null), and optionally each parameter's prior family
     * (as {@link org.neuroinfer.param.Prior#named(String)} knows them; null where unknown), which the bounds
     * transform uses.
     *
     * @param lower lower bound per parameter, null for none
     * @param upper upper bound per parameter, null for none
     * @param prior prior family per parameter, or null
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Support(@JsonProperty("lower") List<Double> lower, @JsonProperty("upper") List<Double> upper,
                          @JsonProperty("prior") List<String> prior) {
        /** A box without prior families. */
        public Support(List<Double> lower, List<Double> upper) {
            this(lower, upper, null);
        }

        /** This box with the prior family of each parameter. */
        public Support withPriors(List<String> families) {
            if (families.size() != lower.size()) {
                throw new IllegalArgumentException(families.size() + " prior families for " + lower.size()
                        + " parameters");
            }
            return new Support(lower, upper, families);
        }

        /** The whole space for {@code p} parameters. */
        public static Support unbounded(int p) {
            List<Double> none = new ArrayList<>();
            for (int j = 0; j < p; j++) {
                none.add(null);
            }
            return new Support(none, none);
        }

        /** The box [lower, upper]; infinite bounds become open sides. */
        public static Support box(double[] lower, double[] upper) {
            List<Double> lo = new ArrayList<>();
            List<Double> hi = new ArrayList<>();
            for (int j = 0; j < lower.length; j++) {
                if (!(lower[j] < upper[j])) {
                    throw new IllegalArgumentException("prior support of parameter " + j + " is empty: [" + lower[j]
                            + ", " + upper[j] + "]");
                }
                lo.add(Double.isInfinite(lower[j]) ? null : lower[j]);
                hi.add(Double.isInfinite(upper[j]) ? null : upper[j]);
            }
            return new Support(lo, hi);
        }

        /** Whether {@code theta} lies inside. */
        public boolean contains(double[] theta) {
            for (int j = 0; j < theta.length; j++) {
                Double lo = lower.get(j);
                Double hi = upper.get(j);
                if ((lo != null && theta[j] < lo) || (hi != null && theta[j] > hi) || Double.isNaN(theta[j])) {
                    return false;
                }
            }
            return true;
        }
    }

    /**
     * Where the training embeddings lie: their mean and (diagonal or full) precision, for the Mahalanobis distance
     * of a new observation's embedding, and the 99.9th percentile of that distance over the validation split.
     *
     * @param mean      mean embedding
     * @param precision inverse covariance, row-major E×E, or its diagonal (E values) when {@code diagonal}
     * @param diagonal  whether only the diagonal is kept (large embeddings)
     * @param threshold distance beyond which an observation is flagged
     */
    public record EmbeddingStats(@JsonProperty("mean") double[] mean, @JsonProperty("precision") double[] precision,
                                 @JsonProperty("diagonal") boolean diagonal,
                                 @JsonProperty("threshold") double threshold) {
        /** The Mahalanobis distance of embedding {@code e}. */
        public double distance(double[] e) {
            int n = mean.length;
            double[] d = new double[n];
            for (int i = 0; i < n; i++) {
                d[i] = e[i] - mean[i];
            }
            double s = 0;
            for (int i = 0; i < n; i++) {
                if (diagonal) {
                    s += d[i] * d[i] * precision[i];
                } else {
                    for (int j = 0; j < n; j++) {
                        s += d[i] * precision[i * n + j] * d[j];
                    }
                }
            }
            return Math.sqrt(Math.max(0, s));
        }
    }

    /** Writes {@code dir/model.json} atomically. */
    public void write(Path dir) throws IOException {
        ModelCard.write(dir, this);
    }

    /** Reads {@code dir/model.json}, refusing another format or a newer version. */
    public static PosteriorCard read(Path dir) throws IOException {
        PosteriorCard c = ModelCard.read(dir, PosteriorCard.class, FORMAT, FORMAT_VERSION, PosteriorCard::format,
                PosteriorCard::formatVersion);
        if (c.input() == null || c.targets() == null || c.estimator() == null || c.support() == null) {
            throw new IOException(dir.resolve(ModelCard.FILE) + ": incomplete posterior file (input, targets, "
                    + "estimator and support are required)");
        }
        if (c.formatVersion() < 2) {
            c = new PosteriorCard(c.format, c.formatVersion, c.estimator.withBounds(EstimatorSpec.REJECT), c.input,
                    c.targets, c.support, c.training, c.provenance, c.embedding, c.dropped, c.weightsSha256,
                    c.fingerprint);
        }
        return c;
    }

    /** This card with the weights' checksum and a fingerprint. */
    PosteriorCard withWeights(String sha, Fingerprint print) {
        return new PosteriorCard(format, formatVersion, estimator, input, targets, support, training, provenance,
                embedding, dropped, sha, print);
    }
}
