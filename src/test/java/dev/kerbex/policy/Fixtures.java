package dev.kerbex.policy;

import dev.kerbex.protocol.TokenType;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Builders with sensible defaults, so each test case states only what it is about. */
final class Fixtures {

    static final Instant NOW = Instant.parse("2026-01-15T10:00:00Z");
    static final String LEDGER = "https://ledger.example.test";

    private Fixtures() {
    }

    static PolicyBuilder allow(String name) {
        return new PolicyBuilder(name, Effect.ALLOW);
    }

    static PolicyBuilder deny(String name) {
        return new PolicyBuilder(name, Effect.DENY);
    }

    static FactsBuilder facts() {
        return new FactsBuilder();
    }

    /** A literal address, built without any lookup. */
    static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static final class PolicyBuilder {
        String id;
        int revision = 1;
        String name;
        Effect effect;
        int priority = 100;
        List<String> clients = List.of("billing");
        List<TokenType> subjectTokenTypes = List.of();
        List<String> subjects = List.of();
        List<String> issuers = List.of();
        List<String> audiences = List.of(LEDGER);
        List<String> resources = List.of();
        List<TokenType> requestedTokenTypes = List.of();
        List<String> actors = List.of();
        List<String> sourceCidrs = List.of();
        List<String> scopes = List.of("ledger:read", "ledger:write");
        List<String> defaultScopes = List.of("ledger:read");
        Duration maxLifetime = Duration.ofMinutes(10);
        Map<String, String> claims = Map.of();
        String subjectClaim;
        List<String> kerberosTargets = List.of();
        String kerberosUserPrincipal;
        List<String> groups = List.of();

        PolicyBuilder(String name, Effect effect) {
            this.name = name;
            this.effect = effect;
        }

        PolicyBuilder id(String v) { id = v; return this; }
        PolicyBuilder revision(int v) { revision = v; return this; }
        PolicyBuilder name(String v) { name = v; return this; }
        PolicyBuilder effect(Effect v) { effect = v; return this; }
        PolicyBuilder priority(int v) { priority = v; return this; }
        PolicyBuilder clients(String... v) { clients = List.of(v); return this; }
        PolicyBuilder subjectTokenTypes(TokenType... v) { subjectTokenTypes = List.of(v); return this; }
        PolicyBuilder subjects(String... v) { subjects = List.of(v); return this; }
        PolicyBuilder issuers(String... v) { issuers = List.of(v); return this; }
        PolicyBuilder audiences(String... v) { audiences = List.of(v); return this; }
        PolicyBuilder resources(String... v) { resources = List.of(v); return this; }
        PolicyBuilder requestedTokenTypes(TokenType... v) { requestedTokenTypes = List.of(v); return this; }
        PolicyBuilder actors(String... v) { actors = List.of(v); return this; }
        PolicyBuilder sourceCidrs(String... v) { sourceCidrs = List.of(v); return this; }
        PolicyBuilder scopes(String... v) { scopes = List.of(v); return this; }
        PolicyBuilder defaultScopes(String... v) { defaultScopes = List.of(v); return this; }
        PolicyBuilder maxLifetime(Duration v) { maxLifetime = v; return this; }
        PolicyBuilder claims(Map<String, String> v) { claims = v; return this; }
        PolicyBuilder subjectClaim(String v) { subjectClaim = v; return this; }
        PolicyBuilder kerberosTargets(String... v) { kerberosTargets = List.of(v); return this; }
        PolicyBuilder kerberosUserPrincipal(String v) { kerberosUserPrincipal = v; return this; }
        PolicyBuilder groups(String... v) { groups = List.of(v); return this; }

        Policy build() {
            return new Policy(id, revision, name, effect, priority,
                    new PolicyMatch(clients, subjectTokenTypes, subjects, issuers, audiences, resources,
                            requestedTokenTypes, actors, sourceCidrs, groups),
                    new PolicyGrant(scopes, defaultScopes, maxLifetime, claims, subjectClaim, kerberosTargets,
                            kerberosUserPrincipal, false, false));
        }
    }

    static final class FactsBuilder {
        String clientId = "billing";
        TokenType subjectTokenType = TokenType.KERBEROS_AP_REQ;
        String subject = "alice@CORP.EXAMPLE";
        String subjectIssuer;
        List<String> audiences = List.of(LEDGER);
        List<String> resources = List.of();
        TokenType requestedTokenType = TokenType.ACCESS_TOKEN;
        Set<String> requestedScopes = Set.of();
        Set<String> subjectScopes;
        String actor;
        InetAddress source;
        Instant subjectExpiry = NOW.plus(Duration.ofHours(8));
        Duration tenantMaxLifetime = Duration.ofHours(1);
        Set<String> mayAct;
        String actorIssuer;
        Set<String> groups = Set.of();

        FactsBuilder client(String v) { clientId = v; return this; }
        FactsBuilder subjectTokenType(TokenType v) { subjectTokenType = v; return this; }
        FactsBuilder subject(String v) { subject = v; return this; }
        /** A JWT subject: sets type, sub and iss together. */
        FactsBuilder jwt(String iss, String sub) {
            subjectTokenType = TokenType.ACCESS_TOKEN;
            subjectIssuer = iss;
            subject = sub;
            return this;
        }
        FactsBuilder audiences(String... v) { audiences = List.of(v); return this; }
        FactsBuilder resources(String... v) { resources = List.of(v); return this; }
        FactsBuilder requestedTokenType(TokenType v) { requestedTokenType = v; return this; }
        FactsBuilder scopes(String... v) { requestedScopes = Set.of(v); return this; }
        FactsBuilder subjectScopes(String... v) { subjectScopes = Set.of(v); return this; }
        FactsBuilder actor(String v) { actor = v; return this; }
        /** An actor token of the trusted issuer {@code iss} (not the tenant's own). */
        FactsBuilder actor(String iss, String sub) { actorIssuer = iss; actor = sub; return this; }
        FactsBuilder source(String v) { source = ip(v); return this; }
        FactsBuilder subjectExpiry(Instant v) { subjectExpiry = v; return this; }
        FactsBuilder expiresIn(Duration v) { subjectExpiry = NOW.plus(v); return this; }
        FactsBuilder tenantMaxLifetime(Duration v) { tenantMaxLifetime = v; return this; }
        FactsBuilder mayAct(String... v) { mayAct = Set.of(v); return this; }
        FactsBuilder groups(String... v) { groups = Set.of(v); return this; }

        ExchangeFacts build() {
            return new ExchangeFacts(clientId, subjectTokenType, subject, subjectIssuer, audiences, resources,
                    requestedTokenType, requestedScopes, subjectScopes, actor, source, subjectExpiry,
                    tenantMaxLifetime, mayAct, actorIssuer, groups);
        }
    }
}
