package io.arbor.tablet.vrepl;

/** Why a row stream stopped and cannot go on by itself: its message is what the migration or workflow shows. */
public final class StreamFailure extends RuntimeException {
    public StreamFailure(String message) {
        super(message);
    }

    public StreamFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
