package org.neuroinfer.learn.train;

/** Training produced a NaN or infinite loss; the last checkpoint holds the last good epoch. */
public final class TrainingDivergedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** With a message saying where and what to try. */
    public TrainingDivergedException(String message) {
        super(message);
    }
}
