package dev.drover.model.error;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * The one error vocabulary of Drover. Thrown anywhere below the HTTP edge; the edge maps it to a
 * Kubernetes {@code Status} object in exactly one place.
 */
public final class ApiException extends RuntimeException {

    /** Kubernetes {@code StatusReason} values with their HTTP codes. */
    public enum Reason {
        BAD_REQUEST("BadRequest", 400),
        UNAUTHORIZED("Unauthorized", 401),
        FORBIDDEN("Forbidden", 403),
        NOT_FOUND("NotFound", 404),
        METHOD_NOT_ALLOWED("MethodNotAllowed", 405),
        NOT_ACCEPTABLE("NotAcceptable", 406),
        ALREADY_EXISTS("AlreadyExists", 409),
        CONFLICT("Conflict", 409),
        GONE("Expired", 410),
        REQUEST_ENTITY_TOO_LARGE("RequestEntityTooLarge", 413),
        UNSUPPORTED_MEDIA_TYPE("UnsupportedMediaType", 415),
        INVALID("Invalid", 422),
        TOO_MANY_REQUESTS("TooManyRequests", 429),
        INTERNAL_ERROR("InternalError", 500),
        SERVICE_UNAVAILABLE("ServiceUnavailable", 503),
        TIMEOUT("Timeout", 504);

        private final String wireName;
        private final int code;

        Reason(String wireName, int code) {
            this.wireName = wireName;
            this.code = code;
        }

        public String wireName() {
            return wireName;
        }

        public int code() {
            return code;
        }

        /**
         * The reason of an HTTP status that a layer below Drover's routes decided (the router, Jetty's parser): the
         * one of that code, else BadRequest for a 4xx and InternalError for a 5xx.
         */
        public static Reason ofStatus(int status) {
            for (Reason reason : values()) {
                if (reason.code == status && reason != ALREADY_EXISTS) {
                    return reason;
                }
            }
            return status >= 500 ? INTERNAL_ERROR : BAD_REQUEST;
        }
    }

    /** What the error is about, as in {@code Status.details}. */
    public record Details(String group, String kind, String name) {
        public static final Details NONE = new Details("", "", "");

        public Details {
            requireNonNull(group, "group is null");
            requireNonNull(kind, "kind is null");
            requireNonNull(name, "name is null");
        }
    }

    private final Reason reason;
    private final Details details;
    private final List<FieldError> causes;

    public ApiException(Reason reason, String message) {
        this(reason, message, Details.NONE, List.of());
    }

    public ApiException(Reason reason, String message, Details details, List<FieldError> causes) {
        super(requireNonNull(message, "message is null"));
        this.reason = requireNonNull(reason, "reason is null");
        this.details = requireNonNull(details, "details is null");
        this.causes = List.copyOf(causes);
    }

    public static ApiException badRequest(String message) {
        return new ApiException(Reason.BAD_REQUEST, message);
    }

    public static ApiException notFound(ResourceType kind, String name) {
        return new ApiException(Reason.NOT_FOUND,
                "%s \"%s\" not found".formatted(kind.resourceGroup(), name),
                new Details(kind.group(), kind.plural(), name), List.of());
    }

    public static ApiException forbidden(String message) {
        return new ApiException(Reason.FORBIDDEN, message);
    }

    public static ApiException conflict(ResourceType kind, String name, String why) {
        return new ApiException(Reason.CONFLICT,
                "Operation cannot be fulfilled on %s \"%s\": %s".formatted(kind.resourceGroup(), name, why),
                new Details(kind.group(), kind.plural(), name), List.of());
    }

    /** A 422 with one cause per field, worded as the Kubernetes API server words it. */
    public static ApiException invalid(ResourceType kind, String name, List<FieldError> errors) {
        var summary = new StringBuilder();
        for (FieldError error : errors) {
            summary.append(summary.isEmpty() ? "" : ", ").append(error.field()).append(": ").append(error.message());
        }
        String message = "%s \"%s\" is invalid: %s".formatted(kind.kind(), name, errors.size() == 1
                ? summary
                : "[" + summary + "]");
        return new ApiException(Reason.INVALID, message, new Details(kind.group(), kind.kind(), name), errors);
    }

    public Reason reason() {
        return reason;
    }

    public Details details() {
        return details;
    }

    public List<FieldError> causes() {
        return causes;
    }
}
