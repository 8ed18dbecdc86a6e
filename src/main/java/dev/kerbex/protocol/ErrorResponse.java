package dev.kerbex.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;

/** RFC 6749 §5.2 error body. */
public record ErrorResponse(@JsonProperty("error") String error,
        @JsonProperty("error_description") String errorDescription) {

    public static ErrorResponse of(OAuthException e) {
        return new ErrorResponse(e.code().code(), e.description());
    }
}
