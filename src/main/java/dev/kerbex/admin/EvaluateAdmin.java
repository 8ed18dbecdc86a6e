package dev.kerbex.admin;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.kerbex.directory.TenantDirectory;
import dev.kerbex.policy.Cidr;
import dev.kerbex.policy.Decision;
import dev.kerbex.policy.ExchangeFacts;
import dev.kerbex.policy.FieldError;
import dev.kerbex.policy.Policy;
import dev.kerbex.policy.PolicyEvaluator;
import dev.kerbex.protocol.TokenType;
import dev.kerbex.representation.PolicyMapping;
import dev.kerbex.tenant.GroupNames;
import dev.kerbex.tenant.IssuerUrls;
import dev.kerbex.tenant.TenantSnapshot;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A dry run of the policy decision (SPEC §8). It runs the token endpoint's {@link PolicyEvaluator} over the same
 * stored policies (the same tenant snapshot), for facts the admin describes instead of tokens that were verified.
 * Client authentication, token verification and the issuer's support of the requested type are not part of it.
 */
@ApplicationScoped
class EvaluateAdmin {
    private static final Duration DEFAULT_SUBJECT_LIFETIME = Duration.ofHours(10);

    private final AdminSupport support;
    private final TenantDirectory directory;
    private final IssuerUrls urls;
    private final PolicyEvaluator evaluator = new PolicyEvaluator();
    private final Clock clock;

    EvaluateAdmin(AdminSupport support, TenantDirectory directory, IssuerUrls urls, Clock clock) {
        this.support = support;
        this.directory = directory;
        this.urls = urls;
        this.clock = clock;
    }

    /** The token request's parameters, and the subject its token would have proven. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record EvaluateRequest(String clientId, String subjectTokenType, List<String> audience, List<String> resource,
            String scope, String requestedTokenType, String actor, String actorIssuer, String sourceAddress,
            Subject subject) {
    }

    /**
     * @param principal a Kerberos principal ({@code alice@REALM}); or a JWT subject by {@code sub} and {@code iss}
     * @param scope     the JWT subject's own scope, space-separated; absent = unrestricted (Kerberos)
     * @param mayAct    the subject token's {@code may_act} actors; absent = none stated
     * @param expiresIn time left on the subject token or ticket, ISO-8601 (default PT10H)
     * @param groupSids the group SIDs of the subject's AD PAC (SPEC §5a); the tenant's group_names name them
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Subject(String principal, String sub, String iss, String scope, List<String> mayAct,
            String expiresIn, List<String> groupSids) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record EvaluateResponse(String decision, String error, String errorDescription, PolicyRef policy,
            String scope, Long expiresIn, List<PolicyResult> policies, List<String> groups) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record PolicyRef(String id, String name, int revision, String effect) {
        static PolicyRef of(Policy p) {
            return p == null ? null : new PolicyRef(p.id(), p.name(), p.revision(), p.effect().name().toLowerCase(Locale.ROOT));
        }
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record PolicyResult(String id, String name, int revision, String effect, boolean matched, String reason,
            List<String> groups) {
    }

    /** The decision the token endpoint would take now for the facts in {@code body}; viewers may ask. */
    EvaluateResponse evaluate(AdminCaller caller, String tenant, byte[] body) {
        support.mayRead(caller, tenant);
        EvaluateRequest r = StrictJson.read(body, EvaluateRequest.class);
        TenantSnapshot snapshot = directory.find(tenant).orElseThrow(AdminProblem::notFound);
        Instant now = clock.instant();
        Decision decision = evaluator.decide(facts(r, snapshot, now, urls.issuer(tenant)), snapshot.policies(), now);
        List<PolicyResult> results = decision.outcomes().stream().map(o -> new PolicyResult(o.policy().id(),
                o.policy().name(), o.policy().revision(), o.policy().effect().name().toLowerCase(Locale.ROOT), o.matched(),
                o.reason(), o.groups().isEmpty() ? null : o.groups())).toList();
        List<String> groups = decision.decidingGroups().isEmpty() ? null : decision.decidingGroups();
        if (decision instanceof Decision.Permit permit) {
            return new EvaluateResponse("allow", null, null, PolicyRef.of(permit.policy()), permit.scopeString(),
                    permit.lifetime().toSeconds(), results, groups);
        }
        Decision.Refusal refusal = (Decision.Refusal) decision;
        return new EvaluateResponse("deny", refusal.code().code(), refusal.description(), PolicyRef.of(refusal.policy()),
                null, null, results, groups);
    }

