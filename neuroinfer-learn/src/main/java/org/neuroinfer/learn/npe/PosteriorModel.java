package org.neuroinfer.learn.npe;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.rng.UniformRandomProvider;
import org.neuroinfer.learn.Standardiser;
import org.neuroinfer.learn.store.Fingerprint;
import org.neuroinfer.learn.store.ModelCard;
import org.neuroinfer.learn.store.TrainedModel;
import org.neuroinfer.learn.torch.TorchRuntime;
import org.neuroinfer.random.RandomStreams;

/**
 * A trained posterior estimator q(θ | x): draws from the posterior of a recording (rejecting draws outside the
 * prior's support), its log density, and the Mahalanobis distance of a recording's embedding from the training
 * data. Saved as a folder with {@code model.json} ({@link PosteriorCard}) and {@code weights.npz}.
 */
public final class PosteriorModel implements TrainedModel {
    private static final int BATCH = 256;
    /** Proposals per accepted draw beyond which sampling gives up (acceptance below 0.1 %). */
    private static final int MAX_PROPOSALS_PER_DRAW = 1000;
    private final PosteriorCard card;
    private final PosteriorNetwork network;
    private final NDManager manager;
    private final Standardiser inputScale;
    private final Standardiser targetScale;
    private final BoundsTransform bounds;

    /**
     * Draws from a posterior.
     *
     * @param theta    the accepted draws, in the parameters' units
     * @param proposed draws made, accepted or not
     */
    public record Draws(double[][] theta, long proposed) {
        /** The fraction of draws inside the prior's support. */
        public double acceptance() {
            return theta.length / (double) proposed;
        }
    }

    PosteriorModel(PosteriorCard card, PosteriorNetwork network, NDManager manager) {
        this.card = card;
        this.network = network;
        this.manager = manager;
        this.inputScale = new Standardiser(card.input().mean(), card.input().sd());
        this.targetScale = new Standardiser(card.targets().mean(), card.targets().sd());
        this.bounds = BoundsTransform.of(card.support(), card.estimator().bounds());
    }

    /** A new, initialised estimator for {@code card} on {@code device}. */
    static PosteriorModel create(PosteriorCard card, Device device) {
        NDManager m = TorchRuntime.engine().newBaseManager(device);
        ModelCard.InputSpec in = card.input();
        int d = card.targets().names().size();
        PosteriorNetwork net = new PosteriorNetwork(card.estimator(), in.channels(), in.times(), d);
        net.initialize(m, DataType.FLOAT32, new Shape(1, in.channels(), in.times()), new Shape(1, d));
        return new PosteriorModel(card, net, m);
    }

    /**
     * Loads the estimator in {@code dir}, checking the card, the weights' checksum and every parameter's shape.
     *
     * @throws IOException naming the file for a missing, corrupt or foreign model
     */
    public static PosteriorModel load(Path dir, Device device) throws IOException {
        PosteriorCard card = PosteriorCard.read(dir);
        return TrainedModel.load(dir, card.weightsSha256(), card.fingerprint(), () -> create(card, device));
    }

    /** Writes {@code model.json} (with a {@link Fingerprint} of this machine's outputs) and {@code weights.npz}. */
    public void save(Path dir) throws IOException {
        String sha = TrainedModel.saveWeights(dir, network);
        card.withWeights(sha, Fingerprint.of(probeOutputs())).write(dir);
    }

    /** log q(θ_z | x_z) for the probe's standardised recordings and parameters, one per row. */
    @Override
    public float[] probeOutputs() {
        int d = dimension();
        try (TorchRuntime.NoGrad g = TorchRuntime.noGrad(); NDManager m = manager.newSubManager()) {
            NDArray x = m.create(Fingerprint.probeInput(Fingerprint.ROWS * rowLength()),
                    new Shape(Fingerprint.ROWS, card.input().channels(), card.input().times()));
            NDArray theta = m.create(Fingerprint.probeInput(Fingerprint.ROWS * d), new Shape(Fingerprint.ROWS, d));
            return logProbStandardised(new ParameterStore(m, false), x, theta, false).toFloatArray();
        }
    }

