package dev.kerbex.store;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

@Entity
@Table(name = "tenant")
class TenantEntity {
    @Id
    String id;

    @JdbcTypeCode(SqlTypes.JSON)
    List<String> realms;

    @JdbcTypeCode(SqlTypes.JSON)
    List<String> services;

    @JdbcTypeCode(SqlTypes.JSON)
    List<String> enctypes;

    @Column(name = "max_token_lifetime_s")
    int maxTokenLifetimeSeconds;

    @JdbcTypeCode(SqlTypes.JSON)
    Map<String, Object> s4u;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "group_names")
    Map<String, String> groupNames;

    @Column(name = "created_at")
    Instant createdAt;

    @Column(name = "updated_at")
    Instant updatedAt;

    @Version
    long version;
}
