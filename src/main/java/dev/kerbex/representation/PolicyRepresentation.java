package dev.kerbex.representation;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;
import java.util.Map;

/** A policy as written in the declarative file and the admin API (SPEC §7, §12). */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PolicyRepresentation(String id, Integer revision, String name, String description, String effect,
        Integer priority, Match match, Grant grant) {

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Match(List<String> clients, List<String> subjectTokenTypes, List<String> subjects,
            List<String> issuers, List<String> audiences, List<String> resources, List<String> requestedTokenTypes,
            List<String> actors, List<String> sourceCidrs, List<String> groups) {

        public Match(List<String> clients, List<String> subjectTokenTypes, List<String> subjects, List<String> issuers,
                List<String> audiences, List<String> resources, List<String> requestedTokenTypes, List<String> actors,
                List<String> sourceCidrs) {
            this(clients, subjectTokenTypes, subjects, issuers, audiences, resources, requestedTokenTypes, actors,
                    sourceCidrs, null);
        }
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Grant(List<String> scopes, List<String> defaultScopes, String maxLifetime, Map<String, String> claims,
            String subjectClaim, List<String> kerberosTargets, String kerberosUserPrincipal, Boolean requireDpop,
            Boolean requireMtls) {
    }

    /** The same policy without its server-assigned identity (what the store keeps as the document). */
    public PolicyRepresentation withoutIdentity() {
        return new PolicyRepresentation(null, null, name, description, effect, priority, match, grant);
    }

    public PolicyRepresentation withIdentity(String id, int revision) {
        return new PolicyRepresentation(id, revision, name, description, effect, priority, match, grant);
    }
}