    /** The card. */
    public PosteriorCard card() {
        return card;
    }

    /** The network. */
    public PosteriorNetwork network() {
        return network;
    }

    @Override
    public ai.djl.nn.Block block() {
        return network;
    }

    /** The manager holding the weights. */
    public NDManager manager() {
        return manager;
    }

    /** Parameters. */
    public int dimension() {
        return card.targets().names().size();
    }

    /** Floats per decimated recording. */
    public int rowLength() {
        return card.input().channels() * card.input().times();
    }

    /** One decimated recording (in its units), standardised, as [1, C, T]. */
    private NDArray input(NDManager m, float[] x, int at) {
        int len = rowLength();
        float[] z = new float[len];
        System.arraycopy(x, at, z, 0, len);
        for (int k = 0; k < len; k++) {
            if (!Float.isFinite(z[k])) {
                throw new IllegalArgumentException("the recording holds NaN or Inf (channel "
                        + k / card.input().times() + ")");
            }
        }
        inputScale.transformChannels(z, 0, card.input().times());
        return m.create(z, new Shape(1, card.input().channels(), card.input().times()));
    }

    /** The estimator puts almost no mass inside the prior's support for a recording: its draws cannot be had. */
    public static final class OutsideSupportException extends IllegalStateException {
        private static final long serialVersionUID = 1L;
        private final long kept;
        private final long proposed;

        OutsideSupportException(long kept, long proposed) {
            super(String.format("only %d of %d posterior draws fell inside the prior's support (%.3f %%): the "
                    + "estimator puts almost no mass where the prior does; is the recording like the training data?",
                    kept, proposed, 100.0 * kept / proposed));
            this.kept = kept;
            this.proposed = proposed;
        }

        /** Draws inside the support when the sampler gave up. */
        public long kept() {
            return kept;
        }

        /** Draws made when the sampler gave up. */
        public long proposed() {
            return proposed;
        }
    }

    /**
     * Whether {@code kept} of {@code proposed} draws inside the support show, beyond 5 standard deviations of the
     * count, a rate below 1 in {@link #MAX_PROPOSALS_PER_DRAW}: then the {@code MAX_PROPOSALS_PER_DRAW · n} draws
     * allowed would not yield {@code n}, and drawing on only burns time (a sampler whose rate is at the limit stops
     * here only on a count more than 5 sd below its expectation).
     */
    static boolean hopeless(long kept, long proposed) {
        return (kept + 5 * Math.sqrt(kept) + 25) * MAX_PROPOSALS_PER_DRAW < proposed;
    }

    /**
     * {@code n} draws from q(θ | x) for the decimated recording at {@code x[at ..]}, those outside the prior's
     * support rejected and replaced; stream {@code index} of {@code seed}.
     *
     * @throws OutsideSupportException if fewer than 1 in {@link #MAX_PROPOSALS_PER_DRAW} draws is inside the support
     *     (given up as soon as the draws so far show it, {@link #hopeless})
     */
    public Draws sample(float[] x, int at, int n, long seed, long index) {
        UniformRandomProvider rng = RandomStreams.stream(seed, index, RandomStreams.POSTERIOR);
        int d = dimension();
        List<double[]> kept = new ArrayList<>(n);
        long proposed = 0;
        try (TorchRuntime.NoGrad g = TorchRuntime.noGrad(); NDManager m = manager.newSubManager()) {
            ParameterStore store = new ParameterStore(m, false);
            NDArray c = network.embed(store, input(m, x, at), false);
            while (kept.size() < n) {
                int want = n - kept.size();
                int batch = (int) Math.min(100_000, Math.max(64, proposed == 0 ? want
                        : (long) Math.ceil(1.2 * want * proposed / Math.max(1.0, kept.size()))));
                float[][] z;
                try (NDManager pass = m.newSubManager()) {
                    NDArray cc = c.duplicate();
                    cc.attach(pass);
                    z = network.density().sample(store, cc, batch, rng);
                }
                proposed += batch;
                for (float[] row : z) {
                    double[] zd = new double[d];
                    for (int j = 0; j < d; j++) {
                        zd[j] = row[j];
                    }
                    double[] theta = bounds.inverse(targetScale.inverse(zd));
                    if (card.support().contains(theta) && kept.size() < n) {
                        kept.add(theta);
                    }
                }
                if (kept.size() < n && (proposed > (long) MAX_PROPOSALS_PER_DRAW * n
                        || hopeless(kept.size(), proposed))) {
                    throw new OutsideSupportException(kept.size(), proposed);
                }
            }
        }
        return new Draws(kept.toArray(new double[0][]), proposed);
    }

