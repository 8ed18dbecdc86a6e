package dev.kerbex.endpoint;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kerbex.testing.KerbexTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** RFC 8414 metadata advertises what issue 5 added: introspection, revocation, private_key_jwt and DPoP. */
@QuarkusTest
@QuarkusTestResource(value = KerbexTestResource.class, restrictToAnnotatedClass = false)
class MetadataTest {
    static final List<String> ASYMMETRIC = List.of("ES256", "ES384", "ES512", "PS256", "PS384", "PS512", "RS256",
            "RS384", "RS512");
    static final List<String> METHODS = List.of("client_secret_basic", "client_secret_post", "private_key_jwt");

    @Test
    void metadataWhenReadThenIntrospectionRevocationPrivateKeyJwtAndDpopAdvertised() {
        for (String path : List.of("/.well-known/oauth-authorization-server/tenants/acme",
                "/tenants/acme/.well-known/oauth-authorization-server")) {
            Map<String, Object> m = given().get(path).then().statusCode(200).extract().jsonPath().getMap("");
            assertThat(m).containsEntry("issuer", "http://localhost:8080/tenants/acme")
                    .containsEntry("introspection_endpoint", "http://localhost:8080/tenants/acme/oauth2/introspect")
                    .containsEntry("revocation_endpoint", "http://localhost:8080/tenants/acme/oauth2/revoke")
                    .containsEntry("token_endpoint_auth_methods_supported", METHODS)
                    .containsEntry("introspection_endpoint_auth_methods_supported", METHODS)
                    .containsEntry("revocation_endpoint_auth_methods_supported", METHODS)
                    .containsEntry("token_endpoint_auth_signing_alg_values_supported", ASYMMETRIC)
                    .containsEntry("introspection_endpoint_auth_signing_alg_values_supported", ASYMMETRIC)
                    .containsEntry("revocation_endpoint_auth_signing_alg_values_supported", ASYMMETRIC)
                    .containsEntry("dpop_signing_alg_values_supported", ASYMMETRIC);
        }
    }
}
