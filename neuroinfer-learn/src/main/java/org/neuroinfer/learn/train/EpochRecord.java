package org.neuroinfer.learn.train;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One epoch of training.
 *
 * @param epoch          epoch number, from 1
 * @param trainLoss      mean training loss over the epoch's batches
 * @param validationLoss loss on the validation split after the epoch
 * @param learningRate   learning rate used during the epoch
 * @param seconds        wall time of the epoch
 * @param improved       whether the validation loss was the best so far
 */
public record EpochRecord(@JsonProperty("epoch") int epoch, @JsonProperty("train_loss") double trainLoss,
                          @JsonProperty("validation_loss") double validationLoss,
                          @JsonProperty("learning_rate") double learningRate,
                          @JsonProperty("seconds") double seconds, @JsonProperty("improved") boolean improved) {
}
