package dev.kerbex.policy;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Objects;

/**
 * One entry of a policy's {@code match.actors}: who may act, as (issuer, subject glob).
 *
 * <ul>
 * <li>{@code svc-api-*} (no issuer): the tenant's own actors, i.e. Kerberos principals Kerbex verified and the
 * {@code sub} of the tenant's own JWTs. Never a trusted external issuer's token, whatever its {@code sub}.</li>
 * <li>{@code https://idp.example.com#svc-*}: actor tokens of the trusted issuer {@code https://idp.example.com}
 * (compared exactly, as {@code match.issuers} is) whose {@code sub} matches the glob after the first {@code #}.</li>
 * </ul>
 * The form is unambiguous: an issuer identifier is an https (or http) URL without query or fragment (RFC 8414 §2,
 * OpenID Connect Discovery §3), so it holds no {@code #}; and every pattern that begins with {@code http://} or
 * {@code https://} is read as issuer-qualified (without a {@code #} it is invalid), so a plain pattern never
 * names an issuer by accident.
 *
 * @param issuer  the trusted issuer, or {@code null} for the tenant's own actors
 * @param subject the glob on the actor's principal or {@code sub}
 */
public record ActorPattern(String issuer, Glob subject) {

    public ActorPattern {
        Objects.requireNonNull(subject, "subject");
    }

    /** @throws IllegalArgumentException with a message fit for a policy admin */
    public static ActorPattern parse(String pattern) {
        if (pattern == null || pattern.isEmpty()) {
            throw new IllegalArgumentException("must not be empty");
        }
        if (!pattern.startsWith("https://") && !pattern.startsWith("http://")) {
            return new ActorPattern(null, Glob.compile(pattern));
        }
        int hash = pattern.indexOf('#');
        if (hash < 0) {
            throw new IllegalArgumentException("an actor of a trusted issuer is written <issuer>#<sub glob>,"
                    + " e.g. https://idp.example.com#svc-*");
        }
        String issuer = pattern.substring(0, hash);
        try {
            URI uri = new URI(issuer);
            if (uri.getHost() == null || uri.getRawQuery() != null) {
                throw new IllegalArgumentException("issuer '" + issuer + "' is not an absolute URL without a query");
            }
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("issuer '" + issuer + "' is not a URL");
        }
        String glob = pattern.substring(hash + 1);
        if (glob.isEmpty()) {
            throw new IllegalArgumentException("no sub glob after '#'");
        }
        return new ActorPattern(issuer, Glob.compile(glob));
    }

    /**
     * Whether an actor token of {@code actorIssuer} ({@code null}: the tenant's own) with principal or {@code sub}
     * {@code actor} is named here.
     */
    public boolean matches(String actorIssuer, String actor) {
        return Objects.equals(issuer, actorIssuer) && subject.matches(actor);
    }
}
