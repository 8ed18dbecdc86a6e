package dev.kerbex.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kerbex.bootstrap.BootstrapFile.InvalidFileException;
import dev.kerbex.representation.ClientRepresentation;
import dev.kerbex.representation.PolicyRepresentation;
import dev.kerbex.representation.TenantRepresentation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class BootstrapFileTest {

    /** SPEC §12's example, verbatim. */
    static final String SPEC_EXAMPLE = """
            {
              "tenants": [{
                "id": "acme",
                "realms": ["EXAMPLE.TEST"],
                "services": ["HTTP/kerbex.example.test@EXAMPLE.TEST"],
                "max_token_lifetime": "PT1H",
                "s4u": { "principal": "HTTP/kerbex.example.test@EXAMPLE.TEST",
                         "keytab": "/etc/kerbex/kerbex.keytab", "default_realm": "EXAMPLE.TEST" },
                "clients": [{
                  "client_id": "billing",
                  "secret": "${env:BILLING_SECRET}",
                  "kerberos_principal": "svc-billing/app.example.test@EXAMPLE.TEST",
                  "grant_types": ["urn:ietf:params:oauth:grant-type:token-exchange"]
                }],
                "trusted_issuers": [{ "issuer": "https://idp.example.test", "jwks_uri": "https://idp.example.test/jwks" }],
                "policies": [{
                  "name": "billing-reads-ledger",
                  "effect": "allow",
                  "priority": 100,
                  "match": {
                    "clients": ["billing"],
                    "subject_token_types": ["urn:kerbex:token-type:kerberos-ap-req"],
                    "subjects": ["*@EXAMPLE.TEST"],
                    "audiences": ["https://ledger.example.test"],
                    "requested_token_types": ["urn:ietf:params:oauth:token-type:access_token"],
                    "actors": []
                  },
                  "grant": {
                    "scopes": ["ledger:read", "ledger:write"],
                    "default_scopes": ["ledger:read"],
                    "max_lifetime": "PT10M",
                    "claims": { "dept": "billing" },
                    "kerberos_targets": [],
                    "kerberos_user_principal": "${krb_principal}"
                  }
                }]
              }]
            }
            """;

    static final String SECRET = "billing-secret-0123456789";
    static final Map<String, String> ENV = Map.of("BILLING_SECRET", SECRET);

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private Path write(String content) {
        try {
            return Files.writeString(dir.resolve("kerbex.json"), content, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ObjectNode example() {
        try {
            return (ObjectNode) JSON.readTree(SPEC_EXAMPLE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Path write(ObjectNode root) {
        return write(root.toPrettyString());
    }

    private static List<TenantRepresentation> read(Path file, Function<String, String> env) {
        return BootstrapFile.read(file, new ObjectMapper(), env, tenantId -> Set.of());
    }

    private static String invalid(Path file, Function<String, String> env, Function<String, Set<String>> stored) {
        InvalidFileException e = catchThrowableOfType(InvalidFileException.class,
                () -> BootstrapFile.read(file, new ObjectMapper(), env, stored));
        assertThat(e).as("the file should have been refused").isNotNull();
        return e.getMessage();
    }

    private static String invalid(Path file) {
        return invalid(file, ENV::get, tenantId -> Set.of());
    }

    private static String header(Path file) {
        return "kerbex.bootstrap-file " + file + " is invalid:";
    }

    // --- a valid file ---

    @Test
    void readWhenSpecExampleThenEveryFieldMapped() {
        List<TenantRepresentation> tenants = read(write(SPEC_EXAMPLE), ENV::get);

        assertThat(tenants).hasSize(1);
        TenantRepresentation t = tenants.get(0);
        assertThat(t.id()).isEqualTo("acme");
        assertThat(t.realms()).containsExactly("EXAMPLE.TEST");
        assertThat(t.services()).containsExactly("HTTP/kerbex.example.test@EXAMPLE.TEST");
        assertThat(t.maxTokenLifetime()).isEqualTo("PT1H");
        assertThat(t.s4u()).isEqualTo(new TenantRepresentation.S4u("HTTP/kerbex.example.test@EXAMPLE.TEST",
                "/etc/kerbex/kerbex.keytab", "EXAMPLE.TEST"));
        assertThat(t.clients()).containsExactly(new ClientRepresentation("billing", SECRET,
                "svc-billing/app.example.test@EXAMPLE.TEST", List.of("urn:ietf:params:oauth:grant-type:token-exchange"),
                null, null));
        assertThat(t.trustedIssuers()).singleElement().satisfies(ti -> {
            assertThat(ti.issuer()).isEqualTo("https://idp.example.test");
            assertThat(ti.jwksUri()).isEqualTo("https://idp.example.test/jwks");
        });
        PolicyRepresentation p = t.policies().get(0);
        assertThat(p.name()).isEqualTo("billing-reads-ledger");
        assertThat(p.effect()).isEqualTo("allow");
        assertThat(p.priority()).isEqualTo(100);
        assertThat(p.match().clients()).containsExactly("billing");
        assertThat(p.match().subjects()).containsExactly("*@EXAMPLE.TEST");
        assertThat(p.match().audiences()).containsExactly("https://ledger.example.test");
        assertThat(p.match().actors()).isEmpty();
        assertThat(p.grant().scopes()).containsExactly("ledger:read", "ledger:write");
        assertThat(p.grant().defaultScopes()).containsExactly("ledger:read");
        assertThat(p.grant().maxLifetime()).isEqualTo("PT10M");
        assertThat(p.grant().claims()).isEqualTo(Map.of("dept", "billing"));
        // Only ${env:...} is the file's business; claim templates are left for the policy engine.
        assertThat(p.grant().kerberosUserPrincipal()).isEqualTo("${krb_principal}");
    }

    @Test
    void readWhenTenantsEmptyThenNoTenants() {
        assertThat(read(write("{\"tenants\": []}"), ENV::get)).isEmpty();
    }

    @Test
    void readWhenCallerMapperIsLenientThenUnknownFieldsStillRefused() {
        ObjectNode root = example();
        ((ObjectNode) root.at("/tenants/0")).put("bogus", 1);
        Path file = write(root);
        ObjectMapper lenient = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

        InvalidFileException e = catchThrowableOfType(InvalidFileException.class,
                () -> BootstrapFile.read(file, lenient, ENV::get, id -> Set.of()));

        assertThat(e).isNotNull();
        assertThat(e.getMessage()).isEqualTo(header(file) + "\n  /tenants/0/bogus: unknown field \"bogus\"");
        assertThat(lenient.isEnabled(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)).isFalse();
    }

    // --- ${env:NAME} ---

    @Test
    void readWhenEnvReferenceThenReplacedFromTheFunction() {
        ObjectNode root = example();
        ((ObjectNode) root.at("/tenants/0/policies/0/grant/claims")).put("env", "pre-${env:DEPT}-${env:lower_1}-post");
        List<TenantRepresentation> tenants = read(write(root),
                Map.of("BILLING_SECRET", SECRET, "DEPT", "finance", "lower_1", "x")::get);

        assertThat(tenants.get(0).policies().get(0).grant().claims()).containsEntry("env", "pre-finance-x-post");
        assertThat(tenants.get(0).clients().get(0).secret()).isEqualTo(SECRET);
    }

    @Test
    void readWhenEnvValueHasJsonSyntaxThenStructureUnchanged() {
        String hostile = "x\", \"bogus\": {\"a\": [1]}, \"kerberos_principal\": \"evil@R\" }\\";
        List<TenantRepresentation> tenants = read(write(SPEC_EXAMPLE), Map.of("BILLING_SECRET", hostile)::get);

        ClientRepresentation c = tenants.get(0).clients().get(0);
        assertThat(c.secret()).isEqualTo(hostile);
        assertThat(c.kerberosPrincipal()).isEqualTo("svc-billing/app.example.test@EXAMPLE.TEST");
    }

    @Test
    void readWhenEnvValueHasRegexReplacementSyntaxThenTakenLiterally() {
        String value = "$1 \\$0 ${env:OTHER} secret-secret";
        List<TenantRepresentation> tenants = read(write(SPEC_EXAMPLE),
                Map.of("BILLING_SECRET", value, "OTHER", "expanded")::get);

        // Not re-expanded: the value of a variable is data, never another reference.
        assertThat(tenants.get(0).clients().get(0).secret()).isEqualTo(value);
    }

    @Test
    void readWhenEnvReferenceInFieldNameThenNotReplaced() {
        ObjectNode root = example();
        ((ObjectNode) root.at("/tenants/0/policies/0/grant/claims")).put("${env:BILLING_SECRET}", "v");

        List<TenantRepresentation> tenants = read(write(root), ENV::get);

        assertThat(tenants.get(0).policies().get(0).grant().claims()).containsKey("${env:BILLING_SECRET}");
    }

    @Test
    void readWhenEnvVariableUnsetThenMessageNamesFilePointerAndVariable() {
        Path file = write(SPEC_EXAMPLE);

        String message = invalid(file, name -> null, id -> Set.of());

        assertThat(message).isEqualTo(header(file)
                + "\n  /tenants/0/clients/0/secret: environment variable BILLING_SECRET is not set");
        assertThat(message).contains(file.toString());
    }

    @Test
    void readWhenSeveralEnvVariablesUnsetThenAllListed() {
        ObjectNode root = example();
        ((ObjectNode) root.at("/tenants/0")).put("id", "${env:TENANT}");
        ((ObjectNode) root.at("/tenants/0/policies/0/grant/claims")).put("a/b", "${env:A}${env:BILLING_SECRET}");
        Path file = write(root);

        String message = invalid(file, name -> null, id -> Set.of());

        assertThat(message).isEqualTo(header(file)
                + "\n  /tenants/0/id: environment variable TENANT is not set"
                + "\n  /tenants/0/clients/0/secret: environment variable BILLING_SECRET is not set"
                + "\n  /tenants/0/policies/0/grant/claims/a~1b: environment variable A is not set"
                + "\n  /tenants/0/policies/0/grant/claims/a~1b: environment variable BILLING_SECRET is not set");
    }

    @Test
    void readWhenEnvVariableSetButEmptyThenSubstitutedAndValidated() {
        Path file = write(SPEC_EXAMPLE);

        String message = invalid(file, Map.of("BILLING_SECRET", "")::get, id -> Set.of());

        assertThat(message).isEqualTo(header(file)
                + "\n  /tenants/0/clients/0/secret: too short: at least 12 characters");
    }

    // --- JSON syntax and shape ---

    @Test
    void readWhenSyntaxErrorThenMessageHasLineAndColumn() {
        Path file = write("{\n  \"tenants\": [\n    {\"id\": \"acme\",, \"realms\": []}\n  ]\n}\n");

        String message = invalid(file);

        assertThat(message).startsWith(header(file) + "\n  /: not valid JSON at line 3, column 19: ");
    }

    @Test
    void readWhenTruncatedThenNotValidJson() {
        Path file = write("{\"tenants\": [");

        assertThat(invalid(file)).startsWith(header(file) + "\n  /: not valid JSON at line 1, column ");
    }

    @Test
    void readWhenFileMissingThenCannotBeRead() {
        Path file = dir.resolve("absent.json");

        assertThat(invalid(file)).startsWith(header(file) + "\n  /: cannot be read: ");
    }

    static Stream<Arguments> notAnObject() {
        return Stream.of(Arguments.of(""), Arguments.of("[]"), Arguments.of("\"tenants\""), Arguments.of("42"),
                Arguments.of("null"));
    }

    @ParameterizedTest
    @MethodSource("notAnObject")
    void readWhenRootIsNotAnObjectThenRefused(String content) {
        Path file = write(content);

        assertThat(invalid(file)).isEqualTo(header(file) + "\n  /: must be a JSON object with a \"tenants\" array");
    }

    @Test
    void readWhenTenantsMissingThenRequired() {
        Path file = write("{}");

        assertThat(invalid(file)).isEqualTo(header(file) + "\n  /tenants: required");
    }

    @Test
    void readWhenTenantIsNullThenMustBeAnObject() {
        Path file = write("{\"tenants\": [null]}");

        assertThat(invalid(file)).isEqualTo(header(file) + "\n  /tenants/0: must be an object");
    }

    static Stream<Arguments> shapeErrors() {
        return Stream.of(
                shape("unknown tenant field", r -> obj(r, "/tenants/0").put("bogus", true),
                        "/tenants/0/bogus: unknown field \"bogus\""),
                shape("unknown top-level field", r -> r.put("version", 1), "/version: unknown field \"version\""),
                shape("unknown client field", r -> obj(r, "/tenants/0/clients/0").put("password", "x"),
                        "/tenants/0/clients/0/password: unknown field \"password\""),
                shape("unknown match field", r -> obj(r, "/tenants/0/policies/0/match").putArray("subject"),
                        "/tenants/0/policies/0/match/subject: unknown field \"subject\""),
                shape("unknown field with slash", r -> obj(r, "/tenants/0").put("a/b~c", 1),
                        "/tenants/0/a~1b~0c: unknown field \"a/b~c\""),
                shape("realms as a string", r -> obj(r, "/tenants/0").put("realms", "EXAMPLE.TEST"),
                        "/tenants/0/realms: wrong type: expected an array"),
                shape("tenants as an object", r -> r.putObject("tenants"), "/tenants: wrong type: expected an array"),
                shape("audiences as a string", r -> obj(r, "/tenants/0/policies/0/match").put("audiences", "x"),
                        "/tenants/0/policies/0/match/audiences: wrong type: expected an array"),
                shape("priority as an array", r -> obj(r, "/tenants/0/policies/0").putArray("priority"),
                        "/tenants/0/policies/0/priority: wrong type: expected an integer"),
                shape("rate_limit as a word", r -> obj(r, "/tenants/0/clients/0").put("rate_limit", "fast"),
                        "/tenants/0/clients/0/rate_limit: wrong type: expected an integer"),
                shape("client_id as an object", r -> obj(r, "/tenants/0/clients/0").putObject("client_id"),
                        "/tenants/0/clients/0/client_id: wrong type: expected a string"),
                shape("s4u as a string", r -> obj(r, "/tenants/0").put("s4u", "HTTP/x@R"),
                        "/tenants/0/s4u: wrong type: expected an object"));
    }

    private static Arguments shape(String name, Consumer<ObjectNode> mutation, String line) {
        return Arguments.of(name, mutation, line);
    }

    private static ObjectNode obj(ObjectNode root, String pointer) {
        return (ObjectNode) root.at(pointer);
    }

    private static ArrayNode arr(ObjectNode root, String pointer) {
        return (ArrayNode) root.at(pointer);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapeErrors")
    void readWhenShapeWrongThenPointerAndProblem(String name, Consumer<ObjectNode> mutation, String line) {
        ObjectNode root = example();
        mutation.accept(root);
        Path file = write(root);

        assertThat(invalid(file)).isEqualTo(header(file) + "\n  " + line);
    }

    // --- validation (TenantValidator, PolicyMapping) ---

    static Stream<Arguments> validationErrors() {
        return Stream.of(
                shape("tenant id upper case", r -> obj(r, "/tenants/0").put("id", "Acme"),
                        "/tenants/0/id: required; lower-case letters, digits and '-', at most 63, e.g. acme"),
                shape("tenant id missing", r -> obj(r, "/tenants/0").remove("id"),
                        "/tenants/0/id: required; lower-case letters, digits and '-', at most 63, e.g. acme"),
                shape("tenant id too long", r -> obj(r, "/tenants/0").put("id", "a".repeat(64)),
                        "/tenants/0/id: required; lower-case letters, digits and '-', at most 63, e.g. acme"),
                shape("realms empty", r -> obj(r, "/tenants/0").putArray("realms"),
                        "/tenants/0/realms: must list at least one Kerberos realm"),
                shape("realms missing", r -> obj(r, "/tenants/0").remove("realms"),
                        "/tenants/0/realms: must list at least one Kerberos realm"),
                shape("realm with space", r -> arr(r, "/tenants/0/realms").add("BAD REALM"),
                        "/tenants/0/realms/1: not a realm name"),
                shape("service without realm", r -> arr(r, "/tenants/0/services").add("HTTP/kerbex.example.test"),
                        "/tenants/0/services/1: not a principal like HTTP/host@REALM"),
                shape("unknown enctype", r -> obj(r, "/tenants/0").putArray("enctypes").add("aes256-cts-hmac-sha1-96")
                        .add("aes512-gcm"),
                        "/tenants/0/enctypes/1: unknown enctype; known: aes128-cts-hmac-sha1-96, "
                                + "aes128-cts-hmac-sha256-128, aes256-cts-hmac-sha1-96, aes256-cts-hmac-sha384-192, "
                                + "arcfour-hmac, camellia128-cts-cmac, camellia256-cts-cmac, des-cbc-crc, des-cbc-md5, "
                                + "des3-cbc-sha1, rc4-hmac"),
                shape("lifetime not ISO", r -> obj(r, "/tenants/0").put("max_token_lifetime", "1h"),
                        "/tenants/0/max_token_lifetime: not an ISO-8601 duration such as PT10M"),
                shape("lifetime over a day", r -> obj(r, "/tenants/0").put("max_token_lifetime", "PT24H1S"),
                        "/tenants/0/max_token_lifetime: must be positive and at most PT24H"),
                shape("lifetime zero", r -> obj(r, "/tenants/0").put("max_token_lifetime", "PT0S"),
                        "/tenants/0/max_token_lifetime: must be positive and at most PT24H"),
                shape("lifetime negative", r -> obj(r, "/tenants/0").put("max_token_lifetime", "-PT1M"),
                        "/tenants/0/max_token_lifetime: must be positive and at most PT24H"),
                shape("s4u without keytab", r -> obj(r, "/tenants/0/s4u").remove("keytab"),
                        "/tenants/0/s4u/keytab: required; the keytab file of the S4U principal"),
                shape("s4u bad principal", r -> obj(r, "/tenants/0/s4u").put("principal", "kerbex"),
                        "/tenants/0/s4u/principal: required; a principal like HTTP/host@REALM"),
                shape("short secret", r -> obj(r, "/tenants/0/clients/0").put("secret", "elevenchars"),
                        "/tenants/0/clients/0/secret: too short: at least 12 characters"),
                shape("secret beyond bcrypt's 72 bytes", r -> obj(r, "/tenants/0/clients/0").put("secret", "s".repeat(73)),
                        "/tenants/0/clients/0/secret: too long: at most 72 bytes"),
                shape("client without secret or principal", r -> obj(r, "/tenants/0/clients/0")
                        .without(List.of("secret", "kerberos_principal")),
                        "/tenants/0/clients/0: needs a secret, a kerberos_principal, jwks or tls_client_auth to authenticate with"),
                shape("client with bad principal", r -> obj(r, "/tenants/0/clients/0")
                        .put("kerberos_principal", "svc billing@EXAMPLE.TEST"),
                        "/tenants/0/clients/0/kerberos_principal: not a principal like svc/host@REALM"),
                shape("client_id with space", r -> obj(r, "/tenants/0/clients/0").put("client_id", "bill ing"),
                        "/tenants/0/clients/0/client_id: required; 1 to 255 visible ASCII characters"
                                + "\n  /tenants/0/policies/0/match/clients/0: unknown client"),
                shape("other grant type", r -> arr(r, "/tenants/0/clients/0/grant_types").add("client_credentials"),
                        "/tenants/0/clients/0/grant_types/1: unsupported grant type; only "
                                + "urn:ietf:params:oauth:grant-type:token-exchange"),
                shape("duplicate client_id", r -> arr(r, "/tenants/0/clients").addObject().put("client_id", "billing")
                        .put("secret", "another-long-secret"),
                        "/tenants/0/clients/1/client_id: duplicate client_id"),
                shape("rate_limit zero", r -> obj(r, "/tenants/0/clients/0").put("rate_limit", 0),
                        "/tenants/0/clients/0/rate_limit: must be between 1 and 100000 requests per second"),
                shape("rate_limit too high", r -> obj(r, "/tenants/0/clients/0").put("rate_limit", 100_001),
                        "/tenants/0/clients/0/rate_limit: must be between 1 and 100000 requests per second"),
                shape("null client", r -> arr(r, "/tenants/0/clients").addNull(),
                        "/tenants/0/clients/1: must be an object"),
                shape("trusted issuer not a URL", r -> obj(r, "/tenants/0/trusted_issuers/0").put("issuer", "idp"),
                        "/tenants/0/trusted_issuers/0/issuer: required; an absolute URL"),
                shape("jwks_uri not http", r -> obj(r, "/tenants/0/trusted_issuers/0").put("jwks_uri", "file:/jwks"),
                        "/tenants/0/trusted_issuers/0/jwks_uri: not an absolute URL"),
                shape("policy audiences empty", r -> obj(r, "/tenants/0/policies/0/match").putArray("audiences"),
                        "/tenants/0/policies/0/match/audiences: required: name at least one audience"),
                shape("policy unknown token type", r -> arr(r, "/tenants/0/policies/0/match/subject_token_types")
                        .add("urn:example:saml"),
                        "/tenants/0/policies/0/match/subject_token_types/1: unknown token type URI"),
                shape("policy requested AP-REQ", r -> arr(r, "/tenants/0/policies/0/match/requested_token_types")
                        .add("urn:kerbex:token-type:kerberos-ap-req"),
                        "/tenants/0/policies/0/match/requested_token_types/1: "
                                + "urn:kerbex:token-type:kerberos-ap-req cannot be requested"),
                shape("policy bad glob", r -> arr(r, "/tenants/0/policies/0/match/subjects").add("svc-*\\"),
                        "/tenants/0/policies/0/match/subjects/1: pattern ends with an unfinished escape '\\'"),
                shape("policy unknown client", r -> arr(r, "/tenants/0/policies/0/match/clients").add("payroll"),
                        "/tenants/0/policies/0/match/clients/1: unknown client"),
                shape("policy bad effect", r -> obj(r, "/tenants/0/policies/0").put("effect", "permit"),
                        "/tenants/0/policies/0/effect: must be allow or deny"),
                shape("policy without match", r -> obj(r, "/tenants/0/policies/0").remove("match"),
                        "/tenants/0/policies/0/match: required"
                                + "\n  /tenants/0/policies/0/match/audiences: required: name at least one audience"),
                shape("policy lifetime not ISO", r -> obj(r, "/tenants/0/policies/0/grant").put("max_lifetime", "10m"),
                        "/tenants/0/policies/0/grant/max_lifetime: not an ISO-8601 duration such as PT10M"),
                shape("null policy", r -> arr(r, "/tenants/0/policies").addNull(),
                        "/tenants/0/policies/1: a policy object is required"),
                shape("duplicate policy name", r -> arr(r, "/tenants/0/policies").add(r.at("/tenants/0/policies/0")
                        .deepCopy()), "/tenants/0/policies/1/name: duplicate policy name"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validationErrors")
    void readWhenTenantInvalidThenPointerAndProblem(String name, Consumer<ObjectNode> mutation, String line) {
        ObjectNode root = example();
        mutation.accept(root);
        Path file = write(root);

        assertThat(invalid(file)).isEqualTo(header(file) + "\n  " + line);
    }

    static Stream<Arguments> nullElements() {
        return Stream.of(
                shape("null audience", r -> arr(r, "/tenants/0/policies/0/match/audiences").addNull(),
                        "/tenants/0/policies/0/match/audiences/1: must not be null"),
                shape("null audience before a bad glob", r -> obj(r, "/tenants/0/policies/0/match")
                        .putArray("audiences").addNull().add("x\\"),
                        "/tenants/0/policies/0/match/audiences/0: must not be null"),
                shape("null subject", r -> arr(r, "/tenants/0/policies/0/match/subjects").insertNull(0),
                        "/tenants/0/policies/0/match/subjects/0: must not be null"),
                shape("null policy client", r -> arr(r, "/tenants/0/policies/0/match/clients").addNull(),
                        "/tenants/0/policies/0/match/clients/1: must not be null"),
                shape("null token type", r -> arr(r, "/tenants/0/policies/0/match/subject_token_types").addNull(),
                        "/tenants/0/policies/0/match/subject_token_types/1: unknown token type URI"),
                shape("null scope", r -> arr(r, "/tenants/0/policies/0/grant/scopes").addNull(),
                        "/tenants/0/policies/0/grant/scopes/2: must not be null"),
                shape("null claim", r -> obj(r, "/tenants/0/policies/0/grant/claims").putNull("team"),
                        "/tenants/0/policies/0/grant/claims/team: must not be null"),
                shape("null client audience", r -> obj(r, "/tenants/0/clients/0").putArray("audiences").addNull(),
                        "/tenants/0/clients/0/audiences/0: must not be null"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nullElements")
    void readWhenListHoldsNullThenPointerAndProblemNotAnException(String name, Consumer<ObjectNode> mutation,
            String line) {
        ObjectNode root = example();
        mutation.accept(root);
        Path file = write(root);

        assertThat(invalid(file)).isEqualTo(header(file) + "\n  " + line);
    }

    @Test
    void readWhenPolicyNamesClientOnlyInStoreThenAccepted() {
        ObjectNode root = example();
        arr(root, "/tenants/0/policies/0/match/clients").add("payroll").add("*");
        Path file = write(root);

        List<TenantRepresentation> tenants = BootstrapFile.read(file, new ObjectMapper(), ENV::get,
                id -> "acme".equals(id) ? Set.of("payroll") : Set.of());

        assertThat(tenants.get(0).policies().get(0).match().clients()).containsExactly("billing", "payroll", "*");
    }

    @Test
    void readWhenStoredClientsBelongToAnotherTenantThenUnknownClient() {
        ObjectNode root = example();
        arr(root, "/tenants/0/policies/0/match/clients").add("payroll");
        Path file = write(root);

        String message = invalid(file, ENV::get, id -> "other".equals(id) ? Set.of("payroll") : Set.of());

        assertThat(message).isEqualTo(header(file) + "\n  /tenants/0/policies/0/match/clients/1: unknown client");
    }

    @Test
    void readWhenSeveralProblemsThenAllListedInOneMessage() {
        ObjectNode root = example();
        obj(root, "/tenants/0").put("id", "ACME").putArray("realms");
        obj(root, "/tenants/0/clients/0").put("secret", "short");
        obj(root, "/tenants/0/policies/0/match").putArray("audiences");
        ObjectNode second = arr(root, "/tenants").addObject();
        second.put("id", "beta").putArray("realms").add("EXAMPLE.TEST");
        second.putArray("clients").addObject().put("client_id", "solo");
        Path file = write(root);

        assertThat(invalid(file)).isEqualTo(header(file)
                + "\n  /tenants/0/id: required; lower-case letters, digits and '-', at most 63, e.g. acme"
                + "\n  /tenants/0/realms: must list at least one Kerberos realm"
                + "\n  /tenants/0/clients/0/secret: too short: at least 12 characters"
                + "\n  /tenants/0/policies/0/match/audiences: required: name at least one audience"
                + "\n  /tenants/1/clients/0: needs a secret, a kerberos_principal, jwks or tls_client_auth to authenticate with");
    }

    @Test
    void invalidFileMessageNeverContainsTheSecretValue() {
        ObjectNode root = example();
        obj(root, "/tenants/0/clients/0").put("secret", "short-pw");
        Path file = write(root);

        assertThat(invalid(file)).doesNotContain("short-pw");
    }
}
