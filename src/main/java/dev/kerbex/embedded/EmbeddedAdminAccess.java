package dev.kerbex.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.lang.JoseException;

/**
 * How a newcomer gets into the admin API of the embedded default run (no JDBC URL, no admin identity provider or
 * static key configured), the way Keycloak's bootstrap admin does: an RSA key generated once in {@code admin/}
 * beside the embedded database (directory 0700, files 0600, like the key-encryption key), the admin API configured
 * to trust it as its static {@code quarkus.oidc.public-key}, and a {@code kerbex-admin} token signed with it written
 * to {@code admin/admin-token} at every start. Neither the key nor a token is ever logged: only the file's path.
 * The {@code kerbex} command line signs fresh tokens with the same key ({@code kerbex login --embedded}).
 *
 * <p>Never with an external database, and never when the operator configured who may call the admin API: then the
 * static key would widen access, so nothing here runs ({@link #applies}).
 */
public final class EmbeddedAdminAccess {
    /** The {@code iss} of embedded admin tokens (not a URL: nothing is discovered from it). */
    public static final String ISSUER = "urn:kerbex:embedded-admin";
    public static final String SUBJECT = "embedded-admin";
    public static final String ROLE = "kerbex-admin";
    /** Lifetime of the token written at start: a working day, then sign a fresh one with the key. */
    public static final Duration FILE_TOKEN_LIFETIME = Duration.ofHours(8);
    static final String KEY_FILE = "admin-signing-key.pem";
    static final String TOKEN_FILE = "admin-token";
    /** Settings that say the operator chose who may call the admin API; any of them turns this off. */
    static final List<String> ADMIN_AUTH_SETTINGS = List.of("quarkus.oidc.auth-server-url", "quarkus.oidc.public-key",
            "quarkus.oidc.certificate-chain.trust-store-file");
    private static final Set<PosixFilePermission> OWNER_ONLY_FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_ONLY_DIR = PosixFilePermissions.fromString("rwx------");

    private final Path dir;
    private final RSAPrivateCrtKey key;

    private EmbeddedAdminAccess(Path dir, RSAPrivateCrtKey key) {
        this.dir = dir;
        this.key = key;
    }

    /**
     * Whether the embedded admin access is set up: only on the embedded database ({@code jdbcUrlConfigured} false)
     * and when none of {@link #ADMIN_AUTH_SETTINGS} has a value ({@code setting} answers a setting's value or null).
     */
    public static boolean applies(boolean jdbcUrlConfigured, Function<String, String> setting) {
        return !jdbcUrlConfigured && ADMIN_AUTH_SETTINGS.stream().map(setting)
                .allMatch(v -> v == null || v.isBlank());
    }

    /** The admin directory beside the embedded database's data directory ({@code .kerbex/admin} by default). */
    public static Path dirBeside(Path embeddedDbDir) {
        return embeddedDbDir.toAbsolutePath().getParent().resolve("admin");
    }

    /** The key in {@code dir}, generated (RSA 2048) on first use. */
    public static EmbeddedAdminAccess prepare(Path dir) {
        try {
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, OWNER_ONLY_DIR);
            Path file = dir.resolve(KEY_FILE);
            if (!Files.exists(file)) {
                KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
                g.initialize(2048);
                writeOwnerOnly(file, pem(g.generateKeyPair().getPrivate().getEncoded()));
            }
            return open(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the embedded admin key in " + dir, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate an RSA key", e);
        }
    }

    /** The key already in {@code dir} (for the command line, which never creates one). */
    public static EmbeddedAdminAccess open(Path dir) throws IOException {
        Path file = dir.resolve(KEY_FILE);
        String body = Files.readString(file, StandardCharsets.US_ASCII)
                .replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "").replaceAll("\\s", "");
        try {
            var key = KeyFactory.getInstance("RSA").generatePrivate(
                    new PKCS8EncodedKeySpec(Base64.getDecoder().decode(body)));
            if (!(key instanceof RSAPrivateCrtKey crt)) {
                throw new IOException(file + " is not an RSA private key with its CRT parameters");
            }
            return new EmbeddedAdminAccess(dir, crt);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IOException(file + " is not a PKCS#8 RSA private key", e);
        }
    }

    /** The public half as {@code quarkus.oidc.public-key} takes it: base64 DER SubjectPublicKeyInfo. */
    public String publicKey() {
        try {
            return Base64.getEncoder().encodeToString(KeyFactory.getInstance("RSA")
                    .generatePublic(new RSAPublicKeySpec(key.getModulus(), key.getPublicExponent())).getEncoded());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public Path keyFile() {
        return dir.resolve(KEY_FILE);
    }

    public Path tokenFile() {
        return dir.resolve(TOKEN_FILE);
    }

    /** A {@code kerbex-admin} token signed with the key, valid for {@code lifetime} from {@code now}. */
    public String token(Instant now, Duration lifetime) {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(ISSUER);
        claims.setSubject(SUBJECT);
        claims.setStringListClaim("roles", ROLE);
        claims.setIssuedAt(NumericDate.fromSeconds(now.getEpochSecond()));
        claims.setExpirationTime(NumericDate.fromSeconds(now.plus(lifetime).getEpochSecond()));
        claims.setJwtId(UUID.randomUUID().toString());
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        jws.setHeader("typ", "JWT");
        jws.setKey(key);
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException("cannot sign the embedded admin token", e);
        }
    }

    /** Writes a fresh token (valid {@link #FILE_TOKEN_LIFETIME}) to {@link #tokenFile()}, owner-only, replacing it. */
    public Path writeToken(Instant now) {
        Path target = tokenFile();
        Path fresh = dir.resolve(TOKEN_FILE + ".new");
        try {
            Files.deleteIfExists(fresh);
            writeOwnerOnly(fresh, token(now, FILE_TOKEN_LIFETIME) + "\n");
            Files.move(fresh, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target, e);
        }
    }

    /** Created with mode 0600 before anything is written, so the secret is never readable by others. */
    private static void writeOwnerOnly(Path file, String content) throws IOException {
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY_FILE));
        } catch (FileAlreadyExistsException e) {
            Files.setPosixFilePermissions(file, OWNER_ONLY_FILE);
        }
        Files.writeString(file, content, StandardCharsets.US_ASCII);
    }

    private static String pem(byte[] der) {
        return "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END PRIVATE KEY-----\n";
    }
}
