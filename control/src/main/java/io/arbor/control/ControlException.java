package io.arbor.control;

import static java.util.Objects.requireNonNull;

/**
 * A request the control plane refuses, with what kind of refusal it is (which the REST API turns into its status and
 * {@code code}) and a message a person can act on. An {@link IllegalArgumentException}, as the control plane's
 * refusals always were.
 */
public final class ControlException extends IllegalArgumentException {
    /** The kinds of refusal, each with PlanetScale's error code and the HTTP status it is served with. */
    public enum Kind {
        INVALID_ARGUMENT("invalid_argument", 400),
        NOT_FOUND("not_found", 404),
        ALREADY_EXISTS("already_exists", 409),
        /** Well formed, but asks for what Arbor does not do (yet). */
        UNPROCESSABLE("unprocessable", 422);

        private final String code;
        private final int status;

        Kind(String code, int status) {
            this.code = code;
            this.status = status;
        }

        public String code() {
            return code;
        }

        public int status() {
            return status;
        }
    }

    private final Kind kind;

    public ControlException(Kind kind, String message) {
        super(message);
        this.kind = requireNonNull(kind, "kind is null");
    }

    public Kind kind() {
        return kind;
    }

    public static ControlException notFound(String message) {
        return new ControlException(Kind.NOT_FOUND, message);
    }

    public static ControlException exists(String message) {
        return new ControlException(Kind.ALREADY_EXISTS, message);
    }

    public static ControlException unprocessable(String message) {
        return new ControlException(Kind.UNPROCESSABLE, message);
    }
}
