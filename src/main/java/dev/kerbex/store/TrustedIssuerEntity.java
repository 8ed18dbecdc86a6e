package dev.kerbex.store;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

@Entity
@Table(name = "trusted_issuer")
@IdClass(TrustedIssuerEntity.Key.class)
class TrustedIssuerEntity {
    @Id
    @Column(name = "tenant_id")
    String tenantId;

    @Id
    String issuer;

    @Column(name = "jwks_uri")
    String jwksUri;

    @JdbcTypeCode(SqlTypes.JSON)
    String document;

    @Column(name = "created_at")
    Instant createdAt;

    @Column(name = "updated_at")
    Instant updatedAt;

    @Version
    long version;

    static final class Key implements Serializable {
        String tenantId;
        String issuer;

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(tenantId, k.tenantId) && Objects.equals(issuer, k.issuer);
        }

        @Override
        public int hashCode() {
            return Objects.hash(tenantId, issuer);
        }
    }
}