    /**
     * log q(θ | x) for each row of {@code theta} (in the parameters' units) given the decimated recording at
     * {@code x[at ..]}; the density is that of the parameters in their units (−∞ outside a transformed
     * parameter's bounds), and with {@code reject} bounds not renormalised to the support.
     */
    public double[] logProb(float[] x, int at, double[][] theta) {
        int d = dimension();
        double logJacobian = 0;
        for (double s : card.targets().sd()) {
            logJacobian += Math.log(s);
        }
        double[] out = new double[theta.length];
        try (TorchRuntime.NoGrad g = TorchRuntime.noGrad(); NDManager m = manager.newSubManager()) {
            ParameterStore store = new ParameterStore(m, false);
            NDArray c = network.embed(store, input(m, x, at), false);
            for (int b0 = 0; b0 < theta.length; b0 += BATCH) {
                int nb = Math.min(BATCH, theta.length - b0);
                float[] z = new float[nb * d];
                double[] jacobian = new double[nb];
                for (int i = 0; i < nb; i++) {
                    double[] u = bounds.forward(theta[b0 + i]);
                    jacobian[i] = bounds.logAbsDetJacobian(theta[b0 + i], u);
                    double[] zi = targetScale.transform(u);
                    for (int j = 0; j < d; j++) {
                        z[i * d + j] = jacobian[i] == Double.NEGATIVE_INFINITY ? 0f : (float) zi[j];
                    }
                }
                try (NDManager pass = m.newSubManager()) {
                    NDArray cc = c.repeat(0, nb);
                    cc.attach(pass);
                    float[] lp = network.density().logProb(store, cc, pass.create(z, new Shape(nb, d)), false)
                            .toFloatArray();
                    for (int i = 0; i < nb; i++) {
                        out[b0 + i] = lp[i] - logJacobian + jacobian[i];
                    }
                }
            }
        }
        return out;
    }

    /** The embedding of the decimated recording at {@code x[at ..]}. */
    public double[] embedding(float[] x, int at) {
        try (TorchRuntime.NoGrad g = TorchRuntime.noGrad(); NDManager m = manager.newSubManager()) {
            float[] e = network.embed(new ParameterStore(m, false), input(m, x, at), false).toFloatArray();
            double[] out = new double[e.length];
            for (int i = 0; i < e.length; i++) {
                out[i] = e[i];
            }
            return out;
        }
    }

    /** The Mahalanobis distance of the recording's embedding from the training embeddings. */
    public double distance(float[] x, int at) {
        return card.embedding().distance(embedding(x, at));
    }

    /** Whether the recording lies farther from the training data than all but 0.1 % of the validation split. */
    public boolean unusual(float[] x, int at) {
        return distance(x, at) > card.embedding().threshold();
    }

    /** Forward pass on standardised inputs with arrays of {@code m}: log q(θ_z | x_z) per row. */
    NDArray logProbStandardised(ParameterStore store, NDArray x, NDArray thetaZ, boolean training) {
        return network.forward(store, new NDList(x, thetaZ), training).singletonOrThrow();
    }

    @Override
    public void close() {
        manager.close();
    }
}
