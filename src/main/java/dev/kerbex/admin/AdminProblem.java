package dev.kerbex.admin;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.kerbex.policy.FieldError;
import java.util.List;

/**
 * An admin API failure, answered as RFC 9457 {@code application/problem+json}. Invalid bodies list every
 * field at fault in {@code errors}, each an RFC 6901 pointer into the request body and what is wrong with it.
 */
public final class AdminProblem extends RuntimeException {
    static final String INVALID = "urn:kerbex:problem:invalid-body";
    static final String INVALID_PARAMETER = "urn:kerbex:problem:invalid-parameter";

    private final int status;
    private final String type;
    private final String title;
    private final String detail;
    private final List<FieldError> errors;

    AdminProblem(int status, String type, String title, String detail, List<FieldError> errors) {
        super(title, null, false, false);
        this.status = status;
        this.type = type;
        this.title = title;
        this.detail = detail;
        this.errors = errors == null ? List.of() : List.copyOf(errors);
    }

    /** A caller without any role for the tenant, or a tenant that does not exist: the same answer (SPEC §8). */
    static AdminProblem notFound() {
        return new AdminProblem(404, "about:blank", "Not Found", "no such resource", null);
    }

    static AdminProblem forbidden(String detail) {
        return new AdminProblem(403, "about:blank", "Forbidden", detail, null);
    }

    static AdminProblem invalid(List<FieldError> errors) {
        return new AdminProblem(400, INVALID, "Invalid request body",
                errors.size() == 1 ? "1 invalid field" : errors.size() + " invalid fields", errors);
    }

    /** Bad query parameters: {@code detail} names each one and what is wrong with it. */
    static AdminProblem invalidParameters(List<String> problems) {
        return new AdminProblem(400, INVALID_PARAMETER, "Invalid query parameter", String.join("; ", problems), null);
    }

    static AdminProblem conflict(String detail) {
        return new AdminProblem(409, "about:blank", "Conflict", detail, null);
    }

    static AdminProblem preconditionRequired() {
        return new AdminProblem(428, "about:blank", "Precondition Required",
                "If-Match is required: send the ETag of the version you read", null);
    }

    static AdminProblem preconditionFailed() {
        return new AdminProblem(412, "about:blank", "Precondition Failed",
                "If-Match does not match the current version; read it again", null);
    }

    static AdminProblem tooLarge(int limit) {
        return new AdminProblem(413, "about:blank", "Content Too Large",
                "the request body exceeds " + limit + " bytes", null);
    }

    int status() {
        return status;
    }

    List<FieldError> errors() {
        return errors;
    }

    Body body() {
        return new Body(type, title, status, detail,
                errors.isEmpty() ? null : errors.stream().map(e -> new Error(e.pointer(), e.message())).toList());
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Body(String type, String title, int status, String detail, List<Error> errors) {
    }

    record Error(String pointer, String detail) {
    }
}
