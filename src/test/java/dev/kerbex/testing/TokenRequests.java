package dev.kerbex.testing;

import static io.restassured.RestAssured.given;

import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Builds token requests as a real client sends them: a form-encoded body, repeated parameters allowed. */
public final class TokenRequests {
    public static final String GRANT = "urn:ietf:params:oauth:grant-type:token-exchange";
    public static final String AP_REQ = "urn:kerbex:token-type:kerberos-ap-req";
    public static final String ACCESS_TOKEN = "urn:ietf:params:oauth:token-type:access_token";

    private final List<Map.Entry<String, String>> params = new ArrayList<>();
    private String basicUser;
    private String basicSecret;
    private String authorization;

    public static TokenRequests exchange() {
        return new TokenRequests().param("grant_type", GRANT);
    }

    /** A Kerberos exchange for the ledger audience with a fresh JDK GSS token of alice. */
    public static TokenRequests aliceForLedger() {
        return exchange().param("subject_token_type", AP_REQ).param("subject_token", GssTokens.aliceKrb5Base64())
                .param("audience", KerbexTestResource.LEDGER);
    }

    public TokenRequests param(String name, String value) {
        params.add(Map.entry(name, value));
        return this;
    }

    /** Drops every occurrence of a parameter. */
    public TokenRequests without(String name) {
        params.removeIf(e -> e.getKey().equals(name));
        return this;
    }

    public TokenRequests basic(String clientId, String secret) {
        this.basicUser = clientId;
        this.basicSecret = secret;
        return this;
    }

    public TokenRequests authorization(String value) {
        this.authorization = value;
        return this;
    }

    public TokenRequests billing() {
        return basic(KerbexTestResource.BILLING, KerbexTestResource.BILLING_SECRET);
    }

    public String body() {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, String> p : params) {
            if (b.length() > 0) {
                b.append('&');
            }
            b.append(URLEncoder.encode(p.getKey(), StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(p.getValue(), StandardCharsets.UTF_8));
        }
        return b.toString();
    }

    public RequestSpecification spec() {
        RequestSpecification spec = given().contentType("application/x-www-form-urlencoded").body(body());
        if (basicUser != null) {
            spec = spec.auth().preemptive().basic(basicUser, basicSecret);
        }
        if (authorization != null) {
            spec = spec.header("Authorization", authorization);
        }
        return spec;
    }

    public Response post(String tenant) {
        return spec().post("/tenants/" + tenant + "/oauth2/token");
    }

    public Response post() {
        return post(KerbexTestResource.TENANT);
    }
}
