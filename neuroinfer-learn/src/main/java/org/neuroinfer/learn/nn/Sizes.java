package org.neuroinfer.learn.nn;

/** Checks on network sizes, so a bad configuration fails with the field's name instead of deep inside libtorch. */
final class Sizes {
    private Sizes() {
    }

    static int positive(String field, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(field + " must be >= 1, got " + value);
        }
        return value;
    }

    static double fraction(String field, double value) {
        if (!(value >= 0 && value < 1)) {
            throw new IllegalArgumentException(field + " must be in [0, 1), got " + value);
        }
        return value;
    }
}
