package dev.kerbex.store;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

@Entity
@Table(name = "signing_key")
@IdClass(SigningKeyEntity.Key.class)
class SigningKeyEntity {
    @Id
    @Column(name = "tenant_id")
    String tenantId;

    @Id
    String kid;

    String algorithm;

    @Column(name = "public_jwk")
    String publicJwk;

    @Column(name = "private_key")
    byte[] privateKey;

    String status;

    @Column(name = "created_at")
    Instant createdAt;

    @Column(name = "retired_at")
    Instant retiredAt;

    @Column(name = "published_until")
    Instant publishedUntil;

    static final class Key implements Serializable {
        String tenantId;
        String kid;

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(tenantId, k.tenantId) && Objects.equals(kid, k.kid);
        }

        @Override
        public int hashCode() {
            return Objects.hash(tenantId, kid);
        }
    }
}
