package dev.kerbex.jwt;

import static dev.kerbex.jwt.JwtSubjectVerifierTest.CLIENT_AUDIENCE;
import static dev.kerbex.jwt.JwtSubjectVerifierTest.NOW;
import static dev.kerbex.jwt.JwtSubjectVerifierTest.assertRefused;
import static dev.kerbex.jwt.JwtSubjectVerifierTest.claims;
import static dev.kerbex.jwt.JwtSubjectVerifierTest.date;
import static dev.kerbex.jwt.JwtSubjectVerifierTest.sign;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import dev.kerbex.exchange.VerificationContext;
import dev.kerbex.exchange.VerifiedSubject;
import dev.kerbex.protocol.TokenType;
import dev.kerbex.store.TenantChanged;
import dev.kerbex.tenant.OAuthClient;
import dev.kerbex.tenant.Tenant;
import dev.kerbex.tenant.TenantSnapshot;
import dev.kerbex.testing.MutableClock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The rules of reusing a subject token's verification ({@link VerifiedJwts}): the same token is not verified twice,
 * yet everything that depends on the request, the time or the tenant's state is decided again on every use. A fake
 * clock moves time; nothing sleeps.
 */
class VerifiedJwtsTest {
    static ECKey es256;
    static ECKey sameKidOtherKey;

    final List<String> acmeKeys = new CopyOnWriteArrayList<>();
    final Set<String> revoked = ConcurrentHashMap.newKeySet();
    MutableClock clock;
    VerifiedJwts verified;
    JwtSubjectVerifier verifier;
    TenantSnapshot acme;
    TenantSnapshot globex;
    OAuthClient reports;
    OAuthClient billing;

    @BeforeAll
    static void keys() throws JOSEException {
        es256 = new ECKeyGenerator(Curve.P_256).keyID("es256-key").algorithm(JWSAlgorithm.ES256).generate();
        sameKidOtherKey = new ECKeyGenerator(Curve.P_256).keyID("es256-key").algorithm(JWSAlgorithm.ES256).generate();
    }

    @BeforeEach
    void setUp() {
        acmeKeys.clear();
        acmeKeys.add(es256.toPublicJWK().toJSONString());
        revoked.clear();
        clock = new MutableClock(NOW);
        verified = new VerifiedJwts(clock, 100);
        verifier = new JwtSubjectVerifier(t -> acmeKeys, t -> "https://kerbex.test/tenants/" + t, clock,
                (tenant, jti) -> revoked.contains(tenant + "/" + jti), verified);
        reports = new OAuthClient("acme", JwtSubjectVerifierTest.CLIENT, null, null, List.of(OAuthClient.TOKEN_EXCHANGE),
                List.of(CLIENT_AUDIENCE), null);
        billing = new OAuthClient("acme", "billing", null, null, List.of(OAuthClient.TOKEN_EXCHANGE), List.of(), null);
        acme = tenant("acme");
        globex = tenant("globex");
    }

    @Test
    void verifyWhenIdenticalTokenAgainThenVerificationReusedWithTheSameResult() {
        String token = sign(es256, claims().claim("scope", "reports:read").build());

        VerifiedSubject first = verifier.verify(token, TokenType.ACCESS_TOKEN, context(acme, reports));
        VerifiedSubject second = verifier.verify(token, TokenType.ACCESS_TOKEN, context(acme, reports));

        assertThat(verified.hits()).isEqualTo(1);
        assertThat(second).isEqualTo(first);
        assertThat(second.principal()).isEqualTo("alice@EXAMPLE.TEST");
        assertThat(second.scopes()).containsExactly("reports:read");
    }

    @Test
    void verifyWhenAnotherTokenWithTheSameClaimsThenNotReused() {
        verifier.verify(sign(es256, claims().build()), TokenType.JWT, context(acme, reports));
        // ECDSA signatures are randomised: the same claims signed again make another token, with its own entry.
        verifier.verify(sign(es256, claims().build()), TokenType.JWT, context(acme, reports));

        assertThat(verified.hits()).isZero();
        assertThat(verified.size()).isEqualTo(2);
    }

    @Test
    void verifyWhenCachedTokenRevokedThenRefused() {
        String token = sign(es256, claims().jwtID("jti-7").build());
        verifier.verify(token, TokenType.ACCESS_TOKEN, context(acme, reports));
        revoked.add("acme/jti-7");

        assertRefused(() -> verifier.verify(token, TokenType.ACCESS_TOKEN, context(acme, reports)),
                "subject_token: token has been revoked");
        assertThat(verified.hits()).isEqualTo(1);
    }

    @Test
    void verifyWhenCachedTokenPresentedByAClientItWasNotMintedForThenRefused() {
        String token = sign(es256, claims().build());
        verifier.verify(token, TokenType.JWT, context(acme, reports));

        assertRefused(() -> verifier.verify(token, TokenType.JWT, context(acme, billing)),
                "subject_token: token audience does not include this client");
        assertThat(verified.hits()).isEqualTo(1);
    }

