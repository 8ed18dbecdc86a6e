package dev.kerbex.store;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** One immutable row per policy change. */
@Entity
@Table(name = "policy_revision")
@IdClass(PolicyRevisionEntity.Key.class)
class PolicyRevisionEntity {
    @Id
    @Column(name = "policy_id")
    UUID policyId;

    @Id
    int revision;

    @Column(name = "tenant_id")
    String tenantId;

    String name;

    @JdbcTypeCode(SqlTypes.JSON)
    String document;

    boolean deleted;

    String author;

    @Column(name = "created_at")
    Instant createdAt;

    static final class Key implements Serializable {
        UUID policyId;
        int revision;

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(policyId, k.policyId) && revision == k.revision;
        }

        @Override
        public int hashCode() {
            return Objects.hash(policyId, revision);
        }
    }
}
