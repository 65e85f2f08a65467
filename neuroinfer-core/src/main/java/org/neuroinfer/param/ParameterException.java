package org.neuroinfer.param;

/** Bad parameter input: an unknown name, a non-finite value or a value outside the bounds. */
public class ParameterException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public ParameterException(String message) {
        super(message);
    }
}
