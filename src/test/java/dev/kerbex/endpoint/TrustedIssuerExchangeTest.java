package dev.kerbex.endpoint;

import static dev.kerbex.endpoint.TokenErrorsTest.assertError;
import static dev.kerbex.testing.KerbexTestResource.PARTNER;
import static dev.kerbex.testing.KerbexTestResource.REPORTS_API;
import static dev.kerbex.testing.KerbexTestResource.REPORTS_API_SECRET;
import static dev.kerbex.testing.TokenRequests.ACCESS_TOKEN;
import static dev.kerbex.testing.TokenRequests.exchange;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.kerbex.testing.AuditRows;
import dev.kerbex.testing.KerbexTestResource;
import dev.kerbex.testing.TestIdp;
import dev.kerbex.testing.TestKdc;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Tokens of acme's trusted external issuers exchanged through HTTP (SPEC §3, issue 5): the issuers are
 * {@link TestIdp}'s, declared in the bootstrap file, their JWKS served on loopback; the policy
 * {@code partner-from-idp} lets reports-api exchange them for {@link KerbexTestResource#PARTNER}.
 */
@QuarkusTest
@QuarkusTestResource(value = KerbexTestResource.class, restrictToAnnotatedClass = false)
class TrustedIssuerExchangeTest {
    static final TestIdp IDP = TestIdp.get();

    @Inject
    AgroalDataSource dataSource;

    @Test
    void exchangeWhenTokenOfTrustedIssuerThenIssuedWithItsSubjectWithinItsScope() throws Exception {
        String subject = TestIdp.sign(IDP.key(), claims(IDP.issuer()).claim("scope", "partner:read partner:write")
                .claim("krb_principal", "root@EXAMPLE.TEST").build());

        Response r = reportsApi(subject).param("scope", "partner:read partner:write partner:admin").post();

        r.then().statusCode(200).header("Cache-Control", "no-store");
        assertThat(r.jsonPath().getString("scope")).isEqualTo("partner:read partner:write");
        JWTClaimsSet issued = JwtSubjectExchangeTest.verify(r.jsonPath().getString("access_token"), PARTNER);
        assertThat(issued.getSubject()).isEqualTo("bob@idp.example.test");
        assertThat(issued.getClaim("client_id")).isEqualTo(REPORTS_API);
        assertThat(issued.getClaim("scope")).isEqualTo("partner:read partner:write");
        assertThat(issued.getClaim("origin")).as("template over the external token's iss").isEqualTo(IDP.issuer());
        assertThat(issued.getClaim("krb_principal")).as("an external issuer cannot assert a Kerberos identity")
                .isNull();
        Map<String, Object> audit = AuditRows.byRequestId(dataSource, r.header("X-Request-Id")).orElseThrow();
        assertThat(audit).containsEntry("outcome", "issued").containsEntry("subject", "bob@idp.example.test");
    }

    @Test
    void exchangeWhenUnknownKidThenRefusedAfterOneFetchAndASecondWithin30sFetchesNothing() throws Exception {
        ECKey stranger = new ECKeyGenerator(Curve.P_256).keyID("not-published").algorithm(JWSAlgorithm.ES256).generate();
        int before = IDP.hits(IDP.rotatingJwksPath());

        Response first = reportsApi(TestIdp.sign(stranger, claims(IDP.rotatingIssuer()).build())).post();
        Response second = reportsApi(TestIdp.sign(stranger, claims(IDP.rotatingIssuer()).jwtID("2").build())).post();

        assertError(first, 400, "invalid_request", "subject_token: JWT signing key is not one of this issuer's");
        assertError(second, 400, "invalid_request", "subject_token: JWT signing key is not one of this issuer's");
        assertThat(IDP.hits(IDP.rotatingJwksPath()) - before).as("one fetch for two unknown kids within 30 s")
                .isEqualTo(1);
        assertThat(reason(first, "refused")).contains("kid not-published not published at "
                + IDP.jwksUri(IDP.rotatingJwksPath()));
    }

    @Test
    void exchangeWhenIssuerNotTrustedThenRefused() {
        String token = TestIdp.sign(IDP.key(), claims("https://untrusted.example.test").build());

        Response r = reportsApi(token).post();

        assertError(r, 400, "invalid_request", "subject_token: JWT issuer is not trusted by this tenant");
        assertThat(reason(r, "refused")).contains("iss https://untrusted.example.test");
    }

    @Test
    void exchangeWhenJwksServerDownThenTemporarilyUnavailable() {
        Response r = reportsApi(TestIdp.sign(IDP.key(), claims(IDP.downIssuer()).build())).post();

        assertError(r, 503, "temporarily_unavailable",
                "subject_token: the JWT issuer's keys are temporarily unavailable, retry later");
        assertThat(reason(r, "error")).contains("JWKS " + IDP.downJwksUri());
    }

    /**
     * Actors are matched as (issuer, subject): archive-delegation's {@code svc-billing/*@EXAMPLE.TEST} names the
     * tenant's own svc-billing, so a trusted issuer minting that very {@code sub} does not act as it.
     */
    @Test
    void delegationWhenTrustedIssuerMintsTheSubOfTheTenantsOwnServiceThenRefused() throws Exception {
        String t1 = JwtSubjectExchangeTest.aliceForReports("reports:read").jsonPath().getString("access_token");
        String impostor = TestIdp.sign(IDP.key(), claims(IDP.issuer()).subject(TestKdc.BILLING).build());

        Response r = JwtSubjectExchangeTest.reportsApi(t1, KerbexTestResource.ARCHIVE).param("actor_token", impostor)
                .param("actor_token_type", ACCESS_TOKEN).post();

        assertError(r, 400, "invalid_request", "subject_token: no policy permits this exchange");
        assertThat(reason(r, "refused")).isEqualTo("subject_token: no policy permits this exchange");
        // The tenant's own svc-billing (its Kerberos self-exchange token) still is that actor.
        JwtSubjectExchangeTest.reportsApi(t1, KerbexTestResource.ARCHIVE)
                .param("actor_token", JwtSubjectExchangeTest.billingServiceToken())
                .param("actor_token_type", ACCESS_TOKEN).post().then().statusCode(200);
    }

    // ---------------------------------------------------------------- helpers

    static dev.kerbex.testing.TokenRequests reportsApi(String subjectToken) {
        return exchange().param("subject_token_type", ACCESS_TOKEN).param("subject_token", subjectToken)
                .param("audience", PARTNER).basic(REPORTS_API, REPORTS_API_SECRET);
    }

    static JWTClaimsSet.Builder claims(String issuer) {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder().issuer(issuer).subject("bob@idp.example.test").audience(REPORTS_API)
                .expirationTime(Date.from(now.plusSeconds(300))).issueTime(Date.from(now))
                .jwtID(UUID.randomUUID().toString()).claim("scope", "partner:read");
    }

    String reason(Response r, String outcome) {
        Map<String, Object> row = AuditRows.byRequestId(dataSource, r.header("X-Request-Id")).orElseThrow();
        assertThat(row).containsEntry("outcome", outcome);
        return (String) row.get("reason");
    }
}
