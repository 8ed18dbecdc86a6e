package dev.kerbex.store;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A trusted issuer: an opaque id for the admin API, (tenant, issuer) unique as the declarative file's natural key. */
@Entity
@Table(name = "trusted_issuer")
class TrustedIssuerEntity {
    @Id
    UUID id;

    @Column(name = "tenant_id")
    String tenantId;

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
}
