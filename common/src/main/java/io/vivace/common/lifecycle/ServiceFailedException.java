package io.vivace.common.lifecycle;

/** A service failed to start or failed while running. */
public class ServiceFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception for {@code service}. */
    public ServiceFailedException(String service, Throwable cause) {
        super(service + " failed: " + (cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage()), cause);
    }
}
