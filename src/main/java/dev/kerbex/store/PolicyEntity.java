package dev.kerbex.store;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A policy's current revision; {@code document} is its JSON representation (SPEC §12). */
@Entity
@Table(name = "policy")
class PolicyEntity {
    @Id
    UUID id;

    @Column(name = "tenant_id")
    String tenantId;

    String name;

    int revision;

    @JdbcTypeCode(SqlTypes.JSON)
    String document;

    @Column(name = "created_at")
    Instant createdAt;

    @Column(name = "updated_at")
    Instant updatedAt;
}
