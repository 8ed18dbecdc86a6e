package dev.kerbex.crypto;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kerbex.testing.KerbexTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.security.Signature;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/** The running service uses the provider {@code kerbex.crypto.provider} names, and says so in its metrics. */
@QuarkusTest
@QuarkusTestResource(value = KerbexTestResource.class, restrictToAnnotatedClass = false)
class CryptoProviderStartupTest {

    @Test
    void startWhenConfiguredThenThatProviderSignsAndTheMetricNamesIt() throws Exception {
        String setting = ConfigProvider.getConfig().getOptionalValue(CryptoProviders.SETTING, String.class).orElse("accp");
        String expected = setting.equals("jdk") ? "SunEC" : "AmazonCorrettoCryptoProvider";

        assertThat(Signature.getInstance("SHA256withECDSA").getProvider().getName()).isEqualTo(expected);
        String metrics = dev.kerbex.testing.ManagementPort.given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).contains("kerbex_crypto_provider_info{provider=\"" + expected + "\"} 1.0");
    }
}
