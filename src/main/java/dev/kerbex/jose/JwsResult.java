package dev.kerbex.jose;

import java.time.Instant;
import org.jose4j.jwk.PublicJsonWebKey;

/** The outcome of {@link JwsPipeline#verify}: a verified token, or a {@link Refusal}. */
public sealed interface JwsResult permits JwsResult.Verified, Refusal {

    /**
     * The token's signature verified under {@code key} and its time claims are acceptable now.
     *
     * @param expiresAt its {@code exp}; null only when the purpose does not read it (DPoP)
     */
    record Verified(JwsToken token, PublicJsonWebKey key, Instant expiresAt) implements JwsResult {
    }
}