    @Test
    void verifyWhenCachedTokenExpiresThenRefused() {
        String token = sign(es256, claims().expirationTime(date(NOW.plusSeconds(300))).build());
        verifier.verify(token, TokenType.JWT, context(acme, reports));
        clock.advance(Duration.ofSeconds(299));
        verifier.verify(token, TokenType.JWT, context(acme, reports));
        assertThat(verified.hits()).isEqualTo(1);

        clock.advance(Duration.ofSeconds(1));

        assertRefused(() -> verifier.verify(token, TokenType.JWT, context(acme, reports)), "subject_token: JWT expired");
        assertThat(verified.size()).isZero();
    }

    @Test
    void verifyWhenLongLivedTokenThenEntryKeptAtMostMaxAge() {
        String token = sign(es256, claims().expirationTime(date(NOW.plus(Duration.ofHours(2)))).build());
        verifier.verify(token, TokenType.JWT, context(acme, reports));
        clock.advance(VerifiedJwts.MAX_AGE);

        assertThat(verified.size()).isZero();
        assertThat(verifier.verify(token, TokenType.JWT, context(acme, reports)).principal()).isEqualTo("alice@EXAMPLE.TEST");
        assertThat(verified.hits()).isZero();
    }

    @Test
    void verifyWhenTenantEditedThenItsEntriesDroppedAndOtherTenantsKept() {
        String token = sign(es256, claims().build());
        String globexToken = sign(es256, claims().issuer("https://kerbex.test/tenants/globex").build());
        verifier.verify(token, TokenType.JWT, context(acme, reports));
        verifier.verify(globexToken, TokenType.JWT, context(globex, reports));
        assertThat(verified.size()).isEqualTo(2);

        verified.onChange(new TenantChanged("acme"));

        assertThat(verified.size()).isEqualTo(1);
        verifier.verify(token, TokenType.JWT, context(acme, reports));
        verifier.verify(globexToken, TokenType.JWT, context(globex, reports));
        assertThat(verified.hits()).isEqualTo(1); // globex's, not acme's
    }

    @Test
    void verifyWhenChangeFeedMissedChangesThenEveryEntryDropped() {
        verifier.verify(sign(es256, claims().build()), TokenType.JWT, context(acme, reports));
        verifier.verify(sign(es256, claims().issuer("https://kerbex.test/tenants/globex").build()), TokenType.JWT,
                context(globex, reports));

        verified.onChange(TenantChanged.EVERY_TENANT);

        assertThat(verified.size()).isZero();
    }

    @Test
    void verifyWhenKeyUnderTheSameKidReplacedThenCachedVerificationNotUsed() {
        String token = sign(es256, claims().build());
        verifier.verify(token, TokenType.JWT, context(acme, reports));
        // Without any change event: the next load of the tenant's keys (at most 5 s later) finds another key.
        acmeKeys.set(0, sameKidOtherKey.toPublicJWK().toJSONString());
        clock.advance(Duration.ofSeconds(5));

        assertRefused(() -> verifier.verify(token, TokenType.JWT, context(acme, reports)),
                "subject_token: JWT signature invalid");
    }

    @Test
    void verifyWhenKeyWithdrawnThenCachedTokenRefused() {
        String token = sign(es256, claims().build());
        verifier.verify(token, TokenType.JWT, context(acme, reports));
        acmeKeys.clear();
        clock.advance(Duration.ofSeconds(5));

        assertRefused(() -> verifier.verify(token, TokenType.JWT, context(acme, reports)),
                "subject_token: JWT signing key is not one of this tenant's");
    }

    @Test
    void verifyWhenSameTokenAtAnotherTenantThenNotReusedAndRefused() {
        String token = sign(es256, claims().build());
        verifier.verify(token, TokenType.JWT, context(acme, reports));

        assertRefused(() -> verifier.verify(token, TokenType.JWT, context(globex, reports)),
                "subject_token: JWT issuer is not trusted by this tenant");
        assertThat(verified.hits()).isZero();
    }

    @Test
    void verifyWhenRefusedTokenThenNotRemembered() {
        String expired = sign(es256, claims().expirationTime(date(NOW.minusSeconds(1))).build());
        assertRefused(() -> verifier.verify(expired, TokenType.JWT, context(acme, reports)), "subject_token: JWT expired");
        String forged = sign(sameKidOtherKey, claims().build());
        assertRefused(() -> verifier.verify(forged, TokenType.JWT, context(acme, reports)),
                "subject_token: JWT signature invalid");

        assertThat(verified.size()).isZero();
    }

    @Test
    void rememberWhenMoreTokensThanTheBoundThenOldestEvicted() {
        VerifiedJwts small = new VerifiedJwts(clock, 3);
        JwtSubjectVerifier bounded = new JwtSubjectVerifier(t -> acmeKeys, t -> "https://kerbex.test/tenants/" + t,
                clock, (tenant, jti) -> false, small);
        for (int i = 0; i < 20; i++) {
            bounded.verify(sign(es256, claims().jwtID("jti-" + i).build()), TokenType.JWT, context(acme, reports));
        }

        assertThat(small.size()).isLessThanOrEqualTo(3);
    }

    private VerificationContext context(TenantSnapshot tenant, OAuthClient client) {
        return new VerificationContext(tenant, client, "subject_token");
    }

    private TenantSnapshot tenant(String id) {
        return TenantSnapshot.of(new Tenant(id, List.of("EXAMPLE.TEST"), List.of(), List.of(), Duration.ofHours(1), null),
                List.of(reports, billing), List.of());
    }
}