    private static ExchangeFacts facts(EvaluateRequest r, TenantSnapshot snapshot, Instant now, String ownIssuer) {
        List<FieldError> errors = new ArrayList<>();
        if (r.clientId() == null) {
            errors.add(new FieldError("/client_id", "required"));
        } else if (snapshot.client(r.clientId()).isEmpty()) {
            errors.add(new FieldError("/client_id", "unknown client"));
        }
        TokenType subjectType = null;
        if (r.subjectTokenType() == null) {
            errors.add(new FieldError("/subject_token_type", "required"));
        } else {
            subjectType = TokenType.fromUri(r.subjectTokenType()).filter(TokenType::acceptedAsSubjectOrActor).orElse(null);
            if (subjectType == null) {
                errors.add(new FieldError("/subject_token_type", "not a subject token type URI"));
            }
        }
        TokenType requested = null;
        if (r.requestedTokenType() != null) {
            requested = TokenType.fromUri(r.requestedTokenType()).filter(TokenType::requestable).orElse(null);
            if (requested == null) {
                errors.add(new FieldError("/requested_token_type", "not a requestable token type URI"));
            }
        }
        nulls(r.audience(), "/audience", errors);
        nulls(r.resource(), "/resource", errors);
        InetAddress source = null;
        if (r.sourceAddress() != null) {
            source = ip(r.sourceAddress());
            if (source == null) {
                errors.add(new FieldError("/source_address", "not an IP address"));
            }
        }
        if (r.actorIssuer() != null && r.actor() == null) {
            errors.add(new FieldError("/actor_issuer", "only with actor"));
        }
        Subject s = r.subject();
        String subject = null;
        Duration left = DEFAULT_SUBJECT_LIFETIME;
        if (s == null) {
            errors.add(new FieldError("/subject", "required: a principal, or sub and iss"));
        } else {
            if ((s.principal() == null) == (s.sub() == null)) {
                errors.add(new FieldError("/subject", "name either principal or sub"));
            }
            if (s.sub() != null && s.iss() == null) {
                errors.add(new FieldError("/subject/iss", "required with sub"));
            }
            subject = s.principal() != null ? s.principal() : s.sub();
            nulls(s.mayAct(), "/subject/may_act", errors);
            nulls(s.groupSids(), "/subject/group_sids", errors);
            if (s.expiresIn() != null) {
                left = PolicyMapping.duration(s.expiresIn(), "/subject/expires_in", errors);
            }
        }
        if (!errors.isEmpty()) {
            throw AdminProblem.invalid(errors);
        }
        return new ExchangeFacts(r.clientId(), subjectType, subject, s.iss(), r.audience(), r.resource(), requested,
                scopes(r.scope()), s.scope() == null ? null : scopes(s.scope()), r.actor(), source, now.plus(left),
                snapshot.tenant().maxTokenLifetime(), s.mayAct() == null ? null : Set.copyOf(s.mayAct()),
                r.actorIssuer() == null || r.actorIssuer().equals(ownIssuer) ? null : r.actorIssuer(),
                s.groupSids() == null ? Set.of() : GroupNames.all(s.groupSids(), snapshot.tenant().groupNames()));
    }

    private static Set<String> scopes(String scope) {
        return scope == null ? Set.of() : new LinkedHashSet<>(Arrays.stream(scope.split(" ")).filter(t -> !t.isEmpty())
                .toList());
    }

    private static void nulls(List<String> values, String pointer, List<FieldError> errors) {
        if (values != null) {
            for (int i = 0; i < values.size(); i++) {
                if (values.get(i) == null) {
                    errors.add(new FieldError(pointer + "/" + i, "must not be null"));
                }
            }
        }
    }

    /** An IP literal only (Cidr's parser): a host name is a field error and never reaches a resolver. */
    private static InetAddress ip(String address) {
        try {
            return Cidr.address(address);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
