package dev.kerbex.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** A static admin key (quarkus.oidc.public-key) is RSA or refused at start with one line (AdminStaticKeyCheck). */
class AdminOidcDefaultsTest {

    @Test
    void staticKeyWhenRsaThenAcceptedWithOrWithoutPemArmour() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        String body = Base64.getEncoder().encodeToString(g.generateKeyPair().getPublic().getEncoded());
        assertThat(AdminOidcDefaults.staticKeyProblem(body)).isEmpty();
        assertThat(AdminOidcDefaults.staticKeyProblem("-----BEGIN PUBLIC KEY-----\n" + body + "\n-----END PUBLIC KEY-----"))
                .isEmpty();
    }

    @Test
    void staticKeyWhenEcThenOneLineSayingWhatToDo() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        String ec = Base64.getEncoder().encodeToString(g.generateKeyPair().getPublic().getEncoded());
        assertThat(AdminOidcDefaults.staticKeyProblem(ec)).contains("quarkus.oidc.public-key is an EC key, but a static"
                + " admin key must be RSA (quarkus-oidc reads it as RSA only): use an RSA key, or"
                + " quarkus.oidc.auth-server-url with an identity provider whose JWKS holds the EC key");
    }

    @Test
    void staticKeyWhenNoKeyThenRefused() {
        assertThat(AdminOidcDefaults.staticKeyProblem("not base64!")).contains("quarkus.oidc.public-key is not base64:"
                + " give the RSA public key as a PEM body (base64 DER SubjectPublicKeyInfo)");
        assertThat(AdminOidcDefaults.staticKeyProblem("AAAA"))
                .contains("quarkus.oidc.public-key is not an RSA public key (base64 DER SubjectPublicKeyInfo)");
    }
}
