package org.neuroinfer.cli;

import java.nio.file.Path;
import java.util.List;
import org.neuroinfer.learn.store.ModelCard;
import org.neuroinfer.model.sgm.SgmParameters;

/**
 * What a saved model reads and predicts, told from its targets: the SGM's parameters from MEG spectra, or a neural
 * mass model's from EEG recordings; so a command refuses a model of the other kind and names the command that fits.
 */
enum ModelDomain {
    /** The spectral graph model's parameters from regional power spectra ({@code sgm infer}). */
    SGM("SGM parameters from regional power spectra", "sgm infer"),
    /** Neural mass parameters from EEG recordings ({@code infer}). */
    EEG("neural mass parameters from EEG recordings", "infer");

    private final String what;
    private final String command;

    ModelDomain(String what, String command) {
        this.what = what;
        this.command = command;
    }

    /** The domain of a model predicting {@code targets}. */
    static ModelDomain of(List<String> targets) {
        return !targets.isEmpty() && SgmParameters.NAMES.containsAll(targets) ? SGM : EEG;
    }

    /**
     * Checks that the model in {@code dir} with {@code card} is of this domain.
     *
     * @throws IllegalArgumentException naming the model, what it predicts and the command that fits it
     */
    void require(Path dir, ModelCard card, String commandName) {
        ModelDomain d = of(card.targets().names());
        if (d != this) {
            throw new IllegalArgumentException(dir + " predicts " + d.what + " (" + String.join(", ",
                    card.targets().names()) + "), not " + what + "; use '" + d.command + "' for it, not '"
                    + commandName + "'");
        }
    }
}
